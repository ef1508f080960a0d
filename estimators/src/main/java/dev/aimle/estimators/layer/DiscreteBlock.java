package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link DiscreteLayer} as a DJL {@link Block}, so that a whole model (encoder, discrete layer,
 * decoder) is one block trained by one {@link ai.djl.training.Trainer}:
 *
 * <pre>{@code
 * SequentialBlock model = new SequentialBlock()
 *         .add(encoder)                       // x [B, d] -> theta [B, n]
 *         .add(new DiscreteBlock(layer))      // theta [B, n] -> z [B*S, n]
 *         .add(decoder);                      // z -> reconstruction [B*S, d]
 * float loss = DiscreteTrainingStep.run(trainer, new NDList(x), step ->
 *         lossOf(step.forward(new NDList(x)).singletonOrThrow(), step.samples().get(0).repeat(x)));
 * }</pre>
 *
 * <p><b>Training</b> (the forward pass with {@code training = true}) must run inside
 * {@link DiscreteTrainingStep#run}, which collects the samples the block draws and runs the
 * two-phase backward pass; elsewhere it fails, because DJL's {@code EasyTrain} backpropagates once
 * and could not reach the blocks before this one. <b>Inference</b> ({@code training = false})
 * returns {@link DiscreteLayer#sampleValues} and works anywhere.
 *
 * <p>The block has no parameters. It holds the step it is serving while a training step runs: use
 * it from one thread at a time.
 */
public final class DiscreteBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final DiscreteLayer layer;
    private Consumer<DiscreteSample> sink;

    /** Wraps a layer. */
    public DiscreteBlock(DiscreteLayer layer) {
        super(VERSION);
        this.layer = Objects.requireNonNull(layer, "layer");
    }

    /** The wrapped layer. */
    public DiscreteLayer layer() {
        return layer;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(
                    "a DiscreteBlock takes one input (theta), got " + inputs.size() + " arrays");
        }
        NDArray theta = inputs.singletonOrThrow();
        if (!training) {
            return new NDList(layer.sampleValues(theta));
        }
        if (sink == null) {
            throw new IllegalStateException(
                    "a DiscreteBlock in training mode must run inside DiscreteTrainingStep.run(trainer, ...):"
                            + " its backward pass has two phases, and EasyTrain.trainBatch backpropagates only once");
        }
        DiscreteSample sample = layer.sample(theta);
        sink.accept(sample);
        return new NDList(sample.values());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape theta = inputShapes[0];
        return new Shape[] {new Shape(theta.get(0) * layer.samples()).addAll(theta.slice(1))};
    }

    /** Starts serving a training step: the samples drawn go to {@code destination}. */
    void open(Consumer<DiscreteSample> destination) {
        if (sink != null) {
            throw new IllegalStateException("this DiscreteBlock is already serving a training step");
        }
        sink = destination;
    }

    /** Stops serving the training step. */
    void release() {
        sink = null;
    }

    /** Every DiscreteBlock in the tree of {@code root}, depth first, in the order of the children. */
    static List<DiscreteBlock> findIn(Block root) {
        List<DiscreteBlock> found = new ArrayList<>();
        collect(root, found);
        return found;
    }

    private static void collect(Block block, List<DiscreteBlock> found) {
        if (block instanceof DiscreteBlock discrete) {
            found.add(discrete);
        }
        for (Block child : block.getChildren().values()) {
            collect(child, found);
        }
    }

    @Override
    public String toString() {
        return "DiscreteBlock(" + layer + ")";
    }
}
