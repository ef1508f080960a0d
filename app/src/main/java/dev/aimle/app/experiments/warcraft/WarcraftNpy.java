package dev.aimle.app.experiments.warcraft;

import dev.aimle.app.io.Npy;
import dev.aimle.app.io.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .npy} dtypes the Warcraft files use beyond what {@link Npy} reads: {@code '|u1'}
 * (uint8, the maps), {@code '|b1'} (bool) and {@code '<f2'} (float16), which a user's copy of the
 * original weights or paths may hold. Files of {@code '<f4'}, {@code '<f8'} and {@code '<i8'} are
 * handed to {@link Npy#read} unchanged, so its checks apply to them; for the three dtypes here the
 * same rules are applied: magic string, version 1.0/2.0/3.0, C order, the value count of the shape,
 * and no truncated or extra bytes, each refusal naming the file.
 */
final class WarcraftNpy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private WarcraftNpy() {}

    /**
     * A file's values with its shape and dtype string.
     *
     * @param descr the file's dtype string, e.g. {@code |u1}
     * @param shape its shape
     * @param bytes the values for {@code |u1} and {@code |b1}, else null
     * @param floats the values as float32 for every other dtype, else null
     */
    record Values(String descr, int[] shape, byte[] bytes, float[] floats) {
        /** The number of values. */
        int size() {
            return bytes != null ? bytes.length : floats.length;
        }

        /** The value at {@code i} as a float (bytes read unsigned). */
        float get(int i) {
            return bytes != null ? bytes[i] & 0xFF : floats[i];
        }
    }

    /**
     * Reads a file of any of the six dtypes.
     *
     * @throws IOException naming the file, when it is missing or malformed
     */
    static Values read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, prefix, file, "the magic string");
            byte[] magic = new byte[MAGIC.length];
            prefix.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a .npy file: it does not start with the magic string \\x93NUMPY");
            }
            int major = prefix.get() & 0xFF;
            int minor = prefix.get() & 0xFF;
            int lengthBytes = major == 1 && minor == 0 ? 2 : (major == 2 || major == 3) && minor == 0 ? 4 : -1;
            if (lengthBytes < 0) {
                throw new IOException(file + " has .npy format version " + major + "." + minor
                        + "; this reader knows 1.0, 2.0 and 3.0");
            }
            ByteBuffer lengthBuffer = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBuffer, file, "the header length");
            long headerLength =
                    lengthBytes == 2 ? lengthBuffer.getShort() & 0xFFFF : lengthBuffer.getInt() & 0xFFFFFFFFL;
            if (headerLength > 1 << 20) {
                throw new IOException(file + " declares a header of " + headerLength + " bytes; the limit is 1 MiB");
            }
            ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBuffer, file, "the header");
            String text = new String(headerBuffer.array(), StandardCharsets.ISO_8859_1).strip();
            Matcher descr = DESCR.matcher(text);
            Matcher fortran = FORTRAN.matcher(text);
            Matcher shapeText = SHAPE.matcher(text);
            if (!descr.find() || !fortran.find() || !shapeText.find()) {
                throw new IOException(file + " has a header without 'descr', 'fortran_order' and 'shape': " + text);
            }
            String type = descr.group(1);
            if (type.equals("<f4") || type.equals("<f8") || type.equals("<i8")) {
                NpyArray array = Npy.read(file);
                return new Values(type, array.shape(), null, array.toFloatArray());
            }
            if (!type.equals("|u1") && !type.equals("|b1") && !type.equals("<f2")) {
                throw new IOException(file + " has dtype '" + type + "'; expected one of '|u1' (uint8), '|b1' (bool),"
                        + " '<f2', '<f4', '<f8' (float) or '<i8' (int64)");
            }
            if (!fortran.group(1).equals("False")) {
                throw new IOException(file + " has fortran_order " + fortran.group(1) + "; only C order is read");
            }
            int[] shape = parseShape(file, shapeText.group(1));
            long count = 1;
            for (int d : shape) {
                count *= d;
                if (count > Integer.MAX_VALUE - 8) {
                    throw new IOException(file + " has shape " + Npy.shapeString(shape) + ", too large for one array");
                }
            }
            int itemSize = type.equals("<f2") ? 2 : 1;
            long dataOffset = MAGIC.length + 2 + lengthBytes + headerLength;
            long needed = count * itemSize;
            long available = channel.size() - dataOffset;
            if (available != needed) {
                throw new IOException(file + (available < needed ? " is truncated" : " has extra bytes") + ": shape "
                        + Npy.shapeString(shape) + " of '" + type + "' needs " + needed + " bytes of data, the file"
                        + " holds " + available);
            }
            ByteBuffer data = ByteBuffer.allocate((int) needed).order(ByteOrder.LITTLE_ENDIAN);
            channel.position(dataOffset);
            readFully(channel, data, file, "the data");
            if (itemSize == 1) {
                byte[] bytes = data.array();
                if (type.equals("|b1")) {
                    for (int i = 0; i < bytes.length; i++) {
                        if (bytes[i] != 0 && bytes[i] != 1) {
                            throw new IOException(
                                    file + " is bool but holds byte " + (bytes[i] & 0xFF) + " at index " + i);
                        }
                    }
                }
                return new Values(type, shape, bytes, null);
            }
            float[] floats = new float[(int) count];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = halfToFloat(data.getShort());
            }
            return new Values(type, shape, null, floats);
        }
    }

    /**
     * Writes uint8 values with the bytes {@code numpy.save} writes for a {@code uint8} array: the
     * float32 header of the same shape with its dtype string replaced (both are three characters,
     * so the padding is unchanged), then the values; through a temporary sibling and a rename.
     */
    static void writeUint8(Path file, int[] shape, byte[] values) throws IOException {
        byte[] header = Npy.header(Npy.DType.FLOAT32, shape);
        String text = new String(header, StandardCharsets.ISO_8859_1).replace("'<f4'", "'|u1'");
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(bytes));
            writeFully(channel, ByteBuffer.wrap(values));
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no {@code Float.float16ToFloat}). */
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

    private static int[] parseShape(Path file, String inside) throws IOException {
        String[] parts = inside.split(",");
        int[] shape = new int[parts.length];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty() && i == parts.length - 1) {
                continue;
            }
            try {
                shape[n] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IOException(file + " has shape (" + inside + "): '" + part + "' is not a size", e);
            }
            if (shape[n] < 0) {
                throw new IOException(file + " has shape (" + inside + ") with a negative size");
            }
            n++;
        }
        return Arrays.copyOf(shape, n);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, Path file, String what) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException(file + " is truncated: it ends inside " + what);
            }
        }
        buffer.flip();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
