package dev.aimle.app.io;

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
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} file format (NEP 1, "A simple file format for NumPy arrays"), enough of it to
 * exchange data sets with Python: little-endian float16, float32, float64 and int64, uint8 and bool
 * arrays in C order (the uint8, bool and float16 of the Warcraft files a user may copy in).
 *
 * <p>A file is the magic string {@code \x93NUMPY}, the format version (two bytes, major then
 * minor), the header length as a little-endian integer (two bytes in version 1.0, four in 2.0 and
 * 3.0), the header, then the raw values. The header is the text of a Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (50000, 20, 2, 10), }}, padded with spaces
 * and ended by a newline so that the values start at a multiple of 64 bytes.
 *
 * <p>The writer produces the bytes of {@code numpy.save} (NumPy 1.23 and later) exactly: version
 * 1.0, the keys sorted, the shape written as Python writes a tuple ({@code (3,)} for one axis), 21
 * spare spaces minus the width of the first axis's size (NumPy leaves them so that the first axis can
 * grow in place), then the padding: {@code 64 - (10 + length + 1) % 64} spaces and the newline (a full
 * 64 spaces when the header is already aligned, as NumPy does). The reader accepts versions 1.0, 2.0
 * and 3.0 and any key order; it rejects, naming the file, a bad magic string, an unsupported dtype
 * (big-endian, other widths), Fortran order, a value count that does not match the shape, truncated
 * or over-long data, and a bool byte other than 0 or 1.
 *
 * <p>Why not DJL's numpy codec ({@code NDList.decode}, DJL 0.36 with PyTorch 2.7; {@code NpyDjlTest}
 * shows the first three points): it decodes our files of every dtype here to the same values, but (1) it has no {@code .npy} writer ({@code NDList.Encoding} is
 * NPZ, DJL's own format or safetensors), and the generated data sets are {@code .npy} files the
 * reference's Python reads; (2) it reads a big-endian {@code '>f4'} file as little-endian, silently
 * wrong values; (3) it ignores bytes after the data, and refuses truncated data as "Invalid NDArray
 * input" without naming the file; (4) it decodes only into an engine's native memory (the data
 * generators run without an engine, and the experiments keep their data sets as Java arrays);
 * (5) observed, not tested because it ends the JVM: a {@code '<u2'} (uint16) file aborts the process in
 * the PyTorch engine (exit 134); (6) it refuses a header whose keys are not in NumPy's order.
 */
public final class Npy {
    /** The element types this class reads and writes. */
    public enum DType {
        /** {@code '<f4'}: little-endian IEEE 754 binary32. */
        FLOAT32("<f4", 4),
        /** {@code '<f8'}: little-endian IEEE 754 binary64. */
        FLOAT64("<f8", 8),
        /** {@code '<i8'}: little-endian two's complement 64-bit integer. */
        INT64("<i8", 8),
        /** {@code '<f2'}: little-endian IEEE 754 binary16, kept as its bits. */
        FLOAT16("<f2", 2),
        /** {@code '|u1'}: unsigned 8-bit integer. */
        UINT8("|u1", 1),
        /** {@code '|b1'}: bool, one byte of 0 or 1. */
        BOOL("|b1", 1);

        private final String descr;
        private final int itemSize;

        DType(String descr, int itemSize) {
            this.descr = descr;
            this.itemSize = itemSize;
        }

        /** The NumPy type string, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        /** Bytes per value. */
        public int itemSize() {
            return itemSize;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT) + " ('" + descr + "')";
        }
    }

    /**
     * What a file's header says.
     *
     * @param dtype the element type
     * @param shape the array's shape ({@code []} for a scalar)
     * @param dataOffset where the values start, in bytes from the beginning of the file
     */
    public record Header(DType dtype, int[] shape, long dataOffset) {
        /** Copies the shape. */
        public Header {
            shape = shape.clone();
        }

        /** The shape (a copy). */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h
                    && dtype == h.dtype
                    && dataOffset == h.dataOffset
                    && Arrays.equals(shape, h.shape);
        }

        @Override
        public int hashCode() {
            return (31 * dtype.hashCode() + Arrays.hashCode(shape)) * 31 + Long.hashCode(dataOffset);
        }

        @Override
        public String toString() {
            return "Header[" + dtype + " " + shapeString(shape) + " at " + dataOffset + "]";
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int MAX_HEADER = 1 << 20;
    private static final int CHUNK = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Reads a whole file.
     *
     * @throws IOException naming the file, on any format error (see the class documentation)
     */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            Header header = readHeader(file, channel);
            int[] shape = header.shape();
            int count = (int) elementCount(shape, file + "'s shape");
            long needed = (long) count * header.dtype().itemSize();
            long available = channel.size() - header.dataOffset();
            if (available < needed) {
                throw new IOException(file + " is truncated: shape " + shapeString(shape) + " of " + header.dtype()
                        + " needs " + needed + " bytes of data but the file holds " + available);
            }
            if (available > needed) {
                throw new IOException(file + " has " + (available - needed) + " bytes after the " + needed
                        + " bytes of data that shape " + shapeString(shape) + " of " + header.dtype()
                        + " needs; the header does not describe the file");
            }
            channel.position(header.dataOffset());
            return switch (header.dtype()) {
                case FLOAT32 -> {
                    float[] values = new float[count];
                    readValues(
                            channel,
                            file,
                            count,
                            4,
                            (b, offset, n) -> b.asFloatBuffer().get(values, offset, n));
                    yield NpyArray.ofFloat32(shape, values);
                }
                case FLOAT64 -> {
                    double[] values = new double[count];
                    readValues(
                            channel,
                            file,
                            count,
                            8,
                            (b, offset, n) -> b.asDoubleBuffer().get(values, offset, n));
                    yield NpyArray.ofFloat64(shape, values);
                }
                case INT64 -> {
                    long[] values = new long[count];
                    readValues(
                            channel,
                            file,
                            count,
                            8,
                            (b, offset, n) -> b.asLongBuffer().get(values, offset, n));
                    yield NpyArray.ofInt64(shape, values);
                }
                case FLOAT16 -> {
                    short[] values = new short[count];
                    readValues(
                            channel,
                            file,
                            count,
                            2,
                            (b, offset, n) -> b.asShortBuffer().get(values, offset, n));
                    yield NpyArray.ofFloat16(shape, values);
                }
                case UINT8, BOOL -> {
                    byte[] values = new byte[count];
                    readValues(channel, file, count, 1, (b, offset, n) -> b.get(values, offset, n));
                    if (header.dtype() == DType.UINT8) {
                        yield NpyArray.ofUint8(shape, values);
                    }
                    int bad = NpyArray.firstNonBool(values);
                    if (bad >= 0) {
                        throw new IOException(
                                file + " is bool but holds byte " + (values[bad] & 0xFF) + " at index " + bad);
                    }
                    yield NpyArray.ofBool(shape, values);
                }
            };
        }
    }

    /**
     * Reads only the header, to check a file's dtype and shape without loading it.
     *
     * @throws IOException naming the file, on a bad magic string, version or header
     */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            return readHeader(file, channel);
        }
    }

    /** A file's channel; a directory is refused as missing, since reading one fails without naming it. */
    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new NoSuchFileException(file.toString(), null, "a directory, not a .npy file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /**
     * Writes {@code array} to {@code file} through a temporary sibling and a rename, so that the file
     * is either absent or complete. The bytes are those {@code numpy.save} writes.
     */
    public static void write(Path file, NpyArray array) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writeVia(tmp, file, array);
        } catch (IOException e) {
            // a full disk says only "No space left on device": name the file, and leave no part of it
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's failure is the one to report
            }
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeVia(Path tmp, Path file, NpyArray array) throws IOException {
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(header(array.dtype(), array.shape())));
            int count = array.size();
            int itemSize = array.dtype().itemSize();
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = CHUNK / itemSize;
            for (int offset = 0; offset < count; offset += perChunk) {
                int n = Math.min(perChunk, count - offset);
                buffer.clear();
                switch (array.dtype()) {
                    case FLOAT32 -> buffer.asFloatBuffer().put((float[]) array.values(), offset, n);
                    case FLOAT64 -> buffer.asDoubleBuffer().put((double[]) array.values(), offset, n);
                    case INT64 -> buffer.asLongBuffer().put((long[]) array.values(), offset, n);
                    case FLOAT16 -> buffer.asShortBuffer().put((short[]) array.values(), offset, n);
                    case UINT8, BOOL ->
                        buffer.put((byte[]) array.values(), offset, n).flip();
                }
                buffer.limit(n * itemSize);
                writeFully(channel, buffer);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The bytes before the values of a version 1.0 file: magic, version, header length and the padded
     * header, exactly as {@code numpy.save} writes them (see the class documentation).
     */
    public static byte[] header(DType dtype, int[] shape) {
        elementCount(shape, "shape");
        String dict =
                "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
        if (shape.length > 0) {
            dict += " "
                    .repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length());
        }
        int length = dict.length() + 1;
        int padding = ALIGN - (MAGIC.length + 4 + length) % ALIGN;
        String text = dict + " ".repeat(padding) + "\n";
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + ascii.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC)
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) ascii.length)
                .put(ascii);
        return out.array();
    }

    /** A shape as Python writes a tuple: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    public static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (int d : shape) {
            joiner.add(Integer.toString(d));
        }
        return joiner.toString();
    }

    /** The product of a shape, checked to be non-negative and to fit a Java array. */
    static long elementCount(int[] shape, String what) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(what + " " + shapeString(shape) + " has a negative size");
            }
            count *= d;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        what + " " + shapeString(shape) + " holds more values than one Java array can");
            }
        }
        return count;
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, file, "the magic string");
        byte[] magic = new byte[MAGIC.length];
        prefix.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(file + " is not a .npy file: it starts with " + hex(magic)
                    + " instead of the magic string 93 4e 55 4d 50 59 (\\x93NUMPY)");
        }
        int major = prefix.get() & 0xFF;
        int minor = prefix.get() & 0xFF;
        int lengthBytes;
        if (major == 1 && minor == 0) {
            lengthBytes = 2;
        } else if ((major == 2 || major == 3) && minor == 0) {
            lengthBytes = 4;
        } else {
            throw new IOException(
                    file + " has .npy format version " + major + "." + minor + "; this reader knows 1.0, 2.0 and 3.0");
        }
        ByteBuffer lengthBuffer = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBuffer, file, "the header length");
        long headerLength = lengthBytes == 2 ? lengthBuffer.getShort() & 0xFFFF : lengthBuffer.getInt() & 0xFFFFFFFFL;
        if (headerLength > MAX_HEADER) {
            throw new IOException(
                    file + " declares a header of " + headerLength + " bytes; the limit is " + MAX_HEADER);
        }
        ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBuffer, file, "the header");
        String text = new String(
                        headerBuffer.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)
                .strip();
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new IOException(file + " has a header that is not a dict literal: " + text);
        }
        Matcher descr = DESCR.matcher(text);
        Matcher fortran = FORTRAN.matcher(text);
        Matcher shape = SHAPE.matcher(text);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(file + " has a header without 'descr', 'fortran_order' and 'shape': " + text);
        }
        DType dtype = dtype(file, descr.group(1));
        switch (fortran.group(1)) {
            case "False" -> {}
            case "True" ->
                throw new IOException(file + " holds its array in Fortran (column-major) order; this"
                        + " reader reads C order only. Maybe save it with numpy.ascontiguousarray(array)");
            default ->
                throw new IOException(file + " has fortran_order " + fortran.group(1) + "; expected True or False");
        }
        return new Header(dtype, parseShape(file, shape.group(1)), MAGIC.length + 2 + lengthBytes + headerLength);
    }

    private static DType dtype(Path file, String descr) throws IOException {
        for (DType t : DType.values()) {
            if (t.descr().equals(descr)) {
                return t;
            }
        }
        String hint = descr.startsWith(">")
                ? " (it is big-endian; maybe save array.astype(array.dtype.newbyteorder('<')))"
                : "";
        throw new IOException(file + " has dtype '" + descr + "'" + hint + "; supported: '<f2' (float16), '<f4'"
                + " (float32), '<f8' (float64), '<i8' (int64), '|u1' (uint8), '|b1' (bool)");
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
            if (part.endsWith("L")) {
                part = part.substring(0, part.length() - 1);
            }
            try {
                shape[n++] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IOException(file + " has shape (" + inside + "): '" + part + "' is not a size", e);
            }
        }
        int[] result = Arrays.copyOf(shape, n);
        try {
            elementCount(result, file + "'s shape");
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return result;
    }

    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer buffer, int offset, int count);
    }

    private static void readValues(FileChannel channel, Path file, int count, int itemSize, ChunkSink sink)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK / itemSize;
        for (int offset = 0; offset < count; offset += perChunk) {
            int n = Math.min(perChunk, count - offset);
            buffer.clear().limit(n * itemSize);
            readFully(channel, buffer, file, "the data");
            sink.accept(buffer, offset, n);
        }
    }

    /** Fills {@code buffer} and flips it for reading. */
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

    private static String hex(byte[] bytes) {
        StringJoiner joiner = new StringJoiner(" ");
        for (byte b : bytes) {
            joiner.add(String.format(Locale.ROOT, "%02x", b & 0xFF));
        }
        return joiner.toString();
    }
}
