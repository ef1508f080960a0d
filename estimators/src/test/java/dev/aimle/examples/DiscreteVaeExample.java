package dev.aimle.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.runtime.MapSolvers;
import java.io.IOException;

/**
 * The README's "Use it from DJL" example, compiled and run by {@code DiscreteVaeExampleTest}, which
 * also checks that the README quotes the lines between the markers.
 */
public final class DiscreteVaeExample {
    private DiscreteVaeExample() {}

    // README:begin
    /** A discrete VAE: 784 pixels -> 20 rows of 20 scores -> top-10 of each row -> 784 logits. */
    public static TrainingResult train(DiscreteLayer layer, Dataset images, int epochs)
            throws IOException, TranslateException {
        SequentialBlock vae = new SequentialBlock()
                .add(Linear.builder().setUnits(512).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(400).build())
                .add(x -> new NDList(x.singletonOrThrow().reshape(-1, 20, 20))) // theta [B, 20, 20]
                .add(DiscreteBlock.withScores(layer)) // [z, theta]
                .add(DiscreteBlock.onFirst(
                        new SequentialBlock() // [logits, theta]
                                .add(z -> new NDList(SampleLayout.flattenInstances(z.singletonOrThrow())))
                                .add(Linear.builder().setUnits(256).build())
                                .add(Activation::relu)
                                .add(Linear.builder().setUnits(512).build())
                                .add(Activation::relu)
                                .add(Linear.builder().setUnits(784).build())));
        try (Model model = Model.newInstance("dvae")) {
            model.setBlock(vae);
            TrainingConfig config = new DefaultTrainingConfig(new Elbo())
                    .optOptimizer(Optimizer.adam().build())
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            try (Trainer trainer = new DiscreteTrainer(model, config)) { // not model.newTrainer(...)
                trainer.initialize(new Shape(100, 784));
                EasyTrain.fit(trainer, epochs, images, null); // DJL's own loop
                return trainer.getTrainingResult();
            }
        }
    }

    /** Per image: Bernoulli reconstruction (summed over samples) + KL(softmax(theta_row) || uniform). */
    static final class Elbo extends Loss {
        Elbo() {
            super("elbo");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.get(0); // [B*S, 784] in training, [B, 784] (MAP) in evaluation
            NDArray theta = predictions.get(1); // the scores: a KL term's gradient reaches the encoder
            NDArray x = SampleLayout.repeatLike(labels.singletonOrThrow(), logits);
            NDArray bce = Scalars.maximum(logits, 0)
                    .sub(logits.mul(x))
                    .add(logits.abs().neg().exp().add(1).log());
            NDArray kl = theta.logSoftmax(-1).add(Math.log(20)).mul(theta.softmax(-1));
            return Scalars.div(
                    bce.sum().add(kl.sum()),
                    labels.singletonOrThrow().getShape().get(0));
        }
    }

    /** The discrete layer: top-10 of each row with Sum-of-Gamma noise, AIMLE (central) backward. */
    public static DiscreteLayer layer() {
        System.setProperty("ai.djl.pytorch.num_threads", "1"); // before the engine starts: small arrays
        MapSolver topk = MapSolvers.create( // outputs checked, calls time-limited
                Estimators.solverRegistry(DiscreteVaeExample.class.getClassLoader()),
                "topk",
                Config.of("k", 10),
                MapSolvers.Guard.defaults());
        return DiscreteLayer.builder()
                .solver(topk)
                .noise(Noise.sumOfGamma(10, 10))
                .estimator(Estimators.aimle().central().build()) // c = 1 flip per row of 20
                .samples(1)
                .seed(42)
                .build();
    }
    // README:end
}
