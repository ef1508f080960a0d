package dev.aimle.estimators;

/**
 * Which finite-difference formula an I-MLE-family estimator uses (AAAI-23 paper, section "Forward
 * and centred finite difference approximation").
 */
public enum FiniteDifference {
    /**
     * {@code g = (MAP(theta + eps) - MAP(theta - lambda*dy + eps)) / lambda} (Eq. 2): one extra
     * solver call per sample, reusing the forward sample when both noise temperatures agree.
     */
    FORWARD,
    /**
     * {@code g = (MAP(theta + lambda*dy + eps) - MAP(theta - lambda*dy + eps)) / (2*lambda)}
     * (Algorithm 1): a second-order approximation; both targets are solved in one batched call.
     */
    CENTRAL;

    /** Parses {@code forward} or {@code central} (case-insensitive), naming the value on error. */
    public static FiniteDifference parse(String value) {
        for (FiniteDifference d : values()) {
            if (d.name().equalsIgnoreCase(value.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "difference (" + value + ") must be 'forward' or 'central'");
    }

    /** The denominator factor: 1 for forward, 2 for central. */
    public int divisor() {
        return this == FORWARD ? 1 : 2;
    }
}
