package dev.aimle.estimators.imle;

import static dev.aimle.estimators.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.Schedule;
import dev.aimle.estimators.gumbel.GumbelSoftmax;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The estimator options a researcher reaches for: AIMLE's target unit and lambda rule, gradient
 * scaling, minimising solvers and padding masks. Each is checked against an independent
 * computation: the same values in another layout, a closed form, or the negated maximisation.
 */
class EstimatorOptionsTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * The DVAE's theta {@code [B, 20, 20]} and the same values as {@code [B*20, 20]} (the reference
     * code's reshape) give identical estimates, lambdas, alphas and moving averages over 40 steps
     * with the default per-row target; counting per instance instead changes the trajectory.
     */
    @Test
    void thePerRowTargetMakesRowsAndFlatInstancesAgree() {
        int b = 3;
        Perturbation p = Perturbation.of(new TopKSolver(10), Noise.sumOfGamma(10, 10), 1);
        Aimle rows = Estimators.aimle().central().build();
        Aimle flat = Estimators.aimle().central().build();
        Aimle perImage = Estimators.aimle()
                .central()
                .targetUnit(Aimle.TargetUnit.INSTANCE)
                .build();
        boolean unitMatters = false;
        for (int step = 0; step < 40; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray theta = gaussian(manager, step, new Shape(b, 20, 20));
                theta.attach(scope);
                NDArray target = gaussian(manager, 1000 + step, new Shape(b, 20, 20));
                target.attach(scope);
                float[] g3 = estimate(rows, p, theta, target, step);
                float[] g2 = estimate(flat, p, theta.reshape(b * 20, 20), target.reshape(b * 20, 20), step);
                float[] gi = estimate(perImage, p, theta, target, step);
                assertArrayEquals(g2, g3, "estimate at step " + step);
                assertEquals(flat.lastLambda(), rows.lastLambda(), 0, "lambda at step " + step);
                assertEquals(flat.alpha(), rows.alpha(), 0, "alpha at step " + step);
                assertEquals(flat.gbar(), rows.gbar(), 0, "gbar at step " + step);
                unitMatters |= perImage.alpha() != rows.alpha();
            }
        }
        assertTrue(rows.alpha() > 0, "alpha rose: " + rows.alpha());
        assertTrue(unitMatters, "counting per image must change alpha's trajectory (c = 1 per 20 rows)");
        // per image, c = 1 is 20 times fewer flips per row than per row: gbar per row is 20x smaller
        assertTrue(perImage.gbar() > rows.gbar(), "gbar per image " + perImage.gbar() + ", per row " + rows.gbar());
    }

    /** Top-k that declares its instances as one structure each (as a path or a tree does). */
    private record WholeInstances(MapSolver delegate) implements MapSolver {
        @Override
        public NDArray solve(NDArray theta) {
            return delegate.solve(theta);
        }

        @Override
        public String name() {
            return "whole-instance-topk";
        }

        @Override
        public Unit naturalUnit() {
            return Unit.INSTANCE;
        }
    }

    /**
     * The default unit is the solver's: AIMLE over a solver that declares {@code INSTANCE} follows
     * exactly the trajectory of an explicit per-instance target, and over top-k (which declares
     * {@code ROW}) exactly that of an explicit per-row target; the two differ.
     */
    @Test
    void theDefaultTargetUnitIsTheOneTheSolverDeclares() {
        int b = 3;
        MapSolver topk = new TopKSolver(10);
        Perturbation rowsDeclared = Perturbation.of(topk, Noise.sumOfGamma(10, 10), 1);
        Perturbation instanceDeclared = Perturbation.of(new WholeInstances(topk), Noise.sumOfGamma(10, 10), 1);
        Aimle defaultOnRows = Estimators.aimle().central().build();
        Aimle explicitRows =
                Estimators.aimle().central().targetUnit(Aimle.TargetUnit.ROW).build();
        Aimle defaultOnInstances = Estimators.aimle().central().build();
        Aimle explicitInstances = Estimators.aimle()
                .central()
                .targetUnit(Aimle.TargetUnit.INSTANCE)
                .build();
        // an explicit unit wins over the solver's declaration
        Aimle explicitRowsOnInstances =
                Estimators.aimle().central().targetUnit(Aimle.TargetUnit.ROW).build();
        for (int step = 0; step < 30; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray theta = gaussian(manager, step, new Shape(b, 20, 20));
                theta.attach(scope);
                NDArray target = gaussian(manager, 1000 + step, new Shape(b, 20, 20));
                target.attach(scope);
                assertArrayEquals(
                        estimate(explicitRows, rowsDeclared, theta, target, step),
                        estimate(defaultOnRows, rowsDeclared, theta, target, step),
                        "rows, step " + step);
                assertArrayEquals(
                        estimate(explicitInstances, rowsDeclared, theta, target, step),
                        estimate(defaultOnInstances, instanceDeclared, theta, target, step),
                        "instances, step " + step);
                estimate(explicitRowsOnInstances, instanceDeclared, theta, target, step);
            }
        }
        assertEquals(explicitRows.gbar(), defaultOnRows.gbar(), 0);
        assertEquals(explicitInstances.gbar(), defaultOnInstances.gbar(), 0);
        assertEquals(explicitRows.gbar(), explicitRowsOnInstances.gbar(), 0);
        assertTrue(
                defaultOnInstances.gbar() > defaultOnRows.gbar(),
                "per instance " + defaultOnInstances.gbar() + " vs per row " + defaultOnRows.gbar());
        assertTrue(defaultOnRows.toString().contains("c=1.0 per solver"), defaultOnRows.toString());
    }

    private static float[] estimate(GradientEstimator est, Perturbation p, NDArray theta, NDArray target, long seed) {
        Sample s = est.forward(theta, p, new SplittableRandom(seed));
        return est.backward(s, Downstream.ofGradient(Scalars.mul(s.z().sub(target), 2)))
                .toFloatArray();
    }

    /** Algorithm 1's per-input lambda: {@code alpha * mean_i ||theta|| / ||dy_i||}, then IMLE at that lambda. */
    @Test
    void perInputLambdaIsAlgorithmOneAsPrinted() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 2);
        NDArray theta = manager.create(new float[] {1, 2, 2}, new Shape(1, 3)); // ||theta|| = 3
        NDArray dy = manager.create(new float[] {0, 3, 4, 1, 0, 0}, new Shape(2, 3)); // norms 5 and 1
        for (FiniteDifference d : FiniteDifference.values()) {
            Aimle aimle = Estimators.aimle()
                    .difference(d)
                    .lambdaRule(Aimle.LambdaRule.PER_INPUT)
                    .alpha0(0.4)
                    .build();
            Sample s = aimle.forward(theta, p, new SplittableRandom(3));
            float[] g = aimle.backward(s, Downstream.ofGradient(dy)).toFloatArray();
            double lambda = 0.4 * (3.0 / 5 + 3.0 / 1) / 2;
            assertEquals(lambda, aimle.lastLambda(), 1e-6);
            float[] imle = Imle.builder()
                    .lambda(lambda)
                    .difference(d)
                    .build()
                    .backward(s, Downstream.ofGradient(dy))
                    .toFloatArray();
            assertArrayEquals(imle, g, 1e-6f, d.label());
            // the batch rule: alpha * ||theta repeated|| / ||dy|| = 0.4 * 3 sqrt(2) / sqrt(26)
            Aimle batch = Estimators.aimle().difference(d).alpha0(0.4).build();
            batch.backward(s, Downstream.ofGradient(dy));
            assertEquals(0.4 * 3 * Math.sqrt(2) / Math.sqrt(26), batch.lastLambda(), 1e-6);
        }
    }

    /** theta = (2, 1, 0), no noise, dy = (1, 0, 0), lambda 1.5: the difference is e1 - e2. */
    @Test
    void withoutGradientScalingTheDifferenceIsNotDividedByLambda() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.none(), 1);
        NDArray theta = manager.create(new float[] {2, 1, 0}, new Shape(1, 3));
        NDArray dy = manager.create(new float[] {1, 0, 0}, new Shape(1, 3));
        double alpha = 1.5 / Math.sqrt(5);
        for (FiniteDifference d : FiniteDifference.values()) {
            float half = d == FiniteDifference.FORWARD ? 1f : 0.5f;
            for (GradientEstimator est : List.of(
                    Imle.builder()
                            .lambda(1.5)
                            .difference(d)
                            .scaleGradient(false)
                            .build(),
                    Estimators.aimle()
                            .difference(d)
                            .alpha0(alpha)
                            .scaleGradient(false)
                            .build(),
                    Estimators.aimle()
                            .difference(d)
                            .alpha0(alpha)
                            .scaleGradient(false)
                            .lambdaRule(Aimle.LambdaRule.PER_INPUT)
                            .build())) {
                Sample s = est.forward(theta, p, new SplittableRandom(1));
                assertArrayEquals(
                        new float[] {half, -half, 0},
                        est.backward(s, Downstream.ofGradient(dy)).toFloatArray(),
                        1e-6f,
                        d.label() + " " + est);
            }
        }
    }

    /** Bottom-k as an argmin oracle: the k smallest scores. */
    static final class BottomK implements MapSolver {
        private final TopKSolver topk;

        BottomK(int k) {
            this.topk = new TopKSolver(k);
        }

        @Override
        public NDArray solve(NDArray theta) {
            return topk.solve(theta.neg());
        }

        @Override
        public Sense sense() {
            return Sense.MINIMISE;
        }

        @Override
        public String name() {
            return "bottom-k";
        }
    }

    /**
     * An argmin oracle on theta is the argmax oracle on -theta, so with the targets moved along +dy
     * and the sign flipped (the reference's {@code _is_minimization}) the estimate for theta is minus
     * the maximising estimate for -theta, for every estimator and difference.
     */
    @Test
    void aMinimisingSolverGetsTheNegatedEstimateOfTheNegatedMaximisation() {
        NDArray theta = gaussian(manager, 5, new Shape(4, 7));
        NDArray dy = gaussian(manager, 6, new Shape(4, 7));
        Perturbation min = Perturbation.of(new BottomK(2), Noise.none(), 1);
        Perturbation max = Perturbation.of(new TopKSolver(2), Noise.none(), 1);
        for (FiniteDifference d : FiniteDifference.values()) {
            List<GradientEstimator> minimisers = List.of(
                    Imle.builder().lambda(2).difference(d).build(),
                    Estimators.aimle().difference(d).alpha0(0.5).build());
            List<GradientEstimator> maximisers = List.of(
                    Imle.builder().lambda(2).difference(d).build(),
                    Estimators.aimle().difference(d).alpha0(0.5).build());
            for (int i = 0; i < minimisers.size(); i++) {
                Sample sMin = minimisers.get(i).forward(theta, min, new SplittableRandom(1));
                Sample sMax = maximisers.get(i).forward(theta.neg(), max, new SplittableRandom(1));
                assertArrayEquals(sMax.z().toFloatArray(), sMin.z().toFloatArray(), "the same states");
                float[] gMin = minimisers
                        .get(i)
                        .backward(sMin, Downstream.ofGradient(dy))
                        .toFloatArray();
                float[] gMax = maximisers
                        .get(i)
                        .backward(sMax, Downstream.ofGradient(dy))
                        .neg()
                        .toFloatArray();
                assertArrayEquals(gMax, gMin, 1e-6f, d.label() + " " + minimisers.get(i));
                boolean nonZero = false;
                for (float v : gMin) {
                    nonZero |= v != 0;
                }
                assertTrue(nonZero, "a non-trivial estimate, " + minimisers.get(i));
            }
        }
    }

    /**
     * Masked positions are never selected even with the largest scores, get a zero gradient, count
     * in neither norm nor the non-zeros; an all-true mask changes nothing; a mask that leaves too
     * few positions is reported.
     */
    @Test
    void maskedPositionsAreNeverSelectedAndCountNowhere() {
        Perturbation p = Perturbation.of(new TopKSolver(2), Noise.gumbel(), 3);
        NDArray theta = gaussian(manager, 7, new Shape(2, 6));
        theta.set(new NDIndex("0, 4:"), 100f);
        float[] maskValues = {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1};
        NDArray mask = manager.create(maskValues, new Shape(2, 6));
        Aimle aimle = Estimators.aimle().central().alpha0(1).build();
        Sample s = aimle.forward(theta, mask, p, new SplittableRandom(2));
        float[] z = s.z().toFloatArray();
        for (int row = 0; row < 6; row++) {
            for (int j = 0; j < 6; j++) {
                if (maskValues[(row / 3) * 6 + j] == 0) {
                    assertEquals(0f, z[row * 6 + j], "sample " + row + " selected masked position " + j);
                }
            }
        }
        NDArray dy = gaussian(manager, 8, new Shape(6, 6));
        float[] g = aimle.backward(s, Downstream.ofGradient(dy)).toFloatArray();
        assertEquals(0f, g[4]);
        assertEquals(0f, g[5]);
        NDArray repeatedMask = mask.repeat(0, 3);
        double expectedLambda = 1.0
                * theta.mul(mask).norm().getFloat()
                * Math.sqrt(3)
                / dy.mul(repeatedMask).norm().getFloat();
        assertEquals(expectedLambda, aimle.lastLambda(), 1e-5 * expectedLambda, "norms over the valid positions only");

        Aimle masked = Estimators.aimle().alpha0(1).build();
        Aimle plain = Estimators.aimle().alpha0(1).build();
        NDArray allValid = manager.ones(new Shape(2, 6), DataType.BOOLEAN);
        Sample a = masked.forward(theta, allValid, p, new SplittableRandom(4));
        Sample b = plain.forward(theta, p, new SplittableRandom(4));
        assertArrayEquals(b.z().toFloatArray(), a.z().toFloatArray());
        // without a mask the CPU path sums the norms in double on the host (float32 in the engine), so
        // lambda, hence the scaled estimate, may differ in its last bits; the states are the same
        float[] plainEstimate = plain.backward(b, Downstream.ofGradient(dy)).toFloatArray();
        float[] maskedEstimate = masked.backward(a, Downstream.ofGradient(dy)).toFloatArray();
        for (int i = 0; i < plainEstimate.length; i++) {
            assertEquals(plainEstimate[i], maskedEstimate[i], 1e-6 * Math.abs(plainEstimate[i]), "estimate " + i);
        }
        assertEquals(plain.state().keySet(), masked.state().keySet());
        plain.state()
                .forEach((key, value) -> assertEquals(value, masked.state().get(key), 1e-6 * Math.abs(value), key));

        NDArray tooFew = manager.create(new float[] {1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, new Shape(2, 6));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> aimle.forward(theta, tooFew, p, new SplittableRandom(2)));
        assertTrue(e.getMessage().contains("selected the masked position [0, "), e.getMessage());
        IllegalArgumentException shape = assertThrows(
                IllegalArgumentException.class,
                () -> aimle.forward(theta, manager.ones(new Shape(2, 5)), p, new SplittableRandom(2)));
        assertEquals("the mask has shape (2, 5) but theta has shape (2, 6); they must be equal", shape.getMessage());
        assertFalse(
                Estimators.sfe().supportsMask() || Estimators.gumbelSoftmax(1).supportsMask());
        assertTrue(Estimators.ste().supportsMask() && aimle.supportsMask());
        assertThrows(
                IllegalArgumentException.class,
                () -> Estimators.gumbelSoftmax(1).forward(theta, mask, p, new SplittableRandom(1)));
    }

    /** The Gumbel-softmax temperature follows its schedule of backward passes, which is its checkpointed state. */
    @Test
    void gumbelSoftmaxAnnealsItsTemperatureAndResumesTheSchedule() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.gumbel(), 1);
        GradientEstimator gs = Estimators.gumbelSoftmax(Schedule.exponentialDecay(1, 0.5, 0.25, 2), "test");
        NDArray theta = gaussian(manager, 3, new Shape(1, 4));
        double[] temperatures = new double[6];
        for (int step = 0; step < 6; step++) {
            temperatures[step] = ((GumbelSoftmax) gs).temperature();
            Sample s = gs.forward(theta, p, new SplittableRandom(step));
            // y = softmax((theta + eps) / t): the temperature used is the scheduled one
            float[] y = s.z().toFloatArray();
            float[] logits = Scalars.div(theta.add(s.noise()), temperatures[step])
                    .softmax(-1)
                    .toFloatArray();
            assertArrayEquals(logits, y, 1e-6f, "step " + step);
            gs.backward(s, Downstream.ofGradient(s.z().onesLike()));
        }
        assertArrayEquals(new double[] {1, 1, Math.exp(-1), Math.exp(-1), 0.25, 0.25}, temperatures, 1e-12);
        GradientEstimator resumed = Estimators.gumbelSoftmax(Schedule.exponentialDecay(1, 0.5, 0.25, 2), "test");
        resumed.restoreState(gs.state());
        assertEquals(((GumbelSoftmax) gs).temperature(), ((GumbelSoftmax) resumed).temperature(), 0);
        assertEquals(Map.of("steps", 6.0), resumed.state());
    }

    /** A norm that float32 cannot hold is reported naming the quantity, not turned into lambda 0 or NaN. */
    @Test
    void anOverflowingNormIsReportedAsOverflow() {
        Perturbation p = Perturbation.of(new TopKSolver(1), Noise.none(), 1);
        NDArray huge = manager.create(new float[] {3e38f, 1e38f, -2e38f}, new Shape(1, 3));
        Aimle aimle = Estimators.aimle().alpha0(0).build();
        Sample s = aimle.forward(huge, p, new SplittableRandom(1));
        ArithmeticException theta = assertThrows(
                ArithmeticException.class,
                () -> aimle.backward(s, Downstream.ofGradient(manager.create(new float[] {1, 0, 0}, new Shape(1, 3)))));
        assertTrue(theta.getMessage().startsWith("||theta|| overflows float32"), theta.getMessage());
        Sample fine = aimle.forward(gaussian(manager, 1, new Shape(1, 3)), p, new SplittableRandom(1));
        ArithmeticException dy =
                assertThrows(ArithmeticException.class, () -> aimle.backward(fine, Downstream.ofGradient(huge)));
        assertTrue(dy.getMessage().startsWith("||dL/dz|| overflows float32"), dy.getMessage());
    }
}
