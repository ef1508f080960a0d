package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One training step of a DJL {@link Trainer} whose model contains discrete layers. DJL's
 * {@code EasyTrain.trainBatch} backpropagates once, but a discrete layer needs the two-phase backward
 * of {@link DiscreteBackward}; this class runs the whole step instead:
 *
 * <ol>
 *   <li>opens a per-step {@link NDManager} (a sub-manager of the trainer's) and temporarily attaches
 *       the inputs to it, so every array derived during the step is freed at its end;
 *   <li>opens the trainer's {@link GradientCollector} and runs the body, which computes the loss
 *       and draws its discrete samples through {@link Context#sample};
 *   <li>runs both phases of the backward pass, closes the collector, and calls
 *       {@link Trainer#step()} (the optimizer, e.g. Adam, updates and zeroes the gradients).
 * </ol>
 *
 * <p>The discrete layers are either {@link DiscreteBlock}s inside the trainer's model (the usual
 * case: encoder, discrete block and decoder form one model, and the trainer optimises all of them),
 * or layers the body calls itself through {@link Context#sample}:
 *
 * <pre>{@code
 * // model = encoder -> DiscreteBlock(layer) -> decoder
 * float loss = DiscreteTrainingStep.run(trainer, new NDList(x), step -> {
 *     NDArray reconstruction = step.forward(new NDList(x)).singletonOrThrow();
 *     DiscreteSample z = step.samples().get(0);
 *     return reconstructionLoss(reconstruction, z.repeat(x));
 * });
 *
 * // model = encoder only; the body draws the sample itself
 * float loss = DiscreteTrainingStep.run(trainer, new NDList(x), step -> {
 *     NDArray theta = step.forward(new NDList(x)).singletonOrThrow();
 *     DiscreteSample z = step.sample(layer, theta);
 *     return lossOf(z.values());
 * });
 * }</pre>
 *
 * <p>DJL's {@code Trainer} refuses a first step whose gradients are all zero (its check for a
 * forgotten backward pass); this class skips such a step instead, because an estimator may
 * legitimately return zero (AIMLE starts from lambda = 0 with the paper's alpha0 = 0).
 *
 * <p>The body must not keep arrays beyond the step: they are closed with it. The inputs return to
 * their own manager afterwards. For an estimator that needs the loss of each sample, the body calls
 * {@link Context#lossPerSample}; for loss terms that depend on theta directly,
 * {@link Context#directLoss}.
 */
public final class DiscreteTrainingStep {

    private DiscreteTrainingStep() {}

    /** The body of a step: computes the loss, drawing discrete samples through the context. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the forward pass.
         *
         * @param step the step's context
         * @return the loss, depending on theta only through the samples (see
         *     {@link Context#directLoss})
         */
        NDArray forward(Context step);
    }

    /** What the body of a step can use. */
    public static final class Context {
        private final Trainer trainer;
        private final NDManager manager;
        private final List<DiscreteSample> samples = new ArrayList<>();  // in the order drawn
        private final Map<DiscreteSample, NDArray> lossesPerSample = new IdentityHashMap<>();
        private NDArray directLoss;

        private Context(Trainer trainer, NDManager manager) {
            this.trainer = trainer;
            this.manager = manager;
        }

        /** The trainer. */
        public Trainer trainer() {
            return trainer;
        }

        /** The step's manager: arrays created on it are freed at the end of the step. */
        public NDManager manager() {
            return manager;
        }

        /** The trainer's model in training mode: {@code trainer.forward(inputs)}. */
        public NDList forward(NDList inputs) {
            return trainer.forward(inputs);
        }

        /**
         * Draws a sample through {@code layer} and registers it for the backward pass (for layers used
         * directly; {@link DiscreteBlock}s inside the model register their samples themselves).
         */
        public DiscreteSample sample(DiscreteLayer layer, NDArray theta) {
            DiscreteSample sample = layer.sample(theta);
            samples.add(sample);
            return sample;
        }

        /**
         * The samples drawn so far in this step, in order: by {@link #sample} and by the model's
         * {@link DiscreteBlock}s.
         */
        public List<DiscreteSample> samples() {
            return List.copyOf(samples);
        }

        private void record(DiscreteSample sample) {
            samples.add(sample);
        }

        /**
         * Gives the loss of each sample, {@code [B*S]}, for a sample whose estimator needs it (e.g.
         * the score-function estimator); only its values are used.
         *
         * @throws IllegalArgumentException if the sample was not drawn through this context
         */
        public void lossPerSample(DiscreteSample sample, NDArray losses) {
            if (samples.stream().noneMatch(s -> s == sample)) {
                throw new IllegalArgumentException(sample + " was not drawn through this step's sample(...)");
            }
            lossesPerSample.put(sample, Objects.requireNonNull(losses, "losses"));
        }

        /**
         * Adds a loss term that depends on theta directly (e.g. a KL regulariser on the logits); it is
         * backpropagated with the estimates and counted in the returned loss. Do not include it in
         * the loss the body returns. At most one per step: add the terms together.
         */
        public void directLoss(NDArray term) {
            if (directLoss != null) {
                throw new IllegalStateException("directLoss was already set in this step; add the terms together");
            }
            directLoss = Objects.requireNonNull(term, "term");
        }

        private DiscreteBackward.Builder backward(NDArray loss) {
            DiscreteBackward.Builder builder = DiscreteBackward.builder().loss(loss);
            for (DiscreteSample sample : samples) {
                NDArray losses = lossesPerSample.get(sample);
                if (losses == null) {
                    builder.sample(sample);
                } else {
                    builder.sample(sample, losses);
                }
            }
            if (directLoss != null) {
                builder.directLoss(directLoss);
            }
            return builder;
        }

        private float value(NDArray loss) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray total = detachedSum(loss, scope);
                if (directLoss != null) {
                    total = total.add(detachedSum(directLoss, scope));
                }
                return total.getFloat();
            }
        }

        private static NDArray detachedSum(NDArray array, NDManager scope) {
            NDArray detached = array.stopGradient();
            detached.attach(scope);
            return detached.sum();
        }
    }

    /**
     * {@link Trainer#step()}, except that a first step whose gradients are all zero is skipped instead
     * of failing: DJL checks the gradients once, on the first step, to catch a forgotten backward
     * pass, but an estimator may legitimately return zero (AIMLE starts with lambda = 0, alpha0 = 0
     * in the paper). Such a step would change no parameter with SGD; with Adam it would only advance
     * the moment estimates.
     */
    private static void step(Trainer trainer) {
        try {
            trainer.step();
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith(ZERO_GRADIENTS)) {
                throw e;
            }
        }
    }

    /** The start of the message of DJL's check for a forgotten backward pass (DJL 0.36). */
    private static final String ZERO_GRADIENTS = "Gradient values are all zeros";

    /**
     * Runs one training step.
     *
     * @param trainer the trainer, whose model computes theta
     * @param inputs the batch; temporarily attached to the step's manager, returned afterwards
     * @param body computes the loss and draws the discrete samples
     * @return the value of the loss (plus the direct loss, if any), summed if not scalar
     */
    public static float run(Trainer trainer, NDList inputs, Body body) {
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(body, "body");
        float value;
        try (NDManager step = trainer.getManager().newSubManager()) {
            inputs.tempAttach(step);
            Context context = new Context(trainer, step);
            List<DiscreteBlock> blocks = DiscreteBlock.findIn(trainer.getModel().getBlock());
            try (GradientCollector collector = trainer.newGradientCollector()) {
                for (DiscreteBlock block : blocks) {
                    block.open(context::record);
                }
                NDArray loss = body.forward(context);
                if (loss == null) {
                    throw new IllegalArgumentException("the body of the training step returned no loss");
                }
                value = context.value(loss);
                context.backward(loss).run(collector);
            } finally {
                for (DiscreteBlock block : blocks) {
                    block.release();
                }
            }
            step(trainer);
        }
        return value;
    }
}
