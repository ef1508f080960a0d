package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HostArrays#create}: the values, the array's owner, and memory that outlives the garbage collector. */
class HostArraysTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float[] values(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        v[0] = -0.0f; // the sign of zero survives too
        return v;
    }

    @Test
    void holdsTheValuesInTheShapeOnTheManager() {
        for (Shape shape : List.of(new Shape(1), new Shape(3, 5), new Shape(2, 3, 4), new Shape(256, 400))) {
            float[] v = values(shape.size(), Math.toIntExact(shape.size()));
            try (NDManager scope = manager.newSubManager()) {
                NDArray a = HostArrays.create(scope, v, shape);
                assertEquals(shape, a.getShape());
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertEquals(scope.getDevice(), a.getDevice());
                assertTrue(scope.getManagedArrays().contains(a), "attached to the manager it was made on");
                assertArrayEquals(v, a.toFloatArray(), 0f);
                assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(a.toFloatArray()[0]));
            }
        }
    }

    @Test
    void anEmptyArrayIsMadeToo() {
        NDArray a = HostArrays.create(manager, new float[0], new Shape(0, 4));
        assertEquals(new Shape(0, 4), a.getShape());
        assertEquals(DataType.FLOAT32, a.getDataType());
    }

    @Test
    void theCallersArrayIsCopiedNotShared() {
        float[] v = values(3, 12);
        NDArray a = HostArrays.create(manager, v, new Shape(3, 4));
        float[] expected = v.clone();
        v[5] = 1e6f;
        assertArrayEquals(expected, a.toFloatArray(), 0f);
    }

    /**
     * The values live in the engine's memory: garbage collections and many arrays made and closed in
     * between leave them as they were, and the array feeds a gradient that needs them in backward.
     */
    @Test
    void theValuesSurviveCollectionsAndChurn() {
        float[] v = values(7, 4096);
        NDArray kept = HostArrays.create(manager, v, new Shape(64, 64));
        for (int round = 0; round < 20; round++) {
            List<NDArray> churn = new ArrayList<>();
            try (NDManager scope = manager.newSubManager()) {
                for (int i = 0; i < 20; i++) {
                    churn.add(HostArrays.create(scope, values(round * 100L + i, 4096), new Shape(64, 64)));
                    churn.add(scope.create(values(i, 4096), new Shape(64, 64)));
                }
            }
            System.gc();
        }
        assertArrayEquals(v, kept.toFloatArray(), 0f);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.ones(new Shape(64, 64));
            x.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector collector =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray weights = HostArrays.create(scope, v, new Shape(64, 64));
                NDArray loss = x.mul(weights).sum();
                System.gc();
                collector.backward(loss);
            }
            assertArrayEquals(v, x.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void aWrongNumberOfValuesIsRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HostArrays.create(manager, new float[5], new Shape(2, 3)));
        assertEquals("5 values cannot fill an array of shape (2, 3) (6)", e.getMessage());
        assertFalse(
                manager.getManagedArrays().stream().anyMatch(a -> a.getShape().equals(new Shape(2, 3))));
    }
}
