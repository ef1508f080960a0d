package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Subset precision against a count by hand. */
class SubsetPrecisionTest {
    @Test
    void matchesACountByHand() {
        // padded length 6, k = 3. Review A: 5 tokens at positions 1..5, rationale tokens 1-2 (positions
        // 2, 3). Selected: padding 0 (not counted), position 1 (token 0, outside) and 2 (inside):
        // 1 of 2 counted selections, counted as max(2, k) = 3.
        L2xData.Annotated a = new L2xData.Annotated(
                new int[] {0, 5, 6, 7, 8, 9},
                5,
                new boolean[] {false, false, true, true, false, false},
                List.of("a", "b", "c", "d", "e"),
                0.5f);
        // Review B: 6 tokens, rationale positions 0..3; selected 0, 1, 5: 2 of 3 inside.
        L2xData.Annotated b = new L2xData.Annotated(
                new int[] {4, 5, 6, 7, 8, 9},
                6,
                new boolean[] {true, true, true, true, false, false},
                List.of("a", "b", "c", "d", "e", "f"),
                0.5f);
        float[][] selections = {{1, 1, 1, 0, 0, 0}, {1, 1, 0, 0, 0, 1}};
        // (1 + 2) correct of (3 + 3) counted
        assertEquals(3.0 / 6.0, SubsetPrecision.of(List.of(a, b), selections, 3), 1e-12);
        // with k = 1 the padding-free count of A is its own, 2: (1 + 2) of (2 + 3)
        assertEquals(3.0 / 5.0, SubsetPrecision.of(List.of(a, b), selections, 1), 1e-12);
    }
}
