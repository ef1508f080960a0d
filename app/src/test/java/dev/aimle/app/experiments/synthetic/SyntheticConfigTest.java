package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration is canonical (flag order does not matter for resuming) and validated. */
class SyntheticConfigTest {

    @Test
    void orderAndDuplicatesDoNotChangeTheConfiguration() {
        SyntheticConfig a = new SyntheticConfig(
                List.of(50, 10, 10),
                List.of(100, 1),
                List.of(Method.SFE, Method.AIMLE_FORWARD),
                List.of(2.0, 1.0),
                List.of(5.0, 0.0, 5.0),
                List.of(10),
                1000,
                4,
                100,
                List.of(1000, 0),
                List.of(10, 1),
                false,
                "gumbel");
        SyntheticConfig b = new SyntheticConfig(
                List.of(10, 50),
                List.of(1, 100),
                List.of(Method.AIMLE_FORWARD, Method.SFE),
                List.of(1.0, 2.0),
                List.of(0.0, 5.0),
                List.of(10),
                1000,
                4,
                100,
                List.of(0, 1000),
                List.of(1, 10),
                false,
                "gumbel");
        assertEquals(a, b);
        assertEquals(a.toMap(), b.toMap());
        assertEquals(List.of(10, 50), a.sizes());
        assertEquals(List.of(Method.AIMLE_FORWARD, Method.SFE), a.methods(), "estimators in the paper's order");
        assertEquals(List.of("aimle-forward", "sfe"), a.toMap().get("estimators"));
    }

    @Test
    void badValuesAreRefusedNamingTheValue() {
        assertMessage("n (1) must be at least 2", () -> config(List.of(1), List.of(1), 4, 100));
        assertMessage("samples (0) must be at least 1", () -> config(List.of(10), List.of(0), 4, 100));
        assertMessage("seeds (0) must be at least 1", () -> config(List.of(10), List.of(1), 0, 100));
        assertMessage("warmup (-1) must be at least 0", () -> config(List.of(10), List.of(1), 4, -1));
        assertMessage(
                "lambda (-0.5) must be a finite number at least 0",
                () -> new SyntheticConfig(
                        List.of(10),
                        List.of(1),
                        List.of(Method.IMLE_FORWARD),
                        List.of(1.0),
                        List.of(-0.5),
                        List.of(10),
                        10,
                        1,
                        0,
                        List.of(),
                        List.of(1),
                        false,
                        "gumbel"));
        assertMessage(
                "estimators must name at least one of aimle-forward",
                () -> new SyntheticConfig(
                        List.of(10),
                        List.of(1),
                        List.of(),
                        List.of(1.0),
                        List.of(),
                        List.of(10),
                        10,
                        1,
                        0,
                        List.of(),
                        List.of(1),
                        false,
                        "gumbel"));
    }

    @Test
    void sweepAndStudyRunOnlyWithTheirEstimators() {
        SyntheticConfig steOnly = new SyntheticConfig(
                List.of(10),
                List.of(1),
                List.of(Method.STE),
                List.of(1.0),
                List.of(0.0, 1.0),
                List.of(10),
                10,
                1,
                0,
                List.of(0, 10),
                List.of(1),
                false,
                "gumbel");
        assertTrue(!steOnly.hasLambdaSweep() && !steOnly.hasWarmupStudy(), "no IMLE, no AIMLE: " + steOnly);
        SyntheticPlan plan = SyntheticPlan.of(steOnly);
        assertEquals(1, plan.points().size(), "one STE point: " + plan.points());
    }

    @Test
    void sharedPointsAreComputedOnce() {
        // the sweep's references at n = 10, S = 1000 are also Fig. 3 points
        SyntheticConfig c = new SyntheticConfig(
                List.of(10),
                List.of(1000),
                Method.paper(),
                List.of(1.0),
                List.of(0.0, 1.0),
                List.of(10),
                1000,
                2,
                5,
                List.of(5),
                List.of(1000),
                false,
                "gumbel");
        SyntheticPlan plan = SyntheticPlan.of(c);
        assertEquals(plan.points().size(), new HashSet<>(plan.points()).size(), "distinct points");
        // Fig. 3: 6 groups; sweep: IMLE x 2 lambdas x 2 variants, of which lambda 1 is in Fig. 3; study: same as Fig. 3
        assertEquals(2 * (6 + 2), plan.points().size(), plan.points().toString());
    }

    private static SyntheticConfig config(List<Integer> n, List<Integer> s, int seeds, int warmup) {
        return new SyntheticConfig(
                n,
                s,
                List.of(Method.STE),
                List.of(1.0),
                List.of(),
                List.of(10),
                10,
                seeds,
                warmup,
                List.of(),
                List.of(1),
                false,
                "gumbel");
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(expected), "expected '" + expected + "...', got: " + x.getMessage());
    }
}
