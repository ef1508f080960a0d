package dev.aimle.app.experiments.synthetic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.Scalars;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The synthetic problem of the AAAI-23 paper (Fig. 1, 3 and 4): z one-hot in {0,1}^n, distributed
 * as {@code p(z = e_j; theta) = softmax(theta)_j}, and the loss
 * {@code L(theta) = E_{z ~ p(z; theta)} ||z - b||^2} with theta ~ N(0, I) and b ~ N(0, I) (the
 * reference code draws {@code b = |N(0, I)|}; both are supported).
 *
 * <p>The true gradient is exact by enumeration of the n states: with {@code p = softmax(theta)} and
 * {@code f_j = ||e_j - b||^2}, {@code dL/dtheta_i = p_i (f_i - sum_j p_j f_j)}. Immutable.
 */
public final class SyntheticProblem {
    private final double[] theta;
    private final double[] b;

    /**
     * @param theta the scores, finite, at least 2
     * @param b the target vector, same length, finite
     */
    public SyntheticProblem(double[] theta, double[] b) {
        if (theta.length < 2 || theta.length != b.length) {
            throw new IllegalArgumentException(
                    "theta (" + theta.length + ") and b (" + b.length + ") must have the same length, at least 2");
        }
        for (int i = 0; i < theta.length; i++) {
            if (!Double.isFinite(theta[i]) || !Double.isFinite(b[i])) {
                throw new IllegalArgumentException(
                        "theta[" + i + "] (" + theta[i] + ") and b[" + i + "] (" + b[i] + ") must be finite");
            }
        }
        this.theta = theta.clone();
        this.b = b.clone();
    }

    /**
     * Draws theta ~ N(0, I) and b ~ N(0, I) (or |N(0, I)|) of size n.
     *
     * @param absoluteB whether b is drawn as |N(0, I)| as in the reference code
     */
    public static SyntheticProblem draw(int n, RandomGenerator random, boolean absoluteB) {
        if (n < 2) {
            throw new IllegalArgumentException("n (" + n + ") must be at least 2");
        }
        double[] theta = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            theta[i] = random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            double v = random.nextGaussian();
            b[i] = absoluteB ? Math.abs(v) : v;
        }
        return new SyntheticProblem(theta, b);
    }

    /** n. */
    public int size() {
        return theta.length;
    }

    /** A copy of theta. */
    public double[] theta() {
        return theta.clone();
    }

    /** A copy of b. */
    public double[] b() {
        return b.clone();
    }

    /** softmax(theta). */
    public double[] probabilities() {
        double max = Arrays.stream(theta).max().orElseThrow();
        double[] p = new double[theta.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(theta[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** {@code f_j = ||e_j - b||^2} for every state j. */
    public double[] stateLosses() {
        double bb = 0;
        for (double v : b) {
            bb += v * v;
        }
        double[] f = new double[b.length];
        for (int j = 0; j < f.length; j++) {
            f[j] = bb - 2 * b[j] + 1;
        }
        return f;
    }

    /** The exact expected loss {@code L(theta)}. */
    public double loss() {
        double[] p = probabilities();
        double[] f = stateLosses();
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            sum += p[j] * f[j];
        }
        return sum;
    }

    /** The exact gradient {@code dL/dtheta}. */
    public double[] trueGradient() {
        double[] p = probabilities();
        double[] f = stateLosses();
        double mean = loss();
        double[] g = new double[p.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = p[i] * (f[i] - mean);
        }
        return g;
    }

    /**
     * One gradient estimate with S samples: forward, downstream {@code dL/dz = 2 (z - b)} and
     * {@code f(z) = ||z - b||^2} for every sample, backward. Stateful estimators advance their state.
     *
     * @param manager parent of the temporary scope; nothing is left attached to it
     * @return the estimate of {@code dL/dtheta}, length n
     */
    public double[] estimate(
            GradientEstimator estimator, Perturbation perturbation, NDManager manager, RandomGenerator random) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray thetaArray = scope.create(toFloat(theta), new Shape(1, theta.length));
            Sample sample = estimator.forward(thetaArray, perturbation, random);
            NDArray residual = sample.z().sub(scope.create(toFloat(b), new Shape(1, b.length)));
            NDArray dy = Scalars.mul(residual, 2);
            NDArray loss = residual.square().sum(new int[] {1});
            NDArray g = estimator.backward(sample, new Downstream(dy, loss));
            float[] values = g.toFloatArray();
            double[] out = new double[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
            }
            return out;
        }
    }

    /**
     * As {@link #estimate}, after {@code warmUpSteps} estimates whose results are discarded: the
     * paper lets AIMLE's lambda adapt on the same theta and b before measuring (the reference code
     * uses 100 warm-up steps). For stateless estimators warm-up only advances the random generator.
     */
    public double[] estimateAfterWarmUp(
            GradientEstimator estimator,
            Perturbation perturbation,
            int warmUpSteps,
            NDManager manager,
            RandomGenerator random) {
        if (warmUpSteps < 0) {
            throw new IllegalArgumentException("warmUpSteps (" + warmUpSteps + ") must be at least 0");
        }
        for (int i = 0; i < warmUpSteps; i++) {
            estimate(estimator, perturbation, manager, random);
        }
        return estimate(estimator, perturbation, manager, random);
    }

    /** Cosine similarity; 0 when either vector is all zeros (an all-zero estimate carries no direction). */
    public static double cosine(double[] a, double[] c) {
        double dot = 0;
        double na = 0;
        double nc = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * c[i];
            na += a[i] * a[i];
            nc += c[i] * c[i];
        }
        return na == 0 || nc == 0 ? 0 : dot / Math.sqrt(na * nc);
    }

    /** The fraction of exactly zero entries (the sparsity of Fig. 1, bottom). */
    public static double zeroFraction(double[] g) {
        long zeros = Arrays.stream(g).filter(v -> v == 0).count();
        return zeros / (double) g.length;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
