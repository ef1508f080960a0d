package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.GradientEstimator;
import dev.aimle.app.cli.CliRun;
import dev.aimle.estimators.imle.CalibratedAimle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimle variants --set targets} (the calibrated preset at each fixed target) and {@code --set
 * imle} (IMLE at each lambda beside the preset and the paper's AIMLE), both differences, and the
 * checks of {@code --learn} (what it computes: {@code VariantComparisonIT}).
 */
class VariantSetsTest {

    @Test
    void oneContenderPerDifferenceAndTargetEachAFreshPresetWithThatTarget() {
        List<VariantComparison.Contender> contenders = VariantComparison.targetContenders(new double[] {0.5, 1.9});
        assertEquals(
                List.of(
                        "calibrated, c = 0.5 (forward)",
                        "calibrated, c = 1.9 (forward)",
                        "calibrated, c = 0.5 (central)",
                        "calibrated, c = 1.9 (central)"),
                contenders.stream().map(VariantComparison.Contender::label).toList());
        for (VariantComparison.Contender c : contenders) {
            GradientEstimator first = c.estimator().get();
            CalibratedAimle preset = assertInstanceOf(CalibratedAimle.class, first);
            String description = preset.toString();
            String target =
                    c.label().substring("calibrated, c = ".length(), c.label().indexOf(" ("));
            assertTrue(description.contains("c = " + target + " per solver unit"), description);
            assertTrue(description.contains(c.label().contains("central") ? "central" : "forward"), description);
            // a fresh estimator per seed: the supplier never hands out the same instance twice
            assertTrue(first != c.estimator().get(), c.label());
        }
    }

    @Test
    void aBadTargetIsRefusedBeforeAnyRunNamingIt(@TempDir Path home) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> VariantComparison.targetContenders(new double[] {1, -0.5}));
        assertTrue(e.getMessage().contains("-0.5"), e.getMessage());

        CliRun r = CliRun.run(Map.of(), home, "variants", "--set", "targets", "--targets", "0.5,0", "--seeds", "1");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--targets") && r.err().contains("(0.0)"), r.describe());
        assertTrue(r.out().isEmpty(), "no table before the check: " + r.describe());
    }

    @Test
    void anUnknownSetNamesTheFourSets(@TempDir Path home) {
        CliRun r = CliRun.run(Map.of(), home, "variants", "--set", "best");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--set (best) must be 'paper', 'calibrated', 'targets' or 'imle'"), r.describe());
    }

    @Test
    void theImleSetIsEachLambdaThenThePresetsThenThePapersAimlePerDifference() {
        List<String> labels = VariantComparison.imleContenders(new double[] {0.5, 2}).stream()
                .map(VariantComparison.Contender::label)
                .toList();
        assertEquals(
                List.of(
                        "IMLE, lambda = 0.5 (forward)",
                        "IMLE, lambda = 2.0 (forward)",
                        "calibrated preset (forward)",
                        "noise-scaled preset (forward)",
                        "AIMLE, paper (forward)",
                        "IMLE, lambda = 0.5 (central)",
                        "IMLE, lambda = 2.0 (central)",
                        "calibrated preset (central)",
                        "noise-scaled preset (central)",
                        "AIMLE, paper (central)"),
                labels);
        GradientEstimator central = VariantComparison.imleContenders(new double[] {0.5})
                .get(4)
                .estimator()
                .get();
        assertTrue(central.toString().toLowerCase(java.util.Locale.ROOT).contains("central"), central.toString());
        assertThrows(IllegalArgumentException.class, () -> VariantComparison.imleContenders(new double[] {-1}));
    }

    @Test
    void theHeldAlphaNeverMovesAndHasNoState() {
        VariantComparison.HeldAlpha held = new VariantComparison.HeldAlpha();
        assertEquals(0.37, held.next(0.37, 5.0, 1.0));
        assertEquals(0.37, held.next(0.37, 0.0, 1.0));
        assertTrue(held.state().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> held.restoreState(Map.of("alpha", 1.0)));
        assertTrue(VariantComparison.calibratedContenders().stream()
                .anyMatch(c -> c.label().equals("calibrated, then alpha held (central)")));
    }

    @Test
    void badLearningSettingsAreUsageErrors(@TempDir Path home) {
        CliRun steps = CliRun.run(Map.of(), home, "variants", "--learn", "-1");
        assertEquals(2, steps.code(), steps.describe());
        assertTrue(steps.err().contains("--learn (-1) must be between 0 and 100000"), steps.describe());
        CliRun rate = CliRun.run(Map.of(), home, "variants", "--learn", "5", "--learn-rate", "0");
        assertEquals(2, rate.code(), rate.describe());
        assertTrue(rate.err().contains("--learn-rate (0.0) must be a finite number above 0"), rate.describe());
        CliRun lambda = CliRun.run(Map.of(), home, "variants", "--set", "imle", "--imle-lambda", "1,-3");
        assertEquals(2, lambda.code(), lambda.describe());
        assertTrue(lambda.err().contains("--imle-lambda") && lambda.err().contains("-3"), lambda.describe());
    }
}
