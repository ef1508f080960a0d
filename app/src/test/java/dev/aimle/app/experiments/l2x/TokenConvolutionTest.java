package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The token convolution against hand computations and against PyTorch's convolution. */
class TokenConvolutionTest {

    @Test
    void windowsAreTheNeighboursWithZerosBeyondTheEnds() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 10, 2, 20, 3, 30}, new Shape(1, 3, 2)); // T = 3, C = 2
            NDArray w = TokenConvolution.windows(x, 3);
            assertEquals(new Shape(1, 3, 6), w.getShape());
            assertArrayEquals(
                    new float[] {0, 0, 1, 10, 2, 20, 1, 10, 2, 20, 3, 30, 2, 20, 3, 30, 0, 0}, w.toFloatArray());
            assertArrayEquals(x.toFloatArray(), TokenConvolution.windows(x, 1).toFloatArray());
        }
    }

    /** d/dx of sum(windows(x) * R) is sum over the windows holding x[t]: R[t + half - j][j-th block]. */
    @Test
    void theGradientOfTheWindowsIsTheClosedForm() {
        int b = 2, t = 5, c = 3, k = 3;
        Random random = new Random(7);
        float[] xs = new float[b * t * c];
        float[] rs = new float[b * t * k * c];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < rs.length; i++) {
            rs[i] = (float) random.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(xs, new Shape(b, t, c));
            x.setRequiresGradient(true);
            NDArray r = m.create(rs, new Shape(b, t, k * c));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(TokenConvolution.windows(x, k).mul(r).sum());
            }
            float[] grad = x.getGradient().toFloatArray();
            for (int bi = 0; bi < b; bi++) {
                for (int ti = 0; ti < t; ti++) {
                    for (int ci = 0; ci < c; ci++) {
                        double expected = 0;
                        for (int j = 0; j < k; j++) {
                            int window = ti + k / 2 - j;
                            if (window >= 0 && window < t) {
                                expected += rs[((bi * t + window) * k + j) * c + ci];
                            }
                        }
                        assertEquals(
                                expected, grad[(bi * t + ti) * c + ci], 1e-5, "x[" + bi + "," + ti + "," + ci + "]");
                    }
                }
            }
        }
    }

    /**
     * The same function as PyTorch's convolution with padding K/2, at 64 channels (where PyTorch's
     * CPU convolution reads only its inputs), the weight laid out W[f, j*C + c] = conv[f, c, j].
     */
    @Test
    void itIsTheConvolutionWithSamePadding() {
        int b = 3, t = 11, c = 64, f = 5, k = 3;
        Random random = new Random(11);
        float[] xs = new float[b * t * c];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) random.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            TokenConvolution block = new TokenConvolution(k, f);
            block.initialize(m, DataType.FLOAT32, new Shape(b, t, c));
            Parameter weight = block.getParameters().get("01dense_weight");
            Parameter bias = block.getParameters().get("01dense_bias");
            bias.getArray().set(new float[] {0.5f, -1f, 0f, 2f, 0.25f});
            float[] dense = weight.getArray().toFloatArray();
            float[] conv = new float[f * c * k];
            for (int fi = 0; fi < f; fi++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int j = 0; j < k; j++) {
                        conv[(fi * c + ci) * k + j] = dense[fi * k * c + j * c + ci];
                    }
                }
            }
            NDArray x = m.create(xs, new Shape(b, t, c));
            float[] ours = block.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();
            float[] pytorch = Conv1d.conv1d(
                            x.transpose(0, 2, 1).reshape(-1).reshape(b, c, t),
                            m.create(conv, new Shape(f, c, k)),
                            bias.getArray(),
                            new Shape(1),
                            new Shape(k / 2),
                            new Shape(1))
                    .singletonOrThrow()
                    .transpose(0, 2, 1)
                    .reshape(-1)
                    .toFloatArray();
            assertEquals(pytorch.length, ours.length);
            for (int i = 0; i < ours.length; i++) {
                assertEquals(pytorch[i], ours[i], 1e-4, "output " + i);
            }
        }
    }

    @Test
    void weightsAreXavierUniformOfTheConvolutionWithTheReluGain() {
        int c = 50, f = 32, k = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            TokenConvolution block = new TokenConvolution(k, f);
            block.initialize(m, DataType.FLOAT32, new Shape(4, 9, c));
            float[] w = block.getParameters().get("01dense_weight").getArray().toFloatArray();
            double bound = Math.sqrt(6.0 / ((k * c + k * f) / 2.0));
            double largest = 0;
            for (float v : w) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertTrue(largest <= bound && largest > 0.99 * bound, largest + " against the bound " + bound);
            assertEquals(
                    new Shape(f, k * c),
                    block.getParameters().get("01dense_weight").getArray().getShape());
            float[] bias = block.getParameters().get("01dense_bias").getArray().toFloatArray();
            assertArrayEquals(new float[f], bias);
        }
    }

    @Test
    void anEvenKernelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenConvolution(2, 4));
        assertTrue(e.getMessage().contains("kernel size (2)"), e.getMessage());
    }
}
