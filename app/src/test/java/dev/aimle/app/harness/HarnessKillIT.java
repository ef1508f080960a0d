package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.training.TrainingCheckpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's kill guarantee with a cheap experiment ({@link CountingExperiment}) in real child
 * JVMs killed with SIGKILL ({@link Process#destroyForcibly}): killed while evaluating a row, in the
 * middle of writing a checkpoint, or between the units of a sweep, a run started again ends with the
 * rows of a run never killed (every column but {@code seconds} and {@code rss_mb}). The runs that are
 * not killed (the reference, the resumptions) run in this JVM, to keep the test short. Each child
 * pauses for good at the named moment ({@link CountingExperiment#PAUSE}) and says so, so the kill
 * lands there, not at a moment chosen by timing.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HarnessKillIT {
    private static final CountingExperiment.Spec SPEC = new CountingExperiment.Spec(1, 4, "topk");

    private static List<Map<String, Double>> reference;

    @TempDir
    Path home;

    private static String plugins() {
        String plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
        return plugins;
    }

    private static ProcessBuilder child(String pause, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                CountingExperiment.class.getName(),
                "--plugins-dir",
                plugins()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(CountingExperiment.PAUSE);
        if (pause != null) {
            builder.environment().put(CountingExperiment.PAUSE, pause);
        }
        return builder;
    }

    /**
     * Runs the command line to its end in this process (a sweep's units still run in children);
     * returns its output.
     */
    private static String finish(String... args) {
        StringWriter output = new StringWriter();
        int code = CountingExperiment.run(
                new PrintWriter(output, true),
                Stream.concat(Stream.of("--plugins-dir", plugins()), Stream.of(args))
                        .toArray(String[]::new));
        assertEquals(0, code, output.toString());
        return output.toString();
    }

    /** Starts a child, reads its output until it says {@code what}, then kills it with SIGKILL. */
    private static String killWhen(ProcessBuilder builder, String what) throws IOException, InterruptedException {
        Process p = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains(what)) {
                    break;
                }
            }
            assertTrue(output.toString().contains(what), "the child ended before '" + what + "': " + output);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "not ended by SIGKILL");
        }
        assertEquals(137, p.exitValue(), "ended by SIGKILL");
        return output.toString();
    }

    private static Path prepared(Path dir) throws IOException {
        RunUnit.prepare(dir, CountingExperiment.NAME, SPEC, "rows.csv", CountingExperiment.COLUMNS);
        return dir;
    }

    private static RunUnit<CountingExperiment.Spec> open(Path dir) throws IOException {
        return RunUnit.open(
                dir, CountingExperiment.NAME, CountingExperiment.Spec.class, "rows.csv", CountingExperiment.COLUMNS);
    }

    /** The rows without the columns that measure the machine. */
    private static List<Map<String, Double>> numbers(Path dir) throws IOException {
        List<Map<String, Double>> rows = new ArrayList<>();
        for (Map<String, Double> row : open(dir).rows()) {
            Map<String, Double> kept = new LinkedHashMap<>(row);
            kept.remove("seconds");
            kept.remove("rss_mb");
            rows.add(kept);
        }
        return rows;
    }

    /** The rows of {@link #SPEC} never killed, run once in this process. */
    private static synchronized List<Map<String, Double>> neverKilled(Path home) throws IOException {
        if (reference != null) {
            return reference;
        }
        Path dir = prepared(home.resolve("reference"));
        finish("unit", dir.toString());
        List<Map<String, Double>> rows = numbers(dir);
        assertEquals(SPEC.rows(), rows.size());
        assertNotEquals(rows.get(0).get("weight_sum"), rows.get(3).get("weight_sum"), "the weights move");
        reference = rows;
        return rows;
    }

    @Test
    void killedWhileEvaluatingARowItResumesToTheSameRows() throws IOException, InterruptedException {
        List<Map<String, Double>> expected = neverKilled(home);
        Path dir = prepared(home.resolve("killed"));
        killWhen(child("row:3", "unit", dir.toString()), "paused row:3");
        assertEquals(expected.subList(0, 2), numbers(dir), "the rows committed before the kill");
        finish("unit", dir.toString());
        assertEquals(expected, numbers(dir));
    }

    @Test
    void killedWhileWritingACheckpointItResumesFromThePreviousOne() throws IOException, InterruptedException {
        List<Map<String, Double>> expected = neverKilled(home);
        Path dir = prepared(home.resolve("killed"));
        killWhen(child("checkpoint:2", "unit", dir.toString()), "paused checkpoint:2");
        assertEquals(expected.subList(0, 1), numbers(dir), "row 2 is not committed: its checkpoint is cut");
        List<Path> cut;
        try (Stream<Path> files = Files.list(dir)) {
            cut = files.filter(f -> f.getFileName().toString().startsWith("checkpoint-")
                            && !Files.exists(f.resolve(TrainingCheckpoint.CHECKSUMS)))
                    .toList();
        }
        assertEquals(1, cut.size(), "one checkpoint cut after its parameters, before its checksums: " + cut);
        assertTrue(
                Files.exists(cut.get(0).resolve(TrainingCheckpoint.PARAMETERS)),
                cut.get(0).toString());
        finish("unit", dir.toString());
        assertEquals(expected, numbers(dir));
    }

    @Test
    void aSweepKilledBetweenUnitsResumesTheRestToTheSameRows() throws IOException, InterruptedException {
        List<Map<String, Double>> expected = neverKilled(home);
        Path out = home.resolve("sweep");
        String[] sweep = {CountingExperiment.NAME, "--seeds", "2", "--parallel", "1", "--out", out.toString()};
        // unit count_seed1 stops at its start, so the kill finds count_seed0 done and count_seed1 without a row
        killWhen(child("start:count_seed1", sweep), "count_seed0 done");
        Path first = out.resolve("count_seed0");
        assertTrue(open(first).complete(), "the first unit is done");
        String firstProgress = Files.readString(first.resolve(RunUnit.PROGRESS));
        String output = finish(sweep);
        assertTrue(output.contains("1 to do"), output);
        assertEquals(firstProgress, Files.readString(first.resolve(RunUnit.PROGRESS)), "a done unit is not redone");
        assertEquals(expected, numbers(out.resolve("count_seed1")));
    }
}
