package dev.aimle.api;

import ai.djl.ndarray.types.Shape;

/**
 * Brute-force optimality: the best objective {@code <theta, z>} over every binary vector of an
 * instance that a {@link FeasibleSet} contains, the highest for a maximising solver and the lowest
 * for a minimising one ({@link MapSolver#sense()}). The contract test and {@code aimle verify} both
 * use it, with the same size limit, so a solver passes or fails both alike.
 */
public final class Enumeration {
    /** The largest instance whose {@code 2^n} candidates are enumerated. */
    public static final int LIMIT = 20;

    private Enumeration() {}

    /**
     * The best objective {@code <scores, z>} over the feasible binary vectors, summed in double.
     *
     * @param feasible the feasible set
     * @param scores one instance's scores, row-major over {@code instanceShape}
     * @param instanceShape the instance's shape (without the batch axis)
     * @param sense whether the best is the highest or the lowest
     * @throws IllegalArgumentException when the instance has more than {@link #LIMIT} entries or
     *     {@code scores} is not of its size
     * @throws IllegalStateException when no binary vector of the instance is feasible
     */
    public static double best(FeasibleSet feasible, float[] scores, Shape instanceShape, MapSolver.Sense sense) {
        int n = scores.length;
        if (n != instanceShape.size()) {
            throw new IllegalArgumentException(
                    n + " scores for an instance of shape " + instanceShape + " (" + instanceShape.size() + ")");
        }
        if (n > LIMIT) {
            throw new IllegalArgumentException("instance " + instanceShape + " has " + n
                    + " entries; enumeration is limited to " + LIMIT + " (2^" + LIMIT + " candidates)");
        }
        boolean minimise = sense == MapSolver.Sense.MINIMISE;
        double best = minimise ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        boolean found = false;
        float[] candidate = new float[n];
        for (int mask = 0; mask < 1 << n; mask++) {
            for (int i = 0; i < n; i++) {
                candidate[i] = (mask >>> i & 1) == 1 ? 1f : 0f;
            }
            if (feasible.contains(candidate, instanceShape)) {
                double value = objective(scores, candidate);
                best = minimise ? Math.min(best, value) : Math.max(best, value);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException(
                    "no binary vector of an instance of shape " + instanceShape + " is in the feasible set");
        }
        return best;
    }

    /** {@code <scores, z>}, summed in double. */
    public static double objective(float[] scores, float[] z) {
        if (scores.length != z.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + z.length + " entries of z");
        }
        double s = 0;
        for (int i = 0; i < scores.length; i++) {
            s += (double) scores[i] * z[i];
        }
        return s;
    }

    /**
     * Whether {@code got} is as good as {@code best} up to a relative tolerance {@code 1e-5 *
     * max(1, |best|)}, in the direction of {@code sense} (a better value than the enumeration's best
     * passes: it can only come from rounding).
     */
    public static boolean asGood(double got, double best, MapSolver.Sense sense) {
        double slack = 1e-5 * Math.max(1, Math.abs(best));
        return sense == MapSolver.Sense.MINIMISE ? got <= best + slack : got >= best - slack;
    }
}
