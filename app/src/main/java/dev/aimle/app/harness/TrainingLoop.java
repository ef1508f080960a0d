package dev.aimle.app.harness;

import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import dev.aimle.api.GradientEstimator;
import dev.aimle.app.training.Steps;
import dev.aimle.app.training.TrainingCheckpoint;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one training loop of every experiment: resume from the last checkpoint, then per row the
 * batches ({@link Steps#train}: DJL's {@code EasyTrain.trainBatch} and the optimiser's step), the
 * row (the session's evaluation), a checkpoint ({@link TrainingCheckpoint}: parameters with the
 * discrete layers' state, Adam's moments) and the commit ({@link RunUnit#commit}). A run stopped at
 * any moment resumes from its last commit with the numbers of a run never stopped.
 */
public final class TrainingLoop {
    /**
     * The columns the loop adds to every row after the experiment's own: the estimator's λ, α and ḡ
     * ({@link TrainingSession#estimator()}), the row's wall time in seconds and the process's resident
     * memory in MB.
     */
    public static final List<String> COLUMNS = List.of("lambda", "alpha", "gbar", "seconds", "rss_mb");

    private TrainingLoop() {}

    /** Trains {@code unit} until every row is done. */
    public static void run(RunUnit<?> unit, TrainingSession session, PrintWriter log) throws IOException {
        List<Map<String, Double>> rows = new ArrayList<>(unit.rows());
        Optional<Path> checkpoint = unit.resume();
        int wanted = unit.spec().rowsWanted();
        if (rows.size() >= wanted) {
            return;
        }
        if (checkpoint.isPresent()) {
            TrainingCheckpoint.restore(
                    checkpoint.get(),
                    session.model().getBlock(),
                    session.model().getNDManager(),
                    session.optimizer());
        }
        TrainingConfig config =
                new DefaultTrainingConfig(new Steps.Recording(session.loss())).optOptimizer(session.optimizer());
        try (Trainer trainer = newTrainer(session, config)) {
            long step =
                    rows.isEmpty() ? 0 : rows.get(rows.size() - 1).get("step").longValue();
            while (rows.size() < wanted) {
                int row = rows.size() + 1;
                long start = System.nanoTime();
                TrainingSession.Batches batches = session.batches(row, step);
                double lossSum = 0;
                for (int b = 0; b < batches.count(); b++) {
                    float loss;
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        loss = Steps.train(trainer, batches.get(b, scope));
                    }
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException("the training loss is " + loss + " at step " + (step + 1)
                                + " (row " + row + "); the run stays at its last checkpoint");
                    }
                    lossSum += loss;
                    step++;
                }
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("step", (double) step);
                values.put("train_loss", lossSum / Math.max(1, batches.count()));
                session.evaluate(trainer, row, values, rows);
                putEstimatorState(values, session.estimator(), unit.spec().fixedLambda());
                values.put("seconds", (System.nanoTime() - start) / 1e9);
                values.put("rss_mb", RunEnvironment.residentMegabytes());
                rows.add(values);
                TrainingCheckpoint.save(unit.newCheckpoint(row), session.model().getBlock(), session.optimizer());
                unit.commit(rows);
                log.printf(Locale.ROOT, "%s %s%n", unit.spec().id(), session.describe(row, values));
                log.flush();
            }
            session.finish(trainer);
        }
    }

    /**
     * DJL's trainer, or a {@link DiscreteTrainer} for a model with discrete blocks; one that
     * continues a run whose restored optimizer has updated skips no step, as the run never stopped.
     */
    private static Trainer newTrainer(TrainingSession session, TrainingConfig config) {
        if (!session.discrete()) {
            return session.model().newTrainer(config);
        }
        DiscreteTrainer trainer = new DiscreteTrainer(session.model(), config);
        if (session.optimizer().hasUpdated()) {
            trainer.markResumedAfterUpdates();
        }
        return trainer;
    }

    /**
     * λ, α and ḡ of an adaptive estimator's state, IMLE's fixed λ ({@code fixedLambda}), NaN where a
     * method has no such quantity.
     *
     * @param estimator null for a method without one (a relaxation)
     * @param fixedLambda the λ of a method that has a fixed one, else NaN
     */
    private static void putEstimatorState(Map<String, Double> row, GradientEstimator estimator, double fixedLambda) {
        Map<String, Double> state = estimator == null ? Map.of() : estimator.state();
        row.put("lambda", state.getOrDefault("lastLambda", fixedLambda));
        row.put("alpha", state.getOrDefault("alpha", Double.NaN));
        row.put("gbar", state.getOrDefault("gbar", Double.NaN));
    }
}
