package dev.aimle.app.harness;

import dev.aimle.api.MapSolver;
import dev.aimle.app.options.SweepOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An experiment on the harness: a spec record, its data, a training session, a report. The
 * harness gives it one sweep command ({@code aimle NAME}) with the shared flags ({@link
 * SweepOptions}) plus the experiment's own ({@link #options()}), one hidden {@code unit DIR}
 * command, run directories that resume, a lock per directory, children that end with their sweep,
 * and one training loop ({@link TrainingLoop}). See the README, "How to add an experiment".
 *
 * @param <S> the spec of one run (a record Jackson writes to {@code spec.json})
 * @param <D> the data a run trains on
 */
public interface Experiment<S extends UnitSpec, D> {

    /**
     * What the harness knows of an experiment besides its code, stated once by each experiment.
     *
     * @param name the command and the name recorded in every {@code spec.json} and {@code run.json}, e.g.
     *     {@code dvae}
     * @param description the command's description in {@code --help}
     * @param specType the spec record
     * @param rowsFile the file of rows in every run directory, e.g. {@code epochs.csv}
     * @param ownColumns the experiment's columns of every row, in CSV order, {@code step} and {@code
     *     train_loss} (which the loop fills) among them; the loop's own ({@link TrainingLoop#COLUMNS})
     *     follow them
     * @param defaults defaults of the shared flags by their long name: {@code --out}, {@code --batch},
     *     {@code --lr}, {@code --lambdas}, {@code --seeds}, {@code --solver} and {@code --methods} (every
     *     method id, comma-separated), plus any of the experiment's own options
     * @param <S> the spec of one run
     */
    record Descriptor<S extends UnitSpec>(
            String name,
            String description,
            Class<S> specType,
            String rowsFile,
            List<String> ownColumns,
            Map<String, String> defaults) {
        /** Copies the lists; every part is required. */
        public Descriptor {
            if (name == null || name.isBlank() || description == null || specType == null || rowsFile == null) {
                throw new IllegalArgumentException("an experiment's descriptor needs a name, a description, a spec"
                        + " type and a rows file; got " + name + ", " + specType + ", " + rowsFile);
            }
            ownColumns = List.copyOf(ownColumns);
            for (String column : TrainingLoop.COLUMNS) {
                if (ownColumns.contains(column)) {
                    throw new IllegalArgumentException("the columns of " + name + " (" + ownColumns + ") list '"
                            + column + "', which the training loop adds; expected only the experiment's own");
                }
            }
            defaults = Map.copyOf(defaults);
        }

        /** Every column of a row, in CSV order: the {@link #ownColumns()}, then {@link TrainingLoop#COLUMNS}. */
        public List<String> columns() {
            List<String> all = new ArrayList<>(ownColumns);
            all.addAll(TrainingLoop.COLUMNS);
            return List.copyOf(all);
        }
    }

    /** The experiment's name, spec type, rows and defaults. */
    Descriptor<S> descriptor();

    /** The {@link Descriptor#name() name} of the {@link #descriptor()}. */
    default String name() {
        return descriptor().name();
    }

    /** The {@link Descriptor#description() description} of the {@link #descriptor()}. */
    default String description() {
        return descriptor().description();
    }

    /** The {@link Descriptor#specType() spec type} of the {@link #descriptor()}. */
    default Class<S> specType() {
        return descriptor().specType();
    }

    /** The {@link Descriptor#rowsFile() rows file} of the {@link #descriptor()}. */
    default String rowsFile() {
        return descriptor().rowsFile();
    }

    /** The {@link Descriptor#columns() columns} of the {@link #descriptor()}. */
    default List<String> columns() {
        return descriptor().columns();
    }

    /** The {@link Descriptor#defaults() defaults} of the {@link #descriptor()}. */
    default Map<String, String> defaults() {
        return descriptor().defaults();
    }

    /** An object with the experiment's own picocli {@code @Option} fields (mixed into its command), or null. */
    default Object options() {
        return null;
    }

    /** Subcommands of the experiment's command (e.g. {@code nri generate}). */
    default List<Object> subcommands() {
        return List.of();
    }

    /**
     * Does what the flags ask instead of a sweep, if they ask for something else (e.g. write the
     * data and stop).
     *
     * @return whether it did, and the command is done
     */
    default boolean standalone(SweepOptions options, PrintWriter log) throws IOException {
        return false;
    }

    /**
     * The sweep: every run the flags ask for.
     *
     * @throws IllegalArgumentException for values that do not make a run (reported as bad usage)
     */
    List<S> grid(SweepOptions options) throws IOException;

    /**
     * Before anything of a sweep is created (no directory, no lock): refuse data that cannot serve the
     * grid, e.g. a file missing from a directory the user named, so a refused sweep leaves no trace.
     *
     * @throws picocli.CommandLine.ParameterException (bad usage) naming what is missing
     */
    default void checkData(List<S> grid, SweepOptions options) throws IOException {}

    /** Before training a grid: check that the data is there (or make it), to fail once rather than in every child. */
    default void prepareData(List<S> grid, SweepOptions options, PrintWriter log) throws IOException {}

    /** The data of one run, loaded in the run's own process. */
    D data(S spec) throws IOException;

    /**
     * A training session for one run, not started.
     *
     * @param dir the run's directory, for what a run writes besides its rows (e.g. examples for the report)
     */
    TrainingSession session(Path dir, S spec, D data, MapSolver solver) throws IOException;

    /** The runs the report covers: by default the grid's that exist. */
    default List<RunUnit<S>> reportRuns(Path out, List<RunUnit<S>> grid) throws IOException {
        return grid;
    }

    /** Writes the report (tables, CSV, figures) into {@code out} from the runs as they are. */
    void report(Path out, List<RunUnit<S>> runs, PrintWriter log) throws IOException;
}
