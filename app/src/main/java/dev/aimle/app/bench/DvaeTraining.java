package dev.aimle.app.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import dev.aimle.app.experiments.dvae.DvaeModel;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.util.SplittableRandom;

/**
 * A DVAE training loop for the benchmarks: the experiment's model (or the plain autoencoder) with
 * Adam on one fixed random batch of 100 binary images, one {@link #step()} at a time. Close it.
 */
final class DvaeTraining implements AutoCloseable {
    static final int BATCH = 100;
    static final int PIXELS = 784;

    private final Model model;
    private final Trainer trainer;
    private final NDArray x;

    DvaeTraining(Block block, long seed) {
        model = Model.newInstance("bench-dvae");
        model.setBlock(block);
        Engine.getInstance().setRandomSeed((int) seed);
        trainer = new DiscreteTrainer(
                model,
                new DefaultTrainingConfig(new Steps.Recording(new DvaeModel.Elbo()))
                        .optOptimizer(Optimizer.adam().build()));
        trainer.initialize(new Shape(BATCH, PIXELS));
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[BATCH * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextDouble() < 0.3 ? 1 : 0;
        }
        x = trainer.getManager().create(pixels, new Shape(BATCH, PIXELS)).toType(DataType.FLOAT32, false);
    }

    /** One training step as the experiments take it ({@link Steps#train}): forward, both backward phases, the optimizer. */
    void step() {
        Steps.trainKept(trainer, new NDList(x), new NDList(x));
    }

    /** The arrays alive in the whole engine: those of the root manager and all its sub-managers. */
    int liveArrays() {
        NDManager root = trainer.getManager();
        while (root.getParentManager() != null) {
            root = root.getParentManager();
        }
        return root.getManagedArrays().size();
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
