package dev.aimle.app.experiments.l2x;

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
 * One run of the learning-to-explain experiment: everything that decides its numbers.
 *
 * @param method the method
 * @param k the subset size
 * @param temperature t (see {@link L2xMethod})
 * @param lambda IMLE's lambda; 0 for the other methods
 * @param imleScaling whether IMLE divides by lambda
 * @param noise the perturbation of the estimator methods, {@code sog} (Sum-of-Gamma(k, 10)) or
 *     {@code gumbel}; the relaxations always use Gumbel keys
 * @param seed the seed of initialisation, data order, the validation/test split, dropout and noise
 * @param epochs epochs
 * @param batchSize reviews per step
 * @param learningRate Adam's step size
 * @param aspect the rated aspect
 * @param data {@code generated}, or the directory of the BeerAdvocate files
 * @param task the generated task (ignored with a data directory)
 * @param maxLength tokens per review after padding or cutting
 * @param hidden the predictor's hidden units
 * @param filters the explainer's filters
 * @param trainLimit use only the first this many training reviews (0: all)
 */
public record L2xSpec(
        L2xMethod method,
        int k,
        double temperature,
        double lambda,
        boolean imleScaling,
        String noise,
        long seed,
        int epochs,
        int batchSize,
        double learningRate,
        BeerAspect aspect,
        String data,
        RationaleTask task,
        int maxLength,
        int hidden,
        int filters,
        int trainLimit,

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultSolver.class)
        String solver,

        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> solverParams)
        implements MethodSpec {

    /** The solver when none is chosen; absent from {@code spec.json} (so that older run directories resume). */
    public static final String DEFAULT_SOLVER = "topk";

    /** The value of {@link #data} for the generated task. */
    public static final String GENERATED = "generated";

    /** Validates. */
    public L2xSpec {
        solver = SpecSolvers.name(solver, DEFAULT_SOLVER);
        solverParams = SpecSolvers.params(solverParams);
        if (k < 1 || k > maxLength) {
            throw new IllegalArgumentException(
                    "k (" + k + ") must be between 1 and the maximum length (" + maxLength + ")");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the temperature (" + temperature + ") must be finite and above 0");
        }
        if (method.usesLambda() ? !(lambda > 0) || Double.isInfinite(lambda) : lambda != 0) {
            throw new IllegalArgumentException(
                    "lambda (" + lambda + ") must be finite and above 0 for IMLE, 0 otherwise");
        }
        if (!noise.equals("sog") && !noise.equals("gumbel")) {
            throw new IllegalArgumentException("the noise ('" + noise + "') must be sog or gumbel");
        }
        if (epochs < 1 || epochs > 10_000 || batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException(
                    "epochs (" + epochs + ") and batch size (" + batchSize + ") must be between 1 and 10000");
        }
        if (!(learningRate > 0) || trainLimit < 0 || hidden < 1 || filters < 1) {
            throw new IllegalArgumentException(
                    "learning rate (" + learningRate + ") and hidden units (" + hidden + ") and filters (" + filters
                            + ") must be above 0, the train limit (" + trainLimit + ") at least 0");
        }
        if (method == L2xMethod.ORACLE && !GENERATED.equals(data)) {
            throw new IllegalArgumentException(
                    "the oracle needs every review's rationale: only the generated task has them, not " + data);
        }
        requireMemory(data, task, batchSize, maxLength, hidden, filters);
    }

    /** The word vectors' width of the real data ({@code review+wiki.filtered.200.txt}). */
    static final int REAL_DIMENSIONS = 200;

    /**
     * Checks that one run fits before it starts. In the engine, with D the vectors' width (the
     * generated task's, or 200), F filters, H hidden units, B the batch and L the maximum length:
     * {@code 16 bytes x (3 D F + 9 F^2 + D H)} for the parameters (kernel-3 convolutions from D and
     * between filters, the kernel-1 ones and the global layer, the predictor), each with its
     * gradient and Adam's two moments, plus {@code 4 bytes x B x L x (D + 6 F)} for the activations
     * of a batch. In the heap, for the generated task: {@code 4 bytes x L} per review for its padded
     * ids.
     */
    private static void requireMemory(
            String data, RationaleTask task, int batchSize, int maxLength, int hidden, int filters) {
        boolean generated = GENERATED.equals(data);
        double d = generated && task != null ? task.dimensions() : REAL_DIMENSIONS;
        String what = "--max-length " + maxLength + ", --filters " + filters + ", --hidden " + hidden + ", --batch "
                + batchSize + " and " + (long) d + "-d vectors";
        double parameters = 3 * d * filters + 9.0 * filters * filters + d * hidden;
        double activations = (double) batchSize * maxLength * (d + 6.0 * filters);
        MemoryBudget.requirePhysical(
                what,
                16 * parameters + 4 * activations,
                "16 bytes x (3 D F + 9 F^2 + D H) for the parameters with their gradients and Adam's moments, plus"
                        + " 4 bytes x B x L x (D + 6 F) for a batch's activations");
        if (generated && task != null) {
            double reviews = (double) task.train() + task.heldout() + task.annotated();
            MemoryBudget.requireHeap(
                    what + " over " + String.format(Locale.ROOT, "%.0f", reviews) + " generated reviews",
                    reviews * (4.0 * maxLength + task.design().reviewBytes()),
                    "(train + heldout + annotated) x (4 bytes x L for the padded ids + "
                            + task.design().reviewBytes() + " bytes for the review)");
        }
    }

    /** Whether the run uses the generated task. */
    public boolean generated() {
        return data.equals(GENERATED);
    }

    /** A run with the default solver. */
    public L2xSpec(
            L2xMethod method,
            int k,
            double temperature,
            double lambda,
            boolean imleScaling,
            String noise,
            long seed,
            int epochs,
            int batchSize,
            double learningRate,
            BeerAspect aspect,
            String data,
            RationaleTask task,
            int maxLength,
            int hidden,
            int filters,
            int trainLimit) {
        this(
                method,
                k,
                temperature,
                lambda,
                imleScaling,
                noise,
                seed,
                epochs,
                batchSize,
                learningRate,
                aspect,
                data,
                task,
                maxLength,
                hidden,
                filters,
                trainLimit,
                DEFAULT_SOLVER,
                Map.of());
    }

    /** Whether the run uses the default solver with no parameters. */
    public boolean defaultSolver() {
        return SpecSolvers.isDefault(solver, solverParams, DEFAULT_SOLVER);
    }

    /** The solver's configuration: its parameters, and k for a {@code topk} solver. */
    public Config solverConfig() {
        Map<String, Object> config = new TreeMap<>(solverParams);
        if (SpecSolvers.is(solver, DEFAULT_SOLVER)) {
            config.put("k", k);
        }
        return Config.of(config);
    }

    /** Leaves the default solver's name out of {@code spec.json}. */
    static final class DefaultSolver extends SpecSolvers.OmitDefault {
        DefaultSolver() {
            super(DEFAULT_SOLVER);
        }
    }

    @Override
    public int rowsWanted() {
        return epochs;
    }

    @Override
    public Set<String> extensibleKeys() {
        return Set.of("epochs");
    }

    /** A directory name, e.g. {@code imle-central_k10_t1_l100_seed0}. */
    @Override
    public String id() {
        return method.id() + "_k" + k + "_t" + Specs.format(temperature)
                + (method.usesLambda() ? "_l" + Specs.format(lambda) : "")
                + SpecSolvers.idPart(solver, solverParams, DEFAULT_SOLVER) + "_seed" + seed;
    }

    /** The configuration seeds are averaged over, e.g. {@code IMLE (C) λ=100 t=1}. */
    public String label() {
        if (method.fixed()) {
            return method.label();
        }
        return method.label() + (method.usesLambda() ? " λ=" + Specs.format(lambda) : "") + " t="
                + Specs.format(temperature);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s k=%d seed %d, %d epochs", label(), k, seed, epochs);
    }
}
