package dev.aimle.solvers.ilp;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import java.nio.file.Path;
import java.util.Set;

/**
 * Provides {@link IlpSolver} under the name {@code ilp}. Parameters:
 *
 * <ul>
 *   <li>{@code problem} (required): path of a JSON file in the format documented on {@link
 *       IlpProblem};
 *   <li>{@code timeLimitMs} (optional, default {@value IlpSolver#DEFAULT_TIME_LIMIT_MS}): wall-clock
 *       limit per instance;
 *   <li>{@code backend} (optional, default {@code cp-sat}): {@code cp-sat} or {@code scip};
 *   <li>{@code parallelism} (optional, default the number of processors): instances solved at once.
 * </ul>
 *
 * Unknown keys are rejected.
 */
public final class IlpSolverProvider implements MapSolverProvider {
    /** The keys {@link #create} accepts. */
    public static final Set<String> KEYS = Set.of("problem", "timeLimitMs", "backend", "parallelism");

    /** For {@link java.util.ServiceLoader}. */
    public IlpSolverProvider() {}

    @Override
    public String name() {
        return "ilp";
    }

    @Override
    public String description() {
        return "max <theta, z> s.t. linear constraints, z binary (OR-Tools); problem=<file.json>," + " timeLimitMs="
                + IlpSolver.DEFAULT_TIME_LIMIT_MS + ", backend=cp-sat|scip, parallelism=<threads>";
    }

    @Override
    public MapSolver create(Config config) {
        config.requireOnly("solver 'ilp'", KEYS);
        if (!config.has("problem")) {
            throw new IllegalArgumentException("solver 'ilp' needs parameter 'problem', the path of a JSON problem file"
                    + " (see the javadoc of dev.aimle.solvers.ilp.IlpProblem); given "
                    + config.asMap().keySet());
        }
        IlpProblem problem = IlpProblem.read(Path.of(config.getString("problem")));
        IlpSolver.Builder builder = IlpSolver.builder(problem);
        if (config.has("timeLimitMs")) {
            builder.optTimeLimitMs(config.getInt("timeLimitMs"));
        }
        if (config.has("backend")) {
            builder.optBackend(IlpSolver.Backend.fromId(config.getString("backend")));
        }
        if (config.has("parallelism")) {
            builder.optParallelism(config.getInt("parallelism"));
        }
        return builder.build();
    }
}
