package dev.aimle.estimators.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.noise.Noise;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two-phase backward pass gives exact gradients: with an estimator whose backward is known
 * (g = mean over S of dL/dz), the upstream parameters must receive exactly {@code J^T g} and the
 * downstream parameters their exact gradient, both computed independently on the host in double
 * precision (and the latter also by finite differences). Tolerance: 1e-4 relative (float32).
 *
 * <p>Model: {@code theta = x W1} ([B, D] x [D, N]), {@code z = layer(theta)} ([B*S, N]),
 * {@code L = sum((z W2 - y)^2)} ([N, M]). Then {@code dL/dW2 = z^T 2r} with {@code r = z W2 - y},
 * {@code dL/dz = 2r W2^T}, {@code g_b = mean_s dL/dz_(b,s)} and {@code dL/dW1 = x^T g}.
 */
class DiscreteLayerTest {
    static final int B = 3;
    static final int D = 5;
    static final int N = 4;
    static final int M = 2;
    static final int S = 3;
    static final long SEED = 31;

    private NDManager manager;
    private SplittableRandom random;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        random = new SplittableRandom(SEED);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray gaussian(NDManager m, Shape shape) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return m.create(v, shape);
    }

    private NDArray parameter(Shape shape) {
        NDArray p = gaussian(manager, shape);
        p.setRequiresGradient(true);
        return p;
    }

    private DiscreteLayer layer(MeanOfDownstream estimator, int samples) {
        return DiscreteLayer.builder()
                .solver(new PositiveSolver())
                .noise(Noise.gumbel())
                .estimator(estimator)
                .samples(samples)
                .inputTemperature(0.7)
                .seed(SEED)
                .build();
    }

    /** Host values of the forward pass, for the hand-computed gradients. */
    private record Forward(double[][] x, double[][] z, double[][] w2, double[][] y) {}

    @Test
    void upstreamReceivesJTransposeGAndDownstreamItsExactGradient() {
        NDArray w1 = parameter(new Shape(D, N));
        NDArray w2 = parameter(new Shape(N, M));
        NDArray x = gaussian(manager, new Shape(B, D));
        NDArray y = gaussian(manager, new Shape(B * S, M));
        DiscreteLayer layer = layer(new MeanOfDownstream(), S);
        Forward f;
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = manager.getEngine().newGradientCollector()) {
            x.tempAttach(step);
            NDArray theta = x.matMul(w1);
            DiscreteSample z = layer.sample(theta);
            assertEquals(new Shape(B * S, N), z.values().getShape());
            assertEquals(DataType.FLOAT32, z.values().getDataType());
            assertTrue(z.values().hasGradient(), "the samples must be a leaf requiring a gradient");
            NDArray loss = z.values().matMul(w2).sub(y).square().sum();
            f = new Forward(rows(x), rows(z.values()), rows(w2), rows(y));
            layer.backward(gc, loss, z);
            assertTrue(z.isBackpropagated());
        }
        double[][] r = residual(f);
        double[][] expectedW2 = new double[N][M];
        double[][] dy = new double[B * S][N];
        for (int i = 0; i < B * S; i++) {
            for (int j = 0; j < N; j++) {
                for (int k = 0; k < M; k++) {
                    expectedW2[j][k] += f.z[i][j] * 2 * r[i][k];
                    dy[i][j] += 2 * r[i][k] * f.w2[j][k];
                }
            }
        }
        double[][] g = meanOverSamples(dy);
        double[][] expectedW1 = new double[D][N];
        for (int b = 0; b < B; b++) {
            for (int d = 0; d < D; d++) {
                for (int j = 0; j < N; j++) {
                    expectedW1[d][j] += f.x[b][d] * g[b][j];
                }
            }
        }
        assertClose(expectedW2, w2.getGradient(), "dL/dW2 (downstream), seed " + SEED);
        assertClose(expectedW1, w1.getGradient(), "dL/dW1 = x^T g (upstream), seed " + SEED);
        // an independent check of the hand derivation of dL/dW2: central finite differences, z fixed
        double h = 1e-5;
        for (int j = 0; j < N; j++) {
            for (int k = 0; k < M; k++) {
                double saved = f.w2[j][k];
                f.w2[j][k] = saved + h;
                double plus = hostLoss(f);
                f.w2[j][k] = saved - h;
                double minus = hostLoss(f);
                f.w2[j][k] = saved;
                assertEquals(
                        (plus - minus) / (2 * h),
                        expectedW2[j][k],
                        1e-5 * Math.max(1, Math.abs(expectedW2[j][k])),
                        "finite difference of L in W2[" + j + "][" + k + "], seed " + SEED);
            }
        }
        // the samples really vary: the Gumbel noise must have produced different z within an instance
        boolean varies = false;
        for (int b = 0; b < B; b++) {
            for (int s = 1; s < S; s++) {
                varies |= !Arrays.equals(f.z[b * S], f.z[b * S + s]);
            }
        }
        assertTrue(varies, "all S samples of every instance are equal, seed " + SEED);
    }

    @Test
    void aLeafThetaReceivesExactlyTheEstimate() {
        NDArray theta = parameter(new Shape(B, N));
        NDArray y = gaussian(manager, new Shape(B * S, N));
        DiscreteLayer layer = layer(new MeanOfDownstream(), S);
        double[][] dy;
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            DiscreteSample z = layer.sample(theta);
            NDArray residual = z.values().sub(y);
            dy = rows(Scalars.mul(residual, 2));
            layer.backward(gc, residual.square().sum(), z);
        }
        assertClose(meanOverSamples(dy), theta.getGradient(), "dL/dtheta = mean_s dL/dz, seed " + SEED);
    }

    @Test
    void scoresTermsAndSeveralLayersShareOneBackwardThroughTheEncoder() {
        NDArray w1 = parameter(new Shape(D, N));
        NDArray x = gaussian(manager, new Shape(B, D));
        NDArray y1 = gaussian(manager, new Shape(B * S, N));
        NDArray y2 = gaussian(manager, new Shape(B, N));
        DiscreteLayer first = layer(new MeanOfDownstream(), S);
        DiscreteLayer second = layer(new MeanOfDownstream(), 1);
        double[][] g1;
        double[][] g2;
        double[][] theta1;
        double[][] xs = rows(x);
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = manager.getEngine().newGradientCollector()) {
            x.tempAttach(step);
            NDArray h = x.matMul(w1);
            NDArray t2 = Scalars.mul(h, 2); // both thetas share the encoder's graph
            DiscreteSample z1 = first.sample(h);
            DiscreteSample z2 = second.sample(t2);
            NDArray r1 = z1.values().sub(y1);
            NDArray r2 = z2.values().sub(y2);
            g1 = meanOverSamples(rows(Scalars.mul(r1, 2)));
            g2 = rows(Scalars.mul(r2, 2));
            theta1 = rows(h);
            NDArray loss = r1.square().sum().add(r2.square().sum());
            NDArray kl = Scalars.mul(z1.scores().square().sum(), 0.5); // a term on theta itself: gradient theta1
            DiscreteBackward.builder().loss(loss.add(kl)).sample(z1).sample(z2).run(gc);
        }
        // dL/dh = g1 + 2 g2 + h
        double[][] expected = new double[D][N];
        for (int b = 0; b < B; b++) {
            for (int d = 0; d < D; d++) {
                for (int j = 0; j < N; j++) {
                    expected[d][j] += xs[b][d] * (g1[b][j] + 2 * g2[b][j] + theta1[b][j]);
                }
            }
        }
        assertClose(expected, w1.getGradient(), "dL/dW1 = x^T (g1 + 2 g2 + theta), seed " + SEED);
    }

    @Test
    void aLossThatDependsOnThetaDirectlyIsExplained() {
        NDArray w1 = parameter(new Shape(D, N));
        NDArray x = gaussian(manager, new Shape(B, D));
        DiscreteLayer layer = layer(new MeanOfDownstream(), 1);
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = manager.getEngine().newGradientCollector()) {
            x.tempAttach(step);
            NDArray theta = x.matMul(w1);
            DiscreteSample z = layer.sample(theta);
            NDArray loss = z.values().sum().add(theta.square().sum());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer.backward(gc, loss, z));
            assertTrue(e.getMessage().contains("sample.scores()"), e.getMessage());
        }
    }

    @Test
    void estimatorsThatNeedTheLossPerSampleGetIt() {
        NDArray theta = parameter(new Shape(B, N));
        MeanOfDownstream estimator = new MeanOfDownstream(true);
        DiscreteLayer layer = layer(estimator, S);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            DiscreteSample z = layer.sample(theta);
            NDArray perSample = z.values().sum(new int[] {1});
            NDArray loss = perSample.mean();
            IllegalArgumentException missing =
                    assertThrows(IllegalArgumentException.class, () -> layer.backward(gc, loss, z));
            assertTrue(missing.getMessage().contains("needs the loss of each sample"), missing.getMessage());
            assertFalse(z.isBackpropagated(), "a rejected backward must not consume the sample");
            IllegalArgumentException wrongShape = assertThrows(
                    IllegalArgumentException.class, () -> layer.backward(gc, loss, z, perSample.reshape(B * S, 1)));
            assertTrue(
                    wrongShape.getMessage().contains("(9, 1)")
                            && wrongShape.getMessage().contains("(9)"),
                    wrongShape.getMessage());
            float[] expected = perSample.toFloatArray();
            layer.backward(gc, loss, z, perSample);
            assertArrayEquals(expected, estimator.lastLossPerSample, "losses per sample passed on, seed " + SEED);
        }
        // dL/dz = 1/(B*S) for every entry, so g = 1/(B*S)
        double[][] expected = new double[B][N];
        for (double[] row : expected) {
            Arrays.fill(row, 1.0 / (B * S));
        }
        assertClose(expected, theta.getGradient(), "dL/dtheta, seed " + SEED);
    }

    @Test
    void aSampleIsBackpropagatedOnceAndNotAfterClose() {
        NDArray theta = parameter(new Shape(B, N));
        DiscreteLayer layer = layer(new MeanOfDownstream(), 1);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            DiscreteSample z = layer.sample(theta);
            layer.backward(gc, z.values().sum(), z);
            IllegalStateException twice = assertThrows(
                    IllegalStateException.class,
                    () -> layer.backward(gc, z.values().sum(), z));
            assertTrue(twice.getMessage().contains("already backpropagated"), twice.getMessage());
            DiscreteSample closed = layer.sample(theta);
            NDArray loss = theta.sum();
            closed.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer.backward(gc, loss, closed));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void sampleAndBackwardLeaveNoArraysBehind() {
        NDArray w1 = parameter(new Shape(D, N));
        NDArray w2 = parameter(new Shape(N, M));
        NDArray x = gaussian(manager, new Shape(B, D));
        DiscreteLayer layer = layer(new MeanOfDownstream(), S);
        for (int round = 0; round < 3; round++) {
            int before = manager.getManagedArrays().size();
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray theta = x.matMul(w1);
                int withTheta = manager.getManagedArrays().size();
                DiscreteSample z = layer.sample(theta);
                assertSame(manager, theta.getManager());
                NDArray prediction = z.values().matMul(w2);
                NDArray loss = prediction.sum();
                int beforeBackward = manager.getManagedArrays().size();
                layer.backward(gc, loss, z);
                assertEquals(
                        beforeBackward,
                        manager.getManagedArrays().size(),
                        "the backward pass must close its temporaries (round " + round + ")");
                prediction.close();
                loss.close();
                z.close();
                assertEquals(
                        withTheta,
                        manager.getManagedArrays().size(),
                        "closing the sample frees everything it created (round " + round + ")");
                theta.close();
            }
            w1.getGradient().close();
            w2.getGradient().close();
            assertEquals(before, manager.getManagedArrays().size(), "round " + round);
        }
    }

    @Test
    void repeatLaysOutInstancesLikeTheSamples() {
        NDArray theta = parameter(new Shape(2, N));
        DiscreteLayer layer = layer(new MeanOfDownstream(), 3);
        DiscreteSample z = layer.sample(theta);
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        assertArrayEquals(
                new float[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, z.repeat(x).toFloatArray());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> z.repeat(manager.zeros(new Shape(3, 2), DataType.FLOAT32)));
        assertTrue(e.getMessage().contains("batch size 2"), e.getMessage());
    }

    @Test
    void sameSeedSameSamples() {
        NDArray theta = gaussian(manager, new Shape(B, N));
        float[] a = layer(new MeanOfDownstream(), S).sample(theta).values().toFloatArray();
        float[] b = layer(new MeanOfDownstream(), S).sample(theta).values().toFloatArray();
        assertArrayEquals(a, b, "seed " + SEED);
    }

    @Test
    void twoUnseededLayersDrawDifferentNoiseAndSayWhichSeed() {
        NDArray theta = gaussian(manager, new Shape(B, N));
        DiscreteLayer a = unseeded();
        DiscreteLayer b = unseeded();
        assertFalse(a.seed() == b.seed(), "seeds " + a.seed() + " and " + b.seed());
        assertFalse(Arrays.equals(
                a.sample(theta).values().toFloatArray(),
                b.sample(theta).values().toFloatArray()));
        assertTrue(a.toString().contains("seed " + a.seed()), a.toString());
    }

    private DiscreteLayer unseeded() {
        return DiscreteLayer.builder()
                .solver(new PositiveSolver())
                .noise(Noise.gumbel())
                .estimator(new MeanOfDownstream())
                .samples(S)
                .build();
    }

    @Test
    void mapIsTheNoiselessStateAndDrawsNoRandomNumbers() {
        NDArray theta = gaussian(manager, new Shape(B, N));
        DiscreteLayer evaluated = layer(new MeanOfDownstream(), S);
        DiscreteLayer untouched = layer(new MeanOfDownstream(), S);
        float[] first = evaluated.sample(theta).values().toFloatArray();
        assertArrayEquals(first, untouched.sample(theta).values().toFloatArray());
        NDArray z = evaluated.map(theta);
        assertEquals(new Shape(B, N), z.getShape(), "one MAP state per instance");
        assertArrayEquals(new PositiveSolver().solve(theta).toFloatArray(), z.toFloatArray());
        assertEquals(1, evaluated.state().draws(), "map draws nothing");
        assertArrayEquals(
                untouched.sample(theta).values().toFloatArray(),
                evaluated.sample(theta).values().toFloatArray(),
                "the draw after an evaluation is the draw without it, seed " + SEED);
    }

    @Test
    void aRestoredStateDrawsTheSameNoise() {
        NDArray theta = gaussian(manager, new Shape(B, N));
        DiscreteLayer original = layer(new MeanOfDownstream(), S);
        for (int i = 0; i < 3; i++) {
            original.sample(theta).close();
        }
        DiscreteLayer resumed = layer(new MeanOfDownstream(), S);
        resumed.restoreState(original.state());
        assertEquals(original.state(), resumed.state());
        assertArrayEquals(
                original.sample(theta).values().toFloatArray(),
                resumed.sample(theta).values().toFloatArray());
        DiscreteLayer other = DiscreteLayer.builder()
                .solver(new PositiveSolver())
                .noise(Noise.gumbel())
                .estimator(new MeanOfDownstream())
                .seed(SEED + 1)
                .build();
        LayerState before = other.state();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> other.restoreState(original.state()));
        assertTrue(e.getMessage().contains("seed " + SEED), e.getMessage());
        assertTrue(e.getMessage().contains("built with .seed(" + (SEED + 1) + ")"), e.getMessage());
        assertEquals(before, other.state(), "a refused state changes nothing");
        // a layer built without a seed takes the saved one and draws what the original draws
        DiscreteLayer unseeded = DiscreteLayer.builder()
                .solver(new PositiveSolver())
                .noise(Noise.gumbel())
                .estimator(new MeanOfDownstream())
                .samples(S)
                .inputTemperature(0.7)
                .build();
        unseeded.restoreState(original.state());
        assertEquals(SEED, unseeded.seed());
        assertEquals(original.state(), unseeded.state());
        assertArrayEquals(
                original.sample(theta).values().toFloatArray(),
                unseeded.sample(theta).values().toFloatArray(),
                "the draw after restoring, seed " + SEED);
    }

    @Test
    void builderNamesWhatIsMissing() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> DiscreteLayer.builder().solver(new PositiveSolver()).build());
        assertTrue(e.getMessage().contains("noise(...)") && e.getMessage().contains("estimator(...)"), e.getMessage());
        IllegalArgumentException samples = assertThrows(
                IllegalArgumentException.class, () -> DiscreteLayer.builder().samples(0));
        assertTrue(samples.getMessage().contains("samples (0)"), samples.getMessage());
        IllegalArgumentException temperature = assertThrows(
                IllegalArgumentException.class,
                () -> DiscreteLayer.builder()
                        .solver(new PositiveSolver())
                        .noise(Noise.none())
                        .estimator(new MeanOfDownstream())
                        .inputTemperature(-1)
                        .build());
        assertTrue(temperature.getMessage().contains("inputTemperature (-1.0)"), temperature.getMessage());
    }

    // ---- host arithmetic -------------------------------------------------------------------

    private static double[][] rows(NDArray a) {
        Shape shape = a.getShape();
        int cols = (int) shape.get(1);
        float[] v = a.toFloatArray();
        double[][] r = new double[v.length / cols][cols];
        for (int i = 0; i < v.length; i++) {
            r[i / cols][i % cols] = v[i];
        }
        return r;
    }

    private static double[][] residual(Forward f) {
        double[][] r = new double[f.z.length][M];
        for (int i = 0; i < f.z.length; i++) {
            for (int k = 0; k < M; k++) {
                double p = 0;
                for (int j = 0; j < N; j++) {
                    p += f.z[i][j] * f.w2[j][k];
                }
                r[i][k] = p - f.y[i][k];
            }
        }
        return r;
    }

    private static double hostLoss(Forward f) {
        double loss = 0;
        for (double[] row : residual(f)) {
            for (double v : row) {
                loss += v * v;
            }
        }
        return loss;
    }

    /** The mean over the S consecutive rows of each instance. */
    private static double[][] meanOverSamples(double[][] perSample) {
        int s = S;
        double[][] g = new double[perSample.length / s][perSample[0].length];
        for (int i = 0; i < perSample.length; i++) {
            for (int j = 0; j < perSample[0].length; j++) {
                g[i / s][j] += perSample[i][j] / s;
            }
        }
        return g;
    }

    static void assertClose(double[][] expected, NDArray actual, String what) {
        float[] v = actual.toFloatArray();
        int cols = expected[0].length;
        assertEquals(expected.length * cols, v.length, what + ": size");
        for (int i = 0; i < v.length; i++) {
            double e = expected[i / cols][i % cols];
            assertEquals(e, v[i], 1e-4 * Math.max(1, Math.abs(e)), what + " at [" + i / cols + "][" + i % cols + "]");
        }
    }
}
