package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.app.plugins.BuiltPlugins;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.imle.RpropController;
import dev.aimle.estimators.noise.Noise;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The controller beyond the paper must do what it is for: after only 100 warm-up steps from a
 * poor start its estimate is already good, where the paper's additive rule has barely moved. And
 * the learning comparison computes the regret it says it does.
 */
class VariantComparisonIT {

    @Test
    void rpropAdaptsInFarFewerStepsThanTheSignRule() {
        try (NDManager m = NDManager.newBaseManager()) {
            Perturbation p = Perturbation.of(BuiltPlugins.solver("topk", "k", 1), Noise.gumbel(), 10);
            // both start from alpha0 = 20, far above a useful alpha (about 0.1 to 1 here)
            List<VariantComparison.Contender> contenders = List.of(
                    new VariantComparison.Contender(
                            "sign", () -> Estimators.aimle().alpha0(20).build()),
                    new VariantComparison.Contender(
                            "rprop",
                            () -> Estimators.aimle()
                                    .alpha0(20)
                                    .controller(RpropController.withDefaults())
                                    .build()));
            List<VariantComparison.Point> points =
                    VariantComparison.run(contenders, p, 10, new int[] {100}, new int[] {100}, 16, m);
            assertEquals(2, points.size());
            double sign = points.get(0).mean();
            double rprop = points.get(1).mean();
            assertTrue(
                    rprop > sign + 0.1,
                    "rprop " + rprop + " should beat sign " + sign + " after 100 steps from alpha0 = 20");
        }
    }

    @Test
    void withoutLearningStepsTheRegretIsTheDrawnProblemsAndLearningLowersIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            Perturbation p = Perturbation.of(BuiltPlugins.solver("topk", "k", 1), Noise.gumbel(), 10);
            Supplier<GradientEstimator> imle = () -> Estimators.imle().lambda(1).build();
            double[] untrained = VariantComparison.regrets(imle, p, 10, 0, 0.2, 3, m);
            for (int seed = 0; seed < 3; seed++) {
                SyntheticProblem problem = SyntheticProblem.draw(10, new SplittableRandom(seed), false);
                double best = Arrays.stream(problem.stateLosses()).min().orElseThrow();
                assertEquals(problem.loss() - best, untrained[seed], 1e-12, "seed " + seed);
            }
            double[] trained = VariantComparison.regrets(imle, p, 10, 30, 0.2, 3, m);
            assertTrue(
                    Arrays.stream(trained).sum() < Arrays.stream(untrained).sum(),
                    Arrays.toString(trained) + " after 30 steps against " + Arrays.toString(untrained));
        }
    }
}
