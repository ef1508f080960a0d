package dev.aimle.app.experiments.warcraft;

/**
 * The terrain types of the generated maps, with the vertex costs of the original Warcraft data
 * (Pogancic et al. 2020, "Differentiation of Blackbox Combinatorial Solvers", ICLR; the data's cost
 * range is [0.8, 9.2] as the tile-based navigation data sets that redistribute it state). The five
 * values are the distinct vertex costs of the original files; which Warcraft II tile carries which
 * cost is our reading (cheap open ground, expensive water and mountains), and only the costs matter
 * to the solver. Each type has a base colour that {@link WarcraftGenerator} jitters per map and a
 * texture it draws per tile.
 */
public enum Terrain {
    /** Open grass, the cheapest. */
    GRASS(0.8f, 70, 140, 50),
    /** Bare earth and roads. */
    EARTH(1.2f, 150, 115, 70),
    /** Forest. */
    FOREST(5.3f, 30, 85, 35),
    /** Water. */
    WATER(7.7f, 40, 80, 160),
    /** Mountains and rock, the most expensive. */
    MOUNTAIN(9.2f, 125, 120, 115);

    private final float cost;
    private final int red;
    private final int green;
    private final int blue;

    Terrain(float cost, int red, int green, int blue) {
        this.cost = cost;
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The vertex cost of a tile of this type. */
    public float cost() {
        return cost;
    }

    /** The base colour's channel c (0 red, 1 green, 2 blue), before the per-map jitter. */
    int base(int channel) {
        return switch (channel) {
            case 0 -> red;
            case 1 -> green;
            default -> blue;
        };
    }
}
