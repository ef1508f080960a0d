package dev.aimle.solvers.spanningtree;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.PerInstanceMapSolver;
import dev.aimle.api.TractableDistribution;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The MAP oracle of spanning trees: for every instance, the maximum-weight spanning tree of the
 * complete undirected graph on {@code m} nodes, {@code MAP(theta) = argmax_{z in T} <z, theta>}
 * where {@code T} holds the indicator vectors of the {@code m^(m-2)} spanning trees (the latent
 * structure of the NRI experiment, Minervini, Franceschi, Niepert, AAAI-23, Table 2; the paper's
 * reference solves it with Kruskal's algorithm).
 *
 * <h2>Input and output</h2>
 *
 * theta is float32 {@code [B, m(m-1)/2]}: one score per undirected edge, in the order of
 * {@link CompleteGraphEdges} (row-major upper triangle, {@code (0,1), (0,2), ..., (0,m-1), (1,2),
 * ...}, as {@code torch.triu_indices(m, m, offset=1)}); use {@link CompleteGraphEdges#index} and
 * {@link CompleteGraphEdges#source}/{@link CompleteGraphEdges#target} to convert. As for every
 * {@link PerInstanceMapSolver}, all axes after the first belong to the instance, read row-major.
 * The output has theta's shape, with 1 on the {@code m-1} tree edges and 0 elsewhere.
 *
 * <h2>Ties</h2>
 *
 * Edges are ranked by score, higher first, and among equal scores ({@code -0.0} counts as equal to
 * {@code 0.0}) by edge index, lower first. The output is the maximum spanning tree under this
 * strict ranking, which is unique: it is the tree Kruskal's algorithm builds when it scans the edges
 * in that order. All {@link Algorithm}s return this same tree, so the choice of algorithm never
 * changes a result. For example, when all scores are equal the tree is the star
 * {@code (0,1), (0,2), ..., (0,m-1)}.
 *
 * <h2>Errors and threads</h2>
 *
 * An instance size that is not {@code m(m-1)/2} for any {@code m >= 2} is rejected naming the
 * nearest valid sizes; NaN and infinite scores are rejected by the base class. Thread-safe: the only
 * field written after construction is a cache of the last graph size, an immutable object published
 * through a volatile field.
 */
public final class SpanningTreeSolver extends PerInstanceMapSolver {
    /** The provider name. */
    public static final String NAME = "spanning-tree";

    /** How a tree is computed. All return the same tree (see the class documentation on ties). */
    public enum Algorithm {
        /**
         * JGraphT's {@code KruskalMinimumSpanningTree} on a {@code SimpleWeightedGraph} built per
         * instance with negated weights: the reference implementation.
         */
        JGRAPHT_KRUSKAL("jgrapht-kruskal"),
        /** Kruskal on primitive arrays: sorted {@code long} keys and a union-find. */
        KRUSKAL("kruskal"),
        /** Prim on the dense score matrix, {@code O(m^2)}, no sort: the default. */
        PRIM("prim");

        private final String configName;

        Algorithm(String configName) {
            this.configName = configName;
        }

        /** The name used in configuration, e.g. {@code "jgrapht-kruskal"}. */
        public String configName() {
            return configName;
        }

        /**
         * The algorithm with the given configuration name.
         *
         * @throws IllegalArgumentException naming the value and the known names
         */
        public static Algorithm fromConfigName(String name) {
            for (Algorithm a : values()) {
                if (a.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new IllegalArgumentException("algorithm '" + name + "' is unknown; known: " + knownNames());
        }

        /** The configuration names, comma separated, in declaration order. */
        public static String knownNames() {
            return Arrays.stream(values()).map(Algorithm::configName).collect(Collectors.joining(", "));
        }
    }

    /**
     * The default algorithm: dense Prim, the fastest at every size measured with
     * SpanningTreeBenchmark (test scope; `aimle bench --only solvers`) (host-only ms per batch of 128 on a busy 2-core machine: m=10:
     * prim 0.03, kruskal 0.09, jgrapht-kruskal 1.4; m=100: 6.5, 49, 370). JGraphT's Kruskal stays the
     * reference the others are tested against.
     */
    public static final Algorithm DEFAULT_ALGORITHM = Algorithm.PRIM;

    private final Algorithm algorithm;
    private final SpanningTreeDistribution distribution;
    private volatile CompleteGraphEdges lastGraph;

    /** The default algorithm, as many instances at once as there are processors. */
    public SpanningTreeSolver() {
        this(DEFAULT_ALGORITHM, defaultParallelism());
    }

    /**
     * @param algorithm how trees are computed
     * @param parallelism the largest number of instances solved at once, at least 1
     */
    public SpanningTreeSolver(Algorithm algorithm, int parallelism) {
        super(parallelism);
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm must not be null; known: " + Algorithm.knownNames());
        }
        this.algorithm = algorithm;
        this.distribution = new SpanningTreeDistribution(parallelism);
    }

    /** The algorithm this solver runs. */
    public Algorithm algorithm() {
        return algorithm;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The Gibbs distribution {@code p(z; theta) ∝ exp(<z, theta>)} over the same spanning trees
     * ({@link SpanningTreeDistribution}: matrix-tree log-partition, exact marginals, covariance
     * products and samples), with this solver's parallelism.
     */
    @Override
    public Optional<TractableDistribution> distribution() {
        return Optional.of(distribution);
    }

    /** {@code [10]}: the complete graph on 5 nodes, 125 spanning trees among 1024 binary vectors. */
    @Override
    public Optional<Shape> exampleInstanceShape() {
        return Optional.of(new Shape(10));
    }

    /** {@code INSTANCE}: the tree over the whole graph is one structure. */
    @Override
    public Unit naturalUnit() {
        return Unit.INSTANCE;
    }

    /** The edge sets of spanning trees: {@code m - 1} edges that close no cycle. */
    @Override
    public Optional<FeasibleSet> feasibleSet() {
        return Optional.of((z, instanceShape) -> {
            int m = CompleteGraphEdges.nodeCount(z.length);
            if (m < 0) {
                return false;
            }
            CompleteGraphEdges graph = CompleteGraphEdges.ofNodes(m);
            int[] parent = new int[m];
            for (int v = 0; v < m; v++) {
                parent[v] = v;
            }
            int chosen = 0;
            for (int e = 0; e < z.length; e++) {
                if (z[e] == 0f) {
                    continue;
                }
                if (z[e] != 1f) {
                    return false;
                }
                int a = root(parent, graph.source(e));
                int b = root(parent, graph.target(e));
                if (a == b) {
                    return false;
                }
                parent[a] = b;
                chosen++;
            }
            return chosen == m - 1;
        });
    }

    private static int root(int[] parent, int v) {
        while (parent[v] != v) {
            v = parent[v];
        }
        return v;
    }

    @Override
    protected void validateInstanceSize(int size) {
        graphFor(size);
    }

    @Override
    protected void solveInstance(float[] scores, float[] solution) {
        CompleteGraphEdges graph = graphFor(scores.length);
        switch (algorithm) {
            case JGRAPHT_KRUSKAL -> SpanningTrees.jgraphtKruskal(graph, scores, solution);
            case KRUSKAL -> SpanningTrees.kruskal(graph, scores, solution);
            case PRIM -> SpanningTrees.prim(graph, scores, solution);
            default -> throw new AssertionError(algorithm);
        }
    }

    private CompleteGraphEdges graphFor(int edgeCount) {
        CompleteGraphEdges graph = lastGraph;
        if (graph == null || graph.edges() != edgeCount) {
            graph = CompleteGraphEdges.ofEdgeCount(edgeCount);
            lastGraph = graph;
        }
        return graph;
    }

    @Override
    public String toString() {
        return "SpanningTreeSolver[algorithm=" + algorithm.configName() + ", parallelism=" + parallelism() + "]";
    }
}
