package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A base class for MAP oracles that solve one instance at a time on the host, such as a spanning
 * tree or an integer program. It validates the batch, copies it to the host once, solves the
 * instances in parallel on the common fork-join pool in at most {@link #parallelism()} chunks, and
 * returns the result on the input's device. A plugin author implements {@link
 * #solveInstance(float[], float[])} (or {@link #solveInstance(float[], Shape, float[])}, which also
 * receives the instance's shape) and {@link #validateInstanceSize}, and overrides {@link #validateInstanceShape} when the instance has a
 * shape of its own (an m x m matrix, say), so that {@code [B, 2, 8]} is not taken for {@code [B, 4,
 * 4]}.
 *
 * <p>Every dimension after the batch axis belongs to the instance: theta {@code [B, d1, d2]} gives B
 * instances of {@code d1*d2} scores, in row-major order.
 *
 * <p>Thread-safe as long as {@link #solveInstance} is (it is called concurrently for different
 * rows; keep per-thread scratch in a {@link ThreadLocal}).
 */
public abstract class PerInstanceMapSolver implements MapSolver {
    private final int parallelism;

    /**
     * @param parallelism the largest number of instances solved at once, at least 1 (1 means
     *     sequentially on the calling thread)
     */
    protected PerInstanceMapSolver(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism (" + parallelism + ") must be at least 1");
        }
        this.parallelism = parallelism;
    }

    /** The default parallelism: the number of available processors. */
    protected static int defaultParallelism() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The largest number of instances solved at once. */
    public final int parallelism() {
        return parallelism;
    }

    /**
     * Checks that an instance of {@code size} scores is one this solver can solve.
     *
     * @throws IllegalArgumentException naming the size and what was expected
     */
    protected abstract void validateInstanceSize(int size);

    /**
     * Checks that an instance of this shape (the input's shape without its batch axis) is one this
     * solver can solve. The default checks only the number of scores, with {@link
     * #validateInstanceSize}; override it when the axes matter, e.g. to require {@code [m, m]}.
     *
     * @throws IllegalArgumentException naming the shape and what was expected
     */
    protected void validateInstanceShape(Shape instanceShape) {
        validateInstanceSize(Math.toIntExact(instanceShape.size()));
    }

    /**
     * Solves one instance: writes the MAP state for {@code scores} into {@code solution}. Override
     * this method, or {@link #solveInstance(float[], Shape, float[])} when the solver needs the
     * instance's shape (a grid of {@code H x W} cells, say); the base class calls only the latter,
     * which by default calls this one.
     *
     * @param scores the instance's scores, finite; do not keep a reference
     * @param solution zero-filled, same length; set the chosen entries to 1
     * @throws UnsupportedOperationException when a subclass overrides neither method
     */
    protected void solveInstance(float[] scores, float[] solution) {
        throw new UnsupportedOperationException(
                "solver '" + name() + "' (" + getClass().getName()
                        + ") must override solveInstance(float[], float[]) or solveInstance(float[], Shape, float[])");
    }

    /**
     * Solves one instance of a known shape: writes the MAP state for {@code scores} into {@code
     * solution}. The default ignores the shape and calls {@link #solveInstance(float[], float[])}.
     *
     * @param scores the instance's scores, row-major over {@code instanceShape}, finite; do not keep
     *     a reference
     * @param instanceShape the instance's shape (the input's shape without the batch axis), already
     *     accepted by {@link #validateInstanceShape}
     * @param solution zero-filled, same length; set the chosen entries to 1
     */
    protected void solveInstance(float[] scores, Shape instanceShape, float[] solution) {
        solveInstance(scores, solution);
    }

    @Override
    public final NDArray solve(NDArray theta) {
        if (theta.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "solver '" + name() + "' expects float32 scores, got " + theta.getDataType());
        }
        Shape shape = theta.getShape();
        int n = instanceSize(shape);
        NDArray result = HostArrays.create(theta.getManager(), solveAll(theta.toFloatArray(), shape, n), shape);
        if (!result.getDevice().equals(theta.getDevice())) {
            NDArray moved = result.toDevice(theta.getDevice(), false);
            result.close();
            result = moved;
        }
        return result;
    }

    /** The same instances solved on the host: no array is made. */
    @Override
    public final float[] solveOnHost(float[] theta, Shape shape, NDManager scratch) {
        int n = instanceSize(shape);
        if (theta.length != shape.size()) {
            throw new IllegalArgumentException("solver '" + name() + "' got " + theta.length + " scores for shape "
                    + shape + " (" + shape.size() + " values)");
        }
        return solveAll(theta, shape, n);
    }

    /** Validates the shape of a batch and returns the size of one instance. */
    private int instanceSize(Shape shape) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "solver '" + name() + "' expects theta of shape [B, ...] with at least 2 axes, got " + shape);
        }
        long instanceSize = shape.slice(1).size();
        if (instanceSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("instance size " + instanceSize + " is too large");
        }
        validateInstanceShape(shape.slice(1));
        return (int) instanceSize;
    }

    private float[] solveAll(float[] flat, Shape shape, int n) {
        Shapes.requireFinite("theta", flat, shape);
        int batch = Math.toIntExact(shape.get(0));
        Shape instance = shape.slice(1);
        float[] out = new float[flat.length];
        int chunks = Math.min(parallelism, batch);
        if (chunks <= 1) {
            solveRows(flat, out, instance, n, 0, batch);
        } else {
            IntStream.range(0, chunks)
                    .parallel()
                    .forEach(c -> solveRows(flat, out, instance, n, batch * c / chunks, batch * (c + 1) / chunks));
        }
        return out;
    }

    private void solveRows(float[] flat, float[] out, Shape instance, int n, int from, int to) {
        float[] scores = new float[n];
        float[] solution = new float[n];
        for (int row = from; row < to; row++) {
            System.arraycopy(flat, row * n, scores, 0, n);
            Arrays.fill(solution, 0f);
            solveInstance(scores, instance, solution);
            System.arraycopy(solution, 0, out, row * n, n);
        }
    }
}
