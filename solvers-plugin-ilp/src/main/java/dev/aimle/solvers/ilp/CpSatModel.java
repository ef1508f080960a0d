package dev.aimle.solvers.ilp;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import java.util.Locale;

/**
 * The CP-SAT model of an {@link IlpProblem}: one Boolean per variable, the constraints with integer
 * coefficients ({@link IntegerRow}), and an int64 objective from {@link ObjectiveScaling} that is
 * replaced for every instance. One search worker and a fixed seed make a solve deterministic
 * whenever it finishes within its time limit; both gap limits are 0, so OPTIMAL means proven
 * optimal for the integer objective.
 */
final class CpSatModel implements InstanceModel {
    /** CP-SAT's random seed; fixed so that every solve of the same objective takes the same path. */
    static final int SEED = 20230207;

    /**
     * A constraint with integer coefficients: {@code lower <= coefficients . z <= upper}, where
     * {@code Long.MIN_VALUE} / {@code Long.MAX_VALUE} mean unbounded. {@code lower > upper} makes the
     * constraint infeasible (an equality with a right-hand side the integers cannot reach).
     */
    record IntegerRow(long[] coefficients, long lower, long upper) {}

    private static final int MAX_DECIMALS = 6;
    private static final double INTEGER_TOLERANCE = 1e-9;
    private static final double MAX_ROW_MAGNITUDE = 0x1p53;

    private final int n;
    private final CpModel model = new CpModel();
    private final BoolVar[] z;
    private final CpSolver solver = new CpSolver();
    private final ObjectiveScaling scaling;
    private final long[] objective;

    /**
     * @param rows the problem's rows from {@link #integerRows}
     * @param subset the indices of the rows to include
     * @param timeLimitMs the per-solve wall-clock limit
     */
    CpSatModel(int n, IntegerRow[] rows, int[] subset, long timeLimitMs) {
        this.n = n;
        this.z = new BoolVar[n];
        for (int i = 0; i < n; i++) {
            z[i] = model.newBoolVar("z" + i);
        }
        for (int j : subset) {
            IntegerRow row = rows[j];
            LinearExpr expr = LinearExpr.weightedSum(z, row.coefficients());
            if (row.lower() == row.upper()) {
                model.addEquality(expr, row.lower());
                continue;
            }
            if (row.upper() != Long.MAX_VALUE) {
                model.addLessOrEqual(expr, row.upper());
            }
            if (row.lower() != Long.MIN_VALUE) {
                model.addGreaterOrEqual(expr, row.lower());
            }
        }
        this.scaling = new ObjectiveScaling(n);
        this.objective = new long[n];
        solver.getParameters()
                .setNumWorkers(1)
                .setRandomSeed(SEED)
                .setMaxTimeInSeconds(timeLimitMs / 1000.0)
                .setAbsoluteGapLimit(0)
                .setRelativeGapLimit(0)
                .setLogSearchProgress(false);
    }

    @Override
    public Outcome solve(float[] scores, float[] solution) {
        double unit = scaling.toIntegers(scores, objective);
        model.clearObjective();
        model.maximize(LinearExpr.weightedSum(z, objective));
        CpSolverStatus status = solver.solve(model);
        switch (status) {
            case OPTIMAL:
                for (int i = 0; i < n; i++) {
                    solution[i] = solver.booleanValue(z[i]) ? 1f : 0f;
                }
                return new Outcome(Status.OPTIMAL, "optimal");
            case INFEASIBLE:
                return new Outcome(Status.INFEASIBLE, "cp-sat proved it infeasible");
            case FEASIBLE:
                return new Outcome(
                        Status.TIME_LIMIT,
                        String.format(
                                Locale.ROOT,
                                "cp-sat found a feasible state with objective %.6g but could only bound the optimum by %.6g",
                                solver.objectiveValue() / unit,
                                solver.bestObjectiveBound() / unit));
            case UNKNOWN:
                return new Outcome(Status.TIME_LIMIT, "cp-sat found no feasible state yet");
            default:
                throw new IllegalStateException(
                        "cp-sat returned " + status + ": " + model.validate() + " " + solver.getSolutionInfo());
        }
    }

    /**
     * The problem's constraints with integer coefficients, as CP-SAT requires. A row whose
     * coefficients are all integers (to a relative {@code 1e-9}) is taken as is; otherwise it is
     * multiplied by the smallest {@code 10^d}, {@code d <= 6}, that makes every coefficient an
     * integer (decimal coefficients such as 0.25 or 1.5 are exact this way). The right-hand side is
     * scaled alike and, when it is not an integer, rounded towards the feasible side (floor for
     * {@code <=}, ceil for {@code >=}; an equality then has no integer solution), which is exact
     * because the activity of integer coefficients on binary z is an integer.
     *
     * @throws IllegalArgumentException naming the constraint when its coefficients are not decimal
     *     numbers with at most 6 digits after the point, or the row is too large for int64
     */
    static IntegerRow[] integerRows(IlpProblem problem) {
        IntegerRow[] rows = new IntegerRow[problem.constraints().size()];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = integerRow(problem, j);
        }
        return rows;
    }

    private static IntegerRow integerRow(IlpProblem problem, int j) {
        IlpProblem.Constraint c = problem.constraints().get(j);
        int d = 0;
        double multiplier = 1;
        while (!allIntegers(c, multiplier)) {
            if (++d > MAX_DECIMALS) {
                throw new IllegalArgumentException(
                        "problem '" + problem.name() + "': " + problem.describe(j) + " has coefficient "
                                + firstNonInteger(c, Math.pow(10, MAX_DECIMALS))
                                + ", which is not a decimal with at most " + MAX_DECIMALS
                                + " digits after the point; the cp-sat backend needs integer coefficients."
                                + " Maybe scale the row, or use backend 'scip'");
            }
            multiplier *= 10;
        }
        long[] coefficients = new long[c.size()];
        double minActivity = 0;
        double maxActivity = 0;
        for (int i = 0; i < coefficients.length; i++) {
            double v = Math.rint(c.coefficient(i) * multiplier);
            if (Math.abs(v) > MAX_ROW_MAGNITUDE) {
                throw tooLarge(problem, j);
            }
            coefficients[i] = (long) v;
            minActivity += Math.min(0, v);
            maxActivity += Math.max(0, v);
        }
        if (maxActivity - minActivity > MAX_ROW_MAGNITUDE) {
            throw tooLarge(problem, j);
        }
        // beyond the activity range the bound changes nothing; clamping keeps it inside int64
        double rhs = Math.max(minActivity - 1, Math.min(maxActivity + 1, c.rhs() * multiplier));
        double nearest = Math.rint(rhs);
        boolean integral = Math.abs(rhs - nearest) <= INTEGER_TOLERANCE * Math.max(1, Math.abs(rhs));
        long floor = integral ? (long) nearest : (long) Math.floor(rhs);
        long ceil = integral ? (long) nearest : (long) Math.ceil(rhs);
        return switch (c.sense()) {
            case LESS_OR_EQUAL -> new IntegerRow(coefficients, Long.MIN_VALUE, floor);
            case GREATER_OR_EQUAL -> new IntegerRow(coefficients, ceil, Long.MAX_VALUE);
            case EQUAL -> new IntegerRow(coefficients, ceil, floor);
        };
    }

    private static IllegalArgumentException tooLarge(IlpProblem problem, int j) {
        return new IllegalArgumentException("problem '" + problem.name() + "': " + problem.describe(j)
                + " has coefficients too large for the cp-sat backend (the sum of their absolute values"
                + " after scaling to integers must stay below 2^53); Maybe use backend 'scip'");
    }

    private static boolean allIntegers(IlpProblem.Constraint c, double multiplier) {
        return firstNonInteger(c, multiplier) == null;
    }

    private static String firstNonInteger(IlpProblem.Constraint c, double multiplier) {
        for (int i = 0; i < c.size(); i++) {
            double v = c.coefficient(i) * multiplier;
            if (Math.abs(v - Math.rint(v)) > INTEGER_TOLERANCE * Math.max(1, Math.abs(v))) {
                return "z" + i + " = " + c.coefficient(i);
            }
        }
        return null;
    }
}
