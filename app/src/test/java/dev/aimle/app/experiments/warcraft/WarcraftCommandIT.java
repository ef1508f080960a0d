package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.Main;
import dev.aimle.app.cli.CliRun;
import dev.aimle.app.harness.Harness;
import dev.aimle.app.harness.RunUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimle warcraft} end to end over the built shortest-path plugin, on 4x4 maps written by
 * {@code aimle warcraft generate}: every output file, IMLE's λ chosen on validation, a named {@code
 * --data} never written, a bad file refused by name, and a run killed with SIGKILL during training
 * that resumes with the numbers of a run never stopped.
 */
class WarcraftCommandIT {
    private static String plugins;

    @TempDir
    Path home;

    @BeforeAll
    static void pluginsDir() {
        plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
    }

    private CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--plugins-dir", plugins));
        all.addAll(List.of(args));
        return CliRun.run(Map.of(), home, all.toArray(String[]::new));
    }

    /** The sweep's flags on {@code data} into {@code out}, before the run's own. */
    private static List<String> small(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "warcraft",
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--batch",
                "8",
                "--train-limit",
                "0",
                "--eval-limit",
                "0",
                "--milestones",
                "2",
                "--parallel",
                "2"));
        args.addAll(List.of(extra));
        return args;
    }

    private Path generate() {
        Path data = home.resolve("data");
        CliRun g = cli(
                "warcraft",
                "generate",
                "--out",
                data.toString(),
                "--grid",
                "4",
                "--train",
                "24",
                "--val",
                "8",
                "--test",
                "8",
                "--progress",
                "none");
        assertEquals(0, g.code(), g.describe());
        return data;
    }

    @Test
    void aSmallSweepWritesEveryOutputAndOnlyReadsItsData() throws IOException {
        Path data = generate();
        Map<String, String> before = digests(data);
        Path out = home.resolve("out");
        CliRun r = cli(small(
                        data,
                        out,
                        "--methods",
                        "dbb,imle-forward,aimle-central,fenchel-young",
                        "--lambdas",
                        "5,20",
                        "--epochs",
                        "2")
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        assertEquals(before, digests(data), "a named --data is only read");
        assertEquals(5, Files.list(out).filter(Files::isDirectory).count(), r.describe());
        for (String file :
                List.of("run.json", "summary.csv", "results.md", "curves.png", "lambda.png", "test-paths.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        List<String> epochs =
                Files.readAllLines(out.resolve("aimle-central_seed0").resolve(WarcraftExperiment.EPOCHS_CSV));
        assertEquals(String.join(",", WarcraftExperiment.COLUMNS), epochs.get(0));
        assertEquals(3, epochs.size());
        String[] last = epochs.get(2).split(",");
        assertEquals("2", last[0]);
        assertEquals("6", last[1], "3 steps of 8 maps per epoch");
        assertTrue(Files.size(out.resolve("dbb_seed0").resolve(WarcraftSession.EXAMPLES_PNG)) > 0);
        String results = Files.readString(out.resolve("results.md"));
        for (String row : List.of("| DBB (λ=20, no noise) |", "| AIMLE (central) |", "| Perturbed optimizer")) {
            assertTrue(results.contains(row), row + "\n" + results);
        }
        // one IMLE row in the main table, the λ the validation chose; both λ in the table below
        assertTrue(
                results.contains("IMLE at every λ")
                        && results.contains("| IMLE (forward) λ=5 |")
                        && results.contains("| IMLE (forward) λ=20 |"),
                results);
        assertTrue(Files.readString(out.resolve("summary.csv")).lines().count() == 6, "a header and 5 runs");
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"trained\" : 5"));
    }

    @Test
    void aBadDataFileIsRefusedByName() throws IOException {
        Path data = generate();
        Files.write(WarcraftData.mapsFile(data, "val"), new byte[] {1, 2, 3});
        CliRun r = cli(small(data, home.resolve("out"), "--quick").toArray(String[]::new));
        assertEquals(2, r.code(), "a bad data file is bad usage: " + r.describe());
        assertTrue(r.err().contains("val_maps.npy"), r.describe());
        assertFalse(r.err().contains("Exception"), r.describe());
        CliRun missing = cli(
                small(home.resolve("nothing"), home.resolve("out2"), "--quick").toArray(String[]::new));
        assertEquals(2, missing.code(), missing.describe());
        assertTrue(missing.err().contains("train_maps.npy"), missing.describe());
    }

    @Test
    void aRunKilledDuringTrainingResumesWithTheNumbersOfAnUninterruptedOne() throws Exception {
        Path data = generate();
        String[] run = {"--methods", "aimle-forward", "--epochs", "4"};
        Path straight = home.resolve("straight");
        CliRun r = cli(small(data, straight, run).toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());

        // prepare the run directory only, then train it in a process of its own and kill -9 it
        Path stopped = home.resolve("stopped");
        List<String> args = small(data, stopped, run);
        args.remove(0); // the sweep's flags without its name
        WarcraftSpec spec = Harness.grid(new WarcraftExperiment(), args.toArray(String[]::new))
                .get(0);
        Path unit = stopped.resolve("aimle-forward_seed0");
        RunUnit.prepare(unit, WarcraftExperiment.NAME, spec, WarcraftExperiment.EPOCHS_CSV, WarcraftExperiment.COLUMNS);
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--plugins-dir",
                        plugins,
                        "unit",
                        unit.toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("child.log").toFile())
                .start();
        // a slow machine only makes the wait longer; the kill comes after the first checkpoint
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (rows(unit) == 0 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(
                child.isAlive(),
                "the child finished before it could be killed: " + Files.readString(home.resolve("child.log")));
        child.destroyForcibly().waitFor();
        int rowsAtKill = rows(unit);
        assertTrue(rowsAtKill >= 1 && rowsAtKill < 4, "killed after " + rowsAtKill + " of 4 epochs");

        CliRun resumed = cli(small(data, stopped, run).toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.describe());
        List<String> expected = numbers(straight.resolve("aimle-forward_seed0"));
        List<String> actual = numbers(unit);
        assertEquals(expected, actual, "killed after " + rowsAtKill + " epochs, then resumed");
    }

    private static int rows(Path unit) throws IOException {
        return RunUnit.open(
                        unit,
                        WarcraftExperiment.NAME,
                        WarcraftSpec.class,
                        WarcraftExperiment.EPOCHS_CSV,
                        WarcraftExperiment.COLUMNS)
                .rows()
                .size();
    }

    /** The epoch rows without the seconds and RSS columns. */
    private static List<String> numbers(Path unit) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(unit.resolve(WarcraftExperiment.EPOCHS_CSV))) {
            String[] cells = line.split(",", -1);
            rows.add(String.join(",", List.of(cells).subList(0, WarcraftExperiment.COLUMNS.indexOf("seconds"))));
        }
        assertEquals(5, rows.size(), "header and 4 epochs: " + rows);
        return rows;
    }

    private static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                try {
                    out.put(
                            f.getFileName().toString(),
                            HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
