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

/** {@code aimle variants --set targets}: the calibrated preset at each fixed target, both differences. */
class VariantsTargetsTest {

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
    void anUnknownSetNamesTheThreeSets(@TempDir Path home) {
        CliRun r = CliRun.run(Map.of(), home, "variants", "--set", "best");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--set (best) must be 'paper', 'calibrated' or 'targets'"), r.describe());
    }
}
