package dev.aimle.app.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /**
     * {@code numpy.save} (NumPy 2.4.6 and 1.24.2 alike) of {@code np.arange(6, dtype='<f4').reshape(2, 3)}:
     * 152 bytes, the header padded to 128.
     */
    private static final String NUMPY_ARANGE_2X3_F4 = "934e554d505901007600"
            + hexOf("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(58) + "\n")
            + "000000000000803f0000004000004040000080400000a040";

    private static String hexOf(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void writesTheBytesNumpySaveWrites() throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.write(file, NpyArray.ofFloat32(new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5}));
        assertEquals(NUMPY_ARANGE_2X3_F4, HexFormat.of().formatHex(Files.readAllBytes(file)));
    }

    @Test
    void headerIsAlignedTo64BytesForEveryShapeWidth() {
        for (int[] shape : new int[][] {{}, {0}, {7}, {123456789, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}) {
            byte[] header = Npy.header(Npy.DType.FLOAT64, shape);
            assertEquals(0, header.length % 64, "header of " + Arrays.toString(shape));
            assertEquals('\n', header[header.length - 1], "header of " + Arrays.toString(shape));
            int declared =
                    ByteBuffer.wrap(header, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
            assertEquals(header.length - 10, declared, "header length field of " + Arrays.toString(shape));
        }
        String text = new String(Npy.header(Npy.DType.INT64, new int[] {5}), StandardCharsets.US_ASCII);
        assertTrue(text.contains("'shape': (5,), }"), text);
        String scalar = new String(Npy.header(Npy.DType.INT64, new int[] {}), StandardCharsets.US_ASCII);
        assertTrue(scalar.contains("'shape': (), }"), scalar);
    }

    @Test
    void roundTripsEveryDtype() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        // 300,000 values: more than one 1 MiB chunk of the reader and writer
        int[] shape = {3, 100, 1000};
        float[] floats = new float[300_000];
        double[] doubles = new double[300_000];
        long[] longs = new long[300_000];
        short[] halves = new short[300_000];
        byte[] bytes = new byte[300_000];
        byte[] bools = new byte[300_000];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) random.nextGaussian();
            doubles[i] = random.nextGaussian() * 1e300;
            longs[i] = random.nextLong();
            halves[i] = (short) random.nextInt(1 << 16);
            bytes[i] = (byte) random.nextInt(256);
            bools[i] = (byte) random.nextInt(2);
        }
        doubles[0] = Double.NaN;
        doubles[1] = -0.0;
        doubles[2] = Double.NEGATIVE_INFINITY;
        for (NpyArray array : new NpyArray[] {
            NpyArray.ofFloat32(shape, floats),
            NpyArray.ofFloat64(shape, doubles),
            NpyArray.ofInt64(shape, longs),
            NpyArray.ofFloat16(shape, halves),
            NpyArray.ofUint8(shape, bytes),
            NpyArray.ofBool(shape, bools),
            NpyArray.ofFloat64(new int[] {}, new double[] {2.5}),
            NpyArray.ofFloat32(new int[] {0, 4}, new float[0])
        }) {
            Path file = dir.resolve("round-trip.npy");
            Npy.write(file, array);
            NpyArray back = Npy.read(file);
            assertEquals(array, back, array.toString());
            assertArrayEquals(array.shape(), Npy.readHeader(file).shape());
            assertEquals(
                    Npy.readHeader(file).dataOffset()
                            + (long) array.size() * array.dtype().itemSize(),
                    Files.size(file));
        }
        assertTrue(Files.notExists(dir.resolve("round-trip.npy.tmp")), "the temporary file is renamed away");
    }

    @Test
    void writesUint8WithTheHeaderNumpySaveWrites() throws IOException {
        Path file = dir.resolve("m.npy");
        byte[] values = {0, 1, (byte) 200, (byte) 255, 7, 9};
        Npy.write(file, NpyArray.ofUint8(new int[] {1, 2, 3}, values));
        byte[] bytes = Files.readAllBytes(file);
        // what numpy.save(np.zeros((1, 2, 3), np.uint8)) writes: 128 bytes of header, then the data
        assertEquals(
                "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 3), }" + " ".repeat(55) + "\n",
                new String(bytes, 10, 118, StandardCharsets.US_ASCII));
        assertEquals(128 + 6, bytes.length);
        NpyArray read = Npy.read(file);
        assertEquals(Npy.DType.UINT8, read.dtype());
        assertArrayEquals(values, read.toByteArray());
        assertArrayEquals(new float[] {0, 1, 200, 255, 7, 9}, read.toFloatArray(), "read unsigned");
    }

    @Test
    void float16ConvertsExactly() throws IOException {
        // 1, -2, the largest finite half, the smallest subnormal, the half nearest 1/3, -infinity, NaN
        ByteBuffer bits = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        for (int half : new int[] {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555, 0xFC00, 0x7E00}) {
            bits.putShort((short) half);
        }
        Path file = withData("{'descr': '<f2', 'fortran_order': False, 'shape': (7,), }", bits.array());
        NpyArray halves = Npy.read(file);
        assertEquals(Npy.DType.FLOAT16, halves.dtype());
        assertArrayEquals(
                new float[] {1f, -2f, 65504f, 0x1p-24f, 0.33325195f, Float.NEGATIVE_INFINITY, Float.NaN},
                halves.toFloatArray());
        assertArrayEquals(
                new double[] {1, -2, 65504, 0x1p-24, 0.33325195f, Double.NEGATIVE_INFINITY, Double.NaN},
                halves.toDoubleArray());
    }

    @Test
    void refusesABoolByteOtherThanZeroOrOne() throws IOException {
        Path file = withData("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[] {1, 2, 0});
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertTrue(
                e.getMessage().contains(file.toString()) && e.getMessage().contains("bool but holds byte 2 at index 1"),
                e.getMessage());
        IllegalArgumentException made = assertThrows(
                IllegalArgumentException.class, () -> NpyArray.ofBool(new int[] {2}, new byte[] {1, (byte) 255}));
        assertTrue(made.getMessage().contains("255 at index 1"), made.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> NpyArray.ofFloat32(new int[] {1}, new float[1]).toByteArray());
    }

    @Test
    void aDirectoryIsRefusedAsMissingNamingIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("d.npy"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Npy.read(folder));
        assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void readsFilesWrittenByNumpy() throws IOException, URISyntaxException {
        Path fixtures = Path.of(NpyTest.class
                        .getResource("/nri-networkx/numpy-int64.npy")
                        .toURI())
                .getParent();
        NpyArray int64 = Npy.read(fixtures.resolve("numpy-int64.npy"));
        assertEquals(Npy.DType.INT64, int64.dtype());
        assertArrayEquals(new int[] {1, 3}, int64.shape());
        assertArrayEquals(new long[] {-1, 1L << 40, 7}, int64.toLongArray());
        NpyArray edges = Npy.read(fixtures.resolve("edges.npy"));
        assertEquals(Npy.DType.FLOAT32, edges.dtype());
        assertArrayEquals(new int[] {6, 10, 10}, edges.shape());
        NpyArray data = Npy.read(fixtures.resolve("data.npy"));
        assertEquals(Npy.DType.FLOAT64, data.dtype());
        assertArrayEquals(new int[] {6, 20, 2, 10}, data.shape());
        Path copy = dir.resolve("numpy-int64.npy");
        Npy.write(copy, int64);
        assertArrayEquals(
                Files.readAllBytes(fixtures.resolve("numpy-int64.npy")),
                Files.readAllBytes(copy),
                "rewriting NumPy's file gives NumPy's bytes");
    }

    @Test
    void readsTheHexFixtureAndVersion2Headers() throws IOException {
        Path file = dir.resolve("hex.npy");
        Files.write(file, HexFormat.of().parseHex(NUMPY_ARANGE_2X3_F4));
        NpyArray array = Npy.read(file);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, array.toFloatArray());
        // The same header as format 2.0 (a four-byte length), keys in another order.
        String dict = "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}";
        String padded = dict + " ".repeat(64 - (12 + dict.length() + 1) % 64) + "\n";
        ByteBuffer v2 = ByteBuffer.allocate(12 + padded.length() + 24).order(ByteOrder.LITTLE_ENDIAN);
        v2.put(HexFormat.of().parseHex("934e554d5059"))
                .put((byte) 2)
                .put((byte) 0)
                .putInt(padded.length());
        v2.put(padded.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 6; i++) {
            v2.putFloat(i);
        }
        Files.write(file, v2.array());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, Npy.read(file).toFloatArray());
    }

    @Test
    void rejectsABadMagicString() throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.writeString(file, "PK\u0003\u0004 this is a zip");
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedDtypes() throws IOException {
        for (String descr : new String[] {">f4", "<i4", "<u2", "<c16"}) {
            Path file = withHeader("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,), }", 16);
            IOException e = assertThrows(IOException.class, () -> Npy.read(file), descr);
            assertTrue(
                    e.getMessage().contains(file.toString()) && e.getMessage().contains("'" + descr + "'"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("supported"), e.getMessage());
        }
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        Path file = withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", 32);
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void rejectsTruncatedAndOverlongData() throws IOException {
        Path short1 = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", 47);
        IOException e = assertThrows(IOException.class, () -> Npy.read(short1));
        assertTrue(
                e.getMessage().contains(short1.toString())
                        && e.getMessage().contains("truncated")
                        && e.getMessage().contains("48")
                        && e.getMessage().contains("47"),
                e.getMessage());
        Path longer = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", 56);
        e = assertThrows(IOException.class, () -> Npy.read(longer));
        assertTrue(e.getMessage().contains("8 bytes after"), e.getMessage());
        Path headerOnly = dir.resolve("header-only.npy");
        Files.write(headerOnly, Arrays.copyOf(Npy.header(Npy.DType.FLOAT32, new int[] {2}), 40));
        e = assertThrows(IOException.class, () -> Npy.read(headerOnly));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void rejectsAShapeThatDoesNotMatchTheValues() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloat64(new int[] {2, 3}, new double[5]));
        assertTrue(
                e.getMessage().contains("(2, 3)")
                        && e.getMessage().contains("6")
                        && e.getMessage().contains("5"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloat32(new int[] {-1}, new float[0]));
        assertThrows(
                IllegalStateException.class,
                () -> NpyArray.ofFloat32(new int[] {1}, new float[1]).toLongArray());
    }

    /** A version 1.0 file with this header dict (padded as NumPy pads) and {@code dataBytes} zero bytes. */
    private Path withHeader(String dict, int dataBytes) throws IOException {
        return withData(dict, new byte[dataBytes]);
    }

    /** A version 1.0 file with this header dict (padded as NumPy pads), then {@code data}. */
    private Path withData(String dict, byte[] data) throws IOException {
        String padded = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
        ByteBuffer buffer =
                ByteBuffer.allocate(10 + padded.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(HexFormat.of().parseHex("934e554d5059"))
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) padded.length());
        buffer.put(padded.getBytes(StandardCharsets.US_ASCII)).put(data);
        Path file = dir.resolve("h" + Math.abs(dict.hashCode()) + "-" + data.length + ".npy");
        Files.write(file, buffer.array());
        return file;
    }

    @Test
    void aWriteThatFailsNamesTheFileAndLeavesNothing() throws IOException {
        Path file = dir.resolve("x.npy");
        // the temporary file cannot be created: as for a full disk, the cause alone would not say which file
        Files.createDirectories(dir.resolve("x.npy.tmp/inside"));
        IOException e = assertThrows(
                IOException.class, () -> Npy.write(file, NpyArray.ofFloat32(new int[] {2}, new float[] {1, 2})));
        assertTrue(e.getMessage().startsWith("cannot write " + file + ": "), e.getMessage());
        assertFalse(Files.exists(file));
    }
}
