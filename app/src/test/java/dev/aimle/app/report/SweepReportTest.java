package dev.aimle.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.Config;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.UnitSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report skeleton: grouping by spec without the seed, choosing by validation, the tables' pieces. */
class SweepReportTest {
    private static final List<String> COLUMNS = List.of("step", "loss", "validation");

    record Spec(String method, double lambda, long seed, int rows) implements UnitSpec {
        @Override
        public String id() {
            return method + "_l" + lambda + "_seed" + seed;
        }

        @Override
        public int rowsWanted() {
            return rows;
        }

        @Override
        public Set<String> extensibleKeys() {
            return Set.of("rows");
        }

        @Override
        public String solver() {
            return "topk";
        }

        @Override
        public Config solverConfig() {
            return Config.empty();
        }
    }

    /** The method and λ, the mean final validation and loss per group, the seeds. */
    static class Layout implements SweepReport.Layout<Spec> {
        @Override
        public String summaryHeader() {
            return "run,rows\n";
        }

        @Override
        public String summaryLine(Spec spec, List<Map<String, Double>> rows) {
            return spec.id() + "," + rows.size() + "\n";
        }

        @Override
        public String tables(Map<String, RunGroup<Spec>> groups, List<RunUnit<Spec>> runs) {
            StringBuilder sb = new StringBuilder(Markdown.header("method", "validation", "seeds"));
            for (RunGroup<Spec> g : groups.values()) {
                sb.append(Markdown.row(
                        g.first().method() + " λ=" + g.first().lambda(),
                        Markdown.meanStd("%.2f", 1, g.last("validation")),
                        g.seeds().size()));
            }
            return sb.toString();
        }

        @Override
        public String figures(Path out, Map<String, RunGroup<Spec>> groups) {
            return "";
        }
    }

    private static Map<String, Double> row(int step, double loss, double validation) {
        return Map.of("step", (double) step, "loss", loss, "validation", validation);
    }

    /** A run directory with these rows committed. */
    private static RunUnit<Spec> run(Path out, Spec spec, double... validations) throws IOException {
        RunUnit<Spec> unit = RunUnit.prepare(out.resolve(spec.id()), "test", spec, "rows.csv", COLUMNS);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < validations.length; i++) {
            rows.add(row(i + 1, 10 - i, validations[i]));
            unit.newCheckpoint(i + 1);
            unit.commit(rows);
        }
        return unit;
    }

    @Test
    void aConfigurationIsTheSpecWithoutItsSeedAndWhatMayGrow() {
        assertEquals(
                RunGroup.configuration(new Spec("imle", 10, 0, 3)), RunGroup.configuration(new Spec("imle", 10, 4, 5)));
        assertNotEquals(
                RunGroup.configuration(new Spec("imle", 10, 0, 3)),
                RunGroup.configuration(new Spec("imle", 100, 0, 3)));
    }

    @Test
    void writesTheSummaryAndTablesOfTheRunsGroupedOverSeeds(@TempDir Path out) throws IOException {
        List<RunUnit<Spec>> runs = List.of(
                run(out, new Spec("imle", 10, 0, 2), 5, 3),
                run(out, new Spec("imle", 100, 0, 2), 4, 2),
                run(out, new Spec("imle", 10, 1, 2), 6, 2),
                run(out, new Spec("ste", 0, 0, 2)));
        StringWriter log = new StringWriter();
        SweepReport.write("test", out, runs, new Layout(), new PrintWriter(log));
        assertEquals(
                "run,rows\nimle_l10.0_seed0,2\nimle_l100.0_seed0,2\nimle_l10.0_seed1,2\n",
                Files.readString(out.resolve(SweepReport.SUMMARY)),
                "a line per run with rows");
        // λ = 10 over seeds 0 and 1: final validations 3 and 2, mean 2.5, std sqrt(0.5)
        String expected = "| method | validation | seeds |\n|---|---:|---:|\n"
                + String.format(Locale.ROOT, "| imle λ=10.0 | 2.50 ± %.2f | 2 |\n", Math.sqrt(0.5))
                + "| imle λ=100.0 | 2.00 ± 0.00 | 1 |\n";
        assertEquals(expected, Files.readString(out.resolve(SweepReport.RESULTS)));
        assertTrue(log.toString().startsWith(expected), log.toString());
        assertTrue(log.toString().contains("test: report in "), log.toString());
    }

    @Test
    void withNoRunToAverageItWritesOnlyTheSummary(@TempDir Path out) throws IOException {
        List<RunUnit<Spec>> runs = List.of(run(out, new Spec("imle", 10, 0, 2), 5));
        SweepReport.Layout<Spec> onlyComplete = new Layout() {
            @Override
            public boolean averaged(RunUnit<Spec> run) throws IOException {
                return run.complete();
            }
        };
        StringWriter log = new StringWriter();
        SweepReport.write("test", out, runs, onlyComplete, new PrintWriter(log));
        assertEquals("run,rows\nimle_l10.0_seed0,1\n", Files.readString(out.resolve(SweepReport.SUMMARY)));
        assertFalse(Files.exists(out.resolve(SweepReport.RESULTS)));
        assertEquals(
                "test: no run to report yet; summary.csv only", log.toString().strip());
    }

    @Test
    void statisticsOverSeedsUseTheRowsEverySeedReached() {
        Spec spec = new Spec("imle", 10, 0, 3);
        RunGroup<Spec> g = new RunGroup<>(
                spec,
                List.of(),
                List.of(List.of(row(1, 9, 4), row(2, 8, 6), row(3, 7, 1)), List.of(row(1, 5, 2), row(2, 3, 8))));
        assertEquals(2, g.rows());
        assertArrayEquals(new double[] {7, Math.sqrt(2)}, g.last("validation"), 1e-12);
        // per seed the row of highest validation: (2, 8, 6) and (2, 3, 8)
        assertArrayEquals(new double[] {5.5, Math.sqrt(12.5)}, g.atBest("validation", "loss"), 1e-12);
        assertEquals(32.0 / 5, g.mean("loss"), 1e-12);
        double[][] c = g.curve("step", "validation");
        assertArrayEquals(new double[] {1, 2}, c[0]);
        assertArrayEquals(new double[] {3, 7}, c[1], 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(2), Math.sqrt(2)}, c[2], 1e-12);
    }

    @Test
    void chooseTakesTheBestValidationAmongTheCandidatesAndTheFirstOnATie() {
        RunGroup<Spec> a = group(new Spec("imle", 1, 0, 1), 3);
        RunGroup<Spec> b = group(new Spec("imle", 10, 0, 1), 1);
        RunGroup<Spec> c = group(new Spec("imle", 100, 0, 1), 1);
        RunGroup<Spec> other = group(new Spec("ste", 0, 0, 1), 0);
        List<RunGroup<Spec>> groups = List.of(a, b, c, other);
        assertSame(
                b,
                RunGroup.choose(groups, s -> s.method().equals("imle"), g -> g.last("validation")[0], false)
                        .orElseThrow());
        assertSame(
                a,
                RunGroup.choose(groups, s -> s.method().equals("imle"), g -> g.last("validation")[0], true)
                        .orElseThrow());
        assertTrue(RunGroup.choose(groups, s -> s.method().equals("sfe"), g -> 0, true)
                .isEmpty());
    }

    private static RunGroup<Spec> group(Spec spec, double validation) {
        return new RunGroup<>(spec, List.of(), List.of(List.of(row(1, 0, validation))));
    }

    @Test
    void markdownPiecesAreLaidOutAlike() {
        assertEquals("| a | b | c |\n|---|---:|---:|\n", Markdown.header("a", "b", "c"));
        assertEquals("| x | 2 | 0.5 |\n", Markdown.row("x", 2, 0.5));
        assertEquals("12.3 ± 4.6", Markdown.meanStd("%.1f", 100, new double[] {0.1234, 0.0456}));
    }
}
