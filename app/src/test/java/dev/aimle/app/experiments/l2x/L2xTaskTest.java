package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.aimle.app.training.Shuffles;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generated task's ground truth: the L2X model's predictor, trained with the planted rationale
 * of the aspect as its selection, explains the score (validation MSE below a fifth of the scores'
 * variance); trained with as many random tokens of the same reviews, it does not (above 0.6 of the
 * variance). 1,000 annotated reviews to train, 300 to validate, 6 epochs of Adam at 0.005, seed 5.
 */
class L2xTaskTest {
    private static final int K = 10;
    private static final int LENGTH = 80;
    private static final int TRAIN = 1000;
    private static final int VALIDATION = 300;
    private static final int EPOCHS = 6;

    @Test
    void theTrueRationaleExplainsTheScoreAndARandomSelectionDoesNot() {
        L2xData data = L2xData.generated(
                new RationaleTask(RationaleTask.Design.PLANTED, 400, 2, TRAIN + VALIDATION, 50, 20230207L),
                BeerAspect.AROMA,
                LENGTH,
                0,
                0);
        List<L2xData.Annotated> reviews = data.annotated();
        double mean =
                reviews.stream().mapToDouble(L2xData.Annotated::score).average().orElseThrow();
        double variance = reviews.stream()
                .mapToDouble(a -> (a.score() - mean) * (a.score() - mean))
                .average()
                .orElseThrow();
        double truth = validationMse(data, true);
        double random = validationMse(data, false);
        String message = String.format(
                Locale.ROOT, "variance %.5f, true rationale %.5f, random tokens %.5f", variance, truth, random);
        assertTrue(truth < 0.2 * variance, message);
        assertTrue(random > 0.6 * variance, message);
    }

    /** The selection of review r: its rationale, or as many of its tokens at random. */
    private static float[] selection(L2xData.Annotated a, boolean trueRationale, SplittableRandom random) {
        float[] z = new float[LENGTH];
        int first = LENGTH - a.length();
        int count = 0;
        for (int i = 0; i < LENGTH; i++) {
            if (a.rationale()[i]) {
                z[i] = trueRationale ? 1 : 0;
                count++;
            }
        }
        if (!trueRationale) {
            int[] order = Shuffles.permutation(a.length(), random);
            for (int j = 0; j < count; j++) {
                z[first + order[j]] = 1;
            }
        }
        return z;
    }

    private static double validationMse(L2xData data, boolean trueRationale) {
        SplittableRandom random = new SplittableRandom(5);
        List<L2xData.Annotated> reviews = data.annotated();
        float[][] z = new float[reviews.size()][];
        for (int r = 0; r < z.length; r++) {
            z[r] = selection(reviews.get(r), trueRationale, random);
        }
        // the selection is passed where the selectable mask goes, and the selector returns it
        LambdaBlock fixed = new LambdaBlock(in -> new NDList(in.get(1)));
        try (Model model = Model.newInstance("ground-truth")) {
            // the explainer is not trained here: 4 filters keep it cheap
            L2xModel block = new L2xModel(fixed, K, 250, 4, 3, 5);
            model.setBlock(block);
            Engine.getInstance().setRandomSeed(5);
            block.initialize(
                    model.getNDManager(),
                    DataType.FLOAT32,
                    new Shape(40, LENGTH, data.dimensions()),
                    new Shape(40, LENGTH));
            L2xModel.SquaredError mse = new L2xModel.SquaredError();
            try (Trainer trainer = new DiscreteTrainer(
                    model,
                    new DefaultTrainingConfig(mse)
                            .optOptimizer(Optimizer.adam()
                                    .optLearningRateTracker(Tracker.fixed(0.005f))
                                    .build()))) {
                for (int epoch = 0; epoch < EPOCHS; epoch++) {
                    int[] order = Shuffles.permutation(TRAIN, random);
                    for (int from = 0; from < TRAIN; from += 40) {
                        int[] index = new int[40];
                        System.arraycopy(order, from, index, 0, 40);
                        try (NDManager scope = trainer.getManager().newSubManager()) {
                            NDList inputs = inputs(scope, data, z, index);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray loss = mse.evaluate(
                                        new NDList(labels(scope, reviews, index)), trainer.forward(inputs));
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                    }
                }
                int[] validation = new int[VALIDATION];
                for (int i = 0; i < validation.length; i++) {
                    validation[i] = TRAIN + i;
                }
                try (NDManager scope = trainer.getManager().newSubManager()) {
                    NDList out = trainer.evaluate(inputs(scope, data, z, validation));
                    return mse.evaluate(new NDList(labels(scope, reviews, validation)), out)
                            .getFloat();
                }
            }
        }
    }

    private static NDList inputs(NDManager manager, L2xData data, float[][] z, int[] index) {
        int[][] ids = new int[index.length][];
        float[] selection = new float[index.length * LENGTH];
        for (int i = 0; i < index.length; i++) {
            ids[i] = data.annotated().get(index[i]).ids();
            System.arraycopy(z[index[i]], 0, selection, i * LENGTH, LENGTH);
        }
        int[] all = new int[index.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return new NDList(
                manager.create(data.embed(ids, all), new Shape(index.length, LENGTH, data.dimensions())),
                manager.create(selection, new Shape(index.length, LENGTH)));
    }

    private static NDArray labels(NDManager manager, List<L2xData.Annotated> reviews, int[] index) {
        float[] y = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            y[i] = reviews.get(index[i]).score();
        }
        return manager.create(y);
    }
}
