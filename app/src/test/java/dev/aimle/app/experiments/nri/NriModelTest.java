package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NriModelTest {
    private static final int N = NriSpec.VERTICES;

    static NriSpec spec(NriMethod method, int timesteps, int iterations, int evalEvery) {
        return new NriSpec(
                method,
                timesteps,
                method.usesLambda() ? 10 : 0,
                0.5,
                1.0,
                0.1,
                7,
                iterations,
                evalEvery,
                8,
                5e-4,
                timesteps - 1,
                16,
                5e-5,
                "unused",
                0,
                0);
    }

    @Test
    void indexConventionsMatchTheAdjacencyMatrix() {
        Set<Integer> directed = new HashSet<>();
        Set<Integer> undirected = new HashSet<>();
        int expectedUndirected = 0;
        for (int a = 0; a < N; a++) {
            for (int b = 0; b < N; b++) {
                if (a != b) {
                    directed.add(NriGraph.directed(N, a, b));
                }
                if (a < b) {
                    // row-major upper triangle, the spanning-tree plugin's order
                    assertEquals(expectedUndirected++, NriGraph.undirected(N, a, b));
                    assertEquals(NriGraph.undirected(N, a, b), NriGraph.undirected(N, b, a));
                }
            }
        }
        assertEquals(90, directed.size());
        assertEquals(0, NriGraph.directed(N, 0, 1));
        assertEquals(9, NriGraph.directed(N, 1, 0));
        assertEquals(89, NriGraph.directed(N, 9, 8));
        assertThrows(IllegalArgumentException.class, () -> NriGraph.directed(N, 3, 3));
        try (NDManager m = NDManager.newBaseManager()) {
            // symmetrising: the mean of both directions; copying back: both directions get the value
            float[] logits = new float[90];
            for (int d = 0; d < 90; d++) {
                logits[d] = d;
            }
            NDArray dirs = NriGraph.directions(m, N);
            float[] theta = Scalars.div(m.create(logits, new Shape(1, 90)).matMul(dirs), 2)
                    .toFloatArray();
            assertEquals(
                    (NriGraph.directed(N, 2, 5) + NriGraph.directed(N, 5, 2)) / 2f,
                    theta[NriGraph.undirected(N, 2, 5)]);
            float[] back =
                    m.create(theta, new Shape(1, 45)).matMul(dirs.transpose()).toFloatArray();
            assertEquals(theta[NriGraph.undirected(N, 7, 1)], back[NriGraph.directed(N, 1, 7)]);
            assertEquals(theta[NriGraph.undirected(N, 7, 1)], back[NriGraph.directed(N, 7, 1)]);
        }
    }

    @Test
    void lossIsTheHandComputedNegativeElbo() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one trajectory, T = 2: the prediction of time 1 is off by 0.01 in one coordinate only
            float[] x = new float[N * 2 * 2];
            float[] prediction = new float[N * 2];
            x[(3 * 2 + 1) * 2 + 1] = 0.5f; // vertex 3, t = 1, y
            prediction[3 * 2 + 1] = 0.49f;
            float[] theta = new float[45];
            theta[0] = 1f;
            theta[1] = -0.5f;
            NriLoss loss = new NriLoss(5e-5);
            NDArray value = loss.evaluate(
                    new NDList(m.create(x, new Shape(1, N, 2, 2))),
                    new NDList(m.create(prediction, new Shape(1, N, 1, 2)), m.create(theta, new Shape(1, 45))));
            double nll = 0.01 * 0.01 / (2 * 5e-5) / N;
            // u + exp(-u) - 1 over 90 directed logits (each undirected score twice), divided by n
            double kl = 2 * ((1 + Math.exp(-1) - 1) + (-0.5 + Math.exp(0.5) - 1)) / N;
            assertEquals(nll + kl, value.getFloat(), 1e-4 * (nll + kl));
        }
    }

    @Test
    void decoderStartsOnlyWhereAPredictionIsKept() {
        // the reference runs ceil(T / steps) starting points and keeps the first T - 1 predictions;
        // the model runs ceil((T - 1) / steps): the kept predictions must be the same
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NriModel.Decoder decoder = new NriModel.Decoder(2, 8, N);
            decoder.initialize(m, DataType.FLOAT32, new Shape(1, 1, N, 2));
            ParameterStore ps = new ParameterStore(m, false);
            for (int[] ts : new int[][] {{10, 9}, {20, 10}, {6, 2}, {5, 1}}) {
                int t = ts[0];
                int steps = ts[1];
                NDArray x = m.randomNormal(new Shape(2, N, t, 2));
                float[] z = new float[2 * 90];
                for (int i = 0; i < z.length; i += 7) {
                    z[i] = 1;
                }
                NDArray edges = m.create(z, new Shape(2, 90));
                float[] ours = decoder.predict(ps, x, edges, steps, false).toFloatArray();
                float[] reference = referencePrediction(decoder, ps, x, edges, steps, t);
                assertArrayEquals(reference, ours, 1e-5f, "T = " + t + ", steps = " + steps);
            }
        }
    }

    /** The reference's assembly: every steps-th time step of all T as a start, predictions past T-1 dropped. */
    private static float[] referencePrediction(
            NriModel.Decoder decoder, ParameterStore ps, NDArray x, NDArray edges, int steps, int t) {
        int b = (int) x.getShape().get(0);
        float[] out = new float[b * N * (t - 1) * 2];
        for (int start = 0; start < t; start += steps) {
            // one starting point alone: T' = start + steps + 1 time steps beginning at start
            int length = Math.min(t - start, steps + 1);
            NDArray window = x.get(":, :, {}:{}", start, start + length);
            NDArray padded = window;
            if (length < steps + 1) {
                padded = window.concat(window.getManager().zeros(new Shape(b, N, steps + 1 - length, 2)), 2);
            }
            float[] p = decoder.predict(ps, padded, edges, steps, false).toFloatArray();
            for (int e = 0; e < b; e++) {
                for (int v = 0; v < N; v++) {
                    for (int i = 0; i < steps && start + i < t - 1; i++) {
                        for (int c = 0; c < 2; c++) {
                            out[((e * N + v) * (t - 1) + start + i) * 2 + c] = p[((e * N + v) * steps + i) * 2 + c];
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void trainingLowersTheLossAndEvaluationUsesTheMapTree() {
        NriSpec spec = spec(NriMethod.AIMLE_CENTRAL, 6, 40, 20);
        NriData data = NriFixtures.data(64, 16, 16, 6, 1);
        NriLoss loss = new NriLoss(spec.variance());
        try (Model holder = Model.newInstance("nri-test")) {
            NriModel model = NriExperiment.model(spec, new PrimTrees(), holder);
            try (Trainer trainer = new DiscreteTrainer(
                    holder,
                    new DefaultTrainingConfig(new Steps.Recording(loss)).optOptimizer(new ResumableAdam(1e-3f)))) {
                NriSession.Evaluation before = NriSession.evaluate(trainer, loss, data.valid(), 6);
                double first = 0;
                double last = 0;
                for (int i = 0; i < 60; i++) {
                    int from = (i % 8) * 8;
                    double l;
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray batch = data.train().batch(scope, from, 8, 6);
                        l = Steps.train(trainer, Steps.batch(scope, new NDList(batch), new NDList(batch)));
                    }
                    if (i < 8) {
                        first += l / 8;
                    }
                    if (i >= 52) {
                        last += l / 8;
                    }
                }
                NriSession.Evaluation after = NriSession.evaluate(trainer, loss, data.valid(), 6);
                assertTrue(last < first, "loss " + first + " -> " + last);
                assertTrue(after.elbo() > before.elbo(), "validation ELBO " + before.elbo() + " -> " + after.elbo());
                assertTrue(after.precision() >= 0 && after.precision() <= 1, "precision " + after.precision());
                // evaluation draws nothing: twice the same numbers
                assertEquals(after, NriSession.evaluate(trainer, loss, data.valid(), 6));
                assertTrue(Double.isNaN(after.sampledPrecision()), "no perturbed trees without a solver");
                // the reference's edge metrics on Gumbel-perturbed trees: the MAP numbers unchanged, the
                // same seed the same trees, another seed other trees, the layer's own stream untouched
                long draws = model.layer().state().draws();
                NriSession.Evaluation sampled = NriSession.evaluate(trainer, loss, data.valid(), 6, new PrimTrees(), 5);
                assertEquals(after.elbo(), sampled.elbo());
                assertEquals(after.precision(), sampled.precision());
                assertEquals(after.recall(), sampled.recall());
                assertTrue(
                        sampled.sampledPrecision() >= 0 && sampled.sampledPrecision() <= 1,
                        "perturbed precision " + sampled.sampledPrecision());
                assertEquals(sampled, NriSession.evaluate(trainer, loss, data.valid(), 6, new PrimTrees(), 5));
                assertNotEquals(
                        sampled.sampledRecall(),
                        NriSession.evaluate(trainer, loss, data.valid(), 6, new PrimTrees(), 6)
                                .sampledRecall(),
                        "seeds 5 and 6 perturb differently");
                assertEquals(draws, model.layer().state().draws(), "evaluation draws from its own generator");
                NDArray x = data.valid().batch(trainer.getManager(), 0, 4, 6);
                NDList out = trainer.evaluate(new NDList(x));
                NDArray map = model.layer().map(out.get(1));
                assertArrayEquals(map.toFloatArray(), out.get(2).toFloatArray());
                assertEquals(new Shape(4, N, 5, 2), out.get(0).getShape());
            }
        }
    }

    @Test
    void edgeMetricsReadTheTreeBothWays() {
        // 45 edges; truth {0, 1, 2}; prediction {0, 3, 4}: 1 true positive of 3 predicted, 3 true
        byte[] truth = new byte[45];
        truth[0] = truth[1] = truth[2] = 1;
        float[] predicted = new float[45];
        predicted[0] = predicted[3] = predicted[4] = 1;
        double[] m = NriSession.metrics(predicted, 0, truth, 0, 45);
        assertEquals(1 / 3.0, m[0], 1e-12);
        assertEquals(1 / 3.0, m[1], 1e-12);
        // the complement predicts 42 edges, 2 of them true
        assertEquals(2 / 42.0, m[2], 1e-12);
        assertEquals(2 / 3.0, m[3], 1e-12);
    }
}
