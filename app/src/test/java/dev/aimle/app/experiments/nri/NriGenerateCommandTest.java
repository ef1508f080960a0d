package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NriGenerateCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NriGenerateCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesEveryFileWithTheSstNamesAndShapes() throws IOException {
        Run run = run(
                "--out",
                dir.toString(),
                "--train",
                "30",
                "--valid",
                "7",
                "--test",
                "5",
                "--seed",
                "3",
                "--threads",
                "2",
                "--progress",
                "lines");
        assertEquals(0, run.code(), run.out() + run.err());
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> expected = Stream.of("data", "edges")
                .flatMap(kind -> Stream.of("train", "valid", "test")
                        .flatMap(split -> Stream.of(10, 20)
                                .map(t -> kind + "_" + split + "_novar_1skip_" + t + "t_1r_graph10.npy")))
                .sorted()
                .toList();
        assertEquals(expected, names);
        int[] counts = {30, 7, 5};
        for (NriSplit split : NriSplit.values()) {
            for (int t : new int[] {10, 20}) {
                Npy.Header data = Npy.readHeader(NriDataset.dataFile(dir, split, t));
                assertEquals(Npy.DType.FLOAT64, data.dtype());
                assertArrayEquals(new int[] {counts[split.streamId()], t, 2, 10}, data.shape(), split + " T=" + t);
                Npy.Header edges = Npy.readHeader(NriDataset.edgesFile(dir, split, t));
                assertEquals(Npy.DType.FLOAT32, edges.dtype());
                assertArrayEquals(new int[] {counts[split.streamId()], 10, 10}, edges.shape(), split + " T=" + t);
            }
        }
        assertTrue(run.err().contains("nri generate train") && run.err().contains("30/30"), run.err());
        assertTrue(run.out().contains("--suffix _novar_1skip_20t_1r_graph10"), run.out());

        NriDataset ten = NriDataset.load(dir, NriSplit.VALID, 10);
        NriDataset twenty = NriDataset.load(dir, NriSplit.VALID, 20);
        assertArrayEquals(twenty.firstTimesteps(10).trajectoriesFloat64(), ten.trajectoriesFloat64());
        assertEquals(new NriGenerator(3).example(NriSplit.VALID, 6, 20), twenty.example(6));
    }

    @Test
    void oneTimestepOnlyAndTheDataDoesNotDependOnThreads() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(
                0,
                run(
                                "--out",
                                a.toString(),
                                "--timesteps",
                                "10",
                                "--train",
                                "40",
                                "--valid",
                                "0",
                                "--test",
                                "0",
                                "--threads",
                                "1",
                                "--progress",
                                "none")
                        .code());
        assertEquals(
                0,
                run(
                                "--out",
                                b.toString(),
                                "--timesteps",
                                "10",
                                "--train",
                                "40",
                                "--valid",
                                "0",
                                "--test",
                                "0",
                                "--threads",
                                "3",
                                "--progress",
                                "none")
                        .code());
        try (Stream<Path> files = Files.list(a)) {
            assertEquals(2, files.count());
        }
        for (String name :
                new String[] {"data_train_novar_1skip_10t_1r_graph10.npy", "edges_train_novar_1skip_10t_1r_graph10.npy"
                }) {
            assertTrue(Arrays.equals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name))), name);
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run threads = run("--out", dir.toString(), "--threads", "0");
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--threads (0) must be at least 1"), threads.err());
        Run count = run("--out", dir.toString(), "--valid", "-1");
        assertEquals(2, count.code());
        assertTrue(count.err().contains("--valid (-1) must be at least 0"), count.err());
        Run steps = run("--out", dir.toString(), "--timesteps", "0");
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("--timesteps"), steps.err());
    }
}
