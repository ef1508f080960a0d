package dev.aimle.app.experiments.warcraft;

import dev.aimle.app.experiments.Moments;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures that compare a Warcraft data set with the original (the README prints both side by
 * side): the path length in cells, the optimal path's cost, the spread of the vertex costs, and the
 * share of each distinct cost. They read only the costs and paths, so they are computed the same way
 * for the original files and for generated ones.
 *
 * @param maps N
 * @param pathLengthMean the mean number of cells on the optimal path
 * @param pathLengthStd its standard deviation (population)
 * @param pathCostMean the mean cost of the optimal path (both ends included)
 * @param pathCostStd its standard deviation
 * @param costMean the mean vertex cost over every cell of every map
 * @param costStd the standard deviation of the vertex costs
 * @param costShares the share of cells of each distinct cost (at most 16 distinct values listed)
 */
public record DataStatistics(
        int maps,
        double pathLengthMean,
        double pathLengthStd,
        double pathCostMean,
        double pathCostStd,
        double costMean,
        double costStd,
        Map<Float, Double> costShares) {

    /** Copies the shares. */
    public DataStatistics {
        costShares = Map.copyOf(costShares);
    }

    /** The figures of one split. */
    public static DataStatistics of(WarcraftSplit split) {
        int cells = split.grid() * split.grid();
        float[] weights = split.weights();
        float[] paths = split.paths();
        double[] length = new double[split.size()];
        double[] cost = new double[split.size()];
        TreeMap<Float, Long> counts = new TreeMap<>();
        double sum = 0;
        double squares = 0;
        for (int n = 0; n < split.size(); n++) {
            for (int i = n * cells; i < (n + 1) * cells; i++) {
                length[n] += paths[i];
                cost[n] += paths[i] * weights[i];
                sum += weights[i];
                squares += (double) weights[i] * weights[i];
                if (counts.size() < 16 || counts.containsKey(weights[i])) {
                    counts.merge(weights[i], 1L, Long::sum);
                }
            }
        }
        long total = (long) split.size() * cells;
        double mean = total == 0 ? Double.NaN : sum / total;
        Map<Float, Double> shares = new TreeMap<>();
        counts.forEach((value, count) -> shares.put(value, (double) count / total));
        return new DataStatistics(
                split.size(),
                Moments.mean(length),
                Moments.std(length),
                Moments.mean(cost),
                Moments.std(cost),
                mean,
                total == 0 ? Double.NaN : Math.sqrt(Math.max(squares / total - mean * mean, 0)),
                shares);
    }

    /** One line: {@code path length 21.3 ± 3.1 cells, path cost ..., costs ...}. */
    public String describe() {
        StringBuilder shares = new StringBuilder();
        new TreeMap<>(costShares)
                .forEach((value, share) ->
                        shares.append(String.format(Locale.ROOT, " %.1f:%.1f%%", value, 100 * share)));
        return String.format(
                Locale.ROOT,
                "%d maps: path length %.2f ± %.2f cells, path cost %.2f ± %.2f, vertex cost %.2f ± %.2f, cost shares%s",
                maps,
                pathLengthMean,
                pathLengthStd,
                pathCostMean,
                pathCostStd,
                costMean,
                costStd,
                shares);
    }
}
