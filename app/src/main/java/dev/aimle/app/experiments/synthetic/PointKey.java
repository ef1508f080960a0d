package dev.aimle.app.experiments.synthetic;

/**
 * One measured point: an estimator on the problem of one seed and size, with S samples.
 *
 * @param method the estimator
 * @param n the problem size
 * @param samples S
 * @param lambda IMLE's fixed lambda; NaN for the other estimators
 * @param warmup AIMLE's warm-up steps; 0 for the other estimators
 * @param seed the seed index (problem seed {@code seed}, sampling seed {@code 1000 + seed})
 */
public record PointKey(Method method, int n, int samples, double lambda, int warmup, int seed) {

    /** Checks that lambda and warm-up fit the method. */
    public PointKey {
        if (method.usesLambda() != !Double.isNaN(lambda)) {
            throw new IllegalArgumentException("lambda (" + lambda + ") must be "
                    + (method.usesLambda() ? "a number" : "NaN") + " for " + method.id());
        }
        if (!method.adaptive() && warmup != 0) {
            throw new IllegalArgumentException("warmup (" + warmup + ") must be 0 for " + method.id());
        }
    }

    /** This point without its seed: the group its seeds are averaged over. */
    public Group group() {
        return new Group(method, n, samples, lambda, warmup);
    }

    /**
     * Estimated cost in work units: per step, one unit per array element ({@code S * n}) plus a fixed
     * cost; AIMLE makes {@code warmup + 1} steps. Measured here: a step takes about
     * {@code 0.5 ms + S * n * 50 ns}, so the fixed cost is {@value #STEP_OVERHEAD_ELEMENTS} elements.
     */
    public double work() {
        return (warmup + 1.0) * ((double) samples * n + STEP_OVERHEAD_ELEMENTS);
    }

    /** A step's fixed cost (NDArray calls, solver dispatch) in array elements. */
    static final double STEP_OVERHEAD_ELEMENTS = 10_000;

    /**
     * The points of one configuration over all seeds.
     *
     * @param method the estimator
     * @param n the problem size
     * @param samples S
     * @param lambda IMLE's lambda or NaN
     * @param warmup AIMLE's warm-up steps or 0
     */
    public record Group(Method method, int n, int samples, double lambda, int warmup) {
        /** The point of seed {@code seed}. */
        public PointKey seed(int seed) {
            return new PointKey(method, n, samples, lambda, warmup, seed);
        }
    }
}
