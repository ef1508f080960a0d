package dev.aimle.app.training;

import java.util.SplittableRandom;

/**
 * The one shuffle of the experiments: a uniformly random permutation (Fisher-Yates), and the order
 * of the training examples in each epoch of a run.
 */
public final class Shuffles {
    private Shuffles() {}

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates), drawn from {@code random}. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The order of {@code n} training examples in epoch {@code epoch} (1-based) of a run seeded
     * {@code seed}: each epoch draws from a stream of its own, so a run resumed at any epoch draws the
     * orders of a run never stopped.
     */
    public static int[] epochOrder(int n, long seed, int epoch) {
        return permutation(n, new SplittableRandom(seed * 1_000_003L + epoch));
    }
}
