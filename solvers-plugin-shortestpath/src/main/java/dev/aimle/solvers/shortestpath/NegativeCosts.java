package dev.aimle.solvers.shortestpath;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the solver does with a negative vertex cost. Dijkstra needs costs at least 0, and the
 * estimators perturb the costs with noise (and with {@code lambda * dL/dz}), so perturbed costs are
 * often negative even when the network's are not.
 */
public enum NegativeCosts {
    /**
     * A negative cost counts as 0: the path is the cheapest for {@code max(theta, 0)}. This is what
     * the reference implementation does before its Dijkstra ({@code sanitise_weights} in
     * {@code aaai23/maprop/warcraft_shortest_path/maprop.py}: {@code np.maximum(weights, 0)}). The
     * default.
     */
    CLIP("clip"),
    /** A negative cost is refused with an {@link IllegalArgumentException} naming the cell and value. */
    REFUSE("refuse");

    private final String configName;

    NegativeCosts(String configName) {
        this.configName = configName;
    }

    /**
     * Under {@link #REFUSE}, the refusal of the first negative cost of a grid {@code width} wide
     * ({@code h*w} row-major costs), naming its cell; nothing under {@link #CLIP}.
     */
    void check(float[] scores, int n, int width) {
        if (this != REFUSE) {
            return;
        }
        for (int i = 0; i < n; i++) {
            if (scores[i] < 0) {
                throw refusal(scores[i], i, width);
            }
        }
    }

    static IllegalArgumentException refusal(float value, int cell, int width) {
        return new IllegalArgumentException("cost " + value + " of cell [" + cell / width + ", " + cell % width
                + "] is negative; solver '" + ShortestPathSolver.NAME + "' with negative=refuse needs costs at least 0"
                + " (negative=clip counts them as 0, as the reference implementation does)");
    }

    /** The configuration value, e.g. {@code "clip"}. */
    public String configName() {
        return configName;
    }

    /**
     * The policy of a configuration value.
     *
     * @throws IllegalArgumentException naming the value and the known ones
     */
    public static NegativeCosts fromConfigName(String value) {
        String key = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (NegativeCosts n : values()) {
            if (n.configName.equals(key)) {
                return n;
            }
        }
        throw new IllegalArgumentException("negative '" + value + "' is unknown; known: "
                + Arrays.stream(values()).map(NegativeCosts::configName).collect(Collectors.joining(", ")));
    }
}
