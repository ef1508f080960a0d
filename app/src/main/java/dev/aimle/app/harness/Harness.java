package dev.aimle.app.harness;

import dev.aimle.app.io.StoreLocation;
import dev.aimle.app.options.FiniteDouble;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Puts experiments on a command line: for each, a sweep command named after it with the shared
 * flags, its own flags and its defaults; then one hidden {@code unit} command for all of them.
 */
public final class Harness {
    private Harness() {}

    /**
     * Adds the experiments' commands to {@code root}, whose command must be a {@link Host}.
     *
     * @param mainClass the class a child JVM starts to run a unit
     */
    public static void install(CommandLine root, String mainClass, List<Experiment<?, ?>> experiments) {
        Map<String, Experiment<?, ?>> byName = new LinkedHashMap<>();
        for (Experiment<?, ?> experiment : experiments) {
            if (byName.put(experiment.name(), experiment) != null) {
                throw new IllegalArgumentException("two experiments are named " + experiment.name());
            }
            root.addSubcommand(experiment.name(), command(experiment, mainClass));
        }
        CommandLine unit = new CommandLine(new UnitCommand(byName));
        root.addSubcommand(UnitCommand.NAME, unit);
    }

    /**
     * The runs a command line of {@code experiment} asks for, each once, without running anything.
     *
     * @throws CommandLine.ParameterException for bad usage
     */
    public static <S extends UnitSpec, D> List<S> grid(Experiment<S, D> experiment, String... args) {
        CommandLine command = command(experiment, "none");
        command.parseArgs(args);
        SweepCommand<S, D> sweep = command.getCommand();
        return sweep.grid();
    }

    /** The sweep command of one experiment. */
    static <S extends UnitSpec, D> CommandLine command(Experiment<S, D> experiment, String mainClass) {
        SweepCommand<S, D> sweep = new SweepCommand<>(experiment, mainClass);
        CommandLine command = new CommandLine(sweep);
        if (experiment.options() != null) {
            command.addMixin("experiment", experiment.options());
        }
        command.getCommandSpec().usageMessage().description(experiment.description());
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--seeds", "1");
        defaults.put("--out", "runs/" + experiment.name());
        defaults.putAll(experiment.defaults());
        command.setDefaultValueProvider(
                arg -> arg.isOption() ? defaults.get(((CommandLine.Model.OptionSpec) arg).longestName()) : null);
        FiniteDouble finite = new FiniteDouble();
        command.registerConverter(Double.class, finite);
        command.registerConverter(Double.TYPE, finite);
        // a file: URI (a shared mount, as on a cluster) names the same directory as its path; a remote
        // one (--data only) the local copy the sweep makes of it
        command.registerConverter(
                Path.class,
                value -> StoreLocation.remote(value)
                        .map(sweep::remoteDirectory)
                        .orElseGet(() -> StoreLocation.local(value)));
        for (Object sub : experiment.subcommands()) {
            command.addSubcommand(sub);
        }
        return command;
    }
}
