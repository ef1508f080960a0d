package ${package};

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import java.util.Set;

/**
 * Makes the '${solverName}' solver. Registered in
 * {@code META-INF/services/dev.aimle.api.MapSolverProvider}; the app finds it in the plugin jar and
 * creates it only when a command asks for '${solverName}' (or '${pluginId}:${solverName}').
 */
public final class SolverProvider implements MapSolverProvider {

    /** The name users select this solver by. */
    public static final String NAME = "${solverName}";

    /** The service loader needs a public no-argument constructor; keep it cheap and side-effect free. */
    public SolverProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "one item per instance: the largest score, ties to the lower index; parameter parallelism";
    }

    @Override
    public MapSolver create(Config config) {
        config.requireOnly("solver '" + NAME + "'", Set.of("parallelism"));
        return new Solver(config.getInt("parallelism", Runtime.getRuntime().availableProcessors()));
    }
}
