package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarcraftNpyTest {
    @TempDir
    Path dir;

    @Test
    void uint8RoundTripWithNumpysHeader() throws IOException {
        Path file = dir.resolve("m.npy");
        byte[] values = {0, 1, (byte) 200, (byte) 255, 7, 9};
        WarcraftNpy.writeUint8(file, new int[] {1, 2, 3}, values);
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
        // what numpy.save(np.zeros((1, 2, 3), np.uint8)) writes: 128 bytes of header, then the data
        assertTrue(header.startsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 3), }"), header);
        assertEquals(128 + 6, bytes.length);
        assertEquals('\n', bytes[127]);
        WarcraftNpy.Values read = WarcraftNpy.read(file);
        assertEquals("|u1", read.descr());
        assertArrayEquals(new int[] {1, 2, 3}, read.shape());
        assertArrayEquals(values, read.bytes());
        assertEquals(200f, read.get(2));
        assertNull(read.floats());
    }

    @Test
    void float16AndBool() throws IOException {
        Path half = write("h.npy", "<f2", "(5,)", shorts(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555));
        WarcraftNpy.Values h = WarcraftNpy.read(half);
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, 0.33325195f}, h.floats());
        Path bool = write("b.npy", "|b1", "(3,)", new byte[] {1, 0, 1});
        assertArrayEquals(new byte[] {1, 0, 1}, WarcraftNpy.read(bool).bytes());
        Path badBool = write("bb.npy", "|b1", "(2,)", new byte[] {1, 2});
        IOException e = assertThrows(IOException.class, () -> WarcraftNpy.read(badBool));
        assertTrue(e.getMessage().contains("bb.npy") && e.getMessage().contains("byte 2 at index 1"), e.getMessage());
    }

    @Test
    void refusesMalformedFilesNamingThem() throws IOException {
        Path truncated = write("t.npy", "|u1", "(4,)", new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> WarcraftNpy.read(truncated));
        assertTrue(
                e.getMessage().contains("t.npy is truncated") && e.getMessage().contains("needs 4 bytes"),
                e.getMessage());
        Path longer = write("l.npy", "|u1", "(2,)", new byte[] {1, 2, 3});
        e = assertThrows(IOException.class, () -> WarcraftNpy.read(longer));
        assertTrue(e.getMessage().contains("l.npy has extra bytes"), e.getMessage());
        Path type = write("y.npy", "<u2", "(1,)", new byte[] {1, 0});
        e = assertThrows(IOException.class, () -> WarcraftNpy.read(type));
        assertTrue(e.getMessage().contains("y.npy has dtype '<u2'"), e.getMessage());
        Path notNpy = dir.resolve("x.npy");
        Files.write(notNpy, "hello, this is not numpy".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(IOException.class, () -> WarcraftNpy.read(notNpy));
        assertTrue(e.getMessage().contains("x.npy is not a .npy file"), e.getMessage());
    }

    private static byte[] shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putShort((short) v);
        }
        return buffer.array();
    }

    /** A version 1.0 file with a hand-written header (numpy's layout: 64-byte aligned data). */
    private Path write(String name, String descr, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int padding = 64 - (10 + dict.length() + 1) % 64;
        byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) header.length).put(header).put(data);
        Path file = dir.resolve(name);
        Files.write(file, out.array());
        return file;
    }
}
