package dev.aimle.app.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Npy} against DJL's own {@code .npy} decoding ({@code NDList.decode}, DJL 0.36 on the
 * PyTorch engine), the measured gap that keeps ours (see {@link Npy}'s class documentation): DJL reads
 * our files to the same values, but it reads a big-endian file as little-endian, ignores bytes after
 * the data, and has no {@code .npy} encoder (only NPZ, its own format and safetensors).
 */
class NpyDjlTest {
    @TempDir
    Path dir;

    /** A version 1.0 file with the given dtype string and shape (NumPy's key order), then the data. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xFF);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void djlReadsOurFloat64AndInt64FilesToTheSameValues() throws IOException {
        double[] doubles = {1e-300, -2, Math.PI, Double.MAX_VALUE, 0.1, -0.0};
        long[] longs = {1L << 40, -3, 7};
        Npy.write(dir.resolve("f8.npy"), NpyArray.ofFloat64(new int[] {2, 3}, doubles));
        Npy.write(dir.resolve("i8.npy"), NpyArray.ofInt64(new int[] {3}, longs));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray f8 = NDList.decode(manager, Files.readAllBytes(dir.resolve("f8.npy")))
                    .singletonOrThrow();
            assertEquals(DataType.FLOAT64, f8.getDataType());
            assertEquals(new Shape(2, 3), f8.getShape());
            assertArrayEquals(doubles, f8.toDoubleArray(), 0.0);
            NDArray i8 = NDList.decode(manager, Files.readAllBytes(dir.resolve("i8.npy")))
                    .singletonOrThrow();
            assertEquals(DataType.INT64, i8.getDataType());
            assertArrayEquals(longs, i8.toLongArray());
        }
    }

    @Test
    void djlReadsOurFloat16Uint8AndBoolFilesToTheSameValues() throws IOException {
        // 1, -2, the largest finite half, the smallest subnormal
        short[] halves = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001};
        byte[] bytes = {0, 7, (byte) 200, (byte) 255};
        byte[] bools = {1, 0, 0, 1};
        Npy.write(dir.resolve("f2.npy"), NpyArray.ofFloat16(new int[] {2, 2}, halves));
        Npy.write(dir.resolve("u1.npy"), NpyArray.ofUint8(new int[] {4}, bytes));
        Npy.write(dir.resolve("b1.npy"), NpyArray.ofBool(new int[] {4}, bools));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray f2 = NDList.decode(manager, Files.readAllBytes(dir.resolve("f2.npy")))
                    .singletonOrThrow();
            assertEquals(DataType.FLOAT16, f2.getDataType());
            assertEquals(new Shape(2, 2), f2.getShape());
            assertArrayEquals(
                    Npy.read(dir.resolve("f2.npy")).toFloatArray(),
                    f2.toType(DataType.FLOAT32, false).toFloatArray());
            NDArray u1 = NDList.decode(manager, Files.readAllBytes(dir.resolve("u1.npy")))
                    .singletonOrThrow();
            assertEquals(DataType.UINT8, u1.getDataType());
            assertArrayEquals(new int[] {0, 7, 200, 255}, u1.toUint8Array());
            NDArray b1 = NDList.decode(manager, Files.readAllBytes(dir.resolve("b1.npy")))
                    .singletonOrThrow();
            assertEquals(DataType.BOOLEAN, b1.getDataType());
            assertArrayEquals(new boolean[] {true, false, false, true}, b1.toBooleanArray());
        }
    }

    @Test
    void djlReadsABigEndianFileAsLittleEndianWhereOursRefusesIt() throws IOException {
        byte[] file = npy(">f4", "(3,)", floats(ByteOrder.BIG_ENDIAN, 1, 2, 3));
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] swapped = new float[3];
            for (int i = 0; i < 3; i++) {
                swapped[i] = Float.intBitsToFloat(Integer.reverseBytes(Float.floatToIntBits(i + 1)));
            }
            assertArrayEquals(
                    swapped,
                    NDList.decode(manager, file).singletonOrThrow().toFloatArray(),
                    "DJL reads 1, 2, 3 with their bytes swapped");
        }
        Files.write(dir.resolve("be.npy"), file);
        IOException e = assertThrows(IOException.class, () -> Npy.read(dir.resolve("be.npy")));
        assertTrue(e.getMessage().contains(">f4"), e.getMessage());
    }

    @Test
    void djlIgnoresBytesAfterTheDataWhereOursRefusesThem() throws IOException {
        byte[] file = npy("<f4", "(2,)", floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(
                    new float[] {1, 2},
                    NDList.decode(manager, file).singletonOrThrow().toFloatArray());
        }
        Files.write(dir.resolve("long.npy"), file);
        IOException e = assertThrows(IOException.class, () -> Npy.read(dir.resolve("long.npy")));
        assertTrue(e.getMessage().contains("4 bytes after"), e.getMessage());
    }

    @Test
    void djlWritesNoNpyFileOnlyItsOtherEncodings() {
        assertEquals(
                List.of("ND_LIST", "NPZ", "SAFETENSORS"),
                Arrays.stream(NDList.Encoding.values()).map(Enum::name).toList(),
                "DJL has an encoding more: check whether it writes .npy and can replace Npy.write");
    }
}
