package dev.aimle.solvers.ilp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ilp} provider: discovery, configuration, and its errors. */
class IlpSolverProviderTest {

    private static Path writeProblem(Path dir) throws IOException {
        Path file = dir.resolve("card.json");
        Files.writeString(file, IlpProblem.cardinality(6, 2).toJson());
        return file;
    }

    @Test
    void isDiscoveredThroughServiceLoader() {
        ProviderRegistry<MapSolverProvider> registry = ProviderRegistry.fromClasspath(
                "map solver", MapSolverProvider.class, IlpSolverProviderTest.class.getClassLoader());
        assertTrue(registry.names().contains("ilp"), "registered names: " + registry.names());
    }

    @Test
    void createsAConfiguredSolverFromAJsonFile(@TempDir Path dir) throws IOException {
        Path file = writeProblem(dir);
        MapSolver solver = new IlpSolverProvider()
                .create(Config.of(Map.of(
                        "problem", file.toString(), "timeLimitMs", "2500", "backend", "scip", "parallelism", 1)));
        IlpSolver ilp = (IlpSolver) solver;
        assertEquals("ilp", solver.name());
        assertEquals(IlpSolver.Backend.SCIP, ilp.backend());
        assertEquals(2500, ilp.timeLimitMs());
        assertEquals(1, ilp.parallelism());
        assertEquals(IlpProblem.cardinality(6, 2), ilp.problem());
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] z = solver.solve(manager.create(new float[] {0.1f, 0.9f, -1f, 0.5f, 0.2f, 0.3f}, new Shape(1, 6)))
                    .toFloatArray();
            assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, z);
        }
        IlpSolver defaults = (IlpSolver) new IlpSolverProvider().create(Config.of("problem", file.toString()));
        assertEquals(IlpSolver.Backend.CP_SAT, defaults.backend());
        assertEquals(IlpSolver.DEFAULT_TIME_LIMIT_MS, defaults.timeLimitMs());
    }

    @Test
    void unknownKeysAreRejected(@TempDir Path dir) throws IOException {
        Config config = Config.of(Map.of("problem", writeProblem(dir).toString(), "k", 3));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new IlpSolverProvider().create(config));
        assertEquals(
                "solver 'ilp' does not accept parameter 'k'; it accepts [backend, parallelism, problem, timeLimitMs]",
                e.getMessage());
    }

    @Test
    void badParametersAreNamed(@TempDir Path dir) throws IOException {
        IlpSolverProvider provider = new IlpSolverProvider();
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> provider.create(Config.empty()));
        assertTrue(missing.getMessage().startsWith("solver 'ilp' needs parameter 'problem'"), missing.getMessage());
        Path nowhere = dir.resolve("missing.json");
        IllegalArgumentException noFile = assertThrows(
                IllegalArgumentException.class, () -> provider.create(Config.of("problem", nowhere.toString())));
        assertEquals("ILP problem file " + nowhere.toAbsolutePath() + " does not exist", noFile.getMessage());
        String file = writeProblem(dir).toString();
        assertEquals(
                "backend 'cbc' must be one of 'cp-sat', 'scip'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> provider.create(Config.of(Map.of("problem", file, "backend", "cbc"))))
                        .getMessage());
        assertEquals(
                "timeLimitMs (0) must be at least 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> provider.create(Config.of(Map.of("problem", file, "timeLimitMs", 0))))
                        .getMessage());
        assertEquals(
                "parameter 'timeLimitMs' (soon) must be an integer",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> provider.create(Config.of(Map.of("problem", file, "timeLimitMs", "soon"))))
                        .getMessage());
        assertTrue(
                provider.description().contains("problem=")
                        && provider.description().contains("timeLimitMs"),
                provider.description());
    }
}
