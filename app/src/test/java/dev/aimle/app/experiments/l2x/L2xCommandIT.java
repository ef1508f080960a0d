package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimle l2x} end to end on a tiny generated task over the built top-k plugin: every output
 * file, every method; the same task written in the BeerAdvocate formats and trained from the files
 * gives the same numbers; a run stopped after one epoch (with the partial checkpoint and progress
 * file a kill -9 leaves) resumes to the numbers of an uninterrupted one; the second stage runs the
 * chosen configurations only; bad data is refused naming the file.
 */
class L2xCommandIT {
    private static String plugins;

    @TempDir
    Path home;

    @BeforeAll
    static void pluginsDir() {
        plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
    }

    private CliRun l2x(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--plugins-dir",
                plugins,
                "l2x",
                "--out",
                out.toString(),
                "--task-size",
                "120,40,20,8",
                "--max-length",
                "40",
                "--filters",
                "4",
                "--hidden",
                "16",
                "--batch",
                "20",
                "--k",
                "5",
                "--parallel",
                "2"));
        args.addAll(List.of(extra));
        return CliRun.run(Map.of(), home, args.toArray(String[]::new));
    }

    @Test
    void aSmallSweepWritesEveryOutputAndTheSecondStageRunsTheChosenOnly() throws IOException {
        Path out = home.resolve("out");
        CliRun r = l2x(out, "--temperatures", "1", "--lambdas", "10", "--epochs", "2");
        assertEquals(0, r.code(), r.describe());
        // 8 methods at one temperature, IMLE at one lambda, and the random and oracle explainers
        assertEquals(10, Files.list(out).filter(Files::isDirectory).count(), r.describe());
        for (String file : List.of(
                "run.json",
                "summary.csv",
                "results.md",
                "validation-mse.png",
                "subset-precision.png",
                "explanations.md")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        List<String> epochs =
                Files.readAllLines(out.resolve("aimle-central_k5_t1_seed0").resolve(L2xExperiment.EPOCHS_CSV));
        assertEquals(String.join(",", L2xExperiment.COLUMNS), epochs.get(0));
        assertEquals(3, epochs.size());
        String[] last = epochs.get(2).split(",");
        assertEquals("12", last[1], "6 steps of 20 reviews per epoch");
        for (int i = 2; i <= 7; i++) {
            assertTrue(Double.isFinite(Double.parseDouble(last[i])), L2xExperiment.COLUMNS.get(i) + " = " + last[i]);
        }
        String results = Files.readString(out.resolve("results.md"));
        for (String label : List.of(
                "SoftSub (τ =",
                "L2X (τ =",
                "STE (τ =",
                "IMLE (F, λ = 10, τ =",
                "AIMLE (C, τ =",
                "| random explainer |",
                "| oracle explainer |")) {
            assertTrue(results.contains(label), label + "\n" + results);
        }
        String explanations = Files.readString(out.resolve("explanations.md"));
        assertTrue(explanations.contains("selected in the rationale") && explanations.contains("**"), explanations);

        CliRun second =
                l2x(out, "--temperatures", "1", "--lambdas", "10", "--epochs", "2", "--chosen-only", "--seeds", "2");
        assertEquals(0, second.code(), second.describe());
        assertTrue(
                second.out().contains("20 runs, 10 to do"),
                "10 chosen configurations, seeds 0 and 1\n" + second.describe());
        assertTrue(Files.readString(out.resolve("results.md")).contains("| AIMLE (C, τ ="), "table rows");
    }

    @Test
    void theSameTaskFromFilesGivesTheSameNumbers() throws IOException {
        Path data = home.resolve("data");
        CliRun w = CliRun.run(
                Map.of(),
                home,
                "--plugins-dir",
                plugins,
                "l2x",
                "--task-size",
                "120,40,20,8",
                "--write-data",
                data.toString());
        assertEquals(0, w.code(), w.describe());
        assertTrue(Files.exists(data.resolve("reviews.aspect1.train.txt"))
                && Files.exists(data.resolve("annotations.json")));
        String[] run = {"--methods", "imle-central", "--temperatures", "1", "--lambdas", "100", "--epochs", "1"};
        CliRun g = l2x(home.resolve("generated"), run);
        assertEquals(0, g.code(), g.describe());
        List<String> fromFiles = new ArrayList<>(List.of(run));
        fromFiles.addAll(List.of("--data", data.toString()));
        CliRun f = l2x(home.resolve("files"), fromFiles.toArray(String[]::new));
        assertEquals(0, f.code(), f.describe());
        String id = "imle-central_k5_t1_l100_seed0";
        assertEquals(
                numbers(home.resolve("generated").resolve(id), 1),
                numbers(home.resolve("files").resolve(id), 1));
    }

    @Test
    void aStoppedRunResumesWithTheNumbersOfAnUninterruptedOne() throws IOException {
        String[] run = {"--methods", "aimle-forward,softsub", "--temperatures", "1"};
        Path straight = home.resolve("straight");
        Path stopped = home.resolve("stopped");
        CliRun a = l2x(straight, concat(run, "--epochs", "3"));
        assertEquals(0, a.code(), a.describe());
        CliRun b = l2x(stopped, concat(run, "--epochs", "1"));
        assertEquals(0, b.code(), b.describe());
        for (String id : List.of("aimle-forward_k5_t1_seed0", "softsub_k5_t1_seed0")) {
            Path unit = stopped.resolve(id);
            // what a kill -9 during the second epoch's checkpoint leaves: a partial directory, a temp file
            Files.createDirectories(unit.resolve("checkpoint-0002"));
            Files.writeString(unit.resolve("checkpoint-0002").resolve("model.params"), "half");
            Files.writeString(unit.resolve("progress.json.tmp"), "{\"row");
        }
        CliRun resumed = l2x(stopped, concat(run, "--epochs", "3"));
        assertEquals(0, resumed.code(), resumed.describe());
        for (String id : List.of("aimle-forward_k5_t1_seed0", "softsub_k5_t1_seed0")) {
            List<String> expected = numbers(straight.resolve(id), 3);
            assertEquals(expected, numbers(stopped.resolve(id), 3), id + ": uninterrupted vs stopped after epoch 1");
            assertTrue(Files.exists(stopped.resolve(id).resolve("checkpoint-0003")));
        }
    }

    @Test
    void badDataIsRefusedNamingTheFile() throws IOException {
        Path data = home.resolve("bad");
        CliRun w = CliRun.run(
                Map.of(),
                home,
                "--plugins-dir",
                plugins,
                "l2x",
                "--task-size",
                "20,10,5,4",
                "--write-data",
                data.toString());
        assertEquals(0, w.code(), w.describe());
        Files.writeString(data.resolve(BeerAdvocateFiles.EMBEDDINGS), "the 1 2 3 4\nsmell 1 2\n");
        CliRun r = l2x(
                home.resolve("out"),
                "--data",
                data.toString(),
                "--methods",
                "ste",
                "--temperatures",
                "1",
                "--epochs",
                "1");
        assertEquals(1, r.code(), r.describe());
        assertTrue(r.err().contains("line 2") && r.err().contains("'smell' has 2 numbers, expected 4"), r.describe());
        Files.delete(data.resolve(BeerAdvocateFiles.ANNOTATIONS));
        CliRun missing = l2x(home.resolve("out2"), "--data", data.toString(), "--epochs", "1");
        assertEquals(2, missing.code(), missing.describe());
        assertTrue(
                missing.err().contains("annotations.json") && missing.err().contains("is missing"), missing.describe());
    }

    @Test
    void statsPrintTheGeneratedTasksFiguresAndBadChoicesAreRefused() {
        CliRun stats =
                CliRun.run(Map.of(), home, "--plugins-dir", plugins, "l2x", "--stats", "--task-size", "300,10,200,8");
        assertEquals(0, stats.code(), stats.describe());
        for (String line : List.of(
                "task beer, aspect aroma",
                "reviews: 300 training, 10 held-out, 200 annotated",
                "rationale (annotated): mean ",
                "correlation of the score with the other aspects' (training): appearance ")) {
            assertTrue(stats.out().contains(line), line + "\n" + stats.describe());
        }
        CliRun task = l2x(home.resolve("t"), "--task", "real", "--epochs", "1");
        assertEquals(2, task.code(), task.describe());
        assertTrue(task.err().contains("'real'") && task.err().contains("beer or planted"), task.describe());
        CliRun oracle = l2x(home.resolve("o"), "--data", home.toString(), "--methods", "oracle", "--epochs", "1");
        assertEquals(2, oracle.code(), oracle.describe());
        assertTrue(oracle.err().contains("only the generated task"), oracle.describe());
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** The epoch rows without the seconds and RSS columns. */
    private static List<String> numbers(Path unit, int epochs) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line :
                Files.readAllLines(unit.resolve(L2xExperiment.EPOCHS_CSV)).subList(1, epochs + 1)) {
            String[] cells = line.split(",");
            rows.add(String.join(",", List.of(cells).subList(0, 9)));
        }
        return rows;
    }
}
