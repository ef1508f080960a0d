package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.GradientEstimator;
import dev.aimle.app.harness.Method;
import dev.aimle.estimators.imle.NoiseScaledAimle;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L2X's calibrated methods create AIMLE's calibrated preset with the difference they name, and the
 * default grid (every method of the paper's table and its scale) leaves them out, as it leaves out the noise-scaled preset's methods.
 */
class L2xCalibratedMethodTest {

    @Test
    void theCalibratedMethodsAreThePresetWithTheirDifference() {
        for (String difference : new String[] {"forward", "central"}) {
            L2xMethod method = L2xMethod.parse("aimle-calibrated-" + difference);
            GradientEstimator e = method.estimator(1000, false, 1);
            assertEquals("aimle", e.name());
            assertTrue(e.toString().startsWith("AIMLE(calibrated, " + difference), e.toString());
            assertEquals(0.0, e.state().get("calibrated"), "not calibrated before its first step");
            assertFalse(method.usesLambda());
            assertFalse(method.fixed());
            assertTrue(method.beyondThePaper());
        }
    }

    @Test
    void theNoiseScaledMethodsAreThatPresetWithTheirDifference() {
        for (String difference : new String[] {"forward", "central"}) {
            L2xMethod method = L2xMethod.parse("aimle-noise-scaled-" + difference);
            GradientEstimator e = method.estimator(1000, false, 1);
            NoiseScaledAimle preset = assertInstanceOf(NoiseScaledAimle.class, e);
            assertTrue(e.toString().startsWith("AIMLE noise-scaled(" + difference), e.toString());
            assertEquals(difference.equals("central") ? 3.0 : 0.1, preset.kappa());
            assertFalse(method.usesLambda());
            assertTrue(method.beyondThePaper());
        }
    }

    @Test
    void theDefaultGridIsEveryMethodButTheCalibratedOnes() {
        List<String> defaults = List.of(Method.paperIds(L2xMethod.class).split(","));
        List<String> expected = Arrays.stream(L2xMethod.values())
                .map(L2xMethod::id)
                .filter(id -> !id.startsWith("aimle-calibrated-") && !id.startsWith("aimle-noise-scaled-"))
                .toList();
        assertEquals(expected, defaults);
        assertTrue(defaults.containsAll(List.of("random", "oracle", "aimle-central", "imle-central", "l2x")));
    }
}
