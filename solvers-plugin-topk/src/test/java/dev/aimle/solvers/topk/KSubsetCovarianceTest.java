package dev.aimle.solvers.topk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.TractableDistribution;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KSubsetDistribution#covarianceProduct} against the covariance of the enumerated k-subset
 * distribution (in double) and against the SPI's default, finite differences of the marginals.
 *
 * <p>Tolerances: {@code 2e-6 * max(1, max|v|)} absolute against enumeration (float32 results of a
 * double computation); {@code 5e-4 * max|v|} against the finite-difference default, whose error the
 * SPI documents as about {@code 1e-4 * max|v|} for {@code |theta| <= 10}.
 */
class KSubsetCovarianceTest {
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** {@code (Cov v)_i = E[z_i <z, v>] - mu_i <mu, v>} over every k-subset of one row, in double. */
    static double[] enumeratedCovarianceProduct(float[] theta, int offset, int n, int k, float[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) == k) {
                max = Math.max(max, energy(theta, offset, n, mask));
            }
        }
        double z = 0;
        double[] mu = new double[n];
        double[] second = new double[n];
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != k) {
                continue;
            }
            double p = Math.exp(energy(theta, offset, n, mask) - max);
            double zv = 0;
            for (int i = 0; i < n; i++) {
                zv += (mask >>> i & 1) * v[offset + i];
            }
            z += p;
            for (int i = 0; i < n; i++) {
                if ((mask >>> i & 1) == 1) {
                    mu[i] += p;
                    second[i] += p * zv;
                }
            }
        }
        double muV = 0;
        for (int i = 0; i < n; i++) {
            mu[i] /= z;
            second[i] /= z;
            muV += mu[i] * v[offset + i];
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = second[i] - mu[i] * muV;
        }
        return out;
    }

    private static double energy(float[] theta, int offset, int n, int mask) {
        double e = 0;
        for (int i = 0; i < n; i++) {
            if ((mask >>> i & 1) == 1) {
                e += theta[offset + i];
            }
        }
        return e;
    }

    private static float[] uniform(SplittableRandom random, int count, double range) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) random.nextDouble(-range, range);
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(doubles = {3, 50})
    void matchesEnumerationForEveryKAndRowsOfTheLastAxis(double range) {
        int n = 7;
        for (int k = 1; k <= n; k++) {
            long seed = 500 + k;
            SplittableRandom random = new SplittableRandom(seed);
            // [B=2, r=3, n]: six independent rows
            float[] theta = uniform(random, 6 * n, range);
            float[] v = uniform(random, 6 * n, 2);
            float[] cov = new KSubsetDistribution(k)
                    .covarianceProduct(manager.create(theta, new Shape(2, 3, n)), manager.create(v, new Shape(2, 3, n)))
                    .toFloatArray();
            for (int r = 0; r < 6; r++) {
                double[] expected = enumeratedCovarianceProduct(theta, r * n, n, k, v);
                for (int i = 0; i < n; i++) {
                    assertEquals(
                            expected[i],
                            cov[r * n + i],
                            4e-6,
                            "k " + k + ", row " + r + ", item " + i + ", seed " + seed + ", range " + range);
                }
            }
        }
    }

    @Test
    void agreesWithTheSpiDefaultFiniteDifferences() {
        int n = 40;
        for (int k : new int[] {1, 5, 10}) {
            SplittableRandom random = new SplittableRandom(77 + k);
            NDArray theta = manager.create(uniform(random, 8 * n, 4), new Shape(8, n));
            NDArray v = manager.create(uniform(random, 8 * n, 1), new Shape(8, n));
            KSubsetDistribution exact = new KSubsetDistribution(k);
            float[] expected = exact.covarianceProduct(theta, v).toFloatArray();
            float[] approximate =
                    withDefaultCovariance(exact).covarianceProduct(theta, v).toFloatArray();
            double rowSum = 0;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], approximate[i], 5e-4, "k " + k + ", entry " + i + ", seed " + (77 + k));
                rowSum += expected[i];
            }
            // sum z = k is constant, so 1^T Cov v = 0
            assertEquals(0, rowSum, 1e-5, "k " + k);
        }
    }

    @Test
    void zeroDirectionGivesZeroAndShapesAreChecked() {
        KSubsetDistribution d = new KSubsetDistribution(2);
        NDArray theta = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 4));
        NDArray zero = manager.zeros(new Shape(1, 4), DataType.FLOAT32);
        for (float x : d.covarianceProduct(theta, zero).toFloatArray()) {
            assertEquals(0f, x);
        }
        for (float x : withDefaultCovariance(d).covarianceProduct(theta, zero).toFloatArray()) {
            assertEquals(0f, x);
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> d.covarianceProduct(theta, manager.zeros(new Shape(1, 5), DataType.FLOAT32)));
        assertTrue(e.getMessage().contains("(1, 5)") && e.getMessage().contains("(1, 4)"), e.getMessage());
        IllegalArgumentException byDefault = assertThrows(
                IllegalArgumentException.class,
                () -> withDefaultCovariance(d).covarianceProduct(theta, manager.zeros(new Shape(4), DataType.FLOAT32)));
        assertTrue(byDefault.getMessage().contains("must agree"), byDefault.getMessage());
    }

    /** The distribution with only the SPI's default covariance product. */
    static TractableDistribution withDefaultCovariance(TractableDistribution d) {
        return new TractableDistribution() {
            @Override
            public NDArray logPartition(NDArray theta) {
                return d.logPartition(theta);
            }

            @Override
            public NDArray marginals(NDArray theta) {
                return d.marginals(theta);
            }

            @Override
            public NDArray sample(NDArray theta, RandomGenerator random) {
                return d.sample(theta, random);
            }
        };
    }
}
