package dev.aimle.app.experiments.nri;

import dev.aimle.app.options.Sizes;
import dev.aimle.app.report.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aimle nri generate}: writes the NRI graph-layout data set ({@link NriGenerator}) as the SST
 * code's {@code .npy} files ({@link NriDataset}). Each split is generated once for the largest T
 * requested; the files of a smaller T hold its first steps, which is exactly what generating that T
 * gives. Every file is written atomically, so a stopped run leaves complete files or none.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate the NRI graph-layout data (SST's generator: Gumbel max spanning trees over 10 vertices,"
                + " networkx spring-layout trajectories) as data_{split}_novar_1skip_{T}t_1r_graph10.npy and edges_...")
public final class NriGenerateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "data/nri",
            description = "Directory for the .npy files (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(
            names = "--timesteps",
            split = ",",
            paramLabel = "T",
            defaultValue = "10,20",
            description = "Time steps T per example, comma separated (default: ${DEFAULT-VALUE}).")
    private int[] timesteps;

    @Option(
            names = "--train",
            paramLabel = "N",
            defaultValue = "50000",
            description = "Training examples (default: ${DEFAULT-VALUE}).")
    private int train;

    @Option(
            names = "--valid",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Validation examples (default: ${DEFAULT-VALUE}).")
    private int valid;

    @Option(
            names = "--test",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Test examples (default: ${DEFAULT-VALUE}).")
    private int test;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of every example (default: ${DEFAULT-VALUE}); example i of a split is the same for"
                    + " any count, T and thread number.")
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
            description = "Progress on stderr: auto (a bar on a terminal, else a line every 10 s), bar, lines, none"
                    + " (default: ${DEFAULT-VALUE}).")
    private String progressMode;

    @Override
    public Integer call() {
        int threads = Sizes.threads(spec.commandLine(), threadsOption);
        int[] steps = Arrays.stream(timesteps).distinct().sorted().toArray();
        if (steps.length == 0 || steps[0] < 1) {
            throw usage("--timesteps (" + Arrays.toString(timesteps) + ") must be at least 1");
        }
        int[] counts = {train, valid, test};
        NriSplit[] splits = NriSplit.values();
        for (int s = 0; s < splits.length; s++) {
            if (counts[s] < 0) {
                throw usage("--" + splits[s].fileName() + " (" + counts[s] + ") must be at least 0");
            }
        }
        int maxSteps = steps[steps.length - 1];
        for (int s = 0; s < splits.length; s++) {
            try {
                NriGenerator.requireFits(
                        "--" + splits[s].fileName() + " " + counts[s] + " examples of T = " + maxSteps,
                        counts[s],
                        maxSteps,
                        steps.length > 1);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage() + "; generate fewer or shorter examples");
            }
        }
        Progress.Mode mode = Progress.mode(progressMode, this::usage);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NriGenerator generator = new NriGenerator(seed);
        long start = System.nanoTime();
        for (int s = 0; s < splits.length; s++) {
            NriSplit split = splits[s];
            if (counts[s] == 0) {
                continue;
            }
            Progress progress = new Progress(
                    err, mode, "nri generate " + split.fileName(), counts[s], counts[s], 10, System::nanoTime);
            long splitStart = System.nanoTime();
            NriDataset data = generator.generate(split, counts[s], maxSteps, threads, done -> {
                for (int i = 0; i < done; i++) {
                    progress.advance(1);
                }
            });
            progress.finish();
            double seconds = (System.nanoTime() - splitStart) / 1e9;
            for (int t : steps) {
                NriDataset part = t == maxSteps ? data : data.firstTimesteps(t);
                try {
                    part.write(out, split);
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
                stdout.printf(
                        Locale.ROOT,
                        "nri generate: %s (%d examples, T = %d) -> %s, %s%n",
                        split.fileName(),
                        counts[s],
                        t,
                        NriDataset.dataFile(out, split, t),
                        NriDataset.edgesFile(out, split, t).getFileName());
            }
            stdout.printf(
                    Locale.ROOT,
                    "nri generate: %s generated in %.1f s on %d thread%s%n",
                    split.fileName(),
                    seconds,
                    threads,
                    threads == 1 ? "" : "s");
            stdout.flush();
        }
        stdout.printf(
                Locale.ROOT,
                "nri generate: done in %.1f s (seed %d, T = %s); train with --suffix %s%n",
                (System.nanoTime() - start) / 1e9,
                seed,
                Arrays.toString(steps),
                NriDataset.suffix(maxSteps));
        stdout.flush();
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
