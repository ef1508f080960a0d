package dev.aimle.app.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appended rows survive a reopen; a row cut by a kill is dropped; foreign files are refused. */
class ResultsCsvTest {
    static final List<String> HEADER = List.of("a", "b", "c");

    @TempDir
    Path dir;

    @Test
    void rowsAreOnDiskAsSoonAsAppendedAndReadBack() throws IOException {
        Path file = dir.resolve("r.csv");
        try (ResultsCsv csv = ResultsCsv.open(file, HEADER)) {
            assertTrue(csv.existingRows().isEmpty());
            csv.append(List.of("1", "x", ""));
            // not closed yet: the row is already in the file
            assertEquals(List.of("a,b,c", "1,x,"), Files.readAllLines(file));
        }
        try (ResultsCsv csv = ResultsCsv.open(file, HEADER)) {
            assertEquals(List.of(List.of("1", "x", "")), csv.existingRows());
            assertFalse(csv.droppedPartialLine());
            csv.append(List.of("2", "y", "z"));
        }
        assertEquals(List.of("a,b,c", "1,x,", "2,y,z"), Files.readAllLines(file));
    }

    @Test
    void aLastLineCutByAKillIsDropped() throws IOException {
        Path file = dir.resolve("r.csv");
        Files.writeString(file, "a,b,c\n1,2,3\n4,5");
        try (ResultsCsv csv = ResultsCsv.open(file, HEADER)) {
            assertTrue(csv.droppedPartialLine());
            assertEquals(List.of(List.of("1", "2", "3")), csv.existingRows());
            csv.append(List.of("4", "5", "6"));
        }
        assertEquals("a,b,c\n1,2,3\n4,5,6\n", Files.readString(file));
    }

    @Test
    void anotherHeaderOrAWrongRowIsRefused() throws IOException {
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "x,y\n1,2\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ResultsCsv.open(other, HEADER));
        assertTrue(e.getMessage().contains("[x, y]") && e.getMessage().contains("[a, b, c]"), e.getMessage());
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, "a,b,c\n1,2,3\n1,2,3,4\n");
        e = assertThrows(IllegalStateException.class, () -> ResultsCsv.open(wide, HEADER));
        assertTrue(e.getMessage().contains("line 3 has 4 values, expected 3"), e.getMessage());
    }

    @Test
    void valuesThatWouldNeedQuotingAreRefused() {
        try (ResultsCsv csv = ResultsCsv.open(dir.resolve("r.csv"), HEADER)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> csv.append(List.of("1,5", "2", "3")));
            assertTrue(e.getMessage().contains("'1,5'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> csv.append(List.of("1", "2")));
            assertTrue(e.getMessage().contains("2 values, the header 3"), e.getMessage());
        }
    }

    @Test
    void rewriteReplacesTheRows() throws IOException {
        Path file = dir.resolve("r.csv");
        try (ResultsCsv csv = ResultsCsv.open(file, HEADER)) {
            csv.append(List.of("2", "b", "b"));
            csv.append(List.of("1", "a", "a"));
            csv.rewrite(List.of(List.of("1", "a", "a"), List.of("2", "b", "b")));
        }
        assertEquals(List.of("a,b,c", "1,a,a", "2,b,b"), Files.readAllLines(file));
    }
}
