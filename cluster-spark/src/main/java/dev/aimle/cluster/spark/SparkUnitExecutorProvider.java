package dev.aimle.cluster.spark;

import dev.aimle.app.harness.UnitExecutor;
import dev.aimle.app.harness.UnitExecutorProvider;
import java.io.PrintWriter;
import java.util.List;

/** Apache Spark as a {@link UnitExecutorProvider}: {@code --master spark://HOST:PORT}, {@code yarn}, {@code k8s://...}, {@code local[N]}. */
public final class SparkUnitExecutorProvider implements UnitExecutorProvider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String description() {
        return "Apache Spark, --master spark://HOST:PORT, yarn, k8s://https://HOST:PORT or local[N]";
    }

    @Override
    public boolean accepts(String master) {
        return master.startsWith("spark://")
                || master.equals("yarn")
                || master.startsWith("k8s://")
                || master.matches("local(\\[[0-9*]+(,[0-9]+)?])?");
    }

    @Override
    public UnitExecutor create(String master, PrintWriter log) {
        // The app logs through slf4j-simple, which then carries Spark's and Hadoop's INFO lines too;
        // the sweep prints its own progress, so they are kept to warnings unless asked for.
        for (String prefix : List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop", "io.netty")) {
            String key = "org.slf4j.simpleLogger.log." + prefix;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        return new SparkUnitExecutor(SparkUnitExecutor.configuration(master, "aimle sweep"));
    }
}
