package dev.aimle.solvers.topk;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.HostArrays;
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
 * the entries equal to the k-th largest score; the host path by comparing (score, index) pairs, or
 * by scanning each row in index order, where a later score equal to a chosen one never displaces it
 * (see {@code HostTopK}).
 *
 * <h2>Paths</h2>
 *
 * <ul>
 *   <li>{@link Path#TENSOR}: batched tensor operations on the input's device. The k-th largest
 *       score t of every row ({@code max} for k = 1, {@code topK} then {@code min} for k &ge; 2),
 *       the mask {@code theta >= t}, and one count: when every row has exactly k marks that mask is
 *       the answer; otherwise (a tie at t) every score above t and the first {@code k - #above}
 *       scores equal to t (a cumulative count in index order) are chosen. The finiteness check is
 *       one reduction; the offending value is located on the host only when it fails.
 *   <li>{@link Path#HOST}: one copy to the host, a per-row selection that does not branch on the
 *       scores (a sorting network for rows of at most 24 with k &ge; n/4, else a threshold filter
 *       for 2 &le; k &le; 10 and rows of at least 2k), a per-row scan (k &le; 16) or quickselect,
 *       rows in
 *       parallel on the common fork-join pool from 16384 scores on, one copy
 *       back.
 *   <li>{@link Path#AUTO} (the default): {@code host} for arrays on the CPU, {@code tensor} on any
 *       other device.
 * </ul>
 *
 * <p><b>Why this default.</b> Timed with {@code TopKBenchmark} (app; the figures are in the README's
 * speed section): on the CPU the host path was faster than the tensor path at every size the
 * experiments use with one engine thread, and its tail stayed short when other processes used the
 * cores, where PyTorch's thread pool under contention made the tensor path's slow calls tens of
 * times slower. Each DJL operation costs a JNI call and an allocation, of the order of the whole
 * per-row work at these sizes, while the host path needs two copies and a few nanoseconds per
 * score. So the CPU default is the host path; {@code path=tensor} may still pay for many short rows
 * with several idle cores. On an accelerator the tensor path avoids the device-host round trip,
 * hence {@code auto}.
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
        HOST,
        /** {@link #HOST} for arrays on the CPU, {@link #TENSOR} on any other device. */
        AUTO;

        /** The lower-case name used in configuration: {@code tensor}, {@code host} or {@code auto}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The path called {@code name} ({@code tensor}, {@code host} or {@code auto},
         * case-insensitive).
         *
         * @throws IllegalArgumentException naming the value and the accepted ones
         */
        public static Path fromConfigName(String name) {
            for (Path p : values()) {
                if (p.configName().equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("parameter 'path' (" + name + ") must be one of tensor, host, auto");
        }
    }

    /** The path used when none is given; see the class documentation for why. */
    public static final Path DEFAULT_PATH = Path.AUTO;

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
            throw new IllegalArgumentException("path must not be null; use tensor, host or auto");
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

    /**
     * True on the tensor and auto paths (auto leaves the host only for CPU arrays, where host and
     * device are the same memory).
     */
    @Override
    public boolean isBatchedOnDevice() {
        return path != Path.HOST;
    }

    /** The k-subset exponential family over the same rows; see {@link KSubsetDistribution}. */
    @Override
    public Optional<TractableDistribution> distribution() {
        return Optional.of(distribution);
    }

    /** {@code [max(10, 2k)]}: 10 scores, or twice k when k is above 5. */
    @Override
    public Optional<Shape> exampleInstanceShape() {
        return Optional.of(new Shape(Math.max(10, 2 * k)));
    }

    /** {@code ROW}: every row of the last axis is a selection of its own (the DVAE's 20 rows of 20). */
    @Override
    public Unit naturalUnit() {
        return Unit.ROW;
    }

    /** Exactly k ones in every row of the instance's last axis (for {@code aimle verify}). */
    @Override
    public Optional<FeasibleSet> feasibleSet() {
        return Optional.of((z, instanceShape) -> {
            int n = (int) instanceShape.get(instanceShape.dimension() - 1);
            for (int row = 0; row < z.length / n; row++) {
                int ones = 0;
                for (int i = row * n; i < (row + 1) * n; i++) {
                    ones += z[i] == 1f ? 1 : 0;
                }
                if (ones != k) {
                    return false;
                }
            }
            return true;
        });
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
            return theta.getManager().zeros(theta.getShape(), DataType.FLOAT32, theta.getDevice());
        }
        return resolve(theta) == Path.TENSOR ? solveOnDevice(theta, layout) : solveOnHost(theta, layout);
    }

    /** The path this solver takes for {@code theta}: {@link Path#AUTO} decided by its device. */
    Path resolve(NDArray theta) {
        if (path != Path.AUTO) {
            return path;
        }
        return Device.Type.CPU.equals(theta.getDevice().getDeviceType()) ? Path.HOST : Path.TENSOR;
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
            NDArray kth;
            if (k == 1) {
                kth = in(scope, theta.max(new int[] {axis}, true));
            } else {
                NDList top = theta.topK(k, axis, true, false);
                top.attach(scope);
                kth = top.get(0).min(new int[] {axis}, true);
            }
            NDArray atLeast = in(scope, theta.gte(kth));
            long marked = atLeast.sum().toType(DataType.INT64, false).getLong();
            NDArray z = marked == (long) layout.rows() * k
                    ? atLeast.toType(DataType.FLOAT32, false)
                    : resolveTies(theta, kth, axis, scope);
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
        NDArray room = above.toType(DataType.INT32, false)
                .sum(new int[] {axis}, true)
                .neg()
                .add(k);
        NDArray rankAmongEqual = equal.toType(DataType.INT32, false).cumSum(axis);
        NDArray chosenEqual = equal.logicalAnd(rankAmongEqual.lte(room));
        return above.logicalOr(chosenEqual).toType(DataType.FLOAT32, false);
    }

    private static NDArray in(NDManager scope, NDArray array) {
        array.attach(scope);
        return array;
    }

    private NDArray solveOnHost(NDArray theta, RowLayout layout) {
        return onDeviceOf(theta, solveRows(theta.toFloatArray(), theta.getShape(), layout));
    }

    /**
     * The top-k of every row of {@code theta} (row-major, {@code shape}) on the host, whatever this
     * solver's {@link #path()}: the values are on the host already, and both paths give the same
     * states.
     */
    @Override
    public float[] solveOnHost(float[] theta, Shape shape, NDManager scratch) {
        if (theta.length != shape.size()) {
            throw new IllegalArgumentException(
                    OWNER + " got " + theta.length + " scores for shape " + shape + " (" + shape.size() + " values)");
        }
        return solveRows(theta, shape, RowLayout.of(OWNER, shape, k));
    }

    /**
     * Top-k of every row, rows split into one chunk per core from {@link #PARALLEL_THRESHOLD}
     * scores on. Each chunk checks its own scores for NaN and infinities just before solving them
     * (in parallel, while they are in the cache; a single pass over the whole input before took 7 % of
     * an AIMLE step's samples) and is skipped when it finds one; the error then names the first
     * offending value of the whole input, whichever chunk saw it.
     */
    private float[] solveRows(float[] scores, Shape shape, RowLayout layout) {
        float[] out = new float[scores.length];
        int rows = layout.rows();
        int n = layout.n();
        int chunks = scores.length < PARALLEL_THRESHOLD
                ? 1
                : Math.min(rows, Runtime.getRuntime().availableProcessors());
        boolean[] nonFinite = new boolean[chunks];
        IntStream range = IntStream.range(0, chunks);
        (chunks > 1 ? range.parallel() : range).forEach(c -> {
            int from = (int) ((long) rows * c / chunks);
            int to = (int) ((long) rows * (c + 1) / chunks);
            if (HostTopK.allFinite(scores, from * n, to * n)) {
                new HostTopK(n, k).solveRows(scores, out, from, to);
            } else {
                nonFinite[c] = true;
            }
        });
        for (boolean bad : nonFinite) {
            if (bad) {
                Shapes.requireFinite("theta", scores, shape);
                throw new IllegalStateException("a chunk of " + shape + " held a non-finite score that no pass found");
            }
        }
        return out;
    }

    /** {@code values} as a float32 array of theta's shape, on theta's device and manager. */
    static NDArray onDeviceOf(NDArray theta, float[] values) {
        NDManager owner = theta.getManager();
        NDArray result = HostArrays.create(owner, values, theta.getShape());
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
