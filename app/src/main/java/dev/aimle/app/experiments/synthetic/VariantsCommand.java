package dev.aimle.app.experiments.synthetic;

import ai.djl.ndarray.NDManager;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.app.harness.Host;
import dev.aimle.app.options.EngineThreadsOption;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.runtime.MapSolvers;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle variants}: the AIMLE variants of {@link VariantComparison} on the synthetic problem
 * (top-1 with Gumbel noise), as a markdown table on stdout.
 */
@Command(
        name = "variants",
        mixinStandardHelpOptions = true,
        description = "Compares AIMLE variants (alpha controllers, lambda rules) on the synthetic problem:"
                + " mean cosine to the exact gradient after warm-up steps; a markdown table on stdout.")
public final class VariantsCommand implements Callable<Integer> {
    @ParentCommand
    private Host root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Option(names = "--n", defaultValue = "10", description = "Categories (default: ${DEFAULT-VALUE}).")
    private int n;

    @Option(
            names = "--samples",
            split = ",",
            defaultValue = "10,100",
            description = "Sample counts S (default: ${DEFAULT-VALUE}).")
    private int[] samples;

    @Option(
            names = "--warmup",
            split = ",",
            defaultValue = "100,1000",
            description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    private int[] warmUps;

    @Option(names = "--seeds", defaultValue = "32", description = "Seeds per point (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(
            names = "--set",
            defaultValue = "paper",
            description = "Which variants: paper (the paper's rule and its fixes), calibrated (the calibrated"
                    + " preset and its parts), targets (the calibrated preset at each fixed target of --targets)"
                    + " or imle (IMLE at each lambda of --imle-lambda, the calibrated preset and the paper's AIMLE)"
                    + " (default: ${DEFAULT-VALUE}).")
    private String set;

    @Option(
            names = "--imle-lambda",
            split = ",",
            defaultValue = "0.05,0.1,0.2,0.3,0.5,0.75,1,1.5,2,3,4,5",
            description = "IMLE's lambdas of --set imle (default: ${DEFAULT-VALUE}).")
    private double[] imleLambdas;

    @Option(
            names = "--learn",
            defaultValue = "0",
            paramLabel = "STEPS",
            description = "Score each variant by the regret L(theta) - min after this many steps of normalised"
                    + " gradient descent on theta instead of the cosine after --warmup (default: ${DEFAULT-VALUE},"
                    + " the cosine).")
    private int learnSteps;

    @Option(
            names = "--learn-rate",
            defaultValue = "0.2",
            description = "The step of --learn: theta -= rate * g / ||g|| (default: ${DEFAULT-VALUE}).")
    private double learnRate;

    @Option(
            names = "--targets",
            split = ",",
            defaultValue = "0.1,0.2,0.3,0.5,0.75,1,1.25,1.5,1.75,1.9",
            description = "The fixed targets c (non-zeros per unit) of --set targets (default: ${DEFAULT-VALUE}).")
    private double[] targets;

    @Override
    public Integer call() {
        engineThreads.apply();
        if (n < 2 || n > 10_000) {
            throw new ParameterException(spec.commandLine(), "--n (" + n + ") must be between 2 and 10000");
        }
        if (seeds < 1 || seeds > 10_000) {
            throw new ParameterException(spec.commandLine(), "--seeds (" + seeds + ") must be between 1 and 10000");
        }
        for (int s : samples) {
            if (s < 1 || s > 100_000) {
                throw new ParameterException(spec.commandLine(), "--samples (" + s + ") must be between 1 and 100000");
            }
        }
        List<VariantComparison.Contender> contenders = switch (set) {
            case "paper" -> VariantComparison.defaultContenders();
            case "calibrated" -> VariantComparison.calibratedContenders();
            case "targets" -> targetContenders();
            case "imle" -> imleContenders();
            default ->
                throw new ParameterException(
                        spec.commandLine(), "--set (" + set + ") must be 'paper', 'calibrated', 'targets' or 'imle'");
        };
        if (learnSteps < 0 || learnSteps > 100_000) {
            throw new ParameterException(
                    spec.commandLine(), "--learn (" + learnSteps + ") must be between 0 and 100000");
        }
        if (!(learnRate > 0) || Double.isInfinite(learnRate)) {
            throw new ParameterException(
                    spec.commandLine(), "--learn-rate (" + learnRate + ") must be a finite number above 0");
        }
        for (int w : warmUps) {
            if (w < 0 || w > 100_000) {
                throw new ParameterException(spec.commandLine(), "--warmup (" + w + ") must be between 0 and 100000");
            }
        }
        try (Discovery discovery = root.discover(spec.commandLine());
                NDManager manager = NDManager.newBaseManager()) {
            // checked outputs and a time limit, like every solver the app creates
            MapSolver topk =
                    MapSolvers.create(discovery.solvers(), "topk", Config.of("k", 1), MapSolvers.Guard.defaults());
            Perturbation p = Perturbation.of(topk, Noise.gumbel(), 1);
            List<VariantComparison.Point> points = learnSteps > 0
                    ? VariantComparison.learn(contenders, p, n, samples, learnSteps, learnRate, seeds, manager)
                    : VariantComparison.run(contenders, p, n, samples, warmUps, seeds, manager);
            System.out.println(
                    learnSteps > 0
                            ? "| variant | S | learning steps | mean regret | std |"
                            : "| variant | S | warm-up steps | mean cosine | std |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (VariantComparison.Point pt : points) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %d | %.3f | %.3f |%n",
                        pt.label(),
                        pt.samples(),
                        pt.steps(),
                        pt.mean(),
                        pt.std());
            }
        }
        return 0;
    }

    private List<VariantComparison.Contender> imleContenders() {
        try {
            return VariantComparison.imleContenders(imleLambdas);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--imle-lambda: " + e.getMessage());
        }
    }

    private List<VariantComparison.Contender> targetContenders() {
        try {
            return VariantComparison.targetContenders(targets);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--targets: " + e.getMessage());
        }
    }
}
