package dev.aimle.app.harness;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import dev.aimle.api.GradientEstimator;
import dev.aimle.app.training.ResumableAdam;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One run's model, loss, optimiser, batches and evaluation: what an experiment gives {@link
 * TrainingLoop}, which does the rest (resume, steps, rows, checkpoints, commits). Created with the
 * model's block initialised; the loop restores a checkpoint into it before creating the trainer.
 */
public interface TrainingSession extends AutoCloseable {

    /** The model, its block initialised. */
    Model model();

    /** The optimiser, whose state a checkpoint holds. */
    ResumableAdam optimizer();

    /** The training loss. */
    Loss loss();

    /** Whether the model holds discrete blocks (a {@code DiscreteTrainer}), else plain autograd (DJL's trainer). */
    boolean discrete();

    /**
     * The batches of row {@code row} (1-based).
     *
     * @param step the steps taken before it
     */
    Batches batches(int row, long step);

    /**
     * After the batches of a row: puts the experiment's columns into {@code values}, which holds
     * {@code step} and {@code train_loss}; the loop then adds its own ({@link TrainingLoop#COLUMNS}).
     *
     * @param previous the rows before this one
     */
    void evaluate(Trainer trainer, int row, Map<String, Double> values, List<Map<String, Double>> previous)
            throws IOException;

    /**
     * The estimator whose state (λ, α, ḡ) the loop records in every row, or null for a method without
     * one (a relaxation) or a model without a discrete layer.
     */
    default GradientEstimator estimator() {
        return null;
    }

    /** The log line of a row, e.g. {@code epoch 3/10: train 101.2, validation 99.8 (4.1 s)}. */
    String describe(int row, Map<String, Double> values);

    /** After the last row (e.g. examples for the report). */
    default void finish(Trainer trainer) throws IOException {}

    /** Closes the model. */
    @Override
    default void close() {
        model().close();
    }

    /** The batches of one row. */
    interface Batches {
        /** How many. */
        int count();

        /** Batch {@code index}, its arrays in {@code manager}. */
        Batch get(int index, NDManager manager);
    }
}
