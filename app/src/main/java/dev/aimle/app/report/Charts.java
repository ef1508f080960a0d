package dev.aimle.app.report;

import dev.aimle.app.io.RunDirectory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG line charts of experiment results with JFreeChart: one line per series with its mean and a
 * shaded band of plus or minus one standard deviation, labelled axes, a legend, and optionally a
 * log-scale x axis. Several charts can be tiled into one image (one panel per problem size).
 *
 * <p>Rendering needs no display: it draws into a {@link BufferedImage}. The command sets
 * {@code java.awt.headless=true} before the first chart when nothing else chose a mode.
 */
public final class Charts {
    /** Colours of the series, in order: distinguishable and printable. */
    public static final List<Color> PALETTE = List.of(
            new Color(0x1f77b4),
            new Color(0xd62728),
            new Color(0x2ca02c),
            new Color(0xff7f0e),
            new Color(0x9467bd),
            new Color(0x8c564b),
            new Color(0xe377c2),
            new Color(0x17becf),
            new Color(0x7f7f7f),
            new Color(0xbcbd22));

    private Charts() {}

    /**
     * One line of a chart.
     *
     * @param label the legend entry
     * @param x the x values, increasing
     * @param mean the y values
     * @param std the half-width of the band around each mean (0 for none)
     * @param colour the line's colour
     * @param dashed a dashed line (reference lines)
     */
    public record Series(String label, double[] x, double[] mean, double[] std, Color colour, boolean dashed) {
        /** Checks the lengths and copies the arrays. */
        public Series {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(colour, "colour");
            if (x.length != mean.length || x.length != std.length) {
                throw new IllegalArgumentException("series '" + label + "' has " + x.length + " x, " + mean.length
                        + " means and " + std.length + " deviations; expected as many of each");
            }
            x = x.clone();
            mean = mean.clone();
            std = std.clone();
        }

        /** The lowest point of the band (mean minus deviation), or +infinity when empty. */
        public double lowest() {
            double low = Double.POSITIVE_INFINITY;
            for (int i = 0; i < mean.length; i++) {
                low = Math.min(low, mean[i] - std[i]);
            }
            return low;
        }
    }

    /**
     * A chart of the series.
     *
     * @param title the panel's title
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param logX a log10 x axis (all x must be positive)
     * @param yLower lower bound of the y axis, or NaN for automatic
     * @param yUpper upper bound of the y axis, or NaN for automatic
     */
    public static JFreeChart chart(
            String title,
            String xLabel,
            String yLabel,
            boolean logX,
            List<Series> series,
            double yLower,
            double yUpper) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.12f);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            YIntervalSeries ys = new YIntervalSeries(s.label(), false, true);
            for (int j = 0; j < s.x().length; j++) {
                if (logX && !(s.x()[j] > 0)) {
                    throw new IllegalArgumentException(
                            "series '" + s.label() + "' has x = " + s.x()[j] + " on a log axis; expected x > 0");
                }
                ys.add(s.x()[j], s.mean()[j], s.mean()[j] - s.std()[j], s.mean()[j] + s.std()[j]);
            }
            data.addSeries(ys);
            renderer.setSeriesPaint(i, s.colour());
            renderer.setSeriesFillPaint(i, s.colour());
            renderer.setSeriesStroke(
                    i,
                    s.dashed()
                            ? new BasicStroke(
                                    2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f)
                            : new BasicStroke(2f));
            renderer.setSeriesShapesVisible(i, !s.dashed());
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        ValueAxis xAxis;
        if (logX) {
            LogAxis log = new LogAxis(xLabel);
            log.setBase(10);
            log.setTickUnit(new NumberTickUnit(1));
            log.setMinorTickMarksVisible(true);
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            xAxis = log;
        } else {
            NumberAxis axis = new NumberAxis(xLabel);
            axis.setAutoRangeIncludesZero(false);
            xAxis = axis;
        }
        NumberAxis yAxis = new NumberAxis(yLabel);
        yAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        if (!Double.isNaN(yLower) || !Double.isNaN(yUpper)) {
            yAxis.setAutoRange(true);
            double lower = Double.isNaN(yLower) ? yAxis.getLowerBound() : yLower;
            double upper = Double.isNaN(yUpper) ? yAxis.getUpperBound() : yUpper;
            yAxis.setRange(lower, upper);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.RIGHT);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return chart;
    }

    /**
     * Draws the charts tiled in a grid, row by row, under an optional overall title, and writes a PNG
     * (atomically).
     *
     * @param columns panels per row
     * @param panelWidth width of one panel in pixels
     * @param panelHeight height of one panel in pixels
     */
    public static void writePng(
            Path file, String title, List<JFreeChart> charts, int columns, int panelWidth, int panelHeight) {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("no chart to write to " + file);
        }
        int cols = Math.min(columns, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        int titleHeight = title == null || title.isEmpty() ? 0 : 36;
        BufferedImage image =
                new BufferedImage(cols * panelWidth, rows * panelHeight + titleHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            if (titleHeight > 0) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
                FontMetrics metrics = g.getFontMetrics();
                int x = Math.max(4, (image.getWidth() - metrics.stringWidth(title)) / 2);
                g.drawString(title, x, (titleHeight + metrics.getAscent() - metrics.getDescent()) / 2 + 2);
            }
            for (int i = 0; i < charts.size(); i++) {
                int r = i / cols;
                int c = i % cols;
                charts.get(i)
                        .draw(
                                g,
                                new Rectangle2D.Double(
                                        c * panelWidth, titleHeight + r * panelHeight, panelWidth, panelHeight));
            }
        } finally {
            g.dispose();
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
            RunDirectory.moveAtomically(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the PNG itself was written or the error above is reported
            }
        }
    }

    /** Sets {@code java.awt.headless=true} unless the process chose a mode already. */
    public static void preferHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
