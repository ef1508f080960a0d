package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The DVAE loss against a hand computation in double precision; tolerance 1e-4 relative. */
class DvaeModelTest {

    @Test
    void theLossIsBernoulliReconstructionOverSamplesPlusKlToUniformPerImage() {
        int b = 2;
        int s = 3;
        int pixels = 5;
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[b * pixels];
        float[] logits = new float[b * s * pixels];
        float[] theta = new float[b * 20 * 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble() < 0.5 ? 1 : (float) random.nextDouble();
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (4 * random.nextGaussian());
        }
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) random.nextGaussian();
        }
        double expected = 0;
        for (int row = 0; row < b * s; row++) {
            for (int p = 0; p < pixels; p++) {
                double l = logits[row * pixels + p];
                double t = x[(row / s) * pixels + p];
                double sigmoid = 1 / (1 + Math.exp(-l));
                expected -= t * Math.log(sigmoid) + (1 - t) * Math.log(1 - sigmoid);
            }
        }
        for (int r = 0; r < b * 20; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 20; j++) {
                max = Math.max(max, theta[r * 20 + j]);
            }
            double norm = 0;
            for (int j = 0; j < 20; j++) {
                norm += Math.exp(theta[r * 20 + j] - max);
            }
            for (int j = 0; j < 20; j++) {
                double q = Math.exp(theta[r * 20 + j] - max) / norm;
                expected += q * Math.log(q * 20);
            }
        }
        expected /= b;
        try (NDManager m = NDManager.newBaseManager()) {
            float loss = new DvaeModel.Elbo()
                    .evaluate(
                            new NDList(m.create(x, new Shape(b, pixels))),
                            new NDList(
                                    m.create(logits, new Shape(b * s, pixels)), m.create(theta, new Shape(b, 20, 20))))
                    .getFloat();
            assertEquals(expected, loss, 1e-4 * Math.abs(expected), "seed 11");
            // evaluation: one MAP state per image (S = 1), the same formula
            float single = new DvaeModel.Elbo()
                    .evaluate(
                            new NDList(m.create(x, new Shape(b, pixels))),
                            new NDList(
                                    m.create(logits, new Shape(b * s, pixels)).get("0:2"),
                                    m.create(theta, new Shape(b, 20, 20))))
                    .getFloat();
            assertEquals(true, Float.isFinite(single));
        }
    }
}
