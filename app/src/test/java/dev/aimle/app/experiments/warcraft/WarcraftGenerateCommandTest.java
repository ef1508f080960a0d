package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WarcraftGenerateCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new WarcraftGenerateCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesTheNineFilesAndPrintsStatistics() throws IOException {
        Run run = run(
                "--out",
                dir.resolve("a/6x6").toString(),
                "--grid",
                "6",
                "--train",
                "5",
                "--val",
                "2",
                "--test",
                "3",
                "--seed",
                "9",
                "--threads",
                "1",
                "--progress",
                "none");
        assertEquals(0, run.code(), run.out() + run.err());
        List<String> names;
        try (Stream<Path> files = Files.list(dir.resolve("a/6x6"))) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(
                List.of(
                        "test_maps.npy",
                        "test_shortest_paths.npy",
                        "test_vertex_weights.npy",
                        "train_maps.npy",
                        "train_shortest_paths.npy",
                        "train_vertex_weights.npy",
                        "val_maps.npy",
                        "val_shortest_paths.npy",
                        "val_vertex_weights.npy"),
                names);
        WarcraftData.Splits splits = WarcraftData.load(dir.resolve("a/6x6"));
        assertEquals(5, splits.train().size());
        assertEquals(48, splits.test().imageSide());
        assertTrue(run.out().contains("train in") && run.out().contains("5 maps: path length"), run.out());
        assertTrue(run.out().contains("done in") && run.out().contains("seed 9, 6x6 grid, 48 px maps"), run.out());
    }

    @Test
    void refusesBadCountsAndGrids() {
        Run run = run("--out", dir.toString(), "--train", "-1");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--train (-1) must be at least 0"), run.err());
        run = run("--out", dir.toString(), "--grid", "1");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--grid (1) must be between 2 and 100"), run.err());
    }
}
