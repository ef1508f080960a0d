package dev.aimle.app.experiments.l2x;

import ai.djl.ndarray.NDArray;
import dev.aimle.api.MapSolver;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Top-k over the last axis of {@code [B, n]} by sorting on the host, ties to the lower index: the
 * app's tests see solvers only through plugins, so this stands in for the top-k plugin here.
 */
final class HostTopK implements MapSolver {
    private final int k;

    HostTopK(int k) {
        this.k = k;
    }

    @Override
    public NDArray solve(NDArray theta) {
        float[] scores = theta.toFloatArray();
        int n = (int) theta.getShape().get(1);
        float[] z = new float[scores.length];
        for (int row = 0; row < scores.length / n; row++) {
            final int offset = row * n;
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(
                    order,
                    Comparator.comparing((Integer i) -> -scores[offset + i]).thenComparing(i -> i));
            for (int j = 0; j < k; j++) {
                z[offset + order[j]] = 1f;
            }
        }
        return theta.getManager().create(z, theta.getShape());
    }

    @Override
    public String name() {
        return "topk";
    }
}
