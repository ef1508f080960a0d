package dev.aimle.solvers.spanningtree;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Shapes;
import dev.aimle.api.TractableDistribution;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * The Gibbs distribution over the spanning trees of the complete graph on m nodes,
 * {@code p(z; theta) = exp(<z, theta> - A(theta))} for z the edge indicator of a spanning tree, in
 * the edge order of {@link CompleteGraphEdges} (the feasible set of {@link SpanningTreeSolver}).
 * With {@code w_e = exp(theta_e)}, {@code L} the weighted Laplacian and {@code L_r} L without the
 * row and column of one node:
 *
 * <ul>
 *   <li><b>Log-partition</b> (Kirchhoff's matrix-tree theorem): {@code A(theta) = log sum_T prod_{e
 *       in T} w_e = log det L_r}.
 *   <li><b>Marginals</b>: {@code mu_e = P(e in T) = w_e b_e^T L_r^{-1} b_e} (Kirchhoff), with
 *       {@code b_e = e_u - e_v} restricted to the kept rows: the weight times the effective
 *       resistance between u and v.
 *   <li><b>Covariance</b> (transfer-current theorem, Burton and Pemantle 1993):
 *       {@code Cov(z_e, z_f) = -Y(e, f)^2} for {@code e != f} and {@code Var(z_e) = mu_e (1 - mu_e)},
 *       with {@code Y(e, f) = sqrt(w_e w_f) b_e^T L_r^{-1} b_f}; {@link #covarianceProduct} applies
 *       it to a vector exactly, {@code O(m^4)} per instance.
 *   <li><b>Sampling</b>: exact, by the chain rule over edges (each edge in index order joins with its
 *       marginal in the graph where earlier decisions are contracted or deleted), not by Wilson's
 *       algorithm, whose random walks take {@code ~ e^(range of theta)} steps to leave a strongly
 *       bound group of nodes; {@code O(m^5)} per tree at worst.
 * </ul>
 *
 * <p><b>Numerics.</b> Per instance on the host, in double precision, with scores shifted by their
 * maximum and every matrix quantity computed without subtraction (node elimination on the Laplacian;
 * see {@code LaplacianKernel}), so the results are accurate to a few roundings for any scores within
 * 500 of the instance's maximum ({@code |theta| <= 250}, say). Scores further below are raised to
 * {@code max - 500} (a weight {@code e^-500} relative to the heaviest edge), which changes the
 * distribution only in the odd case where the trees' probabilities depend on such edges. Results
 * are float32 with theta's shape (the log-partition {@code [B]}), on theta's device, attached to
 * theta's manager. Instances run in parallel, at most {@code parallelism} at once.
 *
 * <p><b>Randomness.</b> {@link #sample} draws one {@code nextLong()} per instance from the given
 * generator, in instance order, before anything else, and seeds a {@link SplittableRandom} with it
 * for that instance; so the same generator state gives the same trees whatever the parallelism.
 *
 * <p>Immutable and thread-safe.
 */
public final class SpanningTreeDistribution implements TractableDistribution {
    private static final String OWNER = "spanning-tree distribution";

    private final int parallelism;

    /** Instances on as many threads as there are processors. */
    public SpanningTreeDistribution() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param parallelism the largest number of instances computed at once, at least 1
     */
    public SpanningTreeDistribution(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism (" + parallelism + ") must be at least 1");
        }
        this.parallelism = parallelism;
    }

    /**
     * {@code A(theta) = log det L_r} per instance.
     *
     * @return shape {@code [B]}, float32 (computed in double)
     */
    @Override
    public NDArray logPartition(NDArray theta) {
        Instances in = Instances.of(theta);
        double[] a = new double[in.batch];
        in.forEachInstance(parallelism, (kernel, b) -> a[b] = kernel.logPartition());
        float[] values = new float[in.batch];
        for (int b = 0; b < in.batch; b++) {
            values[b] = (float) a[b];
        }
        return onDeviceOf(theta, values, new Shape(in.batch));
    }

    /**
     * {@code mu_e = w_e b_e^T L_r^{-1} b_e}, the probability of every edge being in the tree.
     *
     * @return shape of theta, float32 in [0, 1]; each instance sums to m - 1
     */
    @Override
    public NDArray marginals(NDArray theta) {
        Instances in = Instances.of(theta);
        float[] mu = new float[in.scores.length];
        in.forEachInstance(parallelism, (kernel, b) -> {
            double[] row = new double[in.edges];
            kernel.marginals(row);
            for (int e = 0; e < in.edges; e++) {
                mu[b * in.edges + e] = (float) row[e];
            }
        });
        return onDeviceOf(theta, mu, theta.getShape());
    }

    /**
     * {@code Cov_theta[z] v} exactly, by the transfer-current theorem (see the class documentation).
     *
     * @param v shape of theta, float32, finite
     * @return shape of theta, float32
     */
    @Override
    public NDArray covarianceProduct(NDArray theta, NDArray v) {
        Instances in = Instances.of(theta);
        if (!v.getShape().equals(theta.getShape())) {
            throw new IllegalArgumentException(
                    "v has shape " + v.getShape() + " but theta has shape " + theta.getShape() + "; they must agree");
        }
        if (v.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(OWNER + " expects a float32 v, got " + v.getDataType());
        }
        float[] x = v.toFloatArray();
        Shapes.requireFinite("v", x, v.getShape());
        float[] out = new float[x.length];
        in.forEachInstance(parallelism, (kernel, b) -> {
            int offset = b * in.edges;
            double[] xs = new double[in.edges];
            for (int e = 0; e < in.edges; e++) {
                xs[e] = x[offset + e];
            }
            double[] result = new double[in.edges];
            kernel.covarianceProduct(xs, result, new double[in.edges * in.graph.nodes()]);
            for (int e = 0; e < in.edges; e++) {
                out[offset + e] = (float) result[e];
            }
        });
        return onDeviceOf(theta, out, theta.getShape());
    }

    /**
     * One exact spanning tree per instance (see the class documentation for the algorithm and the
     * use of {@code random}).
     *
     * @return shape of theta, float32 in {0, 1}, m - 1 ones per instance forming a spanning tree
     */
    @Override
    public NDArray sample(NDArray theta, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        Instances in = Instances.of(theta);
        long[] seeds = new long[in.batch];
        for (int b = 0; b < in.batch; b++) {
            seeds[b] = random.nextLong();
        }
        float[] z = new float[in.scores.length];
        in.forEachInstance(parallelism, (kernel, b) -> kernel.sample(new SplittableRandom(seeds[b]), z, b * in.edges));
        return onDeviceOf(theta, z, theta.getShape());
    }

    /** The largest number of instances computed at once. */
    public int parallelism() {
        return parallelism;
    }

    private static NDArray onDeviceOf(NDArray theta, float[] values, Shape shape) {
        NDManager manager = theta.getManager();
        NDArray result = manager.create(values, shape);
        if (!result.getDevice().equals(theta.getDevice())) {
            NDArray moved = result.toDevice(theta.getDevice(), false);
            result.close();
            result = moved;
        }
        return result;
    }

    /** A validated batch of instances copied to the host. */
    private static final class Instances {
        final CompleteGraphEdges graph;
        final int batch;
        final int edges;
        final float[] scores;

        private Instances(CompleteGraphEdges graph, int batch, float[] scores) {
            this.graph = graph;
            this.batch = batch;
            this.edges = graph.edges();
            this.scores = scores;
        }

        static Instances of(NDArray theta) {
            Shape shape = theta.getShape();
            if (shape.dimension() < 2) {
                throw new IllegalArgumentException(
                        OWNER + " expects theta of shape [B, m(m-1)/2] with at least 2 axes," + " got " + shape);
            }
            if (theta.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException(OWNER + " expects float32 scores, got " + theta.getDataType());
            }
            long size = shape.slice(1).size();
            if (size > Integer.MAX_VALUE || shape.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        OWNER + " supports at most " + Integer.MAX_VALUE + " scores, got shape " + shape);
            }
            CompleteGraphEdges graph = CompleteGraphEdges.ofEdgeCount((int) size);
            float[] scores = theta.toFloatArray();
            Shapes.requireFinite("theta", scores, shape);
            return new Instances(graph, Math.toIntExact(shape.get(0)), scores);
        }

        /** Runs {@code task} on every instance, loaded into a kernel owned by the running chunk. */
        void forEachInstance(int parallelism, InstanceTask task) {
            int chunks = Math.min(parallelism, batch);
            IntFunction<Runnable> chunk = c -> () -> {
                LaplacianKernel kernel = new LaplacianKernel(graph);
                for (int b = batch * c / chunks; b < batch * (c + 1) / chunks; b++) {
                    kernel.load(scores, b * edges);
                    task.run(kernel, b);
                }
            };
            if (chunks <= 1) {
                if (batch > 0) {
                    chunk.apply(0).run();
                }
            } else {
                IntStream.range(0, chunks)
                        .parallel()
                        .forEach(c -> chunk.apply(c).run());
            }
        }
    }

    @FunctionalInterface
    private interface InstanceTask {
        void run(LaplacianKernel kernel, int instance);
    }

    @Override
    public String toString() {
        return "SpanningTreeDistribution[parallelism=" + parallelism + "]";
    }
}
