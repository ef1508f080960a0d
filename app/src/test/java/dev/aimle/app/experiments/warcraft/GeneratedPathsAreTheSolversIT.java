package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.app.plugins.BuiltPlugins;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator's true paths are literally the experiment's solver's paths on the true costs: the
 * shortest-path plugin, loaded from its jar as the app loads it, returns every generated true path
 * on the same costs, so a model that predicted the true costs would score 100 % perfect match. On
 * the default set's first 1,000 training maps (seed 42) the earlier generator, which summed path
 * costs in double, disagreed with the plugin on 74 maps (equal-cost paths, different ties).
 */
class GeneratedPathsAreTheSolversIT {

    @Test
    void everyTruePathIsThePluginSolversPathOnTheTrueCosts() {
        MapSolver solver = BuiltPlugins.solver("shortest-path", "neighbourhood", 8);
        WarcraftGenerator generator = new WarcraftGenerator(12, 8, 42);
        int cells = 144;
        for (String name : WarcraftGenerator.SPLITS) {
            int count = name.equals("train") ? 1000 : 200;
            WarcraftSplit split = generator.generate(name, count, 2, n -> {});
            float[] solved;
            try (NDManager scratch = NDManager.newBaseManager()) {
                solved = solver.solveOnHost(split.weights(), new Shape(count, 12, 12), scratch);
            }
            List<Integer> differing = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                if (!Arrays.equals(split.paths(), n * cells, (n + 1) * cells, solved, n * cells, (n + 1) * cells)) {
                    differing.add(n);
                }
            }
            assertEquals(List.of(), differing, name + " maps (seed 42) whose true path is not the solver's");
        }
    }
}
