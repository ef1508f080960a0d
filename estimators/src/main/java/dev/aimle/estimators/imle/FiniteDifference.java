package dev.aimle.estimators.imle;

import java.util.Locale;

/**
 * Which finite-difference formula an I-MLE-family estimator uses (AAAI-23 paper, section "Forward
 * and centred finite difference approximation"). Chosen with the builders' {@code forward()} and
 * {@code central()}, or the providers' {@code difference} parameter.
 */
enum FiniteDifference {
    /** {@code (MAP(theta + eps) - MAP(theta - lambda*dy + eps)) / lambda} (Eq. 2). */
    FORWARD,
    /** {@code (MAP(theta + lambda*dy + eps) - MAP(theta - lambda*dy + eps)) / (2*lambda)} (Algorithm 1). */
    CENTRAL;

    /** Parses {@code forward} or {@code central} (case-insensitive), naming the value on error. */
    static FiniteDifference parse(String value) {
        for (FiniteDifference d : values()) {
            if (d.name().equalsIgnoreCase(value.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("difference (" + value + ") must be 'forward' or 'central'");
    }

    /** The denominator factor: 1 for forward, 2 for central. */
    int divisor() {
        return this == FORWARD ? 1 : 2;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
