package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aimle warcraft --help}: every description formats (picocli warns on System.err when one does not). */
class WarcraftHelpTest {

    @Test
    void helpPrintsThePercentagesAndNoPicocliWarning(@TempDir Path home) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CliRun r;
        try (PrintStream err = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setErr(err);
            r = CliRun.run(Map.of(), home, "warcraft", "--help");
        } finally {
            System.setErr(saved);
        }
        String stderr = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.code(), r.describe());
        String flat = r.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("60% and 80% of --epochs"), r.describe());
        assertTrue(flat.contains("--aimle-alpha0"), r.describe());
        assertFalse(stderr.contains("WARN"), "picocli's warning: " + stderr);
    }
}
