package dev.aimle.app.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The training state an experiment's checkpoint holds: a block's parameters (with whatever state
 * its blocks save, e.g. a discrete layer's noise stream and estimator state) in {@code
 * model.params}, and Adam's moments in {@code optimizer.bin}. Restoring both and continuing gives
 * the same numbers as never stopping.
 *
 * <p>{@code checksums} records each file's CRC-32C and length as written; {@link #restore} checks
 * both files against it before loading, so a bit flipped or a file cut short on disk is refused
 * naming the file instead of loading damaged parameters. (A checkpoint written before checksums
 * were, without the file, loads unchecked.)
 */
public final class TrainingCheckpoint {
    /** The parameters file. */
    public static final String PARAMETERS = "model.params";
    /** The optimiser file. */
    public static final String OPTIMIZER = "optimizer.bin";

    private TrainingCheckpoint() {}

    /** The checksums file: one line {@code <crc32c in hex> <length> <file name>} per file. */
    public static final String CHECKSUMS = "checksums";

    /**
     * Writes the block's parameters and the optimiser's state into {@code dir}, then their checksums.
     *
     * @throws IOException naming the file that could not be written (a full disk, say)
     */
    public static void save(Path dir, Block block, ResumableAdam adam) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        Path parameters = dir.resolve(PARAMETERS);
        try (Sink sink = new Sink(parameters)) {
            block.saveParameters(sink.out);
            sums.put(PARAMETERS, sink.finish());
        } catch (IOException e) {
            throw cannotWrite(parameters, e);
        }
        Path optimizer = dir.resolve(OPTIMIZER);
        try (Sink sink = new Sink(optimizer)) {
            adam.save(block.getParameters(), sink.out);
            sums.put(OPTIMIZER, sink.finish());
        } catch (IOException e) {
            throw cannotWrite(optimizer, e);
        }
        StringBuilder lines = new StringBuilder();
        sums.forEach((name, sum) -> lines.append(sum).append(' ').append(name).append('\n'));
        Path checksums = dir.resolve(CHECKSUMS);
        try {
            Files.writeString(checksums, lines, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw cannotWrite(checksums, e);
        }
    }

    private static IOException cannotWrite(Path file, IOException e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return cause.contains(file.toString()) ? e : new IOException("cannot write " + file + ": " + cause, e);
    }

    /** A file being written with its CRC-32C and length counted on the way. */
    private static final class Sink implements AutoCloseable {
        private final Path file;
        private final CRC32C crc = new CRC32C();
        final DataOutputStream out;
        private boolean closed;

        Sink(Path file) throws IOException {
            this.file = file;
            out = new DataOutputStream(
                    new BufferedOutputStream(new CheckedOutputStream(Files.newOutputStream(file), crc), 1 << 16));
        }

        /** Flushes and closes; returns {@code "<crc> <length>"} of what is on disk. */
        String finish() throws IOException {
            close();
            return sum(crc.getValue(), Files.size(file));
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                out.close();
            }
        }
    }

    private static String sum(long crc, long length) {
        return String.format(Locale.ROOT, "%08x %d", crc, length);
    }

    /**
     * Checks the files of the checkpoint {@code dir} against its {@value #CHECKSUMS}.
     *
     * @throws IOException naming a file whose CRC-32C or length differs, or that is missing
     */
    static void verify(Path dir) throws IOException {
        Path checksums = dir.resolve(CHECKSUMS);
        if (!Files.isRegularFile(checksums)) {
            return;
        }
        List<String> lines = Files.readAllLines(checksums, StandardCharsets.US_ASCII);
        for (String line : lines) {
            String[] parts = line.strip().split(" ");
            if (parts.length != 3 || !List.of(PARAMETERS, OPTIMIZER).contains(parts[2])) {
                throw damaged(checksums, "is damaged: the line '" + line + "' is not '<crc32c> <length> <file>'");
            }
            Path file = dir.resolve(parts[2]);
            String expected = parts[0] + " " + parts[1];
            String actual = Files.isRegularFile(file) ? checksum(file) : "missing";
            if (!actual.equals(expected)) {
                throw damaged(
                        file,
                        "is damaged: its CRC-32C and length are " + actual + ", the checkpoint recorded " + expected
                                + " when it wrote it");
            }
        }
    }

    private static String checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long length = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
                length += n;
            }
        }
        return sum(crc.getValue(), length);
    }

    /**
     * Loads what {@link #save} wrote into an initialised block and the optimiser; the parameters
     * that are trained require gradients again (DJL's loading does not keep that). Create the trainer after this.
     *
     * @throws IOException when a file is damaged (its checksum differs), and when the files do not
     *     fit the block
     */
    public static void restore(Path dir, Block block, NDManager manager, ResumableAdam adam) throws IOException {
        verify(dir);
        Path parameters = dir.resolve(PARAMETERS);
        try (DataInputStream in = dataIn(parameters)) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw damaged(parameters, "does not fit this run (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw damaged(parameters, "is truncated");
        }
        // running statistics (batch norm) are parameters that are not trained
        block.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .forEach(p -> p.getArray().setRequiresGradient(true));
        Path optimizer = dir.resolve(OPTIMIZER);
        try (DataInputStream in = dataIn(optimizer)) {
            adam.load(block.getParameters(), in);
        } catch (EOFException e) {
            throw damaged(optimizer, "is truncated");
        }
    }

    /** A checkpoint file that cannot be used, named with what is wrong and the way out. */
    private static IOException damaged(Path file, String what) {
        Path run = file.getParent().getParent();
        return new IOException(
                file + " " + what + "; the run cannot resume from it. Move " + run + " away to start that run afresh");
    }

    private static DataOutputStream dataOut(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    private static DataInputStream dataIn(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }
}
