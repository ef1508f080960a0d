package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void aChildKilledBySignalIsNamedBySignalNotByARawExitCode(@TempDir Path dir)
            throws IOException, InterruptedException {
        RunUnit<RunUnitTest.Spec> unit =
                RunUnit.prepare(dir.resolve("a"), "test", new RunUnitTest.Spec("a", 3), "rows.csv", List.of("row"));
        // the shell kills itself as the out-of-memory killer would (the run directory is its $1)
        UnitDispatcher dispatcher = new UnitDispatcher(
                List.of("sh", "-c", "echo training; kill -9 $$", "sh"), 1, new PrintWriter(new StringWriter()), 0);
        IOException e = assertThrows(IOException.class, () -> dispatcher.runAll(List.of(unit)));
        assertTrue(
                e.getMessage()
                        .contains("its process was ended by signal 9 (SIGKILL: kill -9, or the kernel's"
                                + " out-of-memory killer; see dmesg); its log ends with: training"),
                e.getMessage());
        assertFalse(e.getMessage().contains("exit 137"), e.getMessage());
    }

    @Test
    void exitCodesReadAsSignalsOnlyAbove128() {
        assertEquals("its process ended with exit 1", UnitDispatcher.ended(1));
        assertEquals("its process ended with exit 128", UnitDispatcher.ended(128));
        assertEquals("its process was ended by signal 15 (SIGTERM: stopped from outside)", UnitDispatcher.ended(143));
        assertEquals("its process was ended by signal 2", UnitDispatcher.ended(130));
        assertEquals("its process ended with exit 255", UnitDispatcher.ended(255));
    }
}
