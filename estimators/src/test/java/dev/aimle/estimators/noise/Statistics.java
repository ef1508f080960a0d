package dev.aimle.estimators.noise;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/** Sample statistics and reference distribution functions for the noise tests. */
final class Statistics {

    /** The Euler–Mascheroni constant, the mean of Gumbel(0, 1). */
    static final double EULER_GAMMA = 0.5772156649015329;

    private Statistics() {}

    static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    /** The unbiased sample variance. */
    static double variance(double[] x) {
        double m = mean(x);
        double sum = 0;
        for (double v : x) {
            sum += (v - m) * (v - m);
        }
        return sum / (x.length - 1);
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** The Kolmogorov–Smirnov distance {@code sup_x |F_n(x) - F(x)|} of the sample to {@code cdf}. */
    static double ksDistance(double[] sample, DoubleUnaryOperator cdf) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(sorted[i]);
            d = Math.max(d, Math.max(Math.abs((i + 1.0) / n - f), Math.abs(f - (double) i / n)));
        }
        return d;
    }

    /**
     * The KS distance below which a sample of size n from the reference distribution lies with
     * probability 0.999 (asymptotic critical value 1.95 / sqrt(n)).
     */
    static double ksCritical(int n) {
        return 1.95 / Math.sqrt(n);
    }

    /** The CDF of Gumbel(0, 1), {@code exp(-exp(-x))}. */
    static double gumbelCdf(double x) {
        return Math.exp(-Math.exp(-x));
    }

    /**
     * The exact CDF of {@code sum_{i=1..s} Exp(rate i) - log s}, which by Rényi's representation is
     * the maximum of s standard exponentials minus log s: {@code (1 - exp(-x)/s)^s} for
     * {@code x > -log s}, else 0.
     */
    static double maxOfExponentialsCdf(double x, int s) {
        double y = Math.exp(-x) / s;
        return y >= 1 ? 0 : Math.exp(s * Math.log1p(-y));
    }

    /** The regularised lower incomplete gamma function P(a, x), the CDF of Gamma(a, rate 1). */
    static double gammaCdf(double a, double x) {
        if (x <= 0) {
            return 0;
        }
        double logPrefactor = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            // series: P = x^a e^-x / Gamma(a) * sum_n x^n / (a (a+1) ... (a+n))
            double term = 1.0 / a;
            double sum = term;
            for (int n = 1; n < 10_000; n++) {
                term *= x / (a + n);
                sum += term;
                if (term < sum * 1e-16) {
                    break;
                }
            }
            return sum * Math.exp(logPrefactor);
        }
        // continued fraction for Q = 1 - P (modified Lentz)
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return 1 - Math.exp(logPrefactor) * h;
    }

    /** log Gamma(x) for x > 0 (Lanczos approximation, g = 7, relative error below 1e-13). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double[] g = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        x -= 1;
        double a = g[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += g[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
