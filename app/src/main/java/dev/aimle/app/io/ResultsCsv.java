package dev.aimle.app.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A results CSV that survives being killed: every row is appended and flushed to the file as soon
 * as its point is finished, so a run that stops loses at most the point it was computing.
 *
 * <p>Opening an existing file reads its rows back (the points to skip on a resume). Its header must
 * be the expected one. A last line without its newline is the row being written when the process
 * died: it is dropped (the file is truncated to the last complete line) and its point is computed
 * again. Values never need quoting: a value holding a comma, quote or line break is refused.
 * Not thread-safe; callers serialise {@link #append}.
 */
public final class ResultsCsv implements AutoCloseable {
    private final Path file;
    private final List<String> header;
    private final List<List<String>> existing;
    private final boolean truncatedPartialLine;
    private final FileChannel channel;

    private ResultsCsv(
            Path file, List<String> header, List<List<String>> existing, boolean truncated, FileChannel channel) {
        this.file = file;
        this.header = header;
        this.existing = existing;
        this.truncatedPartialLine = truncated;
        this.channel = channel;
    }

    /**
     * Opens {@code file} for appending, creating it with {@code header}, or reading the rows it
     * already holds.
     *
     * @throws IllegalStateException when the file has another header or a row of the wrong width
     * @throws UncheckedIOException when it cannot be read or written
     */
    public static ResultsCsv open(Path file, List<String> header) {
        List<String> head = List.copyOf(header);
        head.forEach(ResultsCsv::requirePlain);
        try {
            List<List<String>> rows = new ArrayList<>();
            boolean truncated = false;
            if (Files.exists(file) && Files.size(file) > 0) {
                byte[] bytes = Files.readAllBytes(file);
                int end = completeLines(bytes);
                if (end < bytes.length) {
                    truncated = true;
                    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        c.truncate(end);
                    }
                }
                if (!parse(file, new String(bytes, 0, end, StandardCharsets.UTF_8), head, rows)) {
                    write(file, String.join(",", head) + "\n");
                }
            } else {
                write(file, String.join(",", head) + "\n");
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new ResultsCsv(file, head, List.copyOf(rows), truncated, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rows of {@code file} as they are, without changing it: a last line cut by a kill is left
     * out, a missing or empty file has none.
     *
     * @throws IllegalStateException when the file has another header or a row of the wrong width
     * @throws UncheckedIOException when it cannot be read
     */
    public static List<List<String>> read(Path file, List<String> header) {
        List<String> head = List.copyOf(header);
        List<List<String>> rows = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                byte[] bytes = Files.readAllBytes(file);
                parse(file, new String(bytes, 0, completeLines(bytes), StandardCharsets.UTF_8), head, rows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return List.copyOf(rows);
    }

    /** The length of the complete lines: up to and including the last newline. */
    private static int completeLines(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return end;
    }

    /**
     * Adds the rows of {@code text} (complete lines) to {@code rows}, checking the header.
     *
     * @return whether the text holds a header
     */
    private static boolean parse(Path file, String text, List<String> head, List<List<String>> rows) {
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
        // split leaves an empty string after the final newline
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        if (count == 0) {
            return false;
        }
        List<String> found = List.of(lines[0].strip().split(",", -1));
        if (!found.equals(head)) {
            throw new IllegalStateException(file + " has the columns " + found + ", expected " + head
                    + "; it was written by another version or another experiment");
        }
        for (int i = 1; i < count; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> cells = List.of(line.split(",", -1));
            if (cells.size() != head.size()) {
                throw new IllegalStateException(file + " line " + (i + 1) + " has " + cells.size()
                        + " values, expected " + head.size() + ": " + line);
            }
            rows.add(cells);
        }
        return true;
    }

    /** Writes a new file atomically, so that a kill leaves no half-written header. */
    private static void write(Path file, String text) throws IOException {
        RunDirectory.writeAtomically(file, text);
    }

    /** The column names. */
    public List<String> header() {
        return header;
    }

    /** The rows the file held when it was opened, in file order. */
    public List<List<String>> existingRows() {
        return existing;
    }

    /** Whether an incomplete last line (a row cut by a kill) was dropped when opening. */
    public boolean droppedPartialLine() {
        return truncatedPartialLine;
    }

    /** Appends one row and hands it to the operating system at once (one write call). */
    public void append(List<String> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException(
                    "row has " + row.size() + " values, the header " + header.size() + " (" + header + ")");
        }
        row.forEach(ResultsCsv::requirePlain);
        byte[] bytes = (String.join(",", row) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the file's rows by {@code rows} (e.g. sorted once the run is complete), atomically:
     * a temporary file, then a rename. Appending afterwards is not allowed.
     */
    public void rewrite(List<List<String>> rows) {
        StringBuilder s = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(
                        "row " + row + " has " + row.size() + " values, expected " + header.size());
            }
            row.forEach(ResultsCsv::requirePlain);
            s.append(String.join(",", row)).append('\n');
        }
        try {
            channel.close();
            RunDirectory.writeAtomically(file, s.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }

    private static void requirePlain(String value) {
        Objects.requireNonNull(value, "CSV value");
        if (value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("CSV value '" + value + "' holds a comma, quote or line break");
        }
    }

    /** Closes the file. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file + " " + Arrays.toString(header.toArray());
    }
}
