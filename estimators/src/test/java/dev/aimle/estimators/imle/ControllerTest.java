package dev.aimle.estimators.imle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerTest {

    @Test
    void signRuleStepsByEtaAndNeverGoesBelowZero() {
        SignController c = new SignController(1e-3, 0);
        assertEquals(1e-3, c.next(0, 1.0, 1.0), 0, "gbar == c counts as below target (Eq. 10: <=)");
        assertEquals(0.5 - 1e-3, c.next(0.5, 1.01, 1.0), 1e-15);
        assertEquals(0, c.next(0, 3, 1.0), 0, "clamped at 0");
        assertThrows(IllegalArgumentException.class, () -> new SignController(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SignController(1e-3, 1));
    }

    @Test
    void rpropGrowsItsStepWhileTheDirectionRepeatsAndHalvesItOnAFlip() {
        RpropController c = new RpropController(0.1, 1e-3, 1.0); // not the defaults: round numbers
        double a1 = c.next(1.0, 0.0, 1.0);
        assertEquals(Math.exp(0.1), a1, 1e-12);
        double a2 = c.next(a1, 0.0, 1.0);
        assertEquals(a1 * Math.exp(0.12), a2, 1e-12);
        double a3 = c.next(a2, 5.0, 1.0);
        assertEquals(a2 * Math.exp(-0.06), a3, 1e-12);
        assertEquals(Map.of("step", 0.06, "lastDirection", -1.0), roundStep(c.state()));
        for (int i = 0; i < 100; i++) {
            c.next(1.0, 0.0, 1.0);
        }
        assertEquals(1.0, c.state().get("step"), 0, "capped at maxStep");
        assertThrows(IllegalStateException.class, () -> c.next(0, 0, 1));
        assertTrue(c.requiresPositiveAlpha());
        RpropController fresh = (RpropController) c.copy();
        assertEquals(0.1, fresh.state().get("step"), 0);
        assertThrows(IllegalArgumentException.class, () -> new RpropController(2, 1e-3, 1));
    }

    private static Map<String, Double> roundStep(Map<String, Double> state) {
        return Map.of("step", Math.round(state.get("step") * 1e12) / 1e12, "lastDirection", state.get("lastDirection"));
    }

    @Test
    void rpropNeedsAPositiveStartingAlpha() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Aimle.builder()
                        .controller(RpropController.withDefaults())
                        .alpha0(0)
                        .build());
        assertTrue(
                e.getMessage().contains("alpha0 (0.0) must be greater than 0 with the rprop controller"),
                e.getMessage());
    }

    @Test
    void momentumAddsUpRepeatedStepsAsTheReferenceDoes() {
        // reference: update = momentum * previous + (+/- step); beta = max(beta + update, 0); previous = update
        SignController c = new SignController(0.1, 0.5);
        double a = c.next(0, 0, 1);
        assertEquals(0.1, a, 1e-12);
        a = c.next(a, 0, 1);
        assertEquals(0.1 + 0.15, a, 1e-12, "0.5 * 0.1 + 0.1");
        a = c.next(a, 5, 1);
        assertEquals(0.25 + (0.5 * 0.15 - 0.1), a, 1e-12, "a flip: momentum slows the reversal");
        assertEquals(0.5 * 0.15 - 0.1, c.state().get("previousUpdate"), 1e-15);
        SignController copy = (SignController) c.copy();
        assertEquals(Map.of("previousUpdate", 0.0), copy.state(), "a copy starts afresh");
        copy.restoreState(c.state());
        assertEquals(c.next(1, 0, 1), copy.next(1, 0, 1), 0);
        assertThrows(IllegalArgumentException.class, () -> copy.restoreState(Map.of()));
    }

    @Test
    void builderCallsCommuteOrFailClearly() {
        Aimle etaFirst =
                Aimle.builder().eta(5e-3).momentum(0.5).referencePreset().build();
        Aimle presetFirst =
                Aimle.builder().referencePreset().momentum(0.5).eta(5e-3).build();
        assertEquals(etaFirst.toString(), presetFirst.toString());
        assertTrue(etaFirst.toString().contains("sign(eta 0.005, momentum 0.5)"), etaFirst.toString());
        assertEquals(1.0, etaFirst.alpha(), 0, "the preset's alpha0 fills what was not set");
        assertEquals(0.0, Aimle.builder().alpha0(0).referencePreset().build().alpha(), 0, "explicit alpha0 wins");
        IllegalArgumentException both = assertThrows(
                IllegalArgumentException.class,
                () -> Aimle.builder()
                        .controller(RpropController.withDefaults())
                        .eta(1e-3)
                        .build());
        assertTrue(both.getMessage().contains("cannot be combined with controller(rprop)"), both.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Aimle.builder()
                        .eta(1e-3)
                        .controller(RpropController.withDefaults())
                        .build());
        assertEquals(
                1.0,
                Aimle.builder()
                        .controller(RpropController.withDefaults())
                        .build()
                        .alpha(),
                0,
                "a multiplicative controller starts from alpha0 = 1 unless told otherwise");
    }
}
