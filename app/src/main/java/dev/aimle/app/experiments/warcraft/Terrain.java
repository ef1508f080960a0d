package dev.aimle.app.experiments.warcraft;

/**
 * The terrain types of the generated maps, with the vertex costs of the original Warcraft data.
 *
 * <p><b>What the sources say.</b> Pogancic et al. 2020 ("Differentiation of Blackbox Combinatorial
 * Solvers", ICLR), appendix A.3.1: the maps were made "with a custom random generation process" from
 * 142 tiles of the Warcraft II tileset (Guyomarch 2017, war2edit), and "the costs for the different
 * terrain types range from 0.8–9.2" (printed as "0.8–0.2"); section 4.1 says each vertex "represents a
 * terrain with a fixed cost". The five values 0.8, 1.2, 5.3, 7.7 and 9.2 are the distinct vertex
 * costs of the original files (other code that reads them lists exactly these as the data's weight
 * types). Neither the paper nor its code nor the reference implementation of the AIMLE paper says
 * which tile carries which cost, and the generator was not published: <b>the assignment below is our
 * reading</b> (open ground cheap, water and mountains dear), not a cited fact. Only the costs matter
 * to the solver; the network must learn them from the pixels either way.
 *
 * <p>Each type has a base colour that {@link WarcraftGenerator} jitters per map and a texture it
 * draws per tile.
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
