package dev.aimle.estimators.layer;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A {@link DiscreteLayer} as a DJL {@link Block}, so that a whole model (encoder, discrete layer,
 * decoder) is one block trained by DJL's own loop:
 *
 * <pre>{@code
 * SequentialBlock model = new SequentialBlock()
 *         .add(encoder)                                  // x [B, d] -> theta [B, n]
 *         .add(DiscreteBlock.withScores(layer))          // theta -> [z, theta]
 *         .add(DiscreteBlock.onFirst(decoder));          // [z, theta] -> [decoder(z), theta]
 * try (Trainer trainer = new DiscreteTrainer(model, config)) {
 *     EasyTrain.fit(trainer, epochs, trainingSet, validationSet);
 * }
 * }</pre>
 *
 * <p><b>Inputs</b>: {@code [theta]} or {@code [theta, mask]} (a padding mask of theta's shape).
 * <b>Outputs</b>: {@code [z]}, or {@code [z, scores]} for a block made with {@link #withScores} —
 * the scores for loss terms on theta itself, such as a KL regulariser.
 *
 * <ul>
 *   <li><b>Training</b> ({@code training = true}): z are S noisy samples per instance
 *       {@code [B*S, ...]}, and the scores are {@link DiscreteSample#scores()}, whose gradient joins
 *       the estimate. It must run under a {@link DiscreteTrainer}'s gradient collector, which
 *       collects the samples and runs the two-phase backward pass; elsewhere it fails, naming why.
 *   <li><b>Inference</b> ({@code training = false}, e.g. {@code EasyTrain.evaluateDataset},
 *       a {@code Predictor}): z is the noiseless MAP state {@code [B, ...]} ({@link
 *       DiscreteLayer#map}), no random number is drawn and no state changes; the scores are theta.
 *       Within {@link #sampledEvaluation} z are noisy samples instead, from the evaluation's own
 *       stream.
 * </ul>
 *
 * <p><b>Saving.</b> {@code saveParameters}/{@code loadParameters} carry the layer's state (noise
 * stream and estimator state: AIMLE's alpha, gbar and steps) with the model's parameters, so a
 * model loaded from a checkpoint resumes training exactly.
 *
 * <p>The block has no parameters. It holds the collector it serves while a training step runs: use
 * it from one thread at a time.
 */
public final class DiscreteBlock extends AbstractBlock {
    private static final byte VERSION = 2;

    private final DiscreteLayer layer;
    private final boolean withScores;
    private Consumer<DiscreteSample> sink;
    private RandomGenerator evaluationNoise;

    private DiscreteBlock(DiscreteLayer layer, boolean withScores) {
        super(VERSION);
        this.layer = Objects.requireNonNull(layer, "layer");
        this.withScores = withScores;
    }

    /** A block whose output is {@code [z]}. */
    public static DiscreteBlock of(DiscreteLayer layer) {
        return new DiscreteBlock(layer, false);
    }

    /** A block whose output is {@code [z, scores]}. */
    public static DiscreteBlock withScores(DiscreteLayer layer) {
        return new DiscreteBlock(layer, true);
    }

    /**
     * A block that applies {@code block} to the first array of its input and passes the others
     * through: {@code [z, scores] -> [block(z)..., scores]}, so a decoder can follow
     * {@link #withScores} in a {@code SequentialBlock}.
     */
    public static Block onFirst(Block block) {
        return new FirstOnlyBlock(block);
    }

    /** The wrapped layer. */
    public DiscreteLayer layer() {
        return layer;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.isEmpty() || inputs.size() > 2) {
            throw new IllegalArgumentException(
                    "a DiscreteBlock takes [theta] or [theta, mask], got " + inputs.size() + " arrays");
        }
        NDArray theta = inputs.get(0);
        NDArray mask = inputs.size() == 2 ? inputs.get(1) : null;
        if (!training) {
            NDArray z =
                    evaluationNoise == null ? layer.map(theta, mask) : layer.perturbedMap(theta, mask, evaluationNoise);
            return withScores ? new NDList(z, theta) : new NDList(z);
        }
        if (sink == null) {
            throw new IllegalStateException("a DiscreteBlock in training mode must run under the gradient collector of"
                    + " a DiscreteTrainer (new DiscreteTrainer(model, config)): its backward pass has two phases,"
                    + " which DJL's own Trainer cannot run");
        }
        DiscreteSample sample = layer.sample(theta, mask);
        sink.accept(sample);
        return withScores ? new NDList(sample.values(), sample.scores()) : new NDList(sample.values());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape theta = inputShapes[0];
        Shape z = new Shape(theta.get(0) * layer.samples()).addAll(theta.slice(1));
        return withScores ? new Shape[] {z, theta} : new Shape[] {z};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        LayerState state = layer.state();
        os.writeLong(state.seed());
        os.writeLong(state.draws());
        os.writeInt(state.estimator().size());
        for (Map.Entry<String, Double> e : state.estimator().entrySet()) {
            os.writeUTF(e.getKey());
            os.writeDouble(e.getValue());
        }
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("a DiscreteBlock saved with format version " + loadVersion
                    + " cannot be loaded by format version " + VERSION);
        }
        readInputShapes(is);
        long seed = is.readLong();
        long draws = is.readLong();
        int entries = is.readInt();
        if (entries < 0) {
            throw new MalformedModelException("a DiscreteBlock's saved estimator state has " + entries + " entries");
        }
        Map<String, Double> estimator = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            estimator.put(is.readUTF(), is.readDouble());
        }
        try {
            layer.restoreState(new LayerState(seed, draws, estimator));
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException("the saved state does not fit " + layer + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code evaluation} with every DiscreteBlock in {@code root}'s tree evaluating
     * ({@code training = false}) on noisy samples, {@link DiscreteLayer#perturbedMap}: S states per
     * instance {@code [B*S, ...]} drawn from a stream of {@code seed} (one split per block, in tree
     * order), not from the layers' own streams, so training's draws are unchanged. The blocks return
     * to the noiseless MAP state when it ends, also by an exception. The same seed and the same
     * batches give the same states.
     *
     * @return what {@code evaluation} returned
     * @throws IllegalArgumentException if {@code root} holds no DiscreteBlock
     * @throws IllegalStateException if one of them is already evaluating on noisy samples
     */
    public static <T> T sampledEvaluation(Block root, long seed, Supplier<T> evaluation) {
        List<DiscreteBlock> blocks = findIn(root);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the block " + root + " holds no DiscreteBlock to evaluate on samples");
        }
        for (DiscreteBlock block : blocks) {
            if (block.evaluationNoise != null) {
                throw new IllegalStateException(block + " is already evaluating on noisy samples");
            }
        }
        SplittableRandom stream = new SplittableRandom(seed);
        for (DiscreteBlock block : blocks) {
            block.evaluationNoise = stream.split();
        }
        try {
            return evaluation.get();
        } finally {
            for (DiscreteBlock block : blocks) {
                block.evaluationNoise = null;
            }
        }
    }

    /** Starts serving a training step: the samples drawn go to {@code destination}. */
    void open(Consumer<DiscreteSample> destination) {
        if (sink != null) {
            throw new IllegalStateException("this DiscreteBlock is already serving a gradient collector");
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
        return "DiscreteBlock(" + layer + (withScores ? ", with scores" : "") + ")";
    }
}
