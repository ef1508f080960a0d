package dev.aimle.solvers.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Shapes;
import dev.aimle.api.TractableDistribution;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The k-subset exponential family {@code p(z; theta) = exp(<z, theta> - A(theta))} over
 * {@code {z in {0,1}^n : sum z = k}}, independently for every row of the last axis of theta
 * {@code [B, ..., n]} (the feasible set of {@link TopKSolver}). An instance {@code [..., n]} is the
 * product of its rows, so its log-partition is the sum of the rows' log-partitions.
 *
 * <h2>Algorithm</h2>
 *
 * With {@code x_i = exp(theta_i)}, the partition function of a row is the elementary symmetric
 * polynomial {@code e_k(x_1, ..., x_n)} (the k-subset distribution of the I-MLE paper, Niepert et
 * al., NeurIPS-21, and of Xie and Ermon, IJCAI-19). It is computed by the dynamic program
 *
 * <pre>
 *   E[i][0] = 0,  E[0][j] = -inf (j &gt; 0),
 *   E[i][j] = logaddexp(E[i-1][j], theta_i + E[i-1][j-1]),   A = E[n][k],
 * </pre>
 *
 * where {@code E[i][j] = log e_j(x_1, ..., x_i)}, in log space and double precision, O(n k) per
 * row, so it neither overflows nor underflows for any finite scores.
 *
 * <p><b>Sampling</b> walks the table backwards: with j ones still to place among the first i items,
 * item i is chosen with probability {@code exp(theta_i + E[i-1][j-1] - E[i][j])}. This draws exactly
 * from p. Random numbers are consumed in a fixed order (rows in row-major order, items from the
 * last to the first, one {@code nextDouble()} per choice that is not forced), so the same generator
 * state gives the same samples.
 *
 * <p><b>Marginals</b> {@code mu = grad A} are the reverse-mode derivative of the same recursion:
 * {@code P[i][j]}, the probability that the backward walk reaches "j ones among the first i items",
 * starts at {@code P[n][k] = 1} and flows to {@code P[i-1][j-1]} with the choice probability above
 * and to {@code P[i-1][j]} with its complement; {@code mu_i = sum_j P[i][j] * take(i, j)} with
 * {@code take(i, j)} that choice probability. All quantities are probabilities, so the pass is as
 * stable as the forward one.
 *
 * <p><b>Covariance products</b> {@code Cov[z] v = d/ds mu(theta + s v)} at s = 0 are the forward-mode
 * derivative of the same two passes: the tangents {@code dE[i][j] = (1 - t) dE[i-1][j] + t (v_i +
 * dE[i-1][j-1])} (t the probability that item i is in the j-subset of the first i), then the
 * tangents of the choice probabilities and of P, {@code O(n k)} per row like the marginals; exact up
 * to rounding, with no step size. Rows are independent, so the covariance is block-diagonal over
 * rows.
 *
 * <p>For k = 1 these are log-sum-exp, softmax and categorical sampling.
 *
 * <p>Computation is on the host (the DP is sequential along a row); results are float32, on
 * theta's device, attached to theta's manager. Immutable and thread-safe.
 */
public final class KSubsetDistribution implements TractableDistribution {
    private static final String OWNER = "k-subset distribution";

    private final int k;

    /**
     * @param k the number of ones per row, at least 1 (checked against the row length on use)
     */
    public KSubsetDistribution(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k (" + k + ") must be at least 1");
        }
        this.k = k;
    }

    /** The number of ones per row. */
    public int k() {
        return k;
    }

    /**
     * {@code A(theta)}: for each batch element the sum over its rows of {@code log e_k(exp(row))}.
     *
     * @return shape {@code [B]}, float32 (computed in double)
     */
    @Override
    public NDArray logPartition(NDArray theta) {
        Rows rows = Rows.of(theta, k);
        double[] perRow = new double[rows.layout.rows()];
        double[][] table = newTable(rows.layout.n());
        for (int r = 0; r < perRow.length; r++) {
            forward(rows.scores, r * rows.layout.n(), rows.layout.n(), table);
            perRow[r] = table[rows.layout.n()][k];
        }
        int batch = Math.toIntExact(theta.getShape().get(0));
        float[] a = new float[batch];
        int rowsPerInstance = batch == 0 ? 0 : perRow.length / batch;
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            for (int r = 0; r < rowsPerInstance; r++) {
                sum += perRow[b * rowsPerInstance + r];
            }
            a[b] = (float) sum;
        }
        NDArray result = theta.getManager().create(a, new Shape(batch));
        return moveToDeviceOf(theta, result);
    }

    /**
     * {@code mu(theta) = E[z] = grad A(theta)}: per row, the probability of each item being among
     * the k ones.
     *
     * @return shape of theta, float32 (computed in double); every row sums to k
     */
    @Override
    public NDArray marginals(NDArray theta) {
        Rows rows = Rows.of(theta, k);
        int n = rows.layout.n();
        double[][] table = newTable(n);
        double[] reach = new double[k + 1];
        double[] next = new double[k + 1];
        float[] mu = new float[rows.scores.length];
        for (int r = 0; r < rows.layout.rows(); r++) {
            int offset = r * n;
            forward(rows.scores, offset, n, table);
            Arrays.fill(reach, 0);
            reach[k] = 1;
            for (int i = n; i >= 1; i--) {
                Arrays.fill(next, 0);
                double score = rows.scores[offset + i - 1];
                double m = 0;
                for (int j = 0; j <= Math.min(k, i); j++) {
                    double p = reach[j];
                    if (p == 0) {
                        continue;
                    }
                    if (j == 0) {
                        next[0] += p;
                        continue;
                    }
                    double take = Math.exp(score + table[i - 1][j - 1] - table[i][j]);
                    take = Math.min(1.0, take);
                    m += p * take;
                    next[j - 1] += p * take;
                    next[j] += p * (1 - take);
                }
                mu[offset + i - 1] = (float) Math.min(1.0, m);
                double[] t = reach;
                reach = next;
                next = t;
            }
        }
        return TopKSolver.onDeviceOf(theta, mu);
    }

    /**
     * {@code Cov_theta[z] v} exactly, by forward-mode differentiation of the marginals' dynamic
     * program (see the class documentation), independently for every row.
     *
     * @param v shape of theta, float32, finite
     * @return shape of theta, float32 (computed in double); every row sums to 0
     */
    @Override
    public NDArray covarianceProduct(NDArray theta, NDArray v) {
        Rows rows = Rows.of(theta, k);
        if (!v.getShape().equals(theta.getShape())) {
            throw new IllegalArgumentException(
                    "v has shape " + v.getShape() + " but theta has shape " + theta.getShape() + "; they must agree");
        }
        if (v.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(OWNER + " expects a float32 v, got " + v.getDataType());
        }
        float[] x = v.toFloatArray();
        Shapes.requireFinite("v", x, v.getShape());
        int n = rows.layout.n();
        double[][] table = newTable(n);
        double[][] tangent = newTable(n);
        double[] reach = new double[k + 1];
        double[] next = new double[k + 1];
        double[] dReach = new double[k + 1];
        double[] dNext = new double[k + 1];
        float[] out = new float[rows.scores.length];
        for (int r = 0; r < rows.layout.rows(); r++) {
            int offset = r * n;
            forward(rows.scores, offset, n, table);
            forwardTangent(rows.scores, x, offset, n, table, tangent);
            Arrays.fill(reach, 0);
            Arrays.fill(dReach, 0);
            reach[k] = 1;
            for (int i = n; i >= 1; i--) {
                Arrays.fill(next, 0);
                Arrays.fill(dNext, 0);
                double score = rows.scores[offset + i - 1];
                double direction = x[offset + i - 1];
                double dm = 0;
                for (int j = 0; j <= Math.min(k, i); j++) {
                    double p = reach[j];
                    double dp = dReach[j];
                    if (p == 0 && dp == 0) {
                        continue;
                    }
                    if (j == 0) {
                        next[0] += p;
                        dNext[0] += dp;
                        continue;
                    }
                    double take = Math.min(1.0, Math.exp(score + table[i - 1][j - 1] - table[i][j]));
                    double skip = Math.exp(table[i - 1][j] - table[i][j]);
                    double dTake = take * (direction + tangent[i - 1][j - 1] - tangent[i][j]);
                    dm += dp * take + p * dTake;
                    next[j - 1] += p * take;
                    dNext[j - 1] += dp * take + p * dTake;
                    next[j] += p * skip;
                    dNext[j] += dp * skip - p * dTake;
                }
                out[offset + i - 1] = (float) dm;
                double[] t = reach;
                reach = next;
                next = t;
                t = dReach;
                dReach = dNext;
                dNext = t;
            }
        }
        return TopKSolver.onDeviceOf(theta, out);
    }

    /**
     * Fills {@code tangent[i][j] = d/ds log e_j(exp(theta_1 + s v_1), ..., exp(theta_i + s v_i))} at
     * s = 0, the expectation of {@code <v, z>} over the j-subsets of the first i items, given the
     * filled {@code table}.
     */
    private void forwardTangent(float[] scores, float[] v, int offset, int n, double[][] table, double[][] tangent) {
        Arrays.fill(tangent[0], 0);
        for (int i = 1; i <= n; i++) {
            double score = scores[offset + i - 1];
            double direction = v[offset + i - 1];
            double[] prev = table[i - 1];
            double[] cur = table[i];
            double[] dPrev = tangent[i - 1];
            double[] dCur = tangent[i];
            dCur[0] = 0;
            for (int j = 1; j <= k; j++) {
                if (cur[j] == Double.NEGATIVE_INFINITY) {
                    dCur[j] = 0;
                    continue;
                }
                double take = Math.exp(score + prev[j - 1] - cur[j]);
                double skip = Math.exp(prev[j] - cur[j]);
                dCur[j] = skip * dPrev[j] + take * (direction + dPrev[j - 1]);
            }
        }
    }

    /**
     * Exact samples, one per instance (one k-subset per row), by the backward walk described in
     * the class documentation.
     *
     * @return shape of theta, float32 in {0, 1}, k ones per row
     */
    @Override
    public NDArray sample(NDArray theta, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        Rows rows = Rows.of(theta, k);
        int n = rows.layout.n();
        double[][] table = newTable(n);
        float[] z = new float[rows.scores.length];
        for (int r = 0; r < rows.layout.rows(); r++) {
            int offset = r * n;
            forward(rows.scores, offset, n, table);
            int remaining = k;
            for (int i = n; i >= 1 && remaining > 0; i--) {
                double take = Math.exp(rows.scores[offset + i - 1] + table[i - 1][remaining - 1] - table[i][remaining]);
                if (remaining == i || random.nextDouble() < take) {
                    z[offset + i - 1] = 1f;
                    remaining--;
                }
            }
        }
        return TopKSolver.onDeviceOf(theta, z);
    }

    private double[][] newTable(int n) {
        return new double[n + 1][k + 1];
    }

    /** Fills {@code table[i][j] = log e_j(exp(theta_1..theta_i))} for the row at {@code offset}. */
    private void forward(float[] scores, int offset, int n, double[][] table) {
        table[0][0] = 0;
        for (int j = 1; j <= k; j++) {
            table[0][j] = Double.NEGATIVE_INFINITY;
        }
        for (int i = 1; i <= n; i++) {
            double score = scores[offset + i - 1];
            double[] prev = table[i - 1];
            double[] cur = table[i];
            cur[0] = 0;
            for (int j = 1; j <= k; j++) {
                cur[j] = logAddExp(prev[j], score + prev[j - 1]);
            }
        }
    }

    /** {@code log(exp(a) + exp(b))}, exact at {@code -inf}. */
    static double logAddExp(double a, double b) {
        double max = Math.max(a, b);
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    private static NDArray moveToDeviceOf(NDArray theta, NDArray result) {
        if (result.getDevice().equals(theta.getDevice())) {
            return result;
        }
        NDArray moved = result.toDevice(theta.getDevice(), false);
        result.close();
        moved.attach(theta.getManager());
        return moved;
    }

    /** Validated scores on the host. */
    private static final class Rows {
        final RowLayout layout;
        final float[] scores;

        private Rows(RowLayout layout, float[] scores) {
            this.layout = layout;
            this.scores = scores;
        }

        static Rows of(NDArray theta, int k) {
            RowLayout layout = RowLayout.of(OWNER, theta, k);
            float[] scores = theta.toFloatArray();
            Shapes.requireFinite("theta", scores, theta.getShape());
            return new Rows(layout, scores);
        }
    }

    @Override
    public String toString() {
        return "KSubsetDistribution[k=" + k + "]";
    }
}
