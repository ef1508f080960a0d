package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.NoiseDistribution;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gumbel(0, 1) noise: moments, distribution, the Gumbel-max trick, reproducibility, arrays. */
class GumbelNoiseTest {
    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void meanIsEulerGammaAndVarianceIsPiSquaredOverSix() {
        long seed = 2024;
        try (NDManager scope = manager.newSubManager()) {
            NDArray noise = Noise.gumbel().sample(scope, new Shape(500, 400), new SplittableRandom(seed));
            double[] x = Statistics.toDouble(noise.toFloatArray());
            int n = x.length;
            double variance = Math.PI * Math.PI / 6;
            // 5 standard errors; Var(sample variance) ~ (mu4 - sigma^4)/n with excess kurtosis 12/5
            double meanTolerance = 5 * Math.sqrt(variance / n);
            double varianceTolerance = 5 * Math.sqrt(4.4 * variance * variance / n);
            assertEquals(Statistics.EULER_GAMMA, Statistics.mean(x), meanTolerance, "mean, seed " + seed);
            assertEquals(variance, Statistics.variance(x), varianceTolerance, "variance, seed " + seed);
            double ks = Statistics.ksDistance(x, Statistics::gumbelCdf);
            assertTrue(ks < Statistics.ksCritical(n), "KS distance " + ks + " to Gumbel(0,1), seed " + seed);
        }
    }

    @Test
    void perturbedArgmaxIsSoftmaxInExpectation() {
        long seed = 77;
        float[] theta = {1.0f, 0.5f, -0.3f, 2.0f, 0.0f};
        int n = 200_000;
        try (NDManager scope = manager.newSubManager()) {
            NDArray scores = scope.create(theta).reshape(1, theta.length);
            NDArray noise = Noise.gumbel().sample(scope, new Shape(n, theta.length), new SplittableRandom(seed));
            long[] argmax =
                    noise.add(scores).argMax(1).toType(DataType.INT64, false).toLongArray();
            double[] frequency = new double[theta.length];
            for (long a : argmax) {
                frequency[(int) a] += 1.0 / n;
            }
            double normaliser = 0;
            for (float t : theta) {
                normaliser += Math.exp(t);
            }
            for (int i = 0; i < theta.length; i++) {
                double p = Math.exp(theta[i]) / normaliser;
                double tolerance = 5 * Math.sqrt(p * (1 - p) / n);
                assertEquals(p, frequency[i], tolerance, "P(argmax = " + i + "), seed " + seed);
            }
        }
    }

    /** The two-pass fill gives exactly -log E drawn and transformed one value at a time. */
    @Test
    void blockedFillIsTheValueByValueDefinition() {
        for (int size : new int[] {0, 1, 511, 512, 513, 4096}) {
            float[] blocked = new float[size + 3];
            GumbelNoise.fill(new SplittableRandom(size), blocked, 3, size + 3);
            SplittableRandom random = new SplittableRandom(size);
            float[] expected = new float[size + 3];
            for (int i = 3; i < size + 3; i++) {
                double e = random.nextExponential();
                while (e == 0) {
                    e = random.nextExponential();
                }
                expected[i] = (float) -Logarithm.log(e);
            }
            assertArrayEquals(expected, blocked, "size " + size);
        }
    }

    @Test
    void sameSeedSameNumbersDifferentSeedDifferentNumbers() {
        NoiseDistribution gumbel = Noise.gumbel();
        Shape shape = new Shape(37, 300); // several chunks and a partial one
        try (NDManager scope = manager.newSubManager()) {
            float[] a = gumbel.sample(scope, shape, new SplittableRandom(9)).toFloatArray();
            float[] b = gumbel.sample(scope, shape, new SplittableRandom(9)).toFloatArray();
            float[] c = gumbel.sample(scope, shape, new SplittableRandom(10)).toFloatArray();
            assertArrayEquals(a, b, "seed 9 twice");
            assertFalse(Arrays.equals(a, c), "seeds 9 and 10 gave the same numbers");
            SplittableRandom advancing = new SplittableRandom(9);
            float[] first = gumbel.sample(scope, shape, advancing).toFloatArray();
            float[] second = gumbel.sample(scope, shape, advancing).toFloatArray();
            assertArrayEquals(a, first, "seed 9, first call");
            assertFalse(Arrays.equals(first, second), "the generator was not advanced");
        }
    }

    @Test
    void numbersDoNotDependOnTheNumberOfThreads() throws Exception {
        Shape shape = new Shape(128, 400);
        float[] parallel;
        try (NDManager scope = manager.newSubManager()) {
            parallel =
                    Noise.gumbel().sample(scope, shape, new SplittableRandom(4)).toFloatArray();
        }
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            // a parallel stream started inside a pool runs in that pool: here on one thread
            float[] sequential = single.submit(() -> {
                        try (NDManager scope = manager.newSubManager()) {
                            return Noise.gumbel()
                                    .sample(scope, shape, new SplittableRandom(4))
                                    .toFloatArray();
                        }
                    })
                    .get();
            assertArrayEquals(parallel, sequential, "seed 4, one thread vs the common pool");
        } finally {
            single.shutdown();
        }
    }

    @Test
    void resultIsFloat32OfTheShapeOnTheManagersDevice() {
        try (NDManager scope = manager.newSubManager()) {
            for (Shape shape : new Shape[] {new Shape(3, 4, 5), new Shape(0, 7), new Shape()}) {
                NDArray noise = Noise.gumbel().sample(scope, shape, new SplittableRandom(1));
                assertEquals(DataType.FLOAT32, noise.getDataType(), "dtype for " + shape);
                assertEquals(shape, noise.getShape());
                assertEquals(scope.getDevice(), noise.getDevice());
                assertSame(scope, noise.getManager(), "owned by the given manager");
                for (float v : noise.toFloatArray()) {
                    assertTrue(Float.isFinite(v), "Gumbel drew " + v);
                }
            }
        }
    }

    @Test
    void rejectsUnknownDimensions() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Noise.gumbel().sample(manager, new Shape(-1, 3), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("(-1, 3)"), e.getMessage());
    }

    @Test
    void isAValue() {
        assertEquals(Noise.gumbel(), Noise.gumbel());
        assertEquals("gumbel", Noise.gumbel().name());
    }
}
