package dev.aimle.app.report;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Progress of a long run, on stderr: a bar redrawn in place on a terminal, or one line every
 * {@code lineIntervalSeconds} otherwise (logs and pipes get readable lines, not carriage returns).
 *
 * <p>Progress is counted in work units (an estimate of each point's cost, so that a point with 100
 * warm-up steps weighs 100 times a single step) and shown with the number of points. The remaining
 * time is extrapolated from the work done in this session. Thread-safe.
 */
public final class Progress {
    /** How progress is shown. */
    public enum Mode {
        /** A bar redrawn in place (a terminal). */
        BAR,
        /** Periodic lines. */
        LINES,
        /** Nothing. */
        NONE
    }

    private static final long BAR_REDRAW_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final Mode mode;
    private final String label;
    private final long totalPoints;
    private final double totalWork;
    private final long lineIntervalNanos;
    private final LongSupplier clock;
    private final long start;

    private long points;
    private double work;
    private long lastShown;
    private boolean barDrawn;

    /**
     * @param out where to print (stderr)
     * @param mode bar, lines or none
     * @param label prefix of every line, e.g. {@code synthetic}
     * @param totalPoints the points this session must compute
     * @param totalWork their estimated total cost, in any unit
     * @param lineIntervalSeconds seconds between two lines in {@link Mode#LINES}
     * @param clock nanosecond clock ({@code System::nanoTime})
     */
    public Progress(
            PrintWriter out,
            Mode mode,
            String label,
            long totalPoints,
            double totalWork,
            double lineIntervalSeconds,
            LongSupplier clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.label = label;
        this.totalPoints = totalPoints;
        this.totalWork = totalWork;
        this.lineIntervalNanos = (long) (lineIntervalSeconds * 1e9);
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastShown = start;
    }

    /** The mode for this process: a bar when stderr is a terminal, else lines. */
    public static Mode defaultMode() {
        return System.console() != null ? Mode.BAR : Mode.LINES;
    }

    /**
     * The mode a {@code --progress} value names (case and blanks ignored): {@code auto} ({@link
     * #defaultMode()}), {@code bar}, {@code lines} or {@code none}.
     *
     * @param usage the command's bad-usage error for a message
     */
    public static Mode mode(String value, Function<String, ? extends RuntimeException> usage) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> defaultMode();
            case "bar" -> Mode.BAR;
            case "lines" -> Mode.LINES;
            case "none" -> Mode.NONE;
            default -> throw usage.apply("--progress (" + value + ") must be auto, bar, lines or none");
        };
    }

    /** One more point done, of estimated cost {@code pointWork}. */
    public synchronized void advance(double pointWork) {
        points++;
        work += pointWork;
        long now = clock.getAsLong();
        if (mode == Mode.BAR && (now - lastShown >= BAR_REDRAW_NANOS || points == totalPoints)) {
            lastShown = now;
            out.print("\r" + line(now));
            out.flush();
            barDrawn = true;
        } else if (mode == Mode.LINES && now - lastShown >= lineIntervalNanos) {
            lastShown = now;
            out.println(line(now));
            out.flush();
        }
    }

    /** Ends the bar's line, or prints the final line (call once, when done or stopped). */
    public synchronized void finish() {
        if (mode == Mode.BAR && barDrawn) {
            out.println();
            out.flush();
        } else if (mode == Mode.LINES && points > 0) {
            out.println(line(clock.getAsLong()));
            out.flush();
        }
    }

    /** The current state as one line (no line break). */
    public synchronized String line() {
        return line(clock.getAsLong());
    }

    private String line(long now) {
        double fraction = totalWork > 0 ? Math.min(1, work / totalWork) : 1;
        double elapsed = (now - start) / 1e9;
        String eta = fraction > 0 && fraction < 1 ? " eta " + clockTime(elapsed * (1 - fraction) / fraction) : "";
        String bar = "";
        if (mode == Mode.BAR) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            bar = "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] ";
        }
        return String.format(
                Locale.ROOT,
                "%s: %s%3.0f%%  %d/%d points  elapsed %s%s",
                label,
                bar,
                100 * fraction,
                points,
                totalPoints,
                clockTime(elapsed),
                eta);
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clockTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
