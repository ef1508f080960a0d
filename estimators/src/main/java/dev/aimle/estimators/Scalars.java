package dev.aimle.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic with a plain number that is safe inside an autograd graph. Use these instead of DJL's
 * {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)},
 * {@code minimum(Number)} and their in-place forms, everywhere (a test of the build refuses those
 * calls in this project's classes).
 *
 * <p>Why: in DJL 0.36's PyTorch engine, those methods wrap the number in a scalar tensor that
 * aliases a Java direct buffer (created with {@code torch::from_blob}, no copy) and close that tensor
 * as soon as the operation returns. PyTorch's autograd keeps the scalar for the backward pass of a
 * product, a quotient, a power and a maximum/minimum; once the garbage collector frees the buffer,
 * the backward pass reads freed memory: the gradient is silently wrong, or infinite or NaN when the
 * freed bytes read as zero. How often depends on the collector's timing (a loaded machine, a small
 * heap, a background thread), so runs that are deterministic on an idle machine are not under load.
 * The scalars made here are filled natively ({@code torch::full}): the tensor owns its memory and
 * lives as long as anything, the graph included, refers to it.
 */
public final class Scalars {
    private Scalars() {}

    /**
     * A scalar (shape {@code []}) with {@code like}'s data type and device, attached to
     * {@code like}'s manager, whose memory the engine owns.
     */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }

    /** {@code x * c}. */
    public static NDArray mul(NDArray x, double c) {
        return with(x, c, NDArray::mul);
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, double c) {
        return with(x, c, NDArray::div);
    }

    /** {@code x ^ c}, element-wise. */
    public static NDArray pow(NDArray x, double c) {
        return with(x, c, NDArray::pow);
    }

    /** {@code max(x, c)}, element-wise. */
    public static NDArray maximum(NDArray x, double c) {
        return with(x, c, NDArray::maximum);
    }

    /** {@code min(x, c)}, element-wise. */
    public static NDArray minimum(NDArray x, double c) {
        return with(x, c, NDArray::minimum);
    }

    /** {@code x *= c} in place; returns {@code x}. */
    public static NDArray muli(NDArray x, double c) {
        return with(x, c, NDArray::muli);
    }

    /** {@code x /= c} in place; returns {@code x}. */
    public static NDArray divi(NDArray x, double c) {
        return with(x, c, NDArray::divi);
    }

    /**
     * {@code op(x, scalar c)}; the scalar's handle is closed at once, which is safe because the engine
     * owns its memory (the graph keeps its own reference).
     */
    private static NDArray with(NDArray x, double c, BinaryOperator<NDArray> op) {
        try (NDArray scalar = of(x, c)) {
            return op.apply(x, scalar);
        }
    }
}
