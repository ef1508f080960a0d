package dev.aimle.app.cli;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NamedProvider;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.app.plugins.PluginInfo;
import dev.aimle.runtime.ProviderRegistry;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle solvers}: every discovered solver, noise distribution and estimator with its
 * description and source ({@code classpath} or {@code <plugin id>@<version>}), then the plugins found.
 * Load problems go to stderr as warnings; they do not change the exit code.
 */
@Command(
        name = "solvers",
        mixinStandardHelpOptions = true,
        description = {
            "List the discovered MAP solvers, noise distributions and gradient estimators with their"
                    + " source (classpath or plugin id@version), and the plugins found.",
            "Plugins that could not be loaded are reported on stderr with the cause."
        })
final class SolversCommand implements Callable<Integer> {

    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Discovery discovery = root.discover(spec.commandLine())) {
            section(out, "Map solvers", discovery.solvers(), SolversCommand::senseOf);
            out.println();
            section(out, "Noise distributions", discovery.noises(), e -> null);
            out.println();
            section(out, "Gradient estimators", discovery.estimators(), e -> null);
            out.println();
            String where = discovery.pluginsDir().map(d -> " in " + d).orElse("");
            out.println("Plugins" + where + " (" + discovery.plugins().size() + "):");
            if (discovery.plugins().isEmpty()) {
                out.println("  none");
            } else {
                TextTable table = TextTable.withoutHeader(4);
                for (PluginInfo p : discovery.plugins()) {
                    table.row(
                            p.label(),
                            p.state(),
                            "requires SPI " + p.requires(),
                            p.path().getFileName().toString());
                }
                table.print(out, "  ");
            }
            if (!discovery.problems().isEmpty()) {
                out.println();
                out.println(discovery.problems().size() + " load problem(s), printed on stderr.");
            }
        }
        out.flush();
        return 0;
    }

    /** How long a solver may take to be created with its defaults, for its sense. */
    private static final long SENSE_TIMEOUT_MILLIS = 2000;

    /**
     * {@code "maximises"} or {@code "minimises"}, from a solver created with its default parameters
     * on a daemon thread (at most {@value #SENSE_TIMEOUT_MILLIS} ms); {@code "sense: needs
     * parameters"} when it cannot be created so (the ILP needs its problem).
     */
    static String senseOf(ProviderRegistry.Entry<MapSolverProvider> entry) {
        CompletableFuture<MapSolver.Sense> sense = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        sense.complete(entry.provider().create(Config.empty()).sense());
                    } catch (RuntimeException | LinkageError e) {
                        sense.completeExceptionally(e);
                    }
                },
                "aimle-solvers-sense");
        t.setDaemon(true);
        t.start();
        try {
            return sense.get(SENSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) == MapSolver.Sense.MINIMISE
                    ? "minimises"
                    : "maximises";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "sense: unknown";
        } catch (ExecutionException | TimeoutException e) {
            return "sense: needs parameters";
        }
    }

    private static <P extends NamedProvider> void section(
            PrintWriter out,
            String title,
            ProviderRegistry<P> registry,
            java.util.function.Function<ProviderRegistry.Entry<P>, String> extra) {
        out.println(title + " (" + registry.entries().size() + "):");
        if (registry.entries().isEmpty()) {
            out.println("  none");
            return;
        }
        Map<ProviderRegistry.Entry<P>, String> extras = new java.util.HashMap<>();
        registry.entries().forEach(e -> {
            String x = extra.apply(e);
            if (x != null) {
                extras.put(e, x);
            }
        });
        boolean withExtra = !extras.isEmpty();
        TextTable table = TextTable.withoutHeader(withExtra ? 4 : 3);
        Map<String, Long> counts = registry.entries().stream()
                .collect(Collectors.groupingBy(ProviderRegistry.Entry::name, TreeMap::new, Collectors.counting()));
        for (ProviderRegistry.Entry<P> e : registry.entries()) {
            // an ambiguous name is shown qualified: that is the only way to choose it
            String name = counts.get(e.name()) > 1 ? e.qualifiedName() : e.name();
            if (withExtra) {
                table.row(name, "[" + e.source() + "]", extras.getOrDefault(e, ""), e.description());
            } else {
                table.row(name, "[" + e.source() + "]", e.description());
            }
        }
        table.print(out, "  ");
        counts.forEach((name, count) -> {
            if (count > 1) {
                out.println("  '" + name + "' is provided " + count + " times: choose one by its qualified name");
            }
        });
    }
}
