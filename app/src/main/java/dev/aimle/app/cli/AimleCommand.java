package dev.aimle.app.cli;

import dev.aimle.app.AppInfo;
import dev.aimle.app.experiments.dvae.DvaeCommand;
import dev.aimle.app.experiments.dvae.DvaeUnitCommand;
import dev.aimle.app.experiments.l2x.L2xCommand;
import dev.aimle.app.experiments.l2x.L2xUnitCommand;
import dev.aimle.app.experiments.nri.NriCommand;
import dev.aimle.app.experiments.nri.NriUnitCommand;
import dev.aimle.app.experiments.synthetic.SyntheticCommand;
import dev.aimle.app.experiments.synthetic.VariantsCommand;
import dev.aimle.app.experiments.units.UnitsCommand;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.app.plugins.PluginLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code aimle} command: global options and the list of subcommands. Subcommands reach the
 * global options and the environment through {@link #discover(CommandLine)} and {@link #verbose()}.
 *
 * <p>New subcommands (e.g. {@code synthetic}) are added to {@code subcommands} below.
 */
@Command(
        name = "aimle",
        mixinStandardHelpOptions = true,
        versionProvider = AimleCommand.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Backpropagation through discrete and combinatorial components (AIMLE, IMLE, STE, SFE).",
            "Solvers come from PF4J plugins in the plugins directory; noise distributions and estimators"
                    + " from the class path."
        },
        subcommands = {
            SolversCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            VerifyCommand.class,
            SyntheticCommand.class,
            VariantsCommand.class,
            DvaeCommand.class,
            DvaeUnitCommand.class,
            L2xCommand.class,
            L2xUnitCommand.class,
            NriCommand.class,
            NriUnitCommand.class,
            UnitsCommand.class,
            HelpCommand.class
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  " + PluginLoader.PLUGINS_DIR_ENV + "  the plugins directory when --plugins-dir is not given",
            "                     (default: plugins/ next to the launcher)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure; the reason is printed on stderr (--verbose adds the stack trace)",
            "2:bad usage: unknown command or option, or a bad option value"
        })
public final class AimleCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--plugins-dir",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Directory of solver plugins (default: $" + PluginLoader.PLUGINS_DIR_ENV
                    + ", else plugins/ next to the launcher).")
    private Path pluginsDir;

    @Option(
            names = "--provider-timeout",
            paramLabel = "SECONDS",
            scope = ScopeType.INHERIT,
            defaultValue = "10",
            description = "How long a solver, noise or estimator provider may take to be constructed and tell its"
                    + " name; a slower one is reported and skipped (default: ${DEFAULT-VALUE}).")
    private double providerTimeoutSeconds;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Print stack traces of failures and library logs.")
    private boolean verbose;

    /** @param environment where the default plugins directory and {@code AIMLE_PLUGINS_DIR} come from */
    public AimleCommand(CliEnvironment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** Without a subcommand: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command: choose one of "
                        + String.join(", ", spec.subcommands().keySet()));
    }

    /** Whether {@code --verbose} was given. */
    public boolean verbose() {
        return verbose;
    }

    /** The plugins directory in force (see {@link #pluginsLocation()}), for child processes. */
    public Path pluginsDirectory() {
        return pluginsLocation().dir().toAbsolutePath();
    }

    /**
     * The plugins directory to use: {@code --plugins-dir}, else {@code AIMLE_PLUGINS_DIR}, else
     * {@code plugins/} next to the launcher.
     */
    PluginsLocation pluginsLocation() {
        if (pluginsDir != null) {
            if (pluginsDir.toString().isBlank()) {
                throw new ParameterException(
                        spec.commandLine(), "--plugins-dir is empty; give a directory (e.g. --plugins-dir plugins)");
            }
            return new PluginsLocation(pluginsDir, "--plugins-dir", true);
        }
        String fromEnv = environment.variables().get(PluginLoader.PLUGINS_DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new PluginsLocation(Path.of(fromEnv), PluginLoader.PLUGINS_DIR_ENV, true);
        }
        return new PluginsLocation(environment.defaultPluginsDir(), "default", false);
    }

    /**
     * Discovers the providers (class path and plugins) and prints every load problem to stderr as a
     * warning.
     *
     * @param commandLine the running subcommand, for usage errors
     * @throws ParameterException when a plugins directory given explicitly does not exist
     */
    public Discovery discover(CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        PluginsLocation location = pluginsLocation();
        if (!(providerTimeoutSeconds > 0) || providerTimeoutSeconds > Durations.MAX_SECONDS) {
            throw new ParameterException(
                    commandLine,
                    "--provider-timeout (" + providerTimeoutSeconds + ") must be a number of seconds above 0 and at"
                            + " most " + Durations.MAX_SECONDS);
        }
        PluginLoader loader = PluginLoader.forApp().withCreationTimeout(Durations.ofSeconds(providerTimeoutSeconds));
        Discovery discovery;
        if (Files.isDirectory(location.dir())) {
            discovery = loader.load(location.dir());
        } else if (location.explicit()) {
            throw new ParameterException(
                    commandLine,
                    "plugins directory " + location.dir().toAbsolutePath() + " (from " + location.origin()
                            + ") does not exist or is not a directory");
        } else {
            err.println("warning: no plugins directory at " + location.dir().toAbsolutePath()
                    + "; only class-path providers are available. Maybe run ./aimle (it builds and"
                    + " installs the plugins) or pass --plugins-dir");
            discovery = loader.classpathOnly();
        }
        // Providers are created on first use: problems keep arriving after this point and are printed
        // when they do.
        discovery.onProblem(problem -> {
            err.println("warning: " + problem.message());
            err.flush();
        });
        err.flush();
        return discovery;
    }

    /**
     * Where plugins are looked for.
     *
     * @param dir the directory
     * @param origin {@code --plugins-dir}, {@code AIMLE_PLUGINS_DIR} or {@code default}
     * @param explicit whether the user chose it (then it must exist)
     */
    record PluginsLocation(Path dir, String origin, boolean explicit) {}

    /** {@code aimle --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            AppInfo info = AppInfo.current();
            return new String[] {
                "aimle " + info.appVersion() + " (SPI " + info.spiVersion() + ")",
                "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch")
            };
        }
    }
}
