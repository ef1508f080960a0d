package dev.aimle.app.experiments.l2x;

import dev.aimle.api.Config;
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

/** {@code aimle l2x-unit DIR}: runs (or resumes) the one L2X run whose {@code spec.json} is in DIR. */
@Command(
        name = "l2x-unit",
        mixinStandardHelpOptions = true,
        hidden = true,
        description =
                "Runs or resumes one learning-to-explain run from its directory (spec.json); used by 'aimle l2x'.")
public final class L2xUnitCommand implements Callable<Integer> {
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
        L2xRun run = L2xRun.open(dir);
        L2xData data = L2xRun.data(run.spec());
        try (Discovery discovery = root.discover(spec.commandLine())) {
            MapSolver solver = MapSolvers.create(
                    discovery.solvers(), "topk", Config.of("k", run.spec().k()), MapSolvers.Guard.defaults());
            run.train(solver, data, spec.commandLine().getOut());
        }
        return 0;
    }
}
