package dev.aimle.app.report;

import java.util.Locale;

/** The pieces of the reports' markdown tables, so every table is laid out alike. */
public final class Markdown {
    private Markdown() {}

    /**
     * A table's header: the names, then the alignment row (the first column left-aligned, the numbers
     * right-aligned), e.g. {@code | method | seeds |\n|---|---:|\n}.
     */
    public static String header(String... columns) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : columns) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append("\n|---|").append("---:|".repeat(columns.length - 1)).append('\n');
        return sb.toString();
    }

    /** A row: {@code | a | b |} and a newline. */
    public static String row(Object... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (Object c : cells) {
            sb.append(' ').append(c).append(" |");
        }
        return sb.append('\n').toString();
    }

    /**
     * {@code mean ± std} of {@code {mean, std}} times {@code scale}, each in {@code format}, e.g.
     * {@code meanStd("%.1f", 100, ms)} for a percentage.
     */
    public static String meanStd(String format, double scale, double[] meanStd) {
        return String.format(Locale.ROOT, format + " ± " + format, scale * meanStd[0], scale * meanStd[1]);
    }

    /** {@link #meanStd}, or "–" when the mean is NaN (a column a run made before it did not record). */
    public static String meanStdOrDash(String format, double scale, double[] meanStd) {
        return Double.isNaN(meanStd[0]) ? "–" : meanStd(format, scale, meanStd);
    }
}
