package dev.aimle.app.experiments.nri;

import dev.aimle.app.experiments.MemoryBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The NRI graph-layout data of Paulus et al. (2020, "Gradient Estimation with Stochastic Softmax
 * Tricks", {@code data_scripts/generate_graph_layout_dataset.py} of the SST code), used by the
 * AIMLE paper's NRI experiment (Table 2), with its defaults: 10 vertices, 2 dimensions, no noise,
 * one skipped step, one layout iteration per step, threshold 1e-10.
 *
 * <p>One example, {@code (split, index)}:
 *
 * <ol>
 *   <li><b>Randomness.</b> A {@link SplittableRandom} seeded with {@link #exampleSeed(long, NriSplit,
 *       int)}, so that any example can be regenerated alone, and the examples do not depend on the
 *       number of threads nor on T: the data for T = 10 is the first 10 steps of the data for
 *       T = 20. Uniforms are {@code u = (floor(r / 2^11) + 0.5) / 2^53} for a random long r (in
 *       (0, 1), never 0), logarithms and trigonometric functions are {@link StrictMath}'s, so the
 *       numbers are the same on every JVM.
 *   <li><b>Tree.</b> 45 Gumbel(0, 1) weights {@code g = -log(-log(u))}, one per edge of the complete
 *       graph in row-major upper-triangle order (0,1), (0,2), ..., (8,9); the tree is the maximum
 *       spanning tree of these weights (Kruskal: edges ranked by weight, larger first, ties by
 *       lower edge index, the spanning-tree solver's rule). The SST script draws 90 uniforms and
 *       uses the first 45 (it zips them with the 45 upper-triangle pairs) and runs Kruskal the same
 *       way: a tree from the "uniform logits" prior, which is not the uniform distribution over
 *       trees.
 *   <li><b>Initial positions.</b> 20 standard normals by Box–Muller (pairs
 *       {@code sqrt(-2 log u1) (cos, sin)(2 pi u2)}), vertex-major: x0, y0, x1, y1, ... (the SST
 *       script's {@code np.random.randn(10, 2)}).
 *   <li><b>Layout.</b> T calls of networkx's {@code spring_layout} ({@link SpringLayout#call}), each
 *       starting from the previous call's positions with one iteration: the first call is the
 *       skipped step (its start, the random positions, is not recorded), and the positions after
 *       each of the T calls are recorded. The SST script builds the networkx graph with
 *       {@code add_edges_from} over the row-major list of the adjacency's nonzero entries, so
 *       networkx orders the nodes by first appearance in that list ({@link #networkxNodeOrder});
 *       the layout runs in that order, as networkx's sums do, and the positions are stored by
 *       vertex.
 * </ol>
 *
 * <p>Thread-safe and stateless apart from the seed.
 */
public final class NriGenerator {
    /** Vertices per graph. */
    public static final int VERTICES = 10;
    /** Coordinates per position. */
    public static final int DIMS = 2;
    /** Edges of the complete graph on {@link #VERTICES} vertices. */
    public static final int EDGES = VERTICES * (VERTICES - 1) / 2;
    /** Layout iterations per recorded step (SST's {@code --num_rounds}). */
    public static final int ROUNDS = 1;
    /** networkx's early-stopping threshold (SST's {@code --threshold}). */
    public static final double THRESHOLD = 1e-10;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final int CHUNK = 250;

    private final long seed;

    /** A generator whose examples all derive from {@code seed}. */
    public NriGenerator(long seed) {
        this.seed = seed;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /**
     * The seed of one example's {@link SplittableRandom}: SplitMix64's finaliser (Stafford's
     * variant 13) of {@code seed + 0x9E3779B97F4A7C15 * (streamId * 2^32 + index + 1)}, with the
     * split's {@link NriSplit#streamId()} (train 0, valid 1, test 2), in 64-bit wrap-around
     * arithmetic.
     */
    public static long exampleSeed(long seed, NriSplit split, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index (" + index + ") must be at least 0");
        }
        long key = ((long) split.streamId() << 32) + index + 1;
        return mix64(seed + GOLDEN_GAMMA * key);
    }

    /** Example {@code index} of {@code split} with T = {@code timesteps}. */
    public NriExample example(NriSplit split, int index, int timesteps) {
        requireTimesteps(timesteps);
        double[] trajectory = new double[timesteps * DIMS * VERTICES];
        int[] tree = new int[EDGES];
        fill(split, index, timesteps, trajectory, 0, tree);
        return new NriExample(timesteps, trajectory, tree);
    }

    /**
     * Examples {@code 0 .. count - 1} of {@code split}, computed on {@code threads} threads; the
     * result does not depend on the number of threads.
     *
     * @param progress called with the number of examples just finished (from the worker threads)
     */
    public NriDataset generate(NriSplit split, int count, int timesteps, int threads, IntConsumer progress) {
        requireTimesteps(timesteps);
        if (count < 0) {
            throw new IllegalArgumentException("count (" + count + ") must be at least 0");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads (" + threads + ") must be at least 1");
        }
        requireFits(count + " examples of T = " + timesteps, count, timesteps, false);
        int frame = timesteps * DIMS * VERTICES;
        double[] trajectories = new double[count * frame];
        float[] edges = new float[count * VERTICES * VERTICES];
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "nri-generate");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> chunks = new ArrayList<>();
            for (int start = 0; start < count; start += CHUNK) {
                int from = start;
                int to = Math.min(count, start + CHUNK);
                chunks.add(pool.submit(() -> {
                    int[] tree = new int[EDGES];
                    for (int i = from; i < to; i++) {
                        fill(split, i, timesteps, trajectories, i * frame, tree);
                        float[] adjacency = adjacency(tree);
                        System.arraycopy(adjacency, 0, edges, i * VERTICES * VERTICES, adjacency.length);
                    }
                    progress.accept(to - from);
                }));
            }
            for (Future<?> chunk : chunks) {
                chunk.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating " + split.fileName() + " examples", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("generating " + split.fileName() + " examples failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return NriDataset.of(timesteps, trajectories, edges);
    }

    /**
     * The maximum spanning tree of {@code weights} (one per edge, row-major upper-triangle order) as
     * 0/1 indicators: Kruskal over the edges ranked by weight, larger first, ties by lower index.
     */
    static int[] maximumSpanningTree(double[] weights, int n) {
        int m = n * (n - 1) / 2;
        if (weights.length != m) {
            throw new IllegalArgumentException(
                    "weights holds " + weights.length + " values; the complete graph on " + n + " has " + m);
        }
        Integer[] ranked = new Integer[m];
        for (int e = 0; e < m; e++) {
            ranked[e] = e;
        }
        Arrays.sort(ranked, (a, b) -> {
            int byWeight = Double.compare(weights[b], weights[a]);
            return byWeight != 0 ? byWeight : Integer.compare(a, b);
        });
        int[] u = new int[m];
        int[] v = new int[m];
        for (int i = 0, e = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, e++) {
                u[e] = i;
                v[e] = j;
            }
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        int[] tree = new int[m];
        int added = 0;
        for (int r = 0; r < m && added < n - 1; r++) {
            int e = ranked[r];
            int a = root(parent, u[e]);
            int b = root(parent, v[e]);
            if (a != b) {
                parent[a] = b;
                tree[e] = 1;
                added++;
            }
        }
        return tree;
    }

    /**
     * The order in which networkx holds the nodes of the SST script's graph: the script adds the
     * edges {@code zip(*np.where(adj == 1))}, the row-major list of the nonzero entries (i, j) of
     * the symmetric adjacency, and {@code add_edges_from} adds i then j when not yet present.
     *
     * @return the vertices in networkx's order (a permutation of 0..9 for a spanning tree)
     */
    static int[] networkxNodeOrder(int[] treeEdges) {
        float[] adjacency = adjacency(treeEdges);
        boolean[] seen = new boolean[VERTICES];
        int[] order = new int[VERTICES];
        int count = 0;
        for (int i = 0; i < VERTICES; i++) {
            for (int j = 0; j < VERTICES; j++) {
                if (adjacency[i * VERTICES + j] == 1f) {
                    for (int node : new int[] {i, j}) {
                        if (!seen[node]) {
                            seen[node] = true;
                            order[count++] = node;
                        }
                    }
                }
            }
        }
        if (count != VERTICES) {
            throw new IllegalArgumentException("the edges " + Arrays.toString(treeEdges) + " touch only " + count
                    + " of the " + VERTICES + " vertices");
        }
        return order;
    }

    /** The symmetric {@code 10 x 10} 0/1 adjacency of 45 upper-triangle edge indicators. */
    static float[] adjacency(int[] treeEdges) {
        float[] adjacency = new float[VERTICES * VERTICES];
        for (int i = 0, e = 0; i < VERTICES; i++) {
            for (int j = i + 1; j < VERTICES; j++, e++) {
                if (treeEdges[e] != 0) {
                    adjacency[i * VERTICES + j] = 1f;
                    adjacency[j * VERTICES + i] = 1f;
                }
            }
        }
        return adjacency;
    }

    private void fill(NriSplit split, int index, int timesteps, double[] trajectories, int offset, int[] treeOut) {
        SplittableRandom random = new SplittableRandom(exampleSeed(seed, split, index));
        double[] weights = new double[EDGES];
        for (int e = 0; e < EDGES; e++) {
            weights[e] = -StrictMath.log(-StrictMath.log(openUniform(random)));
        }
        int[] tree = maximumSpanningTree(weights, VERTICES);
        System.arraycopy(tree, 0, treeOut, 0, EDGES);
        double[] initial = new double[VERTICES * DIMS];
        for (int i = 0; i < initial.length; i += 2) {
            double radius = StrictMath.sqrt(-2 * StrictMath.log(openUniform(random)));
            double angle = 2 * Math.PI * openUniform(random);
            initial[i] = radius * StrictMath.cos(angle);
            initial[i + 1] = radius * StrictMath.sin(angle);
        }
        layout(tree, initial, timesteps, trajectories, offset);
    }

    /**
     * The SST script's layout loop for one tree from {@code initial} positions ({@code 10 x 2},
     * vertex-major): T {@code spring_layout} calls in networkx's node order, the positions after
     * each written to {@code out} from {@code offset} as {@code [T, 2, 10]}.
     */
    static void layout(int[] tree, double[] initial, int timesteps, double[] out, int offset) {
        int[] order = networkxNodeOrder(tree);
        float[] adjacency = adjacency(tree);
        double[] orderedAdjacency = new double[VERTICES * VERTICES];
        double[] pos = new double[VERTICES * DIMS];
        for (int a = 0; a < VERTICES; a++) {
            for (int b = 0; b < VERTICES; b++) {
                orderedAdjacency[a * VERTICES + b] = adjacency[order[a] * VERTICES + order[b]];
            }
            pos[DIMS * a] = initial[DIMS * order[a]];
            pos[DIMS * a + 1] = initial[DIMS * order[a] + 1];
        }
        for (int t = 0; t < timesteps; t++) {
            pos = SpringLayout.call(pos, orderedAdjacency, VERTICES, ROUNDS, THRESHOLD);
            int frame = offset + t * DIMS * VERTICES;
            for (int a = 0; a < VERTICES; a++) {
                out[frame + order[a]] = pos[DIMS * a];
                out[frame + VERTICES + order[a]] = pos[DIMS * a + 1];
            }
        }
    }

    /** A uniform in (0, 1): the top 53 bits of a random long, plus one half, over 2^53. */
    private static double openUniform(SplittableRandom random) {
        return ((random.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
    }

    private static int root(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void requireTimesteps(int timesteps) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("timesteps (" + timesteps + ") must be at least 1");
        }
        MemoryBudget.requireArray("T = " + timesteps, (double) timesteps * DIMS * VERTICES, "T x 2 x 10 positions");
    }

    /**
     * Checks, before any work, that {@code count} examples of T fit: the positions in one Java array
     * ({@code N x T x 2 x 10} values) and in the heap, {@code N x (8 x 20 x T + 4 x 100)} bytes for
     * the positions in float64 and the trees in float32, twice when {@code copy} (the first steps of
     * a smaller T are copied while the whole set is held).
     *
     * @param what the sizes as the user gave them, for the message
     * @throws IllegalArgumentException naming the sizes, the estimate and the limit
     */
    public static void requireFits(String what, long count, long timesteps, boolean copy) {
        MemoryBudget.requireArray(what, (double) count * timesteps * DIMS * VERTICES, "N x T x 2 x 10 positions");
        double bytes = count * (8.0 * DIMS * VERTICES * timesteps + 4.0 * VERTICES * VERTICES) * (copy ? 2 : 1);
        MemoryBudget.requireHeap(
                what,
                bytes,
                "N x (8 x 20 x T + 4 x 100) bytes for the positions in float64 and the trees in float32"
                        + (copy ? ", twice while a smaller T's files are written" : ""));
    }
}
