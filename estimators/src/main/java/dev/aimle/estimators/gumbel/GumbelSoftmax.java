package dev.aimle.estimators.gumbel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.Schedule;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The Gumbel-softmax (concrete) relaxation of a categorical variable (Jang, Gu and Poole 2017;
 * Maddison, Mnih and Teh 2017), the natural baseline for k = 1: the forward pass returns the relaxed
 * sample {@code y = softmax((theta + tau_in * eps) / t)} over the last axis, not a MAP state, and the
 * backward pass is its exact Jacobian, {@code g = y * (dy - <dy, y>) / t}, averaged over the samples.
 * Use it with Gumbel noise; the perturbation's solver is not called.
 *
 * <p>The softmax temperature t follows a {@link Schedule} of the number of backward passes done (the
 * reference DVAE anneals {@code t = max(0.5, exp(-3e-5 * step))} every 1000 steps:
 * {@code Schedule.exponentialDecay(1, 3e-5, 0.5, 1000)}); that count is the estimator's state. A
 * forward pass and the backward pass that follows it use the same t. Not thread-safe.
 */
public final class GumbelSoftmax implements GradientEstimator {
    private final Schedule temperature;
    private final String description;
    private long steps;

    /**
     * @param temperature the softmax temperature per step
     * @param description how the schedule is shown in reports, e.g. {@code "t=0.5"}
     */
    public GumbelSoftmax(Schedule temperature, String description) {
        this.temperature = Objects.requireNonNull(temperature, "temperature");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** A constant temperature t, finite and greater than 0. */
    public static GumbelSoftmax withTemperature(double t) {
        return new GumbelSoftmax(Schedule.constant(t), "t=" + t);
    }

    /** The temperature the next forward and backward passes use. */
    public double temperature() {
        double t = temperature.at(steps);
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalStateException("the temperature schedule gave " + t + " at step " + steps
                    + "; it must be a finite number greater than 0");
        }
        return t;
    }

    @Override
    public String name() {
        return "gumbel-softmax";
    }

    @Override
    public Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        if (mask != null) {
            throw new IllegalArgumentException("the Gumbel-softmax estimator does not support a padding mask");
        }
        Shapes.requireFinite("theta", theta);
        double t = temperature();
        NDManager owner = theta.getManager();
        Shape repeatedShape = new Shape(theta.getShape().get(0) * perturbation.samples())
                .addAll(theta.getShape().slice(1));
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            NDArray noise = perturbation.noise().sample(scope, repeatedShape, random);
            NDArray perturbed = SampleLayout.repeat(detached, perturbation.samples())
                    .addi(Scalars.mul(noise, perturbation.inputTemperature()));
            NDArray y = Scalars.div(perturbed, t).softmax(-1);
            y.attach(owner);
            detached.attach(owner);
            noise.attach(owner);
            return new Sample(perturbation, detached, null, noise, y);
        }
    }

    @Override
    public NDArray backward(Sample sample, Downstream downstream) {
        NDArray dy = downstream.gradient();
        Shapes.requireRepeated("dL/dz", dy, sample.theta(), sample.samples());
        Shapes.requireFinite("dL/dz", dy);
        double t = temperature();
        NDManager owner = sample.theta().getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray y = sample.z();
            y.tempAttach(scope);
            dy.tempAttach(scope);
            NDArray inner = dy.mul(y).sum(new int[] {-1}, true);
            NDArray g = SampleLayout.meanOverSamples(Scalars.divi(y.mul(dy.sub(inner)), t), sample.samples());
            g.attach(owner);
            steps++;
            return g;
        }
    }

    @Override
    public Map<String, Double> state() {
        return Map.of("steps", (double) steps);
    }

    @Override
    public void restoreState(Map<String, Double> state) {
        Double value = state.get("steps");
        if (state.size() != 1 || value == null || !(value >= 0) || value != Math.rint(value)) {
            throw new IllegalArgumentException("Gumbel-softmax state is a whole number 'steps' >= 0, got " + state);
        }
        steps = value.longValue();
    }

    @Override
    public String toString() {
        return "Gumbel-softmax(" + description + ")";
    }
}
