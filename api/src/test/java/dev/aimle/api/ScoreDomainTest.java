package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ScoreDomain}: draws, membership and names. */
class ScoreDomainTest {

    @Test
    void nonNegativeDrawsAreTheMagnitudesOfTheRealOnesOfTheSameSeed() {
        float[] real = ScoreDomain.REAL.draw(new SplittableRandom(7), 1000);
        float[] nonNegative = ScoreDomain.NON_NEGATIVE.draw(new SplittableRandom(7), 1000);
        boolean anyNegative = false;
        for (int i = 0; i < real.length; i++) {
            assertEquals(Math.abs(real[i]), nonNegative[i], 0f, "draw " + i);
            assertTrue(ScoreDomain.NON_NEGATIVE.contains(nonNegative[i]), "draw " + i);
            anyNegative |= real[i] < 0;
        }
        assertTrue(anyNegative, "N(0, 1) draws of seed 7 include negative values");
        assertArrayEquals(real, ScoreDomain.REAL.draw(new SplittableRandom(7), 1000), 0f, "same seed, same draws");
    }

    @Test
    void membership() {
        assertTrue(ScoreDomain.REAL.contains(-3f));
        assertFalse(ScoreDomain.REAL.contains(Float.NaN));
        assertTrue(ScoreDomain.NON_NEGATIVE.contains(0f));
        assertFalse(ScoreDomain.NON_NEGATIVE.contains(-1e-30f));
        assertFalse(ScoreDomain.NON_NEGATIVE.contains(Float.POSITIVE_INFINITY));
    }

    @Test
    void namesRoundTripAndAnUnknownNameIsRefusedListingTheKnownOnes() {
        for (ScoreDomain d : ScoreDomain.values()) {
            assertEquals(d, ScoreDomain.fromConfigName(" " + d.configName().toUpperCase(java.util.Locale.ROOT)));
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ScoreDomain.fromConfigName("positive"));
        assertEquals("score domain 'positive' is unknown; known: real, non-negative", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScoreDomain.REAL.draw(new SplittableRandom(1), -1));
    }
}
