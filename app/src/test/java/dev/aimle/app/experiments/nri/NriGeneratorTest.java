package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NriGeneratorTest {
    private static final long SEED = 42;

    @Test
    void everyExampleIsASpanningTreeAndEveryFrameIsRescaled() {
        NriGenerator generator = new NriGenerator(SEED);
        for (NriSplit split : NriSplit.values()) {
            NriDataset data = generator.generate(split, 3000, 10, 2, n -> {});
            float[] edges = data.edges();
            double[] trajectories = data.trajectoriesFloat64();
            for (int i = 0; i < data.size(); i++) {
                float[] a = Arrays.copyOfRange(edges, i * 100, (i + 1) * 100);
                assertTreeWithNineEdges(a, "seed " + SEED + ", " + split + " example " + i);
                for (int t = 0; t < 10; t++) {
                    int frame = (i * 10 + t) * 20;
                    double maxAbs = 0;
                    for (int d = 0; d < 2; d++) {
                        double sum = 0;
                        for (int v = 0; v < 10; v++) {
                            double x = trajectories[frame + d * 10 + v];
                            sum += x;
                            maxAbs = Math.max(maxAbs, Math.abs(x));
                        }
                        assertEquals(
                                0, sum, 1e-12, split + " example " + i + " step " + t + " mean of coordinate " + d);
                    }
                    assertEquals(1, maxAbs, 1e-15, split + " example " + i + " step " + t + ": networkx rescales to 1");
                }
            }
        }
    }

    private static void assertTreeWithNineEdges(float[] a, String what) {
        int count = 0;
        int[] parent = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int i = 0; i < 10; i++) {
            assertEquals(0f, a[i * 10 + i], what + ": diagonal");
            for (int j = 0; j < 10; j++) {
                assertTrue(a[i * 10 + j] == 0f || a[i * 10 + j] == 1f, what + ": 0/1");
                assertEquals(a[i * 10 + j], a[j * 10 + i], what + ": symmetric at " + i + "," + j);
                if (i < j && a[i * 10 + j] == 1f) {
                    count++;
                    int ri = find(parent, i);
                    int rj = find(parent, j);
                    parent[ri] = rj;
                }
            }
        }
        assertEquals(9, count, what + ": edges");
        for (int v = 0; v < 10; v++) {
            assertEquals(find(parent, 0), find(parent, v), what + ": vertex " + v + " connected to 0");
        }
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            x = parent[x];
        }
        return x;
    }

    @Test
    void maximumSpanningTreeMatchesBruteForceOnSmallGraphs() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n = 2; n <= 6; n++) {
            int m = n * (n - 1) / 2;
            for (int trial = 0; trial < 40; trial++) {
                double[] w = new double[m];
                for (int e = 0; e < m; e++) {
                    // few distinct values, so that ties occur
                    w[e] = trial % 2 == 0 ? random.nextGaussian() : random.nextInt(3);
                }
                int[] tree = NriGenerator.maximumSpanningTree(w, n);
                int[] best = bruteForce(w, n);
                assertArrayEquals(best, tree, "n = " + n + ", weights " + Arrays.toString(w) + " (seed 5)");
            }
        }
    }

    /**
     * The best spanning tree by enumeration over all (n-1)-subsets of edges; among equal weights,
     * the one whose edge list, sorted by (weight descending, index), is lexicographically smallest:
     * the tree Kruskal returns under the solver's tie rule.
     */
    private static int[] bruteForce(double[] w, int n) {
        int m = w.length;
        int[] u = new int[m];
        int[] v = new int[m];
        for (int i = 0, e = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, e++) {
                u[e] = i;
                v[e] = j;
            }
        }
        Integer[] rank = new Integer[m];
        for (int e = 0; e < m; e++) {
            rank[e] = e;
        }
        Arrays.sort(rank, (a, b) -> w[a] != w[b] ? Double.compare(w[b], w[a]) : Integer.compare(a, b));
        int[] position = new int[m];
        for (int r = 0; r < m; r++) {
            position[rank[r]] = r;
        }
        int[] best = null;
        double bestWeight = Double.NEGATIVE_INFINITY;
        int[] bestKey = null;
        for (int mask = 0; mask < 1 << m; mask++) {
            if (Integer.bitCount(mask) != n - 1) {
                continue;
            }
            int[] parent = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
            boolean acyclic = true;
            double weight = 0;
            int[] key = new int[n - 1];
            int k = 0;
            for (int e = 0; e < m; e++) {
                if ((mask >> e & 1) == 1) {
                    int a = find(parent, u[e]);
                    int b = find(parent, v[e]);
                    acyclic &= a != b;
                    parent[a] = b;
                    weight += w[e];
                    key[k++] = position[e];
                }
            }
            if (!acyclic) {
                continue;
            }
            Arrays.sort(key);
            if (weight > bestWeight + 1e-12
                    || (Math.abs(weight - bestWeight) <= 1e-12 && Arrays.compare(key, bestKey) < 0)) {
                bestWeight = weight;
                bestKey = key;
                best = new int[m];
                for (int e = 0; e < m; e++) {
                    best[e] = mask >> e & 1;
                }
            }
        }
        return best;
    }

    @Test
    void equalWeightsGiveTheStarOfVertexZero() {
        int[] tree = NriGenerator.maximumSpanningTree(new double[45], 10);
        for (int e = 0; e < 45; e++) {
            assertEquals(e < 9 ? 1 : 0, tree[e], "edge " + e + ": ties go to the lower index, (0,1) .. (0,9)");
        }
    }

    @Test
    void networkxNodeOrderIsFirstAppearanceInTheRowMajorEdgeList() {
        // Tree: 0-7, 7-3, 3-1, 1-9, 9-2, 2-4, 4-8, 8-5, 5-6 (a path). Row-major nonzeros:
        // (0,7) (1,3) (1,9) (2,4) (2,9) (3,1) ... -> 0, 7, 1, 3, 9, 2, 4, then row 4: (4,2) (4,8) -> 8,
        // row 5: (5,6) (5,8) -> 5, 6.
        int[][] pairs = {{0, 7}, {3, 7}, {1, 3}, {1, 9}, {2, 9}, {2, 4}, {4, 8}, {5, 8}, {5, 6}};
        int[] tree = new int[45];
        for (int[] p : pairs) {
            tree[edgeIndex(p[0], p[1])] = 1;
        }
        assertArrayEquals(new int[] {0, 7, 1, 3, 9, 2, 4, 8, 5, 6}, NriGenerator.networkxNodeOrder(tree));
    }

    private static int edgeIndex(int i, int j) {
        return i * 10 - i * (i + 1) / 2 + (j - i - 1);
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        NriExample a = new NriGenerator(SEED).example(NriSplit.TRAIN, 17, 20);
        assertEquals(a, new NriGenerator(SEED).example(NriSplit.TRAIN, 17, 20), "seed " + SEED + " example 17");
        assertNotEquals(a, new NriGenerator(SEED + 1).example(NriSplit.TRAIN, 17, 20));
        assertNotEquals(a, new NriGenerator(SEED).example(NriSplit.VALID, 17, 20), "splits use separate streams");
        assertNotEquals(a, new NriGenerator(SEED).example(NriSplit.TRAIN, 18, 20));
        assertNotEquals(
                NriGenerator.exampleSeed(SEED, NriSplit.TRAIN, 0), NriGenerator.exampleSeed(SEED, NriSplit.TEST, 0));
    }

    @Test
    void resultsDoNotDependOnThreadsAndAnyExampleRegeneratesAlone() {
        NriGenerator generator = new NriGenerator(SEED);
        AtomicInteger progress = new AtomicInteger();
        NriDataset one = generator.generate(NriSplit.VALID, 777, 20, 1, progress::addAndGet);
        assertEquals(777, progress.get(), "progress counts every example");
        NriDataset three = generator.generate(NriSplit.VALID, 777, 20, 3, n -> {});
        assertArrayEquals(one.trajectoriesFloat64(), three.trajectoriesFloat64(), "1 vs 3 threads, seed " + SEED);
        assertArrayEquals(one.edges(), three.edges(), "1 vs 3 threads, seed " + SEED);
        for (int i : new int[] {0, 249, 250, 776}) {
            assertEquals(generator.example(NriSplit.VALID, i, 20), one.example(i), "example " + i + " alone");
        }
        NriDataset fewer = generator.generate(NriSplit.VALID, 100, 20, 2, n -> {});
        assertEquals(one.example(99), fewer.example(99), "example 99 does not depend on the count");
    }

    @Test
    void theDataForTenStepsIsThePrefixOfTheDataForTwenty() {
        NriGenerator generator = new NriGenerator(SEED);
        NriExample ten = generator.example(NriSplit.TEST, 3, 10);
        NriExample twenty = generator.example(NriSplit.TEST, 3, 20);
        assertArrayEquals(ten.treeEdges(), twenty.treeEdges());
        assertArrayEquals(ten.trajectory(), Arrays.copyOf(twenty.trajectory(), 200));
        NriDataset data = generator.generate(NriSplit.TEST, 50, 20, 2, n -> {});
        NriDataset prefix = data.firstTimesteps(10);
        assertEquals(ten, prefix.example(3));
        assertArrayEquals(
                generator.generate(NriSplit.TEST, 50, 10, 1, n -> {}).trajectoriesFloat64(),
                prefix.trajectoriesFloat64());
    }

    @Test
    void theTreesLookLikeTheGumbelPrior() {
        // Under the uniform-logits prior every edge is equally likely: 9 of 45, so 1/5 each.
        NriDataset data = new NriGenerator(SEED).generate(NriSplit.TRAIN, 5000, 1, 2, n -> {});
        int[] counts = new int[45];
        for (int i = 0; i < data.size(); i++) {
            int[] tree = data.treeEdges(i);
            for (int e = 0; e < 45; e++) {
                counts[e] += tree[e];
            }
        }
        // binomial(5000, 0.2): sd = sqrt(5000 * 0.2 * 0.8) = 28.3; 5 sd = 141
        for (int e = 0; e < 45; e++) {
            assertEquals(1000, counts[e], 141, "edge " + e + " count over 5000 trees, seed " + SEED);
        }
        assertNull(NriDataset.treeProblem(data.edges(), 0));
        assertFalse(Arrays.equals(data.treeEdges(0), data.treeEdges(1)));
    }
}
