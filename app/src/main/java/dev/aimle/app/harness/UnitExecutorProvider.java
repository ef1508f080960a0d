package dev.aimle.app.harness;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A cluster that runs units, found with {@link java.util.ServiceLoader} (a one-line {@code
 * META-INF/services/dev.aimle.app.harness.UnitExecutorProvider} in its jar), so the app
 * never depends on a cluster's libraries: they are on the class path only when the cluster is used.
 */
public interface UnitExecutorProvider {

    /** A short name, e.g. {@code spark}. */
    String name();

    /** One line for error messages, e.g. the master URLs it takes. */
    String description();

    /** Whether {@code master} (the value of {@code --master}) is a URL of this kind of cluster. */
    boolean accepts(String master);

    /**
     * Connects to the cluster (an application on it); {@link UnitExecutor#close} disconnects.
     *
     * @param log where progress and the cluster's web UI address are printed
     */
    UnitExecutor create(String master, PrintWriter log) throws IOException;
}
