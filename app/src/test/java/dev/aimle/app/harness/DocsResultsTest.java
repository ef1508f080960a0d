package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directories committed under {@code docs/results/nri} (spec, rows and examples, without
 * progress records or checkpoints, and written before specs named their experiment) still read and
 * report: {@code --report-only} with the options they were run with gives the committed table.
 */
class DocsResultsTest {
    private static final Path DOCS = Path.of("..", "docs", "results", "nri");

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

    @Test
    void theCommittedNriRunsReportTheCommittedTable() throws IOException {
        assertTrue(Files.isDirectory(DOCS), DOCS.toAbsolutePath() + " (the tests run in app/)");
        Path out = home.resolve("nri");
        copy(DOCS, out);
        List<String> before = files(out);
        String spec = Files.readString(out.resolve("ste_T10_seed0").resolve(RunUnit.SPEC));
        CliRun r = CliRun.run(
                Map.of(),
                home,
                "nri",
                "--report-only",
                "--out",
                out.toString(),
                "--data",
                "/work/nri-fix/data",
                "--timesteps",
                "10,20",
                "--methods",
                "aimle-forward,aimle-central,sst,imle-forward,imle-central,ste",
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
        assertEquals(0, r.code(), r.describe());
        assertEquals(Files.readString(DOCS.resolve("results.md")), Files.readString(out.resolve("results.md")));
        assertEquals(Files.readString(DOCS.resolve("summary.csv")), Files.readString(out.resolve("summary.csv")));
        assertEquals(before, files(out), "nothing created");
        assertEquals(spec, Files.readString(out.resolve("ste_T10_seed0").resolve(RunUnit.SPEC)), "nothing rewritten");
    }
}
