package dev.aimle.app.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The numbers of a report's group: the runs of one configuration over seeds, each a list of rows
 * (one per evaluation). Mean and standard deviation over seeds ({@link SeedStatistics}) of a column
 * at the last row every seed reached, at each seed's best row, or along the rows as a curve.
 */
public final class SeedGroups {
    private SeedGroups() {}

    /** Rows every seed has reached. */
    public static int rows(List<List<Map<String, Double>>> seeds) {
        return seeds.stream().mapToInt(List::size).min().orElse(0);
    }

    /** {@code {mean, std}} of {@code column} at the last row every seed reached. */
    public static double[] last(List<List<Map<String, Double>>> seeds, String column) {
        int e = rows(seeds);
        return SeedStatistics.meanStd(
                seeds.stream().mapToDouble(rows -> rows.get(e - 1).get(column)).toArray());
    }

    /** Per seed, the row with the highest {@code column} (e.g. the validation ELBO). */
    public static List<Map<String, Double>> best(List<List<Map<String, Double>>> seeds, String column) {
        return seeds.stream()
                .map(rows -> rows.stream()
                        .max(Comparator.comparingDouble(r -> r.get(column)))
                        .orElseThrow())
                .toList();
    }

    /**
     * {@code {x, mean, std}} of {@code column} along the rows every seed reached, {@code x} the first
     * seed's {@code xColumn} (e.g. {@code epoch} or {@code step}).
     */
    public static double[][] curve(List<List<Map<String, Double>>> seeds, String xColumn, String column) {
        int e = rows(seeds);
        double[][] c = new double[3][e];
        for (int i = 0; i < e; i++) {
            final int row = i;
            double[] ms = SeedStatistics.meanStd(seeds.stream()
                    .mapToDouble(rows -> rows.get(row).get(column))
                    .toArray());
            c[0][i] = seeds.get(0).get(i).get(xColumn);
            c[1][i] = ms[0];
            c[2][i] = ms[1];
        }
        return c;
    }
}
