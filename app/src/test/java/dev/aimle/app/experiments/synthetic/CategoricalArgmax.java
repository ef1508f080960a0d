package dev.aimle.app.experiments.synthetic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.api.TractableDistribution;
import dev.aimle.runtime.ProviderRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A test stand-in for the top-1 plugin (which unit tests do not see: plugins reach the app only
 * through the plugins directory): argmax with lower-index ties, and the categorical distribution
 * softmax(theta) for the score-function estimator. Registered as {@code topk}.
 */
final class CategoricalArgmax implements MapSolver, TractableDistribution {

    @Override
    public NDArray solve(NDArray theta) {
        float[] scores = theta.toFloatArray();
        int n = (int) theta.getShape().get(1);
        float[] z = new float[scores.length];
        for (int row = 0; row < scores.length / n; row++) {
            int best = row * n;
            for (int j = row * n + 1; j < (row + 1) * n; j++) {
                if (scores[j] > scores[best]) {
                    best = j;
                }
            }
            z[best] = 1f;
        }
        return theta.getManager().create(z, theta.getShape());
    }

    @Override
    public String name() {
        return "topk";
    }

    @Override
    public Optional<TractableDistribution> distribution() {
        return Optional.of(this);
    }

    @Override
    public NDArray logPartition(NDArray theta) {
        return theta.toType(DataType.FLOAT32, false).exp().sum(new int[] {1}).log();
    }

    @Override
    public NDArray marginals(NDArray theta) {
        return theta.softmax(1);
    }

    @Override
    public NDArray sample(NDArray theta, RandomGenerator random) {
        float[] p;
        try (NDManager scope = theta.getManager().newSubManager()) {
            NDArray probabilities = theta.softmax(1);
            probabilities.attach(scope);
            p = probabilities.toFloatArray();
        }
        int n = (int) theta.getShape().get(1);
        float[] z = new float[p.length];
        for (int row = 0; row < p.length / n; row++) {
            double u = random.nextDouble();
            int chosen = (row + 1) * n - 1;
            double cumulative = 0;
            for (int j = row * n; j < (row + 1) * n; j++) {
                cumulative += p[j];
                if (u < cumulative) {
                    chosen = j;
                    break;
                }
            }
            z[chosen] = 1f;
        }
        return theta.getManager().create(z, theta.getShape());
    }

    /** The solver registry of the tests: {@code topk} is this argmax. */
    static ProviderRegistry<MapSolverProvider> solvers() {
        MapSolverProvider provider = new MapSolverProvider() {
            @Override
            public String name() {
                return "topk";
            }

            @Override
            public String description() {
                return "test argmax";
            }

            @Override
            public MapSolver create(Config config) {
                config.requireOnly("test solver", Set.of("k"));
                if (config.getInt("k") != 1) {
                    throw new IllegalArgumentException("the test solver supports k = 1 only");
                }
                return new CategoricalArgmax();
            }
        };
        return ProviderRegistry.builder("map solver", MapSolverProvider.class)
                .add(provider, "test")
                .build();
    }

    /** The noise distributions on the class path. */
    static ProviderRegistry<NoiseDistributionProvider> noises() {
        return ProviderRegistry.fromClasspath(
                "noise distribution", NoiseDistributionProvider.class, CategoricalArgmax.class.getClassLoader());
    }

    /** The estimators on the class path. */
    static ProviderRegistry<GradientEstimatorProvider> estimators() {
        return ProviderRegistry.fromClasspath(
                "gradient estimator", GradientEstimatorProvider.class, CategoricalArgmax.class.getClassLoader());
    }
}
