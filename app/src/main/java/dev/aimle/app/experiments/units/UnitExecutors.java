package dev.aimle.app.experiments.units;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Chooses where a sweep's units run from its {@code --master} option. */
public final class UnitExecutors {
    private UnitExecutors() {}

    /**
     * The local process pool without a master, else the cluster executor whose provider accepts
     * it.
     *
     * @param master the value of {@code --master}, or null for this machine
     * @param workers units at a time on this machine (ignored on a cluster: its executors decide)
     * @throws IllegalArgumentException when no provider on the class path accepts the master
     */
    public static UnitExecutor create(String master, int workers, PrintWriter log) throws IOException {
        if (master == null) {
            return new LocalUnitExecutor(workers);
        }
        return provider(master, ServiceLoader.load(UnitExecutorProvider.class, classLoader()))
                .create(master, log);
    }

    /** The provider that accepts {@code master} among {@code providers}. */
    static UnitExecutorProvider provider(String master, Iterable<UnitExecutorProvider> providers) {
        List<String> known = new ArrayList<>();
        for (UnitExecutorProvider p : providers) {
            if (p.accepts(master)) {
                return p;
            }
            known.add(p.name() + ": " + p.description());
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException("--master " + master
                    + " needs a cluster executor on the class path, and there is none. Maybe: run through"
                    + " spark-submit with the aimle-cluster-spark jar, or ./aimle with SPARK_HOME set to a Spark"
                    + " 4 installation (README, Run a sweep on a cluster)");
        }
        throw new IllegalArgumentException("--master " + master + " is not a URL that any cluster executor takes ("
                + String.join("; ", known) + ")");
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : UnitExecutors.class.getClassLoader();
    }
}
