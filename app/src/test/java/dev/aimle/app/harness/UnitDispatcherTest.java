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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process pool of this machine: a unit is done only when its rows are committed, whatever its
 * process's exit code says; a child is told to end with its sweep.
 */
class UnitDispatcherTest {

    @Test
    void aChildThatExitsZeroBeforeItsRowsAreCommittedFailsTheSweep(@TempDir Path dir)
            throws IOException, InterruptedException {
        // what a plugin calling Runtime.halt(0) in the middle of a unit leaves: exit 0, no rows
        RunUnit<RunUnitTest.Spec> unit =
                RunUnit.prepare(dir.resolve("a"), "test", new RunUnitTest.Spec("a", 3), "rows.csv", List.of("row"));
        StringWriter log = new StringWriter();
        UnitDispatcher dispatcher = new UnitDispatcher(batch -> List.of("true"), 1, 0);
        UnitBatch batch = new UnitBatch(
                "test",
                dir.toUri(),
                List.of("a"),
                Map.of("a", unit.spec().rowsWanted()),
                List.of(UnitCommand.NAME),
                dir,
                Map.of());
        IOException e = assertThrows(
                UnitFailuresException.class,
                () -> dispatcher.runAll(batch, new PrintingUnitListener(new PrintWriter(log), 1)));
        assertTrue(e.getMessage().contains("1 of 1 runs failed"), e.getMessage());
        assertTrue(e.getMessage().contains("exit 0 after 0 of 3 rows were committed"), e.getMessage());
        assertTrue(log.toString().contains("a FAILED"), log.toString());
    }

    @Test
    void aChildGetsTheBatchsPropertiesPluginsAndUnitCommandAndWatchesTheSweep(@TempDir Path dir) {
        UnitBatch batch = new UnitBatch(
                "test",
                dir.toUri(),
                List.of("a"),
                Map.of("a", 1),
                List.of(UnitCommand.NAME, "--solver-timeout", "60.0"),
                dir.resolve("plugins"),
                Map.of("b.p", "2", "a.p", "1"));
        List<String> command = UnitDispatcher.childCommand("my.Main", batch);
        assertEquals(
                List.of(
                        "-Da.p=1",
                        "-Db.p=2",
                        "my.Main",
                        "--plugins-dir",
                        dir.resolve("plugins").toString(),
                        UnitCommand.NAME,
                        "--solver-timeout",
                        "60.0",
                        "--parent",
                        Long.toString(ProcessHandle.current().pid())),
                command.subList(3, command.size()));
    }

    @Test
    void aChildKilledBySignalIsNamedBySignalNotByARawExitCode(@TempDir Path dir)
            throws IOException, InterruptedException {
        RunUnit<RunUnitTest.Spec> unit =
                RunUnit.prepare(dir.resolve("a"), "test", new RunUnitTest.Spec("a", 3), "rows.csv", List.of("row"));
        // the shell kills itself as the out-of-memory killer would (the run directory is its $1)
        UnitDispatcher dispatcher =
                new UnitDispatcher(batch -> List.of("sh", "-c", "echo training; kill -9 $$", "sh"), 1, 0);
        UnitBatch batch = new UnitBatch(
                "test",
                dir.toUri(),
                List.of("a"),
                Map.of("a", unit.spec().rowsWanted()),
                List.of(UnitCommand.NAME),
                dir,
                Map.of());
        IOException e = assertThrows(
                UnitFailuresException.class,
                () -> dispatcher.runAll(batch, new PrintingUnitListener(new PrintWriter(new StringWriter()), 1)));
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
