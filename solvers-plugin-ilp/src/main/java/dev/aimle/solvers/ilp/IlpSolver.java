package dev.aimle.solvers.ilp;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.InfeasibleProblemException;
import dev.aimle.api.PerInstanceMapSolver;
import dev.aimle.api.SolverDeadlineException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * MAP oracle for a binary integer linear program: for every instance of the batch,
 * {@code MAP(theta) = argmax_{z in {0,1}^n, A z (<=|>=|==) b} <theta, z>} (Minervini, Franceschi,
 * Niepert, AAAI-23, Eq. 4, with the feasible set given by the linear constraints of an {@link
 * IlpProblem}), solved to proven optimality with Google OR-Tools. Registered as {@code ilp} by
 * {@link IlpSolverProvider}. Theta is {@code [B, n]} (or {@code [B, ...]} with n entries per
 * instance, row-major).
 *
 * <h2>Backends</h2>
 *
 * <ul>
 *   <li>{@link Backend#CP_SAT} (default): OR-Tools' CP-SAT, one worker, fixed seed. It needs integer
 *       coefficients: the constraints are made integer once (decimal rows are scaled by a power of
 *       ten, see {@code CpSatModel.integerRows}), and each instance's float scores are scaled by a
 *       power of two to int64 ({@code ObjectiveScaling}): exact when the scores' dynamic range is
 *       below 2^20 (for n = 50), otherwise each score is rounded with an error of at most
 *       {@code max|theta| * 2^-44}. That choice buys an exact, documented tie rule (below), a
 *       proven optimum with zero gap, and infeasibility proofs; CP-SAT's own floating-point
 *       objective ({@code maximize(DoubleLinearExpr)}) was not used because it scales to about
 *       1e-6 precision and stops at an absolute gap of 1e-4 by default, so near-ties could come out
 *       wrong.
 *   <li>{@link Backend#SCIP}: SCIP through MPSolver, one thread, relative gap 0. It takes real
 *       coefficients as given and the float scores as they are, but compares objectives with SCIP's
 *       epsilon (1e-9) and constraints with its feasibility tolerance (1e-6); ties are broken by
 *       the (deterministic) search, not by a documented rule.
 * </ul>
 *
 * CP-SAT is the default because it is exact on the scores, has the documented tie rule, and was
 * the faster of the two on the cardinality benchmark (IlpBenchmark, test scope; `aimle bench --only solvers`).
 *
 * <h2>Ties (CP-SAT)</h2>
 *
 * Among the states that maximise {@code <theta, z>} the solver returns one that maximises
 * {@code sum_i (n - i) z_i}, i.e. it prefers lower indices: with a single cardinality constraint
 * this is exactly a stable sort-based top-k. States tied on both are left to the deterministic
 * search. For n above about 1000 the tie term is dropped (it would cost score precision).
 *
 * <h2>Errors</h2>
 *
 * An instance size other than n is an {@link IllegalArgumentException} naming both numbers. An
 * infeasible problem throws {@link InfeasibleProblemException} naming the problem and an irreducible
 * subset of its constraints that no binary state satisfies together (found once per solver by
 * deletion filtering over at most {@value #MAX_WITNESS_CONSTRAINTS} constraints, then remembered:
 * the feasible set does not depend on theta). When an instance's time limit expires before the
 * optimum is proven a {@link SolverDeadlineException} (the SPI's one deadline type, so that a
 * caller catches it by type whichever class loader this plugin has) names the problem and the
 * limit; a merely feasible state is never returned.
 *
 * <h2>Determinism and thread-safety</h2>
 *
 * Given an input, the output is the same on every call, sequential or parallel, as long as no time
 * limit is hit (the search is single-threaded with a fixed seed). This class is thread-safe: OR-Tools
 * model and solver objects are not, so each thread that solves gets its own model, built on first
 * use and kept in a {@link ThreadLocal} of this solver (one model per thread per solver). The
 * solving threads are the common pool's, which live as long as the JVM, so the models of a discarded
 * solver are freed only when the JVM expunges stale thread-local entries: create a solver once per
 * problem and reuse it. The OR-Tools natives are loaded once per JVM when the first solver is
 * created.
 */
public final class IlpSolver extends PerInstanceMapSolver {
    /** The default per-instance time limit: 10 seconds. */
    public static final long DEFAULT_TIME_LIMIT_MS = 10_000;

    /** Infeasibility witnesses are minimised only for problems with at most this many constraints. */
    public static final int MAX_WITNESS_CONSTRAINTS = 100;

    /** The OR-Tools solver behind an {@link IlpSolver}. */
    public enum Backend {
        /** CP-SAT, exact integer objective, documented tie rule. */
        CP_SAT("cp-sat"),
        /** SCIP through MPSolver, real coefficients. */
        SCIP("scip");

        private final String id;

        Backend(String id) {
            this.id = id;
        }

        /** The name used in configuration: {@code cp-sat} or {@code scip}. */
        public String id() {
            return id;
        }

        /**
         * The backend named {@code id}.
         *
         * @throws IllegalArgumentException listing the known names
         */
        public static Backend fromId(String id) {
            for (Backend b : values()) {
                if (b.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                    return b;
                }
            }
            throw new IllegalArgumentException("backend '" + id + "' must be one of 'cp-sat', 'scip'");
        }
    }

    private final IlpProblem problem;
    private final Backend backend;
    private final long timeLimitMs;
    private final CpSatModel.IntegerRow[] integerRows;
    private final int[] allConstraints;
    private final ThreadLocal<InstanceModel> models;
    private final AtomicReference<String> infeasibility = new AtomicReference<>();

    private IlpSolver(Builder b) {
        super(b.parallelism);
        this.problem = b.problem;
        this.backend = b.backend;
        this.timeLimitMs = b.timeLimitMs;
        OrTools.loadNatives();
        this.integerRows = backend == Backend.CP_SAT ? CpSatModel.integerRows(problem) : null;
        this.allConstraints = IntStream.range(0, problem.constraints().size()).toArray();
        this.models = ThreadLocal.withInitial(() -> newModel(allConstraints));
    }

    /** A solver for {@code problem} with the defaults: CP-SAT, 10 s per instance, all processors. */
    public IlpSolver(IlpProblem problem) {
        this(builder(problem));
    }

    /** A builder for a solver of {@code problem}. */
    public static Builder builder(IlpProblem problem) {
        return new Builder(problem);
    }

    @Override
    public String name() {
        return "ilp";
    }

    /** The problem whose feasible set this solver maximises over. */
    public IlpProblem problem() {
        return problem;
    }

    /** {@code [variables]} of the problem. */
    @Override
    public Optional<Shape> exampleInstanceShape() {
        return Optional.of(new Shape(problem.variables()));
    }

    /** The binary vectors that satisfy every constraint ({@link IlpProblem#isFeasible}). */
    @Override
    public Optional<FeasibleSet> feasibleSet() {
        return Optional.of((z, instanceShape) -> z.length == problem.variables() && problem.isFeasible(z));
    }

    /** The OR-Tools backend. */
    public Backend backend() {
        return backend;
    }

    /** The per-instance time limit in milliseconds. */
    public long timeLimitMs() {
        return timeLimitMs;
    }

    @Override
    protected void validateInstanceSize(int size) {
        if (size != problem.variables()) {
            throw new IllegalArgumentException("instance size (" + size + ") must equal the number of variables ("
                    + problem.variables() + ") of ILP problem '" + problem.name() + "'");
        }
    }

    @Override
    protected void solveInstance(float[] scores, float[] solution) {
        String known = infeasibility.get();
        if (known != null) {
            throw new InfeasibleProblemException(problem.name(), known);
        }
        InstanceModel.Outcome outcome = models.get().solve(scores, solution);
        switch (outcome.status()) {
            case OPTIMAL:
                return;
            case INFEASIBLE:
                throw new InfeasibleProblemException(problem.name(), infeasibilityWitness());
            case TIME_LIMIT:
                throw new SolverDeadlineException(
                        "problem '" + problem.name() + "': no proven optimum within the time limit of " + timeLimitMs
                                + " ms per instance (" + outcome.detail() + "); raise timeLimitMs or simplify the"
                                + " problem",
                        Duration.ofMillis(timeLimitMs));
            default:
                throw new IllegalStateException("unexpected outcome " + outcome);
        }
    }

    private InstanceModel newModel(int[] subset) {
        return backend == Backend.CP_SAT
                ? new CpSatModel(problem.variables(), integerRows, subset, timeLimitMs)
                : new ScipModel(problem, subset, timeLimitMs);
    }

    /**
     * An irreducible infeasible subset of the constraints, by deletion filtering: drop each
     * constraint in turn and keep it out if the rest is still infeasible. A check that hits the
     * time limit keeps the constraint (the subset is then infeasible but maybe not irreducible).
     */
    private synchronized String infeasibilityWitness() {
        String known = infeasibility.get();
        if (known != null) {
            return known;
        }
        int m = allConstraints.length;
        String witness;
        if (m == 0) {
            witness = "the solver reported it infeasible without constraints";
        } else if (m > MAX_WITNESS_CONSTRAINTS) {
            witness = "no binary state satisfies all " + m + " constraints (too many to find a smaller subset)";
        } else {
            List<Integer> kept = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                kept.add(j);
            }
            boolean irreducible = true;
            float[] zeros = new float[problem.variables()];
            float[] scratch = new float[problem.variables()];
            for (int j = 0; j < m; j++) {
                List<Integer> without = new ArrayList<>(kept);
                without.remove(Integer.valueOf(j));
                InstanceModel.Status status = newModel(
                                without.stream().mapToInt(Integer::intValue).toArray())
                        .solve(zeros, scratch)
                        .status();
                if (status == InstanceModel.Status.INFEASIBLE) {
                    kept = without;
                } else if (status == InstanceModel.Status.TIME_LIMIT) {
                    irreducible = false;
                }
            }
            StringBuilder sb = new StringBuilder("no binary state satisfies ");
            if (kept.size() == 1) {
                sb.append(problem.describe(kept.get(0)));
            } else {
                sb.append("these ").append(kept.size()).append(" constraints together: ");
                for (int k = 0; k < kept.size(); k++) {
                    sb.append(k == 0 ? "" : "; ").append(problem.describe(kept.get(k)));
                }
                sb.append(irreducible ? " (each of them is needed)" : " (a subset may suffice: a check timed out)");
            }
            witness = sb.toString();
        }
        infeasibility.set(witness);
        return witness;
    }

    @Override
    public String toString() {
        return "IlpSolver[" + problem + ", backend " + backend.id() + ", time limit " + timeLimitMs + " ms]";
    }

    /** Builds an {@link IlpSolver}: the problem is required, everything else optional. */
    public static final class Builder {
        private final IlpProblem problem;
        private Backend backend = Backend.CP_SAT;
        private long timeLimitMs = DEFAULT_TIME_LIMIT_MS;
        private int parallelism = defaultParallelism();

        private Builder(IlpProblem problem) {
            this.problem = Objects.requireNonNull(problem, "problem");
        }

        /** The backend, {@link Backend#CP_SAT} by default. */
        public Builder optBackend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The wall-clock limit for each instance, {@value IlpSolver#DEFAULT_TIME_LIMIT_MS} ms by
         * default.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder optTimeLimitMs(long timeLimitMs) {
            if (timeLimitMs < 1) {
                throw new IllegalArgumentException("timeLimitMs (" + timeLimitMs + ") must be at least 1");
            }
            this.timeLimitMs = timeLimitMs;
            return this;
        }

        /**
         * The largest number of instances solved at once, the number of processors by default (1
         * solves sequentially on the calling thread).
         *
         * @throws IllegalArgumentException unless at least 1
         */
        public Builder optParallelism(int parallelism) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism (" + parallelism + ") must be at least 1");
            }
            this.parallelism = parallelism;
            return this;
        }

        /**
         * The solver.
         *
         * @throws IllegalArgumentException when the backend cannot take the problem's constraints
         *     (cp-sat: coefficients that are not decimals with at most 6 digits after the point)
         * @throws IllegalStateException when the OR-Tools natives cannot be loaded
         */
        public IlpSolver build() {
            return new IlpSolver(this);
        }
    }
}
