package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimle dvae --solver}: the ILP plugin with one "exactly K" constraint per row of 20 stands in
 * for top-k in the DVAE, and a few training steps give the same numbers (every loss, lambda, alpha).
 */
class DvaeSolverIT {
    private static final int K = 10;

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
                "1",
                "--methods",
                "aimle-central,ste",
                "--k",
                Integer.toString(K),
                "--epochs",
                "1",
                "--train-limit",
                "120"));
        args.addAll(List.of(extra));
        return CliRun.run(Map.of(), home, args.toArray(String[]::new));
    }

    /** The ILP problem of one image: 400 binaries, row r's 20 entries sum to K. */
    private Path rowsOfK() throws IOException {
        StringBuilder json =
                new StringBuilder("{\"name\": \"rows-of-" + K + "\", \"variables\": 400, \"constraints\": [");
        for (int r = 0; r < 20; r++) {
            json.append(r == 0 ? "" : ", ")
                    .append("{\"name\": \"row ")
                    .append(r)
                    .append("\", \"coefficients\": {");
            for (int c = 0; c < 20; c++) {
                json.append(c == 0 ? "" : ", ").append('"').append(r * 20 + c).append("\": 1");
            }
            json.append("}, \"sense\": \"==\", \"rhs\": ").append(K).append('}');
        }
        return Files.writeString(home.resolve("rows.json"), json.append("]}").toString());
    }

    /** epochs.csv without the seconds and memory columns. */
    private static List<String> numbers(Path run) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(DvaeExperiment.EPOCHS_CSV))) {
            String[] cells = line.split(",", -1);
            rows.add(String.join(",", Arrays.copyOfRange(cells, 0, DvaeExperiment.COLUMNS.indexOf("seconds"))));
        }
        return rows;
    }

    @Test
    void theIlpWithOneCardinalityConstraintPerRowTrainsLikeTopK() throws IOException {
        Path data = IdxFixtures.dataset(home.resolve("data"), 150, 40, false);
        Path topk = home.resolve("topk");
        CliRun a = dvae(data, topk);
        assertEquals(0, a.code(), a.describe());
        Path ilp = home.resolve("ilp");
        CliRun b = dvae(data, ilp, "--solver", "aimle-ilp:ilp", "-P", "problem=" + rowsOfK());
        assertEquals(0, b.code(), b.describe());
        for (String method : List.of("aimle-central", "ste")) {
            Path expected = topk.resolve(method + "_k10_s1_seed0");
            Path actual = ilp.resolve(method + "_k10_s1_aimle-ilp-ilp_seed0");
            assertTrue(Files.isDirectory(actual), "run directory named after its solver: " + b.describe());
            List<String> rows = numbers(expected);
            assertEquals(2, rows.size(), "header and one epoch");
            assertEquals(rows, numbers(actual), method);
        }
    }
}
