package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.app.plugins.BuiltPlugins;
import dev.aimle.app.report.SeedStatistics;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.imle.CalibratedAimle;
import dev.aimle.estimators.imle.NoiseScaledAimle;
import dev.aimle.estimators.noise.Noise;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Learning on the synthetic problem (n = 10, S = 10): theta is trained by normalised gradient
 * descent ({@code theta <- theta - lr * g / ||g||}, so that the comparison is about the directions
 * the estimators give, not the 1/lambda scale of the paper's tiny early lambda), and AIMLE's
 * presets (calibrated for both differences, noise-scaled for the central one) must end closer to the
 * optimum than the paper's AIMLE, which spends these steps climbing from alpha = 0.
 */
class PresetLearningIT {
    private static final int N = 10;
    private static final int SAMPLES = 10;
    private static final int SEEDS = 16;
    private static final int STEPS = 50;
    private static final double LEARNING_RATE = 0.2;

    @Test
    void eachPresetLearnsMoreThanThePapersInFiftyStepsAtTenSamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Perturbation p = Perturbation.of(BuiltPlugins.solver("topk", "k", 1), Noise.gumbel(), SAMPLES);
            for (String difference : new String[] {"forward", "central"}) {
                double[] paper =
                        regrets(() -> Estimators.aimle().difference(difference).build(), p, manager);
                // The noise-scaled preset's forward kappa is trained networks' (0.1), far below this
                // problem's best: it is ahead of the paper's here after 50 steps (1.76 against 2.56)
                // but behind after 200 (0.84 against 0.53, README), so it is not asserted.
                Map<String, Supplier<GradientEstimator>> presets = difference.equals("central")
                        ? Map.of(
                                "calibrated", () -> CalibratedAimle.of(difference),
                                "noise-scaled", () -> NoiseScaledAimle.of(difference))
                        : Map.of("calibrated", () -> CalibratedAimle.of(difference));
                for (Map.Entry<String, Supplier<GradientEstimator>> preset : presets.entrySet()) {
                    double[] regret = regrets(preset.getValue(), p, manager);
                    // The same 16 problems and sampling streams for both: the gain per problem,
                    // paper's regret minus the preset's, must be positive beyond twice its standard
                    // error. Measured (mean regret): forward 2.56 paper, 0.53 calibrated; central
                    // 2.34 paper, 0.15 calibrated, 0.11 noise-scaled.
                    double[] gain = new double[SEEDS];
                    for (int i = 0; i < SEEDS; i++) {
                        gain[i] = paper[i] - regret[i];
                    }
                    double[] meanStd = SeedStatistics.meanStd(gain);
                    double standardError = meanStd[1] / Math.sqrt(SEEDS);
                    assertTrue(
                            meanStd[0] > 2 * standardError,
                            difference + ": regret after " + STEPS + " steps, " + preset.getKey() + " "
                                    + Arrays.toString(regret) + " against the paper's " + Arrays.toString(paper)
                                    + " (seeds 0-" + (SEEDS - 1) + ", sampling seeds 1000+): mean gain "
                                    + meanStd[0] + ", expected above twice its standard error " + standardError);
                }
            }
        }
    }

    private static double[] regrets(Supplier<GradientEstimator> estimator, Perturbation p, NDManager manager) {
        return VariantComparison.regrets(estimator, p, N, STEPS, LEARNING_RATE, SEEDS, manager);
    }
}
