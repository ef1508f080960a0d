package dev.aimle.solvers.spanningtree;

import java.util.Arrays;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.spanning.KruskalMinimumSpanningTree;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * The maximum-spanning-tree algorithms behind {@link SpanningTreeSolver}, one static method each,
 * all returning the same tree: the maximum spanning tree under the strict ranking "higher score
 * first, then lower edge index first" (with {@code -0.0} equal to {@code 0.0}). That tree is unique,
 * and every correct greedy algorithm that compares edges by this ranking finds it, which is why the
 * three implementations can be tested for identical outputs, ties included.
 */
final class SpanningTrees {
    private SpanningTrees() {}

    /**
     * Builds the JGraphT graph of one instance: nodes {@code 0..m-1}, the edge with index {@code e}
     * is the {@code Integer e} and weighs {@code 0.0 - scores[e]} (a minimum spanning tree of the
     * negated weights is a maximum spanning tree of the scores; {@code 0.0 - s} rather than
     * {@code -s} so that both zeros become {@code +0.0}, which {@code Double.compare} would otherwise
     * order). Edges are inserted in index order; the graph's edge set keeps insertion order.
     */
    static Graph<Integer, Integer> buildGraph(CompleteGraphEdges graph, float[] scores) {
        Graph<Integer, Integer> g = new SimpleWeightedGraph<>(null, null);
        for (int v = 0; v < graph.nodes(); v++) {
            g.addVertex(v);
        }
        int[] sources = graph.sourcesView();
        int[] targets = graph.targetsView();
        for (int e = 0; e < sources.length; e++) {
            Integer edge = e;
            g.addEdge(sources[e], targets[e], edge);
            g.setEdgeWeight(edge, 0.0 - scores[e]);
        }
        return g;
    }

    /**
     * The edges of JGraphT's Kruskal minimum spanning tree of a graph built by {@link #buildGraph}.
     * JGraphT 1.5.2 sorts a copy of the edge set with {@code List.sort} (stable) by weight, and the
     * edge set iterates in insertion order, so equal weights are scanned by ascending edge index:
     * exactly the solver's tie rule.
     */
    static Set<Integer> kruskalEdges(Graph<Integer, Integer> g) {
        return new KruskalMinimumSpanningTree<>(g).getSpanningTree().getEdges();
    }

    /** The reference path: a JGraphT graph per instance and its Kruskal tree. */
    static void jgraphtKruskal(CompleteGraphEdges graph, float[] scores, float[] solution) {
        for (Integer e : kruskalEdges(buildGraph(graph, scores))) {
            solution[e] = 1f;
        }
    }

    /**
     * Kruskal on plain arrays: every edge becomes one {@code long} key whose natural order is the
     * solver's ranking (the high 32 bits hold the score's order-preserving integer image, inverted so
     * that higher scores come first; the low 32 bits hold the edge index), the keys are sorted as
     * primitives, and a union-find with path halving and union by size takes the first edge joining
     * two components until {@code m-1} are taken. {@code O(E log E)} for {@code E = m(m-1)/2}.
     */
    static void kruskal(CompleteGraphEdges graph, float[] scores, float[] solution) {
        int edges = scores.length;
        long[] keys = new long[edges];
        for (int e = 0; e < edges; e++) {
            keys[e] = ((long) ~sortableBits(scores[e]) << 32) | e;
        }
        Arrays.sort(keys);
        int nodes = graph.nodes();
        int[] parent = new int[nodes];
        int[] size = new int[nodes];
        for (int v = 0; v < nodes; v++) {
            parent[v] = v;
            size[v] = 1;
        }
        int[] sources = graph.sourcesView();
        int[] targets = graph.targetsView();
        int taken = 0;
        for (int i = 0; i < edges && taken < nodes - 1; i++) {
            int e = (int) keys[i];
            int a = find(parent, sources[e]);
            int b = find(parent, targets[e]);
            if (a == b) {
                continue;
            }
            if (size[a] < size[b]) {
                int t = a;
                a = b;
                b = t;
            }
            parent[b] = a;
            size[a] += size[b];
            solution[e] = 1f;
            taken++;
        }
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    /**
     * An int whose signed order is the float order of {@code x}, with {@code -0.0} mapped like
     * {@code +0.0}. (Finite inputs only; the solver rejects NaN before.)
     */
    private static int sortableBits(float x) {
        int bits = Float.floatToRawIntBits(x + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /**
     * Prim on the dense score matrix: grows the tree from node 0, keeping for every node outside it
     * the best edge into the tree, and each round adds the outside node whose best edge ranks
     * highest. {@code O(m^2)} time, {@code O(m)} scratch, no sort: the natural algorithm for a
     * complete graph.
     */
    static void prim(CompleteGraphEdges graph, float[] scores, float[] solution) {
        int nodes = graph.nodes();
        // Outside nodes are kept compacted in the first `outside` slots of `node`.
        int[] node = new int[nodes - 1];
        int[] bestEdge = new int[nodes - 1];
        float[] bestScore = new float[nodes - 1];
        for (int i = 0; i < nodes - 1; i++) {
            node[i] = i + 1;
            bestEdge[i] = graph.indexOrdered(0, i + 1);
            bestScore[i] = scores[bestEdge[i]];
        }
        for (int outside = nodes - 1; outside > 0; outside--) {
            int pick = 0;
            for (int i = 1; i < outside; i++) {
                if (ranksHigher(bestScore[i], bestEdge[i], bestScore[pick], bestEdge[pick])) {
                    pick = i;
                }
            }
            int added = node[pick];
            solution[bestEdge[pick]] = 1f;
            int last = outside - 1;
            node[pick] = node[last];
            bestEdge[pick] = bestEdge[last];
            bestScore[pick] = bestScore[last];
            for (int i = 0; i < last; i++) {
                int v = node[i];
                int e = v < added ? graph.indexOrdered(v, added) : graph.indexOrdered(added, v);
                if (ranksHigher(scores[e], e, bestScore[i], bestEdge[i])) {
                    bestEdge[i] = e;
                    bestScore[i] = scores[e];
                }
            }
        }
    }

    /** The solver's ranking: higher score first, then lower index ({@code -0.0 == 0.0} here). */
    private static boolean ranksHigher(float score, int edge, float otherScore, int otherEdge) {
        return score > otherScore || (score == otherScore && edge < otherEdge);
    }
}
