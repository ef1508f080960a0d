package dev.aimle.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a step keeps its share of the machine: an AIMLE central step (S = 1) alone, then while a
 * second job (the same kind of step in a loop on another thread, its own arrays and generator) keeps
 * one core busy; once with the host work (noise chunks, top-k rows) on the common fork-join pool
 * (all cores, the default) and once confined to one thread. With c cores of which the second job
 * takes one, a step that only lost its share of cores is at most {@code c / (c - 1)} times slower
 * (2x on 2 cores); the note prints the ratio next to that bound. The engine's intra-op threads are
 * fixed when it starts: compare them by running this with {@code --engine-threads 1} and {@code 2}.
 */
public final class ThreadsBenchmark implements Benchmark {

    private record Case(String label, Shape shape, int k, String noise) {}

    private static final List<Case> CASES = List.of(
            new Case("B=128 n=400 k=10", new Shape(128, 400), 10, "sum-of-gamma"),
            new Case("2560x20 k=10 (DVAE)", new Shape(2560, 20), 10, "gumbel"));

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public String description() {
        return "AIMLE central step alone vs beside a second busy job, host work on all cores or on one";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int warmUp = context.quick() ? 3 : 30;
        int reps = context.quick() ? 5 : 150;
        int cores = Runtime.getRuntime().availableProcessors();
        double bound = cores > 1 ? cores / (cores - 1.0) : Double.POSITIVE_INFINITY;
        List<BenchmarkResult> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            // a throw-away pass of every case: measured first without it, the first case took three
            // times its settled median (15 against 4.3-5.5 ms at its fastest), which the comparison
            // with the busy job then carried
            for (Case c : CASES) {
                measure(context, manager, c, warmUp, reps);
            }
            for (Case c : CASES) {
                for (int hostThreads : new int[] {cores, 1}) {
                    Timing.Summary alone = inPool(hostThreads, () -> measure(context, manager, c, warmUp, reps));
                    Timing.Summary busy;
                    AtomicBoolean stop = new AtomicBoolean();
                    Thread job = new Thread(() -> inPool(1, () -> {
                        Steps steps = stepsOf(context, manager, c, context.seed() + 1);
                        while (!stop.get()) {
                            steps.runOne();
                        }
                        return null;
                    }));
                    job.setDaemon(true);
                    job.start();
                    try {
                        busy = inPool(hostThreads, () -> measure(context, manager, c, warmUp, reps));
                    } finally {
                        stop.set(true);
                        join(job);
                    }
                    String variant = "AIMLE central step, " + c.noise() + ", host work on " + hostThreads
                            + (hostThreads == 1 ? " thread" : " threads");
                    rows.add(row(c.label(), variant + ", alone", alone, ""));
                    rows.add(row(
                            c.label(),
                            variant + ", beside a busy job",
                            busy,
                            String.format(
                                    Locale.ROOT,
                                    "%.2fx alone (losing 1 of %d cores: %.2fx would be its share)",
                                    busy.medianMillis() / alone.medianMillis(),
                                    cores,
                                    bound)));
                }
                context.progress().printf("threads: %s done%n", c.label());
                context.progress().flush();
            }
        }
        return rows;
    }

    private static Timing.Summary measure(BenchmarkContext context, NDManager manager, Case c, int warmUp, int reps) {
        return stepsOf(context, manager, c, context.seed()).time(warmUp, reps);
    }

    /** Steps of one case with their own solver, estimator, inputs and generator. */
    private record Steps(GradientEstimator aimle, Perturbation p, NDArray theta, NDArray dy, SplittableRandom random) {
        /** One step, the copies of its inputs included (the busy job's load). */
        void runOne() {
            EstimatorStepBenchmark.step(aimle, p, theta, dy, random);
        }

        /** Timed as the estimators benchmark times a step (inputs copied untimed). */
        Timing.Summary time(int warmUp, int reps) {
            return EstimatorStepBenchmark.timeSteps(warmUp, reps, aimle, p, theta, dy, random);
        }
    }

    private static Steps stepsOf(BenchmarkContext context, NDManager manager, Case c, long seed) {
        MapSolver solver = context.discovery().solvers().get("topk").create(Config.of("k", c.k()));
        Config noiseConfig = c.noise().equals("sum-of-gamma") ? Config.of(Map.of("k", c.k(), "s", 10)) : Config.empty();
        NoiseDistribution noise = context.discovery().noises().get(c.noise()).create(noiseConfig);
        GradientEstimator aimle = context.discovery()
                .estimators()
                .get("aimle")
                .create(Config.of(Map.of("difference", "central", "alpha0", 1.0)));
        Perturbation p = Perturbation.of(solver, noise, 1);
        NDArray theta = manager.randomNormal(c.shape());
        NDArray dy = manager.randomNormal(c.shape());
        return new Steps(aimle, p, theta, dy, new SplittableRandom(seed));
    }

    /** Runs {@code work} in a fork-join pool of {@code threads} (parallel streams inside it stay there). */
    private static <T> T inPool(int threads, Callable<T> work) {
        if (threads >= Runtime.getRuntime().availableProcessors()) {
            try {
                return work.call(); // the common pool, as users get it
            } catch (Exception e) {
                throw new IllegalStateException("the measured step failed: " + e, e);
            }
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the measured step failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private static void join(Thread job) {
        try {
            job.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BenchmarkResult row(String size, String variant, Timing.Summary t, String note) {
        return new BenchmarkResult(name(), variant, size, t.repetitions(), t.medianMillis(), t.minMillis(), note);
    }
}
