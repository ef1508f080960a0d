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
import dev.aimle.api.Shapes;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.imle.Imle;
import dev.aimle.estimators.noise.HostSampled;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A discrete layer inside a DJL model: it turns scores {@code theta [B, ...]} into discrete samples
 * {@code z [B*S, ...]} in the forward pass and pushes a gradient estimate back into whatever
 * produced theta in the backward pass.
 *
 * <h2>Training and evaluation</h2>
 *
 * <ul>
 *   <li>{@link #sample(NDArray, NDArray)} draws S noisy samples for training, from the layer's own
 *       noise stream;
 *   <li>{@link #map(NDArray, NDArray)} is the noiseless MAP state {@code MAP(theta)} (temperature
 *       0, one sample) for evaluation: it draws no random numbers and leaves the estimator's state
 *       alone, so evaluating often or never does not change training.
 * </ul>
 *
 * <h2>Why two phases</h2>
 *
 * DJL has no custom-backward API, so the layer uses a two-phase backward pass inside one
 * {@link GradientCollector}: the samples are a fresh leaf ({@link DiscreteSample#values()}); the
 * loss is backpropagated first (downstream parameters, {@code dL/dz}); then the estimator turns
 * {@code dL/dz} into {@code g ~ dL/dtheta} and the surrogate {@code sum(theta * stopGradient(g))}
 * is backpropagated into the encoder. Loss terms on theta itself (a KL regulariser) use
 * {@link DiscreteSample#scores()}, a leaf copy of theta whose gradient joins g. With a
 * {@link DiscreteTrainer} and {@link DiscreteBlock}s this all happens inside DJL's own loop
 * ({@code EasyTrain.fit}); by hand, call {@link #backward(GradientCollector, NDArray, DiscreteSample)}
 * or {@link DiscreteBackward}.
 *
 * <p><b>Randomness.</b> Each layer has its own noise stream: the seed given to the builder, else a
 * fresh random one ({@link #seed()} tells which, for the record). The stream's seed and position and
 * the estimator's state are {@link #state()}, restored with {@link #restoreState(LayerState)} (and
 * saved with the model's parameters by {@link DiscreteBlock}): a layer built without a seed takes
 * the saved stream's, so a model reloads without its training seed and resumes the same draws.
 *
 * <p><b>Memory.</b> Everything {@link #sample} creates is owned by a sub-manager of theta's
 * manager, closed with it or by {@link DiscreteSample#close()}.
 *
 * <p><b>Threads.</b> A layer may hold a stateful estimator (AIMLE): use it from one thread at a
 * time.
 */
public final class DiscreteLayer {
    private static final Imle SAMPLER = Imle.builder().build();

    private final GradientEstimator estimator;
    private final Perturbation perturbation;
    private final NoiseStream noise;
    private final NoisePrefetch prefetch;

    private DiscreteLayer(Builder builder) {
        this.estimator = builder.estimator;
        this.perturbation = new Perturbation(
                builder.solver, builder.noise, builder.samples, builder.inputTemperature, builder.targetTemperature);
        this.noise = new NoiseStream(
                builder.seed != null ? builder.seed : new SplittableRandom().nextLong(), builder.seed != null);
        this.prefetch = builder.prefetchNoise ? new NoisePrefetch() : null;
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

    /** S, the number of samples drawn per instance in training. */
    public int samples() {
        return perturbation.samples();
    }

    /** The seed of the layer's noise stream (given to the builder, or drawn at random). */
    public long seed() {
        return noise.seed();
    }

    /** The noise stream's position and the estimator's state. */
    public LayerState state() {
        return new LayerState(noise.seed(), noise.draws(), estimator.state());
    }

    /**
     * Restores a state from {@link #state()}: the next sample draws the noise it would have drawn. A
     * layer built without a seed takes the saved one (so {@link #seed()} then reports it); a layer
     * built with {@code .seed(s)} accepts only a state of seed s.
     *
     * @throws IllegalArgumentException if the layer was built with another seed or the estimator
     *     refuses its state (nothing is restored then)
     */
    public void restoreState(LayerState state) {
        noise.checkRestorable(state.seed(), state.draws());
        estimator.restoreState(state.estimator());
        noise.restore(state.seed(), state.draws());
    }

    /** {@link #sample(NDArray, NDArray)} without a mask. */
    public DiscreteSample sample(NDArray theta) {
        return sample(theta, null);
    }

    /**
     * The training forward pass: draws S samples per instance, {@code z_i = MAP(theta + tau_in eps_i)}
     * for Perturb-and-MAP estimators.
     *
     * @param theta scores {@code [B, ...]}, float32, finite; usually the output of a block inside a
     *     {@link GradientCollector}
     * @param mask a padding mask of theta's shape (true or non-zero where a position may be chosen),
     *     or null
     * @return the samples {@code [B*S, ...]} as a leaf requiring a gradient, with what the backward
     *     pass needs; owned by a sub-manager of theta's manager
     * @throws IllegalArgumentException on NaN/Inf scores, a shape the solver rejects, or a mask the
     *     estimator does not support
     */
    public DiscreteSample sample(NDArray theta, NDArray mask) {
        requireBatchAxis(theta);
        NDManager owner = theta.getManager().newSubManager();
        try {
            NDArray detached = theta.stopGradient();
            detached.attach(owner);
            long draw = noise.advance();
            RandomGenerator generator = noise.generator(draw);
            Sample estimate;
            if (prefetch != null
                    && perturbation.noise() instanceof HostSampled host
                    && host.drawsOnHost(theta.getDevice())) {
                Perturbation served = new Perturbation(
                        perturbation.solver(),
                        prefetch.serving(host, draw, generator),
                        perturbation.samples(),
                        perturbation.inputTemperature(),
                        perturbation.targetTemperature());
                estimate = estimator.forward(detached, mask, served, generator);
                prefetch.startAfterServing(host, noise, draw + 1);
            } else {
                estimate = estimator.forward(detached, mask, perturbation, generator);
            }
            NDArray values = estimate.z().stopGradient();
            values.attach(owner);
            values.setRequiresGradient(true);
            return new DiscreteSample(this, owner, theta, estimate, values);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /** {@link #map(NDArray, NDArray)} without a mask. */
    public NDArray map(NDArray theta) {
        return map(theta, null);
    }

    /**
     * The evaluation forward pass: the noiseless MAP state {@code MAP(theta)}, one per instance. No
     * random number is drawn and no state changes.
     *
     * @param theta scores {@code [B, ...]}
     * @param mask a padding mask of theta's shape, or null
     * @return {@code [B, ...]}, detached, attached to theta's manager
     */
    public NDArray map(NDArray theta, NDArray mask) {
        requireBatchAxis(theta);
        Shapes.requireFinite("theta", theta);
        NDManager owner = theta.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            NDArray validMask = mask == null ? null : MapStates.requireMask(mask, theta, scope);
            NDArray z = MapStates.solve(perturbation.solver(), detached, validMask);
            z.attach(owner);
            return z;
        }
    }

    /**
     * Noisy samples for evaluation: the S states {@code MAP(theta + tau_in eps_i)} of this layer's
     * perturbation, as {@link #sample} draws them, but from {@code random} rather than the layer's
     * stream and with no state change, so evaluating this way leaves training's draws as they were.
     * It is how a reference that evaluates on a noisy sample (the paper's DVAE) is matched.
     *
     * @param theta scores {@code [B, ...]}
     * @param mask a padding mask of theta's shape, or null
     * @param random the evaluation's own generator
     * @return {@code [B*S, ...]}, detached, attached to theta's manager
     */
    public NDArray perturbedMap(NDArray theta, NDArray mask, RandomGenerator random) {
        return perturbedMap(theta, mask, perturbation, random);
    }

    /**
     * The S states {@code MAP(theta + tau_in eps_i)} of any perturbation, from {@code random}: for a
     * metric a reference computes on a perturbed state drawn with other noise than training's (NRI's
     * edge metrics on a Gumbel-perturbed tree).
     *
     * @return {@code [B*S, ...]}, detached, attached to theta's manager
     */
    public static NDArray perturbedMap(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        requireBatchAxis(theta);
        Objects.requireNonNull(random, "random");
        NDManager owner = theta.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            // IMLE's forward pass is the one definition of a perturbed MAP state; its sample's other
            // arrays (noise, theta) are dropped with the scope
            Sample drawn = SAMPLER.forward(detached, mask, perturbation, random);
            drawn.z().attach(scope);
            NDArray z = drawn.z().stopGradient();
            z.attach(owner);
            return z;
        }
    }

    /**
     * Both phases of the backward pass for this layer's sample: backpropagates {@code loss}, then the
     * estimate of {@code dL/dtheta} (plus the gradient {@link DiscreteSample#scores()} received) into
     * theta's graph. The gradients accumulate in the parameters until the optimizer's step.
     *
     * @param collector the open collector the forward pass ran in
     * @param loss the loss; a non-scalar loss is summed
     * @param sample what {@link #sample} returned, not yet backpropagated
     * @throws IllegalArgumentException if the estimator needs the loss of each sample
     * @throws IllegalStateException if the sample was already backpropagated or closed
     */
    public void backward(GradientCollector collector, NDArray loss, DiscreteSample sample) {
        DiscreteBackward.builder().loss(loss).sample(sample).run(collector);
    }

    /**
     * As {@link #backward(GradientCollector, NDArray, DiscreteSample)}, for estimators that need the
     * loss of each sample ({@link GradientEstimator#requiresLossPerSample()}).
     *
     * @param lossPerSample the loss of each sample, shape {@code [B*S]}; its values are used, not its
     *     graph
     */
    public void backward(GradientCollector collector, NDArray loss, DiscreteSample sample, NDArray lossPerSample) {
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
        NDArray g = estimator.backward(sample.estimate(), new Downstream(dy, losses));
        g.attach(scope);
        if (!g.getShape().equals(sample.theta().getShape())) {
            throw new IllegalStateException("estimator '" + estimator.name() + "' returned a gradient of shape "
                    + g.getShape() + " for theta of shape " + sample.theta().getShape());
        }
        return g.stopGradient();
    }

    private static void requireBatchAxis(NDArray theta) {
        Objects.requireNonNull(theta, "theta");
        if (theta.getShape().dimension() < 1) {
            throw new IllegalArgumentException("theta must have a batch axis, got shape " + theta.getShape());
        }
    }

    @Override
    public String toString() {
        return "DiscreteLayer[" + estimator + ", solver "
                + perturbation.solver().name() + ", noise "
                + perturbation.noise().name() + ", S=" + perturbation.samples() + ", seed " + noise.seed() + "]";
    }

    /**
     * Configures a {@link DiscreteLayer}. Required: {@link #solver}, {@link #noise},
     * {@link #estimator}. Defaults: one sample, both temperatures 1, a random seed. A setter called
     * twice keeps its last value.
     */
    public static final class Builder {
        private MapSolver solver;
        private NoiseDistribution noise;
        private GradientEstimator estimator;
        private int samples = 1;
        private double inputTemperature = 1.0;
        private double targetTemperature = 1.0;
        private Long seed;
        private boolean prefetchNoise = true;

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

        /** The seed of the layer's noise stream (default: a fresh random seed per layer). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Whether to draw the next step's host noise in the background while the model computes
         * (default true): the same numbers sooner, when a core is idle during the engine's work (one
         * engine thread, as the CLI sets); see {@code NoisePrefetch}. It was off by default while the
         * DVAE and NRI kill-and-resume tests saw resumed runs differ with it on; that was DJL's number
         * overloads handing autograd freed scalars (see {@code Scalars}), whose timing the background
         * thread changed. Turn it off to keep every draw on the calling thread.
         */
        public Builder prefetchNoise(boolean value) {
            this.prefetchNoise = value;
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
