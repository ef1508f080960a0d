package dev.aimle.solvers.spanningtree;

/**
 * Test oracles written independently of the solver: whether an edge indicator is a spanning tree,
 * and the best spanning tree by brute force. Edge order is the row-major upper triangle, rebuilt
 * here with nested loops rather than taken from {@link CompleteGraphEdges}.
 */
final class TreeChecks {
    private TreeChecks() {}

    /** The node count m with m(m-1)/2 = edges, or -1. */
    static int nodesFor(int edges) {
        for (int m = 2; m * (m - 1) / 2 <= edges; m++) {
            if (m * (m - 1) / 2 == edges) {
                return m;
            }
        }
        return -1;
    }

    /** The endpoints {u, v} of every edge, u < v, in row-major upper-triangle order. */
    static int[][] endpoints(int nodes) {
        int[][] ends = new int[nodes * (nodes - 1) / 2][];
        int e = 0;
        for (int u = 0; u < nodes; u++) {
            for (int v = u + 1; v < nodes; v++) {
                ends[e++] = new int[] {u, v};
            }
        }
        return ends;
    }

    /** Exactly m-1 entries equal 1, the rest 0, and the chosen edges close no cycle. */
    static boolean isSpanningTree(float[] z) {
        int nodes = nodesFor(z.length);
        if (nodes < 2) {
            return false;
        }
        int[][] ends = endpoints(nodes);
        int[] component = new int[nodes];
        for (int v = 0; v < nodes; v++) {
            component[v] = v;
        }
        int chosen = 0;
        for (int e = 0; e < z.length; e++) {
            if (z[e] == 0f) {
                continue;
            }
            if (z[e] != 1f) {
                return false;
            }
            chosen++;
            int a = component[ends[e][0]];
            int b = component[ends[e][1]];
            if (a == b) {
                return false;
            }
            for (int v = 0; v < nodes; v++) {
                if (component[v] == b) {
                    component[v] = a;
                }
            }
        }
        return chosen == nodes - 1;
    }

    /** <z, scores> in double. */
    static double objective(float[] scores, float[] z) {
        double s = 0;
        for (int i = 0; i < scores.length; i++) {
            s += (double) scores[i] * z[i];
        }
        return s;
    }

    /** The best objective over all spanning trees, and how many there are: {best, count}. */
    static double[] bestByEnumeration(float[] scores) {
        int edges = scores.length;
        if (edges > 20) {
            throw new IllegalArgumentException("too many edges (" + edges + ") to enumerate");
        }
        double best = Double.NEGATIVE_INFINITY;
        int trees = 0;
        float[] z = new float[edges];
        for (int mask = 0; mask < 1 << edges; mask++) {
            for (int e = 0; e < edges; e++) {
                z[e] = (mask >>> e & 1) == 1 ? 1f : 0f;
            }
            if (isSpanningTree(z)) {
                trees++;
                best = Math.max(best, objective(scores, z));
            }
        }
        return new double[] {best, trees};
    }
}
