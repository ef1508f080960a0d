package dev.aimle.app;

import dev.aimle.api.InvalidSolverOutputException;
import dev.aimle.api.SolverDeadlineException;
import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.cli.CliEnvironment;
import dev.aimle.app.experiments.dvae.DvaeExperiment;
import dev.aimle.app.experiments.l2x.L2xExperiment;
import dev.aimle.app.experiments.nri.NriExperiment;
import dev.aimle.app.experiments.synthetic.SyntheticCommand;
import dev.aimle.app.experiments.synthetic.VariantsCommand;
import dev.aimle.app.experiments.warcraft.WarcraftExperiment;
import dev.aimle.app.harness.Harness;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code aimle} command line. Exit codes: 0 success, 1 failure (one line on stderr, the stack
 * trace too with {@code --verbose}), 2 bad usage (unknown command or option, bad value).
 */
public final class Main {
    /** Exit code of a failure. */
    public static final int FAILURE = 1;

    /** Exit code of bad usage. */
    public static final int USAGE = 2;

    private Main() {}

    /**
     * Runs the CLI and exits with its code. A JVM cannot stop a plugin from calling {@code
     * System.exit}; a shutdown hook at least keeps that from passing for success: when the process
     * ends before the command has finished (a plugin's {@code System.exit}, or a signal such as
     * Ctrl-C), it says so on stderr and the exit code is 1.
     */
    public static void main(String[] args) {
        configureProcess(
                Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v"));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        AtomicBoolean finished = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (!finished.get()) {
                                err.println(
                                        "aimle: error: the process is ending before the command finished (a signal, or a plugin"
                                                + " calling System.exit); a run directory resumes when the command is run again");
                                err.flush();
                                Runtime.getRuntime().halt(FAILURE);
                            }
                        },
                        "aimle-unfinished-exit"));
        int code = run(args, CliEnvironment.system(), out, err);
        finished.set(true);
        System.exit(code);
    }

    /**
     * Process-wide settings, made once before anything logs or starts the engine: the engine never
     * downloads, and library logs stay quiet unless verbose (the CLI reports problems itself).
     */
    private static void configureProcess(boolean verbose) {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("org.slf4j.simpleLogger.log.org.pf4j", "info");
        }
    }

    /**
     * Runs the CLI without exiting.
     *
     * @return the exit code
     */
    public static int run(String[] args, CliEnvironment environment, PrintWriter out, PrintWriter err) {
        AimleCommand root = new AimleCommand(environment);
        CommandLine cli = new CommandLine(root);
        // the command line knows no experiment: each is registered here (cli -> harness, never -> experiments)
        cli.addSubcommand(new SyntheticCommand());
        cli.addSubcommand(new VariantsCommand());
        Harness.install(
                cli,
                Main.class.getName(),
                List.of(new DvaeExperiment(), new L2xExperiment(), new NriExperiment(), new WarcraftExperiment()));
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(e, commandLine, root.verbose()));
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage()));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return USAGE;
    }

    private static int failure(Exception e, CommandLine cmd, boolean verbose) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + reason(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /** The user-facing reason: the message of the expected exception types, else type and message. */
    static String reason(Throwable e) {
        List<Class<?>> plain = List.of(
                IllegalArgumentException.class,
                IllegalStateException.class,
                UncheckedIOException.class,
                // ours name the file and what is wrong; the JDK's subclasses (NoSuchFileException: a
                // bare path) keep their class name
                IOException.class,
                InvalidSolverOutputException.class,
                SolverDeadlineException.class);
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getName();
        }
        boolean isPlain = plain.stream().anyMatch(c -> c == e.getClass());
        return oneLine(isPlain ? message : e.getClass().getName() + ": " + message);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
