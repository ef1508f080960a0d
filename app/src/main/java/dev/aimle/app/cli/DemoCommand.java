package dev.aimle.app.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.ProviderRegistry;
import dev.aimle.app.options.Sizes;
import dev.aimle.app.options.SolverOptions;
import dev.aimle.app.plugins.Discovery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle demo}: discovers the solvers and solves a seeded random batch {@code theta ~ N(0, 1)}
 * of shape {@code [batch, n]} with the {@code topk} solver (or the one {@code --solver} names), prints
 * a few rows, and checks the output: for top-k, that every row's ones sit on its k largest scores;
 * for any solver, the output check of {@link dev.aimle.api.MapSolvers#checked}.
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
        // host scores, theta, z and the host copy of z: four float32 copies at once
        Sizes.requireFits(spec.commandLine(), "--batch " + batch + " x --n " + n, Sizes.product(batch, n), 4, 4);
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
                float[] scores = gaussian(new SplittableRandom(seed), batch * n);
                NDArray theta = manager.create(scores, new Shape(batch, n));
                NDArray z;
                try {
                    z = solver.solve(theta);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage(), e);
                }
                out.printf(
                        Locale.ROOT,
                        "theta    %s %s, N(0, 1) scores, seed %d%n",
                        theta.getShape(),
                        theta.getDataType(),
                        seed);
                out.printf(
                        Locale.ROOT,
                        "z        %s %s = MAP(theta), batched on device: %b%n",
                        z.getShape(),
                        z.getDataType(),
                        solver.isBatchedOnDevice());
                float[] states = z.toFloatArray();
                printRows(out, scores, states, Math.min(rows, batch));
                if (topk) {
                    List<Integer> wrong = rowsNotTopK(scores, states);
                    if (!wrong.isEmpty()) {
                        throw new IllegalStateException("rows " + wrong + " of z are not the top-" + k + " of theta");
                    }
                    out.printf(
                            Locale.ROOT,
                            "check    all %d rows have exactly %d ones, on their %d largest scores%n",
                            batch,
                            k,
                            k);
                } else {
                    out.printf(
                            Locale.ROOT,
                            "check    output is float32 %s with values in {0, 1}%s%n",
                            z.getShape(),
                            solverOptions.guard().checkOutputs() ? "" : " (not checked: --trust-solver)");
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

    private static float[] gaussian(RandomGenerator random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private void printRows(PrintWriter out, float[] scores, float[] states, int count) {
        for (int r = 0; r < count; r++) {
            StringBuilder s = new StringBuilder();
            StringBuilder ones = new StringBuilder();
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                s.append(String.format(Locale.ROOT, "%6.2f", scores[r * n + i]));
                ones.append(String.format(Locale.ROOT, "%6.0f", states[r * n + i]));
                if (states[r * n + i] == 1f) {
                    chosen.add(i);
                }
            }
            out.printf(Locale.ROOT, "row %-3d theta%s%n", r, s);
            out.printf(Locale.ROOT, "        z    %s   ones at %s%n", ones, chosen);
        }
        if (count < batch) {
            int more = batch - count;
            out.printf(Locale.ROOT, "        ... %d more row%s%n", more, more == 1 ? "" : "s");
        }
    }

    /** The rows whose ones are not exactly k entries holding the k largest scores. */
    private List<Integer> rowsNotTopK(float[] scores, float[] states) {
        List<Integer> wrong = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
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
