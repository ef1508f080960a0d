package dev.aimle.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MomentsTest {

    @Test
    void populationMomentsInClosedForm() {
        double[] values = {1, 2, 3, 4};
        assertEquals(2.5, Moments.mean(values));
        // ((1.5)² + (0.5)² + (0.5)² + (1.5)²) / 4
        assertEquals(1.25, Moments.variance(values));
        assertEquals(Math.sqrt(1.25), Moments.std(values));
        assertEquals(0.0, Moments.std(new double[] {7}));
    }

    @Test
    void noValuesHaveNoMoments() {
        assertEquals(Double.NaN, Moments.mean(new double[0]));
        assertEquals(Double.NaN, Moments.variance(new double[0]));
        assertEquals(Double.NaN, Moments.std(new double[0]));
    }
}
