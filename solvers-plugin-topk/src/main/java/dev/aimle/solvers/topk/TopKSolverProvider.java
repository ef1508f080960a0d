package dev.aimle.solvers.topk;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import java.util.Set;

/**
 * Provides {@link TopKSolver} under the name {@code topk}. Parameters: {@code k} (integer, at least
 * 1, default 1) and {@code path} ({@code tensor}, {@code host} or {@code auto}, default
 * {@link TopKSolver#DEFAULT_PATH}); any other key is rejected.
 */
public final class TopKSolverProvider implements MapSolverProvider {
    /** The parameter holding the number of ones per row. */
    public static final String K = "k";

    /** The parameter selecting where the solver computes. */
    public static final String PATH = "path";

    /** Needed by {@link java.util.ServiceLoader}. */
    public TopKSolverProvider() {}

    @Override
    public String name() {
        return TopKSolver.NAME;
    }

    @Override
    public String description() {
        return "k-subset MAP: the k largest scores of each row of the last axis set to 1 (argmax when"
                + " k = 1), ties to the lower index; parameters: k (integer >= 1, default 1), path"
                + " (tensor|host|auto, default "
                + TopKSolver.DEFAULT_PATH.configName()
                + ": host on the CPU, tensor elsewhere)";
    }

    /**
     * A {@link TopKSolver}.
     *
     * @throws IllegalArgumentException on an unknown key, a non-integer or non-positive k, or an
     *     unknown path
     */
    @Override
    public MapSolver create(Config config) {
        config.requireOnly("solver '" + TopKSolver.NAME + "'", Set.of(K, PATH));
        int k = config.getInt(K, 1);
        TopKSolver.Path path =
                config.has(PATH) ? TopKSolver.Path.fromConfigName(config.getString(PATH)) : TopKSolver.DEFAULT_PATH;
        return new TopKSolver(k, path);
    }
}
