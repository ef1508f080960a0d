package dev.aimle.app.experiments.units;

import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.cli.EngineThreadsOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle units --command nri-unit [--master URL] STORE}: runs the unit directories a sweep
 * prepared ({@code aimle nri ... --report-only} writes every unit's {@code spec.json} and trains
 * nothing) on this machine or, with {@code --master}, on a cluster; then {@code --report-only} again
 * writes the report. The unit command decides what a unit is; a complete unit exits at once.
 */
@Command(
        name = "units",
        mixinStandardHelpOptions = true,
        description = "Runs a sweep's prepared unit directories (written by a sweep with --report-only) here or, with"
                + " --master, on a Spark cluster; run the sweep with --report-only afterwards for its report.")
public final class UnitsCommand implements Callable<Integer> {
    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Parameters(
            paramLabel = "STORE",
            description = "The sweep's output directory: a path, or with --master a Hadoop FileSystem URI"
                    + " (file:/shared/runs/nri, hdfs://namenode/runs/nri, s3a://bucket/runs/nri).")
    private String store;

    @Option(
            names = "--command",
            required = true,
            paramLabel = "NAME",
            description = "The command that runs one unit: dvae-unit, nri-unit or l2x-unit.")
    private String unitCommand;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Run on a cluster: spark://HOST:PORT, yarn, k8s://https://HOST:PORT or local[N] (needs Spark"
                    + " on the class path; README, Run a sweep on a cluster). Default: child processes here.")
    private String master;

    @Option(
            names = "--units",
            split = ",",
            paramLabel = "ID",
            description = "Only these units (directory names); default: every directory of STORE holding spec.json"
                    + " (STORE must then be a path on this machine).")
    private List<String> only;

    @Option(names = "--parallel", description = "Units at a time here, each single-threaded (default: the processors).")
    private Integer parallel;

    @Override
    public Integer call() throws IOException, InterruptedException {
        engineThreads.apply();
        PrintWriter log = spec.commandLine().getOut();
        if (!List.of("dvae-unit", "nri-unit", "l2x-unit").contains(unitCommand)) {
            throw new ParameterException(
                    spec.commandLine(), "--command (" + unitCommand + ") must be dvae-unit, nri-unit or l2x-unit");
        }
        URI uri = storeUri();
        List<String> ids = only != null ? only : preparedUnits(uri);
        int workers = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (workers < 1 || workers > 64) {
            throw new ParameterException(spec.commandLine(), "--parallel (" + workers + ") must be between 1 and 64");
        }
        UnitBatch batch = new UnitBatch(
                unitCommand.replace("-unit", ""),
                uri,
                ids,
                List.of(unitCommand),
                root.pluginsDirectory(),
                UnitBatch.forwardedProperties());
        long start = System.nanoTime();
        try (UnitExecutor executor = UnitExecutors.create(master, workers, log)) {
            log.printf(Locale.ROOT, "units: %d runs %s, output in %s%n", ids.size(), executor.describe(), uri);
            log.flush();
            executor.runAll(batch, new PrintingUnitListener(log, ids.size()));
        }
        log.printf(Locale.ROOT, "units: %d runs done in %.1f s%n", ids.size(), (System.nanoTime() - start) / 1e9);
        log.flush();
        return 0;
    }

    private URI storeUri() {
        if (store.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !store.matches("[A-Za-z]:\\\\.*")) {
            URI uri = URI.create(store);
            if (master == null && !"file".equals(uri.getScheme())) {
                throw new ParameterException(
                        spec.commandLine(),
                        "STORE " + store + " is not on this machine; give --master URL to use a cluster");
            }
            return uri;
        }
        return Path.of(store).toAbsolutePath().normalize().toUri();
    }

    private List<String> preparedUnits(URI uri) throws IOException {
        if (!"file".equals(uri.getScheme())) {
            throw new ParameterException(spec.commandLine(), "list the units of " + uri + " with --units ID,...");
        }
        Path dir = Path.of(uri);
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "STORE " + dir + " is not a directory");
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dir)) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.exists(d.resolve(RunUnit.SPEC))) {
                    ids.add(d.getFileName().toString());
                }
            }
        }
        if (ids.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "STORE " + dir + " holds no unit directory (spec.json);"
                            + " prepare them with the sweep's command and --report-only");
        }
        return ids;
    }
}
