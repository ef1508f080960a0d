package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A discrete layer inside a DJL model: it turns scores {@code theta [B, ...]} into discrete samples
 * {@code z [B*S, ...]} in the forward pass and pushes a gradient estimate back into whatever
 * produced theta in the backward pass.
 *
 * <h2>Why two phases</h2>
 *
 * DJL has no custom-backward API, so the layer uses the pattern of DESIGN.md section 5, inside one
 * {@link GradientCollector}:
 *
 * <ol>
 *   <li>{@link #sample(NDArray)} runs the estimator's forward pass on detached scores and wraps the
 *       samples in a fresh leaf that requires a gradient ({@link DiscreteSample#values()});
 *   <li>{@link #backward(GradientCollector, NDArray, DiscreteSample)} first backpropagates the loss,
 *       which fills the downstream parameters' gradients and {@code dL/dz} on the leaf;
 *   <li>then it asks the estimator for {@code g ~ dL/dtheta} (mean over the S samples, on detached
 *       arrays) and backpropagates the surrogate {@code sum(theta * stopGradient(g))}, whose
 *       gradient with respect to theta is exactly g, so the upstream parameters receive
 *       {@code J^T g}.
 * </ol>
 *
 * <p>DJL frees the graph after each backward pass. A loss that depends on theta directly (not only
 * through the samples, e.g. a KL regulariser on the encoder's logits) must therefore be passed
 * separately as a <em>direct loss</em> ({@link DiscreteBackward.Builder#directLoss}), which is
 * backpropagated together with the surrogate. Several discrete layers in one model are
 * backpropagated together with {@link DiscreteBackward}; inside a {@code Trainer} use
 * {@link DiscreteTrainingStep}.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * DiscreteLayer layer = DiscreteLayer.builder()
 *         .solver(new TopKSolver(10))
 *         .noise(Noise.sumOfGamma(10, 10))
 *         .estimator(Estimators.aimle().central().build())
 *         .samples(1)
 *         .seed(42)
 *         .build();
 * try (GradientCollector gc = trainer.newGradientCollector()) {
 *     NDArray theta = encoder.forward(x);
 *     DiscreteSample z = layer.sample(theta);
 *     NDArray loss = decoderLoss(z.values(), z.repeat(x));
 *     layer.backward(gc, loss, z);
 * }
 * trainer.step();
 * }</pre>
 *
 * <p><b>Memory.</b> Everything {@link #sample} creates is owned by a sub-manager of theta's
 * manager, closed with it or by {@link DiscreteSample#close()}; the backward pass closes its
 * temporaries before returning.
 *
 * <p><b>Threads.</b> A layer draws its noise from its own generator and may hold a stateful
 * estimator (AIMLE): use it from one thread at a time.
 */
public final class DiscreteLayer {
    private final GradientEstimator estimator;
    private final Perturbation perturbation;
    private final RandomGenerator random;

    private DiscreteLayer(Builder builder) {
        this.estimator = builder.estimator;
        this.perturbation = new Perturbation(
                builder.solver, builder.noise, builder.samples, builder.inputTemperature, builder.targetTemperature);
        this.random = builder.random != null ? builder.random : new SplittableRandom(builder.seed);
    }

    /** A builder; solver, noise and estimator are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The gradient estimator. */
    public GradientEstimator estimator() {
        return estimator;
    }

    /** The solver, noise, sample count and temperatures. */
    public Perturbation perturbation() {
        return perturbation;
    }

    /** S, the number of samples drawn per instance. */
    public int samples() {
        return perturbation.samples();
    }

    /**
     * The forward pass: draws S samples per instance, {@code z_i = MAP(theta + tau_in eps_i)} for
     * Perturb-and-MAP estimators.
     *
     * @param theta scores {@code [B, ...]}, float32, finite; usually the output of a block inside a
     *     {@link GradientCollector}
     * @return the samples {@code [B*S, ...]} as a leaf requiring a gradient, with what the backward
     *     pass needs; owned by a sub-manager of theta's manager
     * @throws IllegalArgumentException on NaN/Inf scores or a shape the solver rejects
     */
    public DiscreteSample sample(NDArray theta) {
        Objects.requireNonNull(theta, "theta");
        if (theta.getShape().dimension() < 1) {
            throw new IllegalArgumentException(
                    "theta must have a batch axis, got shape " + theta.getShape());
        }
        NDManager owner = theta.getManager().newSubManager();
        try {
            NDArray detached = theta.stopGradient();
            detached.attach(owner);
            Sample estimate = estimator.forward(detached, perturbation, random);
            NDArray values = estimate.z().stopGradient();
            values.attach(owner);
            values.setRequiresGradient(true);
            return new DiscreteSample(this, owner, theta, estimate, values);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Draws samples like {@link #sample(NDArray)} but without what the backward pass needs: for
     * inference and evaluation.
     *
     * @param theta scores {@code [B, ...]}
     * @return the samples {@code [B*S, ...]}, detached, attached to theta's manager
     */
    public NDArray sampleValues(NDArray theta) {
        try (DiscreteSample sample = sample(theta)) {
            NDArray values = sample.values().stopGradient();
            values.attach(theta.getManager());
            return values;
        }
    }

    /**
     * Both phases of the backward pass for this layer's sample: backpropagates {@code loss} (downstream
     * gradients and {@code dL/dz}), then the estimate of {@code dL/dtheta} into theta's graph. The
     * gradients accumulate in the parameters until the optimizer's step.
     *
     * @param collector the open collector the forward pass ran in
     * @param loss the loss; it may depend on theta only through {@code sample.values()} (see
     *     {@link DiscreteBackward.Builder#directLoss} otherwise); a non-scalar loss is summed
     * @param sample what {@link #sample} returned, not yet backpropagated
     * @throws IllegalArgumentException if the estimator needs the loss of each sample (use
     *     {@link #backward(GradientCollector, NDArray, DiscreteSample, NDArray)}) or the sample
     *     belongs to another layer
     * @throws IllegalStateException if the sample was already backpropagated or closed
     */
    public void backward(GradientCollector collector, NDArray loss, DiscreteSample sample) {
        DiscreteBackward.builder().loss(loss).sample(sample).run(collector);
    }

    /**
     * As {@link #backward(GradientCollector, NDArray, DiscreteSample)}, for estimators that need the
     * loss of each sample ({@link GradientEstimator#requiresLossPerSample()}, e.g. the score-function
     * estimator).
     *
     * @param lossPerSample the loss of each sample, shape {@code [B*S]}; its values are used, not its
     *     graph
     */
    public void backward(
            GradientCollector collector, NDArray loss, DiscreteSample sample, NDArray lossPerSample) {
        DiscreteBackward.builder().loss(loss).sample(sample, lossPerSample).run(collector);
    }

    /**
     * The estimate {@code g} of {@code dL/dtheta}, shape of theta, from {@code dL/dz} already on the
     * sample's leaf; attached to {@code scope}.
     */
    NDArray estimate(DiscreteSample sample, NDArray lossPerSample, NDManager scope) {
        NDArray dy = sample.values().getGradient();
        dy.attach(scope);
        NDArray losses = null;
        if (lossPerSample != null) {
            losses = lossPerSample.stopGradient();
            losses.attach(scope);
        }
        NDArray g = estimator.backward(sample.estimate(), perturbation, new Downstream(dy, losses));
        g.attach(scope);
        if (!g.getShape().equals(sample.theta().getShape())) {
            throw new IllegalStateException(
                    "estimator '" + estimator.name() + "' returned a gradient of shape " + g.getShape()
                            + " for theta of shape " + sample.theta().getShape());
        }
        return g.stopGradient();
    }

    @Override
    public String toString() {
        return "DiscreteLayer[" + estimator.name() + ", solver " + perturbation.solver().name() + ", noise "
                + perturbation.noise().name() + ", S=" + perturbation.samples() + "]";
    }

    /**
     * Configures a {@link DiscreteLayer}. Required: {@link #solver}, {@link #noise},
     * {@link #estimator}. Defaults: one sample, both temperatures 1, seed 0.
     */
    public static final class Builder {
        private MapSolver solver;
        private NoiseDistribution noise;
        private GradientEstimator estimator;
        private int samples = 1;
        private double inputTemperature = 1.0;
        private double targetTemperature = 1.0;
        private long seed;
        private RandomGenerator random;

        private Builder() {}

        /** The MAP oracle (required). */
        public Builder solver(MapSolver value) {
            this.solver = Objects.requireNonNull(value, "solver");
            return this;
        }

        /** The perturbation distribution (required), e.g. {@code Noise.gumbel()}. */
        public Builder noise(NoiseDistribution value) {
            this.noise = Objects.requireNonNull(value, "noise");
            return this;
        }

        /** The gradient estimator (required), e.g. {@code Estimators.aimle().build()}. */
        public Builder estimator(GradientEstimator value) {
            this.estimator = Objects.requireNonNull(value, "estimator");
            return this;
        }

        /** S, the number of samples per instance, at least 1 (default 1). */
        public Builder samples(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("samples (" + value + ") must be at least 1");
            }
            this.samples = value;
            return this;
        }

        /** The temperature of the forward noise, {@code theta + tau eps} (default 1). */
        public Builder inputTemperature(double value) {
            this.inputTemperature = value;
            return this;
        }

        /** The temperature of the noise of the backward pass's targets (default 1). */
        public Builder targetTemperature(double value) {
            this.targetTemperature = value;
            return this;
        }

        /** The seed of the layer's own generator (default 0); replaces a generator set before. */
        public Builder seed(long value) {
            this.seed = value;
            this.random = null;
            return this;
        }

        /** The generator the noise is drawn from; the layer advances it. Replaces a seed. */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * Builds the layer.
         *
         * @throws IllegalStateException if the solver, noise or estimator is missing
         * @throws IllegalArgumentException if a temperature is negative or not finite
         */
        public DiscreteLayer build() {
            if (solver == null || noise == null || estimator == null) {
                throw new IllegalStateException(
                        "a DiscreteLayer needs a solver, a noise distribution and an estimator; missing:"
                                + (solver == null ? " solver(...)" : "")
                                + (noise == null ? " noise(...)" : "")
                                + (estimator == null ? " estimator(...)" : ""));
            }
            return new DiscreteLayer(this);
        }
    }
}
