package dev.aimle.solvers.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Shapes;
import dev.aimle.api.TractableDistribution;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The k-subset MAP oracle: {@code MAP(theta) = argmax_{z in {0,1}^n, sum z = k} <z, theta>}, i.e.
 * the indicator of the k largest scores (the one-hot argmax when k = 1), as used for the DVAE and
 * learning-to-explain experiments of Minervini, Franceschi and Niepert (AAAI-23) and the I-MLE
 * paper (Niepert, Minervini, Franceschi, NeurIPS-21).
 *
 * <h2>Rows of the last axis</h2>
 *
 * The solver works per row of the <b>last</b> axis: theta {@code [B, n]} has B instances of one row;
 * theta {@code [B, r, n]} (the DVAE's {@code [B, 20, 20]}) gives every one of the {@code B * r}
 * rows its own top-k, so each output row of n entries has exactly k ones. The instance size that
 * {@code k} is checked against is {@code n}.
 *
 * <h2>Ties</h2>
 *
 * Among equal scores the <b>lower index</b> (along the last axis) wins, and {@code -0.0} equals
 * {@code 0.0}. Both paths implement exactly this rule: the tensor path by counting, in index order,
 * the entries equal to the k-th largest score; the host path by a total order on (score, index).
 *
 * <h2>Paths</h2>
 *
 * <ul>
 *   <li>{@link Path#TENSOR}: batched tensor operations on the input's device. k = 1 is
 *       {@code argMax} (PyTorch returns the first maximal index) and {@code oneHot}; k &ge; 2 takes
 *       the k-th largest score per row with {@code topK}, marks the scores at or above it, and, only
 *       when some row then has more than k marks (a tie at the threshold), resolves the tie with a
 *       cumulative count of the equal entries. The finiteness check is one reduction; the offending
 *       value is located on the host only when it fails.
 *   <li>{@link Path#HOST}: one copy to the host, a per-row scan (k = 1) or quickselect (k &ge; 2),
 *       rows in parallel on the common fork-join pool for large batches, one copy back.
 * </ul>
 *
 * The default is {@link #DEFAULT_PATH} ({@code host}): on the PyTorch CPU engine the host path was
 * faster for every shape we benchmarked (see {@code TopKBenchmark} in the app), because each DJL
 * operation costs a JNI call and an allocation of the order of the whole per-row work, while the
 * host path needs two copies and a few nanoseconds per score. On an accelerator the tensor path
 * avoids the device-host round trip: select it with {@code path=tensor}.
 *
 * <p>The output is float32 in {0, 1}, has the input's shape, lives on the input's device and is
 * attached to the input's manager; temporaries live in a sub-manager closed before returning.
 * Instances are immutable and thread-safe.
 */
public final class TopKSolver implements MapSolver {

    /** Where the solver computes. */
    public enum Path {
        /** Batched tensor operations on the input's device. */
        TENSOR,
        /** A per-row selection on the host, rows in parallel. */
        HOST;

        /** The lower-case name used in configuration, {@code tensor} or {@code host}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The path called {@code name} ({@code tensor} or {@code host}, case-insensitive).
         *
         * @throws IllegalArgumentException naming the value and the accepted ones
         */
        public static Path fromConfigName(String name) {
            for (Path p : values()) {
                if (p.configName().equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException(
                    "parameter 'path' (" + name + ") must be one of tensor, host");
        }
    }

    /** The path used when none is given; see the class documentation for why. */
    public static final Path DEFAULT_PATH = Path.HOST;

    /** The provider name, {@code "topk"}. */
    public static final String NAME = "topk";

    /** The host path parallelises over rows only from this many scores on. */
    static final int PARALLEL_THRESHOLD = 1 << 14;

    private static final String OWNER = "solver '" + NAME + "'";

    private final int k;
    private final Path path;
    private final KSubsetDistribution distribution;

    /**
     * A top-k solver on the {@link #DEFAULT_PATH}.
     *
     * @param k the number of ones per row, at least 1 (checked against the row length when solving)
     */
    public TopKSolver(int k) {
        this(k, DEFAULT_PATH);
    }

    /**
     * A top-k solver.
     *
     * @param k the number of ones per row, at least 1 (checked against the row length when solving)
     * @param path where to compute
     * @throws IllegalArgumentException when {@code k < 1}
     */
    public TopKSolver(int k, Path path) {
        if (k < 1) {
            throw new IllegalArgumentException("k (" + k + ") must be at least 1");
        }
        if (path == null) {
            throw new IllegalArgumentException("path must not be null; use tensor or host");
        }
        this.k = k;
        this.path = path;
        this.distribution = new KSubsetDistribution(k);
    }

    /** The number of ones per row. */
    public int k() {
        return k;
    }

    /** Where this solver computes. */
    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** True on the tensor path. */
    @Override
    public boolean isBatchedOnDevice() {
        return path == Path.TENSOR;
    }

    /** The k-subset exponential family over the same rows; see {@link KSubsetDistribution}. */
    @Override
    public Optional<TractableDistribution> distribution() {
        return Optional.of(distribution);
    }

    /**
     * The top-k indicator of every row of the last axis.
     *
     * @param theta scores {@code [B, ..., n]}, float32, finite, {@code n >= k}
     * @return float32 {0, 1}, shape and device of theta, attached to theta's manager, k ones per row
     * @throws IllegalArgumentException on NaN/Inf (naming the position and value), fewer than two
     *     axes, a dtype other than float32, or k larger than the row length n
     */
    @Override
    public NDArray solve(NDArray theta) {
        RowLayout layout = RowLayout.of(OWNER, theta, k);
        if (layout.rows() == 0) {
            return theta.getManager()
                    .zeros(theta.getShape(), DataType.FLOAT32, theta.getDevice());
        }
        return path == Path.TENSOR ? solveOnDevice(theta, layout) : solveOnHost(theta, layout);
    }

    private NDArray solveOnDevice(NDArray theta, RowLayout layout) {
        NDManager owner = theta.getManager();
        int axis = theta.getShape().dimension() - 1;
        try (NDManager scope = owner.newSubManager(theta.getDevice())) {
            NDArray total = in(scope, theta.sum());
            if (!Float.isFinite(total.getFloat())) {
                // Locates and names the offending value; a finite theta whose float sum overflowed
                // passes and is solved as usual.
                Shapes.requireFinite("theta", theta);
            }
            NDArray z;
            if (k == 1) {
                z = in(scope, theta.argMax(axis)).oneHot(layout.n(), DataType.FLOAT32);
            } else {
                NDList top = theta.topK(k, axis, true, false);
                top.attach(scope);
                NDArray kth = top.get(0).min(new int[] {axis}, true);
                NDArray atLeast = in(scope, theta.gte(kth));
                long marked = atLeast.sum().toType(DataType.INT64, false).getLong();
                z =
                        marked == (long) layout.rows() * k
                                ? atLeast.toType(DataType.FLOAT32, false)
                                : resolveTies(theta, kth, axis, scope);
            }
            z.attach(owner);
            return z;
        }
    }

    /**
     * The exact top-k when some scores equal the k-th largest: every score above it, plus the first
     * {@code k - #above} (in index order) of the scores equal to it.
     */
    private NDArray resolveTies(NDArray theta, NDArray kth, int axis, NDManager scope) {
        NDArray above = in(scope, theta.gt(kth));
        NDArray equal = in(scope, theta.eq(kth));
        NDArray room = above.toType(DataType.INT32, false).sum(new int[] {axis}, true).neg().add(k);
        NDArray rankAmongEqual = equal.toType(DataType.INT32, false).cumSum(axis);
        NDArray chosenEqual = equal.logicalAnd(rankAmongEqual.lte(room));
        return above.logicalOr(chosenEqual).toType(DataType.FLOAT32, false);
    }

    private static NDArray in(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }

    private NDArray solveOnHost(NDArray theta, RowLayout layout) {
        Shape shape = theta.getShape();
        float[] scores = theta.toFloatArray();
        Shapes.requireFinite("theta", scores, shape);
        float[] out = new float[scores.length];
        int rows = layout.rows();
        int n = layout.n();
        int chunks =
                scores.length < PARALLEL_THRESHOLD
                        ? 1
                        : Math.min(rows, Runtime.getRuntime().availableProcessors());
        if (chunks <= 1) {
            new HostTopK(n, k).solveRows(scores, out, 0, rows);
        } else {
            IntStream.range(0, chunks)
                    .parallel()
                    .forEach(
                            c ->
                                    new HostTopK(n, k)
                                            .solveRows(
                                                    scores,
                                                    out,
                                                    (int) ((long) rows * c / chunks),
                                                    (int) ((long) rows * (c + 1) / chunks)));
        }
        return onDeviceOf(theta, out);
    }

    /** {@code values} as a float32 array of theta's shape, on theta's device and manager. */
    static NDArray onDeviceOf(NDArray theta, float[] values) {
        NDManager owner = theta.getManager();
        NDArray result = owner.create(values, theta.getShape());
        if (!result.getDevice().equals(theta.getDevice())) {
            NDArray moved = result.toDevice(theta.getDevice(), false);
            result.close();
            moved.attach(owner);
            result = moved;
        }
        return result;
    }

    @Override
    public String toString() {
        return "TopKSolver[k=" + k + ", path=" + path.configName() + "]";
    }
}
