package dev.aimle.app.experiments.l2x;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;

/**
 * The learning-to-explain model of the reference (after Chen et al. 2018 and Paulus et al. 2020):
 * {@code [embeddings [B, T, E], selectable [B, T]] -> [rating [B*S], selection z [B*S, T], theta [B, T]]}.
 *
 * <ul>
 *   <li><b>Explainer</b> (the reference's "Gumbel selector"), with F filters (100 in the
 *       reference): a convolution (kernel 3, F filters, ReLU) over the tokens; a global branch, max
 *       over the tokens then dense F (ReLU); a local branch, two more convolutions (kernel 3, F,
 *       ReLU); both concatenated per token (2F), dropout 0.2, a kernel-1 convolution to F (ReLU) and
 *       one to a score theta per token. The convolutions are {@link TokenConvolution}s (dense layers
 *       over token windows: PyTorch's CPU convolution reads uninitialised memory at 50 channels).
 *   <li><b>Selector</b>: any block {@code [theta, selectable] -> [z]}: a discrete layer (top-k MAP
 *       with a gradient estimator) or a relaxation; in evaluation the noiseless top-k.
 *   <li><b>Predictor</b>: the selected word vectors summed and divided by k, dense {@code hidden}
 *       (ReLU), dense 1, sigmoid: the rating.
 * </ul>
 *
 * Weights Xavier-uniform with the ReLU gain, biases zero, as in the reference. The word vectors are
 * an input, not a parameter (frozen).
 */
public final class L2xModel extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Filters of the reference's explainer. */
    public static final int REFERENCE_FILTERS = 100;

    private final Explainer explainer;
    private final Block selector;
    private final Predictor predictor;

    /**
     * @param selector {@code [theta, selectable] -> [z]}
     * @param k the subset size (the predictor divides by it)
     * @param hidden the predictor's hidden units (250 in the reference)
     * @param filters the explainer's filters and global units (100 in the reference)
     * @param kernel the explainer's kernel size (3)
     * @param dropoutSeed the seed of the explainer's dropout masks
     */
    public L2xModel(Block selector, int k, int hidden, int filters, int kernel, long dropoutSeed) {
        super(VERSION);
        this.explainer = addChildBlock("explainer", new Explainer(filters, kernel, dropoutSeed));
        this.selector = addChildBlock("selector", selector);
        this.predictor = addChildBlock("predictor", new Predictor(k, hidden));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray embeddings = inputs.get(0);
        NDArray selectable = inputs.get(1);
        NDArray theta = explainer
                .forward(parameterStore, new NDList(embeddings), training, params)
                .singletonOrThrow();
        NDArray z = selector.forward(parameterStore, new NDList(theta, selectable), training, params)
                .get(0);
        long samples = z.getShape().get(0) / embeddings.getShape().get(0);
        NDArray repeated = samples == 1 ? embeddings : SampleLayout.repeat(embeddings, (int) samples);
        NDArray rating = predictor
                .forward(parameterStore, new NDList(repeated, z), training, params)
                .singletonOrThrow();
        return new NDList(rating, z, theta);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embeddings = inputShapes[0];
        Shape theta = new Shape(embeddings.get(0), embeddings.get(1));
        explainer.initialize(manager, dataType, embeddings);
        selector.initialize(manager, dataType, theta, theta);
        predictor.initialize(manager, dataType, embeddings, theta);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape e = inputShapes[0];
        Shape theta = new Shape(e.get(0), e.get(1));
        return new Shape[] {new Shape(e.get(0)), theta, theta};
    }

    private static void reluXavier(Block block) {
        // XavierInitializer(UNIFORM, AVG, 6) draws from +-sqrt(6 / ((fan_in + fan_out) / 2)), which is
        // sqrt(2) * sqrt(6 / (fan_in + fan_out)): Xavier-uniform with the ReLU gain (as in DvaeModel)
        block.setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 6),
                Parameter.Type.WEIGHT);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    }

    /** {@code [B, T, E] -> theta [B, T]}. */
    static final class Explainer extends AbstractBlock {
        private final int filters;
        private final Block first;
        private final Block global;
        private final Block local1;
        private final Block local2;
        private final Block dropout;
        private final Block final1;
        private final Block final2;

        Explainer(int filters, int kernel, long dropoutSeed) {
            super(VERSION);
            if (filters < 1) {
                throw new IllegalArgumentException("the filters (" + filters + ") must be at least 1");
            }
            this.filters = filters;
            if (kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException("the kernel size (" + kernel + ") must be odd and positive");
            }
            first = addChildBlock("first", new TokenConvolution(kernel, filters));
            global = addChildBlock("global", Linear.builder().setUnits(filters).build());
            local1 = addChildBlock("local1", new TokenConvolution(kernel, filters));
            local2 = addChildBlock("local2", new TokenConvolution(kernel, filters));
            dropout = addChildBlock("dropout", new SeededDropout(0.2, dropoutSeed));
            final1 = addChildBlock("final1", new TokenConvolution(1, filters));
            final2 = addChildBlock("final2", new TokenConvolution(1, 1));
            reluXavier(global);
        }

        /** Everything in {@code [B, T, channels]}: no transposes, every array contiguous. */
        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            long tokens = x.getShape().get(1);
            NDArray a = Activation.relu(one(first, ps, x, training, params));
            NDArray g = Activation.relu(one(global, ps, a.max(new int[] {1}), training, params));
            NDArray local = Activation.relu(one(local1, ps, a, training, params));
            local = Activation.relu(one(local2, ps, local, training, params));
            NDArray globalPerToken = g.expandDims(1).repeat(1, tokens);
            NDArray both = NDArrays.concat(new NDList(globalPerToken, local), 2);
            both = one(dropout, ps, both, training, params);
            NDArray h = Activation.relu(one(final1, ps, both, training, params));
            NDArray theta = one(final2, ps, h, training, params);
            return new NDList(theta.squeeze(2));
        }

        private static NDArray one(
                Block b, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
            return b.forward(ps, new NDList(x), training, params).singletonOrThrow();
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape e = inputShapes[0];
            long batch = e.get(0);
            long tokens = e.get(1);
            first.initialize(manager, dataType, e);
            global.initialize(manager, dataType, new Shape(batch, filters));
            local1.initialize(manager, dataType, new Shape(batch, tokens, filters));
            local2.initialize(manager, dataType, new Shape(batch, tokens, filters));
            dropout.initialize(manager, dataType, new Shape(batch, tokens, 2 * filters));
            final1.initialize(manager, dataType, new Shape(batch, tokens, 2 * filters));
            final2.initialize(manager, dataType, new Shape(batch, tokens, filters));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
        }
    }

    /** {@code [embeddings [N, T, E], z [N, T]] -> rating [N]}. */
    static final class Predictor extends AbstractBlock {
        private final int k;
        private final int units;
        private final Block hidden;
        private final Block out;

        Predictor(int k, int units) {
            super(VERSION);
            this.k = k;
            this.units = units;
            hidden = addChildBlock("hidden", Linear.builder().setUnits(units).build());
            out = addChildBlock("out", Linear.builder().setUnits(1).build());
            reluXavier(hidden);
            reluXavier(out);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray embeddings = inputs.get(0);
            NDArray z = inputs.get(1);
            NDArray pooled = Scalars.div(embeddings.mul(z.expandDims(2)).sum(new int[] {1}), k);
            NDArray h = Activation.relu(
                    hidden.forward(ps, new NDList(pooled), training, params).singletonOrThrow());
            NDArray y = out.forward(ps, new NDList(h), training, params).singletonOrThrow();
            return new NDList(Activation.sigmoid(y).reshape(-1));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape e = inputShapes[0];
            hidden.initialize(manager, dataType, new Shape(e.get(0), e.get(2)));
            out.initialize(manager, dataType, new Shape(e.get(0), units));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0))};
        }
    }

    /** Mean squared error between the predicted ratings {@code [B*S]} and the scores {@code [B]}. */
    public static final class SquaredError extends Loss {
        /** The loss. */
        public SquaredError() {
            super("mse");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray rating = predictions.get(0);
            NDArray scores = SampleLayout.repeatLike(labels.get(0), rating);
            return rating.sub(scores).square().mean();
        }
    }
}
