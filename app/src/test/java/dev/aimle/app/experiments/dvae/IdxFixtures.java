package dev.aimle.app.experiments.dvae;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small generated IDX files in the MNIST layout, for the loader and the end-to-end tests. */
final class IdxFixtures {
    private IdxFixtures() {}

    /** IDX image bytes: magic 0x803, count, rows, cols, then the pixels. */
    static byte[] images(int count, int rows, int cols, SplittableRandom random) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < count * rows * cols; i++) {
                // blobs: a bright square whose position depends on the image, as in digits
                int image = i / (rows * cols);
                int r = (i % (rows * cols)) / cols;
                int c = i % cols;
                boolean on =
                        Math.abs(r - (image * 7) % rows) < rows / 4 && Math.abs(c - (image * 11) % cols) < cols / 4;
                out.writeByte(on ? 200 + random.nextInt(56) : random.nextInt(20));
            }
        }
        return bytes.toByteArray();
    }

    /** IDX label bytes: magic 0x801, count, then the labels. */
    static byte[] labels(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(i % 10);
            }
        }
        return bytes.toByteArray();
    }

    static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out =
                gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    /** A directory with the four files: {@code train} and {@code test} images of 28 x 28, gzipped or not. */
    static Path dataset(Path dir, int train, int test, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(5);
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + suffix), images(train, 28, 28, random), gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + suffix), labels(train), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte" + suffix), images(test, 28, 28, random), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), labels(test), gzip);
        return dir;
    }
}
