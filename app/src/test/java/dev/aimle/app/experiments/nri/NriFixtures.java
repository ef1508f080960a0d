package dev.aimle.app.experiments.nri;

import java.util.SplittableRandom;

/** Small random NRI data sets for tests: random trees, trajectories drifting towards tree neighbours. */
final class NriFixtures {
    private NriFixtures() {}

    /** Data in the model's layout: counts per split, T time steps, seeded. */
    static NriData data(int train, int valid, int test, int timesteps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = {train, valid, test};
        float[][] trajectories = new float[3][];
        float[][] adjacency = new float[3][];
        int n = NriSpec.VERTICES;
        for (int s = 0; s < 3; s++) {
            trajectories[s] = new float[counts[s] * timesteps * NriSpec.DIMS * n];
            adjacency[s] = new float[counts[s] * n * n];
            for (int e = 0; e < counts[s]; e++) {
                int[] parent = new int[n];
                for (int v = 1; v < n; v++) {
                    parent[v] = random.nextInt(v);
                    adjacency[s][(e * n + v) * n + parent[v]] = 1;
                    adjacency[s][(e * n + parent[v]) * n + v] = 1;
                }
                float[][] pos = new float[n][2];
                for (int v = 0; v < n; v++) {
                    pos[v][0] = (float) random.nextGaussian();
                    pos[v][1] = (float) random.nextGaussian();
                }
                for (int t = 0; t < timesteps; t++) {
                    for (int v = 0; v < n; v++) {
                        for (int c = 0; c < 2; c++) {
                            trajectories[s][((e * timesteps + t) * 2 + c) * n + v] = pos[v][c];
                        }
                    }
                    float[][] next = new float[n][2];
                    for (int v = 0; v < n; v++) {
                        for (int c = 0; c < 2; c++) {
                            next[v][c] = v == 0 ? pos[v][c] : pos[v][c] + 0.3f * (pos[parent[v]][c] - pos[v][c]);
                        }
                    }
                    pos = next;
                }
            }
        }
        return NriData.fromFileLayout(timesteps, trajectories, adjacency, counts);
    }
}
