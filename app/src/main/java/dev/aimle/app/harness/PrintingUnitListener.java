package dev.aimle.app.harness;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a line per unit as it ends, {@code [3/10, 42 s] ID done on HOST (attempt 2, resumed at row
 * 4)}, and the executor's notes (where its web UI is, lost executors, retries) as they come.
 */
public final class PrintingUnitListener implements UnitListener {
    private final PrintWriter log;
    private final int total;
    private final long start = System.nanoTime();
    private int finished;

    /**
     * @param total how many units the batch holds
     */
    public PrintingUnitListener(PrintWriter log, int total) {
        this.log = log;
        this.total = total;
    }

    @Override
    public synchronized void finished(UnitOutcome outcome) {
        finished++;
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "[%d/%d, %.0f s] %s %s",
                finished,
                total,
                (System.nanoTime() - start) / 1e9,
                outcome.id(),
                outcome.succeeded() ? "done" : "FAILED: " + outcome.failure()));
        if (outcome.succeeded() && !"local".equals(outcome.where())) {
            line.append(" on ").append(outcome.where());
        }
        if (outcome.attempts() > 1 || outcome.resumedRows() > 0) {
            line.append(String.format(
                    Locale.ROOT, " (attempt %d, resumed at row %d)", outcome.attempts(), outcome.resumedRows()));
        }
        log.println(line);
        log.flush();
    }

    @Override
    public synchronized void note(String line) {
        log.println(line);
        log.flush();
    }
}
