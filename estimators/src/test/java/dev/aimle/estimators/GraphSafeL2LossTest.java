package dev.aimle.estimators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

/** {@link GraphSafeL2Loss} gives DJL's L2 loss and its gradient (closed form: weight * 2 (p - y) / n). */
class GraphSafeL2LossTest {

    @Test
    void valueAndGradientAreTheClosedForm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] p = {1f, -2f, 0.5f, 3f, 0f, 1.5f};
            float[] y = {0f, 1f, 0.5f, 2f, -1f, 1f};
            NDArray prediction = manager.create(p, new Shape(2, 3));
            NDArray label = manager.create(y, new Shape(6));
            prediction.setRequiresGradient(true);
            float[] gradient;
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new GraphSafeL2Loss("l2", 0.75).evaluate(new NDList(label), new NDList(prediction));
                value = loss.getFloat();
                gc.backward(loss);
            }
            gradient = prediction.getGradient().toFloatArray();
            double expected = 0;
            float[] closedForm = new float[6];
            for (int i = 0; i < 6; i++) {
                expected += 0.75 * (p[i] - y[i]) * (p[i] - y[i]) / 6;
                closedForm[i] = (float) (0.75 * 2 * (p[i] - y[i]) / 6);
            }
            assertEquals(expected, value, 1e-6);
            assertArrayEquals(closedForm, gradient, 1e-6f);
            // the same value as DJL's own L2 loss (weight 1/2 by default)
            assertEquals(
                    Loss.l2Loss()
                            .evaluate(new NDList(label), new NDList(prediction))
                            .getFloat(),
                    new GraphSafeL2Loss()
                            .evaluate(new NDList(label), new NDList(prediction))
                            .getFloat(),
                    1e-7f);
        }
        assertThrows(IllegalArgumentException.class, () -> new GraphSafeL2Loss("l2", Double.NaN));
    }
}
