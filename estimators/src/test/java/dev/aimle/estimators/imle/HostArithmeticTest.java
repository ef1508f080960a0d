package dev.aimle.estimators.imle;

import static dev.aimle.estimators.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host arithmetic that the Perturb-and-MAP estimators use for CPU arrays gives what the engine
 * path gives: the same states, the same estimates and the same AIMLE state, over several steps, for
 * each difference, S = 1 and 3, both noises, other temperatures and a minimising solver.
 */
class HostArithmeticTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** One estimator configuration, built once per path. */
    private record Variant(String label, Function<Boolean, PerturbAndMapEstimator> build) {}

    private static List<Variant> variants() {
        List<Variant> variants = new ArrayList<>();
        for (FiniteDifference d : FiniteDifference.values()) {
            variants.add(new Variant(
                    "AIMLE " + d.label(),
                    host -> Aimle.builder()
                            .difference(d)
                            .alpha0(1.0)
                            .hostArithmetic(host)
                            .build()));
            variants.add(new Variant(
                    "AIMLE " + d.label() + ", unscaled, eta 0.1",
                    host -> Aimle.builder()
                            .difference(d)
                            .alpha0(0.5)
                            .eta(0.1)
                            .scaleGradient(false)
                            .hostArithmetic(host)
                            .build()));
            variants.add(new Variant(
                    "IMLE " + d.label() + " lambda 3",
                    host -> Imle.builder()
                            .difference(d)
                            .lambda(3)
                            .hostArithmetic(host)
                            .build()));
            // 1 / (2 * lambda) overflows float32: the host path divides instead of multiplying
            variants.add(new Variant(
                    "IMLE " + d.label() + " lambda 1e-39",
                    host -> Imle.builder()
                            .difference(d)
                            .lambda(1e-39)
                            .hostArithmetic(host)
                            .build()));
            variants.add(new Variant(
                    "IMLE " + d.label() + " lambda 0",
                    host -> Imle.builder()
                            .difference(d)
                            .lambda(0)
                            .hostArithmetic(host)
                            .build()));
        }
        variants.add(new Variant("STE", Ste::new));
        return variants;
    }

    @Test
    void hostAndEnginePathsAgree() {
        MapSolver top3 = new TopKSolver(3);
        MapSolver argmin = new Minimising(new TopKSolver(1));
        record Setting(
                String label, MapSolver solver, NoiseDistribution noise, int samples, double tauIn, double tauT) {}
        List<Setting> settings = List.of(
                new Setting("top-3, SoG, S=1", top3, Noise.sumOfGamma(3), 1, 1, 1),
                new Setting("top-3, Gumbel, S=3", top3, Noise.gumbel(), 3, 1, 1),
                new Setting("top-3, Gumbel, S=2, tau 1 / 0.5", top3, Noise.gumbel(), 2, 1, 0.5),
                new Setting("top-3, Gumbel, S=1, tau 0.7 / 0", top3, Noise.gumbel(), 1, 0.7, 0),
                new Setting("argmin, Gumbel, S=2", argmin, Noise.gumbel(), 2, 1, 1));
        long seed = 11;
        for (Setting setting : settings) {
            Perturbation p = new Perturbation(
                    setting.solver(), setting.noise(), setting.samples(), setting.tauIn(), setting.tauT());
            for (Variant v : variants()) {
                PerturbAndMapEstimator host = v.build().apply(true);
                PerturbAndMapEstimator engine = v.build().apply(false);
                String where = v.label() + ", " + setting.label() + ", seed " + seed;
                for (int step = 0; step < 4; step++) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray theta = gaussian(scope, seed + step, new Shape(5, 3, 8));
                        Sample a = host.forward(theta, null, p, new SplittableRandom(seed + 100 + step));
                        Sample b = engine.forward(theta, null, p, new SplittableRandom(seed + 100 + step));
                        assertArrayEquals(b.z().toFloatArray(), a.z().toFloatArray(), "states, " + where);
                        assertArrayEquals(b.noise().toFloatArray(), a.noise().toFloatArray(), "noise, " + where);
                        NDArray dy = gaussian(scope, seed + 1000 + step, a.z().getShape());
                        float[] ga = host.backward(a, Downstream.ofGradient(dy)).toFloatArray();
                        float[] gb =
                                engine.backward(b, Downstream.ofGradient(dy)).toFloatArray();
                        // the norms are summed in double on the host, in float32 in the engine
                        assertArrayEquals(gb, ga, 1e-5f * (1 + max(gb)), "estimate at step " + step + ", " + where);
                        assertEquals(engine.state().keySet(), host.state().keySet(), where);
                        for (String key : engine.state().keySet()) {
                            double e = engine.state().get(key);
                            assertEquals(e, host.state().get(key), 1e-6 * (1 + Math.abs(e)), key + ", " + where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void hostAndEnginePathsAgreeOnInputsSplitOverThreads() {
        // [16, 3, 400] with S = 2 is 38,400 sample values, above the size from which the host passes
        // (perturbing, targets, difference) run in row chunks on the common pool.
        Shape shape = new Shape(16, 3, 400);
        assertTrue(2 * shape.size() >= HostKernel.PARALLEL_FROM, "should exercise the chunks");
        Perturbation p = new Perturbation(new TopKSolver(10), Noise.gumbel(), 2, 1, 0.5);
        for (Variant v : variants()) {
            PerturbAndMapEstimator host = v.build().apply(true);
            PerturbAndMapEstimator engine = v.build().apply(false);
            for (int step = 0; step < 2; step++) {
                String where = v.label() + ", [16, 3, 400], S = 2, step " + step;
                try (NDManager scope = manager.newSubManager()) {
                    NDArray theta = gaussian(scope, 70 + step, shape);
                    Sample a = host.forward(theta, null, p, new SplittableRandom(170 + step));
                    Sample b = engine.forward(theta, null, p, new SplittableRandom(170 + step));
                    assertArrayEquals(b.z().toFloatArray(), a.z().toFloatArray(), "states, " + where);
                    NDArray dy = gaussian(scope, 270 + step, a.z().getShape());
                    float[] ga = host.backward(a, Downstream.ofGradient(dy)).toFloatArray();
                    float[] gb = engine.backward(b, Downstream.ofGradient(dy)).toFloatArray();
                    assertArrayEquals(gb, ga, 1e-5f * (1 + max(gb)), "estimate, " + where);
                    for (String key : engine.state().keySet()) {
                        double e = engine.state().get(key);
                        assertEquals(e, host.state().get(key), 1e-6 * (1 + Math.abs(e)), key + ", " + where);
                    }
                }
            }
        }
    }

    @Test
    void perturbedScoresAreThetaRepeatedPlusScaledNoiseBitForBit() {
        // Every branch of the loops: S = 1 (one flat loop), S = 3 (a loop per row), no noise (a copy),
        // on rows of 20 and 400, below and above the size split over the pool's threads.
        SplittableRandom random = new SplittableRandom(5);
        for (int[] size : new int[][] {{7, 20}, {128, 400}}) {
            int rows = size[0];
            int m = size[1];
            float[] theta = new float[rows * m];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = (float) random.nextGaussian();
            }
            for (int samples : new int[] {1, 3}) {
                float[] eps = new float[theta.length * samples];
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (float) random.nextGaussian();
                }
                float tau = 0.7f;
                float[] expected = new float[eps.length];
                float[] copies = new float[eps.length];
                for (int b = 0; b < rows; b++) {
                    for (int s = 0; s < samples; s++) {
                        for (int j = 0; j < m; j++) {
                            int i = (b * samples + s) * m + j;
                            float scaled = eps[i] * tau; // rounded to float32, as the engine's product
                            expected[i] = theta[b * m + j] + scaled;
                            copies[i] = theta[b * m + j];
                        }
                    }
                }
                String where = rows + " rows of " + m + ", S = " + samples;
                assertArrayEquals(expected, HostKernel.perturbed(theta, rows, samples, eps, tau), where);
                assertArrayEquals(copies, HostKernel.perturbed(theta, rows, samples, null, tau), where + ", no noise");
            }
        }
    }

    @Test
    void theHostFinitenessCheckIsTheSumOfSquares() {
        Shape shape = new Shape(1, 3);
        double max = Float.MAX_VALUE;
        assertEquals(
                2 * max * max + 4,
                HostKernel.finiteSumOfSquares("x", new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 2}, shape),
                0.0,
                "the largest finite values pass and their squares are summed in double");
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> HostKernel.finiteSumOfSquares("x", new float[] {1, bad, 2}, shape));
            assertEquals("x[0, 1] is " + bad + "; all values must be finite (shape (1, 3))", e.getMessage());
        }
    }

    @Test
    void theSumOfSquaresIsExactOnIntegersOfEveryLengthAndOrder() {
        // Squares of integers up to 1000 and their sums are exact in double, so any summation order
        // gives sum i^2 = n (n + 1) (2n + 1) / 6; lengths 0 to 9 cover every remainder modulo 4.
        for (int n = 0; n <= 1000; n += n < 9 ? 1 : 991) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (i % 2 == 0 ? 1 : -1) * (i + 1);
            }
            assertEquals(
                    n * (n + 1.0) * (2 * n + 1) / 6,
                    HostKernel.finiteSumOfSquares("x", values, new Shape(1, n)),
                    0.0,
                    "n = " + n);
        }
    }

    @Test
    void nonFiniteInputsAreNamedOnTheHostPathToo() {
        PerturbAndMapEstimator aimle = Aimle.builder().central().alpha0(1).build();
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.gumbel(), 1);
        try (NDManager scope = manager.newSubManager()) {
            NDArray theta = scope.create(new float[] {1, 2, Float.NaN, 4, 5, 6}, new Shape(2, 3));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> aimle.forward(theta, null, p, new SplittableRandom(1)));
            assertTrue(e.getMessage().contains("theta[0, 2] is NaN"), e.getMessage());
            Sample s = aimle.forward(
                    scope.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)), null, p, new SplittableRandom(1));
            NDArray dy = scope.create(new float[] {0, 0, 0, 0, Float.POSITIVE_INFINITY, 0}, new Shape(2, 3));
            e = assertThrows(IllegalArgumentException.class, () -> aimle.backward(s, Downstream.ofGradient(dy)));
            assertTrue(e.getMessage().contains("dL/dz[1, 1] is Infinity"), e.getMessage());
        }
    }

    @Test
    void theSampleCarriesWhatTheBackwardPassNeedsAndTheEstimatorKeepsNothing() {
        Perturbation p = new Perturbation(new TopKSolver(3), Noise.gumbel(), 2, 1, 0.5);
        for (Variant v : variants()) {
            PerturbAndMapEstimator host = v.build().apply(true);
            PerturbAndMapEstimator engine = v.build().apply(false);
            try (NDManager scope = manager.newSubManager()) {
                NDArray theta = gaussian(scope, 31, new Shape(4, 9));
                Sample first = host.forward(theta, null, p, new SplittableRandom(32));
                HostKernel.Copies copies = (HostKernel.Copies) first.carried();
                assertArrayEquals(first.theta().toFloatArray(), copies.theta(), v.label());
                assertArrayEquals(first.noise().toFloatArray(), copies.noise(), v.label());
                assertArrayEquals(first.z().toFloatArray(), copies.states(), v.label());
                assertEquals(
                        null,
                        engine.forward(theta, null, p, new SplittableRandom(32)).carried(),
                        v.label());
                // More forward passes than the old side cache kept (4): the first sample still has its copies.
                for (int i = 0; i < 6; i++) {
                    host.forward(theta, null, p, new SplittableRandom(40 + i));
                }
                Sample bare = new Sample(first.perturbation(), first.theta(), null, first.noise(), first.z());
                NDArray dy = gaussian(scope, 33, first.z().getShape());
                var state = host.state();
                float[] carried =
                        host.backward(first, Downstream.ofGradient(dy)).toFloatArray();
                host.restoreState(state);
                float[] again = host.backward(first, Downstream.ofGradient(dy)).toFloatArray();
                host.restoreState(state);
                float[] copiedNow =
                        host.backward(bare, Downstream.ofGradient(dy)).toFloatArray();
                assertArrayEquals(carried, again, "a sample backpropagated twice, " + v.label());
                assertArrayEquals(carried, copiedNow, "a sample that carries no copies, " + v.label());
            }
        }
    }

    private static float max(float[] values) {
        float m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** A minimising oracle: the delegate's maximiser of the negated scores. */
    private record Minimising(MapSolver delegate) implements MapSolver {
        @Override
        public NDArray solve(NDArray theta) {
            return delegate.solve(theta.neg());
        }

        @Override
        public Sense sense() {
            return Sense.MINIMISE;
        }

        @Override
        public String name() {
            return "argmin";
        }
    }
}
