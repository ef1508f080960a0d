package dev.aimle.estimators.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorContractTest;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NamedProvider;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.NoiseDistributionContractTest;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every gradient estimator and noise distribution our providers register runs the published
 * contract bases, created through its provider as a user's configuration would create it. The test
 * methods and their assertions of the nested classes are inherited from {@link
 * GradientEstimatorContractTest} and {@link NoiseDistributionContractTest}; this class asserts that
 * every registered provider has one, so a new provider without a contract test fails here.
 */
class ProviderContractsTest {
    /** The provider names the nested classes cover. */
    private static final Set<String> ESTIMATORS = Set.of("imle", "aimle", "ste", "sfe", "sst", "gumbel-softmax");

    private static final Set<String> NOISES = Set.of("gumbel", "none", "sum-of-gamma");

    /** The Euler-Mascheroni constant: the mean of Gumbel(0, 1). */
    private static final double EULER_GAMMA = 0.5772156649015329;

    private static <P extends NamedProvider> Set<String> registered(Class<P> type) {
        return ServiceLoader.load(type, ProviderContractsTest.class.getClassLoader()).stream()
                .map(p -> p.get().name())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static <P extends NamedProvider> P provider(Class<P> type, String name) {
        return ServiceLoader.load(type, ProviderContractsTest.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("no " + type.getSimpleName() + " named '" + name + "'"));
    }

    @Test
    void everyRegisteredEstimatorHasAContractTest() {
        assertEquals(new TreeSet<>(ESTIMATORS), registered(GradientEstimatorProvider.class));
    }

    @Test
    void everyRegisteredNoiseHasAContractTest() {
        assertEquals(new TreeSet<>(NOISES), registered(NoiseDistributionProvider.class));
    }

    /** An estimator created by its provider, over top-1 (a categorical) with Gumbel noise. */
    abstract class ProvidedEstimator extends GradientEstimatorContractTest {
        private final String name;
        private final Map<String, ?> config;

        ProvidedEstimator(String name, Map<String, ?> config) {
            this.name = name;
            this.config = config;
        }

        @Override
        protected GradientEstimator createEstimator() {
            return provider(GradientEstimatorProvider.class, name).create(Config.of(config));
        }

        @Override
        protected MapSolver solver() {
            return new TopKSolver(1);
        }

        @Override
        protected NoiseDistribution noise() {
            return provider(NoiseDistributionProvider.class, "gumbel").create(Config.empty());
        }
    }

    /** The test methods and their assertions are inherited from {@link GradientEstimatorContractTest}. */
    @Nested
    class Imle extends ProvidedEstimator {
        Imle() {
            super("imle", Map.of());
        }
    }

    /** The test methods and their assertions are inherited from {@link GradientEstimatorContractTest}. */
    @Nested
    class ImleCentral extends ProvidedEstimator {
        ImleCentral() {
            super("imle", Map.of("difference", "central"));
        }
    }

    /** The test methods and their assertions are inherited from {@link GradientEstimatorContractTest}. */
    @Nested
    class Aimle extends ProvidedEstimator {
        Aimle() {
            super("aimle", Map.of());
        }
    }

    /** The test methods and their assertions are inherited from {@link GradientEstimatorContractTest}. */
    @Nested
    class AimleCentral extends ProvidedEstimator {
        AimleCentral() {
            super("aimle", Map.of("difference", "central"));
        }
    }

    /** The test methods and their assertions are inherited from {@link GradientEstimatorContractTest}. */
    @Nested
    class Sfe extends ProvidedEstimator {
        Sfe() {
            super("sfe", Map.of());
        }
    }

    /** The test methods and their assertions are inherited from {@link GradientEstimatorContractTest}. */
    @Nested
    class Sst extends ProvidedEstimator {
        Sst() {
            super("sst", Map.of());
        }
    }

    /**
     * The straight-through estimator passes {@code dL/dz} through whatever the solver does, so the
     * contract's zero-gradient check is replaced by that property; the other test methods and their
     * assertions are inherited from {@link GradientEstimatorContractTest}.
     */
    @Nested
    class Ste extends ProvidedEstimator {
        Ste() {
            super("ste", Map.of());
        }

        /** Replaced by {@link #passesTheDownstreamGradientThroughWhateverTheSolver()}: STE never calls the solver backwards. */
        @Override
        protected void zeroWhereTheMapStateCannotChange() {}

        @Test
        void passesTheDownstreamGradientThroughWhateverTheSolver() {
            // S = 2 samples of 2 instances: the estimate is the mean of each instance's two rows of dy
            NDArray theta = manager.create(new float[] {0.5f, -1f, 2f, 0f, 1f, 3f}, new Shape(2, 3));
            GradientEstimator ste = createEstimator();
            Sample s = ste.forward(theta, Perturbation.of(solver(), noise(), 2), new SplittableRandom(3));
            float[] dy = {1, 2, 3, 4, 5, 6, -1, -2, -3, 7, 8, 9};
            NDArray g = ste.backward(s, Downstream.ofGradient(manager.create(dy, new Shape(4, 3))));
            assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f, 3f, 3f, 3f}, g.toFloatArray(), 0f, "seed 3");
        }
    }

    /**
     * The Gumbel-softmax relaxation never calls the solver (its gradient is the softmax Jacobian), so
     * the contract's zero-gradient check does not apply; the other test methods and their assertions
     * are inherited from {@link GradientEstimatorContractTest}.
     */
    @Nested
    class GumbelSoftmax extends ProvidedEstimator {
        GumbelSoftmax() {
            super("gumbel-softmax", Map.of());
        }

        /** Switched off: the relaxation's gradient does not go through the MAP state at all. */
        @Override
        protected void zeroWhereTheMapStateCannotChange() {}
    }

    /** A noise created by its provider, with its closed-form moments. */
    abstract class ProvidedNoise extends NoiseDistributionContractTest {
        private final String name;
        private final Map<String, ?> config;
        private final double mean;
        private final double variance;

        ProvidedNoise(String name, Map<String, ?> config, double mean, double variance) {
            this.name = name;
            this.config = config;
            this.mean = mean;
            this.variance = variance;
        }

        @Override
        protected NoiseDistribution createNoise() {
            return provider(NoiseDistributionProvider.class, name).create(Config.of(config));
        }

        @Override
        protected double expectedMean() {
            return mean;
        }

        @Override
        protected double expectedVariance() {
            return variance;
        }
    }

    /** Gumbel(0, 1): mean the Euler-Mascheroni constant, variance pi^2 / 6. */
    private static final double GUMBEL_VARIANCE = Math.PI * Math.PI / 6;

    /**
     * Sum-of-Gamma(k, s) = (sum_{i=1..s} Gamma(1/k, rate i/k) - log s) / k: each term has mean 1/i
     * and variance k/i^2, so the mean is (H_s - log s) / k and the variance (sum_{i=1..s} 1/i^2) / k.
     */
    private static double[] sumOfGammaMoments(int k, int s) {
        double harmonic = 0;
        double squares = 0;
        for (int i = 1; i <= s; i++) {
            harmonic += 1.0 / i;
            squares += 1.0 / ((double) i * i);
        }
        return new double[] {(harmonic - Math.log(s)) / k, squares / k};
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class Gumbel extends ProvidedNoise {
        Gumbel() {
            super("gumbel", Map.of(), EULER_GAMMA, GUMBEL_VARIANCE);
        }
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class GumbelOnTheHost extends ProvidedNoise {
        GumbelOnTheHost() {
            super("gumbel", Map.of("placement", "host"), EULER_GAMMA, GUMBEL_VARIANCE);
        }
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class GumbelOnTheEngine extends ProvidedNoise {
        GumbelOnTheEngine() {
            super("gumbel", Map.of("placement", "engine"), EULER_GAMMA, GUMBEL_VARIANCE);
        }
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class None extends ProvidedNoise {
        None() {
            super("none", Map.of(), 0, 0);
        }
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class SumOfGamma extends ProvidedNoise {
        SumOfGamma() {
            super("sum-of-gamma", Map.of("k", 5), sumOfGammaMoments(5, 10)[0], sumOfGammaMoments(5, 10)[1]);
        }
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class SumOfGammaOnTheHost extends ProvidedNoise {
        SumOfGammaOnTheHost() {
            super(
                    "sum-of-gamma",
                    Map.of("k", 3, "s", 20, "placement", "host"),
                    sumOfGammaMoments(3, 20)[0],
                    sumOfGammaMoments(3, 20)[1]);
        }
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class SumOfGammaOnTheEngine extends ProvidedNoise {
        SumOfGammaOnTheEngine() {
            super(
                    "sum-of-gamma",
                    Map.of("k", 3, "placement", "engine"),
                    sumOfGammaMoments(3, 10)[0],
                    sumOfGammaMoments(3, 10)[1]);
        }
    }
}
