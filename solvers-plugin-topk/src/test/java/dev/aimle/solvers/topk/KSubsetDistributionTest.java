package dev.aimle.solvers.topk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.TractableDistribution;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KSubsetDistribution} against brute-force enumeration of all k-subsets, the closed forms for
 * k = 1 (log-sum-exp, softmax), and sampling frequencies.
 *
 * <p>Tolerances: log-partitions are float32 results of a double computation, compared with a
 * relative tolerance of {@code 1e-6} (absolute {@code 1e-5} below 10); marginals with an absolute
 * tolerance of {@code 1e-6}; sampling frequencies within five standard errors
 * {@code 5 * sqrt(p (1 - p) / N)} (plus {@code 1e-3}), for a fixed seed.
 */
class KSubsetDistributionTest {
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Exact quantities of one row by enumerating every k-subset, in double. */
    private record Enumerated(double logPartition, double[] marginals, double[] probabilities, int[] masks) {
        static Enumerated of(float[] theta, int k) {
            int n = theta.length;
            int count = 0;
            for (int mask = 0; mask < 1 << n; mask++) {
                if (Integer.bitCount(mask) == k) {
                    count++;
                }
            }
            int[] masks = new int[count];
            double[] energies = new double[count];
            double max = Double.NEGATIVE_INFINITY;
            int c = 0;
            for (int mask = 0; mask < 1 << n; mask++) {
                if (Integer.bitCount(mask) == k) {
                    double e = 0;
                    for (int i = 0; i < n; i++) {
                        if ((mask >>> i & 1) == 1) {
                            e += theta[i];
                        }
                    }
                    masks[c] = mask;
                    energies[c++] = e;
                    max = Math.max(max, e);
                }
            }
            double sum = 0;
            for (double e : energies) {
                sum += Math.exp(e - max);
            }
            double logZ = max + Math.log(sum);
            double[] p = new double[count];
            double[] mu = new double[n];
            for (int s = 0; s < count; s++) {
                p[s] = Math.exp(energies[s] - logZ);
                for (int i = 0; i < n; i++) {
                    if ((masks[s] >>> i & 1) == 1) {
                        mu[i] += p[s];
                    }
                }
            }
            return new Enumerated(logZ, mu, p, masks);
        }
    }

    private static void assertLogPartition(double expected, float actual, String message) {
        double tolerance = Math.max(1e-5, 1e-6 * Math.abs(expected));
        assertEquals(expected, actual, tolerance, message);
    }

    @Test
    void matchesEnumerationOfAllKSubsets() {
        for (int n : new int[] {1, 2, 5, 8, 10}) {
            for (int k = 1; k <= n; k++) {
                long seed = 1000L * n + k;
                int batch = 3;
                float[] scores = Reference.gaussian(seed, batch * n);
                for (int i = 0; i < scores.length; i++) {
                    scores[i] *= 2; // a wider spread than N(0, 1)
                }
                NDArray theta = manager.create(scores, new Shape(batch, n));
                KSubsetDistribution d = new KSubsetDistribution(k);
                float[] a = d.logPartition(theta).toFloatArray();
                float[] mu = d.marginals(theta).toFloatArray();
                for (int b = 0; b < batch; b++) {
                    Enumerated exact = Enumerated.of(Arrays.copyOfRange(scores, b * n, (b + 1) * n), k);
                    String where = "seed " + seed + ", n " + n + ", k " + k + ", row " + b;
                    assertLogPartition(exact.logPartition(), a[b], where + ": log-partition");
                    for (int i = 0; i < n; i++) {
                        assertEquals(exact.marginals()[i], mu[b * n + i], 1e-6, where + ": marginal " + i);
                    }
                }
            }
        }
    }

    @Test
    void kEqualsOneIsLogSumExpAndSoftmax() {
        long seed = 31;
        int n = 9;
        float[] scores = Reference.gaussian(seed, 4 * n);
        NDArray theta = manager.create(scores, new Shape(4, n));
        KSubsetDistribution d = new KSubsetDistribution(1);
        float[] a = d.logPartition(theta).toFloatArray();
        float[] mu = d.marginals(theta).toFloatArray();
        for (int b = 0; b < 4; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, scores[b * n + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(scores[b * n + i] - max);
            }
            double lse = max + Math.log(sum);
            assertLogPartition(lse, a[b], "seed " + seed + " row " + b + ": log-sum-exp");
            for (int i = 0; i < n; i++) {
                assertEquals(
                        Math.exp(scores[b * n + i] - lse),
                        mu[b * n + i],
                        1e-6,
                        "seed " + seed + " row " + b + ": softmax " + i);
            }
        }
    }

    @Test
    void kEqualsOneSamplesTheCategorical() {
        long seed = 32;
        float[] row = {0.5f, -1f, 2f, 0f, 1f};
        int samples = 20_000;
        double[] counts = frequencies(row, 1, samples, seed);
        double[] softmax = Enumerated.of(row, 1).marginals();
        for (int i = 0; i < row.length; i++) {
            assertWithinStandardErrors(
                    softmax[i], counts[i] / samples, samples, "seed " + seed + ": frequency of category " + i);
        }
    }

    @Test
    void samplesHaveKOnesAndTheExactSubsetFrequencies() {
        long seed = 33;
        float[] row = Reference.gaussian(seed, 6);
        int k = 3;
        int samples = 20_000;
        float[] repeated = new float[samples * row.length];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(row, 0, repeated, s * row.length, row.length);
        }
        float[] z = new KSubsetDistribution(k)
                .sample(manager.create(repeated, new Shape(samples, row.length)), new SplittableRandom(seed))
                .toFloatArray();
        Enumerated exact = Enumerated.of(row, k);
        Map<Integer, Integer> subsetCounts = new HashMap<>();
        double[] itemCounts = new double[row.length];
        for (int s = 0; s < samples; s++) {
            int mask = 0;
            for (int i = 0; i < row.length; i++) {
                float v = z[s * row.length + i];
                assertTrue(v == 0f || v == 1f, "sample value " + v);
                if (v == 1f) {
                    mask |= 1 << i;
                    itemCounts[i]++;
                }
            }
            assertEquals(k, Integer.bitCount(mask), "seed " + seed + ": ones in sample " + s);
            subsetCounts.merge(mask, 1, Integer::sum);
        }
        for (int i = 0; i < row.length; i++) {
            assertWithinStandardErrors(
                    exact.marginals()[i],
                    itemCounts[i] / samples,
                    samples,
                    "seed " + seed + ": frequency of item " + i + " vs its marginal");
        }
        for (int s = 0; s < exact.masks().length; s++) {
            double observed = subsetCounts.getOrDefault(exact.masks()[s], 0) / (double) samples;
            assertWithinStandardErrors(
                    exact.probabilities()[s],
                    observed,
                    samples,
                    "seed " + seed + ": frequency of subset " + Integer.toBinaryString(exact.masks()[s]));
        }
    }

    private double[] frequencies(float[] row, int k, int samples, long seed) {
        float[] repeated = new float[samples * row.length];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(row, 0, repeated, s * row.length, row.length);
        }
        float[] z = new KSubsetDistribution(k)
                .sample(manager.create(repeated, new Shape(samples, row.length)), new SplittableRandom(seed))
                .toFloatArray();
        double[] counts = new double[row.length];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < row.length; i++) {
                counts[i] += z[s * row.length + i];
            }
        }
        return counts;
    }

    private static void assertWithinStandardErrors(double p, double observed, int samples, String message) {
        double tolerance = 5 * Math.sqrt(p * (1 - p) / samples) + 1e-3;
        assertEquals(p, observed, tolerance, message + " (tolerance 5 standard errors = " + tolerance + ")");
    }

    @Test
    void samplingIsReproducibleFromTheGeneratorState() {
        NDArray theta = manager.create(Reference.gaussian(34, 8 * 20 * 20), new Shape(8, 20, 20));
        KSubsetDistribution d = new KSubsetDistribution(10);
        float[] first = d.sample(theta, new SplittableRandom(34)).toFloatArray();
        assertArrayEquals(first, d.sample(theta, new SplittableRandom(34)).toFloatArray(), "seed 34");
        for (int r = 0; r < 8 * 20; r++) {
            float ones = 0;
            for (int i = 0; i < 20; i++) {
                ones += first[r * 20 + i];
            }
            assertEquals(10f, ones, "seed 34: ones in row " + r);
        }
    }

    @Test
    void rowsOfTheLastAxisAreIndependent() {
        long seed = 35;
        int r = 3;
        int n = 7;
        int k = 2;
        float[] scores = Reference.gaussian(seed, 2 * r * n);
        NDArray theta = manager.create(scores, new Shape(2, r, n));
        KSubsetDistribution d = new KSubsetDistribution(k);
        NDArray a = d.logPartition(theta);
        assertEquals(new Shape(2), a.getShape(), "log-partition is per batch element");
        float[] mu = d.marginals(theta).toFloatArray();
        for (int b = 0; b < 2; b++) {
            double sum = 0;
            for (int row = 0; row < r; row++) {
                int offset = (b * r + row) * n;
                Enumerated exact = Enumerated.of(Arrays.copyOfRange(scores, offset, offset + n), k);
                sum += exact.logPartition();
                for (int i = 0; i < n; i++) {
                    assertEquals(
                            exact.marginals()[i],
                            mu[offset + i],
                            1e-6,
                            "seed " + seed + ", batch " + b + ", row " + row + ", marginal " + i);
                }
            }
            assertLogPartition(sum, a.toFloatArray()[b], "seed " + seed + ", batch " + b);
        }
    }

    @Test
    void logProbabilityOfASampleMatchesEnumeration() {
        long seed = 36;
        float[] row = Reference.gaussian(seed, 8);
        NDArray theta = manager.create(row, new Shape(1, 8));
        TractableDistribution d = new TopKSolver(3).distribution().orElseThrow();
        NDArray z = d.sample(theta, new SplittableRandom(seed));
        float[] zs = z.toFloatArray();
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            mask |= zs[i] == 1f ? 1 << i : 0;
        }
        Enumerated exact = Enumerated.of(row, 3);
        double expected = Double.NaN;
        for (int s = 0; s < exact.masks().length; s++) {
            if (exact.masks()[s] == mask) {
                expected = Math.log(exact.probabilities()[s]);
            }
        }
        assertEquals(expected, d.logProbability(theta, z).toFloatArray()[0], 1e-5, "seed " + seed);
    }

    @Test
    void extremeScoresStayFinite() {
        // A(theta + c) = A(theta) + k c and mu(theta + c) = mu(theta): exact identities of the family.
        long seed = 37;
        int n = 40;
        int k = 7;
        float[] scores = Reference.gaussian(seed, n);
        float[] shiftedUp = new float[n];
        float[] scaled = new float[n];
        for (int i = 0; i < n; i++) {
            shiftedUp[i] = scores[i] + 5000f;
            scaled[i] = 300f * ((i * 17) % n - n / 2); // distinct, 300 apart
        }
        KSubsetDistribution d = new KSubsetDistribution(k);
        float a = d.logPartition(manager.create(scores, new Shape(1, n))).toFloatArray()[0];
        float aUp = d.logPartition(manager.create(shiftedUp, new Shape(1, n))).toFloatArray()[0];
        assertEquals(a + 5000.0 * k, aUp, 0.05, "seed " + seed + ": shift by 5000");
        float[] mu = d.marginals(manager.create(scores, new Shape(1, n))).toFloatArray();
        float[] muUp = d.marginals(manager.create(shiftedUp, new Shape(1, n))).toFloatArray();
        for (int i = 0; i < n; i++) {
            assertEquals(mu[i], muUp[i], 1e-3, "seed " + seed + ": marginal " + i + " after the shift");
        }
        float[] muScaled = d.marginals(manager.create(scaled, new Shape(1, n))).toFloatArray();
        float[] map = Reference.topK(scaled, n, k);
        for (int i = 0; i < n; i++) {
            assertTrue(Float.isFinite(muScaled[i]), "seed " + seed + ": finite marginal " + i);
            assertEquals(map[i], muScaled[i], 1e-3, "scores 300 apart concentrate on the MAP, item " + i);
        }
    }

    @Test
    void badInputIsRejectedLikeTheSolver() {
        KSubsetDistribution d = new KSubsetDistribution(4);
        IllegalArgumentException k =
                assertThrows(IllegalArgumentException.class, () -> d.logPartition(manager.zeros(new Shape(2, 3))));
        assertEquals("k (4) must be between 1 and the instance size (3)", k.getMessage());
        float[] v = {0, 1, Float.POSITIVE_INFINITY, 2, 3, 4, 5, 6};
        IllegalArgumentException inf =
                assertThrows(IllegalArgumentException.class, () -> d.marginals(manager.create(v, new Shape(1, 8))));
        assertEquals("theta[0, 2] is Infinity; all values must be finite (shape (1, 8))", inf.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> d.sample(manager.zeros(new Shape(8)), new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new KSubsetDistribution(0));
    }

    @Test
    void resultsBelongToThetasManager() {
        try (NDManager caller = manager.newSubManager()) {
            NDArray theta = caller.create(Reference.gaussian(38, 12), new Shape(3, 4));
            KSubsetDistribution d = new KSubsetDistribution(2);
            int before = caller.getManagedArrays().size();
            NDArray a = d.logPartition(theta);
            NDArray mu = d.marginals(theta);
            NDArray z = d.sample(theta, new SplittableRandom(38));
            for (NDArray x : new NDArray[] {a, mu, z}) {
                assertEquals(caller, x.getManager());
                assertEquals(theta.getDevice(), x.getDevice());
                assertEquals(DataType.FLOAT32, x.getDataType());
            }
            assertEquals(before + 3, caller.getManagedArrays().size(), "only the three results are added");
        }
    }
}
