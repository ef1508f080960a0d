package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import dev.aimle.app.harness.RunUnit;
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
 * {@code aimle dvae} end to end on generated 28x28 images (240 training, 40 test) over the built
 * top-k plugin: every output file, K = 10 and K = 1, S = 2, Gumbel-softmax, and resuming: a run
 * stopped after one epoch (with a half-written checkpoint of the next one left behind, as a kill -9
 * would) and continued to two gives the numbers of a run that went to two at once.
 */
class DvaeCommandIT {
    private static String plugins;

    @TempDir
    Path home;

    @BeforeAll
    static void pluginsDir() {
        plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
    }

    private CliRun dvae(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--plugins-dir",
                plugins,
                "dvae",
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--batch",
                "40",
                "--parallel",
                "2"));
        args.addAll(List.of(extra));
        return CliRun.run(Map.of(), home, args.toArray(String[]::new));
    }

    @Test
    void aSmallSweepWritesEveryOutput() throws IOException {
        Path data = IdxFixtures.dataset(home.resolve("data"), 240, 40, true);
        Path out = home.resolve("out");
        CliRun r = dvae(
                data,
                out,
                "--methods",
                "aimle-central,imle-forward,ste,gumbel-softmax",
                "--k",
                "10,1",
                "--lambdas",
                "10",
                "--aimle-samples",
                "1,2",
                "--epochs",
                "2");
        assertEquals(0, r.code(), r.describe());
        // K = 10: AIMLE S 1, 2, IMLE, STE; K = 1: the same and Gumbel-softmax
        assertEquals(9, Files.list(out).filter(Files::isDirectory).count(), r.describe());
        for (String file : List.of(
                "run.json",
                "summary.csv",
                "results.md",
                "fig5-aimle-vs-imle.png",
                "fig6-aimle-vs-gumbel-softmax.png",
                "fig7-aimle-vs-ste.png",
                "fig8-aimle-samples.png",
                "lambda.png",
                "test-loss-map-vs-noisy.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        List<String> epochs =
                Files.readAllLines(out.resolve("aimle-central_k10_s2_seed0").resolve(DvaeExperiment.EPOCHS_CSV));
        assertEquals(String.join(",", DvaeExperiment.COLUMNS), epochs.get(0));
        assertEquals(3, epochs.size());
        String[] last = epochs.get(2).split(",");
        assertEquals("2", last[0]);
        assertEquals("10", last[1], "5 steps of 40 images per epoch (200 training images after validation)");
        for (int i = 2; i <= 7; i++) {
            assertTrue(Double.isFinite(Double.parseDouble(last[i])), DvaeExperiment.COLUMNS.get(i) + " = " + last[i]);
        }
        String results = Files.readString(out.resolve("results.md"));
        assertTrue(results.contains("| AIMLE (central) S=2 | 2 | 1 |") && results.contains("Gumbel-softmax"), results);
        assertTrue(results.contains("IMLE (forward) λ=10 (chosen by validation)"), results);
        assertTrue(results.contains("| test loss | test loss (noisy sample) |"), results);
        assertTrue(
                Files.readString(out.resolve("ste_k1_s1_seed0").resolve(DvaeExperiment.EPOCHS_CSV))
                        .lines()
                        .skip(1)
                        .allMatch(l -> l.split(",", -1)[DvaeExperiment.COLUMNS.indexOf("lambda")].isEmpty()),
                "STE has no lambda");

        String runJson = Files.readString(out.resolve("run.json"));
        assertTrue(
                runJson.contains("\"trained\" : 9")
                        && runJson.contains("\"versions\"")
                        && runJson.contains("imle-forward_k1_s1_l10_seed0"),
                runJson);
        // done runs are not run again
        CliRun again = dvae(data, out, "--methods", "ste", "--k", "10", "--epochs", "2");
        assertEquals(0, again.code(), again.describe());
        assertTrue(again.out().contains("1 runs, 0 to do"), again.describe());
    }

    @Test
    void aStoppedRunResumesWithTheNumbersOfAnUninterruptedOne() throws IOException {
        Path data = IdxFixtures.dataset(home.resolve("data"), 240, 40, false);
        Path straight = home.resolve("straight");
        Path stopped = home.resolve("stopped");
        String[] run = {"--methods", "aimle-forward", "--k", "10", "--aimle-samples", "2"};
        assertEquals(0, dvae(data, straight, concat(run, "--epochs", "3")).code());
        assertEquals(0, dvae(data, stopped, concat(run, "--epochs", "1")).code());
        Path unit = stopped.resolve("aimle-forward_k10_s2_seed0");
        // what a kill -9 during the second epoch's checkpoint leaves: a partial directory, a temp file
        Files.createDirectories(unit.resolve("checkpoint-0002"));
        Files.writeString(unit.resolve("checkpoint-0002").resolve("model.params"), "half");
        Files.writeString(unit.resolve(RunUnit.PROGRESS + ".tmp"), "{\"epo");
        CliRun resumed = dvae(data, stopped, concat(run, "--epochs", "3"));
        assertEquals(0, resumed.code(), resumed.describe());
        List<String> a = numbers(straight.resolve("aimle-forward_k10_s2_seed0"));
        List<String> b = numbers(unit);
        assertEquals(3, a.size());
        assertEquals(a, b, "epoch rows (without seconds and RSS), uninterrupted vs stopped after epoch 1");
        assertTrue(!Files.exists(unit.resolve("checkpoint-0002")) && Files.exists(unit.resolve("checkpoint-0003")));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** The epoch rows without the seconds and RSS columns. */
    private static List<String> numbers(Path unit) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line :
                Files.readAllLines(unit.resolve(DvaeExperiment.EPOCHS_CSV)).subList(1, 4)) {
            String[] cells = line.split(",");
            rows.add(String.join(",", List.of(cells).subList(0, 8)));
        }
        return rows;
    }

    @Test
    void theBenchmarkTimesEveryMethodNextToThePlainAutoencoder() {
        CliRun r = CliRun.run(Map.of(), home, "--plugins-dir", plugins, "bench", "--only", "dvae", "--quick");
        assertEquals(0, r.code(), r.describe());
        for (String row : List.of(
                "plain autoencoder",
                "AIMLE central step",
                "IMLE central, lambda 10 step",
                "STE step",
                "Gumbel-softmax step",
                "the plain autoencoder")) {
            assertTrue(r.out().contains(row), row + "\n" + r.describe());
        }
    }

    @Test
    void withoutDataItSaysHowToGetIt() {
        CliRun r = dvae(home.resolve("nothing"), home.resolve("out"), "--quick");
        assertEquals(2, r.code(), "a data directory without its files is bad usage: " + r.describe());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.describe());
        assertFalse(r.err().contains("Exception"), r.describe());
    }
}
