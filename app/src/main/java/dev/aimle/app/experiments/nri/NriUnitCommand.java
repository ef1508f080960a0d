package dev.aimle.app.experiments.nri;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolvers;
import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.harness.EngineThreadsOption;
import dev.aimle.app.plugins.Discovery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code aimle nri-unit DIR}: runs (or resumes) the one NRI run whose {@code spec.json} is in DIR. */
@Command(
        name = "nri-unit",
        mixinStandardHelpOptions = true,
        hidden = true,
        description = "Runs or resumes one NRI run from its directory (spec.json); used by 'aimle nri'.")
public final class NriUnitCommand implements Callable<Integer> {
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
        NriRun run = NriRun.open(dir);
        NriSpec s = run.spec();
        NriData data = NriData.load(Path.of(s.dataDir()), s.timesteps()).limit(s.trainLimit(), s.evalLimit());
        try (Discovery discovery = root.discover(spec.commandLine())) {
            // checked outputs and a time limit, like every solver the app creates
            MapSolver solver = MapSolvers.create(
                    discovery.solvers(), "spanning-tree", Config.of(Map.of()), MapSolvers.Guard.defaults());
            run.train(solver, data, spec.commandLine().getOut());
        }
        return 0;
    }
}
