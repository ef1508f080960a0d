package dev.aimle.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aimle solvers} and {@code aimle demo} over the plugin jars this build produced. */
class CliEndToEndIT {
    private static String plugins;
    private static String version;

    @TempDir
    Path home;

    @BeforeAll
    static void builtPlugins() {
        plugins = System.getProperty("aimle.plugins.built");
        version = System.getProperty("aimle.project.version");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
    }

    private CliRun run(String... args) {
        return CliRun.run(Map.of(), home, args);
    }

    @Test
    void solversListsEachSolverWithItsPluginAndClasspathProviders() {
        CliRun r = run("solvers", "--plugins-dir", plugins);
        assertEquals(0, r.code(), r.describe());
        assertEquals("", r.err(), "no load problem: " + r.describe());
        assertTrue(r.out().contains("Map solvers (4):"), r.describe());
        assertTrue(
                r.out()
                        .matches("(?s).*\\n  topk +\\[aimle-topk@" + version.replace(".", "\\.")
                                + "\\] +maximises +k-subset.*"),
                r.describe());
        assertTrue(r.out().contains("[aimle-ilp@" + version + "]"), r.describe());
        assertTrue(r.out().contains("[aimle-spanningtree@" + version + "]"), r.describe());
        assertTrue(r.out().contains("[aimle-shortestpath@" + version + "]"), r.describe());
        // each solver's sense, from the solver its defaults create (the ILP needs a problem)
        assertTrue(r.out().matches("(?s).*\\n  shortest-path +\\[[^]]+\\] +minimises +cheapest.*"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  topk +\\[[^]]+\\] +maximises +k-subset.*"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  ilp +\\[[^]]+\\] +sense: needs parameters .*"), r.describe());
        assertTrue(r.out().contains("Noise distributions ("), r.describe());
        assertTrue(r.out().contains("Gradient estimators ("), r.describe());
        assertTrue(r.out().contains("[classpath]"), r.describe());
        assertTrue(r.out().contains("aimle-topk@" + version + "          STARTED"), r.describe());
    }

    @Test
    void pluginsDirFromTheEnvironmentWorksToo() {
        CliRun r = CliRun.run(Map.of("AIMLE_PLUGINS_DIR", plugins), home, "solvers");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("Map solvers (4):"), r.describe());
    }

    @Test
    void demoSolvesTheSeededBatchAndChecksIt() {
        CliRun r = run("demo", "--plugins-dir", plugins, "--batch", "5", "--n", "8", "--k", "2", "--seed", "7");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("solver   topk from aimle-topk@" + version + ", k = 2"), r.describe());
        assertTrue(r.out().contains("theta    (5, 8) float32"), r.describe());
        assertTrue(r.out().contains("z        (5, 8) float32"), r.describe());
        assertEquals(3, r.out().lines().filter(l -> l.startsWith("row ")).count(), "3 rows printed: " + r.describe());
        assertTrue(
                r.out().contains("check    all 5 rows have exactly 2 ones, on their 2 largest scores"), r.describe());
        assertEquals(
                r.out(),
                run("demo", "--plugins-dir", plugins, "--batch", "5", "--n", "8", "--k", "2", "--seed", "7")
                        .out(),
                "same seed, same output");
    }

    @Test
    void demoRejectsAKOutOfRangeAsBadUsage() {
        CliRun r = run("demo", "--plugins-dir", plugins, "--n", "5", "--k", "6");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("k (6)") && r.err().contains("(5)"), r.describe());
    }

    @Test
    void demoPassesExtraSolverParametersAndRejectsUnknownOnes() {
        CliRun tensor = run("demo", "--plugins-dir", plugins, "-P", "path=tensor");
        assertEquals(0, tensor.code(), tensor.describe());
        CliRun unknown = run("demo", "--plugins-dir", plugins, "-P", "colour=blue");
        assertEquals(2, unknown.code(), unknown.describe());
        assertTrue(unknown.err().contains("'colour'"), unknown.describe());
    }

    @Test
    void verifyPassesTheBuiltInSolversWithOptimalityWhereDeclared() {
        CliRun topk = run("verify", "--plugins-dir", plugins, "topk", "-P", "k=3");
        assertEquals(0, topk.code(), topk.describe());
        assertTrue(
                topk.out()
                        .matches(
                                "(?s).*aimle-topk:topk +optimal against enumeration +pass +20 instances of \\(10\\).*"),
                topk.describe());
        CliRun tree = run("verify", "--plugins-dir", plugins, "spanning-tree", "--wrong-shape", "4,11");
        assertEquals(0, tree.code(), tree.describe());
        assertTrue(
                tree.out().matches("(?s).*shape \\(4, 11\\) refused with IllegalArgumentException +pass .*"),
                tree.describe());
        assertTrue(
                tree.out()
                        .matches("(?s).*optimal against enumeration +pass +20 instances of \\(10\\), 2\\^10 candidates"
                                + " each, the highest wins.*"),
                tree.describe());
    }

    @Test
    void verifyChecksAMinimisingSolverOnTheShapeAndScoresItDeclares() {
        CliRun path = run("verify", "--plugins-dir", plugins, "shortest-path", "--wrong-shape", "4,12");
        assertEquals(0, path.code(), path.describe());
        assertTrue(path.out().contains("solves a |N(0, 1)| batch (4, 3, 4)"), path.describe());
        assertTrue(
                path.out()
                        .matches("(?s).*optimal against enumeration +pass +20 instances of \\(3, 4\\), 2\\^12"
                                + " candidates each, the lowest wins.*"),
                path.describe());
        assertTrue(path.out().contains("0 failed"), path.describe());
        CliRun four =
                run("verify", "--plugins-dir", plugins, "shortest-path", "-P", "neighbourhood=4", "--shape", "2,4,4");
        assertEquals(0, four.code(), four.describe());
        assertTrue(four.out().contains("20 instances of (4, 4), 2^16 candidates each"), four.describe());
        // N(0, 1) costs: the answer is the cheapest path for the clipped costs, not for theta itself
        CliRun real = run("verify", "--plugins-dir", plugins, "shortest-path", "--scores", "real");
        assertEquals(1, real.code(), real.describe());
        assertTrue(real.out().contains("solves a N(0, 1) batch"), real.describe());
        assertTrue(real.out().contains("but the lowest feasible candidate scores"), real.describe());
    }

    @Test
    void demoUsesTheShapeAndScoresASolverDeclaresOrThoseGiven() {
        CliRun path = run("demo", "--plugins-dir", plugins, "--solver", "shortest-path");
        assertEquals(0, path.code(), path.describe());
        assertTrue(path.out().contains("theta    (4, 3, 4) float32, |N(0, 1)| scores, seed 42"), path.describe());
        assertTrue(path.out().contains("z        (4, 3, 4) float32 = argmin(theta)"), path.describe());
        assertTrue(path.out().contains("every instance in the solver's feasible set"), path.describe());
        CliRun rows = run("demo", "--plugins-dir", plugins, "--shape", "2,3,5", "--k", "2", "--scores", "non-negative");
        assertEquals(0, rows.code(), rows.describe());
        assertTrue(rows.out().contains("theta    (2, 3, 5) float32, |N(0, 1)| scores"), rows.describe());
        assertTrue(
                rows.out().contains("check    all 6 rows have exactly 2 ones, on their 2 largest scores"),
                rows.describe());
        CliRun bad = run("demo", "--plugins-dir", plugins, "--shape", "4");
        assertEquals(2, bad.code(), bad.describe());
        assertTrue(bad.err().contains("--shape [4] must have at least 2 axes"), bad.describe());
    }

    @Test
    void benchTimesAChosenSolverOnItsDeclaredShapeAndScores() {
        CliRun r = run("bench", "--plugins-dir", plugins, "--solver", "shortest-path", "--quick", "--tsv");
        assertEquals(0, r.code(), r.describe());
        assertTrue(
                r.out().contains("solver\tMAP bare\t(128, 3, 4) aimle-shortestpath:shortest-path |N(0, 1)|\t"),
                r.describe());
    }

    /**
     * The shortest-path bench solves the costs scripts/shortest_path_reference.py gives the
     * reference's Dijkstra; with --quick, the reference's paths have these digests (its output on
     * commit 41ec7975 of EdinburghNLP/torch-adaptive-imle), so equal digests mean the same paths.
     */
    @Test
    void theShortestPathBenchFindsTheReferencesPaths() {
        CliRun r = run("bench", "--plugins-dir", plugins, "--only", "shortest-path", "--quick", "--tsv");
        assertEquals(0, r.code(), r.describe());
        for (String row : List.of(
                "dijkstra per instance 8-grid\t12x12\t.*paths digest 130481267",
                "jgrapht per instance 8-grid\t12x12\t.*paths digest 130481267",
                "dijkstra per instance 4-grid\t12x12\t.*paths digest 184408251",
                "dijkstra per instance 8-grid\t30x30\t.*paths digest 108392490")) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("shortest-path\t" + row)), row + " in " + r.describe());
        }
    }

    @Test
    void aBadWrongShapeOrScoresIsBlamedOnTheFlagNotTheSolver() {
        CliRun negative = run("verify", "--plugins-dir", plugins, "topk", "--wrong-shape", "-1");
        assertEquals(2, negative.code(), negative.describe());
        assertTrue(
                negative.err().contains("--wrong-shape [-1] must have axes of at least 0 each"), negative.describe());
        assertEquals("", negative.out(), negative.describe());
        CliRun huge = run("verify", "--plugins-dir", plugins, "topk", "--wrong-shape", "100000,100000");
        assertEquals(2, huge.code(), huge.describe());
        assertTrue(huge.err().contains("--wrong-shape [100000, 100000] is too large for a check"), huge.describe());
        CliRun scores = run("verify", "--plugins-dir", plugins, "topk", "--scores", "positive");
        assertEquals(2, scores.code(), scores.describe());
        assertTrue(
                scores.err().contains("--scores: score domain 'positive' is unknown; known: real, non-negative"),
                scores.describe());
    }

    @Test
    void theEstimatorsBenchGivesEachStepTheFloorOfItsOwnRows() {
        CliRun r = run("bench", "--plugins-dir", plugins, "--quick", "--only", "estimators", "--tsv");
        assertEquals(0, r.code(), r.describe());
        Map<String, Double> medians = new java.util.HashMap<>();
        Map<String, String> notes = new java.util.HashMap<>();
        String[] lines = r.out().strip().split("\n");
        assertEquals("benchmark\tvariant\tsize\treps\tmedian ms\tmin ms\tnote", lines[0], r.describe());
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split("\t");
            assertEquals("estimators", cells[0], lines[i]);
            String key = cells[2] + " | " + cells[1];
            medians.put(key, Double.parseDouble(cells[4]));
            notes.put(key, cells[6]);
        }
        // 128x400 and 2560x20 with two noises, k = 1 with Gumbel: two MAP rows per case, a noise row
        // and a central and a forward step per noise
        assertEquals(21, medians.size(), r.describe());
        java.util.regex.Pattern floorNote = java.util.regex.Pattern.compile(
                "floor (\\d+\\.\\d{3}) ms \\(noise, and MAP on fresh scores\\), rest (\\d+)%;.*");
        int steps = 0;
        for (Map.Entry<String, String> e : notes.entrySet()) {
            String[] key = e.getKey().split(" \\| ");
            String size = key[0];
            String variant = key[1];
            if (variant.startsWith("MAP ")) {
                assertTrue(e.getValue().contains("pool idle before the call: "), e.toString());
                assertTrue(e.getValue().contains("one repeated input: "), e.toString());
                continue;
            }
            if (!variant.startsWith("AIMLE ")) {
                continue;
            }
            steps++;
            java.util.regex.Matcher m = floorNote.matcher(e.getValue());
            assertTrue(m.matches(), e.toString());
            String noise = variant.substring(variant.lastIndexOf(", ") + 2);
            String secondCall = variant.contains("central") ? "MAP [2B, n]" : "MAP [B, n]";
            double floor = medians.get(size + " | noise " + noise)
                    + medians.get(size + " | MAP [B, n]")
                    + medians.get(size + " | " + secondCall);
            assertEquals(floor, Double.parseDouble(m.group(1)), 0.0015, "the floor adds its rows: " + e);
            double step = medians.get(e.getKey());
            // the printed medians have four decimals, the rest is rounded to a whole percent
            double rest = Math.max(0, step - floor) / step * 100;
            assertEquals(rest, Integer.parseInt(m.group(2)), 0.75, "rest = (step - floor) / step: " + e);
        }
        assertEquals(10, steps, r.describe());
    }

    @Test
    void benchTimesAnySolverBareAndGuarded() {
        CliRun r = run("bench", "--plugins-dir", plugins, "--quick", "--solver", "spanning-tree", "--shape", "8,10");
        assertEquals(0, r.code(), r.describe());
        for (String variant : new String[] {
            "MAP bare",
            "output check alone",
            "MAP + output check",
            "MAP + check + time limit",
            "AIMLE central step, bare solver",
            "AIMLE central step, guarded solver"
        }) {
            assertTrue(r.out().contains("solver     " + variant), variant + " in " + r.describe());
        }
        assertTrue(r.out().contains("(8, 10) aimle-spanningtree:spanning-tree"), r.describe());
    }
}
