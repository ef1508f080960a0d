package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.io.RunConflictException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One process at a time in a directory, and a refusal names the holder. */
class RunLockTest {

    @Test
    @SuppressWarnings("try")
    void aHeldDirectoryIsRefusedNamingItsHolderAndFreedWhenReleased(@TempDir Path dir) throws IOException {
        try (RunLock held = RunLock.acquire(dir, "dvae unit aimle-central_k10_s1_seed0")) {
            long start = System.nanoTime();
            RunConflictException e = assertThrows(
                    RunConflictException.class, () -> RunLock.acquire(dir, "another", Duration.ofMillis(500)));
            assertTrue(System.nanoTime() - start >= 400_000_000L, "it waited for the holder first");
            assertTrue(
                    e.getMessage()
                            .contains("is in use by another process (pid "
                                    + ProcessHandle.current().pid()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("dvae unit aimle-central_k10_s1_seed0"), e.getMessage());
        }
        try (RunLock again = RunLock.acquire(dir, "next")) {
            assertTrue(dir.resolve(RunLock.FILE).toFile().isFile());
        }
    }
}
