package dev.aimle.app.experiments.synthetic;

import java.util.List;
import java.util.Locale;

/**
 * What one point measured.
 *
 * @param key the point
 * @param cosine cosine similarity between the estimate and the exact gradient (0 for an all-zero
 *     estimate)
 * @param zeroFraction the fraction of exactly zero entries of the estimate
 * @param aimleLambda the lambda AIMLE used for the measured estimate (after warm-up); NaN otherwise
 * @param seconds wall time of the point, warm-up included
 */
public record PointResult(PointKey key, double cosine, double zeroFraction, double aimleLambda, double seconds) {

    /** The CSV columns, in order. */
    public static final List<String> COLUMNS = List.of(
            "estimator",
            "n",
            "samples",
            "lambda",
            "warmup",
            "seed",
            "cosine",
            "zero_fraction",
            "aimle_lambda",
            "seconds");

    /** This result as a CSV row (empty cells for NaN). */
    public List<String> toRow() {
        return List.of(
                key.method().id(),
                Integer.toString(key.n()),
                Integer.toString(key.samples()),
                number(key.lambda()),
                Integer.toString(key.warmup()),
                Integer.toString(key.seed()),
                number(cosine),
                number(zeroFraction),
                number(aimleLambda),
                String.format(Locale.ROOT, "%.5f", seconds));
    }

    /**
     * Parses a CSV row written by {@link #toRow()}.
     *
     * @throws IllegalArgumentException naming the bad cell
     */
    public static PointResult fromRow(List<String> row) {
        if (row.size() != COLUMNS.size()) {
            throw new IllegalArgumentException(
                    "row " + row + " has " + row.size() + " values, expected " + COLUMNS.size());
        }
        try {
            PointKey key = new PointKey(
                    Method.parse(row.get(0)),
                    Integer.parseInt(row.get(1)),
                    Integer.parseInt(row.get(2)),
                    parse(row.get(3)),
                    Integer.parseInt(row.get(4)),
                    Integer.parseInt(row.get(5)));
            return new PointResult(key, parse(row.get(6)), parse(row.get(7)), parse(row.get(8)), parse(row.get(9)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad results row " + row + ": " + e.getMessage(), e);
        }
    }

    /** Exact, round-trippable text; empty for NaN. */
    static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static double parse(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
