package dev.aimle.solvers.shortestpath;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import java.util.Set;

/**
 * Provides {@link ShortestPathSolver} under the name {@code "shortest-path"}. Parameters: {@code
 * neighbourhood} ({@code 8}, the default, or {@code 4}; also {@code 8-grid}, {@code 4-grid}), {@code
 * negative} ({@code clip}, the default, or {@code refuse}), {@code algorithm} ({@code dijkstra}, the
 * default, or {@code jgrapht}) and {@code parallelism} (instances solved at once, default the number
 * of processors). Unknown parameters are rejected.
 */
public final class ShortestPathSolverProvider implements MapSolverProvider {
    /** The configuration key of the neighbourhood. */
    public static final String NEIGHBOURHOOD = "neighbourhood";

    /** The configuration key of the policy for negative costs. */
    public static final String NEGATIVE = "negative";

    /** The configuration key of the algorithm. */
    public static final String ALGORITHM = "algorithm";

    /** The configuration key of the parallelism. */
    public static final String PARALLELISM = "parallelism";

    /** Required by {@link java.util.ServiceLoader}. */
    public ShortestPathSolverProvider() {}

    @Override
    public String name() {
        return ShortestPathSolver.NAME;
    }

    @Override
    public String description() {
        return "cheapest top-left to bottom-right path on a grid of vertex costs theta [B, H, W] (minimises; a path"
                + " costs the sum of all its cells, both ends included); ties as the reference's Dijkstra."
                + " Parameters: neighbourhood=8|4 (default 8), negative=clip|refuse (default clip: a negative"
                + " cost counts as 0, as the reference), algorithm=dijkstra|jgrapht (default dijkstra),"
                + " parallelism=N (default: number of processors)";
    }

    @Override
    public MapSolver create(Config config) {
        config.requireOnly("solver '" + name() + "'", Set.of(NEIGHBOURHOOD, NEGATIVE, ALGORITHM, PARALLELISM));
        return new ShortestPathSolver(
                Neighbourhood.fromConfigName(config.getString(NEIGHBOURHOOD, Neighbourhood.EIGHT.configName())),
                NegativeCosts.fromConfigName(config.getString(NEGATIVE, NegativeCosts.CLIP.configName())),
                ShortestPathSolver.Algorithm.fromConfigName(
                        config.getString(ALGORITHM, ShortestPathSolver.Algorithm.DIJKSTRA.configName())),
                config.getInt(PARALLELISM, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String toString() {
        return "ShortestPathSolverProvider[" + name() + "]";
    }
}
