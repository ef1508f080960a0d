package dev.aimle.api;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Host values into engine arrays without DJL's per-array direct buffer.
 *
 * <p><b>Why.</b> DJL's {@code NDManager.create(float[], Shape)} on the PyTorch engine copies the
 * values into a fresh, zeroed {@code ByteBuffer.allocateDirect} and lets the tensor alias it; that
 * buffer is released only when the garbage collector finds it, so every such array touches fresh
 * memory: a page fault per 4 KiB page, which was most of the page faults of an AIMLE step (found
 * with {@code perf}; figures in the README's speed section).
 * {@link #create} asks the engine for an uninitialised array instead (its own allocator, freed when
 * the array is closed) and writes the values through the engine's direct view of that memory: one
 * copy, no zeroing, memory owned by the engine from the start.
 *
 * <p>The view is used only where it is known to share the array's memory: the PyTorch engine, an
 * array on {@code Device.cpu()}, at least one value. Anywhere else (another engine, an accelerator,
 * an empty array) the values go through {@code NDManager.create} as usual; the result is the same
 * array either way.
 */
public final class HostArrays {
    private static final String SHARING_ENGINE = "PyTorch";

    private HostArrays() {}

    /**
     * A float32 array of {@code shape} holding {@code values} (row-major), on {@code manager}'s
     * device and attached to it.
     *
     * @throws IllegalArgumentException when {@code values.length} is not the shape's size
     */
    public static NDArray create(NDManager manager, float[] values, Shape shape) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    values.length + " values cannot fill an array of shape " + shape + " (" + shape.size() + ")");
        }
        if (values.length == 0 || !sharesMemory(manager)) {
            return manager.create(FloatBuffer.wrap(values), shape, DataType.FLOAT32);
        }
        NDArray array = manager.create(shape, DataType.FLOAT32);
        ByteBuffer view = array.toByteBuffer(true);
        if (!view.isDirect() || view.capacity() != 4L * values.length) {
            array.close(); // not a view of the array after all: fall back to a copy DJL makes
            return manager.create(FloatBuffer.wrap(values), shape, DataType.FLOAT32);
        }
        view.order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        return array;
    }

    /**
     * Exactly DJL's condition for {@code toByteBuffer(true)} to view the array itself rather than a
     * copy moved to {@code Device.cpu()} (whose writes would be lost).
     */
    private static boolean sharesMemory(NDManager manager) {
        return Device.cpu().equals(manager.getDevice())
                && SHARING_ENGINE.equals(manager.getEngine().getEngineName());
    }
}
