package dev.aimle.estimators.imle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EstimatorBehaviourTest {
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Counts calls and solved rows of a delegate solver. */
    static final class CountingSolver implements MapSolver {
        final MapSolver delegate;
        final AtomicLong calls = new AtomicLong();
        final AtomicLong rows = new AtomicLong();

        CountingSolver(MapSolver delegate) {
            this.delegate = delegate;
        }

        @Override
        public NDArray solve(NDArray theta) {
            calls.incrementAndGet();
            rows.addAndGet(theta.getShape().get(0));
            return delegate.solve(theta);
        }

        @Override
        public String name() {
            return "counting";
        }
    }

    NDArray theta(long seed, int batch, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[batch * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return manager.create(v, new Shape(batch, n));
    }

    NDArray dy(Sample s, long seed) {
        return gaussianLike(s.z(), seed);
    }

    NDArray gaussianLike(NDArray like, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(like.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return manager.create(v, like.getShape());
    }

    static Imle imle(double lambda, FiniteDifference d) {
        return Imle.builder().lambda(lambda).difference(d).build();
    }

    @Test
    void forwardDifferenceSolvesOncePerSampleInTheBackwardAndCentralSolvesBothTargetsInOneCall() {
        CountingSolver solver = new CountingSolver(new TopKSolver(3));
        NDArray theta = theta(1, 4, 8);
        for (FiniteDifference d : FiniteDifference.values()) {
            Perturbation p = Perturbation.of(solver, Noise.gumbel(), 5);
            GradientEstimator est = imle(1.0, d);
            Sample s = est.forward(theta, p, new SplittableRandom(2));
            solver.calls.set(0);
            solver.rows.set(0);
            est.backward(s, Downstream.ofGradient(dy(s, 3)));
            assertEquals(1, solver.calls.get(), d + ": solver calls in the backward pass");
            assertEquals(d == FiniteDifference.FORWARD ? 20 : 40, solver.rows.get(), d + ": rows solved");
        }
        // with different temperatures the forward sample cannot be reused
        Perturbation hot = new Perturbation(solver, Noise.gumbel(), 5, 1.0, 0.5);
        GradientEstimator est = imle(1.0, FiniteDifference.FORWARD);
        Sample s = est.forward(theta, hot, new SplittableRandom(2));
        solver.calls.set(0);
        est.backward(s, Downstream.ofGradient(dy(s, 3)));
        assertEquals(2, solver.calls.get());
    }

    @Test
    void aimleEqualsImleWhenItsLambdaIsUsedAsImlesFixedStep() {
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.gumbel(), 7);
        NDArray theta = theta(4, 3, 9);
        for (FiniteDifference d : FiniteDifference.values()) {
            Aimle aimle = Estimators.aimle().difference(d).alpha0(0.7).build();
            Sample s = aimle.forward(theta, p, new SplittableRandom(5));
            NDArray dy = dy(s, 6);
            float[] adaptive = aimle.backward(s, Downstream.ofGradient(dy)).toFloatArray();
            double lambda = aimle.lastLambda();
            // lambda = alpha * ||theta repeated S times|| / ||dy||
            double expected =
                    0.7 * Math.sqrt(7) * theta.norm().getFloat() / dy.norm().getFloat();
            assertEquals(expected, lambda, 1e-5 * expected, d + ": lambda");
            float[] fixed =
                    imle(lambda, d).backward(s, Downstream.ofGradient(dy)).toFloatArray();
            assertArrayEquals(fixed, adaptive, 0f, d + ": AIMLE vs IMLE at lambda " + lambda);
        }
    }

    @Test
    void lambdaDoesNotDependOnTheSampleCountWhenTheSamplesAgree() {
        // Without noise all S samples are equal: the estimate must be the same for S = 1 and S = 9
        // (the reference code's rescaling is sqrt(S) off here).
        NDArray theta = theta(8, 2, 6);
        float[] first = null;
        for (int samples : new int[] {1, 9}) {
            Perturbation p = Perturbation.of(new TopKSolver(2), Noise.none(), samples);
            Aimle aimle = Estimators.aimle().central().alpha0(2.0).build();
            Sample s = aimle.forward(theta, p, new SplittableRandom(1));
            NDArray oneDy = gaussianLike(s.theta(), 4);
            NDArray dy = samples == 1 ? oneDy : oneDy.repeat(0, samples);
            float[] g = aimle.backward(s, Downstream.ofGradient(dy)).toFloatArray();
            assertTrue(Arrays.stream(toDouble(g)).anyMatch(v -> v != 0), "S " + samples + ": non-zero");
            if (first == null) {
                first = g;
            } else {
                assertArrayEquals(first, g, 1e-5f, "S = 9 vs S = 1");
            }
        }
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void zeroLambdaOrZeroDownstreamGradientGivesZerosNotNaN() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 3);
        NDArray theta = theta(9, 2, 5);
        for (FiniteDifference d : FiniteDifference.values()) {
            for (Aimle.LambdaRule scope : Aimle.LambdaRule.values()) {
                Aimle startsAtZero =
                        Estimators.aimle().difference(d).lambdaRule(scope).build();
                Sample s = startsAtZero.forward(theta, p, new SplittableRandom(1));
                assertAllZero(startsAtZero.backward(s, Downstream.ofGradient(dy(s, 2))), d + " " + scope + " alpha 0");
                Aimle positive = Estimators.aimle()
                        .difference(d)
                        .lambdaRule(scope)
                        .alpha0(1)
                        .build();
                assertAllZero(
                        positive.backward(s, Downstream.ofGradient(s.z().zerosLike())), d + " " + scope + " dy 0");
            }
        }
    }

    @Test
    void perInputLambdaIsZeroNotNaNForAnInstanceWithoutDownstreamGradient() {
        // ||theta_b|| is large: a tiny divisor for the zero-gradient row would overflow to Inf * 0 = NaN
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.none(), 1);
        NDArray theta = manager.create(new float[] {100, 0, -100, 1, 2, 3}, new Shape(2, 3));
        Aimle aimle = Estimators.aimle()
                .lambdaRule(Aimle.LambdaRule.PER_INPUT)
                .alpha0(1)
                .build();
        Sample s = aimle.forward(theta, p, new SplittableRandom(1));
        NDArray dy = manager.create(new float[] {0, 0, 0, 0, 0, 5}, new Shape(2, 3));
        float[] g = aimle.backward(s, Downstream.ofGradient(dy)).toFloatArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(0f, g[i], "row without dL/dz, entry " + i);
        }
        assertTrue(Float.isFinite(g[3]) && Float.isFinite(g[4]) && Float.isFinite(g[5]), Arrays.toString(g));
    }

    @Test
    void gradientsHaveTheClosedFormMagnitude() {
        // theta = (2, 1, 0), no noise, z = e1; dy = (1, 0, 0); lambda = 1.5:
        // theta - lambda dy = (0.5, 1, 0) -> e2, theta + lambda dy = (3.5, 1, 0) -> e1.
        // forward: (e1 - e2) / 1.5; central: (e1 - e2) / 3.
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.none(), 1);
        NDArray theta = manager.create(new float[] {2, 1, 0}, new Shape(1, 3));
        NDArray dy = manager.create(new float[] {1, 0, 0}, new Shape(1, 3));
        double lambda = 1.5;
        // AIMLE: lambda = alpha * ||theta|| / ||dy|| = alpha * sqrt(5)
        double alpha = lambda / Math.sqrt(5);
        for (FiniteDifference d : FiniteDifference.values()) {
            float expected = (float) (1 / (lambda * (d == FiniteDifference.FORWARD ? 1 : 2)));
            float[] want = {expected, -expected, 0};
            for (GradientEstimator est : List.of(
                    imle(lambda, d),
                    Estimators.aimle().difference(d).alpha0(alpha).build(),
                    Estimators.aimle()
                            .difference(d)
                            .alpha0(alpha)
                            .lambdaRule(Aimle.LambdaRule.PER_INPUT)
                            .build())) {
                Sample s = est.forward(theta, p, new SplittableRandom(1));
                assertArrayEquals(
                        want, est.backward(s, Downstream.ofGradient(dy)).toFloatArray(), 1e-5f, d + " " + est);
            }
        }
    }

    @Test
    void aFailedForwardPassLeavesNothingInTheCallersManager() {
        Perturbation p = Perturbation.of(new TopKSolver(5), Noise.gumbel(), 2);
        for (GradientEstimator est : List.of(Estimators.ste(), Estimators.sfe())) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray theta = m.randomNormal(new Shape(2, 3));
                int before = m.getManagedArrays().size();
                assertThrows(IllegalArgumentException.class, () -> est.forward(theta, p, new SplittableRandom(1)));
                assertEquals(before, m.getManagedArrays().size(), est + ": arrays left after a failed forward pass");
            }
        }
    }

    static void assertAllZero(NDArray g, String what) {
        for (float v : g.toFloatArray()) {
            assertEquals(0f, v, what);
        }
    }

    @Test
    void theAlphaRuleFollowsEquationsNineAndTen() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 2);
        NDArray theta = theta(10, 2, 5);
        Aimle aimle = Estimators.aimle().build();
        Sample s = aimle.forward(theta, p, new SplittableRandom(1));
        aimle.backward(s, Downstream.ofGradient(dy(s, 2)));
        // alpha0 = 0 so lambda = 0 and nnz = 0: gbar = 0.9 * 1 + 0.1 * 0 <= c, alpha = 0 + 1e-3
        assertEquals(0.9, aimle.gbar(), 1e-12);
        assertEquals(1e-3, aimle.alpha(), 1e-15);
        assertEquals(1, aimle.steps());
        // a huge alpha flips every sample: nnz = 2 per sample, so gbar rises and alpha falls
        Aimle big = Estimators.aimle().alpha0(1e4).gbar0(0).build();
        Sample t = big.forward(theta, p, new SplittableRandom(1));
        NDArray towardsOther = Scalars.mul(t.z(), 2).sub(1f); // dy = +1 on the chosen item, -1 elsewhere
        big.backward(t, Downstream.ofGradient(towardsOther));
        assertEquals(0.1 * 2, big.gbar(), 1e-12);
        assertEquals(1e4 + 1e-3, big.alpha(), 1e-9, "gbar 0.2 <= c = 1 so alpha still rises");
        Aimle saturated = Estimators.aimle().alpha0(1e4).gbar0(2).build();
        saturated.backward(t, Downstream.ofGradient(towardsOther));
        assertEquals(1e4 - 1e-3, saturated.alpha(), 1e-9, "gbar 2 > c so alpha falls");
    }

    @Test
    void stateRestoresExactly() {
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.sumOfGamma(2, 10), 3);
        NDArray theta = theta(11, 4, 7);
        for (String controller : new String[] {"sign", "rprop"}) {
            GradientEstimator original = Estimators.estimatorRegistry(getClass().getClassLoader())
                    .get("aimle")
                    .create(Config.of(Map.of("controller", controller, "difference", "central")));
            for (int step = 0; step < 30; step++) {
                run(original, p, theta, step);
            }
            Map<String, Double> saved = original.state();
            GradientEstimator resumed = Estimators.estimatorRegistry(getClass().getClassLoader())
                    .get("aimle")
                    .create(Config.of(Map.of("controller", controller, "difference", "central")));
            resumed.restoreState(saved);
            assertEquals(saved, resumed.state());
            for (int step = 30; step < 40; step++) {
                assertArrayEquals(
                        run(original, p, theta, step), run(resumed, p, theta, step), controller + " step " + step);
            }
            assertEquals(original.state(), resumed.state());
            assertThrows(IllegalArgumentException.class, () -> resumed.restoreState(Map.of("alpha", 1.0)));
        }
    }

    float[] run(GradientEstimator est, Perturbation p, NDArray theta, long step) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray t = theta.duplicate();
            t.attach(scope);
            Sample s = est.forward(t, p, new SplittableRandom(step));
            return est.backward(s, Downstream.ofGradient(dy(s, 1000 + step))).toFloatArray();
        }
    }

    @Test
    void concurrentBackwardPassesAreSerialisedSafely() throws Exception {
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.gumbel(), 4);
        Aimle aimle = Estimators.aimle().alpha0(0.5).build();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            final int id = t;
            threads.add(new Thread(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    for (int i = 0; i < 25; i++) {
                        NDArray theta = m.randomNormal(new Shape(3, 6));
                        Sample s = aimle.forward(theta, p, new SplittableRandom(id * 100L + i));
                        NDArray g = aimle.backward(s, Downstream.ofGradient(m.randomNormal(s.z().getShape())));
                        assertEquals(new Shape(3, 6), g.getShape());
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(100, aimle.steps());
    }

    @Test
    void steReturnsTheMeanDownstreamGradient() {
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.gumbel(), 2);
        NDArray theta = theta(12, 2, 3);
        Sample s = Estimators.ste().forward(theta, p, new SplittableRandom(1));
        NDArray dy = manager.create(new float[] {1, 2, 3, 3, 2, 1, 0, 0, 6, 2, 2, 2}, new Shape(4, 3));
        assertArrayEquals(
                new float[] {2, 2, 2, 1, 1, 4},
                Estimators.ste().backward(s, Downstream.ofGradient(dy)).toFloatArray());
    }

    /**
     * With a minimising solver the straight-through gradient is {@code -dy}, on both arithmetic paths:
     * the argmin of theta is the argmax of -theta, whose identity Jacobian carries the minus sign.
     */
    @Test
    void steFlipsItsSignForAMinimisingSolver() {
        MapSolver argmin = new MapSolver() {
            private final MapSolver argmax = new TopKSolver(2);

            @Override
            public NDArray solve(NDArray scores) {
                return argmax.solve(scores.neg());
            }

            @Override
            public Sense sense() {
                return Sense.MINIMISE;
            }

            @Override
            public String name() {
                return "bottom-2";
            }
        };
        Perturbation p = Perturbation.of(argmin, Noise.gumbel(), 2);
        NDArray dy = manager.create(new float[] {1, 2, 3, 3, 2, 1, 0, 0, 6, 2, 2, 2}, new Shape(4, 3));
        for (boolean host : new boolean[] {true, false}) {
            Ste ste = new Ste(host);
            Sample s = ste.forward(theta(12, 2, 3), p, new SplittableRandom(1));
            assertArrayEquals(
                    new float[] {-2, -2, -2, -1, -1, -4},
                    ste.backward(s, Downstream.ofGradient(dy)).toFloatArray(),
                    host ? "host path" : "engine path");
        }
    }

    @Test
    void gumbelSoftmaxBackwardIsTheExactJacobianOfItsRelaxedSample() {
        double t = 0.7;
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.none(), 1);
        float[] th = {0.3f, -1.2f, 0.8f, 0.1f};
        float[] w = {0.5f, -2f, 1f, 3f};
        NDArray theta = manager.create(th, new Shape(1, 4));
        GradientEstimator gs = Estimators.gumbelSoftmax(t);
        Sample s = gs.forward(theta, p, new SplittableRandom(1));
        float[] g = gs.backward(s, Downstream.ofGradient(manager.create(w, new Shape(1, 4))))
                .toFloatArray();
        double h = 1e-5;
        for (int i = 0; i < 4; i++) {
            double[] plus = new double[4];
            double[] minus = new double[4];
            for (int j = 0; j < 4; j++) {
                plus[j] = th[j] + (i == j ? h : 0);
                minus[j] = th[j] - (i == j ? h : 0);
            }
            double fd = (dot(softmax(plus, t), w) - dot(softmax(minus, t), w)) / (2 * h);
            assertEquals(fd, g[i], 1e-4, "entry " + i);
        }
    }

    static double[] softmax(double[] x, double t) {
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] / t);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void sfeRefusesSolversWithoutADistributionAndNeedsLosses() {
        MapSolver plain = new CountingSolver(new TopKSolver(1));
        Perturbation p = Perturbation.of(plain, Noise.gumbel(), 2);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Estimators.sfe().forward(theta(1, 2, 4), p, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("'counting' has no tractable distribution"), e.getMessage());
        Perturbation ok = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 2);
        Sample s = Estimators.sfe().forward(theta(1, 2, 4), ok, new SplittableRandom(1));
        IllegalArgumentException noLoss = assertThrows(
                IllegalArgumentException.class, () -> Estimators.sfe().backward(s, Downstream.ofGradient(dy(s, 1))));
        assertTrue(noLoss.getMessage().contains("needs the loss of every sample"), noLoss.getMessage());
        assertTrue(Estimators.sfe().requiresLossPerSample());
    }

    @Test
    void badInputIsRejectedNamingTheValue() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 2);
        GradientEstimator est = imle(1, FiniteDifference.FORWARD);
        NDArray theta = theta(1, 2, 4);
        Sample s = est.forward(theta, p, new SplittableRandom(1));

        IllegalArgumentException shape = assertThrows(
                IllegalArgumentException.class,
                () -> est.backward(s, Downstream.ofGradient(manager.zeros(new Shape(2, 4)))));
        assertEquals("dL/dz has shape (2, 4) but theta (2, 4) with 2 samples needs (4, 4)", shape.getMessage());

        float[] bad = new float[16];
        bad[5] = Float.NaN;
        IllegalArgumentException nanDy = assertThrows(
                IllegalArgumentException.class,
                () -> est.backward(s, Downstream.ofGradient(manager.create(bad, new Shape(4, 4)))));
        assertTrue(nanDy.getMessage().startsWith("dL/dz[1, 1] is NaN"), nanDy.getMessage());

        float[] inf = new float[8];
        inf[2] = Float.POSITIVE_INFINITY;
        IllegalArgumentException infTheta = assertThrows(
                IllegalArgumentException.class,
                () -> est.forward(manager.create(inf, new Shape(2, 4)), p, new SplittableRandom(1)));
        assertTrue(infTheta.getMessage().startsWith("theta[0, 2] is Infinity"), infTheta.getMessage());

        assertEquals(
                "samples (0) must be at least 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Perturbation.of(new TopKSolver(1), Noise.gumbel(), 0))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new Perturbation(new TopKSolver(1), Noise.gumbel(), 1, -0.5, 1))
                .getMessage()
                .startsWith("inputTemperature (-0.5)"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new Perturbation(new TopKSolver(1), Noise.gumbel(), 1, 1, Double.NaN))
                .getMessage()
                .startsWith("targetTemperature (NaN)"));
        assertEquals(
                "lambda (-1.0) must be a finite number at least 0",
                assertThrows(IllegalArgumentException.class, () -> imle(-1, FiniteDifference.CENTRAL))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Estimators.gumbelSoftmax(0));
        assertThrows(IllegalArgumentException.class, () -> Estimators.aimle().gamma(0));
        assertThrows(IllegalArgumentException.class, () -> Estimators.aimle().alpha0(-1));
        assertThrows(IllegalArgumentException.class, () -> Estimators.aimle().target(0));
    }

    @Test
    void noArraysLeakIntoTheCallersManager() {
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.sumOfGamma(2, 5), 3);
        for (GradientEstimator est : List.of(
                Estimators.aimle().central().alpha0(1).build(),
                imle(1, FiniteDifference.FORWARD),
                Estimators.ste(),
                Estimators.sfe(),
                Estimators.gumbelSoftmax(1))) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray theta = m.randomNormal(new Shape(2, 5));
                NDArray dy = m.randomNormal(new Shape(6, 5));
                NDArray loss = m.randomNormal(new Shape(6));
                int before = m.getManagedArrays().size();
                Sample s = est.forward(theta, p, new SplittableRandom(1));
                // the sample keeps theta (detached), noise (if any) and z
                int afterForward = m.getManagedArrays().size();
                assertEquals(before + (s.noise() == null ? 2 : 3), afterForward, est + " forward");
                est.backward(s, new Downstream(dy, loss));
                assertEquals(afterForward + 1, m.getManagedArrays().size(), est + " backward keeps only its result");
            }
        }
    }
}
