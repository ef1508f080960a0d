package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
    @Test
    void standardNormalMomentsAndReproducibility() {
        GaussianNoise noise = new GaussianNoise();
        float[] values = noise.sampleOnHost(new Shape(200_000), new SplittableRandom(3));
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        // standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance
        assertEquals(0, mean, 0.011);
        assertEquals(1, squares / values.length - mean * mean, 0.016);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = noise.sample(manager, new Shape(4, 5), new SplittableRandom(8));
            assertEquals(new Shape(4, 5), array.getShape());
            assertArrayEquals(noise.sampleOnHost(new Shape(4, 5), new SplittableRandom(8)), array.toFloatArray(), 0f);
        }
        SplittableRandom skipped = new SplittableRandom(2);
        noise.skip(new Shape(3), skipped);
        SplittableRandom drawn = new SplittableRandom(2);
        noise.sampleOnHost(new Shape(3), drawn);
        assertEquals(drawn.nextLong(), skipped.nextLong());
        assertEquals("normal", noise.name());
    }
}
