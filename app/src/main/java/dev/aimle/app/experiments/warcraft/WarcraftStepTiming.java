package dev.aimle.app.experiments.warcraft;

import dev.aimle.api.MapSolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times the Warcraft training step of a {@link WarcraftSession}, the counterpart of
 * {@code scripts/warcraft_reference_step.py}: one step on the same batch of training maps, repeated,
 * after warm-up steps; the time of every repetition in milliseconds. A step here is everything the
 * session does per batch: building the normalised images from the bytes, the forward pass, the
 * solver, the loss, the two-phase backward with the estimator, Adam's update and the step's metrics
 * (about 0.1 ms of it); the reference's per-batch metrics are timed apart by its script.
 */
public final class WarcraftStepTiming {
    private WarcraftStepTiming() {}

    /**
     * The median and the fastest wall time of the repetitions, and the median CPU time of the whole
     * process (the engine's threads and the JVM's included; less inflated than wall time when other
     * processes share the cores), in milliseconds.
     */
    public record Summary(int repetitions, double medianMillis, double minMillis, double medianCpuMillis) {}

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The CPU time of this process in nanoseconds, or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    /**
     * Opens a session for {@code spec} and times its step on the first {@code spec.batchSize()}
     * training maps.
     *
     * @param solver the shortest-path oracle
     */
    public static Summary measure(
            WarcraftSpec spec, WarcraftData.Splits data, MapSolver solver, int warmUp, int repetitions) {
        if (warmUp < 0 || repetitions < 1) {
            throw new IllegalArgumentException(
                    "warmUp (" + warmUp + ") must be at least 0 and repetitions (" + repetitions + ") at least 1");
        }
        int batch = Math.min(spec.batchSize(), data.train().size());
        int[] indices = new int[batch];
        for (int i = 0; i < batch; i++) {
            indices[i] = i;
        }
        try (WarcraftSession session = new WarcraftSession(spec, data, solver, null)) {
            for (int i = 0; i < warmUp; i++) {
                session.step(indices);
            }
            List<Double> times = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int i = 0; i < repetitions; i++) {
                long start = System.nanoTime();
                long startCpu = processCpuNanos();
                session.step(indices);
                times.add((System.nanoTime() - start) / 1e6);
                cpu.add((processCpuNanos() - startCpu) / 1e6);
            }
            return new Summary(repetitions, median(times), Collections.min(times), median(cpu));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
