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

    /** Estimated cost in work units: one unit per sample per step, plus a fixed cost per step. */
    public double work() {
        return (warmup + 1.0) * (samples + STEP_OVERHEAD_SAMPLES);
    }

    /** A step's fixed cost (NDArray calls, solver dispatch) in sample-equivalents, from measurements. */
    static final double STEP_OVERHEAD_SAMPLES = 300;

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
