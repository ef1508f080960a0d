package dev.aimle.app.harness;

import dev.aimle.app.io.RunConflictException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One process at a time in a directory: an operating-system lock on {@code dir/.lock}, which names
 * its holder (process id, start time, what it does). The lock ends with the process that holds it,
 * however it ends (a kill included), so a stale file never blocks anyone; a live holder is named
 * in the refusal.
 */
public final class RunLock implements java.io.Closeable {
    /** The lock file in the locked directory. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir}, waiting up to {@code patience} for a holder to end (a unit whose
     * sweep was killed ends by itself within moments: it watches its parent).
     *
     * @param what what the holder does, for whoever is refused, e.g. {@code dvae sweep}
     * @throws RunConflictException naming the holder when it is still there after {@code patience}
     */
    public static RunLock acquire(Path dir, String what, Duration patience) throws IOException {
        Path file = dir.resolve(FILE);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = null;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // held by this very process (another sweep in the same JVM)
            }
            if (lock != null) {
                String holder =
                        "pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + ": " + what + "\n";
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(false);
                return new RunLock(channel, lock);
            }
            channel.close();
            if (System.nanoTime() >= deadline) {
                throw new RunConflictException(dir + " is in use by another process (" + holder(file)
                        + "); wait for it to finish or stop it, then run the command again");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the lock of " + dir, e);
            }
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    /** No wait: for a holder that does not end by itself, e.g. another sweep. */
    public static RunLock acquire(Path dir, String what) throws IOException {
        return acquire(dir, what, Duration.ZERO);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
