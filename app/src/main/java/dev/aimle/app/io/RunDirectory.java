package dev.aimle.app.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The directory of one experiment run: its {@code run.json} (the configuration under
 * {@value #CONFIGURATION}, plus whatever the experiment records: seeds, versions, device, host,
 * wall time) next to its result files.
 *
 * <p>Opening a directory that already holds a {@code run.json} resumes that run, but only when the
 * configuration is equal to the one given; otherwise it is refused with a
 * {@link RunConflictException} naming the keys that differ. A directory holding the given
 * {@code results} file with a result row but no {@code run.json} is refused too (its results could
 * come from anything); one whose results file holds at most a header (a run killed before its first
 * result) starts afresh. Every rewritten file is written atomically (a temporary file, then a
 * rename), so a kill at any moment leaves either the old or the new content. While open, the directory is locked ({@value #LOCK}) so that a second process cannot
 * append to the same results.
 */
public final class RunDirectory implements AutoCloseable {
    /** The run's description file. */
    public static final String RUN_JSON = "run.json";

    /** The key of the configuration in {@code run.json}; resuming requires it unchanged. */
    public static final String CONFIGURATION = "configuration";

    /** The lock file held while the run is open. */
    public static final String LOCK = ".lock";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final ObjectNode previous;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDirectory(Path dir, ObjectNode previous, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.previous = previous;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if needed) and locks a run directory for a run with this configuration.
     *
     * @param dir the directory
     * @param configuration what must be equal for a resume (compared as JSON trees)
     * @param results the name of the results file whose presence without a {@code run.json} means
     *     the directory holds results of an unknown run
     * @throws RunConflictException when the directory belongs to another run or is in use
     * @throws UncheckedIOException when it cannot be created or read
     */
    public static RunDirectory open(Path dir, ObjectNode configuration, String results) {
        Objects.requireNonNull(configuration, "configuration");
        Path abs = dir.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs) && !Files.isDirectory(abs)) {
                throw new RunConflictException(
                        "output " + abs + " exists and is not a directory; choose another --out");
            }
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory " + abs + ": " + e.getMessage(), e);
        }
        FileChannel channel = null;
        FileLock lock;
        try {
            channel = FileChannel.open(abs.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new RunConflictException(
                        "run directory " + abs + " is in use by another run; wait for it or choose another --out");
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the run directory " + abs + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        try {
            ObjectNode previous = readPrevious(abs, configuration, results);
            return new RunDirectory(abs, previous, channel, lock);
        } catch (RuntimeException e) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // the channel is closed below, which releases the lock anyway
            }
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * The {@code run.json} of an existing run with this configuration, read without locking or
     * changing anything (for a report of the run as it is, even while it runs).
     *
     * @throws RunConflictException when {@code dir} holds no run or a run of another configuration
     */
    public static ObjectNode existing(Path dir, ObjectNode configuration, String results) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve(RUN_JSON))) {
            throw new RunConflictException(abs + " holds no run (no " + RUN_JSON + "): there is nothing to report");
        }
        return readPrevious(abs, configuration, results);
    }

    private static ObjectNode readPrevious(Path dir, ObjectNode configuration, String results) {
        Path runJson = dir.resolve(RUN_JSON);
        if (!Files.exists(runJson)) {
            Path resultsFile = dir.resolve(results);
            if (Files.exists(resultsFile)) {
                if (!holdsARow(resultsFile)) {
                    // A run killed before its first result: at most a header (or part of one). Nothing
                    // was computed, so the run starts afresh.
                    try {
                        Files.delete(resultsFile);
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                "cannot remove the empty " + resultsFile + ": " + e.getMessage(), e);
                    }
                    return null;
                }
                throw new RunConflictException("run directory " + dir + " holds " + results + " but no " + RUN_JSON
                        + ", so its results cannot be checked against this configuration; choose another --out");
            }
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(runJson.toFile());
        } catch (JsonProcessingException e) {
            // no parser internals in the message: where it broke and what to do
            JsonLocation at = e.getLocation();
            throw new RunConflictException(runJson + " is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + "; it was edited or written by something else. Move it away to start afresh, or choose another"
                    + " --out");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runJson + ": " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object) || !(object.get(CONFIGURATION) instanceof ObjectNode old)) {
            throw new RunConflictException(runJson + " has no '" + CONFIGURATION + "' object; it was edited or written"
                    + " by something else. Move it away to start afresh, or choose another --out");
        }
        if (!old.equals(configuration)) {
            throw new RunConflictException("run directory " + dir + " holds a run with a different configuration ("
                    + describeDifferences(old, configuration) + "); run again with the same options to resume it,"
                    + " or choose another --out");
        }
        return object;
    }

    /** Whether the file holds a complete line after its first (a row after the header). */
    private static boolean holdsARow(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int newlines = 0;
            for (byte b : bytes) {
                if (b == '\n' && ++newlines > 1) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** "key: old there, new here" for every differing top-level key, sorted by key. */
    static String describeDifferences(ObjectNode there, ObjectNode here) {
        TreeSet<String> keys = new TreeSet<>();
        there.fieldNames().forEachRemaining(keys::add);
        here.fieldNames().forEachRemaining(keys::add);
        List<String> parts = new ArrayList<>();
        for (String key : keys) {
            JsonNode a = there.get(key);
            JsonNode b = here.get(key);
            if (!Objects.equals(a, b)) {
                parts.add(key + ": " + (a == null ? "absent" : a.toString()) + " there, "
                        + (b == null ? "absent" : b.toString()) + " here");
            }
        }
        return String.join("; ", parts);
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** A file in the directory. */
    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Whether a {@code run.json} was there already (this is a resumed run). */
    public boolean resumed() {
        return previous != null;
    }

    /** A copy of the previous {@code run.json}, or an empty object for a new run. */
    public ObjectNode previousRunJson() {
        return previous == null ? JSON.createObjectNode() : previous.deepCopy();
    }

    /** A fresh JSON object, for building {@code run.json}. */
    public static ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    /** Converts a value (records, maps, lists, numbers) to a JSON tree. */
    public static JsonNode toTree(Object value) {
        return JSON.valueToTree(value);
    }

    /** Writes {@code run.json} atomically (a temporary file, then a rename). */
    public void writeRunJson(ObjectNode runJson) {
        try {
            writeAtomically(resolve(RUN_JSON), JSON.writeValueAsString(runJson) + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + resolve(RUN_JSON) + ": " + e.getMessage(), e);
        }
    }

    /** Writes a text file in the directory atomically. */
    public void writeText(String name, String text) {
        try {
            writeAtomically(resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file through a temporary sibling and an atomic rename (for any experiment's files). */
    public static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        moveAtomically(tmp, target);
    }

    /** Renames {@code from} over {@code to}, atomically where the file system can. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Adds every entry of {@code values} to {@code node}, in order. */
    public static ObjectNode putAll(ObjectNode node, Map<String, ?> values) {
        values.forEach((key, value) -> node.set(key, toTree(value)));
        return node;
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock of " + dir + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a lock file: nothing to report that the caller could act on
            }
        }
    }
}
