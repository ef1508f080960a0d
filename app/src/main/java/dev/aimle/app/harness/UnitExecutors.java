package dev.aimle.app.harness;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/** Chooses where a sweep's units run from its {@code --master} option. */
public final class UnitExecutors {
    private UnitExecutors() {}

    /**
     * {@code here} without a master (the process pool of this machine), else the cluster executor
     * whose provider accepts it.
     *
     * @param master the value of {@code --master}, or null for this machine
     * @param here the executor of this machine, asked for only without a master
     * @throws IllegalArgumentException when no provider on the class path accepts the master
     */
    public static UnitExecutor create(String master, Supplier<UnitExecutor> here, PrintWriter log) throws IOException {
        if (master == null) {
            return here.get();
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
