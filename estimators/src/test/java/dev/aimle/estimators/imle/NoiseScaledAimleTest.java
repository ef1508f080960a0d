package dev.aimle.estimators.imle;

import static dev.aimle.estimators.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NoiseScaledAimleTest {
    /** The standard deviation of a standard Gumbel variable, pi / sqrt(6). */
    private static final double GUMBEL_DEVIATION = Math.PI / Math.sqrt(6);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** dL/dz for [B*S, n] states with the first sample row all zero (an inactive row). */
    private NDArray dyWithAZeroRow(Shape shape, long seed) {
        float[] v = gaussian(manager, seed, shape).toFloatArray();
        for (int j = 0; j < shape.get(1); j++) {
            v[j] = 0;
        }
        return manager.create(v, shape);
    }

    private static double rmsOfNonZeros(float[] values) {
        double squares = 0;
        long count = 0;
        for (float v : values) {
            if (v != 0) {
                squares += (double) v * v;
                count++;
            }
        }
        return Math.sqrt(squares / count);
    }

    @Test
    void lambdaIsTheShiftInNoiseDeviationsOverTheRmsOfTheNonZeroDownstreamGradient() {
        int samples = 3;
        double tau = 0.5;
        Perturbation p = new Perturbation(new TopKSolver(1), Noise.gumbel(), samples, 1, tau);
        for (String difference : new String[] {"forward", "central"}) {
            NoiseScaledAimle e = NoiseScaledAimle.of(difference);
            Sample sample = e.forward(gaussian(manager, 1, new Shape(4, 6)), null, p, new SplittableRandom(2));
            NDArray dy = dyWithAZeroRow(sample.z().getShape(), 3);
            e.backward(sample, Downstream.ofGradient(dy));
            // The spread is measured on 65,536 draws: its relative standard error for a Gumbel
            // variable (excess kurtosis 2.4) is sqrt((2.4 + 2) / (4 * 65536)) = 0.4 %; 2 % is 5 of them.
            double expected = e.shift(samples) * tau * GUMBEL_DEVIATION / rmsOfNonZeros(dy.toFloatArray());
            assertEquals(expected, e.lastLambda(), 0.02 * expected, difference);
        }
    }

    @Test
    void theStepIsKappaTimesSToTheMinusOneThirdWithThePresetsKappas() {
        NoiseScaledAimle forward = NoiseScaledAimle.of("forward");
        NoiseScaledAimle central = NoiseScaledAimle.of("central");
        assertEquals(0.1, forward.shift(1), 0);
        assertEquals(3.0, central.shift(1), 0);
        assertEquals(0.05, forward.shift(8), 1e-12);
        assertEquals(0.3, central.shift(1000), 1e-12);
        NoiseScaledAimle custom =
                NoiseScaledAimle.builder().kappa(5).exponent(0.5).build();
        assertEquals(0.5, custom.shift(100), 1e-12);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> forward.shift(0));
        assertEquals("samples (0) must be at least 1", bad.getMessage());
        bad = assertThrows(
                IllegalArgumentException.class, () -> NoiseScaledAimle.builder().kappa(0));
        assertEquals("kappa (0.0) must be a finite number above 0", bad.getMessage());
        bad = assertThrows(
                IllegalArgumentException.class, () -> NoiseScaledAimle.builder().exponent(-1));
        assertEquals("exponent (-1.0) must be a finite number at least 0", bad.getMessage());
    }

    @Test
    void theEstimateIsImlesWithThatLambda() {
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.sumOfGamma(2), 2);
        for (String difference : new String[] {"forward", "central"}) {
            // a shift of two noise deviations, so that some states change with either difference
            NoiseScaledAimle e =
                    NoiseScaledAimle.builder().difference(difference).kappa(2).build();
            Sample sample = e.forward(gaussian(manager, 4, new Shape(5, 7)), null, p, new SplittableRandom(5));
            NDArray dy = gaussian(manager, 6, sample.z().getShape());
            float[] got = e.backward(sample, Downstream.ofGradient(dy)).toFloatArray();
            Imle imle =
                    Imle.builder().lambda(e.lastLambda()).difference(difference).build();
            float[] expected = imle.backward(sample, Downstream.ofGradient(dy)).toFloatArray();
            assertArrayEquals(expected, got, 0f, difference);
            assertTrue(nonZeros(got) > 0, "a step this size should change some states: " + difference);
        }
    }

    @Test
    void scalingTheLossScalesTheEstimateAndLeavesTheTargetsWhereTheyWere() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 4);
        for (String difference : new String[] {"forward", "central"}) {
            NoiseScaledAimle e = NoiseScaledAimle.of(difference);
            Sample sample = e.forward(gaussian(manager, 7, new Shape(6, 5)), null, p, new SplittableRandom(8));
            float[] dyValues = gaussian(manager, 9, sample.z().getShape()).toFloatArray();
            float[] scaledValues = new float[dyValues.length];
            for (int i = 0; i < dyValues.length; i++) {
                scaledValues[i] = dyValues[i] * 8; // a power of two: the scaled values are exact
            }
            NDArray dy = manager.create(dyValues, sample.z().getShape());
            NDArray scaled = manager.create(scaledValues, sample.z().getShape());
            float[] g = e.backward(sample, Downstream.ofGradient(dy)).toFloatArray();
            double lambda = e.lastLambda();
            float[] g8 = e.backward(sample, Downstream.ofGradient(scaled)).toFloatArray();
            assertEquals(lambda / 8, e.lastLambda(), 1e-6 * lambda, difference);
            for (int i = 0; i < g.length; i++) {
                assertEquals(8 * g[i], g8[i], 1e-4 * (1 + Math.abs(8 * g[i])), difference + " entry " + i);
            }
        }
    }

    @Test
    void aTargetWithoutNoiseHasNoScaleAndIsRefused() {
        NoiseScaledAimle e = NoiseScaledAimle.of("forward");
        Perturbation noTemperature = new Perturbation(new TopKSolver(1), Noise.gumbel(), 1, 1, 0);
        Sample sample = e.forward(gaussian(manager, 10, new Shape(2, 4)), null, noTemperature, new SplittableRandom(1));
        IllegalStateException bad = assertThrows(
                IllegalStateException.class,
                () -> e.backward(
                        sample,
                        Downstream.ofGradient(gaussian(manager, 11, sample.z().getShape()))));
        assertTrue(
                bad.getMessage().contains("spread is 0.0 (target temperature 0.0, noise 'gumbel')"), bad.getMessage());
        Perturbation none = Perturbation.of(new TopKSolver(1), Noise.none(), 1);
        Sample noiseless = e.forward(gaussian(manager, 10, new Shape(2, 4)), null, none, new SplittableRandom(1));
        bad = assertThrows(
                IllegalStateException.class,
                () -> e.backward(
                        noiseless,
                        Downstream.ofGradient(
                                gaussian(manager, 11, noiseless.z().getShape()))));
        assertTrue(bad.getMessage().contains("noise 'none'"), bad.getMessage());
    }

    @Test
    void noDownstreamGradientGivesAZeroEstimate() {
        NoiseScaledAimle e = NoiseScaledAimle.of("central");
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 2);
        Sample sample = e.forward(gaussian(manager, 12, new Shape(3, 4)), null, p, new SplittableRandom(3));
        float[] g = e.backward(
                        sample, Downstream.ofGradient(manager.zeros(sample.z().getShape())))
                .toFloatArray();
        assertEquals(0, nonZeros(g));
        assertEquals(0.0, e.lastLambda());
    }

    @Test
    void hostAndEnginePathsAgree() {
        Perturbation[] settings = {
            Perturbation.of(new TopKSolver(1), Noise.gumbel(), 2),
            new Perturbation(new TopKSolver(3), Noise.sumOfGamma(3), 1, 1, 0.5)
        };
        for (Perturbation p : settings) {
            for (String difference : new String[] {"forward", "central"}) {
                NoiseScaledAimle host =
                        NoiseScaledAimle.builder().difference(difference).build();
                NoiseScaledAimle engine = NoiseScaledAimle.builder()
                        .difference(difference)
                        .hostArithmetic(false)
                        .build();
                NDArray theta = gaussian(manager, 13, new Shape(5, 8));
                Sample a = host.forward(theta, null, p, new SplittableRandom(14));
                Sample b = engine.forward(theta, null, p, new SplittableRandom(14));
                NDArray dy = dyWithAZeroRow(a.z().getShape(), 15);
                float[] ga = host.backward(a, Downstream.ofGradient(dy)).toFloatArray();
                float[] gb = engine.backward(b, Downstream.ofGradient(dy)).toFloatArray();
                String where = difference + ", " + p;
                assertEquals(engine.lastLambda(), host.lastLambda(), 1e-6 * engine.lastLambda(), where);
                assertArrayEquals(gb, ga, 1e-4f, where);
            }
        }
    }

    /** Gumbel noise that counts the draws of the spread's size. */
    private static final class CountingNoise implements NoiseDistribution {
        private final NoiseDistribution gumbel = Noise.gumbel();
        int spreadDraws;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public NDArray sample(NDManager manager, Shape shape, RandomGenerator random) {
            if (shape.size() == NoiseScaledAimle.SPREAD_DRAWS) {
                spreadDraws++;
            }
            return gumbel.sample(manager, shape, random);
        }
    }

    @Test
    void theNoisesSpreadIsMeasuredOnceForADistributionAndAgainForAnother() {
        NoiseScaledAimle e = NoiseScaledAimle.of("central");
        CountingNoise first = new CountingNoise();
        CountingNoise second = new CountingNoise();
        double[] lambdas = new double[3];
        CountingNoise[] order = {first, first, second};
        for (int step = 0; step < 3; step++) {
            Perturbation p = Perturbation.of(new TopKSolver(1), order[step], 2);
            Sample sample = e.forward(gaussian(manager, 18, new Shape(3, 5)), null, p, new SplittableRandom(step));
            e.backward(
                    sample,
                    Downstream.ofGradient(gaussian(manager, 19, sample.z().getShape())));
            lambdas[step] = e.lastLambda();
        }
        assertEquals(1, first.spreadDraws, "two passes with one distribution measure it once");
        assertEquals(1, second.spreadDraws, "another distribution is measured for itself");
        // the same seed for the spread's draws: equal spreads, so the same dy gives the same lambda
        assertEquals(lambdas[0], lambdas[2], 0);
    }

    @Test
    void theStateIsTheLastLambdaOnly() {
        NoiseScaledAimle e = NoiseScaledAimle.of("forward");
        assertEquals(Map.of(), e.state());
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 1);
        Sample sample = e.forward(gaussian(manager, 16, new Shape(2, 5)), null, p, new SplittableRandom(4));
        e.backward(
                sample, Downstream.ofGradient(gaussian(manager, 17, sample.z().getShape())));
        Map<String, Double> state = e.state();
        assertEquals(Map.of("lastLambda", e.lastLambda()), state);
        NoiseScaledAimle resumed = NoiseScaledAimle.of("forward");
        resumed.restoreState(state);
        assertEquals(state, resumed.state());
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> resumed.restoreState(Map.of("alpha", 1.0)));
        assertEquals("noise-scaled AIMLE keeps only 'lastLambda', got state key 'alpha'", bad.getMessage());
    }

    @Test
    void theProviderGivesThePresetAndRefusesWhatItChoosesItself() {
        GradientEstimator e =
                new AimleProvider().create(Config.of(Map.of("preset", "noise-scaled", "difference", "central")));
        NoiseScaledAimle preset = assertInstanceOf(NoiseScaledAimle.class, e);
        assertEquals("aimle", e.name());
        assertEquals(3.0, preset.kappa());
        assertTrue(e.toString().startsWith("AIMLE noise-scaled(central, kappa=3.0, p=0.333)"), e.toString());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> new AimleProvider().create(Config.of(Map.of("preset", "noise-scaled", "target", 1))));
        assertTrue(bad.getMessage().contains("does not accept parameter 'target'"), bad.getMessage());
    }

    private static long nonZeros(float[] values) {
        long count = 0;
        for (float v : values) {
            count += v != 0 ? 1 : 0;
        }
        return count;
    }
}
