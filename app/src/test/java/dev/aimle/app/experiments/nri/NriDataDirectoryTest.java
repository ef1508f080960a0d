package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --data} directory the user names is read-only to {@code aimle nri}: a missing file there
 * is bad usage naming the file and the command that writes it, and nothing in it is written.
 */
class NriDataDirectoryTest {
    @TempDir
    Path home;

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    @Test
    void aMissingFileInANamedDataDirectoryIsRefusedAndNothingThereIsWritten() throws IOException {
        Path data = home.resolve("mine");
        CliRun gen = CliRun.run(
                Map.of(),
                home,
                "nri",
                "generate",
                "--seed",
                "7",
                "--out",
                data.toString(),
                "--timesteps",
                "10",
                "--train",
                "30",
                "--valid",
                "7",
                "--test",
                "5",
                "--progress",
                "none");
        assertEquals(0, gen.code(), gen.describe());
        Path missing = NriDataset.edgesFile(data, NriSplit.TEST, 10);
        Files.delete(missing);
        Map<String, byte[]> before = contents(data);

        Path out = home.resolve("out");
        CliRun r = CliRun.run(Map.of(), home, "nri", "--quick", "--data", data.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(
                r.err().contains("aimle nri: --data " + data.toAbsolutePath() + " has no " + missing.getFileName()),
                r.describe());
        assertTrue(
                r.err().contains("aimle nri generate --out " + data.toAbsolutePath() + " --timesteps 10"),
                r.describe());
        Map<String, byte[]> after = contents(data);
        assertEquals(before.keySet(), after.keySet(), "no file added to or removed from --data");
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name + " rewritten");
        }
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(out), "nothing done before the check: " + r.describe());
    }
}
