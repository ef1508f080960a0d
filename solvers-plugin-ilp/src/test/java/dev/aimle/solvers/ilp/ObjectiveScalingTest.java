package dev.aimle.solvers.ilp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The float-to-int64 objective of the CP-SAT backend: exactness, the tie term, no overflow. */
class ObjectiveScalingTest {

    @Test
    void bitBudget() {
        assertEquals(44, new ObjectiveScaling(50).scoreBits(), "n = 50");
        assertTrue(new ObjectiveScaling(1000).breaksTies(), "n = 1000 keeps the tie term");
        assertEquals(32, new ObjectiveScaling(1000).scoreBits(), "n = 1000");
        assertTrue(new ObjectiveScaling(1022).breaksTies(), "n = 1022 is the largest that keeps the tie term");
        assertFalse(new ObjectiveScaling(1023).breaksTies(), "n = 1023 drops the tie term (the README says so)");
        assertFalse(new ObjectiveScaling(2000).breaksTies(), "n = 2000 drops the tie term");
        assertEquals(50, new ObjectiveScaling(2000).scoreBits(), "n = 2000");
    }

    @Test
    void gaussianScoresAreConvertedExactly() {
        int n = 50;
        ObjectiveScaling scaling = new ObjectiveScaling(n);
        long[] out = new long[n];
        for (long seed = 0; seed < 50; seed++) {
            float[] scores = IlpSolverTest.gaussian(seed, n);
            double unit = scaling.toIntegers(scores, out);
            double tieFactor = 1 << 11;
            for (int i = 0; i < n; i++) {
                long tie = n - i;
                long q = (out[i] - tie) >> 11;
                assertEquals(tie, out[i] - (q << 11), "seed " + seed + " i " + i + ": tie term");
                assertEquals(scores[i], q / (unit / tieFactor), 0.0, "seed " + seed + " i " + i + ": exact score");
            }
        }
    }

    @Test
    void extremeScoresDoNotOverflow() {
        for (int n : new int[] {1, 50, 1000, 2000, 100_000}) {
            ObjectiveScaling scaling = new ObjectiveScaling(n);
            for (float extreme : new float[] {Float.MAX_VALUE, Float.MIN_VALUE, 1f}) {
                float[] scores = new float[n];
                Arrays.fill(scores, extreme);
                scores[0] = -extreme;
                long[] out = new long[n];
                scaling.toIntegers(scores, out);
                BigInteger sum = BigInteger.ZERO;
                for (long v : out) {
                    sum = sum.add(BigInteger.valueOf(v).abs());
                }
                assertTrue(
                        sum.bitLength() <= 62,
                        "n " + n + " score " + extreme + ": sum of |c| has " + sum.bitLength() + " bits");
            }
        }
    }

    @Test
    void allZeroScoresLeaveOnlyTheTieTerm() {
        long[] out = new long[4];
        new ObjectiveScaling(4).toIntegers(new float[4], out);
        assertEquals(Arrays.toString(new long[] {4, 3, 2, 1}), Arrays.toString(out));
    }
}
