package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import dev.aimle.app.plugins.BuiltPlugins;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Masking: a padded position is never selected, by any method, in training (samples or relaxed
 * weights exactly 0 there) or in evaluation (the top-k state), including reviews shorter than k,
 * where the k positions closest to the end are open. Over the built top-k plugin (SST needs its
 * k-subset distribution).
 */
class L2xMaskingIT {
    private static final int K = 10;
    private static final int LENGTH = 60;

    @Test
    void shortReviewsOpenExactlyKPositions() {
        L2xData data = L2xData.generated(
                new RationaleTask(RationaleTask.Design.PLANTED, 20, 2, 2, 4, 3), BeerAspect.AROMA, LENGTH, 0, 0);
        boolean[] open = data.selectable(new int[] {4, 40}, new int[] {0, 1}, K);
        int first = 0;
        int second = 0;
        for (int i = 0; i < LENGTH; i++) {
            first += open[i] ? 1 : 0;
            second += open[LENGTH + i] ? 1 : 0;
            assertEquals(i >= LENGTH - K, open[i], "a 4-token review opens the last k positions, at " + i);
        }
        assertEquals(K, first);
        assertEquals(40, second);
    }

    @ParameterizedTest
    @EnumSource(L2xMethod.class)
    void paddingIsNeverSelected(L2xMethod method) throws IOException {
        L2xSpec spec = new L2xSpec(
                method,
                K,
                1.0,
                method.usesLambda() ? 100 : 0,
                false,
                "sog",
                0,
                1,
                8,
                1e-3,
                BeerAspect.AROMA,
                L2xSpec.GENERATED,
                new RationaleTask(RationaleTask.Design.PLANTED, 16, 2, 2, 6, 11),
                LENGTH,
                8,
                4,
                0);
        L2xData data = L2xSession.data(spec);
        int[] index = {0, 1, 2, 3, 4, 5, 6, 7};
        // review 0 cut to 5 tokens: fewer than k
        data.train().lengths()[0] = 5;
        boolean[] open = data.selectable(data.train().lengths(), index, K);
        L2xSession.Selector selector = L2xSession.selector(spec, BuiltPlugins.solver("topk", "k", K));
        try (Model model = Model.newInstance("masking")) {
            L2xModel block = L2xSession.model(spec, selector.block());
            model.setBlock(block);
            Engine.getInstance().setRandomSeed(3);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(8, LENGTH, 6), new Shape(8, LENGTH));
            DefaultTrainingConfig config = new DefaultTrainingConfig(new L2xModel.SquaredError())
                    .optOptimizer(Optimizer.adam().build());
            try (Trainer trainer = selector.estimator() == null && !method.fixed()
                    ? model.newTrainer(config)
                    : new DiscreteTrainer(model, config)) {
                for (int step = 0; step < 3; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDList inputs = L2xSession.inputs(scope, spec, data, data.train(), index);
                        float[] z;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(inputs);
                            z = out.get(1).toFloatArray();
                            gc.backward(out.get(0).sum());
                        }
                        trainer.step();
                        check(method + " training step " + step, z, open, false);
                        check(
                                method + " evaluation",
                                trainer.evaluate(inputs).get(1).toFloatArray(),
                                open,
                                true);
                    }
                }
            }
        }
    }

    private static void check(String what, float[] z, boolean[] open, boolean exactlyK) {
        for (int r = 0; r < z.length / LENGTH; r++) {
            double total = 0;
            for (int i = 0; i < LENGTH; i++) {
                float v = z[r * LENGTH + i];
                if (!open[r * LENGTH + i]) {
                    assertEquals(0f, v, String.format(Locale.ROOT, "%s: review %d, padded position %d", what, r, i));
                }
                total += v;
            }
            if (exactlyK) {
                assertEquals(K, total, 1e-6, what + ": k positions in review " + r);
            } else {
                assertTrue(total > 0, what + ": something selected in review " + r);
            }
        }
    }
}
