package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sum-of-Gamma noise against closed forms. A single draw has mean {@code (H_s - log s)/k} and
 * variance {@code (sum_i 1/i^2)/k}; the sum of k independent draws is
 * {@code sum_i Exp(rate i) - log s}, i.e. the maximum of s standard exponentials minus log s, with
 * CDF {@code (1 - e^-x/s)^s}, which tends to the Gumbel CDF as s grows.
 */
class SumOfGammaNoiseTest {
    private static final int N = 200_000;
    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    private static double harmonic(int s) {
        double h = 0;
        for (int i = 1; i <= s; i++) {
            h += 1.0 / i;
        }
        return h;
    }

    private static double harmonicSquares(int s) {
        double h = 0;
        for (int i = 1; i <= s; i++) {
            h += 1.0 / ((double) i * i);
        }
        return h;
    }

    @ParameterizedTest
    @CsvSource({"1,1", "1,10", "5,10", "10,10", "10,100", "3,1"})
    void singleDrawHasTheExactMeanAndVariance(int k, int s) {
        long seed = 100 + 7L * k + s;
        try (NDManager scope = manager.newSubManager()) {
            double[] x = Statistics.toDouble(Noise.sumOfGamma(k, s)
                    .sample(scope, new Shape(N), new SplittableRandom(seed))
                    .toFloatArray());
            double mean = (harmonic(s) - Math.log(s)) / k;
            double variance = harmonicSquares(s) / k;
            // kurtosis of a sum of Gammas is at most that of one Gamma(1/k) term: mu4 <= (3 + 6k) sigma^4
            double meanTolerance = 5 * Math.sqrt(variance / N);
            double varianceTolerance = 5 * Math.sqrt((2 + 6.0 * k) * variance * variance / N);
            String what = "SoG(k=" + k + ", s=" + s + "), seed " + seed;
            assertEquals(mean, Statistics.mean(x), meanTolerance, "mean of " + what);
            assertEquals(variance, Statistics.variance(x), varianceTolerance, "variance of " + what);
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "1,10", "5,1", "5,10", "10,10", "3,100"})
    void sumOfKDrawsIsTheMaximumOfSExponentialsMinusLogS(int k, int s) {
        long seed = 300 + 7L * k + s;
        double[] sums = sumsOfK(k, s, seed);
        String what = "sum of " + k + " SoG(k=" + k + ", s=" + s + ") draws, seed " + seed;
        double mean = harmonic(s) - Math.log(s);
        double variance = harmonicSquares(s);
        assertEquals(mean, Statistics.mean(sums), 5 * Math.sqrt(variance / N), "mean of " + what);
        // excess kurtosis of this sum is at most that of Exp(1), 6
        assertEquals(
                variance, Statistics.variance(sums), 5 * Math.sqrt(8 * variance * variance / N), "variance of " + what);
        double ks = Statistics.ksDistance(sums, x -> Statistics.maxOfExponentialsCdf(x, s));
        assertTrue(ks < Statistics.ksCritical(N), "KS distance " + ks + " to the exact CDF of the " + what);
    }

    @Test
    void sumOfKDrawsApproachesGumbelAsSGrows() {
        int k = 4;
        int n = 100_000;
        int[] terms = {1, 10, 100};
        double[] distance = new double[terms.length];
        for (int j = 0; j < terms.length; j++) {
            distance[j] = Statistics.ksDistance(sumsOfK(k, terms[j], n, 500 + j), Statistics::gumbelCdf);
        }
        String all = "KS distances of sums of " + k + " SoG draws to Gumbel(0,1) for s = " + Arrays.toString(terms)
                + ": " + Arrays.toString(distance) + " (n " + n + ", seeds 500..502)";
        // exact sup |F_s - Gumbel| is 0.37 for s = 1, 0.028 for s = 10, 0.0027 for s = 100;
        // sampling adds at most ksCritical(n) = 0.006
        assertTrue(distance[0] > 0.3, all);
        assertTrue(distance[1] < distance[0] && distance[2] < distance[1], all);
        assertTrue(distance[1] > 0.015 && distance[1] < 0.04, all);
        assertTrue(distance[2] < 0.01, all);
        assertEquals(
                Statistics.EULER_GAMMA,
                harmonic(10_000) - Math.log(10_000),
                1e-4,
                "the mean of the sum, H_s - log s, tends to Euler's gamma");
    }

    private static double[] sumsOfK(int k, int s, long seed) {
        return sumsOfK(k, s, N, seed);
    }

    private static double[] sumsOfK(int k, int s, int n, long seed) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray noise = Noise.sumOfGamma(k, s).sample(scope, new Shape(n, k), new SplittableRandom(seed));
            return Statistics.toDouble(noise.sum(new int[] {1}).toFloatArray());
        }
    }

    @Test
    void sameSeedSameNumbersRegardlessOfThreads() throws Exception {
        Shape shape = new Shape(128, 400);
        try (NDManager scope = manager.newSubManager()) {
            float[] a = Noise.sumOfGamma(10, 10)
                    .sample(scope, shape, new SplittableRandom(8))
                    .toFloatArray();
            float[] b = Noise.sumOfGamma(10, 10)
                    .sample(scope, shape, new SplittableRandom(8))
                    .toFloatArray();
            float[] c = Noise.sumOfGamma(10, 10)
                    .sample(scope, shape, new SplittableRandom(18))
                    .toFloatArray();
            assertArrayEquals(a, b, "seed 8 twice");
            assertFalse(Arrays.equals(a, c), "seeds 8 and 18 gave the same numbers");
            ForkJoinPool single = new ForkJoinPool(1);
            try {
                float[] sequential = single.submit(() -> {
                            try (NDManager inner = manager.newSubManager()) {
                                return Noise.sumOfGamma(10, 10)
                                        .sample(inner, shape, new SplittableRandom(8))
                                        .toFloatArray();
                            }
                        })
                        .get();
                assertArrayEquals(a, sequential, "seed 8, one thread vs the common pool");
            } finally {
                single.shutdown();
            }
        }
    }

    @Test
    void resultIsFloat32OfTheShapeOnTheManagersDevice() {
        try (NDManager scope = manager.newSubManager()) {
            Shape shape = new Shape(2, 3, 4);
            NDArray noise = Noise.sumOfGamma(2, 10).sample(scope, shape, new SplittableRandom(1));
            assertEquals(DataType.FLOAT32, noise.getDataType());
            assertEquals(shape, noise.getShape());
            assertEquals(scope.getDevice(), noise.getDevice());
            assertSame(scope, noise.getManager());
        }
    }

    @Test
    void validatesParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Noise.sumOfGamma(0, 10));
        assertTrue(e.getMessage().contains("k (0) must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Noise.sumOfGamma(5, -2));
        assertTrue(e.getMessage().contains("s (-2) must be at least 1"), e.getMessage());
    }

    @Test
    void isAValue() {
        assertEquals(Noise.sumOfGamma(10, 10), Noise.sumOfGamma(10));
        assertNotEquals(Noise.sumOfGamma(10, 10), Noise.sumOfGamma(10, 11));
        assertEquals("sum-of-gamma", Noise.sumOfGamma(3, 4).name());
        assertEquals("SumOfGamma(k=3, s=4)", Noise.sumOfGamma(3, 4).toString());
    }
}
