package dev.aimle.app.harness;

import java.io.IOException;

/**
 * Where a sweep's unfinished units run: child processes on this machine ({@link UnitDispatcher},
 * the default) or a cluster (a {@link UnitExecutorProvider} found on the class path, e.g. Apache
 * Spark's, chosen with {@code --master URL}). A sweep builds its grid, prepares every unit's
 * directory ({@code spec.json}), skips the complete ones and hands the rest to {@link #runAll}; it
 * then writes its report from the directories as usual. An executor owns nothing outside the units'
 * directories and whatever it started, which {@link #close} ends.
 */
public interface UnitExecutor extends AutoCloseable {

    /**
     * One line saying where and how many at a time the units run, for the sweep's first line and its
     * {@code run.json}, e.g. {@code "2 at a time"} (on this machine) or {@code "on Spark spark://h:7077 ..."}.
     */
    String describe();

    /**
     * Runs every unit of the batch to completion, each resuming from its last published checkpoint,
     * and returns when every one has finished or failed. A failing unit does not stop the others;
     * the listener hears of each unit as it ends.
     *
     * @throws UnitFailuresException after the others have ended, naming every unit that failed
     * @throws IOException when the units could not be dispatched at all
     */
    void runAll(UnitBatch batch, UnitListener listener) throws IOException, InterruptedException;

    /** Ends whatever the executor started (a cluster application, child processes). */
    @Override
    void close() throws IOException;
}
