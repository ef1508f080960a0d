package dev.aimle.app.experiments.dvae;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Images and labels in the IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-...}), gzipped or raw: a big-endian magic number
 * (0x00000803 for images, 0x00000801 for labels), the dimensions, then one unsigned byte per value.
 * Pixels are scaled to [0, 1] (pixel / 255). A file is read whole: nothing may follow the declared
 * records, and a gzipped file is read to the end of its member, so that its trailer's CRC-32 and
 * length are checked (a damaged member is refused, never half-read).
 *
 * @param pixels row-major {@code count x rows x cols} values in [0, 1]
 * @param labels one label per image
 * @param rows image height
 * @param cols image width
 */
public record IdxImages(float[] pixels, byte[] labels, int rows, int cols) {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;
    private static final int MAX_IMAGES = 10_000_000;

    /** The number of images. */
    public int count() {
        return labels.length;
    }

    /** Pixels per image. */
    public int size() {
        return rows * cols;
    }

    /**
     * Reads a pair of files: {@code <prefix>-images-idx3-ubyte[.gz]} and
     * {@code <prefix>-labels-idx1-ubyte[.gz]} in {@code dir}.
     *
     * @param prefix {@code train} or {@code t10k}
     * @throws IOException naming the file on a bad magic number, a truncated file, or a count mismatch
     */
    public static IdxImages read(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        IdxImages read = readImages(images);
        byte[] labelValues = readLabels(labels);
        if (labelValues.length != read.count()) {
            throw new IOException(labels + " holds " + labelValues.length + " labels but " + images + " holds "
                    + read.count() + " images; they must be equal");
        }
        return new IdxImages(read.pixels, labelValues, read.rows, read.cols);
    }

    /** The file {@code name} or {@code name.gz} in {@code dir}. */
    static Path find(Path dir, String name) throws IOException {
        for (Path candidate : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException("no " + name + " or " + name + ".gz in " + dir);
    }

    static IdxImages readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + " has magic number 0x" + Integer.toHexString(magic)
                        + "; an IDX image file starts with 0x803");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0
                    || count > MAX_IMAGES
                    || rows < 1
                    || cols < 1
                    || rows > 4096
                    || cols > 4096
                    || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
                throw new IOException(file + " declares " + count + " images of " + rows + "x" + cols
                        + ", more than this reader holds in memory (or not positive)");
            }
            float[] pixels = new float[count * rows * cols];
            byte[] buffer = new byte[rows * cols];
            for (int i = 0; i < count; i++) {
                readFully(in, buffer, file, i, count);
                for (int j = 0; j < buffer.length; j++) {
                    pixels[i * buffer.length + j] = (buffer[j] & 0xFF) / 255f;
                }
            }
            requireEnd(in, file, count);
            return new IdxImages(pixels, new byte[count], rows, cols);
        } catch (ZipException e) {
            throw damaged(file, e);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated inside its header", e);
        }
    }

    /**
     * Reads past the last record: there must be nothing, and reading a gzip member to its end is
     * what makes {@link GZIPInputStream} check its trailer (CRC-32 and length).
     */
    private static void requireEnd(DataInputStream in, Path file, int count) throws IOException {
        if (in.read() != -1) {
            throw new IOException(
                    file + " holds more bytes after its " + count + " records; an IDX file ends with its last record");
        }
    }

    private static IOException damaged(Path file, ZipException e) {
        return new IOException(
                file + " is damaged: its gzip data does not check out (" + e.getMessage() + "); maybe download it"
                        + " again",
                e);
    }

    static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + " has magic number 0x" + Integer.toHexString(magic)
                        + "; an IDX label file starts with 0x801");
            }
            int count = in.readInt();
            if (count < 0 || count > MAX_IMAGES) {
                throw new IOException(file + " declares " + count + " labels");
            }
            byte[] labels = new byte[count];
            readFully(in, labels, file, 0, count);
            requireEnd(in, file, count);
            return labels;
        } catch (ZipException e) {
            throw damaged(file, e);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated inside its header", e);
        }
    }

    private static void readFully(DataInputStream in, byte[] buffer, Path file, int index, int count)
            throws IOException {
        try {
            in.readFully(buffer);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: it ends inside record " + index + " of " + count, e);
        }
    }

    /** Opens a raw or gzipped file, recognised by the gzip magic bytes rather than the name. */
    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        return new DataInputStream(new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16));
    }
}
