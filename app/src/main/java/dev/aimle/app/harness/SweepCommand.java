package dev.aimle.app.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aimle.app.io.RunConflictException;
import dev.aimle.app.io.StoreLocation;
import dev.aimle.app.options.SweepOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code aimle NAME}: the sweep of an experiment. Every run of the grid is a directory under
 * {@code --out} ({@link RunUnit}; {@code --out} a directory here, or a remote store the sweep
 * reads and writes through a working copy: {@link SweepStore}), trained in a process of its own ({@code aimle unit DIR}): a child
 * here, {@code --parallel} at a time, or with {@code --master URL} one Spark task per run on a
 * cluster ({@link UnitExecutors}); a complete run is skipped, a stopped one resumes. Then the experiment's
 * report. The output directory belongs to one experiment ({@code run.json} names it) and one sweep
 * at a time ({@link RunLock}); {@code --report-only} reads the runs there and creates nothing.
 *
 * @param <S> the spec
 * @param <D> the data
 */
@Command(mixinStandardHelpOptions = true)
public final class SweepCommand<S extends UnitSpec, D> implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private SweepOptions options;

    private final Experiment<S, D> experiment;
    private final String mainClass;
    /** The remote directories of the command line (--data) by their local copies. */
    private final Map<Path, URI> remoteDirectories = new LinkedHashMap<>();

    /**
     * @param experiment the experiment
     * @param mainClass the class a child JVM starts (its {@code main} runs the command line)
     */
    public SweepCommand(Experiment<S, D> experiment, String mainClass) {
        this.experiment = experiment;
        this.mainClass = mainClass;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        options.engineThreads().apply();
        if (options.master() != null && options.explicit("--parallel")) {
            throw options.usage("--parallel is for this machine; with --master " + options.master()
                    + " the cluster's executors decide how many units run at a time (one per core)");
        }
        if (options.master() == null) {
            options.parallel(); // a bad value is refused before anything is written
        }
        PrintWriter log = spec.commandLine().getOut();
        copyRemoteData();
        if (experiment.standalone(options, log)) {
            return 0;
        }
        try (SweepStore store = openStore()) {
            // a remote store is read into a working copy, which the sweep's code reads and writes as a directory
            options.useWorkingCopy(store.local());
            store.refresh();
            return sweep(store, log);
        } catch (RunConflictException e) {
            throw options.usage(e.getMessage());
        }
    }

    /**
     * The local copy that stands for the remote directory {@code uri} on the command line (made by
     * {@link #copyRemoteData}, before anything reads it).
     */
    Path remoteDirectory(URI uri) {
        Path copy = SweepStores.mirrorPath(uri);
        remoteDirectories.put(copy, uri);
        return copy;
    }

    /**
     * Copies each remote {@code --data} directory here (once per machine), where the sweep checks it
     * and, at the same path, the units read it; a cluster's executors make their own copies.
     */
    private void copyRemoteData() throws IOException {
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (option.type() == Path.class && !option.longestName().equals("--data")) {
                for (String value : option.stringValues()) {
                    if (StoreLocation.remote(value).isPresent()) {
                        throw options.usage(option.longestName() + " " + value + " is not on this machine: it takes a"
                                + " path or a file: URI (a shared mount); --data and --out take remote stores");
                    }
                }
            }
        }
        for (Map.Entry<Path, URI> remote : remoteDirectories.entrySet()) {
            try {
                SweepStores.mirror(remote.getValue(), remote.getKey());
            } catch (IllegalArgumentException e) {
                throw options.usage("--data " + e.getMessage());
            } catch (IOException e) {
                throw options.usage("--data " + remote.getValue() + " cannot be read: " + e.getMessage());
            }
        }
    }

    /** The store {@code --out} names; a remote one needs {@code --master} (the units of this machine write here). */
    private SweepStore openStore() throws IOException {
        String location = options.outLocation();
        try {
            if (options.master() == null
                    && !options.reportOnly()
                    && StoreLocation.remote(location).isPresent()) {
                throw options.usage("--out " + location + " is a remote store: the units of this machine's process"
                        + " pool write to a directory here. Give --master (local[N] runs them here through the"
                        + " store), or an --out on this machine");
            }
            return SweepStores.open(location);
        } catch (IllegalArgumentException e) {
            throw options.usage("--out " + e.getMessage());
        }
    }

    @SuppressWarnings("try") // the lock is held for the block, not used in it
    private int sweep(SweepStore store, PrintWriter log) throws IOException, InterruptedException {
        Path out = store.local();
        List<S> grid = grid();
        checkOwner(out, experiment);
        if (options.reportOnly()) {
            if (!store.exists()) {
                throw options.usage(store.where() + " does not exist: there is nothing to report");
            }
            List<RunUnit<S>> runs = new ArrayList<>();
            for (S s : grid) {
                RunUnit.existing(out.resolve(s.id()), experiment.name(), s, experiment.rowsFile(), columns())
                        .ifPresent(runs::add);
            }
            try {
                report(out, runs, log);
            } finally {
                store.publish();
            }
            published(store, log);
            return 0;
        }
        experiment.checkData(grid, options);
        try (Closeable lock = store.lock(experiment.name() + " sweep")) {
            // what another sweep did before this one held the lock
            store.refresh();
            checkOwner(out, experiment);
            try {
                List<RunUnit<S>> runs = new ArrayList<>();
                for (S s : grid) {
                    runs.add(RunUnit.prepare(
                            out.resolve(s.id()), experiment.name(), s, experiment.rowsFile(), columns()));
                }
                experiment.prepareData(grid, options, log);
                // the units' spec.json where the executors read them
                store.publish();
                dispatch(store, runs, log);
                // the units' rows, as the executors published them
                store.refresh();
                report(out, runs, log);
            } finally {
                store.publish();
            }
        }
        published(store, log);
        return 0;
    }

    /** For a remote store: where the report just written in the working copy now is. */
    private void published(SweepStore store, PrintWriter log) {
        if (StoreLocation.remote(options.outLocation()).isPresent()) {
            log.printf(
                    "%s: written to %s (the working copy %s is removed)%n",
                    experiment.name(), store.where(), store.local());
            log.flush();
        }
    }

    /**
     * The experiment's report of the runs, unless there is none: a directory holding only a report
     * (as {@code docs/results/dvae} does) keeps it rather than getting an empty one.
     */
    private void report(Path out, List<RunUnit<S>> runs, PrintWriter log) throws IOException {
        List<RunUnit<S>> reported = experiment.reportRuns(out, runs);
        if (reported.isEmpty()) {
            log.printf(
                    "%s: %s holds no run of these options; nothing reported, nothing written%n",
                    experiment.name(),
                    StoreLocation.remote(options.outLocation()).isPresent() ? options.outLocation() : out);
            log.flush();
            return;
        }
        experiment.report(out, reported, log);
    }

    private List<String> columns() {
        return experiment.columns();
    }

    private Host host() {
        return (Host) spec.commandLine().getParent().getCommand();
    }

    /**
     * Hands the unfinished runs to the executor {@code --master} asks for (the process pool of this
     * machine without it), one seam for both, and appends the invocation to {@code out/run.json}
     * ({@link SweepRecord}) whether or not every run succeeds. First a line {@code "<name>: N runs,
     * M to do, <where>, output in OUT"}.
     *
     * @throws UnitFailuresException naming the runs that failed, after the others ended
     */
    private void dispatch(SweepStore store, List<RunUnit<S>> runs, PrintWriter log)
            throws IOException, InterruptedException {
        Path out = store.local();
        List<String> pending = new ArrayList<>();
        Map<String, Integer> rowsWanted = new LinkedHashMap<>();
        for (RunUnit<S> run : runs) {
            if (!run.complete()) {
                pending.add(run.spec().id());
                rowsWanted.put(run.spec().id(), run.spec().rowsWanted());
            }
        }
        UnitBatch batch = new UnitBatch(
                experiment.name(),
                store.uri(),
                pending,
                rowsWanted,
                unitCommand(),
                host().pluginsDirectory().toAbsolutePath(),
                UnitBatch.forwardedProperties(),
                data());
        long start = System.nanoTime();
        String master = options.master();
        // the same words locally as before there was a cluster; with nothing to do no cluster application starts
        Supplier<UnitExecutor> here = () -> UnitDispatcher.local(mainClass, options.parallel(), 60);
        try (UnitExecutor executor = pending.isEmpty() ? here.get() : UnitExecutors.create(master, here, log)) {
            String where = master != null && pending.isEmpty() ? "on " + master : executor.describe();
            log.printf(
                    Locale.ROOT,
                    "%s: %d runs, %d to do, %s, output in %s%n",
                    experiment.name(),
                    runs.size(),
                    pending.size(),
                    where,
                    store.where());
            log.flush();
            if (!pending.isEmpty()) {
                // (this machine's pool reads only directories: with nothing to do, a remote store is not its business)
                executor.runAll(batch, new PrintingUnitListener(log, pending.size()));
            }
        } finally {
            SweepRecord.append(
                    out,
                    experiment.name(),
                    spec.commandLine().getParseResult().originalArgs(),
                    runs.stream().map(u -> u.spec().id()).toList(),
                    pending.size(),
                    master,
                    master == null ? options.parallel() : 0,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** The remote data directories by their local copies' paths, for the executors to copy. */
    private Map<String, URI> data() {
        Map<String, URI> data = new LinkedHashMap<>();
        remoteDirectories.forEach((copy, uri) -> data.put(copy.toString(), uri));
        return data;
    }

    /**
     * {@code unit [--solver-timeout S] [--trust-solver]}: the command that runs one unit, but its
     * directory (the process pool adds {@code --parent}; a cluster's unit watches its executor).
     */
    private List<String> unitCommand() {
        List<String> command = new ArrayList<>(List.of(
                UnitCommand.NAME,
                "--solver-timeout",
                Double.toString(options.solver().timeoutSeconds())));
        if (options.solver().trusted()) {
            command.add("--trust-solver");
        }
        return command;
    }

    /** The experiment's grid, each run once (a repeated list value, e.g. {@code --k 10,10}, names a run once). */
    List<S> grid() {
        options.seeds();
        List<S> grid;
        try {
            grid = experiment.grid(options);
        } catch (IllegalArgumentException e) {
            throw options.usage(e.getMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, S> byId = new LinkedHashMap<>();
        for (S s : grid) {
            S other = byId.putIfAbsent(s.id(), s);
            if (other != null && !other.equals(s)) {
                throw options.usage("two runs of the grid share the directory " + s.id() + ": " + other + " and " + s);
            }
        }
        if (byId.isEmpty()) {
            throw options.usage("the grid is empty: no run matches the options");
        }
        return List.copyOf(byId.values());
    }

    /**
     * Refuses an output directory that belongs to another experiment: its {@code run.json} names
     * another, or is synthetic's, or a run directory there holds another experiment's spec.
     */
    static void checkOwner(Path out, Experiment<?, ?> experiment) throws IOException {
        if (!Files.isDirectory(out)) {
            return;
        }
        String name = experiment.name();
        Path runJson = out.resolve(SweepRecord.RUN_JSON);
        if (Files.exists(runJson)) {
            JsonNode tree;
            try {
                tree = Specs.JSON.readTree(runJson.toFile());
            } catch (JsonProcessingException e) {
                throw new RunConflictException(runJson + " is not valid JSON (" + Specs.reason(e) + "); it was cut or"
                        + " edited. Move it away (the runs' own directories are intact) and run the command again");
            }
            JsonNode owner = tree == null ? null : tree.get(SweepRecord.EXPERIMENT);
            if (owner != null && !owner.asText().equals(name)) {
                throw new RunConflictException(out + " belongs to the " + owner.asText() + " experiment (" + runJson
                        + "); use another --out for " + name);
            }
            if (owner == null && tree != null && tree.has("configuration")) {
                throw new RunConflictException(
                        out + " holds a synthetic run (" + runJson + "); use another --out for " + name);
            }
        }
        try (Stream<Path> dirs = Files.list(out)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(RunUnit.SPEC)))
                    .sorted()
                    .toList()) {
                String other = RunUnit.experimentOf(dir).orElse(null);
                if (other == null) {
                    try {
                        Specs.fromTree(
                                Specs.JSON.readTree(dir.resolve(RunUnit.SPEC).toFile()), experiment.specType());
                    } catch (IllegalArgumentException e) {
                        throw new RunConflictException(
                                out + " holds runs of another experiment (" + dir.resolve(RunUnit.SPEC) + " is not a "
                                        + name + " spec: " + e.getMessage() + "); use another --out for " + name);
                    }
                } else if (!other.equals(name)) {
                    throw new RunConflictException(out + " holds runs of the " + other + " experiment (" + dir
                            + "); use another --out for " + name);
                }
            }
        }
    }
}
