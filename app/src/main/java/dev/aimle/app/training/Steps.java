package dev.aimle.app.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;

/**
 * One training step the way the README tells library users to train: DJL's {@link
 * EasyTrain#trainBatch} (forward, the trainer's loss, the backward pass, which a {@code
 * DiscreteTrainer} makes two-phase) and {@link Trainer#step()}. The trainer's loss must be a {@link
 * Recording} loss: it keeps the value of the step it evaluated, so the loss is read without a second
 * evaluation.
 */
public final class Steps {
    private Steps() {}

    /** A batch of {@code data} with {@code labels}, in {@code manager} (which the caller closes). */
    public static Batch batch(NDManager manager, NDList data, NDList labels) {
        long size = data.head().getShape().get(0);
        return new Batch(manager, data, labels, (int) size, Batchifier.STACK, Batchifier.STACK, 0, 0);
    }

    /**
     * Trains on one batch and takes the optimiser's step unless the loss is not finite.
     *
     * @return the loss of the batch (the step is not taken when it is not finite)
     */
    public static float train(Trainer trainer, Batch batch) {
        if (!(trainer.getLoss() instanceof Recording recording)) {
            throw new IllegalStateException("the trainer's loss must be a Steps.Recording loss, not "
                    + trainer.getLoss().getClass().getName());
        }
        EasyTrain.trainBatch(trainer, batch);
        float value = recording.last();
        if (Float.isFinite(value)) {
            trainer.step();
        }
        return value;
    }

    /**
     * {@link #train} on arrays the caller keeps across steps (a benchmark's fixed batch): what the
     * step computes lives in a scope closed after it, and the arrays go back to their manager (a
     * {@link Batch} takes its arrays into its own manager).
     */
    public static float trainKept(Trainer trainer, NDList data, NDList labels) {
        NDManager home = data.head().getManager();
        try (NDManager scope = trainer.getManager().newSubManager()) {
            float loss = train(trainer, batch(scope, data, labels));
            data.attach(home);
            labels.attach(home);
            return loss;
        }
    }

    /** A loss that remembers the value of its last evaluation (of a training batch). */
    public static final class Recording extends Loss {
        private final Loss loss;
        private NDArray last;

        /** @param loss the loss to evaluate */
        public Recording(Loss loss) {
            super(loss.getName());
            this.loss = loss;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            last = loss.evaluate(labels, predictions);
            return last;
        }

        /** The value of the last evaluation. */
        float last() {
            if (last == null) {
                throw new IllegalStateException("no batch was evaluated");
            }
            float value = last.getFloat();
            last = null;
            return value;
        }
    }
}
