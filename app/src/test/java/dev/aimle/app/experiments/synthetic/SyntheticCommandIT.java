package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimle synthetic} end to end over the built top-k plugin, on a tiny configuration (n = 5,
 * S = 1 and 10, 2 seeds, 5 warm-up steps, a two-lambda sweep, a warm-up study of 0 and 5 steps: 36
 * points, a second or two): the
 * files it writes, their columns, the order of the estimators, and resuming after a stop.
 */
class SyntheticCommandIT {
    static final String[] TINY = {
        "--n",
        "5",
        "--samples",
        "1,10",
        "--seeds",
        "2",
        "--warmup",
        "5",
        "--lambdas",
        "0,1",
        "--lambda-n",
        "5",
        "--lambda-samples",
        "10",
        "--warmup-study",
        "0,5",
        "--warmup-samples",
        "1,10",
        "--progress",
        "none"
    };
    /** Fig. 3: 2 S x 6 estimators; the sweep adds IMLE at lambda 0; the study AIMLE without warm-up. 2 seeds each. */
    static final int POINTS = 2 * (12 + 2 + 4);

    static final List<String> ORDER =
            List.of("aimle-forward", "aimle-central", "imle-forward", "imle-central", "ste", "sfe");

    private static String plugins;

    @TempDir
    Path home;

    @BeforeAll
    static void pluginsDir() {
        plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
    }

    /** Runs the tiny configuration; {@code extra} are option-value pairs that add to or replace it. */
    private CliRun synthetic(Path out, String... extra) {
        return synthetic(List.of(), out, extra);
    }

    /** The tiny configuration with {@code --report-only}. */
    private CliRun reportOnly(Path out, String... extra) {
        return synthetic(List.of("--report-only"), out, extra);
    }

    private CliRun synthetic(List<String> flags, Path out, String... extra) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < TINY.length; i += 2) {
            options.put(TINY[i], TINY[i + 1]);
        }
        for (int i = 0; i < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of("synthetic", "--plugins-dir", plugins, "--out", out.toString()));
        options.forEach((k, v) -> args.addAll(List.of(k, v)));
        args.addAll(flags);
        return CliRun.run(Map.of(), home, args.toArray(String[]::new));
    }

    private static List<String> csvLines(Path out) throws IOException {
        return Files.readAllLines(out.resolve(SyntheticCommand.CSV));
    }

    private static JsonNode runJson(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("run.json").toFile());
    }

    @Test
    void writesTheCsvTablesFiguresAndRunJson() throws IOException {
        Path out = home.resolve("run");
        CliRun r = synthetic(out);
        assertEquals(0, r.code(), r.describe());
        List<String> lines = csvLines(out);
        assertEquals("estimator,n,samples,lambda,warmup,seed,cosine,zero_fraction,aimle_lambda,seconds", lines.get(0));
        assertEquals(POINTS + 1, lines.size(), "one row per point: " + lines);
        LinkedHashSet<String> estimators = new LinkedHashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(10, cells.length, line);
            estimators.add(cells[0]);
            double cosine = Double.parseDouble(cells[6]);
            assertTrue(cosine >= -1 - 1e-9 && cosine <= 1 + 1e-9, "cosine in [-1, 1]: " + line);
            assertEquals(cells[0].startsWith("imle"), !cells[3].isEmpty(), "lambda only for IMLE: " + line);
            assertTrue(
                    cells[0].startsWith("aimle") ? List.of("0", "5").contains(cells[4]) : cells[4].equals("0"),
                    "warm-up only for AIMLE: " + line);
            assertEquals(cells[0].startsWith("aimle"), !cells[8].isEmpty(), "AIMLE's lambda: " + line);
        }
        assertEquals(ORDER, List.copyOf(estimators), "rows in the paper's estimator order");

        String md = Files.readString(out.resolve("results.md"));
        assertTrue(r.out().contains(md.strip()), "the tables are printed too: " + r.describe());
        int last = -1;
        for (String label : List.of(
                "| AIMLE (forward) |",
                "| AIMLE (central) |",
                "| IMLE (forward, λ = 1) |",
                "| IMLE (central, λ = 1) |",
                "| STE |",
                "| SFE |")) {
            int at = md.indexOf(label);
            assertTrue(at > last, label + " in order in\n" + md);
            last = at;
        }
        for (String png :
                List.of(SyntheticReport.FIG3, SyntheticReport.FIG4, SyntheticReport.FIG1, SyntheticReport.WARMUP)) {
            assertNotNull(ImageIO.read(out.resolve(png).toFile()), png + " is a PNG");
        }

        JsonNode json = runJson(out);
        assertEquals("complete", json.get("status").asText());
        assertEquals(2, json.at("/configuration/seeds").asInt());
        assertEquals(
                List.of(0, 1),
                List.of(
                        json.at("/seeds/problem/0").asInt(),
                        json.at("/seeds/problem/1").asInt()));
        assertEquals(1001, json.at("/seeds/sampling/1").asInt());
        for (String pointer : new String[] {
            "/versions/java",
            "/versions/djl",
            "/versions/engine",
            "/versions/aimle",
            "/device",
            "/host/name",
            "/host/processors",
            "/wallSeconds",
            "/sessions/0/wallSeconds"
        }) {
            assertFalse(json.at(pointer).isMissingNode(), pointer + " in " + json);
        }
        assertTrue(json.at("/versions/engine").asText().startsWith("PyTorch"), json.toString());
        assertEquals(POINTS, json.at("/points/done").asInt());
    }

    @Test
    void aStoppedRunResumesWithoutRecomputingAnything() throws IOException {
        Path out = home.resolve("run");
        CliRun first = synthetic(out, "--max-points", "9");
        assertEquals(0, first.code(), first.describe());
        assertTrue(first.err().contains("stopped with 9 of " + POINTS + " points done"), first.describe());
        assertEquals("incomplete", runJson(out).get("status").asText());
        List<String> before = csvLines(out);
        assertEquals(10, before.size(), "9 rows on disk: " + before);
        // a kill in the middle of a row leaves a partial last line: it is dropped and recomputed
        Files.writeString(out.resolve(SyntheticCommand.CSV), "aimle-forward,5,1", StandardOpenOption.APPEND);

        CliRun second = synthetic(out, "--threads", "2");
        assertEquals(0, second.code(), second.describe());
        assertTrue(
                second.err().contains("resuming") && second.err().contains("9 done, " + (POINTS - 9) + " to compute"),
                second.describe());
        assertTrue(second.err().contains("dropped an incomplete last line"), second.describe());
        List<String> after = csvLines(out);
        assertEquals(POINTS + 1, after.size(), "every point once: " + after);
        for (String row : before.subList(1, before.size())) {
            assertTrue(
                    after.contains(row),
                    "the row computed before the stop is kept as it was (its seconds too): " + row);
        }
        JsonNode json = runJson(out);
        assertEquals("complete", json.get("status").asText());
        assertEquals(2, json.get("sessions").size());
        assertEquals(9, json.at("/sessions/0/pointsComputed").asInt());
        assertEquals(POINTS - 9, json.at("/sessions/1/pointsComputed").asInt());

        // a third run has nothing to do, and the results do not change
        CliRun third = synthetic(out);
        assertEquals(0, third.code(), third.describe());
        assertTrue(third.err().contains("0 to compute"), third.describe());
        assertEquals(after, csvLines(out));

        // the same points computed in one go give the same numbers (seconds aside)
        Path fresh = home.resolve("fresh");
        assertEquals(0, synthetic(fresh).code());
        assertEquals(withoutSeconds(csvLines(fresh)), withoutSeconds(after), "resumed = uninterrupted");
    }

    @Test
    void anotherConfigurationOnTheSameDirectoryIsRefused() throws IOException {
        Path out = home.resolve("run");
        assertEquals(0, synthetic(out, "--max-points", "3").code());
        CliRun other = synthetic(out, "--seeds", "3");
        assertEquals(2, other.code(), other.describe());
        assertTrue(other.err().contains("different configuration (seeds: 2 there, 3 here)"), other.describe());
        assertEquals(4, csvLines(out).size(), "the results are untouched");
    }

    @Test
    void reportOnlyWritesTheSameTablesFromTheCsvAndChangesNothingElse() throws IOException {
        Path out = home.resolve("run");
        assertEquals(0, synthetic(out).code());
        String table = Files.readString(out.resolve(SyntheticReport.MARKDOWN));
        String csv = Files.readString(out.resolve(SyntheticCommand.CSV));
        String runJson = Files.readString(out.resolve("run.json"));
        List<String> files;
        try (var listed = Files.list(out)) {
            files = listed.map(f -> f.getFileName().toString()).sorted().toList();
        }
        Files.delete(out.resolve(SyntheticReport.MARKDOWN));

        CliRun again = reportOnly(out);
        assertEquals(0, again.code(), again.describe());
        assertEquals(table, Files.readString(out.resolve(SyntheticReport.MARKDOWN)));
        assertTrue(again.out().contains(table.strip()), again.describe());
        assertEquals(csv, Files.readString(out.resolve(SyntheticCommand.CSV)), "nothing computed");
        assertEquals(runJson, Files.readString(out.resolve("run.json")), "the run's record unchanged");
        try (var listed = Files.list(out)) {
            assertEquals(
                    files, listed.map(f -> f.getFileName().toString()).sorted().toList());
        }

        CliRun other = reportOnly(out, "--seeds", "3");
        assertEquals(2, other.code(), other.describe());
        assertTrue(other.err().contains("different configuration"), other.describe());
        CliRun none = reportOnly(home.resolve("none"));
        assertEquals(2, none.code(), none.describe());
        assertTrue(none.err().contains("nothing to report"), none.describe());
        assertFalse(Files.exists(home.resolve("none")), "nothing created");
    }

    private static List<String> withoutSeconds(List<String> lines) {
        return lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }
}
