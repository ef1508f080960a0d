package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class PathMetricsTest {
    // 3x3 maps, row-major
    private static final float[] COSTS = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final float[] DIAGONAL = {1, 0, 0, 0, 1, 0, 0, 0, 1}; // cost 15
    private static final float[] TOP_RIGHT = {1, 1, 0, 0, 0, 1, 0, 0, 1}; // cost 1+2+6+9 = 18
    private static final float[] BROKEN = {1, 0, 0, 0, 0, 0, 0, 0, 1}; // cost 10, not connected

    private static float[] concat(float[]... grids) {
        float[] out = new float[grids.length * 9];
        for (int i = 0; i < grids.length; i++) {
            System.arraycopy(grids[i], 0, out, i * 9, 9);
        }
        return out;
    }

    @Test
    void handMadeBatch() {
        float[] weights = concat(COSTS, COSTS, COSTS);
        float[] truth = concat(DIAGONAL, DIAGONAL, DIAGONAL);
        float[] suggested = concat(DIAGONAL, TOP_RIGHT, BROKEN);
        PathMetrics m = PathMetrics.of(weights, truth, suggested, 3);
        assertEquals(3, m.maps());
        assertEquals(1.0 / 3, m.perfectMatch(), 1e-12);
        assertEquals((1 + 18.0 / 15 + 10.0 / 15) / 3, m.costRatio(), 1e-12);
        // right cells: 9 + (9 - 3 wrong: cells 1, 4, 5) + (9 - 1 wrong: cell 4) = 9 + 6 + 8
        assertEquals(23.0 / 27, m.cellAccuracy(), 1e-12);
        assertEquals(2.0 / 3, m.validShare(), 1e-12);

        PathMetrics twice = m.plus(PathMetrics.of(concat(COSTS), concat(DIAGONAL), concat(DIAGONAL), 3));
        assertEquals(4, twice.maps());
        assertEquals(2.0 / 4, twice.perfectMatch(), 1e-12);
        assertEquals(3.0 / 4, twice.validShare(), 1e-12);
    }

    @Test
    void validPathsThroughEightNeighbours() {
        assertTrue(PathMetrics.isValidPath(DIAGONAL, 0, 3));
        assertTrue(PathMetrics.isValidPath(TOP_RIGHT, 0, 3));
        assertFalse(PathMetrics.isValidPath(BROKEN, 0, 3));
        assertFalse(PathMetrics.isValidPath(new float[] {0, 1, 0, 0, 1, 0, 0, 0, 1}, 0, 3), "start not chosen");
        assertFalse(PathMetrics.isValidPath(new float[] {1, 1, 1, 0, 0, 1, 0, 0, 0}, 0, 3), "end not chosen");
        // extra cells are allowed: the reference asks for a path inside the suggestion
        assertTrue(PathMetrics.isValidPath(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 0, 3));
        // the second grid of a batch
        assertTrue(PathMetrics.isValidPath(concat(BROKEN, DIAGONAL), 9, 3));
    }

    @Test
    void refusesMismatchedBatches() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PathMetrics.of(concat(COSTS), concat(DIAGONAL), concat(DIAGONAL, DIAGONAL), 3));
        assertTrue(e.getMessage().contains("suggested (18)"), e.getMessage());
    }

    @Test
    void hammingLossAndItsGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray s = manager.create(concat(DIAGONAL, TOP_RIGHT), new Shape(2, 3, 3));
            NDArray y = manager.create(concat(DIAGONAL, DIAGONAL), new Shape(2, 3, 3));
            s.setRequiresGradient(true);
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray loss = PathMetrics.hammingLoss(s, y);
                // wrong cells: 0 in the first map, 3 in the second; mean over the batch per cell, summed
                assertEquals(1.5f, loss.getFloat(), 1e-6f);
                gc.backward(loss);
            }
            float[] grad = s.getGradient().toFloatArray();
            float[] truth = concat(DIAGONAL, DIAGONAL);
            for (int i = 0; i < grad.length; i++) {
                assertEquals((1 - 2 * truth[i]) / 2, grad[i], 1e-6f, "cell " + i);
            }
        }
    }
}
