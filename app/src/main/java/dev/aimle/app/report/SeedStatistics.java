package dev.aimle.app.report;

/** Summaries over the seeds of a configuration, as the experiments' tables print them. */
public final class SeedStatistics {
    private SeedStatistics() {}

    /**
     * The mean and the sample standard deviation ({@code n - 1} in the denominator; 0 for one value).
     *
     * @return {@code {mean, std}}
     */
    public static double[] meanStd(double[] values) {
        double mean = 0;
        for (double d : values) {
            mean += d / values.length;
        }
        double var = 0;
        for (double d : values) {
            var += (d - mean) * (d - mean);
        }
        return new double[] {mean, values.length > 1 ? Math.sqrt(var / (values.length - 1)) : 0};
    }
}
