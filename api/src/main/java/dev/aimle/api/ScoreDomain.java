package dev.aimle.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The scores a {@link MapSolver} is exact on, and how tools draw test scores from them: the contract
 * test, {@code aimle verify}, {@code aimle bench} and {@code aimle demo} all draw their random
 * inputs from the solver's {@link MapSolver#scoreDomain()} (or from the domain a user names with
 * {@code --scores}), so that a solver that needs non-negative costs (Dijkstra) is checked on inputs
 * it is meant to solve. Both domains draw from {@link RandomGenerator#nextGaussian()}, so the same
 * seed gives the same magnitudes in either.
 */
public enum ScoreDomain {
    /** Any finite real score; test draws are N(0, 1). The default. */
    REAL("real", "N(0, 1)"),
    /** Scores at least 0 (costs of a shortest path, say); test draws are |N(0, 1)|. */
    NON_NEGATIVE("non-negative", "|N(0, 1)|");

    private final String configName;
    private final String draws;

    ScoreDomain(String configName, String draws) {
        this.configName = configName;
        this.draws = draws;
    }

    /** The name on the command line and in configuration, e.g. {@code "non-negative"}. */
    public String configName() {
        return configName;
    }

    /** What a test draw is, e.g. {@code "|N(0, 1)|"}. */
    public String draws() {
        return draws;
    }

    /** Whether {@code score} belongs to this domain. */
    public boolean contains(float score) {
        return switch (this) {
            case REAL -> Float.isFinite(score);
            case NON_NEGATIVE -> Float.isFinite(score) && score >= 0;
        };
    }

    /** One test score from {@code random}. */
    public float draw(RandomGenerator random) {
        float g = (float) random.nextGaussian();
        return this == NON_NEGATIVE ? Math.abs(g) : g;
    }

    /** {@code count} test scores from {@code random}, in order. */
    public float[] draw(RandomGenerator random, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count (" + count + ") must be at least 0");
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = draw(random);
        }
        return values;
    }

    /**
     * The domain of a configuration name.
     *
     * @throws IllegalArgumentException naming the value and the known names
     */
    public static ScoreDomain fromConfigName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ScoreDomain d : values()) {
            if (d.configName.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("score domain '" + name + "' is unknown; known: " + knownNames());
    }

    /** The configuration names, comma separated. */
    public static String knownNames() {
        return Arrays.stream(values()).map(ScoreDomain::configName).collect(Collectors.joining(", "));
    }
}
