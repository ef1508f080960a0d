package dev.aimle.estimators.relaxed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.estimators.Scalars;
import java.util.Locale;

/**
 * A continuous relaxation of a k-hot sample over the last axis of {@code theta [B, n]}: the result
 * {@code y [B, n]} is non-negative, tends to a k-hot state of the Gumbel-perturbed scores as the
 * temperature t goes to 0 (away from ties), and is differentiable in theta through DJL's autograd (the
 * noise is an input, so the caller owns the randomness). Masked positions (mask false or 0) get
 * weight exactly 0 and no gradient.
 */
public enum KSubsetRelaxation {
    /**
     * L2X (Chen, Song, Wainwright and Jordan, ICML 2018, Eq. 6): k independent Gumbel-softmax draws
     * over the n positions, combined by an elementwise maximum,
     *
     * <pre>
     *   c_j = softmax((theta + g_j) / t),  g_j ~ Gumbel(0, 1) iid, j = 1..k
     *   y_i = max_j c_{j,i}
     * </pre>
     *
     * Entries are in [0, 1]; at low t the state is the union of the k draws' argmaxes (at most k
     * positions, fewer when two draws agree).
     * The noise has shape {@code [k, B, n]}.
     */
    L2X("l2x", "L2X") {
        @Override
        public Shape noiseShape(Shape theta, int k) {
            return new Shape(k).addAll(theta);
        }

        @Override
        NDArray relax(NDArray theta, NDArray noise, NDArray mask, int k, double t) {
            NDArray logits =
                    Scalars.div(masked(theta.expandDims(0).add(noise), mask == null ? null : mask.expandDims(0)), t);
            return logits.softmax(-1).max(new int[] {0});
        }
    },

    /**
     * SoftSub, the relaxed top-k of Xie and Ermon (IJCAI 2019, Algorithm 1): Gumbel keys
     * {@code r = theta + g}, then k successive softmaxes, each discounting what the previous ones
     * took,
     *
     * <pre>
     *   alpha^1 = r
     *   a^j = softmax(alpha^j / t),  alpha^{j+1} = alpha^j + log(1 - a^j),  j = 1..k
     *   y = sum_j a^j
     * </pre>
     *
     * with {@code 1 - a^j} clipped below at the smallest normal float32 (1.2e-38) so the logarithm
     * stays finite. The entries of y sum to k; near a tie one may exceed 1 (the discount of a position
     * taken partly is partial). The noise has shape {@code [B, n]}.
     */
    SOFTSUB("softsub", "SoftSub") {
        @Override
        public Shape noiseShape(Shape theta, int k) {
            return theta;
        }

        @Override
        NDArray relax(NDArray theta, NDArray noise, NDArray mask, int k, double t) {
            NDArray alpha = masked(theta.add(noise), mask);
            NDArray sum = null;
            for (int j = 0; j < k; j++) {
                NDArray a = Scalars.div(alpha, t).softmax(-1);
                sum = sum == null ? a : sum.add(a);
                if (j + 1 < k) {
                    alpha = alpha.add(logOfRemaining(a));
                }
            }
            return sum;
        }
    };

    private final String id;
    private final String label;

    /**
     * {@code log(max(1 - a, tiny))} with a finite gradient: where {@code 1 - a} is below the smallest
     * normal float32 (a rounded to 1) the value is {@code log(tiny)} and the gradient 0. A clip
     * followed by a log would give the same values, but its backward pass multiplies the log's
     * gradient there, {@code 1 / tiny}, which overflows to infinity, by the clip's 0: NaN.
     */
    private static NDArray logOfRemaining(NDArray a) {
        NDArray remaining = a.neg().add(1);
        NDArray usable = remaining.stopGradient().gt(Float.MIN_NORMAL);
        NDArray safe = NDArrays.where(usable, remaining, remaining.getManager().create(1f));
        return NDArrays.where(usable, safe.log(), remaining.getManager().create((float) Math.log(Float.MIN_NORMAL)));
    }

    KSubsetRelaxation(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name on the command line. */
    public String id() {
        return id;
    }

    /** The name in tables. */
    public String label() {
        return label;
    }

    /** The shape of the Gumbel(0, 1) noise {@link #apply} takes for scores of shape {@code theta}. */
    public abstract Shape noiseShape(Shape theta, int k);

    abstract NDArray relax(NDArray theta, NDArray noise, NDArray mask, int k, double t);

    /**
     * The relaxed sample.
     *
     * @param theta scores {@code [B, n]}, float32, with their graph (the result is differentiable in
     *     them)
     * @param noise Gumbel(0, 1) noise of {@link #noiseShape}, float32
     * @param mask boolean {@code [B, n]}, true where a position may be chosen, or null; each row needs
     *     at least k valid positions
     * @param k the subset size, between 1 and n
     * @param t the temperature, finite and above 0
     * @return {@code y [B, n]}, attached to theta's manager
     * @throws IllegalArgumentException on a bad shape, k or t
     */
    public NDArray apply(NDArray theta, NDArray noise, NDArray mask, int k, double t) {
        Shape shape = theta.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException(label + ": theta must be [B, n], got " + shape);
        }
        if (k < 1 || k > shape.get(1)) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT, "%s: k (%d) must be between 1 and the instance size (%d)", label, k, shape.get(1)));
        }
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException(label + ": the temperature (" + t + ") must be finite and above 0");
        }
        if (!noise.getShape().equals(noiseShape(shape, k))) {
            throw new IllegalArgumentException(label + ": the noise has shape " + noise.getShape() + ", expected "
                    + noiseShape(shape, k) + " for theta " + shape + " and k = " + k);
        }
        if (mask != null && !mask.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    label + ": the mask has shape " + mask.getShape() + " but theta has shape " + shape);
        }
        NDArray bool = mask == null ? null : mask.getDataType() == DataType.BOOLEAN ? mask : mask.neq(0);
        return relax(theta, noise, bool, k, t);
    }

    /**
     * The score of a masked position: finite (infinities in the graph gave NaN gradients now and then
     * on the CPU), low enough that {@code exp(MASKED / t - max)} is exactly 0 for every temperature
     * and score a float32 softmax can meet.
     */
    static final float MASKED = -1e30f;

    /** Scores with masked positions at {@link #MASKED}: softmax gives them 0 and no gradient. */
    private static NDArray masked(NDArray scores, NDArray mask) {
        if (mask == null) {
            return scores;
        }
        NDArray broadcast = mask.getShape().equals(scores.getShape()) ? mask : mask.broadcast(scores.getShape());
        return NDArrays.where(broadcast, scores, scores.getManager().create(MASKED));
    }

    /**
     * The relaxation of this id.
     *
     * @throws IllegalArgumentException naming the known ids
     */
    public static KSubsetRelaxation parse(String id) {
        for (KSubsetRelaxation r : values()) {
            if (r.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown relaxation '" + id + "'; expected l2x or softsub");
    }
}
