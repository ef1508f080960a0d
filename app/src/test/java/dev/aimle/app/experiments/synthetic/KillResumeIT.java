package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory is valid from the first byte: the packaged CLI runs in a process of its own and is
 * killed with SIGKILL at several moments (the directory just created, the results file just created,
 * a few rows written); each time the next run on the same directory finishes with exit 0 and the
 * same results as a run that was never killed.
 */
class KillResumeIT {
    private static final String[] SMALL = {
        "--n",
        "5",
        "--samples",
        "1,10,100",
        "--seeds",
        "3",
        "--estimators",
        "aimle-central,imle-central,ste",
        "--warmup",
        "20",
        "--lambdas",
        "none",
        "--warmup-study",
        "none",
        "--threads",
        "1",
        "--progress",
        "none"
    };

    private static String plugins;
    private static String classpath;

    @TempDir
    Path home;

    @BeforeAll
    static void builtApp() {
        plugins = System.getProperty("aimle.plugins.built");
        String jar = System.getProperty("aimle.app.jar");
        String lib = System.getProperty("aimle.app.lib");
        assertNotNull(jar, "system property aimle.app.jar (set by failsafe in app/pom.xml)");
        classpath = jar + File.pathSeparator + lib + File.separator + "*";
    }

    private List<String> args(Path out) {
        List<String> args = new ArrayList<>(List.of("synthetic", "--plugins-dir", plugins, "--out", out.toString()));
        args.addAll(List.of(SMALL));
        return args;
    }

    /** The rows without the seconds column, sorted: what must not depend on kills. */
    private static TreeSet<String> results(Path out) throws IOException {
        TreeSet<String> rows = new TreeSet<>();
        for (String line : Files.readAllLines(out.resolve(SyntheticCommand.CSV))) {
            rows.add(line.substring(0, line.lastIndexOf(',')));
        }
        return rows;
    }

    /** Starts the CLI in a process of its own and kills it (SIGKILL) once {@code moment} holds. */
    private void killWhen(Path out, Predicate<Path> moment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "-Dai.djl.offline=true",
                "dev.aimle.app.Main"));
        command.addAll(args(out));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        home.resolve("killed-" + out.getFileName() + ".log").toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // another process's progress can only be observed by polling its files
        while (process.isAlive() && !moment.test(out) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        process.destroyForcibly();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the killed process did not end");
    }

    private static boolean rowsAtLeast(Path out, int rows) {
        try {
            return Files.exists(out.resolve(SyntheticCommand.CSV))
                    && Files.readAllLines(out.resolve(SyntheticCommand.CSV)).size() > rows;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aRunKilledAtAnyOfSeveralMomentsResumesToTheSameResults() throws IOException, InterruptedException {
        Path reference = home.resolve("reference");
        CliRun whole = CliRun.run(Map.of(), home, args(reference).toArray(String[]::new));
        assertEquals(0, whole.code(), whole.describe());
        TreeSet<String> expected = results(reference);
        assertEquals(1 + 3 * 3 * 3, expected.size(), "header and 27 points");

        Map<String, Predicate<Path>> moments = Map.of(
                "directory", Files::isDirectory,
                "results-file", out -> Files.exists(out.resolve(SyntheticCommand.CSV)),
                "some-rows", out -> rowsAtLeast(out, 4));
        for (var moment : moments.entrySet()) {
            Path out = home.resolve(moment.getKey());
            killWhen(out, moment.getValue());
            CliRun resumed = CliRun.run(Map.of(), home, args(out).toArray(String[]::new));
            assertEquals(0, resumed.code(), "killed at " + moment.getKey() + ": " + resumed.describe());
            assertEquals(expected, results(out), "killed at " + moment.getKey());
        }
    }
}
