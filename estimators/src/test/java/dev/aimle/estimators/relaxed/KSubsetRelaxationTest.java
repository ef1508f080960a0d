package dev.aimle.estimators.relaxed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.aimle.solvers.topk.TopKSolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * L2X and SoftSub against their definitions, computed independently here in double precision on
 * plain arrays: the values (tolerance 1e-5), the gradients of a weighted sum of the outputs against
 * central finite differences of the double-precision definition (step 1e-4, tolerance 2e-3 relative
 * to the largest entry), masking, the low-temperature limit, and the block's evaluation path and
 * resumable noise stream. Seeds are fixed and in the messages.
 */
class KSubsetRelaxationTest {
    private static final int B = 3;
    private static final int N = 7;
    private static final int K = 3;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** L2X by its definition: max over j of softmax((theta + g_j) / t), masked positions excluded. */
    static double[][] l2xDefinition(double[][] theta, double[][][] g, boolean[][] mask, double t) {
        double[][] y = new double[theta.length][theta[0].length];
        for (double[][] draw : g) {
            for (int b = 0; b < theta.length; b++) {
                double[] keys = new double[theta[b].length];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = mask[b][i] ? (theta[b][i] + draw[b][i]) / t : Double.NEGATIVE_INFINITY;
                }
                double[] c = softmax(keys);
                for (int i = 0; i < keys.length; i++) {
                    y[b][i] = Math.max(y[b][i], c[i]);
                }
            }
        }
        return y;
    }

    /** SoftSub by Xie and Ermon's Algorithm 1. */
    static double[][] softSubDefinition(double[][] theta, double[][] g, boolean[][] mask, int k, double t) {
        double[][] y = new double[theta.length][theta[0].length];
        for (int b = 0; b < theta.length; b++) {
            int n = theta[b].length;
            double[] alpha = new double[n];
            for (int i = 0; i < n; i++) {
                alpha[i] = mask[b][i] ? theta[b][i] + g[b][i] : Double.NEGATIVE_INFINITY;
            }
            for (int j = 0; j < k; j++) {
                double[] scaled = new double[n];
                for (int i = 0; i < n; i++) {
                    scaled[i] = alpha[i] / t;
                }
                double[] a = softmax(scaled);
                for (int i = 0; i < n; i++) {
                    y[b][i] += a[i];
                    alpha[i] += Math.log(Math.max(1 - a[i], Float.MIN_NORMAL));
                }
            }
        }
        return y;
    }

    private static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    private static double[][] gaussian(SplittableRandom random, int rows, int cols, double scale) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int i = 0; i < cols; i++) {
                row[i] = scale * random.nextGaussian();
            }
        }
        return x;
    }

    private static double[][] gumbel(SplittableRandom random, int rows, int cols) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int i = 0; i < cols; i++) {
                row[i] = -Math.log(-Math.log(random.nextDouble(1e-12, 1)));
            }
        }
        return x;
    }

    private NDArray array(double[]... rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < rows[r].length; i++) {
                flat[r * rows[r].length + i] = (float) rows[r][i];
            }
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    private NDArray mask(boolean[][] mask) {
        boolean[] flat = new boolean[B * N];
        for (int b = 0; b < B; b++) {
            System.arraycopy(mask[b], 0, flat, b * N, N);
        }
        return manager.create(flat, new Shape(B, N));
    }

    private static boolean[][] someMasked() {
        boolean[][] mask = new boolean[B][N];
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < N; i++) {
                mask[b][i] = (i + b) % 4 != 0;
            }
        }
        return mask;
    }

    /** Inputs for one relaxation: theta, its noise (in the layout {@code apply} takes) and the mask. */
    private record Case(double[][] theta, double[][][] noise, boolean[][] mask) {}

    private static Case newCase(KSubsetRelaxation r, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] theta = gaussian(random, B, N, 1.5);
        int draws = r == KSubsetRelaxation.L2X ? K : 1;
        double[][][] noise = new double[draws][][];
        for (int j = 0; j < draws; j++) {
            noise[j] = gumbel(random, B, N);
        }
        return new Case(theta, noise, someMasked());
    }

    private static double[][] definition(KSubsetRelaxation r, Case c, double[][] theta, double t) {
        return r == KSubsetRelaxation.L2X
                ? l2xDefinition(theta, c.noise(), c.mask(), t)
                : softSubDefinition(theta, c.noise()[0], c.mask(), K, t);
    }

    private NDArray noise(KSubsetRelaxation r, Case c) {
        if (r == KSubsetRelaxation.SOFTSUB) {
            return array(c.noise()[0]);
        }
        NDList draws = new NDList();
        for (double[][] draw : c.noise()) {
            draws.add(array(draw).expandDims(0));
        }
        return NDArrays.concat(draws, 0);
    }

    @ParameterizedTest
    @EnumSource(KSubsetRelaxation.class)
    void valuesMatchTheDefinition(KSubsetRelaxation r) {
        for (double t : new double[] {0.1, 0.5, 1, 2}) {
            long seed = 11 + Math.round(10 * t);
            Case c = newCase(r, seed);
            float[] got =
                    r.apply(array(c.theta()), noise(r, c), mask(c.mask()), K, t).toFloatArray();
            double[][] want = definition(r, c, c.theta(), t);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < N; i++) {
                    assertEquals(
                            want[b][i], got[b * N + i], 1e-5, r + " t=" + t + " seed " + seed + " at " + b + "," + i);
                    if (!c.mask()[b][i]) {
                        assertEquals(0f, got[b * N + i], r + ": a masked position has weight 0");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KSubsetRelaxation.class)
    void gradientsMatchFiniteDifferencesOfTheDefinition(KSubsetRelaxation r) {
        long seed = 29;
        double t = 0.7;
        Case c = newCase(r, seed);
        double[][] w = gaussian(new SplittableRandom(seed + 1), B, N, 1);
        NDArray theta = array(c.theta());
        theta.setRequiresGradient(true);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            NDArray y = r.apply(theta, noise(r, c), mask(c.mask()), K, t);
            gc.backward(y.mul(array(w)).sum());
        }
        float[] grad = theta.getGradient().toFloatArray();
        double h = 1e-4;
        double[] numeric = new double[B * N];
        double largest = 0;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < N; i++) {
                double[][] plus = copy(c.theta());
                double[][] minus = copy(c.theta());
                plus[b][i] += h;
                minus[b][i] -= h;
                numeric[b * N + i] = (dot(w, definition(r, c, plus, t)) - dot(w, definition(r, c, minus, t))) / (2 * h);
                largest = Math.max(largest, Math.abs(numeric[b * N + i]));
            }
        }
        assertTrue(largest > 1e-2, "a non-trivial gradient (largest " + largest + ")");
        for (int j = 0; j < numeric.length; j++) {
            assertEquals(numeric[j], grad[j], 2e-3 * largest, r + " seed " + seed + " entry " + j);
            if (!c.mask()[j / N][j % N]) {
                assertEquals(0f, grad[j], r + ": no gradient at a masked position");
            }
        }
    }

    private static double[][] copy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
        }
        return y;
    }

    private static double dot(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                s += a[i][j] * b[i][j];
            }
        }
        return s;
    }

    @Test
    void softSubRowsSumToKAndTendToTheTopKOfTheKeysAsTheTemperatureFalls() {
        Case c = newCase(KSubsetRelaxation.SOFTSUB, 41);
        NDArray theta = array(c.theta());
        NDArray noise = array(c.noise()[0]);
        float[] sums = KSubsetRelaxation.SOFTSUB
                .apply(theta, noise, mask(c.mask()), K, 1.0)
                .sum(new int[] {1})
                .toFloatArray();
        for (float s : sums) {
            assertEquals(K, s, 1e-4, "row sum");
        }
        for (KSubsetRelaxation r : KSubsetRelaxation.values()) {
            // L2X draws k keys per position; its limit is the union of the k argmaxes, at most k positions
            NDArray rNoise = r == KSubsetRelaxation.SOFTSUB ? noise : noise(r, newCase(r, 41));
            float[] cold = r.apply(theta, rNoise, null, K, 1e-5).toFloatArray();
            for (float v : cold) {
                assertTrue(v < 1e-3 || v > 1 - 1e-3, r + ": at t = 1e-5 every entry is 0 or 1, got " + v);
            }
        }
        float[] cold =
                KSubsetRelaxation.SOFTSUB.apply(theta, noise, null, K, 1e-5).toFloatArray();
        float[] topk = new TopKSolver(K).solve(theta.add(noise)).toFloatArray();
        for (int j = 0; j < cold.length; j++) {
            assertEquals(topk[j], cold[j], 1e-3, "SoftSub at t = 1e-5 is the top-k of theta + g, entry " + j);
        }
    }

    @Test
    void saturatedSoftmaxesGiveFiniteGradients() {
        // keys 40 apart: the first softmax is exactly one-hot in float32, 1 - a rounds to 0
        float[] keys = new float[N];
        for (int i = 0; i < N; i++) {
            keys[i] = 40f * (N - i);
        }
        NDArray theta = manager.create(keys, new Shape(1, N));
        theta.setRequiresGradient(true);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            NDArray y = KSubsetRelaxation.SOFTSUB.apply(theta, manager.zeros(new Shape(1, N)), null, K, 1);
            gc.backward(y.mul(manager.arange(1f, N + 1f).reshape(1, N)).sum());
        }
        for (float g : theta.getGradient().toFloatArray()) {
            assertTrue(Float.isFinite(g), "gradient " + g);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
        NDArray theta = manager.zeros(new Shape(B, N), DataType.FLOAT32);
        NDArray noise = manager.zeros(new Shape(B, N), DataType.FLOAT32);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> KSubsetRelaxation.SOFTSUB.apply(theta, noise, null, N + 1, 1));
        assertTrue(e.getMessage().contains("k (8)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KSubsetRelaxation.L2X.apply(theta, noise, null, K, 1));
        assertTrue(e.getMessage().contains("(3, 3, 7)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> KSubsetRelaxation.SOFTSUB.apply(theta, noise, null, K, 0));
        assertTrue(e.getMessage().contains("temperature (0.0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KSubsetRelaxation.parse("gumbel"));
        assertEquals(KSubsetRelaxation.L2X, KSubsetRelaxation.parse(" L2X"));
    }

    @Test
    void theBlockEvaluatesWithTheMaskedTopKAndResumesItsNoiseStream() throws Exception {
        Case c = newCase(KSubsetRelaxation.L2X, 53);
        NDArray theta = array(c.theta());
        NDArray mask = mask(c.mask());
        RelaxedSubsetBlock a = new RelaxedSubsetBlock(KSubsetRelaxation.L2X, new TopKSolver(K), K, 0.5, 7);
        ParameterStore store = new ParameterStore(manager, false);
        a.initialize(manager, DataType.FLOAT32, theta.getShape(), mask.getShape());
        float[] z = a.forward(store, new NDList(theta, mask), false)
                .singletonOrThrow()
                .toFloatArray();
        for (int b = 0; b < B; b++) {
            int chosen = 0;
            for (int i = 0; i < N; i++) {
                chosen += (int) z[b * N + i];
                assertTrue(c.mask()[b][i] || z[b * N + i] == 0, "a masked position is never chosen");
            }
            assertEquals(K, chosen, "row " + b);
        }
        assertEquals(0, a.draws(), "evaluation draws no noise");
        a.forward(store, new NDList(theta, mask), true);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(saved)) {
            a.saveParameters(out);
        }
        float[] next = a.forward(store, new NDList(theta, mask), true)
                .singletonOrThrow()
                .toFloatArray();
        RelaxedSubsetBlock b = new RelaxedSubsetBlock(KSubsetRelaxation.L2X, new TopKSolver(K), K, 0.5, 7);
        b.initialize(manager, DataType.FLOAT32, theta.getShape(), mask.getShape());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.toByteArray()))) {
            b.loadParameters(manager, in);
        }
        assertArrayEquals(
                next,
                b.forward(store, new NDList(theta, mask), true)
                        .singletonOrThrow()
                        .toFloatArray());
    }
}
