package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.grid.GridDijkstra;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteSample;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The estimators' sign with a minimising solver, on a 3x3 grid whose gradient is known exactly: the
 * session's wiring (its estimator, layer and solver views) against the estimate computed here from
 * the formulas with an independent call of the oracle. Noise none, S = 1, B = 1, Hamming loss, so
 * dL/dz = 1 - 2y. A sensible gradient for costs makes gradient descent raise the costs of the
 * wrongly chosen cells and lower those of the missed ones, so {@code <g, z - y>} is negative.
 */
class MinimisingSignTest {
    private static final int K = 3;
    // costs: the diagonal 0-4-8 is the cheapest path (3); the target is the top row then down
    private static final float[] THETA = {1, 1.5f, 2, 6, 1, 2, 6, 6, 1};
    private static final float[] TARGET = {1, 1, 1, 0, 0, 1, 0, 0, 1};

    private static float[] argmin(float[] costs) {
        float[] clamped = new float[costs.length];
        for (int i = 0; i < costs.length; i++) {
            clamped[i] = Math.max(costs[i], 0);
        }
        float[] out = new float[costs.length];
        new GridDijkstra(true).solve(clamped, 0, K, K, out, 0);
        return out;
    }

    private static float[] plus(float[] theta, double scale, float[] dy) {
        float[] out = new float[theta.length];
        for (int i = 0; i < theta.length; i++) {
            out[i] = (float) (theta[i] + scale * dy[i]);
        }
        return out;
    }

    private static float[] dy() {
        float[] dy = new float[TARGET.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = 1 - 2 * TARGET[i];
        }
        return dy;
    }

    /** The estimate of the session's layer for a spec, through DiscreteLayer's own backward. */
    private static float[] estimate(WarcraftSpec spec) {
        GradientEstimator estimator = WarcraftSession.estimator(spec);
        MapSolver solver = new DijkstraSolver();
        DiscreteLayer layer = WarcraftSession.layer(spec, estimator, solver, K);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta = manager.create(THETA, new Shape(1, K, K));
            theta.setRequiresGradient(true);
            NDArray y = manager.create(TARGET, new Shape(1, K, K));
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                DiscreteSample z = layer.sample(theta);
                NDArray loss = PathMetrics.hammingLoss(z.values(), y);
                layer.backward(gc, loss, z);
            }
            return theta.getGradient().toFloatArray();
        }
    }

    private static double alignment(float[] g, float[] z) {
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            sum += g[i] * (z[i] - TARGET[i]);
        }
        return sum;
    }

    private static WarcraftSpec spec(WarcraftMethod method, double lambda) {
        return WarcraftSpec.defaults(method, "data").withPerturbation(method.usesLambda() ? lambda : 0, "none", 1);
    }

    @Test
    void dbbAndImleForwardMoveTheTargetAlongPlusDyAndFlipTheSign() {
        float[] z = argmin(THETA);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, z, "the diagonal is the cheapest");
        float[] zTarget = argmin(plus(THETA, 20, dy()));
        float[] expected = new float[9];
        for (int i = 0; i < 9; i++) {
            expected[i] = -(z[i] - zTarget[i]) / 20f;
        }
        for (WarcraftMethod method : List.of(WarcraftMethod.DBB, WarcraftMethod.IMLE_FORWARD)) {
            float[] g = estimate(spec(method, 20));
            assertArrayEquals(expected, g, 1e-6f, method.id());
            assertTrue(alignment(g, z) < 0, method + ": <g, z - y> = " + alignment(g, z));
        }
    }

    @Test
    void imleCentralUsesBothTargets() {
        float[] low = argmin(plus(THETA, -5, dy()));
        float[] high = argmin(plus(THETA, 5, dy()));
        float[] expected = new float[9];
        for (int i = 0; i < 9; i++) {
            expected[i] = -(low[i] - high[i]) / 10f;
        }
        float[] g = estimate(spec(WarcraftMethod.IMLE_CENTRAL, 5));
        assertArrayEquals(expected, g, 1e-6f);
        assertTrue(alignment(g, argmin(THETA)) < 0, "<g, z - y> = " + alignment(g, argmin(THETA)));
    }

    @Test
    void aimleWithItsAdaptiveLambda() {
        // alpha0 = 1: lambda = ||theta|| / ||dy|| over the batch
        WarcraftSpec spec = new WarcraftSpec(
                WarcraftMethod.AIMLE_FORWARD,
                0,
                "none",
                1,
                1,
                1,
                1e-3,
                1.0,
                "instance",
                1,
                1,
                5e-4,
                List.of(30, 40),
                70,
                50,
                0,
                0,
                1,
                "data",
                null,
                null);
        double thetaNorm = 0;
        for (float t : THETA) {
            thetaNorm += t * t;
        }
        double lambda = Math.sqrt(thetaNorm) / 3; // ||dy|| = sqrt(9)
        float[] z = argmin(THETA);
        float[] zTarget = argmin(plus(THETA, lambda, dy()));
        float[] expected = new float[9];
        for (int i = 0; i < 9; i++) {
            expected[i] = (float) (-(z[i] - zTarget[i]) / lambda);
        }
        float[] g = estimate(spec);
        assertArrayEquals(expected, g, 1e-5f);
        assertTrue(alignment(g, z) < 0, "<g, z - y> = " + alignment(g, z));
    }

    @Test
    void steGivesMinusDyForTheMinimiser() {
        // STE reads the solver's sense: the identity on argmax <z, -theta> carries the minus sign
        float[] g = estimate(WarcraftSpec.defaults(WarcraftMethod.STE, "data").withPerturbation(0, "none", 1));
        float[] dy = dy();
        for (int i = 0; i < 9; i++) {
            assertEquals(-dy[i], g[i], 1e-6f, "cell " + i);
        }
        assertTrue(alignment(g, argmin(THETA)) < 0);
    }
}
