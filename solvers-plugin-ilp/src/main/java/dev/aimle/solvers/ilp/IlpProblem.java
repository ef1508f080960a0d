package dev.aimle.solvers.ilp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The feasible set {@code C = {z in {0,1}^n : a_j . z (<=|>=|==) b_j for every constraint j}} of a
 * binary integer linear program. Together with per-instance scores theta it defines the MAP problem
 * {@code argmax_{z in C} <theta, z>} that {@link IlpSolver} solves (Minervini, Franceschi, Niepert,
 * AAAI-23, Eq. 4, with C given by linear constraints). Immutable and validated on construction:
 * every coefficient and right-hand side is finite and every constraint has exactly {@code n}
 * coefficients. A problem may be infeasible; that is reported when it is solved.
 *
 * <p>Build one in code with {@link #builder(String, int)} or {@link #cardinality(int, int)}, or read
 * it from JSON with {@link #fromJson(String, String)} / {@link #read(Path)}.
 *
 * <h2>JSON format</h2>
 *
 * <pre>{@code
 * {
 *   "name": "knapsack-8",                      // required, non-blank
 *   "variables": 8,                            // required, n >= 1
 *   "constraints": [                           // optional, default []
 *     {"name": "exactly-3",                    // optional
 *      "coefficients": [1, 1, 1, 1, 1, 1, 1, 1],   // dense: exactly n numbers
 *      "sense": "==",                          // "<=", ">=" or "==" ("=" is read as "==")
 *      "rhs": 3},
 *     {"coefficients": {"0": 4, "3": 2.5, "7": 1}, // sparse: index -> coefficient, others 0
 *      "sense": "<=",
 *      "rhs": 6}
 *   ]
 * }
 * }</pre>
 *
 * Comments are not part of the format. Unknown fields are rejected. Every error names the source
 * and the field, e.g. {@code "knapsack.json: constraints[1].coefficients has 7 entries but
 * 'variables' is 8"}. {@link #toJson()} writes this format (sparse where fewer than half of a
 * row's coefficients are non-zero) and reading it back gives an equal problem.
 */
public final class IlpProblem {

    /** The direction of a linear constraint. */
    public enum Sense {
        /** {@code a . z <= b}. */
        LESS_OR_EQUAL("<="),
        /** {@code a . z >= b}. */
        GREATER_OR_EQUAL(">="),
        /** {@code a . z == b}. */
        EQUAL("==");

        private final String symbol;

        Sense(String symbol) {
            this.symbol = symbol;
        }

        /** The symbol used in JSON and messages: {@code <=}, {@code >=} or {@code ==}. */
        public String symbol() {
            return symbol;
        }

        /**
         * The sense written as {@code symbol} ({@code "="} is accepted for {@code "=="}).
         *
         * @throws IllegalArgumentException naming the symbol and the accepted ones
         */
        public static Sense fromSymbol(String symbol) {
            for (Sense s : values()) {
                if (s.symbol.equals(symbol)) {
                    return s;
                }
            }
            if ("=".equals(symbol)) {
                return EQUAL;
            }
            throw new IllegalArgumentException("sense '" + symbol + "' must be one of \"<=\", \">=\", \"==\"");
        }

        boolean holds(double activity, double rhs) {
            double tolerance = FEASIBILITY_TOLERANCE * Math.max(1.0, Math.abs(rhs));
            return switch (this) {
                case LESS_OR_EQUAL -> activity <= rhs + tolerance;
                case GREATER_OR_EQUAL -> activity >= rhs - tolerance;
                case EQUAL -> Math.abs(activity - rhs) <= tolerance;
            };
        }
    }

    /**
     * Relative tolerance of {@link #isFeasible(float[])}: {@code a . z} is compared with
     * {@code b +- 1e-9 * max(1, |b|)}, which only matters for non-integer coefficients.
     */
    public static final double FEASIBILITY_TOLERANCE = 1e-9;

    /**
     * One linear constraint {@code coefficients . z (sense) rhs}.
     *
     * @param name an optional label for messages and JSON, {@code ""} when absent
     * @param coefficients one finite coefficient per variable (copied in and out)
     * @param sense the direction
     * @param rhs the finite right-hand side
     */
    public record Constraint(String name, double[] coefficients, Sense sense, double rhs) {
        /** Validates and copies. */
        public Constraint {
            Objects.requireNonNull(name, "name (use \"\" for none)");
            Objects.requireNonNull(coefficients, "coefficients");
            Objects.requireNonNull(sense, "sense");
            coefficients = coefficients.clone();
            for (int i = 0; i < coefficients.length; i++) {
                coefficients[i] += 0.0; // -0.0 becomes 0.0, so equality survives a JSON round trip
                if (!Double.isFinite(coefficients[i])) {
                    throw new IllegalArgumentException(
                            "coefficients[" + i + "] is " + coefficients[i] + "; every coefficient must be finite");
                }
            }
            if (!Double.isFinite(rhs)) {
                throw new IllegalArgumentException("rhs is " + rhs + "; it must be finite");
            }
            rhs += 0.0;
        }

        /** An unnamed constraint. */
        public Constraint(double[] coefficients, Sense sense, double rhs) {
            this("", coefficients, sense, rhs);
        }

        /** A copy of the coefficients. */
        @Override
        public double[] coefficients() {
            return coefficients.clone();
        }

        /** The coefficient of variable {@code i}. */
        public double coefficient(int i) {
            return coefficients[i];
        }

        /** The number of coefficients. */
        public int size() {
            return coefficients.length;
        }

        /** {@code coefficients . z}, summed in double. */
        public double activity(float[] z) {
            double s = 0;
            for (int i = 0; i < coefficients.length; i++) {
                s += coefficients[i] * z[i];
            }
            return s;
        }

        /** Whether {@code z} satisfies the constraint, within {@link #FEASIBILITY_TOLERANCE}. */
        public boolean isSatisfiedBy(float[] z) {
            return sense.holds(activity(z), rhs);
        }

        /** The constraint as an expression over the non-zero terms, e.g. {@code 4 z0 + 2.5 z3 <= 6}. */
        public String expression() {
            StringBuilder sb = new StringBuilder();
            int terms = 0;
            int shown = 0;
            for (int i = 0; i < coefficients.length; i++) {
                double c = coefficients[i];
                if (c == 0) {
                    continue;
                }
                terms++;
                if (shown == 12) {
                    continue;
                }
                shown++;
                if (sb.length() > 0) {
                    sb.append(c < 0 ? " - " : " + ");
                } else if (c < 0) {
                    sb.append('-');
                }
                double a = Math.abs(c);
                if (a != 1) {
                    sb.append(number(a)).append(' ');
                }
                sb.append('z').append(i);
            }
            if (terms > shown) {
                sb.append(" + ... (").append(terms - shown).append(" more terms)");
            }
            if (terms == 0) {
                sb.append('0');
            }
            return sb.append(' ')
                    .append(sense.symbol)
                    .append(' ')
                    .append(number(rhs))
                    .toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Constraint c
                    && c.name.equals(name)
                    && Arrays.equals(c.coefficients, coefficients)
                    && c.sense == sense
                    && Double.compare(c.rhs, rhs) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(coefficients), sense, rhs);
        }

        @Override
        public String toString() {
            return (name.isEmpty() ? "" : "'" + name + "': ") + expression();
        }
    }

    private final String name;
    private final int variables;
    private final List<Constraint> constraints;

    /**
     * A validated problem.
     *
     * @param name a non-blank name for messages (e.g. the configuration's name)
     * @param variables the number of binary variables n, at least 1
     * @param constraints the constraints, each with exactly n coefficients (copied)
     * @throws IllegalArgumentException naming the constraint and the value that is wrong
     */
    public IlpProblem(String name, int variables, List<Constraint> constraints) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(constraints, "constraints");
        if (name.isBlank()) {
            throw new IllegalArgumentException("problem name must not be blank");
        }
        if (variables < 1) {
            throw new IllegalArgumentException(
                    "problem '" + name + "': the number of variables (" + variables + ") must be at least 1");
        }
        List<Constraint> copy = new ArrayList<>(constraints.size());
        for (int j = 0; j < constraints.size(); j++) {
            Constraint c = constraints.get(j);
            if (c == null) {
                throw new IllegalArgumentException("problem '" + name + "': constraint " + j + " is null");
            }
            if (c.size() != variables) {
                throw new IllegalArgumentException("problem '" + name + "': constraint " + j + " has " + c.size()
                        + " coefficients but the problem has " + variables + " variables");
            }
            copy.add(c);
        }
        this.name = name;
        this.variables = variables;
        this.constraints = Collections.unmodifiableList(copy);
    }

    /** A builder of a problem with {@code variables} binary variables. */
    public static Builder builder(String name, int variables) {
        return new Builder(name, variables);
    }

    /**
     * The k-subset problem {@code sum_i z_i == k} over n variables, named {@code "cardinality-n-k"}:
     * its MAP state is the top-k of theta.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n} and {@code 0 <= k <= n}
     */
    public static IlpProblem cardinality(int n, int k) {
        if (n < 1) {
            throw new IllegalArgumentException("n (" + n + ") must be at least 1");
        }
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k (" + k + ") must be between 0 and n (" + n + ")");
        }
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        return builder("cardinality-" + n + "-" + k, n).equalTo(ones, k).build();
    }

    /** The problem's name. */
    public String name() {
        return name;
    }

    /** The number of binary variables n. */
    public int variables() {
        return variables;
    }

    /** The constraints, unmodifiable. */
    public List<Constraint> constraints() {
        return constraints;
    }

    /**
     * Whether the binary vector {@code z} (length n) satisfies every constraint, within {@link
     * #FEASIBILITY_TOLERANCE}.
     */
    public boolean isFeasible(float[] z) {
        if (z.length != variables) {
            throw new IllegalArgumentException(
                    "z has " + z.length + " entries but problem '" + name + "' has " + variables + " variables");
        }
        for (Constraint c : constraints) {
            if (!c.isSatisfiedBy(z)) {
                return false;
            }
        }
        return true;
    }

    /** Constraint {@code j} for messages: {@code constraint 2 'budget' (4 z0 + z3 <= 6)}. */
    public String describe(int j) {
        Constraint c = constraints.get(j);
        return "constraint " + j + (c.name().isEmpty() ? "" : " '" + c.name() + "'") + " (" + c.expression() + ")";
    }

    /**
     * Reads a problem in the JSON format of this class.
     *
     * @param json the text
     * @param source where it came from, for messages (a file name or {@code "<string>"})
     * @throws IllegalArgumentException naming the source and the field on malformed input
     */
    public static IlpProblem fromJson(String json, String source) {
        return IlpProblemJson.parse(json, source);
    }

    /**
     * Reads a problem from a JSON file.
     *
     * @throws IllegalArgumentException if the file is missing or unreadable, or its content is
     *     malformed (naming the file and the field)
     */
    public static IlpProblem read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("ILP problem file " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read ILP problem file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return fromJson(text, file.toString());
    }

    /** The problem in the JSON format of this class, pretty-printed. */
    public String toJson() {
        return IlpProblemJson.write(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IlpProblem p
                && p.name.equals(name)
                && p.variables == variables
                && p.constraints.equals(constraints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, variables, constraints);
    }

    @Override
    public String toString() {
        return "IlpProblem '" + name + "' (" + variables + " binary variables, " + constraints.size() + " constraints)";
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** Builds an {@link IlpProblem}; constraints keep the order they are added in. */
    public static final class Builder {
        private final String name;
        private final int variables;
        private final List<Constraint> constraints = new ArrayList<>();

        private Builder(String name, int variables) {
            this.name = name;
            this.variables = variables;
        }

        /** Adds a constraint. */
        public Builder addConstraint(Constraint constraint) {
            constraints.add(Objects.requireNonNull(constraint, "constraint"));
            return this;
        }

        /**
         * Adds {@code coefficients . z (sense) rhs}.
         *
         * @throws IllegalArgumentException naming the constraint's index on a non-finite value
         */
        public Builder addConstraint(String constraintName, double[] coefficients, Sense sense, double rhs) {
            try {
                return addConstraint(new Constraint(constraintName, coefficients, sense, rhs));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "problem '" + name + "': constraint " + constraints.size() + ": " + e.getMessage(), e);
            }
        }

        /** Adds an unnamed {@code coefficients . z (sense) rhs}. */
        public Builder addConstraint(double[] coefficients, Sense sense, double rhs) {
            return addConstraint("", coefficients, sense, rhs);
        }

        /** Adds {@code coefficients . z <= rhs}. */
        public Builder lessOrEqual(double[] coefficients, double rhs) {
            return addConstraint(coefficients, Sense.LESS_OR_EQUAL, rhs);
        }

        /** Adds {@code coefficients . z >= rhs}. */
        public Builder greaterOrEqual(double[] coefficients, double rhs) {
            return addConstraint(coefficients, Sense.GREATER_OR_EQUAL, rhs);
        }

        /** Adds {@code coefficients . z == rhs}. */
        public Builder equalTo(double[] coefficients, double rhs) {
            return addConstraint(coefficients, Sense.EQUAL, rhs);
        }

        /**
         * Adds a sparse constraint: {@code sum_{i in terms} terms[i] z_i (sense) rhs}.
         *
         * @throws IllegalArgumentException on an index outside {@code [0, n)}
         */
        public Builder addSparse(Map<Integer, Double> terms, Sense sense, double rhs) {
            double[] dense = new double[Math.max(variables, 0)];
            for (Map.Entry<Integer, Double> t : terms.entrySet()) {
                int i = t.getKey();
                if (i < 0 || i >= variables) {
                    throw new IllegalArgumentException("problem '" + name + "': constraint " + constraints.size()
                            + ": variable index " + i + " must be between 0 and " + (variables - 1));
                }
                dense[i] = t.getValue();
            }
            return addConstraint(dense, sense, rhs);
        }

        /** The validated problem. */
        public IlpProblem build() {
            return new IlpProblem(name, variables, constraints);
        }
    }
}
