package dev.aimle.app.harness;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aimle.app.io.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One run of an experiment in its own directory: {@code spec.json} in, a CSV of rows out, a
 * checkpoint directory after every row. Started again on the same directory a run resumes from the
 * last complete checkpoint; a kill at any moment leaves that checkpoint in force, because {@code
 * progress.json} (which names it and holds the rows so far) is replaced atomically only after the
 * checkpoint is written. What goes into a checkpoint (parameters, optimiser, estimator state) is the
 * experiment's business; this class owns the directory protocol.
 *
 * <p>A run depends only on its directory and its spec, so a sweep can dispatch runs anywhere (see
 * {@link UnitDispatcher}).
 *
 * @param <S> the experiment's spec
 */
public final class RunUnit<S extends UnitSpec> {
    /** The spec of the run. */
    public static final String SPEC = "spec.json";
    /** The last complete checkpoint and the rows so far. */
    public static final String PROGRESS = "progress.json";

    private static final String CHECKPOINT_PREFIX = "checkpoint-";
    // NaN (a quantity a method does not have) is written as a number token and read back
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final Path dir;
    private final S spec;
    private final String csvName;
    private final List<String> columns;

    private RunUnit(Path dir, S spec, String csvName, List<String> columns) {
        this.dir = dir;
        this.spec = spec;
        this.csvName = csvName;
        this.columns = List.copyOf(columns);
    }

    /**
     * Prepares a run directory: writes the spec, or checks that the one there is equal but for
     * {@link UnitSpec#extensibleKeys()} (then the new values are written).
     *
     * @param parser reads a spec back from its map
     * @param csvName the file of rows, e.g. {@code epochs.csv}
     * @param columns the keys of every row, in CSV order
     * @throws IllegalArgumentException if the directory holds another run
     */
    public static <S extends UnitSpec> RunUnit<S> prepare(
            Path dir, S spec, Function<Map<String, Object>, S> parser, String csvName, List<String> columns)
            throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(SPEC);
        String text = JSON.writeValueAsString(spec.toMap());
        if (Files.exists(file)) {
            S existing = parser.apply(readSpecMap(dir));
            Map<String, Object> there = new TreeMap<>(existing.toMap());
            Map<String, Object> here = new TreeMap<>(spec.toMap());
            there.keySet().removeAll(spec.extensibleKeys());
            here.keySet().removeAll(spec.extensibleKeys());
            if (!JSON.valueToTree(there).equals(JSON.valueToTree(here))) {
                throw new IllegalArgumentException(
                        dir + " holds another run (" + existing + "), not " + spec + "; choose another --out");
            }
            if (!JSON.valueToTree(existing.toMap()).equals(JSON.valueToTree(spec.toMap()))) {
                RunDirectory.writeAtomically(file, text);
            }
        } else {
            RunDirectory.writeAtomically(file, text);
        }
        return new RunUnit<>(dir, spec, csvName, columns);
    }

    /** Opens an existing run directory by its spec. */
    public static <S extends UnitSpec> RunUnit<S> open(
            Path dir, Function<Map<String, Object>, S> parser, String csvName, List<String> columns)
            throws IOException {
        if (!Files.exists(dir.resolve(SPEC))) {
            throw new IllegalArgumentException(dir + " holds no " + SPEC + ": it is not a run directory");
        }
        return new RunUnit<>(dir, parser.apply(readSpecMap(dir)), csvName, columns);
    }

    private static Map<String, Object> readSpecMap(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(SPEC).toFile(), new TypeReference<Map<String, Object>>() {});
    }

    /** The spec. */
    public S spec() {
        return spec;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The rows file, e.g. {@code dir/epochs.csv}. */
    public Path csv() {
        return dir.resolve(csvName);
    }

    /** The columns of the rows. */
    public List<String> columns() {
        return columns;
    }

    /** What {@code progress.json} holds ({@code epoch} was the name of {@code row} in DVAE runs of 0.2). */
    record Progress(@JsonAlias("epoch") int row, String checkpoint, List<Map<String, Double>> rows) {}

    /** The rows completed so far (from the last checkpoint), in order. */
    public List<Map<String, Double>> rows() throws IOException {
        Path progress = dir.resolve(PROGRESS);
        if (!Files.exists(progress)) {
            return List.of();
        }
        return JSON.readValue(progress.toFile(), Progress.class).rows();
    }

    /** Whether every row is done. */
    public boolean complete() throws IOException {
        return rows().size() >= spec.rowsWanted();
    }

    /**
     * The checkpoint to resume from, after removing every other checkpoint directory (partial ones
     * left by a kill included); empty when no row is done.
     */
    public Optional<Path> resume() throws IOException {
        int done = rows().size();
        Path keep = done == 0 ? null : checkpointDir(done);
        deleteCheckpointsBut(keep);
        return Optional.ofNullable(keep);
    }

    /** An empty directory for the checkpoint after row {@code row} (1-based); write into it, then {@link #commit}. */
    public Path newCheckpoint(int row) throws IOException {
        Path target = checkpointDir(row);
        deleteRecursively(target);
        Files.createDirectories(target);
        return target;
    }

    /**
     * Makes the checkpoint of row {@code rows.size()} the one in force: replaces {@code
     * progress.json} atomically, rewrites the CSV, deletes older checkpoints.
     *
     * @param rows every row so far, the last one new; each holds every column
     */
    public void commit(List<Map<String, Double>> rows) throws IOException {
        int row = rows.size();
        Path target = checkpointDir(row);
        if (!Files.isDirectory(target)) {
            throw new IllegalStateException("no checkpoint " + target + " to commit; call newCheckpoint(" + row + ")");
        }
        for (Map<String, Double> r : rows) {
            if (!r.keySet().containsAll(columns)) {
                List<String> missing = new ArrayList<>(columns);
                missing.removeAll(r.keySet());
                throw new IllegalArgumentException("row " + r + " lacks the columns " + missing);
            }
        }
        RunDirectory.writeAtomically(
                dir.resolve(PROGRESS),
                JSON.writeValueAsString(new Progress(row, target.getFileName().toString(), rows)));
        RunDirectory.writeAtomically(csv(), csv(columns, rows));
        deleteCheckpointsBut(target);
    }

    /** Rows as CSV: integers without a decimal point, NaN as an empty cell. */
    public static String csv(List<String> columns, List<Map<String, Double>> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Double> row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                double v = row.get(columns.get(i));
                sb.append(i == 0 ? "" : ",")
                        .append(
                                v == Math.rint(v) && Math.abs(v) < 1e15
                                        ? Long.toString((long) v)
                                        : Double.isNaN(v) ? "" : Double.toString(v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private Path checkpointDir(int row) {
        return dir.resolve(String.format(Locale.ROOT, CHECKPOINT_PREFIX + "%04d", row));
    }

    private void deleteCheckpointsBut(Path keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(CHECKPOINT_PREFIX))
                    .toList()) {
                if (!p.equals(keep)) {
                    deleteRecursively(p);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public String toString() {
        return spec.id() + " in " + dir;
    }
}
