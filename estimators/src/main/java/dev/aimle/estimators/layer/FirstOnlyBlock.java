package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.Objects;

/**
 * Applies a block to the first array of its input and passes the rest through unchanged (see
 * {@link DiscreteBlock#onFirst}).
 */
final class FirstOnlyBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block block;

    FirstOnlyBlock(Block block) {
        super(VERSION);
        this.block = addChildBlock("first", Objects.requireNonNull(block, "block"));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("onFirst(" + block + ") needs at least one input array");
        }
        NDList out = block.forward(parameterStore, new NDList(inputs.get(0)), training, params);
        NDList result = new NDList(out);
        for (int i = 1; i < inputs.size(); i++) {
            result.add(inputs.get(i));
        }
        return result;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        block.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] first = block.getOutputShapes(new Shape[] {inputShapes[0]});
        Shape[] result = Arrays.copyOf(first, first.length + inputShapes.length - 1);
        System.arraycopy(inputShapes, 1, result, first.length, inputShapes.length - 1);
        return result;
    }

    @Override
    public String toString() {
        return "onFirst(" + block + ")";
    }
}
