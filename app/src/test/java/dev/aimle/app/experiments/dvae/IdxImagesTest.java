package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class IdxImagesTest {
    @TempDir
    Path dir;

    @Test
    void gzippedAndRawFilesReadTheSame() throws IOException {
        IdxImages gz = IdxImages.read(IdxFixtures.dataset(dir.resolve("gz"), 12, 3, true), "train");
        IdxImages raw = IdxImages.read(IdxFixtures.dataset(dir.resolve("raw"), 12, 3, false), "train");
        assertEquals(12, gz.count());
        assertEquals(784, gz.size());
        assertArrayEquals(raw.pixels(), gz.pixels());
        assertArrayEquals(raw.labels(), gz.labels());
        byte[] bytes = IdxFixtures.images(12, 28, 28, new SplittableRandom(5));
        assertEquals((bytes[16] & 0xFF) / 255f, gz.pixels()[0], 0f, "pixel / 255");
        assertTrue(Arrays.stream(toDouble(gz.pixels())).allMatch(v -> v >= 0 && v <= 1));
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void aBadMagicNumberATruncatedFileAndACountMismatchAreRefusedNamingTheFile() throws IOException {
        Path data = IdxFixtures.dataset(dir.resolve("d"), 12, 3, false);
        Path images = data.resolve("train-images-idx3-ubyte");
        byte[] good = Files.readAllBytes(images);

        byte[] badMagic = good.clone();
        badMagic[3] = 0x01;
        Files.write(images, badMagic);
        IOException magic = assertThrows(IOException.class, () -> IdxImages.read(data, "train"));
        assertEquals(images + " has magic number 0x801; an IDX image file starts with 0x803", magic.getMessage());

        Files.write(images, Arrays.copyOf(good, good.length - 100));
        IOException truncated = assertThrows(IOException.class, () -> IdxImages.read(data, "train"));
        assertEquals(images + " is truncated: it ends inside record 11 of 12", truncated.getMessage());

        Files.write(images, Arrays.copyOf(good, 10));
        assertTrue(assertThrows(IOException.class, () -> IdxImages.read(data, "train"))
                .getMessage()
                .contains("truncated inside its header"));

        Files.write(images, good);
        IdxFixtures.write(data.resolve("train-labels-idx1-ubyte"), IdxFixtures.labels(11), false);
        IOException mismatch = assertThrows(IOException.class, () -> IdxImages.read(data, "train"));
        assertTrue(
                mismatch.getMessage().contains("holds 11 labels but")
                        && mismatch.getMessage().contains("12 images"),
                mismatch.getMessage());
    }

    @Test
    void missingDataSaysHowToGetIt() {
        IOException e = assertThrows(IOException.class, () -> DvaeData.checkPresent(dir.resolve("none")));
        assertTrue(
                e.getMessage().contains("apt-get install dataset-fashion-mnist")
                        && e.getMessage().contains("--data DIR"),
                e.getMessage());
        IOException empty = assertThrows(IOException.class, () -> DvaeData.checkPresent(dir));
        assertTrue(
                empty.getMessage().startsWith("no train-images-idx3-ubyte or train-images-idx3-ubyte.gz in " + dir),
                empty.getMessage());
    }

    @Test
    void theValidationSplitIsFixedAndDisjoint() throws IOException {
        Path data = IdxFixtures.dataset(dir.resolve("s"), 60, 6, true);
        DvaeData a = DvaeData.load(data, 0);
        DvaeData b = DvaeData.load(data, 0);
        assertEquals(10, a.validationCount(), "a sixth of a small set");
        assertEquals(50, a.trainCount());
        assertEquals(6, a.testCount());
        assertArrayEquals(a.validation(), b.validation(), "the split does not depend on anything but the data");
        assertEquals(20, DvaeData.load(data, 20).trainCount());
    }
}
