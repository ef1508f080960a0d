package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.runtime.MapSolvers;
import dev.aimle.runtime.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An empty batch gives an empty result in every estimator and difference, through the checked
 * solver the app uses: a gradient of theta's shape {@code [0, n]}, never an exception.
 */
class EmptyBatchTest {

    @Test
    void everyEstimatorTurnsAnEmptyBatchIntoAnEmptyGradient() {
        List<String> tried = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            var solver = MapSolvers.create(
                    CategoricalArgmax.solvers(), "topk", Config.of("k", 1), MapSolvers.Guard.defaults());
            var noise = CategoricalArgmax.noises().get("gumbel").create(Config.empty());
            for (ProviderRegistry.Entry<GradientEstimatorProvider> e :
                    CategoricalArgmax.estimators().entries()) {
                for (Config config : List.of(
                        Config.empty(), Config.of("difference", "central"), Config.of("difference", "forward"))) {
                    GradientEstimator estimator;
                    try {
                        estimator = e.provider().create(config);
                    } catch (IllegalArgumentException notThisEstimatorsOption) {
                        continue;
                    }
                    String what = e.name() + " " + config;
                    tried.add(what);
                    NDArray theta = manager.zeros(new Shape(0, 5), DataType.FLOAT32);
                    Sample sample =
                            estimator.forward(theta, Perturbation.of(solver, noise, 3), new SplittableRandom(7));
                    assertEquals(new Shape(0, 5), sample.z().getShape(), what);
                    NDArray dy = manager.zeros(sample.z().getShape(), DataType.FLOAT32);
                    NDArray loss = manager.zeros(new Shape(0), DataType.FLOAT32);
                    NDArray gradient = estimator.backward(sample, new Downstream(dy, loss));
                    assertEquals(new Shape(0, 5), gradient.getShape(), what);
                }
            }
        }
        assertFalse(tried.isEmpty(), "no estimator on the class path");
        assertEquals(true, tried.stream().anyMatch(t -> t.startsWith("imle {difference=central}")), tried.toString());
    }
}
