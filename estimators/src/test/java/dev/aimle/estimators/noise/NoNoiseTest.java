package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** No noise: zeros of the requested shape, float32, and the generator untouched. */
class NoNoiseTest {

    @Test
    void givesZerosAndLeavesTheGeneratorAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SplittableRandom random = new SplittableRandom(6);
            Shape shape = new Shape(4, 5);
            NDArray noise = Noise.none().sample(manager, shape, random);
            assertEquals(DataType.FLOAT32, noise.getDataType());
            assertEquals(shape, noise.getShape());
            assertEquals(manager.getDevice(), noise.getDevice());
            assertSame(manager, noise.getManager());
            for (float v : noise.toFloatArray()) {
                assertEquals(0f, v);
            }
            assertEquals(new SplittableRandom(6).nextLong(), random.nextLong(), "the generator was advanced");
            assertEquals("none", Noise.none().name());
        }
    }
}
