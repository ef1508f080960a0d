package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every IDX file is verified whole: a gzip member's CRC and length (read from its trailer), no bytes
 * after the declared records, train and test images of one size, and at least one image in each set.
 * A damaged file is refused naming it and what is wrong.
 */
class IdxCorruptionTest {
    @TempDir
    Path dir;

    private Path images(Path data) {
        return data.resolve("train-images-idx3-ubyte.gz");
    }

    @Test
    void aGzipMemberWithABadCrcIsRefused() throws IOException {
        Path data = IdxFixtures.dataset(dir.resolve("crc"), 12, 3, true);
        byte[] bytes = Files.readAllBytes(images(data));
        bytes[bytes.length - 8] ^= 0x01; // the trailer: CRC-32 (4 bytes), then the length (4 bytes)
        Files.write(images(data), bytes);
        IOException e = assertThrows(IOException.class, () -> IdxImages.read(data, "train"));
        assertTrue(
                e.getMessage().startsWith(images(data) + " is damaged: its gzip data does not check out ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("); maybe download it again"), e.getMessage());
    }

    @Test
    void aFlippedByteInsideTheCompressedDataIsRefused() throws IOException {
        Path data = IdxFixtures.dataset(dir.resolve("flip"), 12, 3, true);
        byte[] good = Files.readAllBytes(images(data));
        // every byte of the deflate stream in turn: each flip must be refused or read back the same
        int refused = 0;
        for (int i = 10; i < good.length - 8; i += 7) {
            byte[] bytes = good.clone();
            bytes[i] ^= 0x10;
            Files.write(images(data), bytes);
            try {
                IdxImages.read(data, "train");
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith(images(data).toString()), e.getMessage());
                refused++;
                continue;
            }
            throw new AssertionError("a flip at byte " + i + " of " + good.length + " was accepted");
        }
        assertTrue(refused > 0);
    }

    @Test
    void bytesAfterTheRecordsAreRefused() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path data = dir.resolve("trailing-" + gzip);
            IdxFixtures.dataset(data, 12, 3, gzip);
            byte[] bytes = IdxFixtures.images(12, 28, 28, new SplittableRandom(5));
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 5);
            Path file = data.resolve("train-images-idx3-ubyte" + (gzip ? ".gz" : ""));
            IdxFixtures.write(file, longer, gzip);
            IOException e = assertThrows(IOException.class, () -> IdxImages.read(data, "train"));
            assertEquals(
                    file + " holds more bytes after its 12 records; an IDX file ends with its last record",
                    e.getMessage());
            Path labels = data.resolve("train-labels-idx1-ubyte" + (gzip ? ".gz" : ""));
            IdxFixtures.write(file, bytes, gzip);
            byte[] labelBytes = IdxFixtures.labels(12);
            IdxFixtures.write(labels, Arrays.copyOf(labelBytes, labelBytes.length + 1), gzip);
            e = assertThrows(IOException.class, () -> IdxImages.read(data, "train"));
            assertEquals(
                    labels + " holds more bytes after its 12 records; an IDX file ends with its last record",
                    e.getMessage());
        }
    }

    @Test
    void testImagesOfAnotherShapeAreRefused() throws IOException {
        Path data = IdxFixtures.dataset(dir.resolve("shape"), 12, 3, false);
        // as many pixels as 28 x 28, in another shape
        IdxFixtures.write(
                data.resolve("t10k-images-idx3-ubyte"), IdxFixtures.images(3, 14, 56, new SplittableRandom(1)), false);
        IOException e = assertThrows(IOException.class, () -> DvaeData.load(data, 0));
        assertEquals(
                data.resolve("t10k-images-idx3-ubyte") + " holds images of 14 x 56 but "
                        + data.resolve("train-images-idx3-ubyte") + " of 28 x 28; they must be the same",
                e.getMessage());
    }

    @Test
    void anEmptySetIsRefusedInsteadOfReportingLossesOfZero() throws IOException {
        Path data = IdxFixtures.dataset(dir.resolve("empty"), 12, 0, false);
        IOException e = assertThrows(IOException.class, () -> DvaeData.load(data, 0));
        assertEquals(data.resolve("t10k-images-idx3-ubyte") + " holds no images", e.getMessage());
        Path tooFew = IdxFixtures.dataset(dir.resolve("few"), 5, 3, false);
        e = assertThrows(IOException.class, () -> DvaeData.load(tooFew, 0));
        assertEquals(
                tooFew.resolve("train-images-idx3-ubyte") + " holds 5 images: too few to split off a validation"
                        + " set (a sixth of them) and train on the rest; at least 6 are needed",
                e.getMessage());
    }
}
