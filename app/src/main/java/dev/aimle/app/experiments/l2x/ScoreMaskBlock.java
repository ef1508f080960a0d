package dev.aimle.app.experiments.l2x;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aimle.estimators.MapStates;

/**
 * Padding for a selector that takes no mask (SST): {@code [theta, selectable] -> inner([theta'])}
 * with the scores of padded positions replaced by {@code min(theta) - 50}, so that the MAP state
 * never selects them and the k-subset distribution gives them no mass at any temperature of the
 * grid (their weight relative to any open position is at most {@code exp(-50 / t)}); they receive
 * no gradient.
 */
final class ScoreMaskBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    /** How far below the lowest score a padded position is put. */
    static final float MARGIN = 50f;

    private final Block inner;

    ScoreMaskBlock(Block inner) {
        super(VERSION);
        this.inner = addChildBlock("inner", inner);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray theta = inputs.get(0);
        NDArray open = MapStates.requireMask(inputs.get(1), theta, theta.getManager());
        float lowest = theta.stopGradient().min().getFloat() - MARGIN;
        NDArray masked = NDArrays.where(open, theta, theta.getManager().create(lowest));
        return inner.forward(parameterStore, new NDList(masked), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(new Shape[] {inputShapes[0]});
    }
}
