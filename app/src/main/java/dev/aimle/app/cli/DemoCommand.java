package dev.aimle.app.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.ScoreDomain;
import dev.aimle.app.options.Sizes;
import dev.aimle.app.options.SolverOptions;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.runtime.ProviderRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle demo}: discovers the solvers and solves a seeded random batch with the {@code topk}
 * solver (or the one {@code --solver} names), prints a few instances, and checks the output: for
 * top-k, that every row's ones sit on its k largest scores; for any solver, the output check of
 * {@link dev.aimle.runtime.MapSolvers#checked} and, when it declares a feasible set, feasibility. The
 * batch is {@code [batch, n]} for top-k and {@code [batch, <the shape the solver declares>]} for
 * another solver, unless {@code --shape} gives one; the scores come from the solver's {@link
 * ScoreDomain} unless {@code --scores} names one.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Solve a seeded random batch of scores with a MAP solver (top-k by default, from its plugin) and"
                    + " print the batch shape and a few rows.",
            "Checks the output (float32, shape, exactly 0/1) and, for top-k, that each row's ones sit on its k"
                    + " largest scores (exit 1 if not)."
        })
final class DemoCommand implements Callable<Integer> {
    static final String SOLVER = "topk";

    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--batch",
            paramLabel = "B",
            defaultValue = "4",
            description = "Rows in the batch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(
            names = "--n",
            paramLabel = "N",
            defaultValue = "10",
            description = "Scores per row (default: ${DEFAULT-VALUE}).")
    private int n;

    @Option(
            names = "--k",
            paramLabel = "K",
            defaultValue = "3",
            description = "Ones per row of top-k (default: ${DEFAULT-VALUE}).")
    private int k;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            defaultValue = "42",
            description = "Seed of the scores (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--shape",
            paramLabel = "B,D1,...",
            split = ",",
            description = "Input shape [B, ...] (default: --batch x --n for top-k, else --batch instances of the"
                    + " shape the solver declares); overrides --batch and --n.")
    private List<Long> shape;

    @Option(
            names = "--scores",
            paramLabel = "DOMAIN",
            description = "Domain of the random scores: real (N(0,1)) or non-negative (|N(0,1)|) (default: the one"
                    + " the solver declares).")
    private String scores;

    @Option(
            names = "--rows",
            paramLabel = "R",
            defaultValue = "3",
            description = "Rows to print (default: ${DEFAULT-VALUE}).")
    private int rows;

    @Mixin
    private SolverOptions solverOptions;

    @Override
    public Integer call() {
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--n", n, 1);
        requireAtLeast("--rows", rows, 0);
        Shape given = null;
        if (shape != null && !shape.isEmpty()) {
            if (shape.size() < 2 || shape.stream().anyMatch(d -> d < 1)) {
                throw new ParameterException(
                        spec.commandLine(), "--shape " + shape + " must have at least 2 axes, each at least 1");
            }
            given = new Shape(shape.stream().mapToLong(Long::longValue).toArray());
            long size = 1;
            for (long d : shape) {
                size = Sizes.product(size, d);
                if (size < 0) {
                    break;
                }
            }
            Sizes.requireFits(spec.commandLine(), "--shape " + given, size, 4, 4);
        } else {
            // host scores, theta, z and the host copy of z: four float32 copies at once
            Sizes.requireFits(spec.commandLine(), "--batch " + batch + " x --n " + n, Sizes.product(batch, n), 4, 4);
        }
        ScoreDomain givenDomain = null;
        if (scores != null) {
            try {
                givenDomain = ScoreDomain.fromConfigName(scores);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--scores: " + e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        String name = solverOptions.name(SOLVER);
        boolean topk = name.equals(SOLVER) || name.endsWith(":" + SOLVER);
        if (topk && solverOptions.params().containsKey("k")) {
            throw new ParameterException(
                    spec.commandLine(), "-P k=" + solverOptions.params().get("k") + " is not taken: use --k");
        }
        try (Discovery discovery = root.discover(spec.commandLine())) {
            ProviderRegistry<MapSolverProvider> solvers = discovery.solvers();
            SolverOptions.Created created = solverOptions.create(solvers, SOLVER, topk ? Map.of("k", k) : Map.of());
            MapSolver solver = created.solver();
            out.printf(
                    Locale.ROOT,
                    "solvers  %s (%d discovered)%n",
                    String.join(", ", solvers.names()),
                    solvers.names().size());
            out.printf(
                    Locale.ROOT,
                    "solver   %s from %s%s%n",
                    created.entry().name(),
                    created.entry().source(),
                    topk ? ", k = " + k : "");
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine engine = manager.getEngine();
                out.printf(
                        Locale.ROOT,
                        "engine   %s %s on %s%n",
                        engine.getEngineName(),
                        engine.getVersion(),
                        manager.getDevice());
                Shape inputShape = given != null
                        ? given
                        : topk
                                ? new Shape(batch, n)
                                : new Shape(batch)
                                        .addAll(solver.exampleInstanceShape().orElse(new Shape(n)));
                ScoreDomain domain = givenDomain != null ? givenDomain : solver.scoreDomain();
                int instances = (int) inputShape.get(0);
                int width = (int) inputShape.slice(1).size();
                float[] scores = domain.draw(new SplittableRandom(seed), instances * width);
                NDArray theta = manager.create(scores, inputShape);
                NDArray z;
                try {
                    z = solver.solve(theta);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage(), e);
                }
                out.printf(
                        Locale.ROOT,
                        "theta    %s %s, %s scores, seed %d%n",
                        theta.getShape(),
                        theta.getDataType(),
                        domain.draws(),
                        seed);
                out.printf(
                        Locale.ROOT,
                        "z        %s %s = %s(theta), batched on device: %b%n",
                        z.getShape(),
                        z.getDataType(),
                        solver.sense() == MapSolver.Sense.MINIMISE ? "argmin" : "argmax",
                        solver.isBatchedOnDevice());
                float[] states = z.toFloatArray();
                printRows(out, scores, states, instances, width, Math.min(rows, instances));
                if (solver.feasibleSet().isPresent()) {
                    Shape instance = inputShape.slice(1);
                    List<Integer> infeasible = new ArrayList<>();
                    for (int b = 0; b < instances; b++) {
                        if (!solver.feasibleSet()
                                .get()
                                .contains(Arrays.copyOfRange(states, b * width, (b + 1) * width), instance)) {
                            infeasible.add(b);
                        }
                    }
                    if (!infeasible.isEmpty()) {
                        throw new IllegalStateException(
                                "instances " + infeasible + " of z are outside the solver's own feasible set");
                    }
                }
                if (topk) {
                    int rowSize = (int) inputShape.get(inputShape.dimension() - 1);
                    List<Integer> wrong = rowsNotTopK(scores, states, rowSize);
                    if (!wrong.isEmpty()) {
                        throw new IllegalStateException("rows " + wrong + " of z are not the top-" + k + " of theta");
                    }
                    out.printf(
                            Locale.ROOT,
                            "check    all %d rows have exactly %d ones, on their %d largest scores%n",
                            states.length / rowSize,
                            k,
                            k);
                } else {
                    out.printf(
                            Locale.ROOT,
                            "check    output is float32 %s with values in {0, 1}%s%s%n",
                            z.getShape(),
                            solverOptions.guard().checkOutputs() ? "" : " (not checked: --trust-solver)",
                            solver.feasibleSet().isPresent() ? ", every instance in the solver's feasible set" : "");
                }
            }
        }
        out.flush();
        return 0;
    }

    private void requireAtLeast(String option, int value, int min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " (" + value + ") must be at least " + min);
        }
    }

    private void printRows(PrintWriter out, float[] scores, float[] states, int instances, int width, int count) {
        for (int r = 0; r < count; r++) {
            StringBuilder s = new StringBuilder();
            StringBuilder ones = new StringBuilder();
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                s.append(String.format(Locale.ROOT, "%6.2f", scores[r * width + i]));
                ones.append(String.format(Locale.ROOT, "%6.0f", states[r * width + i]));
                if (states[r * width + i] == 1f) {
                    chosen.add(i);
                }
            }
            out.printf(Locale.ROOT, "row %-3d theta%s%n", r, s);
            out.printf(Locale.ROOT, "        z    %s   ones at %s%n", ones, chosen);
        }
        if (count < instances) {
            int more = instances - count;
            out.printf(Locale.ROOT, "        ... %d more row%s%n", more, more == 1 ? "" : "s");
        }
    }

    /** The rows of the last axis whose ones are not exactly k entries holding the k largest scores. */
    private List<Integer> rowsNotTopK(float[] scores, float[] states, int n) {
        List<Integer> wrong = new ArrayList<>();
        for (int r = 0; r < states.length / n; r++) {
            int ones = 0;
            float minChosen = Float.POSITIVE_INFINITY;
            float maxOther = Float.NEGATIVE_INFINITY;
            boolean binary = true;
            for (int i = 0; i < n; i++) {
                float v = states[r * n + i];
                float score = scores[r * n + i];
                if (v == 1f) {
                    ones++;
                    minChosen = Math.min(minChosen, score);
                } else if (v == 0f) {
                    maxOther = Math.max(maxOther, score);
                } else {
                    binary = false;
                }
            }
            if (!binary || ones != k || minChosen < maxOther) {
                wrong.add(r);
            }
        }
        return wrong;
    }
}
