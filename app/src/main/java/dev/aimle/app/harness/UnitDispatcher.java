package dev.aimle.app.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@link UnitExecutor} of this machine, the default: units run as child processes, a fixed
 * number at a time: each gets {@code command + [dir]}, writes its output to {@code dir/log.txt},
 * and owns nothing outside its directory. A failed unit is reported with the end of its log and
 * does not stop the others; the failures are thrown together at the end. A unit is done only when
 * its rows are committed: a child that exits 0 early (a plugin calling {@code Runtime.halt(0)}) is
 * a failure. The children end with the sweep: a shutdown hook stops them when the sweep is stopped,
 * and each watches this process (the {@code --parent} of {@code aimle unit}) in case it is killed
 * outright. DJL's PyTorch engine allows one gradient collector per process, which is why units are
 * processes, not threads.
 */
public final class UnitDispatcher implements UnitExecutor {
    /** Each unit's output, in its directory. */
    public static final String LOG = "log.txt";

    private final Function<UnitBatch, List<String>> command;
    private final int workers;
    private final long statusSeconds;

    /**
     * @param command the command of a unit but its directory, for a batch
     * @param statusSeconds how often to print a line of overall progress (rows done, summed over the runs), 0 for never
     */
    UnitDispatcher(Function<UnitBatch, List<String>> command, int workers, long statusSeconds) {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers (" + workers + ") must be between 1 and 64");
        }
        this.command = command;
        this.workers = workers;
        this.statusSeconds = statusSeconds;
    }

    /**
     * Child JVMs of {@code mainClass} ({@link #childCommand}), each also told to end with this
     * process ({@code --parent}).
     *
     * @param workers units at a time, 1 to 64
     * @param statusSeconds how often to print a line of overall progress, 0 for never
     */
    public static UnitDispatcher local(String mainClass, int workers, long statusSeconds) {
        return new UnitDispatcher(batch -> childCommand(mainClass, batch), workers, statusSeconds);
    }

    /**
     * The command that starts one unit of {@code batch} in a child JVM: this JVM's java and class
     * path, the batch's system properties, {@code mainClass --plugins-dir P}, the batch's unit
     * command and {@code --parent} this process (the unit's directory is appended per unit).
     *
     * @param mainClass the class whose {@code main} runs the command line
     */
    public static List<String> childCommand(String mainClass, UnitBatch batch) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        batch.systemProperties().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(p -> command.add("-D" + p.getKey() + "=" + p.getValue()));
        command.addAll(
                List.of(mainClass, "--plugins-dir", batch.pluginsDirectory().toString()));
        command.addAll(batch.unitCommand());
        command.addAll(List.of("--parent", Long.toString(ProcessHandle.current().pid())));
        return command;
    }

    @Override
    public String describe() {
        return workers + " at a time";
    }

    /** Rows done over rows wanted, summed over the units (from their progress files). */
    private static String status(UnitBatch batch, long start) {
        long done = 0;
        long total = 0;
        for (String id : batch.unitIds()) {
            total += batch.rowsWanted().get(id);
            try {
                done += RunUnit.rowsDone(Path.of(batch.unitUri(id)));
            } catch (IOException e) {
                // a progress file being replaced right now: counted at the next report
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return String.format(Locale.ROOT, "[progress, %.0f s] %d of %d rows done", elapsed, done, total);
    }

    /**
     * Runs every unit and waits for all.
     *
     * @throws UnitFailuresException naming the units that failed
     * @throws IllegalArgumentException when the batch's store is not a directory of this machine
     */
    @Override
    public void runAll(UnitBatch batch, UnitListener listener) throws IOException, InterruptedException {
        if (!"file".equals(batch.store().getScheme())) {
            throw new IllegalArgumentException("the units of " + batch.sweep() + " are in " + batch.store()
                    + "; this machine's process pool reads only file: directories");
        }
        List<String> ids = batch.unitIds();
        if (ids.isEmpty()) {
            return;
        }
        List<String> prefix = command.apply(batch);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, ids.size()));
        List<Future<UnitOutcome>> results = new ArrayList<>();
        for (String id : ids) {
            results.add(pool.submit(() -> {
                UnitOutcome outcome = runOne(batch, prefix, id);
                listener.finished(outcome);
                return outcome;
            }));
        }
        pool.shutdown();
        long start = System.nanoTime();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "unit-progress");
            t.setDaemon(true);
            return t;
        });
        if (statusSeconds > 0) {
            reporter.scheduleAtFixedRate(
                    () -> listener.note(status(batch, start)), statusSeconds, statusSeconds, TimeUnit.SECONDS);
        }
        List<UnitOutcome> failed = new ArrayList<>();
        try {
            for (Future<UnitOutcome> result : results) {
                UnitOutcome outcome = result.get();
                if (!outcome.succeeded()) {
                    failed.add(outcome);
                }
            }
        } catch (ExecutionException e) {
            throw new IOException("a unit could not be started: " + e.getCause().getMessage(), e.getCause());
        } finally {
            reporter.shutdownNow();
            // an interrupted sweep ends its children with it (runOne destroys its process when interrupted)
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (!failed.isEmpty()) {
            throw new UnitFailuresException(
                    failed,
                    ids.size(),
                    "Their logs are in their directories (" + LOG + "); run the same command again to resume");
        }
    }

    /**
     * How a child's exit code reads to a user: a shell's 128 + N for a process ended by signal N (the
     * JDK reports the same), with the usual cause of the common ones, since a bare "exit 137" says nothing.
     */
    static String ended(int code) {
        if (code <= 128 || code > 128 + 64) {
            return "its process ended with exit " + code;
        }
        int signal = code - 128;
        String cause = switch (signal) {
            case 9 -> " (SIGKILL: kill -9, or the kernel's out-of-memory killer; see dmesg)";
            case 15 -> " (SIGTERM: stopped from outside)";
            case 6 -> " (SIGABRT: the native engine aborted)";
            case 11 -> " (SIGSEGV: a crash in native code)";
            default -> "";
        };
        return "its process was ended by signal " + signal + cause;
    }

    /** Runs one unit to its end. */
    private static UnitOutcome runOne(UnitBatch batch, List<String> prefix, String id)
            throws IOException, InterruptedException {
        Path dir = Path.of(batch.unitUri(id));
        long start = System.nanoTime();
        int resumed = RunUnit.rowsDone(dir);
        List<String> full = new ArrayList<>(prefix);
        full.add(dir.toAbsolutePath().toString());
        Path logFile = dir.resolve(LOG);
        Process process = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        Thread stop = new Thread(process::destroy, "unit-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int code = process.waitFor();
            String failure;
            if (code == 0) {
                int done = RunUnit.rowsDone(dir);
                int wanted = batch.rowsWanted().get(id);
                failure = done >= wanted
                        ? null
                        : "its process ended with exit 0 after " + done + " of " + wanted
                                + " rows were committed (a plugin or library ended the JVM early)";
            } else {
                List<String> lines = Files.readAllLines(logFile);
                String tail = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                failure = ended(code) + (tail.isBlank() ? "" : "; its log ends with: " + tail.strip());
            }
            return new UnitOutcome(id, failure, "local", (System.nanoTime() - start) / 1e9, 1, resumed);
        } finally {
            if (process.isAlive()) {
                process.destroy();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) and stops the child
            }
        }
    }

    @Override
    public void close() {
        // nothing outlives runAll: its pool and children end with it
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "UnitDispatcher(%d at a time)", workers);
    }
}
