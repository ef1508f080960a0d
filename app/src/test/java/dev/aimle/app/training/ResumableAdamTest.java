package dev.aimle.app.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ResumableAdam is DJL's Adam bit for bit, and its saved state continues a run exactly. */
class ResumableAdamTest {

    private static Model model(String name) {
        Model model = Model.newInstance(name);
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(Linear.builder().setUnits(2).build()));
        return model;
    }

    private static Trainer trainer(Model model, Optimizer optimizer) {
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer));
        Engine.getInstance().setRandomSeed(3);
        trainer.initialize(new Shape(8, 5));
        return trainer;
    }

    private static void steps(Trainer trainer, int from, int to) {
        for (int t = from; t < to; t++) {
            SplittableRandom random = new SplittableRandom(t);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                float[] v = new float[8 * 5];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextGaussian();
                }
                NDArray x = scope.create(v, new Shape(8, 5));
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                    gc.backward(out.sub(x.get(":, 0:2")).square().sum());
                }
                trainer.step();
            }
        }
    }

    private static float[] weights(Model model) {
        Block first = model.getBlock().getChildren().get(0).getValue();
        return first.getParameters().get("weight").getArray().toFloatArray();
    }

    @Test
    void itIsDjlsAdamBitForBit() {
        try (Model a = model("djl");
                Model b = model("resumable");
                Trainer djl = trainer(
                        a,
                        Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(0.01f))
                                .build());
                Trainer ours = trainer(b, new ResumableAdam(0.01f))) {
            steps(djl, 0, 20);
            steps(ours, 0, 20);
            assertArrayEquals(weights(a), weights(b));
        }
    }

    @Test
    void aSavedStateContinuesExactly() throws IOException {
        try (Model a = model("straight");
                Model b = model("resumed")) {
            ResumableAdam straight = new ResumableAdam(0.01f);
            ResumableAdam first = new ResumableAdam(0.01f);
            ResumableAdam second = new ResumableAdam(0.01f);
            try (Trainer ta = trainer(a, straight);
                    Trainer tb = trainer(b, first)) {
                assertFalse(first.hasUpdated(), "no update yet");
                steps(ta, 0, 10);
                steps(tb, 0, 5);
                assertTrue(first.hasUpdated());
                ByteArrayOutputStream saved = new ByteArrayOutputStream();
                first.save(b.getBlock().getParameters(), new DataOutputStream(saved));
                second.load(
                        b.getBlock().getParameters(),
                        new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
                assertTrue(second.hasUpdated(), "the loaded state has updated: a resumed trainer must skip no step");
                try (Trainer resumed = new Trainer(b, new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(second))) {
                    steps(resumed, 5, 10);
                }
                assertArrayEquals(weights(a), weights(b), "10 steps straight vs 5 + save/load + 5");
                try (Model other = Model.newInstance("other")) {
                    other.setBlock(Linear.builder().setUnits(3).build());
                    other.getBlock().initialize(other.getNDManager(), DataType.FLOAT32, new Shape(8, 5));
                    IOException e = assertThrows(
                            IOException.class,
                            () -> new ResumableAdam(0.01f)
                                    .load(
                                            other.getBlock().getParameters(),
                                            new DataInputStream(new ByteArrayInputStream(saved.toByteArray()))));
                    assertTrue(e.getMessage().contains("which the model does not have"), e.getMessage());
                }
            }
        }
    }
}
