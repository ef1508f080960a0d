package dev.aimle.app.experiments.warcraft;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * The Warcraft metrics of the reference ({@code warcraft_shortest_path/metrics.py}), on batches of
 * {@code [B, k, k]} grids held row-major: perfect-match accuracy, the cost ratio, per-cell accuracy
 * and the share of valid paths; and the Hamming loss it trains with.
 *
 * <p><b>Cost ratio.</b> Here it is, per map, the true cost of the suggested cells over the true cost
 * of the optimal path, {@code sum(s * w) / sum(y * w)}, averaged over the maps: 1 for an optimal
 * path. The reference's {@code cost_ratio} receives {@code [B, k, k]} arrays and sums over axis 1
 * only, so it averages k column-wise ratios per map instead; the two agree when the suggestion is
 * optimal, not otherwise. Its {@code all_accuracies} computes the per-map ratio as here, for valid
 * suggestions only.
 *
 * <p><b>Valid path.</b> The suggested cells contain a path from the top-left to the bottom-right cell
 * through 8-neighbours (the reference runs Dijkstra on {@code 1 - s} and asks for a zero-cost path,
 * which is the same test).
 */
public final class PathMetrics {
    private final long maps;
    private final long perfect;
    private final double costRatioSum;
    private final long correctCells;
    private final long cells;
    private final long valid;

    private PathMetrics(long maps, long perfect, double costRatioSum, long correctCells, long cells, long valid) {
        this.maps = maps;
        this.perfect = perfect;
        this.costRatioSum = costRatioSum;
        this.correctCells = correctCells;
        this.cells = cells;
        this.valid = valid;
    }

    /** No maps yet. */
    public static PathMetrics empty() {
        return new PathMetrics(0, 0, 0, 0, 0, 0);
    }

    /**
     * The metrics of one batch.
     *
     * @param weights the true vertex costs {@code [B, k, k]}, positive
     * @param truth the optimal paths {@code [B, k, k]} in {0, 1}
     * @param suggested the suggested cells {@code [B, k, k]}; a cell counts as chosen above 0.5
     * @param grid k
     * @throws IllegalArgumentException when the lengths are not multiples of {@code k*k} or differ
     */
    public static PathMetrics of(float[] weights, float[] truth, float[] suggested, int grid) {
        int cellsPerMap = grid * grid;
        if (grid < 1
                || truth.length % cellsPerMap != 0
                || truth.length != suggested.length
                || truth.length != weights.length) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "weights (%d values), truth (%d) and suggested (%d) must hold the same whole number of %dx%d grids",
                    weights.length,
                    truth.length,
                    suggested.length,
                    grid,
                    grid));
        }
        int batch = truth.length / cellsPerMap;
        long perfect = 0;
        long correct = 0;
        long valid = 0;
        double ratios = 0;
        for (int b = 0; b < batch; b++) {
            int from = b * cellsPerMap;
            boolean same = true;
            double suggestedCost = 0;
            double optimalCost = 0;
            for (int i = from; i < from + cellsPerMap; i++) {
                boolean chosen = suggested[i] > 0.5f;
                boolean onPath = truth[i] > 0.5f;
                if (chosen == onPath) {
                    correct++;
                } else {
                    same = false;
                }
                suggestedCost += chosen ? weights[i] : 0;
                optimalCost += onPath ? weights[i] : 0;
            }
            if (same) {
                perfect++;
            }
            if (!(optimalCost > 0)) {
                throw new IllegalArgumentException("map " + b + " of the batch has an optimal path of cost "
                        + optimalCost + "; expected positive");
            }
            ratios += suggestedCost / optimalCost;
            if (isValidPath(suggested, from, grid)) {
                valid++;
            }
        }
        return new PathMetrics(batch, perfect, ratios, correct, (long) batch * cellsPerMap, valid);
    }

    /** These metrics and {@code other}'s, weighted by their numbers of maps. */
    public PathMetrics plus(PathMetrics other) {
        return new PathMetrics(
                maps + other.maps,
                perfect + other.perfect,
                costRatioSum + other.costRatioSum,
                correctCells + other.correctCells,
                cells + other.cells,
                valid + other.valid);
    }

    /** The number of maps. */
    public long maps() {
        return maps;
    }

    /** The share of maps whose suggested cells are exactly the optimal path's. */
    public double perfectMatch() {
        return maps == 0 ? Double.NaN : (double) perfect / maps;
    }

    /** The mean over maps of the suggestion's true cost over the optimal cost (1 is optimal). */
    public double costRatio() {
        return maps == 0 ? Double.NaN : costRatioSum / maps;
    }

    /** The share of cells classified right (on the path or not), the reference's "accuracy". */
    public double cellAccuracy() {
        return cells == 0 ? Double.NaN : (double) correctCells / cells;
    }

    /** The share of maps whose suggested cells contain a top-left to bottom-right 8-connected path. */
    public double validShare() {
        return maps == 0 ? Double.NaN : (double) valid / maps;
    }

    /**
     * Whether the cells above 0.5 of the grid at {@code offset} contain a path from the top-left to the
     * bottom-right cell, each step to one of the 8 neighbours.
     */
    public static boolean isValidPath(float[] cells, int offset, int grid) {
        int n = grid * grid;
        if (cells[offset] <= 0.5f || cells[offset + n - 1] <= 0.5f) {
            return false;
        }
        boolean[] seen = new boolean[n];
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        queue[tail++] = 0;
        seen[0] = true;
        while (head < tail) {
            int cell = queue[head++];
            if (cell == n - 1) {
                return true;
            }
            int row = cell / grid;
            int col = cell % grid;
            for (int dr = -1; dr <= 1; dr++) {
                for (int dc = -1; dc <= 1; dc++) {
                    int r = row + dr;
                    int c = col + dc;
                    if ((dr != 0 || dc != 0) && r >= 0 && r < grid && c >= 0 && c < grid) {
                        int next = r * grid + c;
                        if (!seen[next] && cells[offset + next] > 0.5f) {
                            seen[next] = true;
                            queue[tail++] = next;
                        }
                    }
                }
            }
        }
        return false;
    }

    /**
     * The reference's Hamming loss: per cell, the mean over the batch (the first axis) of
     * {@code s(1 - y) + (1 - s) y}, summed over the cells. For paths in {0, 1} it is the mean number of
     * wrong cells per map; its gradient is {@code dL/ds = (1 - 2y) / B}.
     *
     * @param suggested {@code [B, ...]}, differentiable
     * @param target {@code [B, ...]}, in {0, 1}
     * @return a scalar
     */
    public static NDArray hammingLoss(NDArray suggested, NDArray target) {
        if (!suggested.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("suggested " + suggested.getShape() + " and target " + target.getShape()
                    + " must have the same shape");
        }
        NDArray errors =
                suggested.mul(target.neg().add(1)).add(suggested.neg().add(1).mul(target));
        return errors.mean(new int[] {0}).sum();
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "PathMetrics[%d maps: perfect %.4f, cost ratio %.4f, cells %.4f, valid %.4f]",
                maps,
                perfectMatch(),
                costRatio(),
                cellAccuracy(),
                validShare());
    }
}
