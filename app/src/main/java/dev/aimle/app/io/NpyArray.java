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

    /** A float16 ({@code '<f2'}) array of IEEE 754 binary16 bits; takes {@code bits} without copying it. */
    public static NpyArray ofFloat16(int[] shape, short[] bits) {
        Objects.requireNonNull(bits, "bits");
        return new NpyArray(Npy.DType.FLOAT16, shape, bits, bits.length);
    }

    /** A uint8 ({@code '|u1'}) array (bytes read unsigned); takes {@code values} without copying it. */
    public static NpyArray ofUint8(int[] shape, byte[] values) {
        Objects.requireNonNull(values, "values");
        return new NpyArray(Npy.DType.UINT8, shape, values, values.length);
    }

    /**
     * A bool ({@code '|b1'}) array of bytes 0 and 1; takes {@code values} without copying it.
     *
     * @throws IllegalArgumentException naming the first byte that is neither 0 nor 1
     */
    public static NpyArray ofBool(int[] shape, byte[] values) {
        Objects.requireNonNull(values, "values");
        int bad = firstNonBool(values);
        if (bad >= 0) {
            throw new IllegalArgumentException(
                    "a bool array holds bytes 0 and 1; got " + (values[bad] & 0xFF) + " at index " + bad);
        }
        return new NpyArray(Npy.DType.BOOL, shape, values, values.length);
    }

    /** The index of the first byte that is neither 0 nor 1, or -1. */
    static int firstNonBool(byte[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && values[i] != 1) {
                return i;
            }
        }
        return -1;
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
     * The values as float32, in C order: a copy for {@code '<f4'}, exact for {@code '<f2'}, {@code
     * '|u1'} (unsigned) and {@code '|b1'}, rounded to nearest for {@code '<f8'} and {@code '<i8'}.
     */
    public float[] toFloatArray() {
        if (dtype == Npy.DType.FLOAT32) {
            return ((float[]) values).clone();
        }
        float[] f = new float[size()];
        for (int i = 0; i < f.length; i++) {
            // a long rounds to float directly: through double it could round twice
            f[i] = dtype == Npy.DType.INT64 ? (float) ((long[]) values)[i] : (float) get(i);
        }
        return f;
    }

    /** The values as float64, in C order: exact for every dtype but {@code '<i8'} beyond 2^53. */
    public double[] toDoubleArray() {
        if (dtype == Npy.DType.FLOAT64) {
            return ((double[]) values).clone();
        }
        double[] d = new double[size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = get(i);
        }
        return d;
    }

    /** Value {@code i} (in C order) as a double. */
    private double get(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) values)[i];
            case FLOAT64 -> ((double[]) values)[i];
            case INT64 -> ((long[]) values)[i];
            case FLOAT16 -> halfToFloat(((short[]) values)[i]);
            case UINT8, BOOL -> ((byte[]) values)[i] & 0xFF;
        };
    }

    /** IEEE 754 binary16 to binary32, exactly (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f; // subnormal: exactly representable in float32
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * The values of a uint8 or bool array, in C order (a copy).
     *
     * @throws IllegalStateException for another dtype (use {@link #toFloatArray()})
     */
    public byte[] toByteArray() {
        if (dtype != Npy.DType.UINT8 && dtype != Npy.DType.BOOL) {
            throw new IllegalStateException("the array holds " + dtype
                    + " values; only a uint8 ('|u1') or bool ('|b1') array converts to byte[]");
        }
        return ((byte[]) values).clone();
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
            case FLOAT16 -> Arrays.equals((short[]) values, (short[]) other.values);
            case UINT8, BOOL -> Arrays.equals((byte[]) values, (byte[]) other.values);
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
                    case FLOAT16 -> Arrays.hashCode((short[]) values);
                    case UINT8, BOOL -> Arrays.hashCode((byte[]) values);
                };
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Npy.shapeString(shape) + "]";
    }
}
