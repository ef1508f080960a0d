package dev.aimle.estimators.fy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Shapes;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.noise.GaussianNoise;
import dev.aimle.estimators.noise.HostSampled;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The Fenchel-Young loss of a perturbed optimizer (Berthet, Blondel, Teboul, Cuturi, Vert, Bach,
 * "Learning with Differentiable Perturbed Optimizers", NeurIPS 2020), for supervised training of the
 * scores θ of a MAP oracle against a target state y.
 *
 * <p>The perturbed optimizer is {@code ŷ(θ) = E_ε[MAP(θ + σε)]}, estimated with S samples. For a
 * maximising oracle the loss is {@code L(θ; y) = E[max_z <z, θ + σε>] - <θ, y>} plus a term that does
 * not depend on θ, and its gradient is
 *
 * <pre>    ∇_θ L = ŷ(θ) - y</pre>
 *
 * (Berthet et al., Prop. 4.1): no solver call in the backward pass and no downstream gradient, only
 * the target. For a minimising oracle ({@link MapSolver#sense()} {@code MINIMISE}, a shortest path)
 * everything is mirrored: {@code L = <θ, y> - E[min_z <z, θ + σε>]} and {@code ∇_θ L = y - ŷ(θ)}, the
 * reference's {@code maximize=False} ({@code aaai23/maprop/fenchel_young.py}).
 *
 * <p><b>The value.</b> Per instance, the mean over the samples of {@code <z_i - y, θ + σε_i>} (max)
 * or {@code <y - z_i, θ + σε_i>} (min): at least 0, and 0 exactly when y is the MAP state of every
 * perturbed θ. (The reference's forward returns {@code ||ŷ - y||²} instead and only its backward is
 * the Fenchel-Young gradient.) {@link #loss} averages it over the batch, so its gradient is
 * {@code (ŷ - y) / B}, the same scale as the Hamming loss's {@code (1 - 2y) / B}.
 *
 * <p><b>Why it is not a {@link dev.aimle.api.GradientEstimator}.</b> An estimator turns a downstream
 * {@code dL/dz} into {@code dL/dθ}; this loss replaces the downstream loss and needs y itself, so it is
 * a loss on θ (usable as a DJL {@link Loss} through {@link #asDjlLoss}).
 *
 * <p><b>Noise and state.</b> Draw n (one per call of {@link #evaluate}) uses a fresh generator seeded
 * by a mix of the seed and n, so {@link #draws()} and {@link #restoreDraws(long)} make a resumed run
 * draw the same noise. Drawing is serialised (the solver must be thread-safe, as the SPI asks);
 * arrays are created on θ's manager.
 */
public final class FenchelYoungLoss {
    private final MapSolver solver;
    private final NoiseDistribution noise;
    private final double sigma;
    private final int samples;
    private final long seed;
    private long draws;

    private FenchelYoungLoss(Builder builder) {
        this.solver = Objects.requireNonNull(builder.solver, "solver");
        this.noise = builder.noise;
        this.sigma = builder.sigma;
        this.samples = builder.samples;
        this.seed = builder.seed;
    }

    /** A builder: {@code FenchelYoungLoss.builder().solver(s).sigma(1).samples(10).seed(1).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** σ, the noise scale. */
    public double sigma() {
        return sigma;
    }

    /** S, the samples per instance. */
    public int samples() {
        return samples;
    }

    /** The solver. */
    public MapSolver solver() {
        return solver;
    }

    /** The noise distribution ε is drawn from. */
    public NoiseDistribution noise() {
        return noise;
    }

    /** The seed of the noise stream. */
    public long seed() {
        return seed;
    }

    /** How many draws the noise stream has made (for a checkpoint). */
    public synchronized long draws() {
        return draws;
    }

    /** Resumes the noise stream after {@code value} draws. */
    public synchronized void restoreDraws(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("draws (" + value + ") must be at least 0");
        }
        draws = value;
    }

    /**
     * The loss per instance and its gradient, without autograd.
     *
     * @param lossPerInstance {@code [B]}
     * @param gradient {@code ∇_θ L} per instance, θ's shape (not divided by B)
     * @param expectation {@code ŷ(θ)}, the mean of the S states, θ's shape
     */
    public record Evaluation(NDArray lossPerInstance, NDArray gradient, NDArray expectation) {}

    /**
     * Draws S perturbations of every instance, solves them in one batch and returns the loss, its
     * gradient and ŷ, attached to θ's manager.
     *
     * @param theta scores {@code [B, ...]}, float32, finite
     * @param target y, θ's shape, finite (a feasible state for the loss to be at least 0)
     * @throws IllegalArgumentException on shapes that differ or values that are not finite
     */
    public Evaluation evaluate(NDArray theta, NDArray target) {
        if (!theta.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(
                    "target " + target.getShape() + " must have the shape of theta " + theta.getShape());
        }
        Shape shape = theta.getShape();
        if (shape.dimension() < 2 || shape.get(0) < 1) {
            throw new IllegalArgumentException("theta " + shape + " must be a batch [B, ...] with B at least 1");
        }
        float[] th = theta.toType(DataType.FLOAT32, false).toFloatArray();
        float[] y = target.toType(DataType.FLOAT32, false).toFloatArray();
        Shapes.requireFinite("theta", th, shape);
        Shapes.requireFinite("target", y, shape);
        int batch = Math.toIntExact(shape.get(0));
        int m = th.length / batch;
        Shape repeated = new Shape((long) batch * samples).addAll(shape.slice(1));
        NDManager owner = theta.getManager();
        float[] eps;
        float[] states;
        try (NDManager scope = owner.newSubManager()) {
            RandomGenerator random = nextGenerator();
            eps = noise instanceof HostSampled host && host.drawsOnHost(scope.getDevice())
                    ? host.sampleOnHost(repeated, random)
                    : noise.sample(scope, repeated, random).toFloatArray();
            float[] perturbed = new float[eps.length];
            for (int r = 0; r < batch * samples; r++) {
                int b = r / samples;
                for (int j = 0; j < m; j++) {
                    perturbed[r * m + j] = th[b * m + j] + (float) sigma * eps[r * m + j];
                }
            }
            eps = perturbed; // keep θ + σε for the loss
            states = solver.solveOnHost(perturbed, repeated, scope);
        }
        double sign = solver.sense() == MapSolver.Sense.MAXIMISE ? 1 : -1;
        float[] expectation = new float[th.length];
        float[] gradient = new float[th.length];
        float[] losses = new float[batch];
        for (int b = 0; b < batch; b++) {
            double loss = 0;
            for (int s = 0; s < samples; s++) {
                int r = b * samples + s;
                for (int j = 0; j < m; j++) {
                    expectation[b * m + j] += states[r * m + j];
                    loss += (states[r * m + j] - y[b * m + j]) * (double) eps[r * m + j];
                }
            }
            losses[b] = (float) (sign * loss / samples);
            for (int j = 0; j < m; j++) {
                expectation[b * m + j] /= samples;
                gradient[b * m + j] = (float) (sign * (expectation[b * m + j] - y[b * m + j]));
            }
        }
        return new Evaluation(
                HostArrays.create(owner, losses, new Shape(batch)),
                HostArrays.create(owner, gradient, shape),
                HostArrays.create(owner, expectation, shape));
    }

    /**
     * The mean loss over the batch as a scalar whose gradient through θ (inside an open gradient
     * collector) is {@code ∇_θ L / B}: {@code mean(L) + sum(θ·g)/B - stopGradient(sum(θ·g)/B)}.
     */
    public NDArray loss(NDArray theta, NDArray target) {
        Evaluation e = evaluate(theta, target);
        long batch = theta.getShape().get(0);
        NDArray surrogate = Scalars.div(theta.mul(e.gradient().stopGradient()).sum(), batch);
        NDArray value = e.lossPerInstance().mean();
        NDArray out = surrogate.sub(surrogate.stopGradient()).add(value);
        e.gradient().close();
        e.expectation().close();
        return out;
    }

    /**
     * This loss as a DJL {@link Loss} named {@code name}: {@code evaluate(labels, predictions)} is
     * {@link #loss(NDArray, NDArray)} of the first prediction (θ) against the first label (y), so
     * {@code EasyTrain} and DJL's trainers use it as any loss. Note that every evaluation, validation
     * included, draws noise.
     */
    public Loss asDjlLoss(String name) {
        return new Loss(name) {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                return loss(predictions.get(0), labels.get(0));
            }
        };
    }

    private synchronized RandomGenerator nextGenerator() {
        long draw = draws++;
        return new SplittableRandom(mix(seed ^ mix(draw + 0x3C6EF372FE94F82BL)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "FenchelYoung[" + solver.name() + ", " + noise + ", sigma=" + sigma + ", S=" + samples + "]";
    }

    /** Builds a {@link FenchelYoungLoss}. */
    public static final class Builder {
        private MapSolver solver;
        private NoiseDistribution noise = new GaussianNoise();
        private double sigma = 1.0;
        private int samples = 1;
        private long seed = new SplittableRandom().nextLong();

        private Builder() {}

        /** The MAP oracle (required); its {@link MapSolver#sense()} sets the sign. */
        public Builder solver(MapSolver value) {
            this.solver = Objects.requireNonNull(value, "solver");
            return this;
        }

        /** The noise ε (default standard normal, as Berthet et al.). */
        public Builder noise(NoiseDistribution value) {
            this.noise = Objects.requireNonNull(value, "noise");
            return this;
        }

        /** σ, the noise scale (default 1), finite and positive. */
        public Builder sigma(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("sigma (" + value + ") must be a finite number above 0");
            }
            this.sigma = value;
            return this;
        }

        /** S, samples per instance (default 1). */
        public Builder samples(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("samples (" + value + ") must be at least 1");
            }
            this.samples = value;
            return this;
        }

        /** The noise stream's seed (default: a fresh random one; record it to reproduce). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** The loss. */
        public FenchelYoungLoss build() {
            if (solver == null) {
                throw new IllegalStateException("FenchelYoungLoss needs a solver: call .solver(...)");
            }
            return new FenchelYoungLoss(this);
        }
    }
}
