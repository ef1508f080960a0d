package dev.aimle.solvers.spanningtree;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The per-instance numerics of {@link SpanningTreeDistribution}: one weighted complete graph
 * {@code w_e = exp(theta_e - c)}, {@code c = max_e theta_e}, and the matrix-tree quantities of its
 * Laplacian, all in double precision.
 *
 * <p><b>Why no subtraction.</b> Every quantity here is computed from the edge weights by additions,
 * multiplications and divisions of non-negative numbers only, so each carries a relative error of a
 * few units of rounding per operation, whatever the ratio of the largest to the smallest weight
 * ({@code e^100} for scores in [-50, 50]). The device is Gaussian elimination on a graph Laplacian
 * written as elimination of nodes (Kron reduction): removing node k leaves the Laplacian of a graph
 * on the remaining nodes whose weights are {@code W_ij + W_ik W_kj / d_k}, with pivot
 * {@code d_k = sum_j W_kj}, the sum of k's current weights. The pivots are the diagonal of the
 * {@code LDL^T} factorisation of the reduced Laplacian, and the factor's entries
 * {@code -W_kj / d_k} are non-positive, so its inverse and {@code L_r^{-1} = U^{-1} D^{-1} U^{-T}}
 * are sums of non-negative terms too. (Subtracting diagonal entries, as a textbook Cholesky does,
 * loses everything when a strongly bound group of nodes hangs on weak edges.)
 *
 * <p>Scores more than {@link #MAX_LOG_RANGE} below the instance's largest are raised to that level
 * before exponentiation, so that no weight underflows and no entry of {@code L_r^{-1}} overflows.
 *
 * <p>Not thread-safe: one instance per thread, reused across rows through {@link #load}.
 */
final class LaplacianKernel {
    /** Scores below {@code max - MAX_LOG_RANGE} count as {@code max - MAX_LOG_RANGE}. */
    static final double MAX_LOG_RANGE = 500;

    private final CompleteGraphEdges graph;
    private final int m;
    private final int edges;
    /** The scaled weights {@code exp(theta_e - c)} by edge index. */
    private final double[] weight;
    /** {@code sqrt(w_e)}. */
    private final double[] rootWeight;
    /** Scratch: the scores of a float instance, widened. */
    private final double[] loaded;
    /** The weight matrix of the loaded instance, symmetric, zero diagonal. */
    private final double[][] adjacency;
    /** Scratch: a weight matrix under elimination. */
    private final double[][] work;
    /** Scratch: {@code U^{-1}} of the current root, and the pivots. */
    private final double[][] inverseFactor;

    private final double[] pivots;
    private final int[] order;
    private final int[] component;
    private double shift;

    LaplacianKernel(CompleteGraphEdges graph) {
        this.graph = graph;
        this.m = graph.nodes();
        this.edges = graph.edges();
        this.weight = new double[edges];
        this.rootWeight = new double[edges];
        this.loaded = new double[edges];
        this.adjacency = new double[m][m];
        this.work = new double[m][m];
        this.inverseFactor = new double[m][m];
        this.pivots = new double[m];
        this.order = new int[m];
        this.component = new int[m];
    }

    /** The number of edges of an instance. */
    int edges() {
        return edges;
    }

    /** Loads the instance {@code scores[offset .. offset + edges)}. */
    void load(float[] scores, int offset) {
        for (int e = 0; e < edges; e++) {
            loaded[e] = scores[offset + e];
        }
        load(loaded);
    }

    /** Loads the instance {@code scores}, one per edge, finite. */
    void load(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < edges; e++) {
            max = Math.max(max, scores[e]);
        }
        shift = max;
        int[] sources = graph.sourcesView();
        int[] targets = graph.targetsView();
        for (int e = 0; e < edges; e++) {
            double w = Math.exp(Math.max(scores[e] - max, -MAX_LOG_RANGE));
            weight[e] = w;
            rootWeight[e] = Math.sqrt(w);
            adjacency[sources[e]][targets[e]] = w;
            adjacency[targets[e]][sources[e]] = w;
        }
    }

    /**
     * {@code A = log sum_T prod_{e in T} exp(theta_e) = (m-1) c + log det L_r} (matrix-tree
     * theorem), the determinant as the product of the elimination pivots.
     */
    double logPartition() {
        copy(adjacency, work);
        double logDet = 0;
        for (int k = 0; k < m - 1; k++) {
            double d = 0;
            for (int j = k + 1; j < m; j++) {
                d += work[k][j];
            }
            logDet += Math.log(d);
            for (int i = k + 1; i < m; i++) {
                double ratio = work[k][i] / d;
                for (int j = i + 1; j < m; j++) {
                    double add = work[k][j] * ratio;
                    work[i][j] += add;
                    work[j][i] += add;
                }
            }
        }
        return (m - 1) * shift + logDet;
    }

    /**
     * The marginals {@code mu_e = w_e * R_e}, with {@code R_e = b_e^T L_r^{-1} b_e} the effective
     * resistance of e = (u, v), u &lt; v, read as the diagonal entry {@code (L_r^{-1})_uu} of the
     * Laplacian grounded at v (then {@code b_e = e_u}).
     */
    void marginals(double[] mu) {
        for (int v = 1; v < m; v++) {
            groundAt(v);
            for (int u = 0; u < v; u++) {
                int e = graph.indexOrdered(u, v);
                mu[e] = Math.min(1.0, weight[e] * groundedInverse(position(u, v), position(u, v)));
            }
        }
    }

    /**
     * {@code out = Cov[z] x} by the transfer-current theorem (Burton and Pemantle 1993): with
     * {@code Y(e, f) = sqrt(w_e w_f) b_e^T L^+ b_f}, {@code Cov(z_e, z_f) = -Y(e, f)^2} for e != f
     * and {@code Var(z_e) = mu_e (1 - mu_e)}, {@code mu_e = Y(e, e)}. {@code L^+ b_e} is the vector
     * of potentials when a unit current enters at u and leaves at v; grounded at v it is the column u
     * of {@code L_r^{-1}}, non-negative and without cancellation. {@code Y(e, f)} is then a
     * difference of two such potentials, taken from the heavier of the two edges, which bounds its
     * absolute error by a few roundings.
     *
     * @param potentials scratch of {@code edges * m} doubles
     */
    void covarianceProduct(double[] x, double[] out, double[] potentials) {
        for (int v = 1; v < m; v++) {
            groundAt(v);
            for (int u = 0; u < v; u++) {
                int e = graph.indexOrdered(u, v);
                int column = position(u, v);
                for (int node = 0; node < m; node++) {
                    potentials[e * m + node] = node == v ? 0 : groundedInverse(position(node, v), column);
                }
            }
        }
        int[] sources = graph.sourcesView();
        int[] targets = graph.targetsView();
        for (int e = 0; e < edges; e++) {
            double mu = Math.min(1.0, weight[e] * potentials[e * m + sources[e]]);
            out[e] = mu * (1 - mu) * x[e];
        }
        for (int e = 0; e < edges; e++) {
            for (int f = e + 1; f < edges; f++) {
                int source = weight[e] >= weight[f] ? e : f;
                int other = source == e ? f : e;
                double drop = potentials[source * m + sources[other]] - potentials[source * m + targets[other]];
                // sqrt(w_e) * (sqrt(w_f) * drop): w_e * w_f alone underflows at e^-1000
                double y = rootWeight[e] * (rootWeight[f] * drop);
                double y2 = y * y;
                out[e] -= y2 * x[f];
                out[f] -= y2 * x[e];
            }
        }
    }

    /**
     * An exact sample, by deciding the edges in index order, each with its probability conditional
     * on the decisions so far (the chain rule): edge e = (u, v) joins the tree with probability
     * {@code w_e / C}, where C is the effective conductance between the components of u and v in the
     * graph whose included edges are contracted and whose excluded edges are deleted (the marginal of
     * e in that graph, since spanning trees of a contracted graph are the trees containing the
     * contracted edges). C comes from eliminating every other component, subtraction-free as above,
     * so the walk never stalls on weak edges the way a random walk (Wilson's algorithm) does when
     * weights span many orders of magnitude. One {@code nextDouble()} per edge whose endpoints lie in
     * different components while the tree is incomplete, in edge order. {@code O(E * m^3)} per tree.
     */
    void sample(RandomGenerator random, float[] z, int offset) {
        for (int node = 0; node < m; node++) {
            component[node] = node;
        }
        int[] sources = graph.sourcesView();
        int[] targets = graph.targetsView();
        int taken = 0;
        for (int e = 0; e < edges && taken < m - 1; e++) {
            int a = component[sources[e]];
            int b = component[targets[e]];
            if (a == b) {
                continue;
            }
            double conductance = conductance(e, a, b);
            double probability = Math.min(1.0, weight[e] / conductance);
            if (random.nextDouble() < probability) {
                z[offset + e] = 1f;
                taken++;
                for (int node = 0; node < m; node++) {
                    if (component[node] == b) {
                        component[node] = a;
                    }
                }
            }
        }
    }

    /**
     * The effective conductance between components a and b over the undecided edges {@code f >= e}
     * (component labels are node ids; labels not in use have no weight).
     */
    private double conductance(int e, int a, int b) {
        for (double[] row : work) {
            Arrays.fill(row, 0);
        }
        int[] sources = graph.sourcesView();
        int[] targets = graph.targetsView();
        for (int f = e; f < edges; f++) {
            int p = component[sources[f]];
            int q = component[targets[f]];
            if (p != q) {
                work[p][q] += weight[f];
                work[q][p] += weight[f];
            }
        }
        for (int k = 0; k < m; k++) {
            if (k == a || k == b || component[k] != k) {
                continue;
            }
            double d = 0;
            for (int j = 0; j < m; j++) {
                d += work[k][j];
            }
            if (d == 0) {
                continue;
            }
            for (int i = 0; i < m; i++) {
                double wik = work[k][i];
                if (wik == 0) {
                    continue;
                }
                double ratio = wik / d;
                for (int j = i + 1; j < m; j++) {
                    double add = work[k][j] * ratio;
                    work[i][j] += add;
                    work[j][i] += add;
                }
            }
            for (int j = 0; j < m; j++) {
                work[k][j] = 0;
                work[j][k] = 0;
            }
        }
        return work[a][b];
    }

    /**
     * Factors the Laplacian grounded at {@code root}: eliminates the other nodes in increasing order
     * (position p in {@code order} for p &lt; m-1, the root last), keeping the pivots and
     * {@code U^{-1}}, whose entries {@code X[p][q] = sum_{p <= l < q} X[p][l] W^(l)_lq / d_l} are
     * hitting probabilities of the walk that moves along weights, hence in [0, 1].
     */
    private void groundAt(int root) {
        int p = 0;
        for (int node = 0; node < m; node++) {
            if (node != root) {
                order[p++] = node;
            }
        }
        order[m - 1] = root;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                work[i][j] = adjacency[order[i]][order[j]];
            }
        }
        int n = m - 1;
        for (int k = 0; k < n; k++) {
            double d = 0;
            for (int j = k + 1; j < m; j++) {
                d += work[k][j];
            }
            pivots[k] = d;
            for (int j = k + 1; j < m; j++) {
                work[k][j] /= d;
            }
            for (int i = k + 1; i < m; i++) {
                double wik = work[i][k];
                for (int j = i + 1; j < m; j++) {
                    double add = wik * work[k][j];
                    work[i][j] += add;
                    work[j][i] += add;
                }
            }
        }
        // work[k][j] for j > k now holds W^(k)_kj / d_k (the strict upper triangle is never read by
        // the updates of rows below k, which use work[i][k], i > k, the unscaled lower triangle).
        for (int a = 0; a < n; a++) {
            double[] row = inverseFactor[a];
            row[a] = 1;
            for (int b = a + 1; b < n; b++) {
                double s = 0;
                for (int l = a; l < b; l++) {
                    s += row[l] * work[l][b];
                }
                row[b] = s;
            }
        }
    }

    /** {@code (L_r^{-1})_{pq}} at positions p, q of the current grounding. */
    private double groundedInverse(int p, int q) {
        double s = 0;
        double[] rowP = inverseFactor[p];
        double[] rowQ = inverseFactor[q];
        for (int k = Math.max(p, q); k < m - 1; k++) {
            s += rowP[k] * rowQ[k] / pivots[k];
        }
        return s;
    }

    /** The position of {@code node} in the elimination order of the grounding at {@code root}. */
    private static int position(int node, int root) {
        return node < root ? node : node - 1;
    }

    private static void copy(double[][] from, double[][] to) {
        for (int i = 0; i < from.length; i++) {
            System.arraycopy(from[i], 0, to[i], 0, from[i].length);
        }
    }
}
