package dev.aimle.estimators.imle;

/**
 * The array operations {@link Algorithm1} is written in, over the arrays of one sample: theta
 * repeated S times, the forward noise eps, the states z and, in the backward pass, dL/dz. Each
 * operation is one line of the algorithm, so a backend may evaluate a line in one pass over its
 * arrays; what the lines are, in which order, with which lambda, sign and divisor, is decided in
 * {@link Algorithm1} alone. Two backends: {@link EngineKernel} (DJL arrays: any device, any float
 * type, padding masks) and {@link HostKernel} (float32 values on the CPU in plain loops, for the
 * engine calls it saves). Both evaluate every entry by the same float32 operations in the same order
 * (a float32 product with a scalar rounded to float32, then a sum), so they give the same states.
 *
 * @param <A> the backend's array type
 */
interface Kernel<A> {

    /** The forward pass's scores {@code theta + tau * eps}, theta repeated S times. */
    A perturbed(double tau);

    /**
     * The centre of the targets, {@code theta + tau * eps} with theta repeated S times; theta itself
     * when tau = 0 or the sample has no noise (no arithmetic, so theta's values pass unchanged).
     */
    A centre(double tau);

    /**
     * The targets of the finite difference, {@code theta + tau*eps + s*lambda*dy} and
     * {@code theta + tau*eps - s*lambda*dy} stacked in that order along the batch axis for the central
     * difference, the second alone for the forward one; the centre is {@link #centre}.
     *
     * @param sign s: +1 for a maximising solver, -1 for a minimising one
     */
    A targets(double tau, Lambda<A> lambda, int sign, boolean central);

    /** The MAP states of {@code scores} (stacked central targets solved in one batched call). */
    A solve(A scores, boolean stacked);

    /** The upper and lower halves of stacked states, in the order {@link #targets} stacks them. */
    Halves<A> halves(A stacked);

    /** The states z the forward pass drew. */
    A z();

    /**
     * {@code D = upper - lower}, its number of non-zero entries {@code ||D||_0}, and
     * {@code D / (factor * lambda)}.
     */
    Difference<A> difference(A upper, A lower, Lambda<A> lambda, double factor);

    /** {@code ||theta||} over theta repeated S times (like dy), leaving out masked positions. */
    float thetaNorm();

    /** {@code ||dL/dz||}. */
    float dyNorm();

    /** The number of non-zero entries of dL/dz. */
    long dyNonZeros();

    /**
     * Algorithm 1's lambda per input b, {@code alpha * mean_i ||theta_b|| / ||dy_{b,i}||} over its
     * samples with {@code dy != 0} (0 if there are none), one value per sample row.
     *
     * @throws UnsupportedOperationException from a backend that computes one lambda per batch only
     */
    Lambda<A> perInputLambda(double alpha);

    /** {@code sign * dL/dz}: the straight-through estimate. */
    A signedDy(int sign);

    /** Zeros shaped like dL/dz. */
    A zeros();

    /** lambda: one number for the batch, or one per sample row. */
    sealed interface Lambda<A> {
        /** The value reported as the pass's lambda (the mean over inputs for one per row). */
        double mean();
    }

    /** One lambda for the whole batch. */
    record BatchLambda<A>(double value) implements Lambda<A> {
        @Override
        public double mean() {
            return value;
        }
    }

    /** One lambda per sample row, shaped to broadcast against dL/dz. */
    record RowLambda<A>(A rows, double mean) implements Lambda<A> {}

    /** The two halves of stacked states. */
    record Halves<A>(A upper, A lower) {}

    /** D divided as asked, and {@code ||D||_0}. */
    record Difference<A>(A quotient, long nonZeros) {}
}
