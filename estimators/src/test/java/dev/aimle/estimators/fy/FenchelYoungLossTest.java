package dev.aimle.estimators.fy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimle.api.MapSolver;
import dev.aimle.estimators.noise.GumbelNoise;
import org.junit.jupiter.api.Test;

class FenchelYoungLossTest {

    /** argmax (or argmin) of each row as a one-hot vector; ties to the lower index. */
    static final class OneHot implements MapSolver {
        private final boolean minimise;

        OneHot(boolean minimise) {
            this.minimise = minimise;
        }

        @Override
        public NDArray solve(NDArray theta) {
            float[] values = theta.toFloatArray();
            long n = theta.getShape().get(theta.getShape().dimension() - 1);
            float[] out = new float[values.length];
            for (int row = 0; row < values.length / n; row++) {
                int best = 0;
                for (int j = 1; j < n; j++) {
                    float v = values[(int) (row * n + j)];
                    float b = values[(int) (row * n + best)];
                    if (minimise ? v < b : v > b) {
                        best = j;
                    }
                }
                out[(int) (row * n + best)] = 1;
            }
            return theta.getManager().create(out, theta.getShape());
        }

        @Override
        public Sense sense() {
            return minimise ? Sense.MINIMISE : Sense.MAXIMISE;
        }

        @Override
        public String name() {
            return minimise ? "argmin" : "argmax";
        }
    }

    private static final double[] THETA = {0.5, -1.0, 1.2, 0.0};

    @Test
    void argmaxWithGumbelNoiseGivesSoftmaxMarginals() {
        // Gumbel-max: E[onehot(argmax(theta + eps))] = softmax(theta), so grad = softmax(theta) - y exactly
        FenchelYoungLoss fy = FenchelYoungLoss.builder()
                .solver(new OneHot(false))
                .noise(new GumbelNoise())
                .sigma(1)
                .samples(200_000)
                .seed(17)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta = manager.create(toFloat(THETA), new Shape(1, 4));
            NDArray y = manager.create(new float[] {0, 1, 0, 0}, new Shape(1, 4));
            FenchelYoungLoss.Evaluation e = fy.evaluate(theta, y);
            double[] softmax = softmax(THETA);
            float[] gradient = e.gradient().toFloatArray();
            for (int j = 0; j < 4; j++) {
                // 200,000 Bernoulli draws: standard error at most 0.0012; 5 of them
                assertEquals(softmax[j] - (j == 1 ? 1 : 0), gradient[j], 0.006, "entry " + j + " (seed 17)");
            }
        }
    }

    @Test
    void twoWayChoiceWithNormalNoiseMatchesTheGaussianClosedForm() {
        // argmax of (t1 + s e1, t2 + s e2): P(first) = Phi((t1 - t2) / (s sqrt 2)); argmin mirrors it
        double t1 = 0.3;
        double t2 = -0.4;
        double sigma = 0.7;
        double first = phi((t1 - t2) / (sigma * Math.sqrt(2)));
        for (boolean minimise : new boolean[] {false, true}) {
            FenchelYoungLoss fy = FenchelYoungLoss.builder()
                    .solver(new OneHot(minimise))
                    .sigma(sigma)
                    .samples(200_000)
                    .seed(5)
                    .build();
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray theta = manager.create(new float[] {(float) t1, (float) t2}, new Shape(1, 2));
                NDArray y = manager.create(new float[] {1, 0}, new Shape(1, 2));
                FenchelYoungLoss.Evaluation e = fy.evaluate(theta, y);
                double expectedFirst = minimise ? 1 - first : first;
                assertEquals(expectedFirst, e.expectation().toFloatArray()[0], 0.006, "minimise " + minimise);
                // max: grad = yhat - y; min: grad = y - yhat
                double sign = minimise ? -1 : 1;
                float[] g = e.gradient().toFloatArray();
                assertEquals(sign * (expectedFirst - 1), g[0], 0.006, "minimise " + minimise);
                assertEquals(sign * (1 - expectedFirst), g[1], 0.006, "minimise " + minimise);
            }
        }
    }

    @Test
    void lossIsZeroWhenTheTargetWinsEveryDrawAndPositiveOtherwise() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta = manager.create(new float[] {5, 0, 0, 0, 0, 5}, new Shape(2, 3));
            NDArray right = manager.create(new float[] {1, 0, 0, 0, 0, 1}, new Shape(2, 3));
            NDArray wrong = manager.create(new float[] {0, 1, 0, 1, 0, 0}, new Shape(2, 3));
            FenchelYoungLoss fy = FenchelYoungLoss.builder()
                    .solver(new OneHot(false))
                    .sigma(0.01)
                    .samples(20)
                    .seed(1)
                    .build();
            FenchelYoungLoss.Evaluation ok = fy.evaluate(theta, right);
            assertArrayEquals(new float[] {0, 0}, ok.lossPerInstance().toFloatArray(), 0f);
            assertArrayEquals(new float[6], ok.gradient().toFloatArray(), 0f);
            float[] bad = fy.evaluate(theta, wrong).lossPerInstance().toFloatArray();
            // <z - y, theta + eps> = 5 - 0 up to the noise of scale 0.01
            assertEquals(5, bad[0], 0.1);
            assertEquals(5, bad[1], 0.1);
            // for a minimiser with the same theta the target {1,0,0} is the worst state: loss 5
            FenchelYoungLoss min = FenchelYoungLoss.builder()
                    .solver(new OneHot(true))
                    .sigma(0.01)
                    .samples(5)
                    .seed(1)
                    .build();
            assertEquals(5, min.evaluate(theta, right).lossPerInstance().toFloatArray()[0], 0.1);
        }
    }

    @Test
    void lossPushesItsGradientThroughThetaDividedByTheBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta = manager.create(new float[] {0.2f, 0.1f, -0.3f, 1f, 0f, 0.5f}, new Shape(2, 3));
            NDArray y = manager.create(new float[] {0, 0, 1, 0, 1, 0}, new Shape(2, 3));
            FenchelYoungLoss twin = FenchelYoungLoss.builder()
                    .solver(new OneHot(false))
                    .samples(7)
                    .seed(9)
                    .build();
            FenchelYoungLoss.Evaluation expected = twin.evaluate(theta, y);
            FenchelYoungLoss fy = FenchelYoungLoss.builder()
                    .solver(new OneHot(false))
                    .samples(7)
                    .seed(9)
                    .build();
            theta.setRequiresGradient(true);
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray loss = fy.loss(theta, y);
                assertEquals(expected.lossPerInstance().mean().getFloat(), loss.getFloat(), 1e-6f);
                gc.backward(loss);
            }
            float[] g = expected.gradient().toFloatArray();
            float[] got = theta.getGradient().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                assertEquals(g[i] / 2, got[i], 1e-6f, "entry " + i);
            }
            assertEquals(1, fy.draws());
        }
    }

    @Test
    void sameSeedAndDrawsGiveTheSameNoise() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta = manager.randomNormal(0, 1, new Shape(3, 5), DataType.FLOAT32);
            NDArray y = manager.create(new float[] {1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, new Shape(3, 5));
            FenchelYoungLoss a = FenchelYoungLoss.builder()
                    .solver(new OneHot(false))
                    .samples(3)
                    .seed(4)
                    .build();
            FenchelYoungLoss b = FenchelYoungLoss.builder()
                    .solver(new OneHot(false))
                    .samples(3)
                    .seed(4)
                    .build();
            a.evaluate(theta, y);
            float[] second = a.evaluate(theta, y).lossPerInstance().toFloatArray();
            b.restoreDraws(1);
            assertArrayEquals(second, b.evaluate(theta, y).lossPerInstance().toFloatArray(), 0f);
        }
    }

    @Test
    void refusesBadInput() {
        FenchelYoungLoss fy =
                FenchelYoungLoss.builder().solver(new OneHot(false)).seed(1).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta = manager.create(new float[] {0, Float.NaN}, new Shape(1, 2));
            NDArray y = manager.create(new float[] {1, 0}, new Shape(1, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fy.evaluate(theta, y));
            assertTrue(e.getMessage().contains("theta"), e.getMessage());
            NDArray other = manager.create(new float[] {1, 0, 0}, new Shape(1, 3));
            e = assertThrows(IllegalArgumentException.class, () -> fy.evaluate(theta, other));
            assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("(1, 2)"), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class, () -> FenchelYoungLoss.builder().sigma(0));
        assertThrows(
                IllegalArgumentException.class, () -> FenchelYoungLoss.builder().samples(0));
        assertThrows(
                IllegalStateException.class, () -> FenchelYoungLoss.builder().build());
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] softmax(double[] theta) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : theta) {
            max = Math.max(max, t);
        }
        double sum = 0;
        double[] out = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            out[i] = Math.exp(theta[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < theta.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** The standard normal CDF, via erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7). */
    private static double phi(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1
                - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
