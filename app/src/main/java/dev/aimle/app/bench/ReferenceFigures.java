package dev.aimle.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Medians of the PyTorch reference implementation measured on this machine by
 * {@code scripts/bench-vs-reference}: a file of {@code case <TAB> variant <TAB> median ms} rows after
 * one {@code #} line saying when and how they were measured. The bench compares with them only when
 * given the file ({@code --reference}), and every note names the file and the date on that line.
 */
public final class ReferenceFigures {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");

    private final String source;
    private final Map<String, Double> medians;

    private ReferenceFigures(String source, Map<String, Double> medians) {
        this.source = source;
        this.medians = Map.copyOf(medians);
    }

    /** No figures: the bench prints no comparison. */
    public static ReferenceFigures none() {
        return new ReferenceFigures("", Map.of());
    }

    /**
     * Reads a file written by {@code scripts/bench-vs-reference}.
     *
     * @throws IllegalArgumentException naming the file and line when a row is malformed
     */
    public static ReferenceFigures read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the reference figures " + file
                            + "; maybe run scripts/bench-vs-reference first, which writes them",
                    e);
        }
        String header = "";
        Map<String, Double> medians = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                header = header.isEmpty() ? line.substring(1).trim() : header;
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            try {
                medians.put(key(fields[0], fields[1]), Double.parseDouble(fields[2]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        file + " line " + (i + 1) + " is not 'case<TAB>variant<TAB>median ms': " + line, e);
            }
        }
        Matcher date = DATE.matcher(header);
        return new ReferenceFigures(file.getFileName() + (date.find() ? " of " + date.group() : ""), medians);
    }

    /** The reference median of a row, if measured. */
    public Optional<Double> median(String size, String variant) {
        return Optional.ofNullable(medians.get(key(size, variant)));
    }

    /** A note comparing {@code ours} with the reference row, or empty. */
    public String note(String size, String variant, double ours) {
        return median(size, variant)
                .map(r ->
                        String.format(Locale.ROOT, "ours/reference %.2f (reference %.3f ms, %s)", ours / r, r, source))
                .orElse("");
    }

    private static String key(String size, String variant) {
        return size + "\u0000" + variant;
    }
}
