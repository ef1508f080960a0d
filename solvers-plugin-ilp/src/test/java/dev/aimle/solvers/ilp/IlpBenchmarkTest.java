package dev.aimle.solvers.ilp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The benchmark runs and its ILP answers equal its top-k answers (no assertion on time). */
class IlpBenchmarkTest {

    @Test
    void smallRunAgreesWithTopK() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IlpBenchmark.Result r =
                    IlpBenchmark.run(manager, new IlpBenchmark.Options(IlpSolver.Backend.CP_SAT, 20, 4, 8, 2, 2, 9));
            assertTrue(r.agreesWithTopK(), r.describe());
            assertTrue(
                    r.sequentialSolvesPerSecond() > 0
                            && r.parallelSolvesPerSecond() > 0
                            && r.sortTopKSolvesPerSecond() > 0,
                    r.describe());
        }
    }

    @Test
    void hostTopKMatchesTheStableSortReference() {
        int n = 30;
        for (long seed = 0; seed < 20; seed++) {
            float[] theta = IlpSolverTest.gaussian(seed, 3 * n);
            theta[5] = theta[7]; // a tie
            theta[n + 2] = -theta[n + 2];
            float[] z = IlpBenchmark.sortTopK(theta, n, 9);
            for (int row = 0; row < 3; row++) {
                assertArrayEquals(
                        IlpSolverTest.sortTopK(Arrays.copyOfRange(theta, row * n, (row + 1) * n), 9),
                        Arrays.copyOfRange(z, row * n, (row + 1) * n),
                        "seed " + seed + " row " + row);
            }
        }
    }
}
