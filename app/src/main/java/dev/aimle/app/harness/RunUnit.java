package dev.aimle.app.harness;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aimle.app.io.RunConflictException;
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
import java.util.stream.Stream;

/**
 * One run of an experiment in its own directory: {@code spec.json} in (the experiment's name and its
 * spec record, see {@link Specs}), a CSV of rows out, a checkpoint directory after every row.
 * Started again on the same directory a run resumes from the last complete checkpoint; a kill at
 * any moment leaves that checkpoint in force, because {@code progress.json} (which names it and
 * holds the rows so far) is replaced atomically only after the checkpoint is written. What goes
 * into a checkpoint is the training loop's business ({@link TrainingLoop}); this class owns the
 * directory protocol.
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
    private final String experiment;
    private final S spec;
    private final String csvName;
    private final List<String> columns;

    private RunUnit(Path dir, String experiment, S spec, String csvName, List<String> columns) {
        this.dir = dir;
        this.experiment = experiment;
        this.spec = spec;
        this.csvName = csvName;
        this.columns = List.copyOf(columns);
    }

    /**
     * Prepares a run directory: writes the spec, or checks that the one there is equal but for
     * {@link UnitSpec#extensibleKeys()} (then the new values are written). A {@code spec.json}
     * without the experiment's name (run directories of 0.2) gets it.
     *
     * @param experiment the experiment's name, written into {@code spec.json}
     * @param csvName the file of rows, e.g. {@code epochs.csv}
     * @param columns the keys of every row, in CSV order
     * @throws RunConflictException if the directory holds another run, saying what differs, or a damaged spec
     * @throws IllegalArgumentException if the spec holds a number that is not finite
     */
    public static <S extends UnitSpec> RunUnit<S> prepare(
            Path dir, String experiment, S spec, String csvName, List<String> columns) throws IOException {
        @SuppressWarnings("unchecked")
        Class<S> type = (Class<S>) spec.getClass();
        ObjectNode here = Specs.JSON.createObjectNode().put(Specs.EXPERIMENT, experiment);
        here.setAll(Specs.toTree(spec));
        Path file = dir.resolve(SPEC);
        if (Files.exists(file)) {
            S existing = read(dir, experiment, type);
            List<String> differences =
                    Specs.differences(Specs.toTree(existing), Specs.toTree(spec), spec.extensibleKeys());
            if (!differences.isEmpty()) {
                throw new RunConflictException(dir + " holds another run (" + existing.id() + "): "
                        + String.join("; ", differences)
                        + ". Use another --out, or the options of that run");
            }
            if (!Files.readString(file).equals(Specs.JSON.writeValueAsString(here))) {
                RunDirectory.writeAtomically(file, Specs.JSON.writeValueAsString(here));
            }
        } else {
            Files.createDirectories(dir);
            RunDirectory.writeAtomically(file, Specs.JSON.writeValueAsString(here));
        }
        return new RunUnit<>(dir, experiment, spec, csvName, columns);
    }

    /**
     * The run of {@code spec} in {@code dir} if the directory holds one, read only: what {@code
     * --report-only} reports.
     *
     * @throws RunConflictException if the directory holds another run, saying what differs
     */
    public static <S extends UnitSpec> Optional<RunUnit<S>> existing(
            Path dir, String experiment, S spec, String csvName, List<String> columns) throws IOException {
        if (!Files.exists(dir.resolve(SPEC))) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Class<S> type = (Class<S>) spec.getClass();
        RunUnit<S> unit = open(dir, experiment, type, csvName, columns);
        List<String> differences =
                Specs.differences(Specs.toTree(unit.spec()), Specs.toTree(spec), spec.extensibleKeys());
        if (!differences.isEmpty()) {
            throw new RunConflictException(dir + " holds another run ("
                    + unit.spec().id() + "): " + String.join("; ", differences) + ". Use the options of that run");
        }
        return Optional.of(unit);
    }

    /**
     * Opens an existing run directory by its spec.
     *
     * @throws RunConflictException if it is not a run of this experiment, or its spec is damaged
     */
    public static <S extends UnitSpec> RunUnit<S> open(
            Path dir, String experiment, Class<S> type, String csvName, List<String> columns) throws IOException {
        if (!Files.exists(dir.resolve(SPEC))) {
            throw new RunConflictException(dir + " holds no " + SPEC + ": it is not a run directory");
        }
        return new RunUnit<>(dir, experiment, read(dir, experiment, type), csvName, columns);
    }

    /**
     * The experiment {@code dir/spec.json} names; empty for a run directory of 0.2, which does not.
     *
     * @throws RunConflictException if the file is damaged
     */
    public static Optional<String> experimentOf(Path dir) throws IOException {
        JsonNode name = readTree(dir).get(Specs.EXPERIMENT);
        return name == null || !name.isTextual() ? Optional.empty() : Optional.of(name.asText());
    }

    private static <S> S read(Path dir, String experiment, Class<S> type) throws IOException {
        JsonNode tree = readTree(dir);
        JsonNode named = tree.get(Specs.EXPERIMENT);
        if (named != null && !named.asText().equals(experiment)) {
            throw new RunConflictException(dir + " holds a run of the " + named.asText() + " experiment, not "
                    + experiment + "; use another --out");
        }
        try {
            return Specs.fromTree(tree, type);
        } catch (IllegalArgumentException e) {
            throw new RunConflictException(dir.resolve(SPEC) + " does not describe a " + experiment + " run ("
                    + e.getMessage() + "); it belongs to another experiment or was edited. Use another --out, or"
                    + " move " + dir + " away to start that run afresh");
        }
    }

    private static JsonNode readTree(Path dir) throws IOException {
        Path file = dir.resolve(SPEC);
        JsonNode tree;
        try {
            tree = Specs.JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw damaged(file, "is not valid JSON (" + Specs.reason(e) + ")", dir);
        }
        if (tree == null || !tree.isObject()) {
            throw damaged(file, "holds no JSON object", dir);
        }
        return tree;
    }

    private static RunConflictException damaged(Path file, String what, Path dir) {
        return new RunConflictException(
                file + " " + what + "; it was cut or edited. Move " + dir + " away to start that run afresh");
    }

    /** The experiment's name. */
    public String experiment() {
        return experiment;
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
        Progress read;
        try {
            read = JSON.readValue(progress.toFile(), Progress.class);
        } catch (JsonProcessingException e) {
            throw damaged(progress, "is not a progress record (" + Specs.reason(e) + ")", dir);
        }
        if (read == null || read.rows() == null) {
            throw damaged(progress, "holds no rows", dir);
        }
        // a column added after the run was written (DVAE's test_loss_sampled) reads as NaN, so the
        // run still reports and resumes
        List<Map<String, Double>> rows = new ArrayList<>();
        for (Map<String, Double> r : read.rows()) {
            Map<String, Double> row = new java.util.LinkedHashMap<>(r);
            for (String column : columns) {
                row.putIfAbsent(column, Double.NaN);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The rows to report: those of {@code progress.json}, or, in a run directory copied without it
     * and its checkpoints (as {@code docs/results} keeps them), those of its CSV (an empty cell is
     * NaN, and so is a column the CSV was written without).
     */
    public List<Map<String, Double>> results() throws IOException {
        if (Files.exists(dir.resolve(PROGRESS)) || !Files.exists(csv())) {
            return rows();
        }
        List<String> lines = Files.readAllLines(csv());
        List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split(",", -1));
        if (!inOrderWithin(header, columns)) {
            throw new RunConflictException(csv() + " does not start with the header " + String.join(",", columns)
                    + " (or that header less columns added since); it was cut or edited");
        }
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.size()) {
                throw new RunConflictException(csv() + " line " + (i + 1) + " has " + cells.length + " cells, not "
                        + header.size() + "; it was cut or edited");
            }
            Map<String, Double> row = new java.util.LinkedHashMap<>();
            for (String column : columns) {
                row.put(column, Double.NaN);
            }
            for (int c = 0; c < cells.length; c++) {
                try {
                    row.put(header.get(c), cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]));
                } catch (NumberFormatException e) {
                    throw new RunConflictException(csv() + " line " + (i + 1) + ": '" + cells[c] + "' in column "
                            + header.get(c) + " is not a number; it was cut or edited");
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Whether a CSV header is the columns, or the columns less some added after it was written, in
     * their order: a run written before a column existed still reports (the column as NaN), while a
     * cut or edited header does not.
     */
    private static boolean inOrderWithin(List<String> header, List<String> columns) {
        if (header.isEmpty() || !header.get(0).equals(columns.get(0))) {
            return false;
        }
        int next = 0;
        for (String name : header) {
            int found = columns.subList(next, columns.size()).indexOf(name);
            if (found < 0) {
                return false;
            }
            next += found + 1;
        }
        return true;
    }

    /**
     * The rows {@code dir/progress.json} holds (its last complete checkpoint), 0 when there is none
     * yet: what a dispatcher, which does not know the spec's type, reads of a unit.
     */
    public static int rowsDone(Path dir) throws IOException {
        Path progress = dir.resolve(PROGRESS);
        if (!Files.exists(progress)) {
            return 0;
        }
        JsonNode rows;
        try {
            rows = JSON.readTree(progress.toFile()).get("rows");
        } catch (JsonProcessingException e) {
            throw damaged(progress, "is not a progress record (" + Specs.reason(e) + ")", dir);
        }
        return rows == null ? 0 : rows.size();
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
        if (keep != null && !Files.isDirectory(keep)) {
            throw damaged(
                    dir.resolve(PROGRESS),
                    "records " + done + " rows but their checkpoint " + keep.getFileName() + " is missing",
                    dir);
        }
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
        return experiment + " " + spec.id() + " in " + dir;
    }
}
