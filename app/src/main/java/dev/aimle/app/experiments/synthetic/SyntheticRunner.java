package dev.aimle.app.experiments.synthetic;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.api.Perturbation;
import dev.aimle.api.ScoreDomain;
import dev.aimle.runtime.MapSolvers;
import dev.aimle.runtime.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Computes points of the synthetic experiment, one after the other or on several threads, handing
 * each result to a sink as soon as it is done (the sink appends it to the CSV).
 *
 * <p>Every point is independent and reproducible: a fresh estimator (so AIMLE's adapted lambda never
 * leaks from one point to the next), the problem drawn from the seed, the samples from the sampling
 * seed. The result of a point does not depend on the number of threads or on the order.
 *
 * <p>Stopping: after {@code limit} points, or when the calling thread is interrupted, no new point
 * is started; the points already started finish and reach the sink, then {@link #run} returns.
 */
public final class SyntheticRunner {
    private final ProviderRegistry<MapSolverProvider> solvers;
    private final ProviderRegistry<NoiseDistributionProvider> noises;
    private final ProviderRegistry<GradientEstimatorProvider> estimators;
    private final SyntheticConfig config;
    private final String solverName;
    private final Config solverConfig;
    private final MapSolvers.Guard guard;

    /**
     * The runner with top-1 from the {@value SyntheticConfig#SOLVER} solver, outputs checked and calls
     * time-limited as {@link MapSolvers.Guard#defaults()}.
     *
     * @param solvers where {@value SyntheticConfig#SOLVER} comes from
     * @param noises where the configured noise comes from
     * @param estimators where aimle, imle, ste and sfe come from
     */
    public SyntheticRunner(
            ProviderRegistry<MapSolverProvider> solvers,
            ProviderRegistry<NoiseDistributionProvider> noises,
            ProviderRegistry<GradientEstimatorProvider> estimators,
            SyntheticConfig config) {
        this(
                solvers,
                noises,
                estimators,
                config,
                SyntheticConfig.SOLVER,
                Config.of("k", 1),
                MapSolvers.Guard.defaults());
    }

    /**
     * @param solvers where the solver comes from
     * @param noises where the configured noise comes from
     * @param estimators where aimle, imle, ste and sfe come from
     * @param solverName the argmax solver, plain or qualified
     * @param solverConfig its configuration
     * @param guard the checks and time limit every solver call goes through
     */
    public SyntheticRunner(
            ProviderRegistry<MapSolverProvider> solvers,
            ProviderRegistry<NoiseDistributionProvider> noises,
            ProviderRegistry<GradientEstimatorProvider> estimators,
            SyntheticConfig config,
            String solverName,
            Config solverConfig,
            MapSolvers.Guard guard) {
        this.solvers = Objects.requireNonNull(solvers, "solvers");
        this.noises = Objects.requireNonNull(noises, "noises");
        this.estimators = Objects.requireNonNull(estimators, "estimators");
        this.config = Objects.requireNonNull(config, "config");
        this.solverName = Objects.requireNonNull(solverName, "solverName");
        this.solverConfig = Objects.requireNonNull(solverConfig, "solverConfig");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * Fails early, before any work, when a provider is missing or refuses its configuration.
     *
     * @throws IllegalArgumentException naming what is missing and what is known
     */
    public void checkProviders() {
        try (Worker worker = new Worker()) {
            worker.requireOneHotArgmax();
        }
        for (Method m : config.methods()) {
            m.create(estimators, 1.0);
        }
    }

    /** A solver the synthetic problem cannot use (a minimiser, not one-hot): bad usage of --solver. */
    public static final class UnusableSolverException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnusableSolverException(String message) {
            super(message);
        }
    }

    /** What a call of {@link #run} did. */
    public record Outcome(int computed, boolean stopped) {}

    /**
     * Computes the points in order (several at a time with {@code threads > 1}).
     *
     * @param points the points to compute
     * @param threads worker threads (1: the calling thread)
     * @param limit compute at most this many points, then stop
     * @param sink receives each result, one at a time (calls are serialised)
     * @param done called after the sink with the point's estimated work, for progress
     * @return how many points were computed, and whether the run stopped before the end
     */
    public Outcome run(
            List<PointKey> points, int threads, long limit, Consumer<PointResult> sink, Consumer<PointKey> done) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads (" + threads + ") must be at least 1");
        }
        Object sinkLock = new Object();
        Consumer<PointResult> serialised = r -> {
            synchronized (sinkLock) {
                sink.accept(r);
                done.accept(r.key());
            }
        };
        if (threads == 1) {
            return runHere(points, limit, serialised);
        }
        return runParallel(points, threads, limit, serialised);
    }

    private Outcome runHere(List<PointKey> points, long limit, Consumer<PointResult> sink) {
        int computed = 0;
        try (Worker worker = new Worker()) {
            for (PointKey key : points) {
                if (computed >= limit || Thread.currentThread().isInterrupted()) {
                    return new Outcome(computed, true);
                }
                sink.accept(worker.compute(key));
                computed++;
            }
        }
        return new Outcome(computed, false);
    }

    private Outcome runParallel(List<PointKey> points, int threads, long limit, Consumer<PointResult> sink) {
        AtomicInteger next = new AtomicInteger();
        AtomicLong claimed = new AtomicLong();
        AtomicLong computed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "synthetic-worker");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                try (Worker worker = new Worker()) {
                    while (!stop.get()) {
                        if (claimed.incrementAndGet() > limit) {
                            return null;
                        }
                        int i = next.getAndIncrement();
                        if (i >= points.size()) {
                            return null;
                        }
                        sink.accept(worker.compute(points.get(i)));
                        computed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    // finish the points in flight so their results are kept, then report the stop
                    interrupted = true;
                    stop.set(true);
                } catch (ExecutionException e) {
                    stop.set(true);
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException re
                                ? re
                                : new IllegalStateException(e.getCause().toString(), e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        long n = computed.get();
        return new Outcome((int) n, n < points.size());
    }

    /** One thread's solver, noise and array manager. */
    private final class Worker implements AutoCloseable {
        private final NDManager manager = NDManager.newBaseManager();
        private final MapSolver solver;
        private final NoiseDistribution noise;

        Worker() {
            try {
                solver = MapSolvers.create(solvers, solverName, solverConfig, guard);
                // the problem is one-hot, so Sum-of-Gamma is taken with k = 1 (its other noises take no parameters)
                noise = noises.get(config.noise())
                        .create(config.noise().equals("sum-of-gamma") ? Config.of("k", 1) : Config.empty());
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }

        /**
         * The synthetic problem's MAP is an argmax over one-hot states: refuse a minimising solver and
         * one whose answer on a probe batch is not the one-hot argmax of each row.
         */
        void requireOneHotArgmax() {
            if (solver.sense() != MapSolver.Sense.MAXIMISE) {
                throw new UnusableSolverException("solver '" + solverName + "' minimises; the synthetic experiment"
                        + " needs an argmax: a maximising solver with one 1 per row (e.g. topk, k = 1)");
            }
            int n = config.sizes().get(0);
            int rows = 8;
            float[] theta = ScoreDomain.REAL.draw(new SplittableRandom(1), rows * n);
            float[] z = solver.solveOnHost(theta, new Shape(rows, n), manager);
            for (int r = 0; r < rows; r++) {
                int best = r * n;
                int ones = 0;
                for (int i = r * n; i < (r + 1) * n; i++) {
                    best = theta[i] > theta[best] ? i : best;
                    ones += z[i] == 1f ? 1 : 0;
                }
                if (ones != 1 || z[best] != 1f) {
                    throw new UnusableSolverException(
                            "solver '" + solverName + "' is not a one-hot argmax: on N(0, 1)"
                                    + " scores [" + rows + ", " + n + "] (seed 1) row " + r + " has " + ones + " ones"
                                    + (ones == 1 ? ", not on its largest score" : "")
                                    + "; the synthetic experiment needs one 1 per row, on the largest score (e.g. topk, k = 1)");
                }
            }
        }

        PointResult compute(PointKey key) {
            long start = System.nanoTime();
            SyntheticProblem problem =
                    SyntheticProblem.draw(key.n(), new SplittableRandom(key.seed()), config.absoluteB());
            GradientEstimator estimator = key.method().create(estimators, key.lambda());
            Perturbation perturbation = Perturbation.of(solver, noise, key.samples());
            double[] estimate = problem.estimateAfterWarmUp(
                    estimator,
                    perturbation,
                    key.warmup(),
                    manager,
                    new SplittableRandom(SyntheticConfig.SAMPLING_SEED_OFFSET + key.seed()));
            double seconds = (System.nanoTime() - start) / 1e9;
            double lambda =
                    key.method().adaptive() ? estimator.state().getOrDefault("lastLambda", Double.NaN) : Double.NaN;
            return new PointResult(
                    key,
                    SyntheticProblem.cosine(estimate, problem.trueGradient()),
                    SyntheticProblem.zeroFraction(estimate),
                    lambda,
                    seconds);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
