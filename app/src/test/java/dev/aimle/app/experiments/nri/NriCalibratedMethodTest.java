package dev.aimle.app.experiments.nri;

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
 * NRI's calibrated methods create AIMLE's calibrated preset with the difference they name (not the
 * paper's AIMLE with {@code --target}), and the default grid and the bench's methods leave them out, as they leave out the noise-scaled preset's methods.
 */
class NriCalibratedMethodTest {

    @Test
    void theCalibratedMethodsAreThePresetWithTheirDifference() {
        for (String difference : new String[] {"forward", "central"}) {
            NriMethod method = NriMethod.parse("aimle-calibrated-" + difference);
            GradientEstimator e = method.create(NriExperiment.defaults(method, 10, 0, 3));
            assertEquals("aimle", e.name());
            assertTrue(e.toString().startsWith("AIMLE(calibrated, " + difference), e.toString());
            assertEquals(0.0, e.state().get("calibrated"), "not calibrated before its first step");
            assertFalse(method.usesLambda());
            assertFalse(method.gumbelNoise(), "Sum-of-Gamma noise, as the paper's AIMLE");
            assertTrue(method.adaptive(), "its lambda is drawn with the paper's AIMLE's");
            assertTrue(method.beyondThePaper());
        }
    }

    @Test
    void theNoiseScaledMethodsAreThatPresetWithTheirDifference() {
        for (String difference : new String[] {"forward", "central"}) {
            NriMethod method = NriMethod.parse("aimle-noise-scaled-" + difference);
            GradientEstimator e = method.create(NriExperiment.defaults(method, 10, 0, 3));
            NoiseScaledAimle preset = assertInstanceOf(NoiseScaledAimle.class, e);
            assertTrue(e.toString().startsWith("AIMLE noise-scaled(" + difference), e.toString());
            assertEquals(difference.equals("central") ? 3.0 : 0.1, preset.kappa());
            assertFalse(method.usesLambda());
            assertTrue(method.beyondThePaper());
        }
    }

    @Test
    void theDefaultGridAndTheBenchAreThePapersMethods() {
        List<String> expected = Arrays.stream(NriMethod.values())
                .map(NriMethod::id)
                .filter(id -> !id.startsWith("aimle-calibrated-") && !id.startsWith("aimle-noise-scaled-"))
                .toList();
        assertEquals(expected, List.of(Method.paperIds(NriMethod.class).split(",")));
        assertEquals(
                expected, NriExperiment.methods().stream().map(NriMethod::id).toList());
        assertTrue(expected.containsAll(List.of("sst", "aimle-forward", "aimle-central", "ste")));
    }
}
