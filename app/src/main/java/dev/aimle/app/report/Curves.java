package dev.aimle.app.report;

import dev.aimle.app.harness.UnitSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;

/**
 * The reports' curves: a column of every group over its rows (mean ± std over seeds), one panel of
 * groups at a time, the panels of a figure stacked into one PNG.
 */
public final class Curves {
    private Curves() {}

    /**
     * Adds a panel of {@code column} along {@code xColumn} for each group (its colour by its place in
     * the list), unless no group has a row.
     *
     * @param label a group's name in the legend
     */
    public static <S extends UnitSpec> void panel(
            List<JFreeChart> panels,
            String title,
            String xColumn,
            String yLabel,
            List<RunGroup<S>> groups,
            String column,
            Function<S, String> label) {
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            RunGroup<S> g = groups.get(i);
            if (g.rows() == 0) {
                continue;
            }
            double[][] c = g.curve(xColumn, column);
            series.add(new Charts.Series(
                    label.apply(g.first()), c[0], c[1], c[2], Charts.PALETTE.get(i % Charts.PALETTE.size()), false));
        }
        if (!series.isEmpty()) {
            panels.add(Charts.chart(title, xColumn, yLabel, false, series, Double.NaN, Double.NaN));
        }
    }

    /**
     * Writes the panels one above the other (720 × 380 each) into {@code file}, unless there are none.
     *
     * @return whether it wrote the file
     */
    public static boolean write(Path file, String title, List<JFreeChart> panels) {
        if (panels.isEmpty()) {
            return false;
        }
        Charts.writePng(file, title, panels, 1, 720, 380);
        return true;
    }
}
