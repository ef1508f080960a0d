package dev.aimle.cluster.spark;

import dev.aimle.app.Main;
import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of a unit's JVM on an executor: {@link Main} with the same arguments as on this
 * machine, plus a guard. The executor keeps the unit's standard input open; when the executor dies
 * (its worker was killed, a container preempted) the pipe closes and the unit halts at once instead
 * of training on as an orphan that nobody will publish. The unit's numbers are {@link Main}'s.
 */
public final class UnitChild {
    /** The exit code when the executor is gone. */
    static final int ORPHANED = 143;

    private UnitChild() {}

    /**
     * Starts the guard, then runs the app.
     *
     * @param args the app's arguments, e.g. {@code --plugins-dir P unit --solver-timeout 60 DIR}
     */
    public static void main(String[] args) {
        Thread guard = new Thread(() -> awaitEndOf(System.in), "aimle-executor-watch");
        guard.setDaemon(true);
        guard.start();
        Main.main(args);
    }

    private static void awaitEndOf(InputStream in) {
        try {
            byte[] buffer = new byte[256];
            while (in.read(buffer) != -1) {
                // nothing is sent; the pipe only tells that the executor is alive
            }
        } catch (IOException e) {
            // a broken pipe means the same as its end
        }
        System.err.println(
                "aimle: the Spark executor that started this unit is gone; stopping (the retried task resumes"
                        + " from the store's last checkpoint)");
        Runtime.getRuntime().halt(ORPHANED);
    }
}
