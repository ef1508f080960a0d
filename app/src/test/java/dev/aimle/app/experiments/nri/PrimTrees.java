package dev.aimle.app.experiments.nri;

import dev.aimle.api.PerInstanceMapSolver;

/**
 * A test stand-in for the spanning-tree plugin (which unit tests do not see: plugins reach the app
 * only through the plugins directory): the maximum spanning tree by Prim's algorithm over the
 * undirected edges in upper-triangle order, ties to the lower edge index.
 */
final class PrimTrees extends PerInstanceMapSolver {
    PrimTrees() {
        super(1);
    }

    @Override
    public String name() {
        return "spanning-tree";
    }

    @Override
    protected void validateInstanceSize(int size) {
        if (size != NriGraph.undirectedEdges(vertices(size))) {
            throw new IllegalArgumentException("not a complete graph's edge count: " + size);
        }
    }

    private static int vertices(int edges) {
        return (int) Math.round((1 + Math.sqrt(1 + 8.0 * edges)) / 2);
    }

    @Override
    protected void solveInstance(float[] scores, float[] solution) {
        int n = vertices(scores.length);
        boolean[] in = new boolean[n];
        in[0] = true;
        for (int added = 1; added < n; added++) {
            int best = -1;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (in[a] && !in[b]) {
                        int e = NriGraph.undirected(n, a, b);
                        if (best < 0 || scores[e] > scores[best] || (scores[e] == scores[best] && e < best)) {
                            best = e;
                        }
                    }
                }
            }
            solution[best] = 1;
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    if (NriGraph.undirected(n, a, b) == best) {
                        in[a] = true;
                        in[b] = true;
                    }
                }
            }
        }
    }
}
