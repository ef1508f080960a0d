package dev.aimle.app.harness;

import dev.aimle.api.MapSolver;
import dev.aimle.app.options.Durations;
import dev.aimle.app.options.EngineThreadsOption;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.runtime.MapSolvers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aimle unit DIR}: runs (or resumes) the one run whose {@code spec.json} is in DIR, of the
 * experiment it names. A sweep starts one such process per run: a child here, or one in a Spark
 * task on a cluster. It holds the directory's lock while it trains, and with {@code --parent PID}
 * it ends when that process does (a sweep killed outright leaves no unit training behind; on a
 * cluster the unit watches its executor instead).
 */
@Command(
        name = UnitCommand.NAME,
        mixinStandardHelpOptions = true,
        hidden = true,
        description =
                "Runs or resumes one run from its directory (spec.json names the experiment); used by the sweeps.")
public final class UnitCommand implements Callable<Integer> {
    /** The command's name. */
    public static final String NAME = "unit";

    /** How long a unit waits for the lock of its directory (a unit of a killed sweep ends within moments). */
    static final Duration LOCK_PATIENCE = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Option(names = "--parent", paramLabel = "PID", description = "End when this process ends (the sweep's).")
    private Long parent;

    @Option(
            names = "--solver-timeout",
            paramLabel = "SECONDS",
            defaultValue = "" + MapSolvers.DEFAULT_TIMEOUT_MINUTES * 60,
            description = "Time limit of one solver call (default: ${DEFAULT-VALUE}).")
    private double timeoutSeconds;

    @Option(names = "--trust-solver", description = "Do not check the solver's outputs.")
    private boolean trusted;

    @Parameters(paramLabel = "DIR", description = "The run directory, holding spec.json.")
    private Path dir;

    private final Map<String, Experiment<?, ?>> experiments;

    /** @param experiments the experiments by name */
    public UnitCommand(Map<String, Experiment<?, ?>> experiments) {
        this.experiments = Map.copyOf(experiments);
    }

    @Override
    public Integer call() throws IOException {
        engineThreads.apply();
        if (parent != null) {
            watch(parent);
        }
        String name = RunUnit.experimentOf(dir)
                .orElseThrow(() -> new IllegalArgumentException(dir.resolve(RunUnit.SPEC)
                        + " names no experiment; run it through its sweep command (e.g. aimle dvae), which adds it"));
        Experiment<?, ?> experiment = experiments.get(name);
        if (experiment == null) {
            throw new IllegalArgumentException(dir.resolve(RunUnit.SPEC) + " names the experiment '" + name
                    + "', which this version does not have; it has " + String.join(", ", experiments.keySet()));
        }
        run(experiment);
        return 0;
    }

    @SuppressWarnings("try") // the lock is held for the block, not used in it
    private <S extends UnitSpec, D> void run(Experiment<S, D> experiment) throws IOException {
        try (RunLock lock = RunLock.acquire(dir, experiment.name() + " unit " + dir.getFileName(), LOCK_PATIENCE)) {
            RunUnit<S> unit = RunUnit.open(
                    dir, experiment.name(), experiment.specType(), experiment.rowsFile(), experiment.columns());
            if (unit.complete()) {
                return;
            }
            S s = unit.spec();
            D data = experiment.data(s);
            MapSolvers.Guard guard = MapSolvers.Guard.defaults().withTimeout(Durations.ofSeconds(timeoutSeconds));
            try (Discovery discovery =
                    ((Host) spec.commandLine().getParent().getCommand()).discover(spec.commandLine())) {
                // checked outputs and a time limit, like every solver the app creates
                MapSolver solver = MapSolvers.create(
                        discovery.solvers(), s.solver(), s.solverConfig(), trusted ? guard.trusted() : guard);
                try (TrainingSession session = experiment.session(dir, s, data, solver)) {
                    TrainingLoop.run(unit, session, spec.commandLine().getOut());
                }
            }
        }
    }

    /** Halts this process when {@code pid} ends: a unit never outlives its sweep. */
    private static void watch(long pid) {
        ProcessHandle.of(pid)
                .ifPresentOrElse(
                        p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(137)),
                        () -> Runtime.getRuntime().halt(137));
    }
}
