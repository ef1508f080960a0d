package dev.aimle.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.InvalidSolverOutputException;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.ScoreDomain;
import dev.aimle.api.SolverDeadlineException;
import dev.aimle.api.TractableDistribution;
import dev.aimle.api.contract.MapSolverContract;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Solvers you can trust: every solver created from a registry goes through {@link #create}, which
 * wraps it in {@link #checked}. The wrapper
 *
 * <ul>
 *   <li><b>checks every output</b> before anyone uses it ({@link MapSolverContract#checkOutput}, the output clause of the contract): not null, not the
 *       input array itself, the input's shape and device, float32, every value exactly 0 or 1. The
 *       value check is one reduction on the output's device (a count of the entries that are neither
 *       0 nor 1, NaN included); only that count comes to the host, and the output itself only when
 *       the check fails, to name a witness. A violation throws {@link InvalidSolverOutputException}
 *       naming the solver and its source;
 *   <li><b>bounds every call</b> by a time limit ({@link Guard#timeout}, {@value
 *       #DEFAULT_TIMEOUT_MINUTES} minutes by default): the call runs on a daemon worker thread and the
 *       caller waits at most that long, then interrupts it and throws {@link
 *       SolverDeadlineException}. What a JVM cannot contain: a solver that ignores interrupts keeps
 *       its worker thread busy until it returns (the caller is free), and one that calls {@code
 *       System.exit} ends the process.
 * </ul>
 *
 * Both ways of calling a solver are guarded: {@link MapSolver#solve(NDArray)} and {@link
 * MapSolver#solveOnHost} (whose answer is checked on the host, value by value); the wrapper reports
 * the solver's own {@link MapSolver#sense()}, distribution, feasible set, example shape, score
 * domain and unit.
 *
 * A trusted solver may opt out of the output check ({@link Guard#trusted()}); the time limit can be
 * switched off with {@link Guard#withoutTimeout()}.
 */
public final class MapSolvers {

    /** The default time limit of one solver call, in minutes. */
    public static final int DEFAULT_TIMEOUT_MINUTES = 10;

    private MapSolvers() {}

    /**
     * What {@link #checked} enforces.
     *
     * @param checkOutputs whether every output is checked ({@code false} for a trusted solver)
     * @param timeout the time limit of one call, or empty for none
     */
    public record Guard(boolean checkOutputs, Optional<Duration> timeout) {
        /** Requires a positive timeout when there is one. */
        public Guard {
            Objects.requireNonNull(timeout, "timeout");
            timeout.ifPresent(t -> {
                if (t.isNegative() || t.isZero()) {
                    throw new IllegalArgumentException("solver time limit (" + t + ") must be positive");
                }
            });
        }

        /** Outputs checked, {@value MapSolvers#DEFAULT_TIMEOUT_MINUTES} minutes per call. */
        public static Guard defaults() {
            return new Guard(true, Optional.of(Duration.ofMinutes(DEFAULT_TIMEOUT_MINUTES)));
        }

        /** The same with another time limit. */
        public Guard withTimeout(Duration limit) {
            return new Guard(checkOutputs, Optional.of(limit));
        }

        /** The same without a time limit: calls run on the caller's thread. */
        public Guard withoutTimeout() {
            return new Guard(checkOutputs, Optional.empty());
        }

        /** The same without the output check: for a solver you trust. */
        public Guard trusted() {
            return new Guard(false, timeout);
        }
    }

    /**
     * Creates the solver {@code name} (plain or qualified, see {@link ProviderRegistry#get}) with
     * {@code config} and wraps it in {@link #checked} with the provider's source. The provider's
     * {@code create} is bounded by the guard's time limit too.
     *
     * @throws IllegalArgumentException for an unknown or ambiguous name or a bad configuration
     * @throws SolverDeadlineException when {@code create} does not return within the time limit
     */
    public static MapSolver create(
            ProviderRegistry<MapSolverProvider> registry, String name, Config config, Guard guard) {
        ProviderRegistry.Entry<MapSolverProvider> entry = registry.entry(name);
        MapSolver solver = guard.timeout().isEmpty()
                ? entry.provider().create(config)
                : createWithDeadline(entry, config, guard.timeout().get());
        if (solver == null) {
            throw new InvalidSolverOutputException(registry.kind() + " provider '" + entry.name() + "' from "
                    + entry.source() + " returned null from create(" + config + ")");
        }
        return checked(solver, entry.source(), guard);
    }

    private static MapSolver createWithDeadline(
            ProviderRegistry.Entry<MapSolverProvider> entry, Config config, Duration limit) {
        ExecutorService once = Executors.newSingleThreadExecutor(Checked.daemonThreads(entry.name()));
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            Future<MapSolver> future = once.submit(() -> {
                Thread.currentThread().setContextClassLoader(context);
                return entry.provider().create(config);
            });
            try {
                return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new SolverDeadlineException(
                        "provider of solver '" + entry.name() + "' from " + entry.source() + " did not create it within"
                                + " the time limit of " + Checked.describe(limit) + " (create(" + config + "))",
                        limit);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating solver '" + entry.name() + "'", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof OutOfMemoryError oom) {
                    throw outOfMemory("provider of solver '" + entry.name() + "' from " + entry.source(), oom);
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("creating solver '" + entry.name() + "' failed", cause);
            }
        } finally {
            once.shutdown();
        }
    }

    /**
     * {@code solver} with its outputs checked and its calls bounded as {@code guard} says.
     *
     * @param source where the solver came from, for messages ({@code classpath} or {@code id@version})
     */
    public static MapSolver checked(MapSolver solver, String source, Guard guard) {
        Objects.requireNonNull(solver, "solver");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(guard, "guard");
        if (solver instanceof Checked c && c.source.equals(source) && c.guard.equals(guard)) {
            return solver;
        }
        return new Checked(solver, source, guard);
    }

    /**
     * A plugin's {@link OutOfMemoryError} on a worker thread, as a failure naming the solver: the
     * worker's allocation is garbage once it has failed, so the caller's thread can report it instead
     * of dying with a stack trace that does not say whose memory it was.
     */
    private static IllegalStateException outOfMemory(String who, OutOfMemoryError oom) {
        return new IllegalStateException(
                who + " ran out of memory (" + oom + "); maybe give the JVM more heap (-Xmx) or solve smaller"
                        + " batches",
                oom);
    }

    /** The wrapper. */
    private static final class Checked implements MapSolver {
        private static final AtomicInteger THREADS = new AtomicInteger();

        private final MapSolver solver;
        private final String source;
        private final Guard guard;
        private final ExecutorService worker;

        Checked(MapSolver solver, String source, Guard guard) {
            this.solver = solver;
            this.source = source;
            this.guard = guard;
            this.worker =
                    guard.timeout().isPresent() ? Executors.newCachedThreadPool(daemonThreads(solver.name())) : null;
        }

        static ThreadFactory daemonThreads(String name) {
            return r -> {
                Thread t = new Thread(r, "aimle-solver " + name + " #" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }

        @Override
        public NDArray solve(NDArray theta) {
            NDArray z = guard.timeout().isPresent()
                    ? withDeadline(
                            () -> solver.solve(theta),
                            theta.getShape(),
                            guard.timeout().get())
                    : solver.solve(theta);
            if (guard.checkOutputs()) {
                try {
                    MapSolverContract.checkOutput(solver.name(), source, theta, z);
                } catch (InvalidSolverOutputException e) {
                    if (z != null && z != theta && !z.getUid().equals(theta.getUid())) {
                        z.close();
                    }
                    throw e;
                }
            }
            return z;
        }

        @Override
        public float[] solveOnHost(float[] theta, Shape shape, NDManager scratch) {
            float[] z = guard.timeout().isPresent()
                    ? withDeadline(
                            () -> solver.solveOnHost(theta, shape, scratch),
                            shape,
                            guard.timeout().get())
                    : solver.solveOnHost(theta, shape, scratch);
            if (guard.checkOutputs()) {
                MapSolverContract.checkHostOutput(solver.name(), source, theta, shape, z);
            }
            return z;
        }

        private <T> T withDeadline(Callable<T> solve, Shape shape, Duration limit) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            Callable<T> call = () -> {
                Thread.currentThread().setContextClassLoader(context);
                return solve.call();
            };
            Future<T> future = worker.submit(call);
            try {
                return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new SolverDeadlineException(
                        "solver '" + solver.name() + "' from " + source + " did not return within its time limit of "
                                + describe(limit) + " (input shape " + shape + "); the call was"
                                + " interrupted. Raise the limit if the solver is merely slow",
                        limit);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while solver '" + solver.name() + "' was running", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof OutOfMemoryError oom) {
                    throw outOfMemory("solver '" + solver.name() + "' from " + source, oom);
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("solver '" + solver.name() + "' from " + source + " failed", cause);
            }
        }

        static String describe(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }

        @Override
        public String name() {
            return solver.name();
        }

        @Override
        public Sense sense() {
            return solver.sense();
        }

        @Override
        public boolean isBatchedOnDevice() {
            return solver.isBatchedOnDevice();
        }

        @Override
        public Optional<TractableDistribution> distribution() {
            return solver.distribution();
        }

        @Override
        public Optional<FeasibleSet> feasibleSet() {
            return solver.feasibleSet();
        }

        @Override
        public Optional<Shape> exampleInstanceShape() {
            return solver.exampleInstanceShape();
        }

        @Override
        public ScoreDomain scoreDomain() {
            return solver.scoreDomain();
        }

        @Override
        public Unit naturalUnit() {
            return solver.naturalUnit();
        }

        @Override
        public String toString() {
            return "checked " + solver.name() + " from " + source;
        }
    }
}
