package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory without its files is bad usage naming the missing file and how to get the data,
 * as for nri and l2x, in plain words (no exception class names).
 */
class DvaeDataDirectoryTest {
    @TempDir
    Path home;

    @Test
    void aMissingFileIsBadUsageNamingItWithoutExceptionNames() throws IOException {
        Path data = IdxFixtures.dataset(home.resolve("data"), 12, 3, true);
        Files.delete(data.resolve("t10k-labels-idx1-ubyte.gz"));
        CliRun r = CliRun.run(
                Map.of(),
                home,
                "dvae",
                "--quick",
                "--data",
                data.toString(),
                "--out",
                home.resolve("o").toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(
                r.err()
                        .startsWith("aimle dvae: no t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz in "
                                + data.toAbsolutePath() + ". Maybe install Fashion-MNIST with"),
                r.describe());
        assertFalse(r.err().contains("Exception"), r.describe());
    }
}
