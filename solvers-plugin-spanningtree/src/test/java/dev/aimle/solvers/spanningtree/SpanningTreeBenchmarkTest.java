package dev.aimle.solvers.spanningtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark runnable: a tiny run, checked for shape, never for time. */
class SpanningTreeBenchmarkTest {

    @Test
    void tinyRunReportsEveryAlgorithmAtBothParallelisms() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SpanningTreeBenchmark.Result r = SpanningTreeBenchmark.run(manager, 4, 5, 1, 3, 42);
            assertEquals(10, r.edges());
            assertEquals(
                    2 * SpanningTreeSolver.Algorithm.values().length,
                    r.measurements().size());
            for (SpanningTreeBenchmark.Measurement m : r.measurements()) {
                assertTrue(m.medianMillis() > 0 && m.instancesPerSecond() > 0, m.toString());
                assertEquals(m.parallelism() == 1, !Double.isNaN(m.hostMedianMillis()), m.toString());
            }
            assertTrue(r.jgraphtBuildShare() > 0 && r.jgraphtBuildShare() < 1, r.toString());
            assertTrue(r.format().contains("jgrapht-kruskal"), r.format());
            assertEquals(0, countOpen(manager), "the benchmark must close its arrays");
        }
    }

    private static int countOpen(NDManager manager) {
        return (int)
                manager.getManagedArrays().stream().filter(a -> !a.isReleased()).count();
    }

    @Test
    void badArgumentsAreRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> SpanningTreeBenchmark.run(manager, 0, 5, 1, 3, 1));
            assertThrows(IllegalArgumentException.class, () -> SpanningTreeBenchmark.run(manager, 4, 1, 1, 3, 1));
        }
    }
}
