package dev.aimle.estimators;

import static dev.aimle.estimators.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tiny model learns through each estimator: a linear encoder {@code theta = W x} (W is 8x5), a
 * top-k (k = 1) layer, and the downstream loss {@code ||z - z*||^2} against a teacher's
 * {@code z* = MAP(W* x)}. Plain normalised gradient descent on W with the estimated
 * {@code dL/dW = g^T x}, 300 steps of 64 examples, S = 4, seeds fixed. The held-out MAP error rate
 * must fall at least fourfold from the initial one (about 7/8 for a random W).
 */
class EndToEndLearningTest {
    static final int D = 5;
    static final int N = 8;
    static final int BATCH = 64;
    static final int STEPS = 300;

    static List<Object[]> estimators() {
        return List.of(
                new Object[] {
                    "aimle forward",
                    (Supplier<GradientEstimator>) () -> Estimators.aimle().build()
                },
                new Object[] {
                    "aimle central",
                    (Supplier<GradientEstimator>)
                            () -> Estimators.aimle().central().build()
                },
                new Object[] {
                    "imle",
                    (Supplier<GradientEstimator>) () -> Estimators.imle().build()
                },
                new Object[] {"ste", (Supplier<GradientEstimator>) Estimators::ste},
                new Object[] {"sfe", (Supplier<GradientEstimator>) Estimators::sfe},
                new Object[] {"gumbel-softmax", (Supplier<GradientEstimator>) () -> Estimators.gumbelSoftmax(0.5)});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void errorFallsFourfold(String name, Supplier<GradientEstimator> factory) {
        GradientEstimator estimator = factory.get();
        TopKSolver map = new TopKSolver(1);
        Perturbation p = Perturbation.of(map, Noise.gumbel(), 4);
        SplittableRandom random = new SplittableRandom(42);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray teacher = gaussian(m, random, new Shape(N, D), 3);
            NDArray w = gaussian(m, random, new Shape(N, D), 0.1);
            NDArray heldOut = gaussian(m, random, new Shape(256, D), 1);
            NDArray heldOutTarget = map.solve(heldOut.matMul(teacher.transpose()));
            double initial = errorRate(map, heldOut, w, heldOutTarget);
            for (int step = 0; step < STEPS; step++) {
                try (NDManager scope = m.newSubManager()) {
                    NDArray x = gaussian(scope, random, new Shape(BATCH, D), 1);
                    NDArray target = map.solve(x.matMul(teacher.transpose())).repeat(0, 4);
                    NDArray theta = x.matMul(w.transpose());
                    Sample s = estimator.forward(theta, p, random);
                    NDArray residual = s.z().sub(target);
                    NDArray g = estimator.backward(
                            s,
                            new Downstream(
                                    Scalars.mul(residual, 2), residual.square().sum(new int[] {1})));
                    NDArray dw = g.transpose().matMul(x);
                    float norm = dw.norm().getFloat();
                    if (norm > 0) {
                        w.subi(Scalars.mul(dw, 0.2f / norm));
                    }
                }
            }
            double last = errorRate(map, heldOut, w, heldOutTarget);
            System.out.printf("end-to-end %s: held-out error %.3f -> %.3f%n", name, initial, last);
            assertTrue(
                    last <= initial / 4,
                    name + ": held-out error went from " + initial + " to " + last + ", expected at most a quarter");
        }
    }

    static double errorRate(TopKSolver map, NDArray x, NDArray w, NDArray target) {
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray z = map.solve(x.matMul(w.transpose()));
            z.attach(scope);
            NDArray wrong = z.sub(target).abs().sum(new int[] {1}).gt(0);
            wrong.attach(scope);
            return wrong.toType(DataType.FLOAT32, false).mean().getFloat();
        }
    }
}
