package dev.aimle.app.experiments.nri;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.noise.Noise;
import java.util.List;

/**
 * The NRI experiment's settings and model assembly, shared by its runs, the sweep command and the
 * bench. The defaults are the reference's (EdinburghNLP/torch-adaptive-imle, {@code cli/nri-cli.py}
 * and the commands of its best runs): batch 128, hidden 256, variance 5e-5, Adam at 5e-4 halved
 * every 200 epochs, an evaluation every 500 steps, 50,000 steps, 9 prediction steps at T = 10 and
 * 10 at T = 20, Sum-of-Gamma noise (k = 10 vertices, 10 terms) at temperature 1, SST at temperature
 * 0.1 with Gumbel noise.
 */
public final class NriExperiment {
    /** The reference's training steps. */
    public static final int REFERENCE_ITERATIONS = 50_000;

    private NriExperiment() {}

    /** A run with the reference's settings, on data in {@code "data"}, all of it. */
    public static NriSpec defaults(NriMethod method, int timesteps, double lambda, long seed) {
        return new NriSpec(
                method,
                timesteps,
                lambda,
                0.5,
                1.0,
                0.1,
                seed,
                REFERENCE_ITERATIONS,
                500,
                128,
                5e-4,
                timesteps >= 20 ? 10 : timesteps - 1,
                256,
                5e-5,
                "data",
                0,
                0);
    }

    /** Every method, in Table 2's order (STE last). */
    public static List<NriMethod> methods() {
        return List.of(NriMethod.values());
    }

    /** The discrete layer of a run: the spanning-tree solver, the method's noise and estimator. */
    public static DiscreteLayer layer(NriSpec spec, MapSolver solver) {
        double temperature = spec.method().gumbelNoise() ? 1 : spec.noiseTemperature();
        return DiscreteLayer.builder()
                .solver(solver)
                .noise(spec.method().gumbelNoise() ? Noise.gumbel() : Noise.sumOfGamma(NriSpec.VERTICES, 10))
                .inputTemperature(temperature)
                .targetTemperature(temperature)
                .estimator(spec.method().create(spec))
                .samples(1)
                .seed(spec.seed())
                .build();
    }

    /** The model of a run, set on {@code holder} and initialised with the run's seed. */
    public static NriModel model(NriSpec spec, MapSolver solver, Model holder) {
        NriModel model = new NriModel(
                layer(spec, solver),
                NriSpec.VERTICES,
                spec.timesteps(),
                NriSpec.DIMS,
                spec.hidden(),
                spec.predictionSteps());
        holder.setBlock(model);
        Engine.getInstance().setRandomSeed((int) spec.seed());
        model.initialize(
                holder.getNDManager(),
                DataType.FLOAT32,
                new Shape(spec.batchSize(), NriSpec.VERTICES, spec.timesteps(), NriSpec.DIMS));
        return model;
    }
}
