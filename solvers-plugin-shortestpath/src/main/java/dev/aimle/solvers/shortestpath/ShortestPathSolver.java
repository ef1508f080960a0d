package dev.aimle.solvers.shortestpath;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.PerInstanceMapSolver;
import dev.aimle.api.ScoreDomain;
import dev.aimle.api.grid.GridDijkstra;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The MAP oracle of the Warcraft shortest-path experiment (Pogancic et al., ICLR 2020; Minervini,
 * Franceschi, Niepert, AAAI-23, appendix): for every instance of vertex costs {@code theta [H, W]},
 * the cells of the cheapest path from the top-left cell to the bottom-right cell, each step to one
 * of the 8 (or 4) neighbouring cells. It minimises: {@code MAP(theta) = argmin_{z in P} <z, theta>}
 * over the cell sets {@code P} of such paths ({@link #sense()} is {@code MINIMISE}, and the
 * estimators perturb and sign accordingly, the reference's {@code _is_minimization=True}).
 *
 * <h2>Input and output</h2>
 *
 * theta is float32 {@code [B, H, W]}, {@code H, W >= 1}; the output has its shape, 1 on the path's
 * cells (both ends included) and 0 elsewhere. <b>The cost of a path is the sum of the costs of all
 * its cells, the start and the end cell included</b>, i.e. {@code <z, theta>}: the reference's
 * {@code dijkstra} starts from {@code costs[0][0] = matrix[0][0]}, so it counts the start cell too.
 * (Counting it or not never changes which path is cheapest: every path contains it.)
 *
 * <h2>Negative costs</h2>
 *
 * Dijkstra needs costs at least 0, and the estimators' noise makes perturbed costs negative often.
 * {@link NegativeCosts#CLIP} (the default) counts a negative cost as 0, as the reference does before
 * its Dijkstra ({@code np.maximum(weights, 0)}); the answer is then the cheapest path for {@code
 * max(theta, 0)}. {@link NegativeCosts#REFUSE} throws an {@link IllegalArgumentException} naming the
 * cell and the value. Either way {@link #scoreDomain()} is {@code NON_NEGATIVE}: the costs on which
 * the answer is the argmin of {@code <z, theta>} itself.
 *
 * <h2>Ties</h2>
 *
 * With {@link Algorithm#DIJKSTRA} (the default), cells are settled in increasing order of (cost of
 * the cheapest path found so far, row-major cell index), and a cell's path is replaced only by a
 * strictly cheaper one, so each cell's predecessor is the first settled neighbour through which it
 * reached its final cost; path costs are float32 sums. This is the reference implementation's rule,
 * so both return the same path on the same float32 costs. For example, on a 2 x 2 grid of equal
 * costs with 8 neighbours the path is the diagonal {@code [0,0] -> [1,1]}; with 4 neighbours it is
 * {@code [0,0] -> [0,1] -> [1,1]} (the top-right cell, index 1, is settled before the bottom-left
 * one, index 2). {@link Algorithm#JGRAPHT} finds a path of the same cost, but among equal-cost paths
 * JGraphT's own heap decides (deterministic, not this rule).
 *
 * <h2>Errors and threads</h2>
 *
 * An instance that is not {@code [H, W]} is refused naming its shape; NaN and infinite costs are
 * refused by the base class; a path cost that overflows float32 is refused. Thread-safe: each thread
 * solves with scratch arrays of its own.
 */
public final class ShortestPathSolver extends PerInstanceMapSolver {
    /** The provider name. */
    public static final String NAME = "shortest-path";

    /** The example instance shape: 12 cells, 4096 candidates to enumerate; not square, so rows and columns cannot be confused. */
    static final Shape EXAMPLE_SHAPE = new Shape(3, 4);

    /** How the path is computed. */
    public enum Algorithm {
        /** Dijkstra on primitive arrays with the documented tie rule ({@link GridDijkstra}): the default. */
        DIJKSTRA("dijkstra"),
        /** JGraphT's {@code DijkstraShortestPath} on a graph built per instance: the same costs, its own ties. */
        JGRAPHT("jgrapht");

        private final String configName;

        Algorithm(String configName) {
            this.configName = configName;
        }

        /** The configuration value, e.g. {@code "dijkstra"}. */
        public String configName() {
            return configName;
        }

        /**
         * The algorithm of a configuration value.
         *
         * @throws IllegalArgumentException naming the value and the known ones
         */
        public static Algorithm fromConfigName(String value) {
            String key = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            for (Algorithm a : values()) {
                if (a.configName.equals(key)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("algorithm '" + value + "' is unknown; known: "
                    + Arrays.stream(values()).map(Algorithm::configName).collect(Collectors.joining(", ")));
        }
    }

    private final Neighbourhood neighbourhood;
    private final NegativeCosts negative;
    private final Algorithm algorithm;
    private final ThreadLocal<GridDijkstra> scratch;

    /** 8 neighbours, negative costs clipped, Dijkstra, as many instances at once as processors. */
    public ShortestPathSolver() {
        this(Neighbourhood.EIGHT, NegativeCosts.CLIP, Algorithm.DIJKSTRA, defaultParallelism());
    }

    /**
     * @param neighbourhood which cells are adjacent
     * @param negative what a negative cost means
     * @param algorithm how the path is computed
     * @param parallelism the largest number of instances solved at once, at least 1
     */
    public ShortestPathSolver(
            Neighbourhood neighbourhood, NegativeCosts negative, Algorithm algorithm, int parallelism) {
        super(parallelism);
        if (neighbourhood == null || negative == null || algorithm == null) {
            throw new IllegalArgumentException("neighbourhood (" + neighbourhood + "), negative (" + negative
                    + ") and algorithm (" + algorithm + ") must not be null");
        }
        this.neighbourhood = neighbourhood;
        this.negative = negative;
        this.algorithm = algorithm;
        this.scratch = ThreadLocal.withInitial(() -> new GridDijkstra(neighbourhood == Neighbourhood.EIGHT));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code MINIMISE}: the cheapest path. */
    @Override
    public Sense sense() {
        return Sense.MINIMISE;
    }

    /** {@code INSTANCE}: the path over the whole grid is one structure (not one per row). */
    @Override
    public Unit naturalUnit() {
        return Unit.INSTANCE;
    }

    /** {@code NON_NEGATIVE}: the costs on which the answer is the argmin of {@code <z, theta>}. */
    @Override
    public ScoreDomain scoreDomain() {
        return ScoreDomain.NON_NEGATIVE;
    }

    /** {@code [3, 4]}. */
    @Override
    public Optional<Shape> exampleInstanceShape() {
        return Optional.of(EXAMPLE_SHAPE);
    }

    /** The cell sets of simple top-left to bottom-right paths in this neighbourhood. */
    @Override
    public Optional<FeasibleSet> feasibleSet() {
        return Optional.of(new GridPaths(neighbourhood));
    }

    /** The neighbourhood. */
    public Neighbourhood neighbourhood() {
        return neighbourhood;
    }

    /** The policy for negative costs. */
    public NegativeCosts negativeCosts() {
        return negative;
    }

    /** The algorithm. */
    public Algorithm algorithm() {
        return algorithm;
    }

    @Override
    protected void validateInstanceSize(int size) {
        throw new AssertionError("validateInstanceShape is overridden");
    }

    @Override
    protected void validateInstanceShape(Shape instanceShape) {
        if (instanceShape.dimension() != 2 || instanceShape.get(0) < 1 || instanceShape.get(1) < 1) {
            throw new IllegalArgumentException("solver '" + NAME + "' expects vertex costs [B, H, W] with H, W >= 1;"
                    + " got an instance of shape " + instanceShape);
        }
    }

    @Override
    protected void solveInstance(float[] scores, Shape instanceShape, float[] solution) {
        int h = (int) instanceShape.get(0);
        int w = (int) instanceShape.get(1);
        switch (algorithm) {
            case DIJKSTRA -> {
                negative.check(scores, h * w, w);
                scratch.get().solve(scores, 0, h, w, solution, 0);
            }
            case JGRAPHT -> JGraphTPaths.solve(scores, h, w, neighbourhood, negative, solution);
            default -> throw new AssertionError(algorithm);
        }
    }

    @Override
    public String toString() {
        return "ShortestPathSolver[neighbourhood=" + neighbourhood.configName() + ", negative="
                + negative.configName() + ", algorithm=" + algorithm.configName() + ", parallelism="
                + parallelism() + "]";
    }
}
