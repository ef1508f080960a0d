package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpecsFormatTest {

    @Test
    void wholeNumbersLoseTheirDecimalPointOthersAreJavas() {
        assertEquals("10", Specs.format(10.0));
        assertEquals("-3", Specs.format(-3));
        assertEquals("0", Specs.format(0));
        assertEquals("0.5", Specs.format(0.5));
        assertEquals("1.0E-4", Specs.format(1e-4));
    }
}
