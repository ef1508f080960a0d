package dev.aimle.app.experiments.nri;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aimle.api.Config;
import dev.aimle.app.experiments.MemoryBudget;
import dev.aimle.app.harness.MethodSpec;
import dev.aimle.app.harness.SpecSolvers;
import dev.aimle.app.harness.Specs;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run of the NRI experiment: everything that decides its numbers. Written to the run's {@code
 * spec.json}; a run directory resumes only under an equal spec (the number of iterations may grow).
 *
 * @param method the estimator
 * @param timesteps T, time steps per trajectory (10 or 20 in the paper)
 * @param lambda IMLE's lambda; 0 for the other methods
 * @param target AIMLE's c, non-zeros per sample of the 45 undirected edges (0.5 matches the
 *     reference's c = 1 counted over the 90 directed edges, where one changed edge counts twice)
 * @param noiseTemperature the scale of the Sum-of-Gamma perturbation (IMLE, AIMLE, STE)
 * @param sstTemperature the temperature t of SST's relaxation
 * @param seed the seed of initialisation and noise
 * @param iterations training steps
 * @param evalEvery steps between evaluations (each a row and a checkpoint)
 * @param batchSize trajectories per step
 * @param learningRate Adam's initial step size
 * @param predictionSteps steps the decoder predicts from each starting point in training
 * @param hidden units of every hidden layer
 * @param variance the decoder's fixed output variance
 * @param dataDir the directory of the {@code .npy} files
 * @param trainLimit use only the first this many training trajectories (0: all)
 * @param evalLimit evaluate on only the first this many validation and test trajectories (0: all)
 */
public record NriSpec(
        NriMethod method,
        int timesteps,
        double lambda,
        double target,
        double noiseTemperature,
        double sstTemperature,
        long seed,
        int iterations,
        int evalEvery,
        int batchSize,
        double learningRate,
        int predictionSteps,
        int hidden,
        double variance,
        String dataDir,
        int trainLimit,
        int evalLimit,

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultSolver.class)
        String solver,

        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> solverParams)
        implements MethodSpec {

    /** The solver when none is chosen; absent from {@code spec.json} (so that older run directories resume). */
    public static final String DEFAULT_SOLVER = "spanning-tree";

    /** Vertices per graph. */
    public static final int VERTICES = 10;
    /** Coordinates per vertex. */
    public static final int DIMS = 2;
    /** Epochs between halvings of the learning rate (the reference's StepLR). */
    public static final int LR_DECAY_EPOCHS = 200;

    /** Validates the values. */
    public NriSpec {
        solver = SpecSolvers.name(solver, DEFAULT_SOLVER);
        solverParams = SpecSolvers.params(solverParams);
        if (timesteps < 2 || timesteps > 1000) {
            throw new IllegalArgumentException("T (" + timesteps + ") must be between 2 and 1000");
        }
        if (method.usesLambda() ? !(lambda > 0) || Double.isInfinite(lambda) : lambda != 0) {
            throw new IllegalArgumentException(
                    "lambda (" + lambda + ") must be finite and above 0 for IMLE, 0 otherwise");
        }
        if (!(target > 0) || !(noiseTemperature >= 0) || !(sstTemperature > 0) || !(variance > 0)) {
            throw new IllegalArgumentException("target c (" + target + "), SST temperature (" + sstTemperature
                    + ") and variance (" + variance + ") must be above 0, the noise temperature ("
                    + noiseTemperature + ") at least 0");
        }
        if (iterations < 1 || evalEvery < 1 || iterations % evalEvery != 0) {
            throw new IllegalArgumentException("iterations (" + iterations + ") must be a positive multiple of the"
                    + " evaluation interval (" + evalEvery + ")");
        }
        if (batchSize < 1 || batchSize > 100_000 || hidden < 1 || hidden > 100_000) {
            throw new IllegalArgumentException(
                    "batch size (" + batchSize + ") and hidden units (" + hidden + ") must be between 1 and 100000");
        }
        if (predictionSteps < 1 || predictionSteps > timesteps - 1) {
            throw new IllegalArgumentException(
                    "prediction steps (" + predictionSteps + ") must be between 1 and T - 1 (" + (timesteps - 1) + ")");
        }
        if (!(learningRate > 0) || trainLimit < 0 || evalLimit < 0) {
            throw new IllegalArgumentException("learning rate (" + learningRate + ") must be above 0, train limit ("
                    + trainLimit + ") and evaluation limit (" + evalLimit + ") at least 0");
        }
        requireMemory(timesteps, batchSize, hidden);
    }

    /**
     * Checks that one run's tensors fit in the machine before it starts, with H hidden units, B the
     * batch and T the steps: the model has about {@code 14 H^2 + (2T + 40) H} parameters (the
     * encoder's four MLPs 10 H^2, the decoder's 4 H^2), each held with its gradient and Adam's two
     * moments (16 bytes), and a batch's activations are dominated by the decoder's messages, about
     * {@code B x 90 directed edges x 4H} floats for each of the T steps.
     */
    private static void requireMemory(int timesteps, int batchSize, int hidden) {
        double h = hidden;
        double parameters = 14 * h * h + (2.0 * timesteps + 40) * h;
        double activations = (double) batchSize * VERTICES * (VERTICES - 1) * 4 * h * timesteps;
        MemoryBudget.requirePhysical(
                "--hidden " + hidden + " with --batch " + batchSize + " and T = " + timesteps,
                16 * parameters + 4 * activations,
                "16 bytes x (14 H^2 + (2T + 40) H) for the parameters with their gradients and Adam's moments,"
                        + " plus 4 bytes x B x 90 x 4H x T for a batch's activations");
    }

    /** A run with the default solver. */
    public NriSpec(
            NriMethod method,
            int timesteps,
            double lambda,
            double target,
            double noiseTemperature,
            double sstTemperature,
            long seed,
            int iterations,
            int evalEvery,
            int batchSize,
            double learningRate,
            int predictionSteps,
            int hidden,
            double variance,
            String dataDir,
            int trainLimit,
            int evalLimit) {
        this(
                method,
                timesteps,
                lambda,
                target,
                noiseTemperature,
                sstTemperature,
                seed,
                iterations,
                evalEvery,
                batchSize,
                learningRate,
                predictionSteps,
                hidden,
                variance,
                dataDir,
                trainLimit,
                evalLimit,
                DEFAULT_SOLVER,
                Map.of());
    }

    /** Whether the run uses the default solver with no parameters. */
    public boolean defaultSolver() {
        return SpecSolvers.isDefault(solver, solverParams, DEFAULT_SOLVER);
    }

    /** The solver's configuration: its parameters. */
    public Config solverConfig() {
        return Config.of(new TreeMap<String, Object>(solverParams));
    }

    /** Leaves the default solver's name out of {@code spec.json}. */
    static final class DefaultSolver extends SpecSolvers.OmitDefault {
        DefaultSolver() {
            super(DEFAULT_SOLVER);
        }
    }

    @Override
    public int rowsWanted() {
        return iterations / evalEvery;
    }

    /** More iterations extend a run: nothing before the last one depends on their number. */
    @Override
    public Set<String> extensibleKeys() {
        return Set.of("iterations");
    }

    /** The same run with another number of iterations. */
    public NriSpec withIterations(int value) {
        return with("iterations", value);
    }

    /** The same run with another batch size. */
    public NriSpec withBatchSize(int value) {
        return with("batchSize", value);
    }

    /** The same run with another hidden width. */
    public NriSpec withHidden(int value) {
        return with("hidden", value);
    }

    /** This spec with one property replaced, validated again. */
    private NriSpec with(String key, Object value) {
        return Specs.with(this, key, value);
    }

    /** The learning rate at update t (1-based): halved every 200 epochs of the training set. */
    public double learningRateAt(int update, int trainCount) {
        long batchesPerEpoch = (trainCount + batchSize - 1) / batchSize;
        long epoch = (update - 1) / batchesPerEpoch;
        return learningRate * Math.pow(0.5, (double) (epoch / LR_DECAY_EPOCHS));
    }

    /** A directory name that identifies the run in a sweep, e.g. {@code imle-central_T10_l10_seed0}. */
    @Override
    public String id() {
        return method.id() + "_T" + timesteps + (method.usesLambda() ? "_l" + Specs.format(lambda) : "")
                + SpecSolvers.idPart(solver, solverParams, DEFAULT_SOLVER) + "_seed" + seed;
    }

    /** The group a run belongs to when seeds are averaged, e.g. {@code IMLE (Central) λ=10}. */
    public String label() {
        return method.label() + (method.usesLambda() ? " λ=" + Specs.format(lambda) : "");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s T=%d seed %d, %d iterations", label(), timesteps, seed, iterations);
    }
}
