package dev.aimle.app.experiments.warcraft;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aimle.api.Config;
import dev.aimle.app.harness.MethodSpec;
import dev.aimle.app.harness.SpecSolvers;
import dev.aimle.app.harness.Specs;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One Warcraft run, the unit a sweep is made of: method, hyper-parameters, data, solver and seed,
 * written to the run's {@code spec.json} by Jackson. Defaults are the reference's settings ({@code
 * settings/warcraft_shortest_path/12x12_map.json}): batch 70, Adam 5e-4 divided by 10 at epochs 30
 * and 40, 50 epochs, λ = 20; AIMLE as the reference's Warcraft trainer sets it up (its {@code
 * DijkstraMAP} with {@code target=adaptive}: {@code AdaptiveTargetDistribution(initial_beta=lambda_val,
 * ...)}, so α₀ = λ = 20, and the class's default {@code target_norm} 1 compared with the non-zero
 * entries of a whole 12×12 difference per sample: c = 1 per instance), with the paper's η = 1e-3
 * (the reference leaves it to the command line).
 *
 * @param method how the gradient reaches the model
 * @param lambda IMLE's λ (DBB: 20, the reference's {@code lambda_val}); 0 for the others
 * @param noise {@code gumbel}, {@code sum-of-gamma} (k = ⌊1.3·grid⌋, 10 terms, as the reference) or
 *     {@code none}; DBB takes none
 * @param temperature the noise temperature τ of the forward and target perturbations
 * @param samples S, samples per map
 * @param aimleAlpha0 AIMLE's α₀, its λ = α·‖θ‖/‖dL/dz‖ at the first step (default 20: the
 *     reference's Warcraft trainer starts its β at λ = 20; the paper's 0 elsewhere); 0 for methods
 *     other than AIMLE
 * @param aimleEta AIMLE's η (the paper's 1e-3)
 * @param aimleTarget AIMLE's target c (default 1, the reference's and the paper's); null for the
 *     other methods, and read as 1 from a {@code spec.json} that has none
 * @param aimleTargetUnit what c counts non-zeros per: {@code instance} (the default and the
 *     reference's: the whole 12×12 difference of a sample), {@code row} or {@code solver}; null for
 *     the other methods, and read as {@code instance} from a {@code spec.json} that has none
 * @param fySigma the Fenchel-Young loss's σ
 * @param fySamples the Fenchel-Young loss's samples per map
 * @param learningRate Adam's step size
 * @param milestones epochs (1-based counts of epochs done) after which the step size is divided by 10
 * @param batchSize maps per step
 * @param epochs epochs to train
 * @param trainLimit use only the first this many training maps (0 for all)
 * @param evalLimit evaluate on only the first this many validation and test maps (0 for all)
 * @param seed the seed of initialisation, order and noise
 * @param dataDir the directory of the nine {@code .npy} files
 * @param solver the shortest-path solver, plain or qualified ({@code shortest-path} by default)
 * @param solverParams its parameters ({@code neighbourhood=8} unless given)
 */
public record WarcraftSpec(
        WarcraftMethod method,
        double lambda,
        String noise,
        double temperature,
        int samples,
        double aimleAlpha0,
        double aimleEta,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double aimleTarget,
        @JsonInclude(JsonInclude.Include.NON_NULL) String aimleTargetUnit,
        double fySigma,
        int fySamples,
        double learningRate,
        List<Integer> milestones,
        int batchSize,
        int epochs,
        int trainLimit,
        int evalLimit,
        long seed,
        String dataDir,
        String solver,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> solverParams)
        implements MethodSpec {

    /** AIMLE's α₀ when none is given: the reference's Warcraft β₀ = λ = 20. */
    public static final double REFERENCE_ALPHA0 = 20;

    /** What AIMLE's target counts per when nothing is given: a whole instance, as the reference. */
    public static final String DEFAULT_TARGET_UNIT = "instance";

    /** The units AIMLE's target may count per (the estimator's {@code target-unit}). */
    public static final List<String> TARGET_UNITS = List.of("instance", "row", "solver");

    /** The solver when none is chosen: the shortest-path plugin's. */
    public static final String DEFAULT_SOLVER = "shortest-path";

    /** Validates every field, naming the offending value. */
    public WarcraftSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(dataDir, "dataDir");
        milestones = List.copyOf(milestones);
        solver = SpecSolvers.name(solver, DEFAULT_SOLVER);
        solverParams = SpecSolvers.params(solverParams);
        requireFinite("lambda", lambda, 0);
        if (method.usesLambda() ? !(lambda > 0) : lambda != 0) {
            throw new IllegalArgumentException("lambda (" + lambda + ") must be above 0 for " + method.id()
                    + ", 0 for a method without a fixed λ");
        }
        if (!List.of("gumbel", "sum-of-gamma", "none").contains(noise)) {
            throw new IllegalArgumentException("noise '" + noise + "' must be gumbel, sum-of-gamma or none");
        }
        requireFinite("temperature", temperature, 0);
        requireFinite("aimleAlpha0", aimleAlpha0, 0);
        requireFinite("aimleEta", aimleEta, 0);
        if (method.isAdaptive()) {
            // a spec.json written before these fields ran with c = 1 per instance
            aimleTarget = aimleTarget == null ? 1.0 : aimleTarget;
            aimleTargetUnit = aimleTargetUnit == null ? DEFAULT_TARGET_UNIT : aimleTargetUnit;
            if (!(aimleTarget > 0) || Double.isInfinite(aimleTarget)) {
                throw new IllegalArgumentException("aimleTarget (" + aimleTarget + ") must be a finite number above 0");
            }
            if (!TARGET_UNITS.contains(aimleTargetUnit)) {
                throw new IllegalArgumentException(
                        "aimleTargetUnit '" + aimleTargetUnit + "' must be one of " + String.join(", ", TARGET_UNITS));
            }
        } else if (aimleTarget != null || aimleTargetUnit != null) {
            throw new IllegalArgumentException("aimleTarget (" + aimleTarget + ") and aimleTargetUnit ("
                    + aimleTargetUnit + ") are AIMLE's; method " + method.id() + " takes neither");
        }
        requireFinite("fySigma", fySigma, Double.MIN_VALUE);
        requireFinite("learningRate", learningRate, Double.MIN_VALUE);
        if (samples < 1 || fySamples < 1) {
            throw new IllegalArgumentException(
                    "samples (" + samples + ") and fySamples (" + fySamples + ") must be at least 1");
        }
        if (batchSize < 1 || epochs < 1 || trainLimit < 0 || evalLimit < 0) {
            throw new IllegalArgumentException("batchSize (" + batchSize + ") and epochs (" + epochs
                    + ") must be at least 1, trainLimit (" + trainLimit + ") and evalLimit (" + evalLimit
                    + ") at least 0");
        }
        for (int m : milestones) {
            if (m < 1) {
                throw new IllegalArgumentException("milestones " + milestones + " must be epochs of at least 1");
            }
        }
        if (method == WarcraftMethod.DBB && !noise.equals("none")) {
            throw new IllegalArgumentException("method dbb takes no noise, got noise '" + noise + "'");
        }
    }

    private static void requireFinite(String name, double value, double least) {
        if (!(value >= least) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a finite number at least " + least);
        }
    }

    /**
     * The reference's settings for a method on the data in {@code dataDir}: λ 20 for DBB and IMLE,
     * Gumbel noise at τ = 1 (none for DBB), S = 1, AIMLE as the reference's Warcraft trainer (α₀ 20,
     * c = 1 per instance) with the paper's η 1e-3, Fenchel-Young σ
     * 1 with 1 sample, Adam 5e-4, milestones 30 and 40, batch 70, 50 epochs, all maps, seed 1, the
     * shortest-path solver.
     */
    public static WarcraftSpec defaults(WarcraftMethod method, String dataDir) {
        boolean adaptive = method.isAdaptive();
        return new WarcraftSpec(
                method,
                method.usesLambda() ? 20 : 0,
                method == WarcraftMethod.DBB ? "none" : "gumbel",
                1,
                1,
                adaptive ? REFERENCE_ALPHA0 : 0,
                1e-3,
                adaptive ? 1.0 : null,
                adaptive ? DEFAULT_TARGET_UNIT : null,
                1,
                1,
                5e-4,
                List.of(30, 40),
                70,
                50,
                0,
                0,
                1,
                dataDir,
                DEFAULT_SOLVER,
                Map.of());
    }

    /** This spec with another seed. */
    public WarcraftSpec withSeed(long value) {
        return new WarcraftSpec(
                method,
                lambda,
                noise,
                temperature,
                samples,
                aimleAlpha0,
                aimleEta,
                aimleTarget,
                aimleTargetUnit,
                fySigma,
                fySamples,
                learningRate,
                milestones,
                batchSize,
                epochs,
                trainLimit,
                evalLimit,
                value,
                dataDir,
                solver,
                solverParams);
    }

    /** This spec with a number of epochs, batch size and training maps (for quick runs and tests). */
    public WarcraftSpec withBudget(int epochsValue, int batchSizeValue, int trainLimitValue) {
        return new WarcraftSpec(
                method,
                lambda,
                noise,
                temperature,
                samples,
                aimleAlpha0,
                aimleEta,
                aimleTarget,
                aimleTargetUnit,
                fySigma,
                fySamples,
                learningRate,
                milestones,
                batchSizeValue,
                epochsValue,
                trainLimitValue,
                evalLimit,
                seed,
                dataDir,
                solver,
                solverParams);
    }

    /** This spec with another λ and noise. */
    public WarcraftSpec withPerturbation(double lambdaValue, String noiseValue, double temperatureValue) {
        return new WarcraftSpec(
                method,
                lambdaValue,
                noiseValue,
                temperatureValue,
                samples,
                aimleAlpha0,
                aimleEta,
                aimleTarget,
                aimleTargetUnit,
                fySigma,
                fySamples,
                learningRate,
                milestones,
                batchSize,
                epochs,
                trainLimit,
                evalLimit,
                seed,
                dataDir,
                solver,
                solverParams);
    }

    /** This spec with AIMLE's α₀, η, target c and its unit (AIMLE methods only), validated again. */
    public WarcraftSpec withAimle(double alpha0, double eta, double target, String targetUnit) {
        WarcraftSpec spec = Specs.with(this, "aimleAlpha0", alpha0);
        spec = Specs.with(spec, "aimleEta", eta);
        spec = Specs.with(spec, "aimleTarget", target);
        return Specs.with(spec, "aimleTargetUnit", targetUnit);
    }

    /** This spec with another step size and milestones. */
    public WarcraftSpec withSchedule(double learningRateValue, List<Integer> milestonesValue) {
        return new WarcraftSpec(
                method,
                lambda,
                noise,
                temperature,
                samples,
                aimleAlpha0,
                aimleEta,
                aimleTarget,
                aimleTargetUnit,
                fySigma,
                fySamples,
                learningRateValue,
                milestonesValue,
                batchSize,
                epochs,
                trainLimit,
                evalLimit,
                seed,
                dataDir,
                solver,
                solverParams);
    }

    /** This spec with another evaluation limit and solver. */
    public WarcraftSpec withEvaluation(int evalLimitValue, String solverValue, Map<String, String> params) {
        return new WarcraftSpec(
                method,
                lambda,
                noise,
                temperature,
                samples,
                aimleAlpha0,
                aimleEta,
                aimleTarget,
                aimleTargetUnit,
                fySigma,
                fySamples,
                learningRate,
                milestones,
                batchSize,
                epochs,
                trainLimit,
                evalLimitValue,
                seed,
                dataDir,
                solverValue,
                params);
    }

    /** The step size after {@code epochsDone} epochs: divided by 10 for every milestone reached. */
    public double learningRateAfter(int epochsDone) {
        double rate = learningRate;
        for (int m : milestones) {
            if (epochsDone >= m) {
                rate /= 10;
            }
        }
        return rate;
    }

    @Override
    public int rowsWanted() {
        return epochs;
    }

    /** The number of epochs is a target: nothing before the last epoch depends on it (the milestones are explicit). */
    @Override
    public Set<String> extensibleKeys() {
        return Set.of("epochs");
    }

    /**
     * The solver's configuration: its parameters, with the reference's 8-neighbourhood and negative
     * costs counted as 0 ({@code negative=clip}: noise and IMLE's targets {@code θ + λ·dL/dz} make
     * costs negative, and the reference's {@code np.maximum(w, 0)} raises them) unless they name
     * others (the shortest-path solver only; another solver takes negative costs its own way).
     */
    public Config solverConfig() {
        Map<String, Object> config = new TreeMap<>(solverParams);
        if (SpecSolvers.is(solver, DEFAULT_SOLVER)) {
            config.putIfAbsent("neighbourhood", "8");
            config.putIfAbsent("negative", "clip");
        }
        return Config.of(config);
    }

    /** A directory name that identifies the run within a sweep, e.g. {@code imle-forward_l20_seed0}. */
    @Override
    public String id() {
        String l = method.usesLambda() && method != WarcraftMethod.DBB ? "_l" + Specs.format(lambda) : "";
        return method.id() + l + SpecSolvers.idPart(solver, solverParams, DEFAULT_SOLVER) + "_seed" + seed;
    }

    /** The group a run belongs to when seeds are averaged, e.g. {@code IMLE (forward) λ=20}. */
    public String label() {
        return method.label()
                + (method.usesLambda() && method != WarcraftMethod.DBB ? " λ=" + Specs.format(lambda) : "");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s seed %d, %d epochs", label(), seed, epochs);
    }
}
