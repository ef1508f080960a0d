package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code synthetic --solver}: the ILP plugin with one cardinality constraint (choose exactly one of n)
 * stands in for top-1 and gives the same numbers, estimate for estimate; the run records its solver
 * and refuses to resume with another.
 */
class SolverChoiceIT {
    private static final String[] SMALL = {
        "--n",
        "6",
        "--samples",
        "1,10",
        "--seeds",
        "2",
        "--estimators",
        "imle-central,imle-forward,aimle-central,ste",
        "--warmup",
        "3",
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

    @TempDir
    Path home;

    @BeforeAll
    static void pluginsDir() {
        plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
    }

    private CliRun synthetic(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("synthetic", "--plugins-dir", plugins, "--out", out.toString()));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(extra));
        return CliRun.run(Map.of(), home, args.toArray(String[]::new));
    }

    /** Every row without its last column (seconds). */
    private static List<String> resultsWithoutTimes(Path out) throws IOException {
        return Files.readAllLines(out.resolve(SyntheticCommand.CSV)).stream()
                .map(line -> line.substring(0, line.lastIndexOf(',')))
                .toList();
    }

    @Test
    void theIlpWithAOneHotConstraintGivesTheSameNumbersAsTopOne() throws IOException {
        Path problem = Files.writeString(
                home.resolve("one-of-six.json"),
                "{\"name\": \"one-of-six\", \"variables\": 6,"
                        + " \"constraints\": [{\"name\": \"exactly one\", \"coefficients\": [1, 1, 1, 1, 1, 1], \"sense\": \"==\","
                        + " \"rhs\": 1}]}");
        Path topk = home.resolve("topk");
        CliRun a = synthetic(topk);
        assertEquals(0, a.code(), a.describe());
        Path ilp = home.resolve("ilp");
        CliRun b = synthetic(ilp, "--solver", "aimle-ilp:ilp", "-P", "problem=" + problem);
        assertEquals(0, b.code(), b.describe());
        List<String> expected = resultsWithoutTimes(topk);
        assertEquals(1 + 4 * 2 * 2, expected.size(), "header and 16 points");
        assertEquals(expected, resultsWithoutTimes(ilp));
        String recorded = new ObjectMapper()
                .readTree(ilp.resolve("run.json").toFile())
                .path("configuration")
                .path("solver")
                .asText();
        assertTrue(recorded.startsWith("aimle-ilp:ilp problem="), recorded);

        assertTrue(
                Files.readString(ilp.resolve("results.md")).contains("MAP: argmax (" + recorded + ")"),
                "results.md names the solver run.json records");
        assertTrue(
                Files.readString(topk.resolve("results.md")).contains("MAP: argmax (topk k=1)"),
                "the default, as run.json records it");

        CliRun other = synthetic(ilp);
        assertEquals(2, other.code(), "another solver is another run: " + other.describe());
        assertTrue(other.err().contains("solver: \"" + recorded + "\" there, \"topk k=1\" here"), other.describe());
    }

    /** A solver the synthetic problem cannot use is refused by name before anything is computed. */
    @Test
    void aMinimisingOrNonOneHotSolverIsRefused() throws IOException {
        CliRun path = synthetic(home.resolve("path"), "--solver", "shortest-path");
        assertEquals(2, path.code(), path.describe());
        assertTrue(
                path.err().contains("solver 'shortest-path' minimises; the synthetic experiment needs an argmax"),
                path.describe());
        // n = 6 edges is the complete graph on 4 nodes: a spanning tree has 3 ones per row
        CliRun tree = synthetic(home.resolve("tree"), "--solver", "spanning-tree");
        assertEquals(2, tree.code(), tree.describe());
        assertTrue(
                tree.err()
                        .contains("solver 'spanning-tree' is not a one-hot argmax: on N(0, 1) scores [8, 6]"
                                + " (seed 1) row 0 has 3 ones"),
                tree.describe());
        assertTrue(
                !Files.exists(home.resolve("tree").resolve(SyntheticCommand.CSV))
                        || Files.readAllLines(home.resolve("tree").resolve(SyntheticCommand.CSV))
                                        .size()
                                <= 1,
                "nothing computed");
    }
}
