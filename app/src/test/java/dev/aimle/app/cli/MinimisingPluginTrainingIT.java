package dev.aimle.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.app.plugins.PluginLoader;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteSample;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.runtime.MapSolvers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * AIMLE trains through a minimising solver loaded from its plugin jar, as the app loads it: the
 * shortest path on a 4 x 4 grid (4 neighbours), costs theta learned so that the cheapest path becomes
 * a target path under the Hamming loss. The first step moves the costs the way a minimiser needs
 * (lower on the target's cells the path misses, higher on the path's cells the target avoids), AIMLE
 * counts its target per instance (the unit the solver declares), and a few steps reach the target.
 */
class MinimisingPluginTrainingIT {

    @Test
    void aimleLearnsCostsWhoseCheapestPathIsTheTarget() {
        String dir = System.getProperty("aimle.plugins.built");
        assertNotNull(dir, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
        try (Discovery discovery = PluginLoader.forApp().load(Path.of(dir));
                NDManager manager = NDManager.newBaseManager()) {
            MapSolver solver = MapSolvers.create(
                    discovery.solvers(),
                    "aimle-shortestpath:shortest-path",
                    Config.of("neighbourhood", 4),
                    MapSolvers.Guard.defaults());
            assertEquals(MapSolver.Sense.MINIMISE, solver.sense());
            Aimle aimle = Estimators.aimle().central().alpha0(1).build();
            DiscreteLayer layer = DiscreteLayer.builder()
                    .solver(solver)
                    .noise(Noise.none())
                    .estimator(aimle)
                    .seed(3)
                    .build();
            // equal costs: the tie rule's path runs along the top row, then down the last column
            float[] start = new float[16];
            java.util.Arrays.fill(start, 1f);
            float[] along = {1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
            // the target: down the first column, then along the bottom row
            float[] target = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
            Shape shape = new Shape(1, 4, 4);
            NDArray theta = manager.create(start, shape);
            assertArrayEquals(along, layer.map(theta).toFloatArray(), 0f, "the path before training");
            NDArray goal = manager.create(target, shape);
            int steps = 0;
            float[] path;
            do {
                theta.setRequiresGradient(true);
                float[] before = theta.toFloatArray();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    DiscreteSample z = layer.sample(theta);
                    NDArray loss = z.values().sub(goal).square().sum(); // Hamming distance on {0,1}
                    layer.backward(gc, loss, z);
                }
                float[] gradient = theta.getGradient().toFloatArray();
                if (steps == 0) {
                    for (int i = 0; i < 16; i++) {
                        // descent lowers the costs of cells the target wants and the path misses
                        if (target[i] == 1f && along[i] == 0f) {
                            assertTrue(gradient[i] > 0, "cell " + i + ": gradient " + gradient[i]);
                        } else if (target[i] == 0f && along[i] == 1f) {
                            assertTrue(gradient[i] < 0, "cell " + i + ": gradient " + gradient[i]);
                        }
                    }
                }
                NDArray next = theta.stopGradient().sub(Scalars.mul(theta.getGradient(), 0.5));
                theta = manager.create(next.toFloatArray(), shape);
                assertTrue(!java.util.Arrays.equals(before, theta.toFloatArray()), "step " + steps + " moved theta");
                steps++;
                path = layer.map(theta).toFloatArray();
            } while (!java.util.Arrays.equals(path, target) && steps < 20);
            assertArrayEquals(target, path, 0f, "the cheapest path after " + steps + " AIMLE steps");
            assertTrue(aimle.toString().contains("per solver"), aimle.toString());
            // one instance of 16 cells: per instance, the moving average counts every changed cell
            assertTrue(aimle.gbar() > 1, "gbar per instance " + aimle.gbar());
        }
    }
}
