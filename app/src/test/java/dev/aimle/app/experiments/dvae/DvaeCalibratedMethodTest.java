package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.GradientEstimator;
import dev.aimle.app.cli.CliRun;
import dev.aimle.app.harness.Method;
import dev.aimle.app.harness.Specs;
import dev.aimle.estimators.imle.NoiseScaledAimle;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DVAE's calibrated methods create AIMLE's calibrated preset, with the difference they name, and
 * with a fixed target when the spec holds one.
 */
class DvaeCalibratedMethodTest {

    /** A K = 1 run of this method with this fixed target ({@code null}: c(S)). */
    private static DvaeSpec spec(DvaeMethod method, Double target) {
        return new DvaeSpec(method, 1, 1, 0, false, 0, 6, 100, 1e-3, "/data", 0, "topk", Map.of(), target);
    }

    @Test
    void theCalibratedMethodsAreThePresetWithTheirDifference() {
        for (String difference : new String[] {"forward", "central"}) {
            DvaeMethod method = DvaeMethod.parse("aimle-calibrated-" + difference);
            GradientEstimator e = method.create(0, false, null);
            assertEquals("aimle", e.name());
            assertTrue(e.toString().startsWith("AIMLE(calibrated, " + difference), e.toString());
            assertEquals(0.0, e.state().get("calibrated"), "not calibrated before its first step");
            assertFalse(method.usesLambda());
            assertTrue(method.supports(1) && method.supports(10));
        }
    }

    @Test
    void theNoiseScaledMethodsAreThatPresetWithTheirDifferenceAndRunOnlyWhenNamed() {
        for (String difference : new String[] {"forward", "central"}) {
            DvaeMethod method = DvaeMethod.parse("aimle-noise-scaled-" + difference);
            GradientEstimator e = method.create(0, false, null);
            NoiseScaledAimle preset = assertInstanceOf(NoiseScaledAimle.class, e);
            assertTrue(e.toString().startsWith("AIMLE noise-scaled(" + difference), e.toString());
            assertEquals(difference.equals("central") ? 3.0 : 0.1, preset.kappa());
            assertFalse(method.usesLambda());
            assertTrue(method.supports(1) && method.supports(10));
            assertTrue(method.beyondThePaper());
            assertFalse(Method.paperIds(DvaeMethod.class).contains(method.id()));
        }
    }

    @Test
    void aFixedTargetReachesThePresetAndNamesTheRun() {
        DvaeSpec fixed = spec(DvaeMethod.AIMLE_CALIBRATED_CENTRAL, 1.0);
        assertEquals("aimle-calibrated-central_k1_s1_c1_seed0", fixed.id());
        assertEquals("AIMLE calibrated (central) c=1", fixed.label());
        assertEquals(1.0, Specs.toTree(fixed).get("calibratedTarget").asDouble());
        assertEquals(fixed, Specs.fromTree(Specs.toTree(fixed), DvaeSpec.class));
        assertEquals(fixed, fixed.withEpochs(8).withEpochs(6));
        GradientEstimator e = fixed.method().create(0, false, fixed.calibratedTarget());
        assertTrue(e.toString().contains("c = 1.0 per solver unit"), e.toString());

        DvaeSpec cOfS = spec(DvaeMethod.AIMLE_CALIBRATED_CENTRAL, null);
        assertFalse(Specs.toTree(cOfS).has("calibratedTarget"), "runs with c(S) write spec.json as before");
        assertEquals("aimle-calibrated-central_k1_s1_seed0", cOfS.id());
        assertTrue(cOfS.method().create(0, false, null).toString().contains("min(1.9"));
    }

    @Test
    void aFixedTargetIsRefusedForOtherMethodsAndWhenNotAPositiveNumber() {
        IllegalArgumentException other =
                assertThrows(IllegalArgumentException.class, () -> spec(DvaeMethod.AIMLE_CENTRAL, 1.0));
        assertTrue(other.getMessage().contains("calibrated preset only, not to AIMLE (central)"), other.getMessage());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> spec(DvaeMethod.AIMLE_CALIBRATED_FORWARD, bad));
            assertTrue(e.getMessage().contains("(" + bad + ")"), e.getMessage());
        }
    }

    @Test
    void theFlagWithoutACalibratedMethodIsAUsageError(@TempDir Path home) {
        CliRun r = CliRun.run(
                Map.of(),
                home,
                "dvae",
                "--methods",
                "aimle-central,ste",
                "--calibrated-target",
                "1",
                "-o",
                home.resolve("out").toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--calibrated-target ([1.0]) needs an aimle-calibrated method"), r.describe());
    }
}
