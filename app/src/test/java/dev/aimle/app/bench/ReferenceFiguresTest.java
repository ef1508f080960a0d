package dev.aimle.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference figures file of scripts/bench-vs-reference, as the bench reads and cites it. */
class ReferenceFiguresTest {

    @Test
    void notesGiveTheRatioAndNameTheFileAndItsDate(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bench-reference.tsv");
        Files.writeString(
                file,
                "# PyTorch reference medians, scripts/bench-vs-reference, 2026-11-29 18:41, 3 rounds, load at end 1.0\n"
                        + "B=128 n=400 k=10\tAIMLE central step, gumbel\t4.0000\n");
        ReferenceFigures figures = ReferenceFigures.read(file);
        assertEquals(Optional.of(4.0), figures.median("B=128 n=400 k=10", "AIMLE central step, gumbel"));
        String note = figures.note("B=128 n=400 k=10", "AIMLE central step, gumbel", 1.0);
        assertEquals("ours/reference 0.25 (reference 4.000 ms, bench-reference.tsv of 2026-11-29 18:41)", note);
        assertEquals("", figures.note("B=128 n=50 k=1", "AIMLE central step, gumbel", 1.0), "no figure, no note");
        assertEquals("", ReferenceFigures.none().note("B=128 n=400 k=10", "AIMLE central step, gumbel", 1.0));
    }

    @Test
    void aMalformedRowIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.tsv");
        Files.writeString(file, "# header\ncase\tvariant\tnot-a-number\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceFigures.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
