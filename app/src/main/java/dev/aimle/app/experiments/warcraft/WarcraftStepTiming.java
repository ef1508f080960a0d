package dev.aimle.app.experiments.warcraft;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.dataset.Batch;
import dev.aimle.api.MapSolver;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times the Warcraft training step of a {@link WarcraftSession}, the counterpart of
 * {@code scripts/warcraft_reference_step.py}: one step on the same batch of training maps, repeated,
 * after warm-up steps; the time of every repetition in milliseconds. A step here is what the
 * harness's training loop does per batch: the forward pass, the solver, the loss, the two-phase
 * backward with the estimator and Adam's update (the batch's arrays are built once, outside the
 * timing); the reference's per-batch metrics are timed apart by its script.
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
     * Opens a session for {@code spec} and times its step (the harness's {@link Steps#train}, as
     * {@code TrainingLoop} takes it) on the first {@code spec.batchSize()} training maps.
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
        try (WarcraftSession session = new WarcraftSession(null, spec, data, solver)) {
            TrainingConfig config =
                    new DefaultTrainingConfig(new Steps.Recording(session.loss())).optOptimizer(session.optimizer());
            try (Trainer trainer = session.discrete()
                            ? new DiscreteTrainer(session.model(), config)
                            : session.model().newTrainer(config);
                    NDManager kept = trainer.getManager().newSubManager()) {
                Batch fixed = session.batch(kept, indices);
                NDList x = fixed.getData();
                NDList y = fixed.getLabels();
                for (int i = 0; i < warmUp; i++) {
                    Steps.trainKept(trainer, x, y);
                }
                List<Double> times = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                for (int i = 0; i < repetitions; i++) {
                    long start = System.nanoTime();
                    long startCpu = processCpuNanos();
                    Steps.trainKept(trainer, x, y);
                    times.add((System.nanoTime() - start) / 1e6);
                    cpu.add((processCpuNanos() - startCpu) / 1e6);
                }
                return new Summary(repetitions, median(times), Collections.min(times), median(cpu));
            }
        }
    }
}
