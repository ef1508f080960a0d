package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.Main;
import dev.aimle.app.cli.CliRun;
import dev.aimle.app.harness.Harness;
import dev.aimle.app.harness.RunUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimle nri generate} and {@code aimle nri} end to end over the built spanning-tree plugin, on
 * a small generated set with a small model: every output file, and a run killed with SIGKILL in the
 * middle of training that keeps its rows and resumes to completion.
 */
class NriCommandIT {
    private static String plugins;

    @TempDir
    Path home;

    @BeforeAll
    static void pluginsDir() {
        plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
    }

    private Path data() {
        Path dir = home.resolve("data");
        CliRun r = CliRun.run(
                Map.of(),
                home,
                "nri",
                "generate",
                "--out",
                dir.toString(),
                "--timesteps",
                "10",
                "--train",
                "96",
                "--valid",
                "40",
                "--test",
                "40",
                "--progress",
                "none");
        assertEquals(0, r.code(), r.describe());
        return dir;
    }

    private static List<String> small(Path data, Path out) {
        return new ArrayList<>(List.of(
                "--plugins-dir",
                plugins,
                "nri",
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--timesteps",
                "10",
                "--batch",
                "16",
                "--hidden",
                "16",
                "--parallel",
                "2"));
    }

    private CliRun nri(Path data, Path out, String... extra) {
        List<String> args = small(data, out);
        args.addAll(List.of(extra));
        return CliRun.run(Map.of(), home, args.toArray(String[]::new));
    }

    @Test
    void aSmallSweepWritesEveryOutput() throws IOException {
        Path data = data();
        Path out = home.resolve("out");
        CliRun r = nri(
                data,
                out,
                "--methods",
                "aimle-central,imle-forward,ste",
                "--lambdas",
                "1,10",
                "--iterations",
                "8",
                "--eval-every",
                "4");
        assertEquals(0, r.code(), r.describe());
        assertEquals(
                4,
                Files.list(out)
                        .filter(p -> p.getFileName().toString().contains("_T10_"))
                        .count());
        for (String file : List.of(
                "run.json",
                "summary.csv",
                "results.md",
                "valid-elbo.png",
                "valid-precision.png",
                "lambda.png",
                "examples-T10.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file + "\n" + r.describe());
        }
        List<String> rows =
                Files.readAllLines(out.resolve("aimle-central_T10_seed0").resolve(NriExperiment.CSV));
        assertEquals(String.join(",", NriExperiment.COLUMNS), rows.get(0));
        assertEquals(3, rows.size());
        String[] last = rows.get(2).split(",");
        for (int i = 0; i < last.length; i++) {
            assertTrue(Double.isFinite(Double.parseDouble(last[i])), NriExperiment.COLUMNS.get(i) + " = " + last[i]);
        }
        String table = Files.readString(out.resolve("results.md"));
        assertTrue(table.contains("| AIMLE (Central) |") && table.contains("IMLE (Forward) (λ="), table);
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"trained\" : 4"));
        CliRun again = nri(data, out, "--methods", "ste", "--iterations", "8", "--eval-every", "4");
        assertEquals(0, again.code(), again.describe());
        assertTrue(again.out().contains("1 runs, 0 to do"), again.describe());
    }

    @Test
    void aRunKilledMidTrainingKeepsItsRowsAndResumes() throws Exception {
        Path data = data();
        String[] run = {"--methods", "aimle-forward", "--iterations", "24", "--eval-every", "3"};
        Path straight = home.resolve("straight");
        CliRun r = nri(data, straight, run);
        assertEquals(0, r.code(), r.describe());

        // prepare the run directory only, then train it in a process of its own and kill -9 it
        Path stopped = home.resolve("stopped");
        List<String> args = small(data, stopped);
        args.subList(0, 3).clear(); // --plugins-dir DIR nri: the root's, not the sweep's
        args.addAll(List.of(run));
        NriSpec spec =
                Harness.grid(new NriExperiment(), args.toArray(String[]::new)).get(0);
        Path unit = stopped.resolve("aimle-forward_T10_seed0");
        RunUnit.prepare(unit, NriExperiment.NAME, spec, NriExperiment.CSV, NriExperiment.COLUMNS);
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
        while (RunUnit.open(unit, NriExperiment.NAME, NriSpec.class, NriExperiment.CSV, NriExperiment.COLUMNS)
                        .rows()
                        .isEmpty()
                && child.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(
                child.isAlive(),
                "the child finished before it could be killed: " + Files.readString(home.resolve("child.log")));
        child.destroyForcibly().waitFor();
        int rowsAtKill = RunUnit.open(unit, NriExperiment.NAME, NriSpec.class, NriExperiment.CSV, NriExperiment.COLUMNS)
                .rows()
                .size();
        assertTrue(rowsAtKill >= 1 && rowsAtKill < 8, "killed after " + rowsAtKill + " of 8 evaluations");

        CliRun resumed = nri(data, stopped, run);
        assertEquals(0, resumed.code(), resumed.describe());
        List<String> expected = numbers(straight.resolve("aimle-forward_T10_seed0"));
        List<String> actual = numbers(unit);
        // the rows written before the kill are kept, and the resumed run gives the uninterrupted run's numbers
        assertEquals(expected.subList(0, 1 + rowsAtKill), actual.subList(0, 1 + rowsAtKill), "rows before the kill");
        assertEquals(expected, actual, "killed after " + rowsAtKill + " evaluations, then resumed");
    }

    /** The evaluation rows without the seconds and RSS columns. */
    private static List<String> numbers(Path unit) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(unit.resolve(NriExperiment.CSV))) {
            String[] cells = line.split(",", -1);
            rows.add(String.join(",", List.of(cells).subList(0, NriExperiment.COLUMNS.indexOf("seconds"))));
        }
        assertEquals(9, rows.size(), "header and 8 evaluations: " + rows);
        return rows;
    }

    @Test
    void theBenchmarkTimesEveryMethod() {
        CliRun r = CliRun.run(Map.of(), home, "--plugins-dir", plugins, "bench", "--only", "nri", "--quick");
        assertEquals(0, r.code(), r.describe());
        for (String row :
                List.of("SST (Hard) step", "AIMLE (Central) step", "IMLE (Forward) step", "STE step", "reference")) {
            assertTrue(r.out().contains(row), row + "\n" + r.describe());
        }
    }
}
