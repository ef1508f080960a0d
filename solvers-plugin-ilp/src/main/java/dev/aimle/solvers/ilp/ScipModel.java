package dev.aimle.solvers.ilp;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import java.util.Locale;

/**
 * The SCIP model of an {@link IlpProblem} through OR-Tools' {@link MPSolver}: one binary variable
 * per score, the constraints with their double coefficients as given, and the float scores as the
 * objective (converted to double exactly). One thread; the relative MIP gap is set to 0 (MPSolver's
 * default is 1e-4, which would accept non-optimal states). SCIP still compares objective values
 * with its own epsilon (1e-9) and accepts constraint violations up to its feasibility tolerance
 * (1e-6), which matters only for near-ties and non-integer coefficients.
 */
final class ScipModel implements InstanceModel {
    private final int n;
    private final MPSolver solver;
    private final MPVariable[] z;
    private final MPObjective objective;
    private final MPSolverParameters parameters = new MPSolverParameters();

    ScipModel(IlpProblem problem, int[] subset, long timeLimitMs) {
        this.n = problem.variables();
        MPSolver created = MPSolver.createSolver("SCIP");
        if (created == null) {
            throw new IllegalStateException(
                    "the OR-Tools build on this platform has no SCIP solver; use backend 'cp-sat'");
        }
        this.solver = created;
        solver.suppressOutput();
        solver.setNumThreads(1);
        solver.setTimeLimit(timeLimitMs);
        this.z = new MPVariable[n];
        for (int i = 0; i < n; i++) {
            z[i] = solver.makeBoolVar("z" + i);
        }
        double infinity = MPSolver.infinity();
        for (int j : subset) {
            IlpProblem.Constraint c = problem.constraints().get(j);
            double lower = c.sense() == IlpProblem.Sense.LESS_OR_EQUAL ? -infinity : c.rhs();
            double upper = c.sense() == IlpProblem.Sense.GREATER_OR_EQUAL ? infinity : c.rhs();
            MPConstraint ct = solver.makeConstraint(lower, upper, "c" + j);
            for (int i = 0; i < n; i++) {
                if (c.coefficient(i) != 0) {
                    ct.setCoefficient(z[i], c.coefficient(i));
                }
            }
        }
        this.objective = solver.objective();
        objective.setMaximization();
        parameters.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
    }

    @Override
    public Outcome solve(float[] scores, float[] solution) {
        for (int i = 0; i < n; i++) {
            objective.setCoefficient(z[i], scores[i]);
        }
        MPSolver.ResultStatus status = solver.solve(parameters);
        if (status == MPSolver.ResultStatus.OPTIMAL) {
            for (int i = 0; i < n; i++) {
                solution[i] = z[i].solutionValue() > 0.5 ? 1f : 0f;
            }
            return new Outcome(Status.OPTIMAL, "optimal");
        }
        if (status == MPSolver.ResultStatus.INFEASIBLE) {
            return new Outcome(Status.INFEASIBLE, "scip proved it infeasible");
        }
        if (status == MPSolver.ResultStatus.FEASIBLE) {
            return new Outcome(
                    Status.TIME_LIMIT,
                    String.format(
                            Locale.ROOT,
                            "scip found a feasible state with objective %.6g but could only bound the optimum by %.6g",
                            objective.value(),
                            objective.bestBound()));
        }
        if (status == MPSolver.ResultStatus.NOT_SOLVED) {
            return new Outcome(Status.TIME_LIMIT, "scip found no feasible state yet");
        }
        throw new IllegalStateException("scip returned " + status);
    }
}
