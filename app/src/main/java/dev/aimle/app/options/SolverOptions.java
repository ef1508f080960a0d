package dev.aimle.app.options;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.runtime.MapSolvers;
import dev.aimle.runtime.ProviderRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that choose and guard a MAP solver, shared by the commands that solve: {@code --solver}
 * (a plain or qualified name, {@code <plugin-id>:<name>} or {@code classpath:<name>}), {@code -P
 * key=value}, {@code --solver-timeout} and {@code --trust-solver}. Every solver a command creates
 * goes through {@link MapSolvers#create}: its outputs are checked and its calls bounded.
 */
public final class SolverOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--solver",
            paramLabel = "NAME",
            description = "MAP solver: a name from 'aimle solvers', or <plugin-id>:<name> / classpath:<name> when two"
                    + " sources provide that name.")
    private String solver;

    @Option(
            names = {"-P", "--param"},
            paramLabel = "KEY=VALUE",
            description = "Solver parameter, repeatable (e.g. -P path=tensor); see 'aimle solvers'.")
    private Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--solver-timeout",
            paramLabel = "SECONDS",
            defaultValue = "" + MapSolvers.DEFAULT_TIMEOUT_MINUTES * 60,
            description = "Time limit of one solver call; a call past it fails naming the solver (default:"
                    + " ${DEFAULT-VALUE}).")
    private double timeoutSeconds;

    @Option(
            names = "--trust-solver",
            description = "Do not check the solver's outputs (shape, float32, exactly 0/1, not the input): for a"
                    + " solver you trust, to save the check's cost (see 'aimle bench').")
    private boolean trusted;

    /** The solver name given, else {@code fallback}. */
    public String name(String fallback) {
        return solver == null ? fallback : solver;
    }

    /** Whether {@code --solver} was given. */
    public boolean given() {
        return solver != null;
    }

    /** The {@code -P} parameters. */
    public Map<String, String> params() {
        return params;
    }

    /**
     * The guard every solver is wrapped in.
     *
     * @throws ParameterException (exit code 2) on a bad {@code --solver-timeout}
     */
    public MapSolvers.Guard guard() {
        if (!(timeoutSeconds > 0) || timeoutSeconds > Durations.MAX_SECONDS) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--solver-timeout (" + timeoutSeconds + ") must be a number of seconds above 0 and at most "
                            + Durations.MAX_SECONDS);
        }
        MapSolvers.Guard guard = MapSolvers.Guard.defaults().withTimeout(timeout());
        return trusted ? guard.trusted() : guard;
    }

    /** {@code --solver-timeout} in seconds, as given. */
    public double timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Whether {@code --trust-solver} was given. */
    public boolean trusted() {
        return trusted;
    }

    /** The time limit of one call. */
    public Duration timeout() {
        return Durations.ofSeconds(timeoutSeconds);
    }

    /**
     * Creates the chosen solver ({@code --solver}, else {@code fallback}) with the {@code -P}
     * parameters plus {@code fixed}, checked and time-limited.
     *
     * @throws IllegalArgumentException (exit code 1) for an unknown or ambiguous name: what is
     *     installed does not match what was asked
     * @throws ParameterException (exit code 2) for a bad parameter
     */
    public Created create(ProviderRegistry<MapSolverProvider> registry, String fallback, Map<String, ?> fixed) {
        String name = name(fallback);
        for (String key : fixed.keySet()) {
            if (params.containsKey(key)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "-P " + key + "=" + params.get(key) + " is set by the command; use its own option");
            }
        }
        Map<String, Object> config = new LinkedHashMap<>(params);
        config.putAll(fixed);
        MapSolvers.Guard guard = guard();
        ProviderRegistry.Entry<MapSolverProvider> entry = registry.entry(name);
        try {
            return new Created(MapSolvers.create(registry, entry.qualifiedName(), Config.of(config), guard), entry);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * A solver the command created.
     *
     * @param solver the checked, time-limited solver
     * @param entry where it came from
     */
    public record Created(MapSolver solver, ProviderRegistry.Entry<MapSolverProvider> entry) {}
}
