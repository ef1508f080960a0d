package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WarcraftSessionTest {
    @TempDir
    static Path dir;

    private static WarcraftData.Splits data;

    @BeforeAll
    static void generate() throws IOException {
        // 4x4 grids of 32-pixel maps: the model and the solver as in the experiment, small enough for a test
        new WarcraftGenerator(4, 8, 21).write(dir.resolve("data"), new int[] {24, 8, 8}, 2, n -> {});
        data = WarcraftData.load(dir.resolve("data"));
    }

    private static WarcraftSpec tiny(WarcraftMethod method) {
        // the baseline's ResNet-18 (11 M parameters) is slow to step: fewer maps for it
        return method == WarcraftMethod.BASELINE
                ? WarcraftSpec.defaults(method).withBudget(1, 8, 8)
                : WarcraftSpec.defaults(method).withBudget(2, 8, 0);
    }

    private static Map<String, Double> withoutTime(WarcraftSession.EpochRow row) {
        Map<String, Double> map = new java.util.LinkedHashMap<>(row.toMap());
        map.remove("seconds");
        return map;
    }

    @ParameterizedTest
    @EnumSource(WarcraftMethod.class)
    void everyMethodTrainsAndReportsItsMetrics(WarcraftMethod method) throws IOException {
        DijkstraSolver solver = new DijkstraSolver();
        List<WarcraftSession.EpochRow> rows;
        int epochs = tiny(method).epochs();
        try (WarcraftSession session = new WarcraftSession(tiny(method), data, solver, null)) {
            rows = session.run(row -> {});
            assertEquals(epochs, session.epochsDone());
        }
        assertEquals(epochs, rows.size());
        for (WarcraftSession.EpochRow row : rows) {
            assertTrue(Double.isFinite(row.trainLoss()), method + " " + row);
            assertEquals(method == WarcraftMethod.BASELINE ? 8 : 24, row.train().maps());
            assertEquals(8, row.val().maps());
            assertEquals(8, row.test().maps());
            for (PathMetrics m : List.of(row.train(), row.val(), row.test())) {
                assertTrue(m.perfectMatch() >= 0 && m.perfectMatch() <= 1, method + " " + m);
                assertTrue(m.cellAccuracy() >= 0 && m.cellAccuracy() <= 1, method + " " + m);
                assertTrue(m.validShare() >= 0 && m.validShare() <= 1, method + " " + m);
                assertTrue(Double.isFinite(m.costRatio()), method + " " + m);
            }
            if (method != WarcraftMethod.BASELINE) {
                // the solver's suggestions are always paths, so never cheaper than the optimum
                assertEquals(1.0, row.val().validShare(), method.id());
                assertTrue(row.val().costRatio() >= 1 - 1e-9, method + " " + row.val());
            }
        }
        if (method != WarcraftMethod.BASELINE) {
            assertTrue(solver.calls() > 0, method.id());
        } else {
            assertEquals(0, solver.calls(), "the baseline never calls the solver");
        }
        if (method.usesLambda()) {
            assertEquals(20, rows.get(0).lambda());
        }
    }

    @Test
    void theSameSpecGivesTheSameRows() throws IOException {
        List<Map<String, Double>> first = new ArrayList<>();
        List<Map<String, Double>> second = new ArrayList<>();
        try (WarcraftSession session =
                new WarcraftSession(tiny(WarcraftMethod.IMLE_CENTRAL), data, new DijkstraSolver(), null)) {
            session.run(row -> first.add(withoutTime(row)));
        }
        try (WarcraftSession session =
                new WarcraftSession(tiny(WarcraftMethod.IMLE_CENTRAL), data, new DijkstraSolver(), null)) {
            session.run(row -> second.add(withoutTime(row)));
        }
        assertEquals(first, second);
    }

    @ParameterizedTest
    @EnumSource(
            value = WarcraftMethod.class,
            names = {"AIMLE_CENTRAL", "FENCHEL_YOUNG"})
    void aResumedSessionContinuesWithTheSameNumbers(WarcraftMethod method) throws IOException {
        WarcraftSpec spec = tiny(method).withBudget(3, 8, 0);
        List<Map<String, Double>> straight = new ArrayList<>();
        try (WarcraftSession session = new WarcraftSession(spec, data, new DijkstraSolver(), null)) {
            session.run(row -> straight.add(withoutTime(row)));
        }
        Path checkpoint = Files.createDirectories(dir.resolve("checkpoint-" + method.id()));
        List<Map<String, Double>> resumed = new ArrayList<>();
        try (WarcraftSession session = new WarcraftSession(spec, data, new DijkstraSolver(), null)) {
            resumed.add(withoutTime(session.trainEpoch()));
            session.save(checkpoint);
        }
        try (WarcraftSession session = new WarcraftSession(spec, data, new DijkstraSolver(), checkpoint)) {
            assertEquals(1, session.epochsDone());
            session.run(row -> resumed.add(withoutTime(row)));
        }
        assertEquals(straight, resumed);
    }

    @Test
    void refusesAMaximisingSolverAndACheckpointOfAnotherMethod() throws IOException {
        MapSolver maximiser = CostSolvers.maximising(new DijkstraSolver());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new WarcraftSession(tiny(WarcraftMethod.DBB), data, maximiser, null));
        assertTrue(e.getMessage().contains("sense MINIMISE"), e.getMessage());
        Path checkpoint = Files.createDirectories(dir.resolve("checkpoint-dbb"));
        try (WarcraftSession session =
                new WarcraftSession(tiny(WarcraftMethod.DBB), data, new DijkstraSolver(), null)) {
            session.save(checkpoint);
        }
        IOException io = assertThrows(
                IOException.class,
                () -> new WarcraftSession(tiny(WarcraftMethod.IMLE_FORWARD), data, new DijkstraSolver(), checkpoint));
        assertTrue(
                io.getMessage().contains("does not fit") || io.getMessage().contains("method 'dbb'"), io.getMessage());
    }

    @Test
    void solverViewsClampAndNegate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] costs = {1, -3, 2, -1};
            NDArray theta = manager.create(costs, new Shape(1, 2, 2));
            MapSolver clamped = CostSolvers.nonNegative(new DijkstraSolver());
            // with -3 and -1 raised to 0 the cheapest path is 0 -> 1 -> 3 or 0 -> 3 (cost 1): the diagonal
            assertArrayEquals(new float[] {1, 0, 0, 1}, clamped.solve(theta).toFloatArray());
            assertArrayEquals(new float[] {1, 0, 0, 1}, clamped.solveOnHost(costs, new Shape(1, 2, 2), manager));
            MapSolver view = CostSolvers.maximising(clamped);
            assertEquals(MapSolver.Sense.MAXIMISE, view.sense());
            NDArray scores = manager.create(new float[] {-1, -5, -5, -1}, new Shape(1, 2, 2));
            assertArrayEquals(new float[] {1, 0, 0, 1}, view.solve(scores).toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> CostSolvers.maximising(view));
        }
    }

    @Test
    void stepTimingReportsEveryRepetition() {
        WarcraftStepTiming.Summary t =
                WarcraftStepTiming.measure(tiny(WarcraftMethod.DBB), data, new DijkstraSolver(), 0, 3);
        assertEquals(3, t.repetitions());
        assertTrue(t.minMillis() > 0 && t.minMillis() <= t.medianMillis(), t.toString());
        assertTrue(t.medianCpuMillis() >= 0, t.toString());
        assertThrows(
                IllegalArgumentException.class,
                () -> WarcraftStepTiming.measure(tiny(WarcraftMethod.DBB), data, new DijkstraSolver(), 0, 0));
    }

    @Test
    void specRefusesBadValuesByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> WarcraftSpec.defaults(WarcraftMethod.DBB).withPerturbation(20, "gumbel", 1));
        assertTrue(e.getMessage().contains("dbb takes no noise"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> WarcraftSpec.defaults(WarcraftMethod.IMLE_FORWARD).withPerturbation(-1, "gumbel", 1));
        assertTrue(e.getMessage().contains("lambda (-1.0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WarcraftMethod.parse("imle"));
        assertTrue(e.getMessage().contains("imle-forward"), e.getMessage());
        assertEquals(WarcraftMethod.AIMLE_CENTRAL, WarcraftMethod.parse("AIMLE-central"));
        WarcraftSpec spec = WarcraftSpec.defaults(WarcraftMethod.STE);
        assertEquals(5e-4, spec.learningRateAfter(29));
        assertEquals(5e-5, spec.learningRateAfter(30), 1e-12);
        assertEquals(5e-6, spec.learningRateAfter(40), 1e-12);
    }
}
