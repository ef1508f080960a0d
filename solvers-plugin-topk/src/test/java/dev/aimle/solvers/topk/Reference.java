package dev.aimle.solvers.topk;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/** Plain, obviously correct references for the tests. */
final class Reference {
    private Reference() {}

    /**
     * Top-k of every row of length n by sorting indices on (score descending, index ascending),
     * comparing scores as doubles so that -0.0 equals 0.0.
     */
    static float[] topK(float[] scores, int n, int k) {
        float[] out = new float[scores.length];
        for (int row = 0; row < scores.length / n; row++) {
            int offset = row * n;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Comparator<Integer> byScoreDescending = (a, b) -> {
                double sa = scores[offset + a];
                double sb = scores[offset + b];
                return sa > sb ? -1 : sa < sb ? 1 : 0;
            };
            Arrays.sort(order, byScoreDescending.thenComparing(i -> i));
            for (int r = 0; r < k; r++) {
                out[offset + order[r]] = 1f;
            }
        }
        return out;
    }

    /** {@code size} standard normal floats from a seeded generator (Box-Muller). */
    static float[] gaussian(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            values[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return values;
    }

    /** {@code size} integers in {@code [0, levels)} as floats, to make many ties. */
    static float[] smallIntegers(long seed, int size, int levels) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextInt(levels);
        }
        return values;
    }
}
