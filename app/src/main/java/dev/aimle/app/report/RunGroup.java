package dev.aimle.app.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.Specs;
import dev.aimle.app.harness.UnitSpec;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one configuration over seeds, as a report averages them: each run with its rows (one
 * per evaluation). Mean and sample standard deviation over seeds ({@link SeedStatistics}) of a column
 * at the last row every seed reached, at each seed's best row, or along the rows as a curve.
 *
 * @param first the spec of the group's first run (its configuration, and the first seed)
 * @param runs the runs, in the order the report met them
 * @param seeds the rows of each run, in the same order
 * @param <S> the experiment's spec
 */
public record RunGroup<S extends UnitSpec>(S first, List<RunUnit<S>> runs, List<List<Map<String, Double>>> seeds) {
    /** The key of a run's configuration: its spec without the seed and without what may be extended. */
    public static String configuration(UnitSpec spec) {
        ObjectNode tree = Specs.toTree(spec);
        tree.remove("seed");
        tree.remove(spec.extensibleKeys());
        return tree.toString();
    }

    /**
     * Chooses among groups by a validation score, e.g. IMLE's λ with the lowest validation loss;
     * the first group wins a tie.
     *
     * @param among which groups compete, e.g. those of one method and K
     * @param score the validation score of a group
     * @param higherIsBetter whether the highest score wins (else the lowest)
     */
    public static <S extends UnitSpec> Optional<RunGroup<S>> choose(
            Collection<RunGroup<S>> groups,
            Predicate<S> among,
            ToDoubleFunction<RunGroup<S>> score,
            boolean higherIsBetter) {
        Comparator<RunGroup<S>> order = Comparator.comparingDouble(score);
        var candidates = groups.stream().filter(g -> among.test(g.first()));
        return higherIsBetter ? candidates.max(order) : candidates.min(order);
    }

    /** Rows every seed has reached. */
    public int rows() {
        return seeds.stream().mapToInt(List::size).min().orElse(0);
    }

    /** {@code {mean, std}} of {@code column} at the last row every seed reached. */
    public double[] last(String column) {
        int e = rows();
        return SeedStatistics.meanStd(
                seeds.stream().mapToDouble(rows -> rows.get(e - 1).get(column)).toArray());
    }

    /** Per seed, the row with the highest {@code column} (e.g. the validation ELBO); the first on a tie. */
    public List<Map<String, Double>> best(String column) {
        return seeds.stream()
                .map(rows -> rows.stream()
                        .max(Comparator.comparingDouble(r -> r.get(column)))
                        .orElseThrow())
                .toList();
    }

    /** {@code {mean, std}} of {@code column} at each seed's row of highest {@code by}. */
    public double[] atBest(String by, String column) {
        return SeedStatistics.meanStd(
                best(by).stream().mapToDouble(r -> r.get(column)).toArray());
    }

    /** The mean of {@code column} over every row of every seed, e.g. the seconds per epoch. */
    public double mean(String column) {
        return seeds.stream()
                .flatMap(List::stream)
                .mapToDouble(r -> r.get(column))
                .average()
                .orElse(Double.NaN);
    }

    /**
     * {@code {x, mean, std}} of {@code column} along the rows every seed reached, {@code x} the first
     * seed's {@code xColumn} (e.g. {@code epoch} or {@code step}).
     */
    public double[][] curve(String xColumn, String column) {
        int e = rows();
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
