package dev.aimle.estimators.sst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.TractableDistribution;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.spanningtree.SpanningTreeSolver;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StochasticSoftmax}: its gradient equals the finite-difference gradient of
 * {@code theta -> mean_s <mu((theta + tau eps_s) / t), dy_s>} with the forward noise eps held fixed
 * (central differences of the float32 marginals, step 1e-2; tolerance {@code 2e-3} absolute, against
 * gradients of order 0.1 to 1, so a wrong sign, a missing 1/t, other noise or another averaging
 * fails), on top-k, on spanning trees, and on a minimising solver; its forward pass is the
 * Perturb-and-MAP state; and its errors.
 */
class StochasticSoftmaxTest {
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private static float[] uniform(SplittableRandom random, int count, double range) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) random.nextDouble(-range, range);
        }
        return x;
    }

    /**
     * Runs the estimator and compares with central differences of
     * {@code mean_s <mu(sign * (theta_rep + tau * eps) / t), dy>} in theta.
     */
    private void assertMatchesFiniteDifferences(MapSolver solver, Shape shape, double t, double tau, long seed) {
        int samples = 3;
        SplittableRandom random = new SplittableRandom(seed);
        long batch = shape.get(0);
        int size = Math.toIntExact(shape.size());
        float[] thetaValues = uniform(random, size, 1.5);
        NDArray theta = manager.create(thetaValues, shape);
        Perturbation perturbation = new Perturbation(solver, Noise.gumbel(), samples, tau, tau);
        StochasticSoftmax sst = Estimators.sst(t);
        Sample sample = sst.forward(theta, perturbation, random);
        Shape repeated = new Shape(batch * samples).addAll(shape.slice(1));
        NDArray dy = manager.create(uniform(random, size * samples, 1), repeated);
        float[] g = sst.backward(sample, Downstream.ofGradient(dy)).toFloatArray();

        TractableDistribution d = solver.distribution().orElseThrow();
        double sign = solver.sense() == MapSolver.Sense.MAXIMISE ? 1 : -1;
        NDArray scaledNoise = Scalars.mul(sample.noise(), tau);
        double h = 1e-2;
        double largest = 0;
        for (int i = 0; i < size; i++) {
            double[] f = new double[2];
            for (int side = 0; side < 2; side++) {
                float[] moved = thetaValues.clone();
                moved[i] += (float) (side == 0 ? h : -h);
                NDArray natural = Scalars.mul(
                        SampleLayout.repeat(manager.create(moved, shape), samples)
                                .add(scaledNoise),
                        sign / t);
                float[] mu = d.marginals(natural).toFloatArray();
                float[] dyValues = dy.toFloatArray();
                double inner = 0;
                for (int j = 0; j < mu.length; j++) {
                    inner += (double) mu[j] * dyValues[j];
                }
                f[side] = inner / samples;
            }
            double expected = (f[0] - f[1]) / (2 * h);
            largest = Math.max(largest, Math.abs(expected));
            assertEquals(expected, g[i], 2e-3, solver.name() + ": d/d theta_" + i + ", t " + t + ", seed " + seed);
        }
        assertTrue(largest > 0.05, "the test needs gradients well above its tolerance, largest " + largest);
    }

    @Test
    void gradientIsTheDerivativeOfTheRelaxedSampleOnTopK() {
        assertMatchesFiniteDifferences(new TopKSolver(3), new Shape(2, 7), 0.5, 1.0, 11);
        assertMatchesFiniteDifferences(new TopKSolver(1), new Shape(2, 2, 5), 2.0, 0.5, 12);
    }

    @Test
    void gradientIsTheDerivativeOfTheRelaxedSampleOnSpanningTrees() {
        assertMatchesFiniteDifferences(new SpanningTreeSolver(), new Shape(2, 10), 0.5, 1.0, 13);
        assertMatchesFiniteDifferences(new SpanningTreeSolver(), new Shape(1, 15), 1.0, 1.0, 14);
    }

    @Test
    void aMinimisingSolverIsRelaxedAtMinusTheScores() {
        assertMatchesFiniteDifferences(new BottomK(2), new Shape(2, 6), 0.5, 1.0, 15);
    }

    @Test
    void forwardIsPerturbAndMapWithTheKeptNoise() {
        SplittableRandom random = new SplittableRandom(3);
        NDArray theta = manager.create(uniform(random, 2 * 10, 2), new Shape(2, 10));
        SpanningTreeSolver solver = new SpanningTreeSolver();
        Perturbation p = new Perturbation(solver, Noise.gumbel(), 2, 0.7, 1.0);
        Sample sample = Estimators.sst(1).forward(theta, p, random);
        NDArray expected = solver.solve(SampleLayout.repeat(theta, 2).add(Scalars.mul(sample.noise(), 0.7)));
        assertEquals(expected, sample.z());
        assertNull(sample.mask());
        assertSame(p, sample.perturbation());
        assertSame(manager, sample.z().getManager());
    }

    @Test
    void temperatureMustBeFiniteAndPositive() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StochasticSoftmax(bad));
            assertEquals("SST temperature (" + bad + ") must be a finite number greater than 0", e.getMessage());
        }
        IllegalArgumentException byProvider = assertThrows(
                IllegalArgumentException.class,
                () -> Estimators.estimatorRegistry(getClass().getClassLoader())
                        .get("sst")
                        .create(Config.of("temperature", "0")));
        assertTrue(byProvider.getMessage().contains("temperature (0.0)"), byProvider.getMessage());
        StochasticSoftmax configured =
                (StochasticSoftmax) Estimators.estimatorRegistry(getClass().getClassLoader())
                        .get("sst")
                        .create(Config.of("temperature", "0.25"));
        assertEquals(0.25, configured.temperature());
        assertThrows(
                IllegalArgumentException.class,
                () -> Estimators.estimatorRegistry(getClass().getClassLoader())
                        .get("sst")
                        .create(Config.of("lambda", "1")));
    }

    @Test
    void aSolverWithoutDistributionOrAMaskIsRefused() {
        MapSolver plain = new MapSolver() {
            @Override
            public NDArray solve(NDArray theta) {
                return theta.gt(0).toType(DataType.FLOAT32, false);
            }

            @Override
            public String name() {
                return "positive";
            }
        };
        NDArray theta = manager.zeros(new Shape(2, 4), DataType.FLOAT32);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Estimators.sst(1)
                        .forward(theta, Perturbation.of(plain, Noise.gumbel(), 1), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("solver 'positive' has no tractable distribution"), e.getMessage());
        assertFalse(Estimators.sst(1).supportsMask());
        IllegalArgumentException masked = assertThrows(
                IllegalArgumentException.class,
                () -> Estimators.sst(1)
                        .forward(
                                theta,
                                manager.ones(new Shape(2, 4), DataType.BOOLEAN),
                                Perturbation.of(new TopKSolver(1), Noise.gumbel(), 1),
                                new SplittableRandom(1)));
        assertTrue(masked.getMessage().contains("mask"), masked.getMessage());
    }

    /** The k smallest scores: top-k of -theta, declared as minimising, with the k-subset family. */
    private static final class BottomK implements MapSolver {
        private final TopKSolver topK;

        BottomK(int k) {
            this.topK = new TopKSolver(k);
        }

        @Override
        public NDArray solve(NDArray theta) {
            return topK.solve(theta.neg());
        }

        @Override
        public Sense sense() {
            return Sense.MINIMISE;
        }

        @Override
        public String name() {
            return "bottom-k";
        }

        @Override
        public Optional<TractableDistribution> distribution() {
            return topK.distribution();
        }
    }
}
