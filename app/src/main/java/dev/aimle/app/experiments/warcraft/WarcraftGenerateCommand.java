package dev.aimle.app.experiments.warcraft;

import dev.aimle.app.options.Sizes;
import dev.aimle.app.report.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aimle warcraft generate}: writes a Warcraft-like shortest-path set ({@link
 * WarcraftGenerator}) in the original's file layout, then prints its statistics ({@link
 * DataStatistics}) for comparison with the original. Standalone: the experiment's command registers
 * it as a subcommand.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate Warcraft-like maps (terrain tiles with the original costs, drawn as textured pixels;"
                + " true paths by Dijkstra, 8-neighbourhood) as {train,val,test}_maps.npy, _vertex_weights.npy and"
                + " _shortest_paths.npy.")
public final class WarcraftGenerateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "data/warcraft/12x12",
            description = "Directory for the nine .npy files (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(
            names = "--grid",
            paramLabel = "K",
            defaultValue = "12",
            description = "Side k of the grid of vertices; the maps are 8k pixels wide (default: ${DEFAULT-VALUE};"
                    + " the original has 12, 18, 24 and 30).")
    private int grid;

    @Option(
            names = "--train",
            paramLabel = "N",
            defaultValue = "3000",
            description = "Training maps (default: ${DEFAULT-VALUE}; the original has 10000).")
    private int train;

    @Option(
            names = "--val",
            paramLabel = "N",
            defaultValue = "300",
            description = "Validation maps (default: ${DEFAULT-VALUE}; the original has 1000).")
    private int val;

    @Option(
            names = "--test",
            paramLabel = "N",
            defaultValue = "300",
            description = "Test maps (default: ${DEFAULT-VALUE}; the original has 1000).")
    private int test;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Seed (default: ${DEFAULT-VALUE}); map i of a split is the same for any count and thread number.")
    private long seed;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads (default: the number of processors); the data does not depend on it.")
    private Integer threadsOption;

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "Progress on stderr: auto, bar, lines, none (default: ${DEFAULT-VALUE}).")
    private String progressMode;

    @Override
    public Integer call() {
        int threads = Sizes.threads(spec.commandLine(), threadsOption);
        if (grid < 2 || grid > 100) {
            throw usage("--grid (" + grid + ") must be between 2 and 100");
        }
        int[] counts = {train, val, test};
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 0) {
                throw usage("--" + WarcraftGenerator.SPLITS.get(s) + " (" + counts[s] + ") must be at least 0");
            }
        }
        Progress.Mode mode = Progress.mode(progressMode, this::usage);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WarcraftGenerator generator = new WarcraftGenerator(grid, 8, seed);
        long start = System.nanoTime();
        for (int s = 0; s < counts.length; s++) {
            String name = WarcraftGenerator.SPLITS.get(s);
            Progress progress =
                    new Progress(err, mode, "warcraft generate " + name, counts[s], counts[s], 10, System::nanoTime);
            long splitStart = System.nanoTime();
            WarcraftSplit split = generator.generate(name, counts[s], threads, progress::advance);
            progress.finish();
            try {
                WarcraftGenerator.write(out, split);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot write the " + name + " files into " + out + ": " + e.getMessage(), e);
            }
            stdout.printf(
                    Locale.ROOT,
                    "warcraft generate: %s in %.1f s -> %s; %s%n",
                    name,
                    (System.nanoTime() - splitStart) / 1e9,
                    List.of(
                            WarcraftData.mapsFile(out, name).getFileName(),
                            WarcraftData.weightsFile(out, name).getFileName(),
                            WarcraftData.pathsFile(out, name).getFileName()),
                    DataStatistics.of(split).describe());
            stdout.flush();
        }
        stdout.printf(
                Locale.ROOT,
                "warcraft generate: done in %.1f s (seed %d, %dx%d grid, %d px maps, %d thread%s) in %s%n",
                (System.nanoTime() - start) / 1e9,
                seed,
                grid,
                grid,
                generator.imageSide(),
                threads,
                threads == 1 ? "" : "s",
                out);
        stdout.flush();
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
