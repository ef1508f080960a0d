package dev.aimle.estimators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The sample layout: instance b at rows b*S .. b*S+S-1, checked entry by entry. */
class SampleLayoutTest {

    @Test
    void repeatBySampleMeanAndFlattenAgreeOnTheOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray perInstance = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray repeated = SampleLayout.repeat(perInstance, 3);
            assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, repeated.toFloatArray());
            assertEquals(new Shape(2, 3, 2), SampleLayout.bySample(repeated, 3).getShape());
            assertArrayEquals(
                    new float[] {3, 4},
                    SampleLayout.bySample(repeated, 3).get("1, 2").toFloatArray());
            NDArray samples = m.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new Shape(6, 2));
            assertArrayEquals(
                    new float[] {2, 3, 8, 9},
                    SampleLayout.meanOverSamples(samples, 3).toFloatArray());
            assertEquals(
                    new Shape(0, 2),
                    SampleLayout.meanOverSamples(m.zeros(new Shape(0, 2)), 3).getShape());
            NDArray rows = m.arange(24f).reshape(2, 3, 4);
            NDArray flat = SampleLayout.flattenInstances(rows);
            assertEquals(new Shape(2, 12), flat.getShape());
            assertArrayEquals(rows.toFloatArray(), flat.toFloatArray(), "the same order");
            // repeatLike: training (S samples) and evaluation (one state) with the same call
            assertEquals(
                    new Shape(6, 2),
                    SampleLayout.repeatLike(perInstance, m.zeros(new Shape(6, 5)))
                            .getShape());
            assertEquals(
                    new Shape(2, 2),
                    SampleLayout.repeatLike(perInstance, m.zeros(new Shape(2, 5)))
                            .getShape());
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> SampleLayout.repeatLike(perInstance, m.zeros(new Shape(5, 5))));
            assertTrue(e.getMessage().contains("not a multiple of the batch size 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SampleLayout.bySample(samples, 4));
            assertThrows(IllegalArgumentException.class, () -> SampleLayout.repeat(perInstance, 0));
        }
    }

    @Test
    void schedulesGiveTheReferenceAnnealing() {
        Schedule gs = Schedule.exponentialDecay(1, 3e-5, 0.5, 1000);
        assertEquals(1.0, gs.at(0), 0);
        assertEquals(1.0, gs.at(999), 0, "updated every 1000 steps");
        assertEquals(Math.exp(-3e-5 * 1000), gs.at(1000), 1e-15);
        assertEquals(Math.exp(-3e-5 * 5000), gs.at(5999), 1e-15);
        assertEquals(0.5, gs.at(1_000_000), 0, "the floor");
        assertEquals(0.7, Schedule.constant(0.7).at(123), 0);
        assertThrows(IllegalArgumentException.class, () -> Schedule.constant(0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponentialDecay(1, -1, 0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponentialDecay(1, 1, 0.5, 0));
    }
}
