package dev.aimle.estimators;

import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.estimators.gumbel.GumbelSoftmax;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.imle.Imle;
import dev.aimle.estimators.imle.Ste;
import dev.aimle.estimators.sfe.ScoreFunction;
import dev.aimle.estimators.sst.StochasticSoftmax;
import dev.aimle.runtime.ProviderRegistry;

/**
 * Entry points: factories for the built-in estimators and registries of everything discoverable on
 * a class path. Each call returns a new object; nothing here is global state.
 */
public final class Estimators {
    private Estimators() {}

    /** AIMLE with the paper's defaults, to be configured: {@code Estimators.aimle().central().build()}. */
    public static Aimle.Builder aimle() {
        return Aimle.builder();
    }

    /** IMLE with a fixed step, to be configured: {@code Estimators.imle().lambda(10).central().build()}. */
    public static Imle.Builder imle() {
        return Imle.builder();
    }

    /** The straight-through estimator. */
    public static Ste ste() {
        return new Ste();
    }

    /** The score-function estimator. */
    public static ScoreFunction sfe() {
        return new ScoreFunction();
    }

    /**
     * The stochastic softmax trick (hard) with temperature t: Perturb-and-MAP forward,
     * {@code (1/t) Cov_{(theta+eps)/t}[z] dy} backward; needs a solver with a tractable distribution.
     */
    public static StochasticSoftmax sst(double temperature) {
        return new StochasticSoftmax(temperature);
    }

    /** The Gumbel-softmax relaxation with a constant temperature t. */
    public static GumbelSoftmax gumbelSoftmax(double temperature) {
        return GumbelSoftmax.withTemperature(temperature);
    }

    /** The Gumbel-softmax relaxation with a temperature schedule, shown in reports as {@code description}. */
    public static GumbelSoftmax gumbelSoftmax(Schedule temperature, String description) {
        return new GumbelSoftmax(temperature, description);
    }

    /** The gradient estimators registered on the class path of {@code loader}. */
    public static ProviderRegistry<GradientEstimatorProvider> estimatorRegistry(ClassLoader loader) {
        return ProviderRegistry.fromClasspath("gradient estimator", GradientEstimatorProvider.class, loader);
    }

    /** The MAP solvers registered on the class path of {@code loader}. */
    public static ProviderRegistry<MapSolverProvider> solverRegistry(ClassLoader loader) {
        return ProviderRegistry.fromClasspath("map solver", MapSolverProvider.class, loader);
    }

    /** The noise distributions registered on the class path of {@code loader}. */
    public static ProviderRegistry<NoiseDistributionProvider> noiseRegistry(ClassLoader loader) {
        return ProviderRegistry.fromClasspath("noise distribution", NoiseDistributionProvider.class, loader);
    }
}
