package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.TrainingLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        WarcraftSpec spec = WarcraftSpec.defaults(method, dir.resolve("data").toString());
        return method == WarcraftMethod.BASELINE ? spec.withBudget(1, 8, 8) : spec.withBudget(2, 8, 0);
    }

    /** Trains {@code spec} in the run directory {@code unit} with the harness's loop; its rows without time and memory. */
    private static List<Map<String, Double>> train(WarcraftSpec spec, Path unit, MapSolver solver) throws IOException {
        RunUnit<WarcraftSpec> run = RunUnit.prepare(
                unit, WarcraftExperiment.NAME, spec, WarcraftExperiment.EPOCHS_CSV, WarcraftExperiment.COLUMNS);
        try (WarcraftSession session = new WarcraftSession(unit, spec, data, solver)) {
            TrainingLoop.run(run, session, new PrintWriter(Writer.nullWriter()));
        }
        List<Map<String, Double>> rows = new ArrayList<>();
        for (Map<String, Double> row : run.results()) {
            Map<String, Double> kept = new LinkedHashMap<>(row);
            kept.remove("seconds");
            kept.remove("rss_mb");
            rows.add(kept);
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(WarcraftMethod.class)
    void everyMethodTrainsAndReportsItsMetrics(WarcraftMethod method) throws IOException {
        DijkstraSolver solver = new DijkstraSolver();
        WarcraftSpec spec = tiny(method);
        Path unit = dir.resolve("every-" + method.id());
        List<Map<String, Double>> rows = train(spec, unit, solver);
        assertEquals(spec.epochs(), rows.size());
        int trained = method == WarcraftMethod.BASELINE ? 8 : 24;
        for (Map<String, Double> row : rows) {
            assertEquals(WarcraftExperiment.COLUMNS.size() - 2, row.size(), row.toString());
            assertEquals(row.get("epoch") * Math.ceil(trained / 8.0), row.get("step"), method + " " + row);
            assertTrue(Double.isFinite(row.get("train_loss")), method + " " + row);
            for (String split : List.of("val", "test")) {
                for (String metric : List.of("perfect_match", "cell_accuracy", "valid")) {
                    double v = row.get(split + "_" + metric);
                    assertTrue(v >= 0 && v <= 1, method + " " + split + "_" + metric + " = " + v);
                }
                assertTrue(Double.isFinite(row.get(split + "_cost_ratio")), method + " " + row);
            }
            if (method != WarcraftMethod.BASELINE) {
                // the solver's suggestions are always paths, so never cheaper than the optimum
                assertEquals(1.0, row.get("val_valid"), method.id());
                assertTrue(row.get("val_cost_ratio") >= 1 - 1e-9, method + " " + row);
            }
        }
        if (method != WarcraftMethod.BASELINE) {
            assertTrue(solver.calls() > 0, method.id());
        } else {
            assertEquals(0, solver.calls(), "the baseline never calls the solver");
        }
        if (method.usesLambda()) {
            assertEquals(20, rows.get(0).get("lambda"));
        }
        // the first test maps drawn with their paths
        assertTrue(Files.size(unit.resolve(WarcraftSession.EXAMPLES_PNG)) > 0, method.id());
    }

    @Test
    void theSameSpecGivesTheSameRows() throws IOException {
        WarcraftSpec spec = tiny(WarcraftMethod.IMLE_CENTRAL);
        assertEquals(
                train(spec, dir.resolve("same-a"), new DijkstraSolver()),
                train(spec, dir.resolve("same-b"), new DijkstraSolver()));
    }

    @ParameterizedTest
    @EnumSource(
            value = WarcraftMethod.class,
            names = {"AIMLE_CENTRAL", "FENCHEL_YOUNG"})
    void aResumedRunContinuesWithTheSameNumbers(WarcraftMethod method) throws IOException {
        // milestone after epoch 1: the resumed run must also pick up Adam's schedule where it was
        WarcraftSpec spec = tiny(method).withBudget(3, 8, 0).withSchedule(5e-4, List.of(1, 2));
        List<Map<String, Double>> straight = train(spec, dir.resolve("straight-" + method.id()), new DijkstraSolver());
        Path unit = dir.resolve("resumed-" + method.id());
        assertEquals(
                1, train(spec.withBudget(1, 8, 0), unit, new DijkstraSolver()).size());
        List<Map<String, Double>> resumed = train(spec, unit, new DijkstraSolver());
        assertEquals(3, straight.size());
        assertEquals(straight, resumed);
    }

    @Test
    void theLearningRateDropsAtTheMilestonesCountedInSteps() throws IOException {
        WarcraftSpec spec = tiny(WarcraftMethod.DBB).withSchedule(1e-3, List.of(1, 2));
        try (WarcraftSession session = new WarcraftSession(null, spec, data, new DijkstraSolver())) {
            assertEquals(3, session.stepsPerEpoch(), "24 maps in batches of 8");
        }
        assertEquals(1e-3, spec.learningRateAfter(0));
        assertEquals(1e-4, spec.learningRateAfter(1), 1e-12);
        assertEquals(1e-5, spec.learningRateAfter(2), 1e-12);
    }

    @Test
    void refusesAMaximisingSolver() {
        MapSolver maximiser = new MapSolver() {
            @Override
            public NDArray solve(NDArray scores) {
                return scores.gte(scores.max()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            }

            @Override
            public String name() {
                return "argmax";
            }
        };
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new WarcraftSession(null, tiny(WarcraftMethod.DBB), data, maximiser));
        assertTrue(e.getMessage().contains("sense MINIMISE"), e.getMessage());
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
                () -> WarcraftSpec.defaults(WarcraftMethod.DBB, "data").withPerturbation(20, "gumbel", 1));
        assertTrue(e.getMessage().contains("dbb takes no noise"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> WarcraftSpec.defaults(WarcraftMethod.IMLE_FORWARD, "data").withPerturbation(-1, "gumbel", 1));
        assertTrue(e.getMessage().contains("lambda (-1.0)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> WarcraftSpec.defaults(WarcraftMethod.STE, "data").withPerturbation(20, "gumbel", 1));
        assertTrue(e.getMessage().contains("lambda (20.0) must be above 0 for ste, 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WarcraftMethod.parse("imle"));
        assertTrue(e.getMessage().contains("imle-forward"), e.getMessage());
        assertEquals(WarcraftMethod.AIMLE_CENTRAL, WarcraftMethod.parse("AIMLE-central"));
        WarcraftSpec spec = WarcraftSpec.defaults(WarcraftMethod.STE, "data");
        assertEquals(5e-4, spec.learningRateAfter(29));
        assertEquals(5e-5, spec.learningRateAfter(30), 1e-12);
        assertEquals(5e-6, spec.learningRateAfter(40), 1e-12);
    }
}
