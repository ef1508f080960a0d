package dev.aimle.app.experiments.l2x;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * A 1-D convolution over tokens, {@code [B, T, C] -> [B, T, F]}, kernel K (odd), stride 1, zero
 * padding that keeps T (Keras's {@code padding="same"}): one dense layer over each token's window of
 * K neighbouring vectors, {@code out[b, t] = W · concat(x[b, t - K/2], ..., x[b, t + K/2]) + bias}.
 *
 * <p>Why not DJL's {@code Conv1d}: PyTorch 2.7.1's CPU convolution (oneDNN) reads memory it never
 * wrote for some channel counts. With 50 input channels and kernel 3 (the generated task's word
 * vectors), about half of the calls returned NaN once freed memory had held NaN bit patterns; with 64
 * channels or kernel 1, none did (measured on this project's machine, 100 calls per case). In
 * training that surfaced as a NaN at a random step in about one run in four. A dense layer over the
 * windows is the same function through a matrix product, and reads only what it was given.
 *
 * <p>Weights are drawn as Xavier-uniform for the equivalent convolution with the ReLU gain (fan in
 * {@code K*C}, fan out {@code K*F}, as Keras's {@code glorot_uniform} counts them for a Conv1D),
 * biases zero.
 */
final class TokenConvolution extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int kernel;
    private final int filters;
    private final Block dense;

    /**
     * @param kernel the window, odd and positive
     * @param filters the output channels F
     */
    TokenConvolution(int kernel, int filters) {
        super(VERSION);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("the kernel size (" + kernel + ") must be odd and positive");
        }
        if (filters < 1) {
            throw new IllegalArgumentException("the filters (" + filters + ") must be at least 1");
        }
        this.kernel = kernel;
        this.filters = filters;
        this.dense = addChildBlock("dense", Linear.builder().setUnits(filters).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray windows = windows(inputs.singletonOrThrow(), kernel);
        return dense.forward(parameterStore, new NDList(windows), training, params);
    }

    /**
     * {@code [B, T, C] -> [B, T, K*C]}: for each token the K vectors centred on it, zeros beyond the
     * ends, the leftmost first.
     */
    static NDArray windows(NDArray x, int kernel) {
        if (kernel == 1) {
            return x;
        }
        Shape shape = x.getShape();
        long tokens = shape.get(1);
        int half = kernel / 2;
        NDManager manager = x.getManager();
        NDArray zeros = manager.zeros(new Shape(shape.get(0), half, shape.get(2)), x.getDataType(), x.getDevice());
        NDArray padded = NDArrays.concat(new NDList(zeros, x, zeros), 1);
        NDList shifted = new NDList(kernel);
        for (int j = 0; j < kernel; j++) {
            shifted.add(padded.get(new NDIndex(":, {}:{}, :", j, j + tokens)));
        }
        return NDArrays.concat(shifted, 2);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long channels = x.get(2);
        double fanIn = (double) kernel * channels;
        double fanOut = (double) kernel * filters;
        // Xavier-uniform with the ReLU gain: U(-b, b), b = sqrt(2) * sqrt(6 / (fanIn + fanOut))
        float bound = (float) Math.sqrt(6.0 / ((fanIn + fanOut) / 2));
        dense.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        dense.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        dense.initialize(manager, dataType, new Shape(x.get(0), x.get(1), kernel * channels));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), x.get(1), filters)};
    }
}
