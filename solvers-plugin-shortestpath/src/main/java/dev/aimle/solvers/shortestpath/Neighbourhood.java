package dev.aimle.solvers.shortestpath;

import java.util.Locale;

/** Which cells of a grid are adjacent: a path moves from a cell to one of its neighbours. */
public enum Neighbourhood {
    /** The 4 cells that share a side (up, down, left, right): the reference's {@code "4-grid"}. */
    FOUR("4", new int[] {-1, 0, 0, -1, 0, 1, 1, 0}),
    /** The 8 cells that share a side or a corner: the reference's {@code "8-grid"}, Warcraft's default. */
    EIGHT("8", new int[] {-1, -1, -1, 0, -1, 1, 0, -1, 0, 1, 1, -1, 1, 0, 1, 1});

    private final String configName;
    // (row, column) offsets, pairwise
    private final int[] offsets;

    Neighbourhood(String configName, int[] offsets) {
        this.configName = configName;
        this.offsets = offsets;
    }

    /** The configuration value, {@code "4"} or {@code "8"}. */
    public String configName() {
        return configName;
    }

    /** How many neighbours an inner cell has. */
    public int size() {
        return offsets.length / 2;
    }

    /** The row offset of neighbour {@code i}. */
    int rowOffset(int i) {
        return offsets[2 * i];
    }

    /** The column offset of neighbour {@code i}. */
    int columnOffset(int i) {
        return offsets[2 * i + 1];
    }

    /** Whether cells {@code a} and {@code b} of a grid {@code width} wide are neighbours (a != b). */
    boolean adjacent(int a, int b, int width) {
        int dr = Math.abs(a / width - b / width);
        int dc = Math.abs(a % width - b % width);
        return this == EIGHT ? dr <= 1 && dc <= 1 && (dr | dc) != 0 : dr + dc == 1;
    }

    /**
     * The neighbourhood of a configuration value: {@code 4} or {@code 8}, also written as the
     * reference's {@code 4-grid} and {@code 8-grid}.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Neighbourhood fromConfigName(String value) {
        String key = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Neighbourhood n : values()) {
            if (key.equals(n.configName) || key.equals(n.configName + "-grid")) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "neighbourhood '" + value + "' is unknown; expected 4 or 8 (also written 4-grid, 8-grid)");
    }
}
