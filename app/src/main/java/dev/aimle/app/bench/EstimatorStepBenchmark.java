package dev.aimle.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One forward+backward step of AIMLE (central and forward difference) on top-k with S = 1, next to
 * its parts: the noise sampling and the bare MAP calls the step must make (one of {@code [B, n]} in
 * the forward pass; one of {@code [2B, n]} (central) or {@code [B, n]} (forward) in the backward).
 * Sizes: B=128, n=400, k=10; the DVAE's 2560 rows of 20, k=10; B=128, n=50, k=1 (Gumbel only).
 *
 * <p><b>Two passes.</b> Every measurement runs twice through all cases in the same JVM: the first
 * pass warms the JIT for every code path (the first case of a cold JVM measured up to 1.5x its
 * settled time), the second is the figure; the first pass's median is in the note.
 *
 * <p><b>The floor.</b> Each step row's note gives its <i>floor</i>, the noise draw plus the MAP calls
 * the step makes, measured in the same rounds (every operation of a case is timed once per round,
 * round after round), and the share of the step that is neither. The MAP rows time the call the
 * step makes ({@link MapSolver#solveOnHost}) on <i>fresh scores every call</i>
 * (drawn untimed before it), as in a step, whose solver inputs are new each time. Timed on one input
 * used again and again, the same top-k call came out up to three times faster, and not because of
 * the cache: a copy of that one input into the same buffer before each call was as fast, a copy of
 * a different input each time as slow as fresh scores. The processor's branch predictor learns the
 * comparisons of a repeated input; that figure is in the MAP rows' note ("one repeated input"), not
 * in the floor. Nor is the wait for idle pool threads: in a step each MAP call follows other
 * parallel host work closely and finds the common pool's threads awake, so the MAP rows wake them
 * (untimed) after drawing the fresh scores; timed with the threads idle since the half millisecond
 * of drawing, the same 128×400 call took 50-70 microseconds longer here (that figure is in the note,
 * "pool idle before the call"). The step rows time the steps on fresh copies of theta and dL/dz made
 * untimed before each step, as a layer receives them. With {@code --reference FILE} (written by
 * {@code scripts/bench-vs-reference}) the note also gives ours/reference, naming the file and when
 * it was measured; there is no built-in reference figure.
 */
public final class EstimatorStepBenchmark implements Benchmark {

    record Case(String label, Shape shape, int k, List<String> noises) {}

    /** The key suffix of a MAP call timed on one repeated input (reported in its row's note). */
    private static final String REPEATED = "\u0000repeated";

    /** The key suffix of a MAP call timed with the pool's threads idle before it (in its row's note). */
    private static final String IDLE_POOL = "\u0000idle pool";

    static final List<Case> CASES = List.of(
            new Case("B=128 n=400 k=10", new Shape(128, 400), 10, List.of("gumbel", "sum-of-gamma")),
            new Case("2560x20 k=10 (DVAE)", new Shape(2560, 20), 10, List.of("gumbel", "sum-of-gamma")),
            new Case("B=128 n=50 k=1", new Shape(128, 50), 1, List.of("gumbel")));

    @Override
    public String name() {
        return "estimators";
    }

    @Override
    public String description() {
        return "AIMLE forward+backward step on top-k (S=1) vs its noise and bare MAP calls, timed round-robin (two passes)";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int warmUp = context.quick() ? 3 : 30;
        int reps = context.quick() ? 5 : 200;
        Map<String, Timing.Summary> first = measureAll(context, warmUp, reps);
        context.progress().println("estimators: first pass done");
        context.progress().flush();
        Map<String, Timing.Summary> second = measureAll(context, warmUp, reps);
        List<BenchmarkResult> rows = new ArrayList<>();
        for (Map.Entry<String, Timing.Summary> e : second.entrySet()) {
            if (e.getKey().endsWith(REPEATED) || e.getKey().endsWith(IDLE_POOL)) {
                continue; // in the note of its MAP row
            }
            String[] key = e.getKey().split("\u0000");
            String size = key[0];
            String variant = key[1];
            Timing.Summary t = e.getValue();
            List<String> notes = new ArrayList<>();
            if (variant.startsWith("AIMLE ")) {
                String noise = variant.substring(variant.lastIndexOf(", ") + 2);
                boolean central = variant.contains("central");
                double floor = second.get(size + "\u0000noise " + noise).medianMillis()
                        + second.get(size + "\u0000MAP [B, n]").medianMillis()
                        + second.get(size + "\u0000" + (central ? "MAP [2B, n]" : "MAP [B, n]"))
                                .medianMillis();
                notes.add(String.format(
                        Locale.ROOT,
                        "floor %.3f ms (noise, and MAP on fresh scores), rest %.0f%%",
                        floor,
                        100 * Math.max(0, t.medianMillis() - floor) / t.medianMillis()));
            } else if (variant.startsWith("MAP ")) {
                notes.add(String.format(
                        Locale.ROOT,
                        "solveOnHost, fresh scores each call, pool threads woken before it as in a step;"
                                + " pool idle before the call: %.3f; one repeated input: %.3f",
                        second.get(e.getKey() + IDLE_POOL).medianMillis(),
                        second.get(e.getKey() + REPEATED).medianMillis()));
            }
            notes.add(String.format(
                    Locale.ROOT, "pass 1: %.3f", first.get(e.getKey()).medianMillis()));
            String reference = context.reference().note(size, variant, t.medianMillis());
            if (!reference.isEmpty()) {
                notes.add(reference);
            }
            rows.add(new BenchmarkResult(
                    name(), variant, size, t.repetitions(), t.medianMillis(), t.minMillis(), String.join("; ", notes)));
        }
        return rows;
    }

    /**
     * One pass over every case: (size, variant) to its timing. Within a case, the MAP calls, the
     * noise draws and the steps are timed round-robin ({@link Timing#interleaved}), so that a step
     * and the parts of its floor are measured in the same moments; the MAP calls on one repeated
     * input are timed on their own first (interleaved, the input would not repeat back to back).
     */
    private static Map<String, Timing.Summary> measureAll(BenchmarkContext context, int warmUp, int reps) {
        Map<String, Timing.Summary> timings = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Case c : CASES) {
                MapSolver solver = context.discovery().solvers().get("topk").create(Config.of("k", c.k()));
                SplittableRandom inputs = new SplittableRandom(context.seed());
                NDArray theta = manager.create(gaussian(inputs, c.shape()), c.shape());
                NDArray dy = manager.create(gaussian(inputs, c.shape()), c.shape());
                String size = c.label();
                Shape doubled = new Shape(c.shape().get(0) * 2).addAll(c.shape().slice(1));
                List<Timing.Timed> operations = new ArrayList<>();
                for (Shape shape : List.of(c.shape(), doubled)) {
                    String key = size + "\u0000MAP [" + (shape == doubled ? "2B" : "B") + ", n]";
                    float[] repeated = gaussian(inputs, shape);
                    timings.put(
                            key + REPEATED,
                            Timing.measure(warmUp, reps, () -> solver.solveOnHost(repeated, shape, manager)));
                    float[] scores = gaussian(inputs, shape);
                    Runnable call = () -> solver.solveOnHost(scores, shape, manager);
                    operations.add(new Timing.Timed(
                            key,
                            () -> {
                                refill(inputs, scores);
                                wakePool();
                            },
                            call));
                    operations.add(new Timing.Timed(key + IDLE_POOL, () -> refill(inputs, scores), call));
                }
                for (String noiseName : c.noises()) {
                    Config noiseConfig =
                            noiseName.equals("sum-of-gamma") ? Config.of(Map.of("k", c.k(), "s", 10)) : Config.empty();
                    NoiseDistribution noise =
                            context.discovery().noises().get(noiseName).create(noiseConfig);
                    SplittableRandom random = new SplittableRandom(context.seed());
                    operations.add(new Timing.Timed(size + "\u0000noise " + noiseName, () -> {}, () -> {
                        try (NDManager scope = manager.newSubManager()) {
                            noise.sample(scope, c.shape(), random);
                        }
                    }));
                    for (String difference : List.of("central", "forward")) {
                        GradientEstimator aimle = context.discovery()
                                .estimators()
                                .get("aimle")
                                .create(Config.of(Map.of("difference", difference, "alpha0", 1.0)));
                        operations.add(timedStep(
                                size + "\u0000AIMLE " + difference + " step, " + noiseName,
                                aimle,
                                Perturbation.of(solver, noise, 1),
                                theta,
                                dy,
                                random));
                    }
                }
                timings.putAll(Timing.interleaved(warmUp, reps, operations));
                context.progress().printf("estimators: %s done%n", size);
                context.progress().flush();
            }
        }
        return timings;
    }

    /**
     * Gives the common pool's threads an empty task each, so that the next parallel call finds them
     * awake, as a step's MAP calls do (each follows other parallel host work within microseconds).
     * After the half millisecond of drawing fresh scores on one thread, an idle pool thread took
     * 50-70 microseconds to join a 128×400 top-k call here (the virtual machine halts an idle
     * processor), which the floor would otherwise count as the MAP call's.
     */
    private static void wakePool() {
        IntStream.range(0, Runtime.getRuntime().availableProcessors())
                .parallel()
                .forEach(i -> {});
    }

    /** Seeded N(0, 1) values, so that both passes (and runs) see the same inputs. */
    private static float[] gaussian(SplittableRandom random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        refill(random, values);
        return values;
    }

    private static void refill(SplittableRandom random, float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
    }

    static void solve(MapSolver solver, NDArray theta) {
        try (NDManager scope = theta.getManager().newSubManager()) {
            solver.solve(theta).attach(scope);
        }
    }

    /**
     * A step as a layer makes it, for timing: theta and dL/dz arrive as fresh arrays (copies of the
     * fixed inputs, made untimed before each step, as the layer gets them from the model and from
     * autograd), the forward pass samples, the backward pass estimates, and everything the step
     * created is closed (timed).
     */
    static Timing.Timed timedStep(
            String name,
            GradientEstimator estimator,
            Perturbation p,
            NDArray theta,
            NDArray dy,
            SplittableRandom random) {
        StepInputs inputs = new StepInputs(theta, dy);
        return new Timing.Timed(name, inputs::refresh, () -> inputs.step(estimator, p, random));
    }

    /** Times steps as {@link #timedStep} makes them. */
    static Timing.Summary timeSteps(
            int warmUp,
            int reps,
            GradientEstimator estimator,
            Perturbation p,
            NDArray theta,
            NDArray dy,
            SplittableRandom random) {
        Timing.Timed step = timedStep("step", estimator, p, theta, dy, random);
        return Timing.measure(warmUp, reps, step.prepare(), step.operation());
    }

    /** One step on fresh copies of theta and dL/dz, copies included (as load beside a measurement). */
    static void step(GradientEstimator estimator, Perturbation p, NDArray theta, NDArray dy, SplittableRandom random) {
        StepInputs inputs = new StepInputs(theta, dy);
        inputs.refresh();
        inputs.step(estimator, p, random);
    }

    /** Copies of theta and dL/dz in a scope of their own, made before a step and closed by it. */
    private static final class StepInputs {
        private final NDArray theta;
        private final NDArray dy;
        private NDManager scope;
        private NDArray freshTheta;
        private NDArray freshDy;

        StepInputs(NDArray theta, NDArray dy) {
            this.theta = theta;
            this.dy = dy;
        }

        void refresh() {
            scope = theta.getManager().newSubManager();
            freshTheta = theta.duplicate();
            freshTheta.attach(scope);
            freshDy = dy.duplicate();
            freshDy.attach(scope);
        }

        void step(GradientEstimator estimator, Perturbation p, SplittableRandom random) {
            try {
                Sample s = estimator.forward(freshTheta, p, random);
                estimator.backward(s, Downstream.ofGradient(freshDy));
            } finally {
                scope.close();
            }
        }
    }
}
