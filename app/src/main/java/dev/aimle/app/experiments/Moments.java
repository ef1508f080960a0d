package dev.aimle.app.experiments;

/**
 * The mean and the population variance of a data set's figures, as the data statistics compare a
 * generated set with the original (the tables' summaries over seeds are {@code SeedStatistics}'s,
 * with the sample standard deviation).
 */
public final class Moments {
    private Moments() {}

    /** The mean; NaN for no values. */
    public static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    /** The population variance ({@code n} in the denominator); NaN for no values. */
    public static double variance(double[] values) {
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    /** The population standard deviation; NaN for no values. */
    public static double std(double[] values) {
        return Math.sqrt(variance(values));
    }
}
