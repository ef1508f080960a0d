package dev.aimle.app.harness;

import dev.aimle.app.options.EngineThreadsOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs units as child processes, a fixed number at a time: each gets {@code command + [dir]}, writes
 * its output to {@code dir/log.txt}, and owns nothing outside its directory. A failed unit is
 * reported with the end of its log and does not stop the others; the failures are thrown together
 * at the end. A unit is done only when its rows are committed: a child that exits 0 early (a plugin
 * calling {@code Runtime.halt(0)}) is a failure. The children end with the sweep: a shutdown hook
 * stops them when the sweep is stopped, and each watches this process (the {@code --parent} of
 * {@code aimle unit}) in case it is killed outright. DJL's PyTorch engine allows one gradient
 * collector per process, which is why units are processes, not threads.
 */
public final class UnitDispatcher {
    /** Each unit's output, in its directory. */
    public static final String LOG = "log.txt";

    private final List<String> command;
    private final int workers;
    private final PrintWriter log;
    private final long statusSeconds;

    /**
     * @param statusSeconds how often to print a line of overall progress (rows done, summed over the runs), 0 for never
     */
    public UnitDispatcher(List<String> command, int workers, PrintWriter log, long statusSeconds) {
        this.command = List.copyOf(command);
        this.workers = workers;
        this.log = log;
        this.statusSeconds = statusSeconds;
    }

    /**
     * The command that starts one unit in a child JVM: this JVM's java and class path, the same
     * plugins directory, engine threads and offline switch, then {@code subcommand} (the unit's
     * directory is appended per unit).
     *
     * @param mainClass the class whose {@code main} runs the command line
     */
    public static List<String> childCommand(Path pluginsDirectory, String mainClass, List<String> subcommand) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        for (String property : List.of(EngineThreadsOption.PROPERTY, "ai.djl.offline")) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.addAll(List.of(mainClass, "--plugins-dir", pluginsDirectory.toString()));
        command.addAll(subcommand);
        return command;
    }

    /** Rows done over rows wanted, summed over the runs (from their progress files). */
    private static String status(List<? extends RunUnit<?>> runs, long start) {
        long done = 0;
        long total = 0;
        for (RunUnit<?> run : runs) {
            total += run.spec().rowsWanted();
            try {
                done += run.rows().size();
            } catch (IOException e) {
                // a progress file being replaced right now: counted at the next report
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return String.format(Locale.ROOT, "[progress, %.0f s] %d of %d rows done", elapsed, done, total);
    }

    /**
     * A sweep's training: every unit of {@code units} that is not complete runs, after a line
     * {@code "<name>: N runs, M to do, W at a time, output in OUT"}; the invocation is appended to
     * {@code out/run.json} ({@link SweepRecord}) whether or not every unit succeeds.
     *
     * @param arguments the command line as given, for the record
     * @throws IOException naming the units that failed
     */
    public void sweep(String name, Path out, List<? extends RunUnit<?>> units, List<String> arguments)
            throws IOException, InterruptedException {
        List<RunUnit<?>> pending = new ArrayList<>();
        for (RunUnit<?> unit : units) {
            if (!unit.complete()) {
                pending.add(unit);
            }
        }
        log.printf(
                Locale.ROOT,
                "%s: %d runs, %d to do, %d at a time, output in %s%n",
                name,
                units.size(),
                pending.size(),
                workers,
                out.toAbsolutePath());
        log.flush();
        long start = System.nanoTime();
        try {
            runAll(pending);
        } finally {
            SweepRecord.append(
                    out,
                    name,
                    arguments,
                    units.stream().map(u -> u.spec().id()).toList(),
                    pending.size(),
                    workers,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Runs every unit and waits for all.
     *
     * @throws IOException naming the units that failed
     */
    public void runAll(List<? extends RunUnit<?>> runs) throws IOException, InterruptedException {
        if (runs.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, runs.size()));
        AtomicInteger finished = new AtomicInteger();
        List<Future<String>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (RunUnit<?> run : runs) {
            results.add(pool.submit(() -> {
                String failure = runOne(run);
                int n = finished.incrementAndGet();
                synchronized (log) {
                    log.printf(
                            Locale.ROOT,
                            "[%d/%d, %.0f s] %s %s%n",
                            n,
                            runs.size(),
                            (System.nanoTime() - start) / 1e9,
                            run.spec().id(),
                            failure == null ? "done" : "FAILED: " + failure);
                    log.flush();
                }
                return failure;
            }));
        }
        pool.shutdown();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "unit-progress");
            t.setDaemon(true);
            return t;
        });
        if (statusSeconds > 0) {
            reporter.scheduleAtFixedRate(
                    () -> {
                        synchronized (log) {
                            log.println(status(runs, start));
                            log.flush();
                        }
                    },
                    statusSeconds,
                    statusSeconds,
                    TimeUnit.SECONDS);
        }
        List<String> failures = new ArrayList<>();
        try {
            for (int i = 0; i < results.size(); i++) {
                String failure = results.get(i).get();
                if (failure != null) {
                    failures.add(runs.get(i).spec().id() + " (" + failure + ")");
                }
            }
        } catch (ExecutionException e) {
            throw new IOException("a unit could not be started: " + e.getCause().getMessage(), e.getCause());
        } finally {
            reporter.shutdownNow();
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (!failures.isEmpty()) {
            throw new IOException(failures.size() + " of " + runs.size() + " runs failed: "
                    + String.join("; ", failures) + ". Their logs are in their directories (" + LOG
                    + "); run the same command again to resume");
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

    /** Runs one unit; null on success, else the reason. */
    private String runOne(RunUnit<?> run) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        full.add(run.dir().toAbsolutePath().toString());
        Path logFile = run.dir().resolve(LOG);
        Process process = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        Thread stop = new Thread(process::destroy, "unit-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int code = process.waitFor();
            if (code == 0) {
                int done = run.rows().size();
                int wanted = run.spec().rowsWanted();
                return done >= wanted
                        ? null
                        : "its process ended with exit 0 after " + done + " of " + wanted
                                + " rows were committed (a plugin or library ended the JVM early)";
            }
            List<String> lines = Files.readAllLines(logFile);
            String tail = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            return ended(code) + (tail.isBlank() ? "" : "; its log ends with: " + tail.strip());
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
}
