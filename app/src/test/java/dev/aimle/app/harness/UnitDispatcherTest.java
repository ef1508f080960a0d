package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A unit is done only when its rows are committed, whatever its process's exit code says. */
class UnitDispatcherTest {

    @Test
    void aChildThatExitsZeroBeforeItsRowsAreCommittedFailsTheSweep(@TempDir Path dir)
            throws IOException, InterruptedException {
        // what a plugin calling Runtime.halt(0) in the middle of a unit leaves: exit 0, no rows
        RunUnit<RunUnitTest.Spec> unit =
                RunUnit.prepare(dir.resolve("a"), "test", new RunUnitTest.Spec("a", 3), "rows.csv", List.of("row"));
        StringWriter log = new StringWriter();
        UnitDispatcher dispatcher = new UnitDispatcher(List.of("true"), 1, new PrintWriter(log), 0);
        IOException e = assertThrows(IOException.class, () -> dispatcher.runAll(List.of(unit)));
        assertTrue(e.getMessage().contains("1 of 1 runs failed"), e.getMessage());
        assertTrue(e.getMessage().contains("exit 0 after 0 of 3 rows were committed"), e.getMessage());
        assertTrue(log.toString().contains("a FAILED"), log.toString());
    }
}
