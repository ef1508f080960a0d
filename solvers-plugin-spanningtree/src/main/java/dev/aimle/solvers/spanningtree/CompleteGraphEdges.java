package dev.aimle.solvers.spanningtree;

/**
 * The edges of the complete undirected graph on {@code m} nodes, numbered in the order the
 * spanning-tree solver reads its scores: row-major over the strict upper triangle of the
 * {@code m x m} adjacency matrix,
 *
 * <pre>
 *   0: (0,1)   1: (0,2)   ...   m-2: (0,m-1)   m-1: (1,2)   ...   m(m-1)/2 - 1: (m-2,m-1)
 * </pre>
 *
 * which is the order of {@code torch.triu_indices(m, m, offset=1)} and of
 * {@code numpy.triu_indices(m, k=1)}. The edge {@code (u, v)} with {@code u < v} has index
 * {@code u*m - u*(u+1)/2 + (v - u - 1)}.
 *
 * <p>Immutable and thread-safe. It holds the endpoints of every edge ({@code 2 * m(m-1)/2} ints),
 * the same order of memory as one instance of scores.
 */
public final class CompleteGraphEdges {
    /** The largest node count whose edge count fits in an {@code int}. */
    public static final int MAX_NODES = 65_536;

    private final int nodes;
    private final int[] rowStart;
    private final int[] sources;
    private final int[] targets;

    private CompleteGraphEdges(int nodes) {
        this.nodes = nodes;
        int edges = edgeCount(nodes);
        this.rowStart = new int[nodes];
        this.sources = new int[edges];
        this.targets = new int[edges];
        int e = 0;
        for (int u = 0; u < nodes; u++) {
            rowStart[u] = e;
            for (int v = u + 1; v < nodes; v++) {
                sources[e] = u;
                targets[e] = v;
                e++;
            }
        }
    }

    /**
     * The edges of the complete graph on {@code nodes} nodes.
     *
     * @throws IllegalArgumentException unless {@code 2 <= nodes <= MAX_NODES}
     */
    public static CompleteGraphEdges ofNodes(int nodes) {
        if (nodes < 2 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("node count (" + nodes + ") must be between 2 and " + MAX_NODES);
        }
        return new CompleteGraphEdges(nodes);
    }

    /**
     * The edges of the complete graph that has {@code edgeCount} edges.
     *
     * @throws IllegalArgumentException unless {@code edgeCount = m(m-1)/2} for some {@code m >= 2};
     *     the message names the nearest valid counts
     */
    public static CompleteGraphEdges ofEdgeCount(int edgeCount) {
        return new CompleteGraphEdges(nodeCount(edgeCount));
    }

    /** {@code m(m-1)/2}, the number of edges of the complete graph on {@code nodes >= 0} nodes. */
    public static int edgeCount(int nodes) {
        if (nodes < 0 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("node count (" + nodes + ") must be between 0 and " + MAX_NODES);
        }
        return (int) ((long) nodes * (nodes - 1) / 2);
    }

    /**
     * The node count {@code m >= 2} with {@code m(m-1)/2 = edgeCount}.
     *
     * @throws IllegalArgumentException when there is none, e.g. {@code "edge count (7) is not m(m-1)/2
     *     for any m; the nearest are 6 (m=4) and 10 (m=5)"}
     */
    public static int nodeCount(int edgeCount) {
        if (edgeCount < 1) {
            throw new IllegalArgumentException(
                    "edge count (" + edgeCount + ") is not m(m-1)/2 for any m >= 2; the smallest is 1 (m=2)");
        }
        // The largest m with m(m-1)/2 <= edgeCount; the square root is exact enough to need at
        // most one correction step either way.
        long m = (long) Math.floor((1 + Math.sqrt(1 + 8.0 * edgeCount)) / 2);
        while (m * (m - 1) / 2 > edgeCount) {
            m--;
        }
        while ((m + 1) * m / 2 <= edgeCount) {
            m++;
        }
        long below = m * (m - 1) / 2;
        if (below == edgeCount) {
            return (int) m;
        }
        long above = (m + 1) * m / 2;
        String nearest = m >= 2
                ? "the nearest are " + below + " (m=" + m + ") and " + above + " (m=" + (m + 1) + ")"
                : "the nearest is " + above + " (m=" + (m + 1) + ")";
        throw new IllegalArgumentException("edge count (" + edgeCount + ") is not m(m-1)/2 for any m; " + nearest);
    }

    /** The number of nodes {@code m}. */
    public int nodes() {
        return nodes;
    }

    /** The number of edges {@code m(m-1)/2}. */
    public int edges() {
        return sources.length;
    }

    /**
     * The index of the edge between {@code u} and {@code v}, in either order.
     *
     * @throws IllegalArgumentException when a node is out of range or {@code u == v}
     */
    public int index(int u, int v) {
        requireNode("u", u);
        requireNode("v", v);
        if (u == v) {
            throw new IllegalArgumentException("u and v (" + u + ") must differ: the graph has no self-loops");
        }
        return u < v ? indexOrdered(u, v) : indexOrdered(v, u);
    }

    /** The smaller endpoint of the edge with index {@code edge}. */
    public int source(int edge) {
        return sources[requireEdge(edge)];
    }

    /** The larger endpoint of the edge with index {@code edge}. */
    public int target(int edge) {
        return targets[requireEdge(edge)];
    }

    /** The index of {@code (u, v)} for valid nodes {@code u < v}, unchecked. */
    int indexOrdered(int u, int v) {
        return rowStart[u] + (v - u - 1);
    }

    /** The smaller endpoint of every edge, by index; shared, never modify. */
    int[] sourcesView() {
        return sources;
    }

    /** The larger endpoint of every edge, by index; shared, never modify. */
    int[] targetsView() {
        return targets;
    }

    private void requireNode(String name, int node) {
        if (node < 0 || node >= nodes) {
            throw new IllegalArgumentException(name + " (" + node + ") must be a node between 0 and " + (nodes - 1));
        }
    }

    private int requireEdge(int edge) {
        if (edge < 0 || edge >= sources.length) {
            throw new IllegalArgumentException("edge index (" + edge + ") must be between 0 and " + (sources.length - 1)
                    + " for the complete graph on " + nodes + " nodes");
        }
        return edge;
    }

    @Override
    public String toString() {
        return "CompleteGraphEdges[nodes=" + nodes + ", edges=" + sources.length + "]";
    }
}
