package dev.aimle.estimators.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.aimle.api.Perturbation;
import dev.aimle.estimators.noise.Noise;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluation on noisy samples ({@link DiscreteLayer#perturbedMap}, {@link
 * DiscreteBlock#sampledEvaluation}): the states follow the perturbed-MAP law, leave the layer's own
 * stream alone, and the block returns to MAP states when the evaluation ends.
 *
 * <p>The law is exact for {@link PositiveSolver} with Gumbel noise at temperature t: {@code z_j = 1}
 * iff {@code theta_j + t G > 0}, so {@code P(z_j = 1) = 1 - exp(-exp(theta_j / t))}.
 */
class SampledEvaluationTest {
    private static final long SEED = 41;
    private static final double TEMPERATURE = 0.7;
    private static final float[] THETA = {-1.5f, -0.3f, 0f, 0.4f, 1.2f};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static DiscreteLayer layer(int samples) {
        return DiscreteLayer.builder()
                .solver(new PositiveSolver())
                .noise(Noise.gumbel())
                .estimator(new MeanOfDownstream())
                .samples(samples)
                .inputTemperature(TEMPERATURE)
                .seed(SEED)
                .build();
    }

    @Test
    void perturbedStatesFollowThePerturbedMapLaw() {
        int samples = 20_000;
        NDArray theta = manager.create(THETA, new Shape(1, THETA.length));
        NDArray z = layer(samples).perturbedMap(theta, null, new SplittableRandom(SEED));
        assertEquals(new Shape(samples, THETA.length), z.getShape());
        float[] v = z.toFloatArray();
        for (int j = 0; j < THETA.length; j++) {
            double p = 1 - Math.exp(-Math.exp(THETA[j] / TEMPERATURE));
            double frequency = 0;
            for (int s = 0; s < samples; s++) {
                frequency += v[s * THETA.length + j];
            }
            frequency /= samples;
            // 5 standard errors of a frequency over 20,000 draws: fails by chance with p < 1e-6
            double tolerance = 5 * Math.sqrt(p * (1 - p) / samples);
            assertEquals(p, frequency, tolerance, "position " + j + ", theta " + THETA[j] + ", seed " + SEED);
        }
    }

    @Test
    void perturbedStatesLeaveTheLayersStreamAlone() {
        NDArray theta = manager.create(THETA, new Shape(1, THETA.length));
        DiscreteLayer evaluated = layer(3);
        DiscreteLayer untouched = layer(3);
        NDArray first = evaluated.perturbedMap(theta, null, new SplittableRandom(SEED));
        assertEquals(new Shape(3, THETA.length), first.getShape(), "S states per instance");
        assertEquals(0, evaluated.state().draws(), "the evaluation draws from its own generator");
        assertArrayEquals(
                untouched.sample(theta).values().toFloatArray(),
                evaluated.sample(theta).values().toFloatArray(),
                "training's draw after an evaluation is the draw without it, seed " + SEED);
        assertArrayEquals(
                first.toFloatArray(),
                evaluated.perturbedMap(theta, null, new SplittableRandom(SEED)).toFloatArray(),
                "the same generator seed gives the same states");
    }

    @Test
    void anyPerturbationCanBeDrawnFrom() {
        // temperature 0: the perturbed state is the MAP state whatever the noise
        NDArray theta = manager.create(THETA, new Shape(1, THETA.length));
        Perturbation noiseless = new Perturbation(new PositiveSolver(), Noise.gumbel(), 2, 0, 0);
        NDArray z = DiscreteLayer.perturbedMap(theta, null, noiseless, new SplittableRandom(SEED));
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 0, 0, 1, 1}, z.toFloatArray());
    }

    @Test
    void theBlockEvaluatesOnSamplesUntilClosed() {
        DiscreteLayer layer = layer(4);
        SequentialBlock model = new SequentialBlock().add(DiscreteBlock.of(layer));
        NDArray theta = manager.create(THETA, new Shape(1, THETA.length));
        ParameterStore store = new ParameterStore(manager, false);
        float[] map = model.forward(store, new NDList(theta), false)
                .singletonOrThrow()
                .toFloatArray();
        assertArrayEquals(new float[] {0, 0, 0, 1, 1}, map, "MAP outside a sampled evaluation");
        float[] expected = layer.perturbedMap(theta, null, new SplittableRandom(SEED).split())
                .toFloatArray();
        float[] sampled = DiscreteBlock.sampledEvaluation(model, SEED, () -> {
            assertThrows(IllegalStateException.class, () -> DiscreteBlock.sampledEvaluation(model, SEED, () -> 0));
            return model.forward(store, new NDList(theta), false)
                    .singletonOrThrow()
                    .toFloatArray();
        });
        assertArrayEquals(expected, sampled, "the first split of seed " + SEED);
        assertFalse(Arrays.equals(sampled, repeat(map, 4)), "noisy, not MAP");
        assertArrayEquals(
                map,
                model.forward(store, new NDList(theta), false)
                        .singletonOrThrow()
                        .toFloatArray());
        assertEquals(0, layer.state().draws(), "training's stream untouched");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DiscreteBlock.sampledEvaluation(new SequentialBlock(), SEED, () -> 0));
        assertTrue(e.getMessage().contains("no DiscreteBlock"), e.getMessage());
    }

    private static float[] repeat(float[] values, int times) {
        float[] out = new float[values.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(values, 0, out, i * values.length, values.length);
        }
        return out;
    }
}
