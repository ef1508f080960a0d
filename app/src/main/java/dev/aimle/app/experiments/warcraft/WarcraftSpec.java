package dev.aimle.app.experiments.warcraft;

import java.util.List;
import java.util.Objects;

/**
 * One Warcraft run unit: method, hyper-parameters and seed. Defaults are the reference's settings
 * ({@code settings/warcraft_shortest_path/12x12_map.json}): batch 70, Adam 5e-4 divided by 10 at
 * epochs 30 and 40, 50 epochs, λ = 20; AIMLE with the paper's defaults and its target counted per
 * instance (the reference counts the non-zero entries of a whole 12×12 difference per sample).
 *
 * @param method how the gradient reaches the model
 * @param lambda IMLE's λ (DBB: 20, the reference's {@code lambda_val}); ignored by the others
 * @param noise {@code gumbel}, {@code sum-of-gamma} (k = ⌊1.3·grid⌋, 10 terms, as the reference) or
 *     {@code none}; DBB takes none
 * @param temperature the noise temperature τ of the forward and target perturbations
 * @param samples S, samples per map
 * @param aimleAlpha0 AIMLE's α₀ (paper 0; the reference starts its β at λ = 20)
 * @param aimleEta AIMLE's η (paper 1e-3)
 * @param fySigma the Fenchel-Young loss's σ
 * @param fySamples the Fenchel-Young loss's samples per map
 * @param learningRate Adam's step size
 * @param milestones epochs (1-based counts of epochs done) after which the step size is divided by 10
 * @param batchSize maps per step
 * @param epochs epochs to train
 * @param trainLimit use only the first this many training maps (0 for all)
 * @param seed the seed of initialisation, order and noise
 */
public record WarcraftSpec(
        WarcraftMethod method,
        double lambda,
        String noise,
        double temperature,
        int samples,
        double aimleAlpha0,
        double aimleEta,
        double fySigma,
        int fySamples,
        double learningRate,
        List<Integer> milestones,
        int batchSize,
        int epochs,
        int trainLimit,
        long seed) {

    /** Validates every field, naming the offending value. */
    public WarcraftSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(noise, "noise");
        milestones = List.copyOf(milestones);
        requireFinite("lambda", lambda, 0);
        if (!List.of("gumbel", "sum-of-gamma", "none").contains(noise)) {
            throw new IllegalArgumentException("noise '" + noise + "' must be gumbel, sum-of-gamma or none");
        }
        requireFinite("temperature", temperature, 0);
        requireFinite("aimleAlpha0", aimleAlpha0, 0);
        requireFinite("aimleEta", aimleEta, 0);
        requireFinite("fySigma", fySigma, Double.MIN_VALUE);
        requireFinite("learningRate", learningRate, Double.MIN_VALUE);
        if (samples < 1 || fySamples < 1) {
            throw new IllegalArgumentException(
                    "samples (" + samples + ") and fySamples (" + fySamples + ") must be at least 1");
        }
        if (batchSize < 1 || epochs < 0 || trainLimit < 0) {
            throw new IllegalArgumentException("batchSize (" + batchSize + ") must be at least 1, epochs (" + epochs
                    + ") and trainLimit (" + trainLimit + ") at least 0");
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
     * The reference's settings for a method: λ 20, Gumbel noise at τ = 1 (none for DBB), S = 1, the
     * paper's AIMLE (α₀ 0, η 1e-3), Fenchel-Young σ 1 with 1 sample, Adam 5e-4, milestones 30 and
     * 40, batch 70, 50 epochs, all training maps, seed 1.
     */
    public static WarcraftSpec defaults(WarcraftMethod method) {
        return new WarcraftSpec(
                method,
                20,
                method == WarcraftMethod.DBB ? "none" : "gumbel",
                1,
                1,
                0,
                1e-3,
                1,
                1,
                5e-4,
                List.of(30, 40),
                70,
                50,
                0,
                1);
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
                fySigma,
                fySamples,
                learningRate,
                milestones,
                batchSize,
                epochs,
                trainLimit,
                value);
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
                fySigma,
                fySamples,
                learningRate,
                milestones,
                batchSizeValue,
                epochsValue,
                trainLimitValue,
                seed);
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
                fySigma,
                fySamples,
                learningRate,
                milestones,
                batchSize,
                epochs,
                trainLimit,
                seed);
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
}
