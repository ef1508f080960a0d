package dev.aimle.app.experiments.dvae;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.TrainingLoop;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.Shuffles;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.noise.Noise;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * One DVAE run's training ({@link TrainingLoop} does the loop): a row per epoch over a fresh
 * permutation of the training images (seeded by the run's seed and the epoch, so a resumed run reads
 * the same batches), then the noiseless loss per image on the validation and test sets, and the test
 * loss on noisy samples (the paper's reference's evaluation).
 */
final class DvaeSession implements TrainingSession {
    /** The row's column of the test loss on noisy samples, the paper's reference's evaluation. */
    static final String SAMPLED_TEST_LOSS = "test_loss_sampled";

    private static final int EVAL_BATCH = 500;

    private final DvaeSpec spec;
    private final DvaeData data;
    private final GradientEstimator estimator;
    private final ResumableAdam adam;
    private final Model model;
    private final DvaeModel.Elbo elbo = new DvaeModel.Elbo();

    /** @param solver top-k with {@code k = spec.k()} (or a solver standing in for it) */
    DvaeSession(DvaeSpec spec, DvaeData data, MapSolver solver) {
        this.spec = spec;
        this.data = data;
        this.estimator = spec.method().create(spec.lambda(), spec.imleScaling(), spec.calibratedTarget());
        DiscreteLayer layer = DiscreteLayer.builder()
                .solver(solver)
                .noise(spec.k() == 1 ? Noise.gumbel() : Noise.sumOfGamma(spec.k(), 10))
                .estimator(estimator)
                .samples(spec.samples())
                .seed(spec.seed())
                .build();
        this.adam = new ResumableAdam((float) spec.learningRate());
        this.model = Model.newInstance("dvae-" + spec.id());
        Block block = DvaeModel.block(layer, data.size());
        model.setBlock(block);
        Engine.getInstance().setRandomSeed((int) spec.seed());
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(spec.batchSize(), data.size()));
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public ResumableAdam optimizer() {
        return adam;
    }

    @Override
    public Loss loss() {
        return elbo;
    }

    @Override
    public boolean discrete() {
        return true;
    }

    @Override
    public Batches batches(int epoch, long step) {
        int[] order = Shuffles.epochOrder(data.trainCount(), spec.seed(), epoch);
        int size = spec.batchSize();
        return new Batches() {
            @Override
            public int count() {
                return order.length / size;
            }

            @Override
            public Batch get(int index, NDManager manager) {
                NDArray x = batch(manager, data.train(), data.size(), i -> order[index * size + i], size);
                return Steps.batch(manager, new NDList(x), new NDList(x));
            }
        };
    }

    @Override
    public void evaluate(Trainer trainer, int epoch, Map<String, Double> row, List<Map<String, Double>> previous) {
        row.put("epoch", (double) epoch);
        row.put("validation_loss", evaluate(trainer, data.validation(), data.size()));
        row.put("test_loss", evaluate(trainer, data.test(), data.size()));
        row.put(SAMPLED_TEST_LOSS, sampledTestLoss(trainer, epoch));
    }

    @Override
    public GradientEstimator estimator() {
        return estimator;
    }

    @Override
    public String describe(int epoch, Map<String, Double> row) {
        return String.format(
                Locale.ROOT,
                "epoch %d/%d: train %.2f, validation %.2f, test %.2f (noisy sample %.2f) (%.1f s)",
                epoch,
                spec.epochs(),
                row.get("train_loss"),
                row.get("validation_loss"),
                row.get("test_loss"),
                row.get(SAMPLED_TEST_LOSS),
                row.get("seconds"));
    }

    /**
     * The test loss on noisy samples, as the paper's reference evaluates its DVAE: each image's S
     * perturbed MAP states {@code MAP(theta + tau_in eps)} (the training perturbation, whatever the
     * estimator) go through the decoder, and the loss summed over the samples, KL included, is
     * divided by S (so the KL term counts 1/S, the reference's arithmetic; at S = 1 it is the plain
     * loss of one noisy sample). The noise comes from the evaluation's own stream, seeded by the run's
     * seed and the epoch, so it does not change training and a resumed run gets the same number.
     */
    private double sampledTestLoss(Trainer trainer, int epoch) {
        long seed = spec.seed() * 1_000_003L - epoch - 1; // never one of the batch orders' seeds
        return DiscreteBlock.sampledEvaluation(
                        model.getBlock(), seed, () -> evaluate(trainer, data.test(), data.size()))
                / spec.samples();
    }

    /** The loss per image over a whole set (noiseless MAP, or noisy samples within a sampled evaluation). */
    private static double evaluate(Trainer trainer, float[] images, int size) {
        int count = images.length / size;
        double sum = 0;
        for (int from = 0; from < count; from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, count - from);
            final int offset = from;
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = batch(scope, images, size, i -> offset + i, n);
                sum += DvaeModel.Elbo.sum(x, trainer.evaluate(new NDList(x))).getFloat();
            }
        }
        return sum / Math.max(1, count);
    }

    private static NDArray batch(NDManager manager, float[] images, int size, IntUnaryOperator index, int n) {
        float[] values = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images, index.applyAsInt(i) * size, values, i * size, size);
        }
        return HostArrays.create(manager, values, new Shape(n, size));
    }
}
