package dev.aimle.estimators.noise;

import java.util.random.RandomGenerator;

/**
 * Gamma variates on the host, by the method of Marsaglia and Tsang ("A simple method for generating
 * gamma variables", ACM TOMS 26(3), 2000): for shape {@code a >= 1}, with {@code d = a - 1/3} and
 * {@code c = 1/sqrt(9d)}, draw {@code x ~ N(0, 1)}, {@code v = (1 + c x)^3}, {@code u ~ U(0, 1)}
 * and accept {@code d v} when {@code u < 1 - 0.0331 x^4} or {@code log u < x^2/2 + d (1 - v + log
 * v)}. For shape {@code a < 1} the same paper's boost is used:
 * {@code Gamma(a) = Gamma(a + 1) * U^(1/a)}.
 *
 * <p>Stateless: randomness comes only from the generator passed in, which is advanced.
 */
final class GammaSampler {

    private GammaSampler() {}

    /**
     * One draw of {@code Gamma(shape, rate 1)}, whose mean is {@code shape} and variance
     * {@code shape}. Divide by a rate (or multiply by a scale) for other parameters.
     *
     * @param random the source of randomness
     * @param shape the shape, finite and positive
     * @throws IllegalArgumentException if the shape is not finite and positive
     */
    public static double nextGamma(RandomGenerator random, double shape) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("gamma shape (" + shape + ") must be a finite number greater than 0");
        }
        if (shape >= 1) {
            double d = shape - 1.0 / 3.0;
            return marsagliaTsang(random, d, 1.0 / Math.sqrt(9.0 * d));
        }
        double d = shape + 1.0 - 1.0 / 3.0;
        double boosted = marsagliaTsang(random, d, 1.0 / Math.sqrt(9.0 * d));
        return boosted * Math.exp(Math.log(nextOpenUniform(random)) / shape);
    }

    /**
     * One draw of {@code Gamma(1/k, rate 1)} for a positive integer k, the shape of the Sum-of-Gamma
     * noise. The boost {@code U^k} is computed by repeated squaring instead of {@code exp(log(U)/a)},
     * which is what makes Sum-of-Gamma sampling fast.
     *
     * @param random the source of randomness
     * @param k the reciprocal of the shape, at least 1
     */
    public static double nextGammaReciprocalShape(RandomGenerator random, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k (" + k + ") must be at least 1");
        }
        return nextGammaReciprocalShape(random, k, ReciprocalShape.of(k));
    }

    /** As {@link #nextGammaReciprocalShape(RandomGenerator, int)} with precomputed constants. */
    static double nextGammaReciprocalShape(RandomGenerator random, int k, ReciprocalShape constants) {
        double g = marsagliaTsang(random, constants.d, constants.c);
        return k == 1 ? g : g * power(nextOpenUniform(random), k);
    }

    /**
     * The constants of Marsaglia–Tsang for shape {@code 1/k} ({@code 1 + 1/k} after the boost when
     * {@code k > 1}).
     */
    record ReciprocalShape(double d, double c) {
        static ReciprocalShape of(int k) {
            double shape = k == 1 ? 1.0 : 1.0 + 1.0 / k;
            double d = shape - 1.0 / 3.0;
            return new ReciprocalShape(d, 1.0 / Math.sqrt(9.0 * d));
        }
    }

    /** Marsaglia–Tsang for shape {@code d + 1/3 >= 1}, with {@code c = 1/sqrt(9d)}. */
    private static double marsagliaTsang(RandomGenerator random, double d, double c) {
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1.0 + c * x;
            } while (v <= 0.0);
            v = v * v * v;
            double u = random.nextDouble();
            double x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2) {
                return d * v;
            }
            if (Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** {@code base^exponent} for a positive integer exponent, by repeated squaring. */
    static double power(double base, int exponent) {
        double result = 1.0;
        double b = base;
        int e = exponent;
        while (e > 0) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
            e >>>= 1;
        }
        return result;
    }

    /** A uniform double in the open interval (0, 1): 53 random bits, offset by half a step. */
    static double nextOpenUniform(RandomGenerator random) {
        return ((random.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
    }
}
