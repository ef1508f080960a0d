package dev.aimle.estimators.layer;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The two-phase backward pass through any number of discrete layers (the README's "How it fits DJL"):
 *
 * <ol>
 *   <li>backpropagate the loss: the downstream parameters receive their gradients, each sample's
 *       leaf receives {@code dL/dz} and, if the loss used it, each {@link DiscreteSample#scores()}
 *       leaf receives the gradient of the terms on theta itself;
 *   <li>for each sample, ask its layer's estimator for {@code g_l ~ dL/dtheta_l}; then backpropagate
 *       once the surrogate {@code sum_l sum(theta_l * stopGradient(g_l + dL/dscores_l))}, so that the
 *       upstream parameters receive {@code sum_l J_l^T (g_l + dL/dscores_l)}.
 * </ol>
 *
 * <p>Phase 2 is a single backward pass because DJL frees a graph after it has been backpropagated:
 * layers sharing an encoder must travel through it together.
 *
 * <pre>{@code
 * DiscreteBackward.builder()
 *         .loss(reconstruction.add(kl))  // depends on z1.values(), z2.values(), z1.scores(), the decoder
 *         .sample(z1)
 *         .sample(z2, lossPerSample2)    // for an estimator that needs the loss of each sample
 *         .run(collector);
 * }</pre>
 */
public final class DiscreteBackward {

    private DiscreteBackward() {}

    /** A new, empty backward pass. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the loss, the direct loss and the samples, then {@link #run}s both phases once. */
    public static final class Builder {
        private NDArray loss;
        private final List<DiscreteSample> samples = new ArrayList<>();
        private final List<NDArray> lossesPerSample = new ArrayList<>();

        private Builder() {}

        /**
         * The loss (required). It may depend on the samples' values, their {@link
         * DiscreteSample#scores()} and downstream parameters, not on theta's graph; a non-scalar loss
         * is summed.
         */
        public Builder loss(NDArray value) {
            this.loss = Objects.requireNonNull(value, "loss");
            return this;
        }

        /** A sample whose estimator does not need the loss of each sample. */
        public Builder sample(DiscreteSample sample) {
            return add(sample, null);
        }

        /**
         * A sample with the loss of each of its samples, {@code [B*S]}, for estimators that need it
         * (only their values are used).
         */
        public Builder sample(DiscreteSample sample, NDArray lossPerSample) {
            return add(sample, Objects.requireNonNull(lossPerSample, "lossPerSample"));
        }

        private Builder add(DiscreteSample sample, NDArray lossPerSample) {
            Objects.requireNonNull(sample, "sample");
            for (DiscreteSample s : samples) {
                if (s == sample) {
                    throw new IllegalArgumentException("sample " + sample + " was added twice");
                }
            }
            samples.add(sample);
            lossesPerSample.add(lossPerSample);
            return this;
        }

        /** The samples added so far, in order. */
        List<DiscreteSample> samples() {
            return Collections.unmodifiableList(samples);
        }

        /**
         * Runs both phases. Gradients accumulate in the parameters until the optimizer's step.
         *
         * @param collector the collector the forward pass ran in, still open
         * @throws IllegalArgumentException if the loss is missing, a per-sample loss is missing or has
         *     the wrong shape; nothing has been backpropagated then
         * @throws IllegalStateException if a sample was already backpropagated or closed, or if the
         *     loss depends on theta's graph directly (use {@link DiscreteSample#scores()})
         */
        public void run(GradientCollector collector) {
            Objects.requireNonNull(collector, "collector");
            validate();
            for (DiscreteSample sample : samples) {
                sample.markBackpropagated();
            }
            // phase 1: downstream parameters and dL/dz; DJL's seed of ones goes into the scope
            try (NDManager scope = loss.getManager().newSubManager()) {
                loss.tempAttach(scope);
                collector.backward(loss);
            }
            if (samples.isEmpty()) {
                return;
            }
            // phase 2: one backward pass of the surrogate through every theta's graph
            try (NDManager scope = samples.get(0).theta().getManager().newSubManager()) {
                Set<NDArray> attached = Collections.newSetFromMap(new IdentityHashMap<>());
                NDArray surrogate = null;
                for (int i = 0; i < samples.size(); i++) {
                    DiscreteSample sample = samples.get(i);
                    NDArray g = sample.layer().estimate(sample, lossesPerSample.get(i), scope);
                    NDArray direct = sample.scoresGradient();
                    if (direct != null) {
                        direct.attach(scope);
                        g = g.add(direct);
                    }
                    if (attached.add(sample.theta())) {
                        sample.theta().tempAttach(scope);
                    }
                    NDArray term = sample.theta().mul(g).sum();
                    surrogate = surrogate == null ? term : surrogate.add(term);
                }
                backwardSurrogate(collector, surrogate);
            }
        }

        private void validate() {
            if (loss == null) {
                throw new IllegalArgumentException("the backward pass needs a loss: call loss(...)");
            }
            for (int i = 0; i < samples.size(); i++) {
                DiscreteSample sample = samples.get(i);
                if (sample.isBackpropagated()) {
                    throw new IllegalStateException(sample + " was already backpropagated; draw a new sample per step");
                }
                if (!sample.isOpen()) {
                    throw new IllegalStateException(sample + " was closed before its backward pass");
                }
                NDArray losses = lossesPerSample.get(i);
                String estimator = sample.layer().estimator().name();
                if (losses == null && sample.layer().estimator().requiresLossPerSample()) {
                    throw new IllegalArgumentException(
                            "estimator '" + estimator + "' needs the loss of each sample, shape "
                                    + new Shape(sample.values().getShape().get(0))
                                    + ": call DiscreteLayer.backward(collector, loss, sample, lossPerSample)"
                                    + " or DiscreteBackward.builder().sample(sample, lossPerSample)");
                }
                if (losses != null) {
                    Shape expected = new Shape(sample.values().getShape().get(0));
                    if (!losses.getShape().equals(expected)) {
                        throw new IllegalArgumentException(
                                "the loss per sample has shape " + losses.getShape() + " but the " + expected.get(0)
                                        + " samples (B*S) of estimator '" + estimator + "' need shape " + expected);
                    }
                }
            }
        }

        private static void backwardSurrogate(GradientCollector collector, NDArray surrogate) {
            try {
                collector.backward(surrogate);
            } catch (EngineException e) {
                String message = String.valueOf(e.getMessage());
                if (message.contains("second time")) {
                    throw new IllegalStateException(
                            "the graph of theta was already freed by the first backward pass: the loss depends on"
                                    + " theta's graph directly, not only through the samples. Compute such terms"
                                    + " (e.g. a KL regulariser on the logits) from sample.scores(), the leaf copy of"
                                    + " theta whose gradient joins the estimate",
                            e);
                }
                if (message.contains("does not require grad")) {
                    throw new IllegalStateException(
                            "theta has no graph to push the estimate into: it must be computed from parameters"
                                    + " (or a leaf with setRequiresGradient(true)) inside the open GradientCollector",
                            e);
                }
                throw e;
            }
        }
    }
}
