package dev.aimle.cluster.spark;

import dev.aimle.app.experiments.units.UnitExecutor;
import dev.aimle.app.experiments.units.UnitExecutorProvider;
import java.io.PrintWriter;

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
        return new SparkUnitExecutor(SparkUnitExecutor.configuration(master, "aimle sweep"));
    }
}
