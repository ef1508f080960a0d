package dev.aimle.estimators.noise;

/**
 * The natural logarithm of a positive double by a table and a short polynomial, for the Gumbel
 * noise's {@code -log E}, whose logarithm was three quarters of the noise's time: faster than
 * {@link Math#log} (figures in the README's speed section). Within 1e-13 of {@code Math.log} relative to the
 * result (tested on two million draws and the edge cases; the error is that of rounding {@code m /
 * c} to a double, about 1e-16, relative to a logarithm of at least about 0.002 where it is not
 * exact), so the float32 noise it feeds can differ from {@code (float) -Math.log(E)} by one unit in
 * the last place, which none of ten million draws did; it is the same on every run and thread count.
 *
 * <p><b>How.</b> {@code x = 2^e * m}; m is moved into {@code [0.707, 1.414)} (e adjusted) so that x
 * near 1 has e = 0 and no cancellation; one of 512 table centres c, chosen by m's leading 8 bits, is
 * within {@code 2^-9} of m (c = 1 exactly for the entries next to 1, where {@code r = m / c - 1} is
 * then exact); {@code log x = e ln 2 + log c + log(1 + r)} with {@code log(1 + r)} to degree 6 (error
 * below {@code r^7 / 7 < 1e-17}). Every step is arithmetic and table loads: no branch on the value,
 * except the rare fallback to {@code Math.log} for zero, subnormal, infinite or NaN input.
 */
final class Logarithm {
    private static final int BITS = 8;
    private static final int ENTRIES = 1 << BITS;
    /** m's leading mantissa bits from which m is halved: 1 + 106/256 = 1.4140625, just below sqrt(2). */
    private static final int HALVE_FROM = 106;

    private static final double LN2 = Math.log(2);
    /** Indexed by {@code half << BITS | leading bits}: the centre's logarithm and reciprocal. */
    private static final double[] LOG_CENTRE = new double[2 * ENTRIES];

    private static final double[] INVERSE_CENTRE = new double[2 * ENTRIES];
    private static final double[] SCALE = {1, 0.5};

    static {
        for (int half = 0; half < 2; half++) {
            for (int i = 0; i < ENTRIES; i++) {
                double centre = (1 + (i + 0.5) / ENTRIES) * SCALE[half];
                if ((half == 0 && i == 0) || (half == 1 && i == ENTRIES - 1)) {
                    centre = 1; // the entries next to 1: r = m - 1 exactly (Sterbenz)
                }
                LOG_CENTRE[half << BITS | i] = Math.log(centre);
                INVERSE_CENTRE[half << BITS | i] = 1 / centre;
            }
        }
    }

    private Logarithm() {}

    /** {@code log x}; for zero, subnormal, infinite, negative or NaN x, exactly {@code Math.log(x)}. */
    static double log(double x) {
        if (!(x >= Double.MIN_NORMAL && x <= Double.MAX_VALUE)) {
            return Math.log(x);
        }
        long bits = Double.doubleToRawLongBits(x);
        int leading = (int) (bits >>> (52 - BITS)) & (ENTRIES - 1);
        int half = (leading + ENTRIES - HALVE_FROM) >>> BITS; // 1 when leading >= HALVE_FROM
        int exponent = (int) (bits >>> 52) - 1023 + half;
        double m = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L) * SCALE[half];
        int entry = half << BITS | leading;
        double r = m * INVERSE_CENTRE[entry] - 1;
        double log1p = r * (1 + r * (-1.0 / 2 + r * (1.0 / 3 + r * (-1.0 / 4 + r * (1.0 / 5 - r * (1.0 / 6))))));
        return exponent * LN2 + LOG_CENTRE[entry] + log1p;
    }
}
