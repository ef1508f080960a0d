package dev.aimle.solvers.spanningtree;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Provides {@link SpanningTreeSolver} under the name {@code "spanning-tree"}. Parameters:
 * {@code algorithm} (one of {@link SpanningTreeSolver.Algorithm#knownNames()}, default
 * {@link SpanningTreeSolver#DEFAULT_ALGORITHM}) and {@code parallelism} (instances solved at once,
 * default the number of processors). Unknown parameters are rejected.
 */
public final class SpanningTreeSolverProvider implements MapSolverProvider {
    /** The configuration key of the algorithm. */
    public static final String ALGORITHM = "algorithm";

    /** The configuration key of the parallelism. */
    public static final String PARALLELISM = "parallelism";

    /** Required by {@link java.util.ServiceLoader}. */
    public SpanningTreeSolverProvider() {}

    @Override
    public String name() {
        return SpanningTreeSolver.NAME;
    }

    @Override
    public String description() {
        return "maximum-weight spanning tree of the complete graph on m nodes; theta [B, m(m-1)/2], "
                + "one score per edge in row-major upper-triangle order (0,1),(0,2),...,(1,2),...; "
                + "ties to the lower edge index. Parameters: algorithm="
                + Arrays.stream(SpanningTreeSolver.Algorithm.values())
                        .map(SpanningTreeSolver.Algorithm::configName)
                        .collect(Collectors.joining("|"))
                + " (default " + SpanningTreeSolver.DEFAULT_ALGORITHM.configName()
                + "), parallelism=N (default: number of processors)";
    }

    @Override
    public MapSolver create(Config config) {
        config.requireOnly("solver '" + name() + "'", Set.of(ALGORITHM, PARALLELISM));
        SpanningTreeSolver.Algorithm algorithm = SpanningTreeSolver.Algorithm.fromConfigName(
                config.getString(ALGORITHM, SpanningTreeSolver.DEFAULT_ALGORITHM.configName()));
        int parallelism = config.getInt(PARALLELISM, Runtime.getRuntime().availableProcessors());
        return new SpanningTreeSolver(algorithm, parallelism);
    }

    @Override
    public String toString() {
        return "SpanningTreeSolverProvider[" + name() + "]";
    }
}
