package dev.aimle.estimators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Scalars: values, gradients (closed forms) and the scalar's type, device and owner. */
class ScalarsTest {
    private static final float[] X = {-1.5f, 0.25f, 2f, 3f};

    @Test
    void valuesAreThoseOfTheArithmetic() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(X);
            assertArrayEquals(new float[] {-3f, 0.5f, 4f, 6f}, Scalars.mul(x, 2).toFloatArray());
            assertArrayEquals(
                    new float[] {-0.375f, 0.0625f, 0.5f, 0.75f},
                    Scalars.div(x, 4).toFloatArray());
            assertArrayEquals(
                    new float[] {2.25f, 0.0625f, 4f, 9f}, Scalars.pow(x, 2).toFloatArray());
            assertArrayEquals(
                    new float[] {1f, 1f, 2f, 3f}, Scalars.maximum(x, 1).toFloatArray());
            assertArrayEquals(
                    new float[] {-1.5f, 0.25f, 1f, 1f}, Scalars.minimum(x, 1).toFloatArray());
            NDArray y = x.duplicate();
            assertSame(y, Scalars.muli(y, -2));
            assertArrayEquals(new float[] {3f, -0.5f, -4f, -6f}, y.toFloatArray());
            assertSame(y, Scalars.divi(y, -2));
            assertArrayEquals(X, y.toFloatArray());
            assertArrayEquals(X, x.toFloatArray(), "the out-of-place forms leave x alone");
        }
    }

    @Test
    void theScalarHasTheArraysTypeDeviceAndManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ints = m.create(new int[] {1, 2, 3});
            NDArray s = Scalars.of(ints, 7);
            assertEquals(DataType.INT32, s.getDataType());
            assertEquals(new Shape(), s.getShape());
            assertEquals(ints.getDevice(), s.getDevice());
            assertSame(ints.getManager(), s.getManager());
            assertArrayEquals(new int[] {7, 14, 21}, Scalars.mul(ints, 7).toIntArray());
        }
    }

    /**
     * d/dx of each operation against its closed form, with the garbage collector run and native
     * memory churned between the forward and the backward pass (what freed DJL's own scalars).
     */
    @Test
    void gradientsMatchClosedFormsAfterACollection() {
        check("x * 3", x -> Scalars.mul(x, 3), v -> 3.0);
        check("x / 4", x -> Scalars.div(x, 4), v -> 0.25);
        check("x ^ 3", x -> Scalars.pow(x, 3), v -> 3.0 * v * v);
        check("max(x, 1)", x -> Scalars.maximum(x, 1), v -> v > 1 ? 1.0 : 0.0);
        check("min(x, 1)", x -> Scalars.minimum(x, 1), v -> v < 1 ? 1.0 : 0.0);
        check("(x + 0) * 5 in place", x -> Scalars.muli(x.add(0f), 5), v -> 5.0);
        check("(x + 0) / 8 in place", x -> Scalars.divi(x.add(0f), 8), v -> 0.125);
    }

    private static void check(String what, UnaryOperator<NDArray> f, DoubleUnaryOperator derivative) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(X);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                churnNativeMemory();
                collector.backward(y);
            }
            float[] g = x.getGradient().toFloatArray();
            for (int i = 0; i < X.length; i++) {
                assertEquals(derivative.applyAsDouble(X[i]), g[i], 1e-6, what + " at x = " + X[i]);
            }
        }
    }

    /** Collects garbage (freeing unreachable direct buffers) and reuses native memory. */
    private static void churnNativeMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        List<ByteBuffer> reused = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            while (b.hasRemaining()) {
                b.putFloat(0f);
            }
            reused.add(b);
        }
        assertEquals(1000, reused.size());
    }
}
