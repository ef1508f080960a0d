package dev.aimle.app.experiments.nri;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The index conventions of the NRI experiment on {@code n} vertices, as constant matrices.
 *
 * <ul>
 *   <li><b>Directed edges</b> ({@code n(n-1)}, the encoder's output and the decoder's messages):
 *       every ordered pair {@code (i, j)}, {@code i != j}, row-major over the adjacency matrix with its
 *       diagonal removed, so {@code d = i(n-1) + (j < i ? j : j-1)}; vertex i receives, j sends (the
 *       reference's {@code rel_rec}/{@code rel_send}).
 *   <li><b>Undirected edges</b> ({@code n(n-1)/2}, the spanning-tree solver's input): {@code (a, b)},
 *       {@code a < b}, row-major over the upper triangle, {@code CompleteGraphEdges}' order.
 * </ul>
 *
 * Arrays are made on the caller's manager; they are small ({@code 90 x 10}, {@code 90 x 45} for n =
 * 10), so a forward pass makes them afresh rather than caching arrays across scopes.
 */
final class NriGraph {
    private NriGraph() {}

    /** Directed edges of n vertices. */
    static int directedEdges(int n) {
        return n * (n - 1);
    }

    /** Undirected edges of n vertices. */
    static int undirectedEdges(int n) {
        return n * (n - 1) / 2;
    }

    /** The directed index of receiver i, sender j. */
    static int directed(int n, int i, int j) {
        if (i == j || i < 0 || j < 0 || i >= n || j >= n) {
            throw new IllegalArgumentException("(" + i + ", " + j + ") is not an edge of " + n + " vertices");
        }
        return i * (n - 1) + (j < i ? j : j - 1);
    }

    /** The undirected index of {@code {a, b}}. */
    static int undirected(int n, int a, int b) {
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        if (lo == hi || lo < 0 || hi >= n) {
            throw new IllegalArgumentException("{" + a + ", " + b + "} is not an edge of " + n + " vertices");
        }
        return lo * n - lo * (lo + 1) / 2 + (hi - lo - 1);
    }

    /** {@code [n(n-1), n]}: row d is the one-hot of d's receiver. */
    static NDArray receivers(NDManager manager, int n) {
        float[] m = new float[directedEdges(n) * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    m[directed(n, i, j) * n + i] = 1;
                }
            }
        }
        return manager.create(m, new Shape(directedEdges(n), n));
    }

    /** {@code [n(n-1), n]}: row d is the one-hot of d's sender. */
    static NDArray senders(NDManager manager, int n) {
        float[] m = new float[directedEdges(n) * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    m[directed(n, i, j) * n + j] = 1;
                }
            }
        }
        return manager.create(m, new Shape(directedEdges(n), n));
    }

    /**
     * {@code [n(n-1), n(n-1)/2]}: 1 where directed edge d is a direction of undirected edge e. {@code
     * directed.matMul(this) / 2} averages the two directions (the reference's symmetrisation); {@code
     * this.matMul(undirected)} copies an undirected value to both directions.
     */
    static NDArray directions(NDManager manager, int n) {
        int u = undirectedEdges(n);
        float[] m = new float[directedEdges(n) * u];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    m[directed(n, i, j) * u + undirected(n, i, j)] = 1;
                }
            }
        }
        return manager.create(m, new Shape(directedEdges(n), u)).toType(DataType.FLOAT32, false);
    }
}
