package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directories committed under {@code docs/results} still read and report: {@code
 * --report-only} with the options they were run with gives the committed {@code results.md} and
 * {@code summary.csv}, and creates or rewrites nothing. {@code nri} holds spec, rows, examples and
 * progress records without checkpoints; {@code calibrated/nri} and {@code calibrated/nri-T20} the
 * same files of AIMLE's calibrated preset and the paper's AIMLE; {@code warcraft} holds its runs' progress records;
 * {@code dvae} (the DVAE tables) and {@code calibrated/dvae-targets} (the calibrated preset with
 * fixed targets) hold their runs' spec, rows and progress records; {@code noise-scaled/dvae},
 * {@code noise-scaled/nri}, {@code noise-scaled/nri-T20} and {@code noise-scaled/warcraft} the same files of AIMLE's three configurations (the paper's, calibrated,
 * noise-scaled) side by side. {@code l2x} holds only its report (no run directories), so there is
 * nothing to report again.
 */
class DocsResultsTest {
    /** The reduced NRI protocol every committed NRI run was made with (README, NRI). */
    private static final List<String> NRI_REDUCED = List.of(
            "--lambdas",
            "10",
            "--hidden",
            "64",
            "--batch",
            "64",
            "--iterations",
            "600",
            "--eval-every",
            "200",
            "--eval-limit",
            "1000");

    @TempDir
    Path home;

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * Copies {@code docs/results/DIRECTORY}, runs {@code --report-only} of {@code experiment} on the
     * copy with the options its runs were made with (for {@code nri}, {@link #NRI_REDUCED} after
     * {@code options}), and compares the report with the committed one.
     *
     * @param runDir a run directory whose spec must stay as it is
     */
    private void reportsAsCommitted(String directory, String experiment, String runDir, String... options)
            throws IOException {
        Path docs = Path.of("..", "docs", "results", directory);
        assertTrue(Files.isDirectory(docs), docs.toAbsolutePath() + " (the tests run in app/)");
        Path out = home.resolve(directory);
        copy(docs, out);
        List<String> before = files(out);
        String spec = Files.readString(out.resolve(runDir).resolve(RunUnit.SPEC));
        List<String> args = new ArrayList<>(List.of(experiment, "--report-only", "--out", out.toString()));
        args.addAll(List.of(options));
        if (experiment.equals("nri")) {
            args.addAll(NRI_REDUCED);
        }
        CliRun r = CliRun.run(Map.of(), home, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        assertEquals(Files.readString(docs.resolve("results.md")), Files.readString(out.resolve("results.md")));
        assertEquals(Files.readString(docs.resolve("summary.csv")), Files.readString(out.resolve("summary.csv")));
        assertEquals(before, files(out), "nothing created");
        assertEquals(spec, Files.readString(out.resolve(runDir).resolve(RunUnit.SPEC)), "nothing rewritten");
    }

    @Test
    void theCommittedNriRunsReportTheCommittedTable() throws IOException {
        reportsAsCommitted(
                "nri",
                "nri",
                "ste_T10_seed0",
                "--data",
                "/work/runs/h23/nri/data",
                "--timesteps",
                "10,20",
                "--methods",
                "aimle-forward,aimle-central,sst,imle-forward,imle-central,ste");
    }

    @Test
    void theCommittedNriRunsOfTheCalibratedPresetReportTheCommittedTable() throws IOException {
        calibratedNriReportsAsCommitted("calibrated/nri", "aimle-calibrated-central_T10_seed0", "10", "3");
    }

    @Test
    void theCommittedNriRunsOfTheCalibratedPresetAtTwentyStepsReportTheCommittedTable() throws IOException {
        calibratedNriReportsAsCommitted("calibrated/nri-T20", "aimle-calibrated-forward_T20_seed0", "20", "3");
    }

    /** The calibrated preset's NRI runs and the paper's AIMLE beside them, made with one command at T. */
    private void calibratedNriReportsAsCommitted(String directory, String runDir, String timesteps, String seeds)
            throws IOException {
        reportsAsCommitted(
                directory,
                "nri",
                runDir,
                "--data",
                "/work/runs/h23/nri/data",
                "--timesteps",
                timesteps,
                "--methods",
                "aimle-calibrated-forward,aimle-calibrated-central,aimle-forward,aimle-central",
                "--seeds",
                seeds);
    }

    @Test
    void theCommittedDvaeRunsReportTheCommittedTables() throws IOException {
        reportsAsCommitted(
                "dvae",
                "dvae",
                "aimle-central_k1_s10_seed0",
                "--epochs",
                "6",
                "--aimle-samples",
                "1,5,10",
                "--seeds",
                "2");
    }

    @Test
    void theCommittedDvaeRunsWithFixedTargetsReportTheCommittedTable() throws IOException {
        reportsAsCommitted(
                "calibrated/dvae-targets",
                "dvae",
                "aimle-calibrated-forward_k1_s1_c0.1_seed1",
                "--k",
                "1",
                "--seeds",
                "2",
                "--epochs",
                "6",
                "--methods",
                "aimle-calibrated-forward,aimle-calibrated-central",
                "--calibrated-target",
                "1,0.5,0.25,0.1,0.05");
    }

    @Test
    void theCommittedNriRunsOfTheNoiseScaledPresetReportTheCommittedTable() throws IOException {
        reportsAsCommitted(
                "noise-scaled/nri",
                "nri",
                "aimle-noise-scaled-central_T10_seed0",
                "--data",
                "/work/runs/h23/nri/data",
                "--timesteps",
                "10",
                "--methods",
                "aimle-forward,aimle-calibrated-forward,aimle-noise-scaled-forward,aimle-central,"
                        + "aimle-calibrated-central,aimle-noise-scaled-central",
                "--seeds",
                "3");
    }

    @Test
    void theCommittedNriRunsOfTheNoiseScaledPresetAtTwentyStepsReportTheCommittedTable() throws IOException {
        reportsAsCommitted(
                "noise-scaled/nri-T20",
                "nri",
                "aimle-noise-scaled-central_T20_seed0",
                "--data",
                "/work/runs/h23/nri/data",
                "--timesteps",
                "20",
                "--methods",
                "aimle-forward,aimle-calibrated-forward,aimle-central,aimle-calibrated-central,aimle-noise-scaled-central",
                "--seeds",
                "3");
    }

    @Test
    void theCommittedDvaeRunsOfThePresetsReportTheCommittedTable() throws IOException {
        reportsAsCommitted(
                "noise-scaled/dvae",
                "dvae",
                "aimle-noise-scaled-forward_k10_s1_seed1",
                "--k",
                "1,10",
                "--seeds",
                "2",
                "--epochs",
                "6",
                "--methods",
                "aimle-forward,aimle-calibrated-forward,aimle-noise-scaled-forward,aimle-central,"
                        + "aimle-calibrated-central,aimle-noise-scaled-central");
    }

    @Test
    void theCommittedWarcraftRunsOfTheNoiseScaledPresetReportTheCommittedTable() throws IOException {
        reportsAsCommitted(
                "noise-scaled/warcraft",
                "warcraft",
                "aimle-noise-scaled-central_seed0",
                "--data",
                "/work/runs/warcraft32/data",
                "--methods",
                "aimle-forward,aimle-noise-scaled-forward,aimle-central,aimle-noise-scaled-central",
                "--seeds",
                "3");
    }

    @Test
    void theCommittedWarcraftRunsReportTheCommittedTable() throws IOException {
        reportsAsCommitted(
                "warcraft",
                "warcraft",
                "aimle-forward_seed0",
                "--data",
                "/work/runs/warcraft32/data",
                "--methods",
                "dbb,imle-forward,imle-central,aimle-forward,aimle-central,ste,fenchel-young,baseline",
                "--lambdas",
                "1,5,20,100,500",
                "--seeds",
                "3");
    }
}
