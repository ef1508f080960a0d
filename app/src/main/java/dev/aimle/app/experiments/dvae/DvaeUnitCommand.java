package dev.aimle.app.experiments.dvae;

import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolvers;
import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.harness.EngineThreadsOption;
import dev.aimle.app.plugins.Discovery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle dvae-unit DIR}: runs (or resumes) the one DVAE run whose {@code spec.json} is in DIR.
 * {@code aimle dvae} starts one such process per run; a cluster dispatcher could do the same.
 */
@Command(
        name = "dvae-unit",
        mixinStandardHelpOptions = true,
        hidden = true,
        description = "Runs or resumes one DVAE run from its directory (spec.json); used by 'aimle dvae'.")
public final class DvaeUnitCommand implements Callable<Integer> {
    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Parameters(paramLabel = "DIR", description = "The run directory, holding spec.json.")
    private Path dir;

    @Override
    public Integer call() throws IOException {
        engineThreads.apply();
        DvaeRun run = DvaeRun.open(dir);
        DvaeData data = DvaeData.load(Path.of(run.spec().dataDir()), run.spec().trainLimit());
        try (Discovery discovery = root.discover(spec.commandLine())) {
            // checked outputs and a time limit, like every solver the app creates
            MapSolver solver = MapSolvers.create(
                    discovery.solvers(), run.spec().solver(), run.spec().solverConfig(), MapSolvers.Guard.defaults());
            run.train(solver, data, spec.commandLine().getOut());
        }
        return 0;
    }
}
