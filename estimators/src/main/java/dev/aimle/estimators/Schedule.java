package dev.aimle.estimators;

/**
 * A value that changes with the training step, such as a temperature annealed over training. The
 * step is the number of backward passes the owner has completed; the owner checkpoints it, so a
 * resumed run continues the schedule where it stopped.
 */
@FunctionalInterface
public interface Schedule {

    /**
     * The value at a step.
     *
     * @param step the number of completed backward passes, at least 0
     * @return a finite value greater than 0
     */
    double at(long step);

    /** The same value at every step. */
    static Schedule constant(double value) {
        requirePositive("value", value);
        return step -> value;
    }

    /**
     * {@code max(floor, initial * exp(-rate * t))} with t the step rounded down to a multiple of
     * {@code every}: the reference DVAE's Gumbel-softmax annealing is
     * {@code exponentialDecay(1, 3e-5, 0.5, 1000)}.
     */
    static Schedule exponentialDecay(double initial, double rate, double floor, long every) {
        requirePositive("initial", initial);
        requirePositive("floor", floor);
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate (" + rate + ") must be a finite number at least 0");
        }
        if (every < 1) {
            throw new IllegalArgumentException("every (" + every + ") must be at least 1");
        }
        return step -> Math.max(floor, initial * Math.exp(-rate * (step - step % every)));
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a finite number greater than 0");
        }
    }
}
