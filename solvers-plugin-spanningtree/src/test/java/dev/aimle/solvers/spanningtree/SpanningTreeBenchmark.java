package dev.aimle.solvers.spanningtree;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrapht.Graph;

/**
 * Times {@link SpanningTreeSolver} on one batch of N(0, 1) edge scores: the median wall time of a
 * whole {@code solve} call (host copy, solving, result array) for every algorithm at parallelism 1
 * and 2, the host-only time of the same work without DJL, and how JGraphT's time splits between
 * building the graphs and running Kruskal on them. It prints figures and never judges them; timings
 * on a shared machine are noisy, so the command is printed with the result for re-measuring.
 *
 * <p>Run with DJL and an engine on the class path (e.g. the module's test class path), with
 * {@code DJL_OFFLINE=true}: {@code java ... dev.aimle.solvers.spanningtree.SpanningTreeBenchmark
 * [batch] [nodes] [timedCalls] [seed]}; defaults 128, 10, 300, 42.
 */
public final class SpanningTreeBenchmark {
    private SpanningTreeBenchmark() {}

    /**
     * One configuration's timings.
     *
     * @param algorithm the algorithm's configuration name
     * @param parallelism instances solved at once
     * @param medianMillis median wall time of one {@code solve} call on the whole batch
     * @param instancesPerSecond batch size divided by the median time
     * @param hostMedianMillis median time of the same per-instance work on host arrays, without DJL
     *     (sequential; reported for parallelism 1 only, NaN otherwise)
     */
    public record Measurement(
            String algorithm,
            int parallelism,
            double medianMillis,
            double instancesPerSecond,
            double hostMedianMillis) {}

    /**
     * The benchmark's result.
     *
     * @param batch instances per call (B)
     * @param nodes nodes per instance (m)
     * @param edges edges per instance, {@code m(m-1)/2}
     * @param warmupCalls untimed calls before each measurement
     * @param timedCalls timed calls per measurement
     * @param seed the seed of the scores
     * @param measurements one per algorithm and parallelism
     * @param jgraphtBuildMillis median time to build the batch's B JGraphT graphs, sequential
     * @param jgraphtKruskalMillis median time to run JGraphT's Kruskal on B prebuilt graphs,
     *     sequential
     * @param jgraphtBuildShare {@code build / (build + kruskal)}
     */
    public record Result(
            int batch,
            int nodes,
            int edges,
            int warmupCalls,
            int timedCalls,
            long seed,
            List<Measurement> measurements,
            double jgraphtBuildMillis,
            double jgraphtKruskalMillis,
            double jgraphtBuildShare) {
        public Result {
            measurements = List.copyOf(measurements);
        }

        /** A plain-text table of the figures. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(
                    Locale.ROOT,
                    "spanning-tree MAP, B=%d, m=%d (%d edges), seed %d, median of %d calls after %d warm-up%n",
                    batch,
                    nodes,
                    edges,
                    seed,
                    timedCalls,
                    warmupCalls));
            sb.append(String.format(
                    Locale.ROOT,
                    "%-16s %11s %14s %14s %16s%n",
                    "algorithm",
                    "parallelism",
                    "ms/batch",
                    "instances/s",
                    "host-only ms"));
            for (Measurement m : measurements) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%-16s %11d %14.4f %14.0f %16s%n",
                        m.algorithm(),
                        m.parallelism(),
                        m.medianMillis(),
                        m.instancesPerSecond(),
                        Double.isNaN(m.hostMedianMillis())
                                ? "-"
                                : String.format(Locale.ROOT, "%.4f", m.hostMedianMillis())));
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "jgrapht-kruskal, sequential, per batch: build graphs %.4f ms, Kruskal %.4f ms,"
                            + " build share %.0f%%%n",
                    jgraphtBuildMillis,
                    jgraphtKruskalMillis,
                    100 * jgraphtBuildShare));
            return sb.toString();
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param manager owns the score array (closed before returning) and the solvers' outputs
     *     (closed after each call)
     * @param batch instances per call, at least 1
     * @param nodes nodes per instance, at least 2
     * @param warmupCalls untimed calls before each measurement, at least 0
     * @param timedCalls timed calls per measurement, at least 1
     * @param seed the seed of the N(0, 1) scores
     */
    public static Result run(NDManager manager, int batch, int nodes, int warmupCalls, int timedCalls, long seed) {
        if (batch < 1 || warmupCalls < 0 || timedCalls < 1) {
            throw new IllegalArgumentException("batch (" + batch + ") and timedCalls (" + timedCalls
                    + ") must be at least 1 and warmupCalls (" + warmupCalls + ") at least 0");
        }
        CompleteGraphEdges graph = CompleteGraphEdges.ofNodes(nodes);
        int edges = graph.edges();
        float[][] rows = new float[batch][edges];
        float[] flat = new float[batch * edges];
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < batch; b++) {
            for (int e = 0; e < edges; e++) {
                rows[b][e] = (float) gaussian(random);
                flat[b * edges + e] = rows[b][e];
            }
        }
        List<Measurement> measurements = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray theta = scope.create(flat, new Shape(batch, edges)); // float32
            for (SpanningTreeSolver.Algorithm algorithm : SpanningTreeSolver.Algorithm.values()) {
                for (int parallelism : new int[] {1, 2}) {
                    SpanningTreeSolver solver = new SpanningTreeSolver(algorithm, parallelism);
                    double median = median(
                            warmupCalls, timedCalls, () -> solver.solve(theta).close());
                    double host = parallelism == 1
                            ? median(warmupCalls, timedCalls, () -> solveOnHost(algorithm, graph, rows))
                            : Double.NaN;
                    measurements.add(
                            new Measurement(algorithm.configName(), parallelism, median, batch / (median / 1e3), host));
                }
            }
        }
        List<Graph<Integer, Integer>> graphs = new ArrayList<>(batch);
        double build = median(warmupCalls, timedCalls, () -> {
            graphs.clear();
            for (float[] row : rows) {
                graphs.add(SpanningTrees.buildGraph(graph, row));
            }
        });
        int[] sink = new int[1];
        double kruskal = median(warmupCalls, timedCalls, () -> {
            for (Graph<Integer, Integer> g : graphs) {
                sink[0] += SpanningTrees.kruskalEdges(g).size();
            }
        });
        if (sink[0] == 0) {
            throw new IllegalStateException("JGraphT's Kruskal returned no edges");
        }
        return new Result(
                batch,
                nodes,
                edges,
                warmupCalls,
                timedCalls,
                seed,
                measurements,
                build,
                kruskal,
                build / (build + kruskal));
    }

    private static void solveOnHost(SpanningTreeSolver.Algorithm algorithm, CompleteGraphEdges graph, float[][] rows) {
        float[] solution = new float[graph.edges()];
        for (float[] row : rows) {
            Arrays.fill(solution, 0f);
            switch (algorithm) {
                case JGRAPHT_KRUSKAL -> SpanningTrees.jgraphtKruskal(graph, row, solution);
                case KRUSKAL -> SpanningTrees.kruskal(graph, row, solution);
                case PRIM -> SpanningTrees.prim(graph, row, solution);
                default -> throw new AssertionError(algorithm);
            }
        }
    }

    private static double median(int warmupCalls, int timedCalls, Runnable call) {
        for (int i = 0; i < warmupCalls; i++) {
            call.run();
        }
        double[] millis = new double[timedCalls];
        for (int i = 0; i < timedCalls; i++) {
            long start = System.nanoTime();
            call.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return timedCalls % 2 == 1 ? millis[timedCalls / 2] : (millis[timedCalls / 2 - 1] + millis[timedCalls / 2]) / 2;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Prints the figures for {@code [batch] [nodes] [timedCalls] [seed]} (defaults 128, 10, 300, 42;
     * warm-up is as many calls as timed ones).
     */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        try (NDManager manager = NDManager.newBaseManager()) {
            System.out.print(run(manager, batch, nodes, calls, calls, seed).format());
        }
    }
}
