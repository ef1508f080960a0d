package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.GradientEstimator;
import org.junit.jupiter.api.Test;

/** The DVAE's calibrated methods create AIMLE's calibrated preset, with the difference they name. */
class DvaeCalibratedMethodTest {

    @Test
    void theCalibratedMethodsAreThePresetWithTheirDifference() {
        for (String difference : new String[] {"forward", "central"}) {
            DvaeMethod method = DvaeMethod.parse("aimle-calibrated-" + difference);
            GradientEstimator e = method.create(0, false);
            assertEquals("aimle", e.name());
            assertTrue(e.toString().startsWith("AIMLE(calibrated, " + difference), e.toString());
            assertEquals(0.0, e.state().get("calibrated"), "not calibrated before its first step");
            assertFalse(method.usesLambda());
            assertTrue(method.supports(1) && method.supports(10));
        }
    }
}
