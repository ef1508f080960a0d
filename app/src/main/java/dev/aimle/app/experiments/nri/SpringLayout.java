package dev.aimle.app.experiments.nri;

/**
 * One call of networkx's {@code spring_layout(G, pos=pos, iterations=r, threshold=h,
 * center=np.zeros(2))} with the defaults the SST data generator leaves alone ({@code k=None},
 * {@code fixed=None}, {@code weight='weight'} on an unweighted graph, {@code scale=1}, {@code dim=2},
 * fewer than 500 nodes so the dense solver): the Fruchterman–Reingold layout of Fruchterman and
 * Reingold (1991) as networkx implements it in {@code _fruchterman_reingold}, then
 * {@code rescale_layout}.
 *
 * <p>Positions are {@code n x 2}, row-major ({@code pos[2 * i + d]}), in the order of the graph's
 * nodes as networkx iterates them; {@code adjacency} is the {@code n x n} 0/1 matrix
 * {@code nx.to_numpy_array(G)} in that same order. The steps of one call:
 *
 * <ol>
 *   <li>The initial positions are the given ones (networkx first fills an array with random numbers
 *       from NumPy's global generator scaled by the largest coordinate, then overwrites every row
 *       with the given position: no effect on the result, only on NumPy's random stream).
 *   <li>{@code k = sqrt(1 / n)}, the "optimal distance" (networkx adjusts k to the domain size only
 *       when some nodes are fixed).
 *   <li>Temperature {@code t = 0.1 * max(max_i x_i - min_i x_i, max_i y_i - min_i y_i)}, cooled by
 *       {@code dt = t / (iterations + 1)} after each iteration.
 *   <li>Each iteration: {@code delta_ij = p_i - p_j}, {@code d_ij = max(|delta_ij|, 0.01)}, the
 *       displacement {@code D_i = sum_j delta_ij (k^2 / d_ij^2 - A_ij d_ij / k)} (repulsion between all
 *       pairs, attraction along edges), {@code L_i = |D_i|}, replaced by 0.1 when below 0.01, and
 *       every node moves by {@code t D_i / L_i}: a step of length exactly t (not capped at |D_i| as in
 *       the original paper). Then {@code t -= dt}; the loop stops early when
 *       {@code |delta_pos|_F / n < threshold}.
 *   <li>{@code rescale_layout(pos, scale=1)}: subtract the mean of each coordinate (networkx 2.x
 *       takes it column by column, {@code pos[:, i].mean()}, which NumPy sums pairwise: see
 *       {@link #pairwiseSum}), then multiply
 *       all coordinates by {@code 1 / lim} with {@code lim = max_{i,d} |p_id|} (when lim > 0), so the
 *       largest coordinate magnitude becomes 1 and the aspect ratio is kept. Then add the centre,
 *       the origin.
 * </ol>
 *
 * <p>The small-length rule ({@code L_i < 0.01 -> 0.1}) is that of networkx 2.x up to 3.5, the versions
 * the SST data was generated with; networkx 3.6 clips to 0.01 instead (pull request 8145). The two
 * differ only when a node's displacement is almost zero.
 *
 * <p>Every formula follows networkx's order of operations and NumPy's order of additions, so the
 * results are bit-identical to networkx 2.8.8 with NumPy 1.24 (compared on 2,000 examples of 20
 * steps from their initial positions, and on 3,000 generated examples re-run from their first step).
 * networkx 3.6 with NumPy 2 takes the mean over axis 0, added in plain order, which changes the last
 * bits (differences of order 1e-11 after 20 steps), besides its different small-length rule.
 */
public final class SpringLayout {
    /** networkx's minimum distance between two nodes, and its smallest displacement length. */
    static final double MIN_DISTANCE = 0.01;

    private static final double SMALL_LENGTH_REPLACEMENT = 0.1;
    private static final int PAIRWISE_BLOCK = 128;

    private SpringLayout() {}

    /**
     * One {@code spring_layout} call: {@code iterations} Fruchterman–Reingold iterations from
     * {@code pos}, then the rescaling to [-1, 1] around the origin (see the class documentation).
     *
     * @param pos {@code n x 2} positions, row-major; not modified
     * @param adjacency {@code n x n} symmetric 0/1 adjacency, row-major, in the order of {@code pos}
     * @param n the number of nodes, at least 2 (networkx places a single node at the centre)
     * @param iterations at least 1 (the SST generator uses 1)
     * @param threshold networkx's early-stopping threshold (the SST generator uses 1e-10)
     * @return the new positions, {@code n x 2} row-major
     */
    public static double[] call(double[] pos, double[] adjacency, int n, int iterations, double threshold) {
        if (n < 2) {
            throw new IllegalArgumentException("n (" + n + ") must be at least 2");
        }
        if (pos.length != 2 * n || adjacency.length != n * n) {
            throw new IllegalArgumentException("positions (" + pos.length + " values) and adjacency ("
                    + adjacency.length + ") must hold n x 2 = " + 2 * n + " and n x n = " + n * n + " values");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations (" + iterations + ") must be at least 1");
        }
        double[] p = pos.clone();
        iterate(p, adjacency, n, iterations, threshold);
        rescale(p, n);
        return p;
    }

    /** {@code _fruchterman_reingold}: the iterations, in place, without the rescaling. */
    static void iterate(double[] p, double[] adjacency, int n, int iterations, double threshold) {
        double k = Math.sqrt(1.0 / n);
        double kk = k * k;
        double t = Math.max(range(p, n, 0), range(p, n, 1)) * 0.1;
        double dt = t / (iterations + 1);
        double[] step = new double[2 * n];
        for (int iteration = 0; iteration < iterations; iteration++) {
            for (int i = 0; i < n; i++) {
                double dx = 0;
                double dy = 0;
                for (int j = 0; j < n; j++) {
                    double ex = p[2 * i] - p[2 * j];
                    double ey = p[2 * i + 1] - p[2 * j + 1];
                    double distance = Math.max(Math.sqrt(ex * ex + ey * ey), MIN_DISTANCE);
                    double force = kk / (distance * distance) - adjacency[i * n + j] * distance / k;
                    dx += ex * force;
                    dy += ey * force;
                }
                double length = Math.sqrt(dx * dx + dy * dy);
                if (length < MIN_DISTANCE) {
                    length = SMALL_LENGTH_REPLACEMENT;
                }
                double scale = t / length;
                step[2 * i] = dx * scale;
                step[2 * i + 1] = dy * scale;
            }
            double norm = 0;
            for (int i = 0; i < 2 * n; i++) {
                p[i] += step[i];
                norm += step[i] * step[i];
            }
            t -= dt;
            if (Math.sqrt(norm) / n < threshold) {
                break;
            }
        }
    }

    /** {@code rescale_layout(pos, scale=1) + center} with the centre at the origin, in place. */
    static void rescale(double[] p, int n) {
        double lim = 0;
        for (int d = 0; d < 2; d++) {
            double mean = pairwiseSum(p, d, n) / n;
            for (int i = 0; i < n; i++) {
                p[2 * i + d] -= mean;
                lim = Math.max(lim, Math.abs(p[2 * i + d]));
            }
        }
        if (lim > 0) {
            double factor = 1.0 / lim;
            for (int i = 0; i < 2 * n; i++) {
                p[i] *= factor;
            }
        }
        // networkx adds the centre (the origin), which turns -0.0 into 0.0.
        for (int i = 0; i < 2 * n; i++) {
            p[i] += 0.0;
        }
    }

    /**
     * NumPy's {@code pairwise_sum} of {@code p[2 * i + d]}, {@code i < n}: below 8 values a plain
     * loop; up to 128, eight running sums combined as {@code ((r0 + r1) + (r2 + r3)) + ((r4 + r5) +
     * (r6 + r7))} and the remainder added in order; beyond, the two halves (the first a multiple
     * of 8) summed recursively.
     */
    static double pairwiseSum(double[] p, int d, int n) {
        return pairwiseSum(p, d, 0, n);
    }

    private static double pairwiseSum(double[] p, int d, int from, int n) {
        if (n < 8) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += p[2 * (from + i) + d];
            }
            return sum;
        }
        if (n <= PAIRWISE_BLOCK) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = p[2 * (from + j) + d];
            }
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += p[2 * (from + i + j) + d];
                }
            }
            double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                sum += p[2 * (from + i) + d];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwiseSum(p, d, from, half) + pairwiseSum(p, d, from + half, n - half);
    }

    private static double range(double[] p, int n, int d) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, p[2 * i + d]);
            max = Math.max(max, p[2 * i + d]);
        }
        return max - min;
    }
}
