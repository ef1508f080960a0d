package dev.aimle.app.experiments.dvae;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aimle.api.Config;
import dev.aimle.app.harness.MethodSpec;
import dev.aimle.app.harness.SpecSolvers;
import dev.aimle.app.harness.Specs;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run of the DVAE experiment, the unit a sweep is made of: everything that decides its numbers.
 * Written to the run's {@code spec.json} by Jackson; a run directory resumes only under an equal
 * spec. The solver is absent from the file when it is top-k (so that run directories written before
 * the solver was a choice resume).
 *
 * @param method the estimator
 * @param k the subset size of each row (10 with Sum-of-Gamma noise, 1 with Gumbel noise)
 * @param samples S, samples per image
 * @param lambda IMLE's lambda; 0 for the other methods
 * @param imleScaling whether IMLE divides by lambda
 * @param seed the seed of initialisation, data order, validation split and noise
 * @param epochs the number of epochs
 * @param batchSize images per step
 * @param learningRate Adam's step size
 * @param dataDir the directory of the four IDX files
 * @param trainLimit use only the first this many training images (0: all), for smoke runs
 * @param solver the k-subset MAP solver, plain or qualified ({@code topk} by default; e.g. {@code
 *     aimle-ilp:ilp} with one cardinality constraint per row stands in for it)
 * @param solverParams its parameters besides K (K goes to a {@code topk} solver only)
 * @param calibratedTarget the calibrated preset's target c held fixed (non-zeros per row), a study of
 *     what c(S) does; {@code null}: c(S), and always for the other methods (absent from {@code
 *     spec.json} then, so earlier runs resume)
 */
public record DvaeSpec(
        DvaeMethod method,
        int k,
        int samples,
        double lambda,
        boolean imleScaling,
        long seed,
        int epochs,
        int batchSize,
        double learningRate,
        String dataDir,
        int trainLimit,

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultSolver.class)
        String solver,

        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> solverParams,

        @JsonInclude(JsonInclude.Include.NON_NULL) Double calibratedTarget)
        implements MethodSpec {

    /** The solver when none is chosen. */
    public static final String DEFAULT_SOLVER = "topk";

    /** A run with the default solver, top-k. */
    public DvaeSpec(
            DvaeMethod method,
            int k,
            int samples,
            double lambda,
            boolean imleScaling,
            long seed,
            int epochs,
            int batchSize,
            double learningRate,
            String dataDir,
            int trainLimit) {
        this(
                method,
                k,
                samples,
                lambda,
                imleScaling,
                seed,
                epochs,
                batchSize,
                learningRate,
                dataDir,
                trainLimit,
                DEFAULT_SOLVER,
                Map.of(),
                null);
    }

    /** Validates the values; a missing solver is top-k. */
    public DvaeSpec {
        solver = SpecSolvers.name(solver, DEFAULT_SOLVER);
        solverParams = SpecSolvers.params(solverParams);
        if (k < 1 || k > 19) {
            throw new IllegalArgumentException("K (" + k + ") must be between 1 and 19 (rows of 20)");
        }
        if (!method.supports(k)) {
            throw new IllegalArgumentException(method.label() + " needs K = 1, got K = " + k);
        }
        if (samples < 1 || samples > 100) {
            throw new IllegalArgumentException("S (" + samples + ") must be between 1 and 100");
        }
        if (method.usesLambda() ? !(lambda > 0) || Double.isInfinite(lambda) : lambda != 0) {
            throw new IllegalArgumentException(
                    "lambda (" + lambda + ") must be finite and above 0 for IMLE, 0 otherwise");
        }
        if (epochs < 1 || epochs > 10_000 || batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException(
                    "epochs (" + epochs + ") and batch size (" + batchSize + ") must be between 1 and 10000");
        }
        if (calibratedTarget != null && !method.beyondThePaper()) {
            throw new IllegalArgumentException("a fixed target c (" + calibratedTarget
                    + ") applies to AIMLE's calibrated preset only, not to " + method.label());
        }
        if (calibratedTarget != null && (!(calibratedTarget > 0) || calibratedTarget.isInfinite())) {
            throw new IllegalArgumentException(
                    "the fixed target c (" + calibratedTarget + ") must be a finite number greater than 0");
        }
        if (!(learningRate > 0) || trainLimit < 0) {
            throw new IllegalArgumentException("learning rate (" + learningRate
                    + ") must be above 0 and the train limit (" + trainLimit + ") at least 0");
        }
    }

    /** The same run with another number of epochs. */
    public DvaeSpec withEpochs(int value) {
        return new DvaeSpec(
                method,
                k,
                samples,
                lambda,
                imleScaling,
                seed,
                value,
                batchSize,
                learningRate,
                dataDir,
                trainLimit,
                solver,
                solverParams,
                calibratedTarget);
    }

    @Override
    public int rowsWanted() {
        return epochs;
    }

    /** The number of epochs is a target: nothing before the last epoch depends on it. */
    @Override
    public Set<String> extensibleKeys() {
        return Set.of("epochs");
    }

    /** Whether the run uses the default solver, top-k with K only. */
    public boolean defaultSolver() {
        return SpecSolvers.isDefault(solver, solverParams, DEFAULT_SOLVER);
    }

    /** The solver's configuration: its parameters, and K for a {@code topk} solver. */
    public Config solverConfig() {
        Map<String, Object> config = new TreeMap<>(solverParams);
        if (SpecSolvers.is(solver, DEFAULT_SOLVER)) {
            config.put("k", k);
        }
        return Config.of(config);
    }

    /**
     * A directory name that identifies the run within a sweep, e.g. {@code imle-central_k10_s1_l10_seed0}
     * ({@code _c1} after S for a fixed calibrated target).
     */
    @Override
    public String id() {
        String l = method.usesLambda() ? "_l" + Specs.format(lambda) : "";
        String c = calibratedTarget != null ? "_c" + Specs.format(calibratedTarget) : "";
        return method.id() + "_k" + k + "_s" + samples + l + c
                + SpecSolvers.idPart(solver, solverParams, DEFAULT_SOLVER) + "_seed" + seed;
    }

    /** The group a run belongs to when seeds are averaged, e.g. {@code IMLE (central) λ=10}. */
    public String label() {
        return method.label()
                + (method.usesLambda() ? " λ=" + Specs.format(lambda) : "")
                + (samples > 1 ? " S=" + samples : "")
                + (calibratedTarget != null ? " c=" + Specs.format(calibratedTarget) : "")
                + (defaultSolver() ? "" : " [" + solver + "]");
    }

    /** Leaves the default solver's name out of {@code spec.json}. */
    static final class DefaultSolver extends SpecSolvers.OmitDefault {
        DefaultSolver() {
            super(DEFAULT_SOLVER);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s K=%d S=%d%s seed %d, %d epochs",
                method.label(),
                k,
                samples,
                method.usesLambda() ? " lambda=" + Specs.format(lambda) : "",
                seed,
                epochs);
    }
}
