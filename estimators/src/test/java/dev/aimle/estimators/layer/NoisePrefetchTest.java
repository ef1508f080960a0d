package dev.aimle.estimators.layer;

import static dev.aimle.estimators.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drawing the next noise in the background changes no number: a layer with prefetching and one
 * without, from the same seed, draw the same noise and states step after step, across a change of
 * batch size, a restored state and a noiseless evaluation in between.
 */
class NoisePrefetchTest {
    private static final long SEED = 77;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static DiscreteLayer layer(boolean prefetch) {
        return DiscreteLayer.builder()
                .solver(new TopKSolver(2))
                .noise(Noise.sumOfGamma(2))
                .estimator(Estimators.aimle().central().build())
                .samples(2)
                .seed(SEED)
                .prefetchNoise(prefetch)
                .build();
    }

    @Test
    void prefetchedNoiseIsTheNoiseDrawnOnTheSpot() {
        DiscreteLayer prefetching = layer(true);
        DiscreteLayer plain = layer(false);
        int[] batches = {4, 4, 3, 3, 5, 5, 5};
        for (int step = 0; step < batches.length; step++) {
            if (step == 5) {
                LayerState earlier = plain.state();
                prefetching.restoreState(new LayerState(SEED, earlier.draws() - 2, earlier.estimator()));
                plain.restoreState(new LayerState(SEED, earlier.draws() - 2, earlier.estimator()));
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray theta = gaussian(scope, step, new Shape(batches[step], 3, 6));
                if (step == 3) {
                    assertArrayEquals(
                            plain.map(theta).toFloatArray(),
                            prefetching.map(theta).toFloatArray());
                }
                DiscreteSample a = prefetching.sample(theta);
                DiscreteSample b = plain.sample(theta);
                String where = "step " + step + ", batch " + batches[step] + ", seed " + SEED;
                assertArrayEquals(
                        b.estimate().noise().toFloatArray(),
                        a.estimate().noise().toFloatArray(),
                        where);
                assertArrayEquals(b.values().toFloatArray(), a.values().toFloatArray(), where);
                assertEquals(plain.state().draws(), prefetching.state().draws(), where);
            }
        }
    }
}
