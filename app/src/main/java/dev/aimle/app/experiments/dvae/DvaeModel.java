package dev.aimle.app.experiments.dvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;

/**
 * The discrete VAE of the paper (after Niepert et al. 2021): encoder dense 784-512-256-400 (ReLU),
 * theta viewed as 20 rows of 20, a K-subset latent per row, decoder dense 400-256-512-784 (ReLU,
 * logits out). Weights Xavier-uniform with the ReLU gain (bound {@code sqrt(2) * sqrt(6 / (fan_in +
 * fan_out))}), biases zero.
 */
public final class DvaeModel {
    /** Rows of the latent. */
    public static final int ROWS = 20;
    /** Categories per row. */
    public static final int COLUMNS = 20;

    private DvaeModel() {}

    /** The model: {@code [x] -> [logits, theta]}, training samples S per image, evaluation one MAP state. */
    public static Block block(DiscreteLayer layer, int pixels) {
        return initialized(encoder()
                .add(x -> new NDList(x.singletonOrThrow().reshape(-1, ROWS, COLUMNS)))
                .add(DiscreteBlock.withScores(layer))
                .add(DiscreteBlock.onFirst(decoder(
                        new SequentialBlock().add(z -> new NDList(SampleLayout.flattenInstances(z.singletonOrThrow()))),
                        pixels))));
    }

    /**
     * The same layers without the discrete layer, for speed comparisons: {@code [x] -> [logits,
     * theta]} with the decoder applied to theta itself.
     */
    public static Block plainAutoencoder(int pixels) {
        return initialized(encoder()
                .add(theta -> new NDList(
                        theta.singletonOrThrow(), theta.singletonOrThrow().reshape(-1, ROWS, COLUMNS)))
                .add(DiscreteBlock.onFirst(decoder(new SequentialBlock(), pixels))));
    }

    /** Dense 784-512-256-400 with ReLU between: {@code x -> theta} (flat). */
    private static SequentialBlock encoder() {
        return new SequentialBlock()
                .add(dense(512))
                .add(Activation::relu)
                .add(dense(256))
                .add(Activation::relu)
                .add(dense(ROWS * COLUMNS));
    }

    /** {@code start} followed by dense 400-256-512-pixels with ReLU between, logits out. */
    private static SequentialBlock decoder(SequentialBlock start, int pixels) {
        return start.add(dense(256))
                .add(Activation::relu)
                .add(dense(512))
                .add(Activation::relu)
                .add(dense(pixels));
    }

    private static Block initialized(SequentialBlock model) {
        // XavierInitializer(UNIFORM, AVG, m) draws from +-sqrt(m / ((fan_in + fan_out) / 2)): m = 6 is
        // sqrt(2) * sqrt(6 / (fan_in + fan_out)), Xavier-uniform with the ReLU gain
        model.setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 6),
                Parameter.Type.WEIGHT);
        model.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return model;
    }

    private static Linear dense(int units) {
        return Linear.builder().setUnits(units).build();
    }

    /**
     * The loss of the paper's DVAE, per image: binary cross-entropy with logits summed over the
     * pixels and over the S samples, plus {@code KL(softmax(theta_row) || uniform(20))} summed over
     * the rows; averaged over the batch. Labels are the images themselves.
     */
    public static final class Elbo extends Loss {
        /** The loss. */
        public Elbo() {
            super("loss");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray images = labels.get(0);
            return Scalars.div(sum(images, predictions), images.getShape().get(0));
        }

        /** The loss summed over the batch (not averaged), for evaluation over a whole set. */
        public static NDArray sum(NDArray images, NDList predictions) {
            NDArray logits = predictions.get(0);
            NDArray theta = predictions.get(1);
            NDArray x = SampleLayout.repeatLike(images, logits);
            NDArray bce = Scalars.maximum(logits, 0)
                    .sub(logits.mul(x))
                    .add(logits.abs().neg().exp().add(1).log());
            NDArray kl = theta.logSoftmax(-1).add(Math.log(COLUMNS)).mul(theta.softmax(-1));
            return bce.sum().add(kl.sum());
        }
    }
}
