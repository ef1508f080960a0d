package dev.aimle.solvers.ilp;

/**
 * Turns float scores into the int64 objective CP-SAT needs, with the tie rule folded in.
 *
 * <p>For an instance with {@code a = max_i |theta_i|} in {@code [2^e, 2^(e+1))}, every score is
 * multiplied by the power of two {@code s = 2^(B - e - 1)} and rounded to the nearest integer
 * {@code q_i}, so {@code |q_i| < 2^B}. Multiplying a float by a power of two is exact, so {@code
 * q_i = s * theta_i} exactly whenever {@code theta_i} is a multiple of {@code 1/s}; for float32 that
 * holds for every score with {@code |theta_i| >= a * 2^(24-B)} (and for 0). Smaller scores are
 * rounded with an error of at most {@code 1/(2s) <= a * 2^-B} each. With the tie term below, B is
 * 44 for n = 50, 32 for n = 1000; the objective error is then at most {@code n * a * 2^-B}
 * (about {@code 3e-12 * a} at n = 50), and zero when the dynamic range of the scores is below
 * {@code 2^(B-24)}.
 *
 * <p>The tie rule: the objective coefficient is {@code q_i * M + (n - i)} with {@code M} a power of
 * two above {@code sum_i (n - i) = n(n+1)/2}. Any difference in {@code sum q_i z_i} outweighs every
 * difference in the tie term, so the optimum maximises {@code <theta, z>} (up to the rounding
 * above) and, among the maximisers, {@code sum_i (n - i) z_i}: lower indices first, which is
 * exactly the stable top-k rule on a cardinality constraint. The budget is {@code log2(n+1) + B +
 * log2(M) <= 61} bits, so no sum of coefficients overflows int64. When the tie term would leave
 * fewer than {@link #MIN_SCORE_BITS} bits for the scores (n above 1022) it is dropped and
 * ties are left to the (deterministic) search.
 */
final class ObjectiveScaling {
    /** The fewest bits the scores keep before the tie term is dropped. */
    static final int MIN_SCORE_BITS = 32;

    private final int n;
    private final int scoreBits;
    private final int tieBits;

    ObjectiveScaling(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n (" + n + ") must be at least 1");
        }
        this.n = n;
        int sizeBits = 64 - Long.numberOfLeadingZeros(n + 1L);
        long tieMax = (long) n * (n + 1) / 2;
        int tie = 64 - Long.numberOfLeadingZeros(tieMax + 1);
        int bits = 61 - sizeBits - tie;
        if (bits < MIN_SCORE_BITS) {
            tie = 0;
            bits = 61 - sizeBits;
        }
        this.scoreBits = bits;
        this.tieBits = tie;
    }

    /** B: scores are scaled into {@code (-2^B, 2^B)}. */
    int scoreBits() {
        return scoreBits;
    }

    /** Whether the tie term is part of the objective. */
    boolean breaksTies() {
        return tieBits > 0;
    }

    /**
     * The scale {@code s} for these scores: a power of two with {@code max|theta| * s < 2^B}, or 1
     * when every score is 0.
     */
    double scale(float[] scores) {
        float max = 0f;
        for (float v : scores) {
            max = Math.max(max, Math.abs(v));
        }
        if (max == 0f) {
            return 1.0;
        }
        return Math.scalb(1.0, scoreBits - Math.getExponent(max) - 1);
    }

    /**
     * Writes the integer objective of {@code scores} into {@code out} and returns the factor
     * {@code s * M} that converts the integer objective back to score units (ignoring the tie term).
     */
    double toIntegers(float[] scores, long[] out) {
        double s = scale(scores);
        for (int i = 0; i < n; i++) {
            long q = Math.round(scores[i] * s);
            out[i] = tieBits == 0 ? q : (q << tieBits) + (n - i);
        }
        return s * (double) (1L << tieBits);
    }
}
