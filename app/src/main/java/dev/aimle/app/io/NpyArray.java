package dev.aimle.app.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as NumPy's {@code .npy} format holds it: a {@link Npy.DType}, a shape and
 * the values in C (row-major) order, read and written by {@link Npy}.
 *
 * <p>Ownership: the factories take the value array as it is, without a copy (data sets are tens or
 * hundreds of megabytes); the caller must not modify it afterwards. Every accessor returns a new
 * array.
 */
public final class NpyArray {
    private final Npy.DType dtype;
    private final int[] shape;
    private final Object values;

    private NpyArray(Npy.DType dtype, int[] shape, Object values, int length) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long count = Npy.elementCount(this.shape, "shape");
        if (count != length) {
            throw new IllegalArgumentException("shape " + Npy.shapeString(this.shape) + " holds " + count
                    + " values but " + length + " were given");
        }
        this.values = values;
    }

    /** A float32 ({@code '<f4'}) array; takes {@code values} without copying it. */
    public static NpyArray ofFloat32(int[] shape, float[] values) {
        Objects.requireNonNull(values, "values");
        return new NpyArray(Npy.DType.FLOAT32, shape, values, values.length);
    }

    /** A float64 ({@code '<f8'}) array; takes {@code values} without copying it. */
    public static NpyArray ofFloat64(int[] shape, double[] values) {
        Objects.requireNonNull(values, "values");
        return new NpyArray(Npy.DType.FLOAT64, shape, values, values.length);
    }

    /** An int64 ({@code '<i8'}) array; takes {@code values} without copying it. */
    public static NpyArray ofInt64(int[] shape, long[] values) {
        Objects.requireNonNull(values, "values");
        return new NpyArray(Npy.DType.INT64, shape, values, values.length);
    }

    /** The element type. */
    public Npy.DType dtype() {
        return dtype;
    }

    /** The shape (a copy); {@code []} for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of values: the product of the shape. */
    public int size() {
        return (int) Npy.elementCount(shape, "shape");
    }

    /**
     * The values as float32, in C order: a copy for {@code '<f4'}, rounded to nearest for
     * {@code '<f8'} and {@code '<i8'}.
     */
    public float[] toFloatArray() {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) values).clone();
            case FLOAT64 -> {
                double[] d = (double[]) values;
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                yield f;
            }
            case INT64 -> {
                long[] l = (long[]) values;
                float[] f = new float[l.length];
                for (int i = 0; i < l.length; i++) {
                    f[i] = l[i];
                }
                yield f;
            }
        };
    }

    /** The values as float64, in C order: exact for {@code '<f4'} and {@code '<f8'}. */
    public double[] toDoubleArray() {
        return switch (dtype) {
            case FLOAT32 -> {
                float[] f = (float[]) values;
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                yield d;
            }
            case FLOAT64 -> ((double[]) values).clone();
            case INT64 -> {
                long[] l = (long[]) values;
                double[] d = new double[l.length];
                for (int i = 0; i < l.length; i++) {
                    d[i] = l[i];
                }
                yield d;
            }
        };
    }

    /**
     * The values of an int64 array, in C order (a copy).
     *
     * @throws IllegalStateException for a float array (use {@link #toDoubleArray()})
     */
    public long[] toLongArray() {
        if (dtype != Npy.DType.INT64) {
            throw new IllegalStateException(
                    "the array holds " + dtype + " values; only an int64 ('<i8') array converts to long[]");
        }
        return ((long[]) values).clone();
    }

    /** The value array itself, for {@link Npy}'s writer. */
    Object values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyArray other) || dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
            return false;
        }
        return switch (dtype) {
            case FLOAT32 -> Arrays.equals((float[]) values, (float[]) other.values);
            case FLOAT64 -> Arrays.equals((double[]) values, (double[]) other.values);
            case INT64 -> Arrays.equals((long[]) values, (long[]) other.values);
        };
    }

    @Override
    public int hashCode() {
        int h = 31 * dtype.hashCode() + Arrays.hashCode(shape);
        return 31 * h
                + switch (dtype) {
                    case FLOAT32 -> Arrays.hashCode((float[]) values);
                    case FLOAT64 -> Arrays.hashCode((double[]) values);
                    case INT64 -> Arrays.hashCode((long[]) values);
                };
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Npy.shapeString(shape) + "]";
    }
}
