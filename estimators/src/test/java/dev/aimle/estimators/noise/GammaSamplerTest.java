package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Gamma sampler against the exact moments (mean a, variance a, for rate 1) and the exact CDF
 * (regularised incomplete gamma function), with tolerances of 5 standard errors and a KS critical
 * value at level 0.001, for shapes below and above 1.
 */
class GammaSamplerTest {
    private static final int N = 200_000;

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.1, 0.5, 1.0, 1.1, 2.5, 7.0})
    void momentsAndDistributionMatchGammaForAnyShape(double shape) {
        long seed = 11;
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = GammaSampler.nextGamma(random, shape);
        }
        checkGamma(x, shape, "shape " + shape + ", seed " + seed);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 10, 40})
    void reciprocalShapeFastPathMatchesGammaOfShapeOneOverK(int k) {
        long seed = 12;
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = GammaSampler.nextGammaReciprocalShape(random, k);
        }
        checkGamma(x, 1.0 / k, "shape 1/" + k + ", seed " + seed);
    }

    private static void checkGamma(double[] x, double shape, String what) {
        double mean = Statistics.mean(x);
        double variance = Statistics.variance(x);
        double meanTolerance = 5 * Math.sqrt(shape / N);
        // Var(sample variance) ~ (mu4 - sigma^4) / N with mu4 = 3a^2 + 6a for Gamma(a, 1)
        double varianceTolerance = 5 * Math.sqrt((2 * shape * shape + 6 * shape) / N);
        assertEquals(shape, mean, meanTolerance, "mean of Gamma(" + what + ")");
        assertEquals(shape, variance, varianceTolerance, "variance of Gamma(" + what + ")");
        double ks = Statistics.ksDistance(x, v -> Statistics.gammaCdf(shape, v));
        assertTrue(ks < Statistics.ksCritical(N), "KS distance " + ks + " to Gamma(" + what + ")");
        for (double v : x) {
            assertTrue(v >= 0 && Double.isFinite(v), "Gamma(" + what + ") drew " + v);
        }
    }

    @Test
    void theReferenceCdfIsRight() {
        // P(1, x) = 1 - exp(-x); P(2, x) = 1 - (1 + x) exp(-x); P(0.5, x) = erf(sqrt x), erf(1) = 0.8427007929
        assertEquals(1 - Math.exp(-0.7), Statistics.gammaCdf(1, 0.7), 1e-12);
        assertEquals(1 - 4 * Math.exp(-3), Statistics.gammaCdf(2, 3), 1e-12);
        assertEquals(0.8427007929497149, Statistics.gammaCdf(0.5, 1), 1e-10);
        assertEquals(Math.log(24), Statistics.logGamma(5), 1e-12);
    }

    @Test
    void sameSeedSameNumbers() {
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        for (int i = 0; i < 1000; i++) {
            assertEquals(GammaSampler.nextGamma(a, 0.3), GammaSampler.nextGamma(b, 0.3), "draw " + i + ", seed 5");
        }
    }

    @Test
    void powerIsExact() {
        for (int e = 1; e <= 33; e++) {
            assertEquals(Math.pow(0.97, e), GammaSampler.power(0.97, e), 1e-15 * e, "0.97^" + e);
        }
    }

    @Test
    void openUniformNeverHitsTheBounds() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            double u = GammaSampler.nextOpenUniform(random);
            assertTrue(u > 0 && u < 1, "uniform " + u + " at draw " + i + ", seed 3");
        }
    }

    @Test
    void rejectsBadShapes() {
        SplittableRandom random = new SplittableRandom(1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GammaSampler.nextGamma(random, 0));
        assertTrue(e.getMessage().contains("gamma shape (0.0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GammaSampler.nextGamma(random, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> GammaSampler.nextGamma(random, Double.POSITIVE_INFINITY));
        e = assertThrows(IllegalArgumentException.class, () -> GammaSampler.nextGammaReciprocalShape(random, 0));
        assertTrue(e.getMessage().contains("k (0)"), e.getMessage());
    }
}
