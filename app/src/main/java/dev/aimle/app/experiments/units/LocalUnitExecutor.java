package dev.aimle.app.experiments.units;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aimle.app.Main;
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
import java.util.concurrent.TimeUnit;

/**
 * The default {@link UnitExecutor}: each unit in a child JVM on this machine, a fixed number at a
 * time, writing its output to {@code DIR/log.txt}. DJL's PyTorch engine allows one gradient
 * collector per process, which is why units are processes, not threads. The units' directories
 * are the store itself ({@code file:} only).
 */
public final class LocalUnitExecutor implements UnitExecutor {
    /** Each unit's output, in its directory. */
    public static final String LOG = "log.txt";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final int workers;

    /** @param workers units at a time, 1 to 64 */
    public LocalUnitExecutor(int workers) {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers (" + workers + ") must be between 1 and 64");
        }
        this.workers = workers;
    }

    @Override
    public String describe() {
        return workers + " at a time on this machine";
    }

    /**
     * The command that runs one unit in a child JVM: this JVM's java and class path, the batch's
     * system properties, then {@code aimle --plugins-dir PLUGINS UNIT_COMMAND... DIR}.
     */
    public static List<String> command(UnitBatch batch, Path dir) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        for (Map.Entry<String, String> p : batch.systemProperties().entrySet()) {
            command.add("-D" + p.getKey() + "=" + p.getValue());
        }
        command.addAll(List.of(
                Main.class.getName(), "--plugins-dir", batch.pluginsDirectory().toString()));
        command.addAll(batch.unitCommand());
        command.add(dir.toString());
        return command;
    }

    @Override
    public void runAll(UnitBatch batch, UnitListener listener) throws IOException, InterruptedException {
        if (!"file".equals(batch.store().getScheme())) {
            throw new IllegalArgumentException("the units of " + batch.sweep() + " are in " + batch.store()
                    + "; this machine's process pool reads only file: directories. Give --master URL to run them on"
                    + " a cluster");
        }
        List<String> ids = batch.unitIds();
        if (ids.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, ids.size()));
        List<Future<UnitOutcome>> results = new ArrayList<>();
        for (String id : ids) {
            results.add(pool.submit(() -> {
                UnitOutcome outcome = runOne(batch, id);
                synchronized (listener) {
                    listener.finished(outcome);
                }
                return outcome;
            }));
        }
        pool.shutdown();
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

    private static UnitOutcome runOne(UnitBatch batch, String id) throws IOException, InterruptedException {
        Path dir = Path.of(batch.unitUri(id));
        long start = System.nanoTime();
        int resumed = publishedRows(dir);
        Path logFile = dir.resolve(LOG);
        Process process = new ProcessBuilder(command(batch, dir))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            int code = process.waitFor();
            String failure = null;
            if (code != 0) {
                List<String> lines = Files.readAllLines(logFile);
                String tail = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
                failure = "exit " + code + (tail.isEmpty() ? "" : ": " + tail);
            }
            return new UnitOutcome(id, failure, "local", (System.nanoTime() - start) / 1e9, 1, resumed);
        } finally {
            if (process.isAlive()) {
                process.destroy();
            }
        }
    }

    /**
     * The rows a unit directory's {@code progress.json} holds (its last complete checkpoint), 0 when
     * there is none yet.
     */
    public static int publishedRows(Path dir) throws IOException {
        Path progress = dir.resolve(RunUnit.PROGRESS);
        if (!Files.exists(progress)) {
            return 0;
        }
        JsonNode rows = JSON.readTree(progress.toFile()).get("rows");
        return rows == null ? 0 : rows.size();
    }

    @Override
    public void close() {
        // nothing outlives runAll: its pool and children end with it
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LocalUnitExecutor(%d)", workers);
    }
}
