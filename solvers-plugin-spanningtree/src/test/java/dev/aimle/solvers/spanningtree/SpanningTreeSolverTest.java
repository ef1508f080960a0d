package dev.aimle.solvers.spanningtree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.alg.spanning.PrimMinimumSpanningTree;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Optimality against brute force and against JGraphT's Prim, agreement of all algorithms (ties
 * included), the tie rule, and error messages. Every algorithm runs every check.
 */
class SpanningTreeSolverTest {
    /**
     * Absolute tolerance on objective values: both sides add the same float32 scores in double, in
     * different orders, so they differ by rounding only (at most ~1e-14 for 435 edges of N(0, 1)).
     */
    private static final double TOLERANCE = 1e-9;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private static float[] gaussianScores(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            values[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return values;
    }

    /** Scores from {-1, -0.0, 0, 1}: nearly every instance has ties, and both signs of zero. */
    private static float[] tiedScores(SplittableRandom random, int count) {
        float[] choices = {-1f, -0.0f, 0.0f, 1f};
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = choices[random.nextInt(choices.length)];
        }
        return values;
    }

    private float[] solve(SpanningTreeSolver.Algorithm algorithm, int parallelism, float[] flat, int batch) {
        NDArray theta = manager.create(flat, new Shape(batch, flat.length / batch));
        return new SpanningTreeSolver(algorithm, parallelism).solve(theta).toFloatArray();
    }

    @ParameterizedTest
    @EnumSource(SpanningTreeSolver.Algorithm.class)
    void optimalAgainstEnumerationOfAllSpanningTrees(SpanningTreeSolver.Algorithm algorithm) {
        int batch = 8;
        for (int nodes = 3; nodes <= 5; nodes++) {
            int edges = nodes * (nodes - 1) / 2;
            for (long seed = 0; seed < 20; seed++) {
                float[] flat = gaussianScores(new SplittableRandom(seed), batch * edges);
                float[] z = solve(algorithm, 2, flat, batch);
                for (int row = 0; row < batch; row++) {
                    float[] scores = Arrays.copyOfRange(flat, row * edges, (row + 1) * edges);
                    float[] tree = Arrays.copyOfRange(z, row * edges, (row + 1) * edges);
                    String where = algorithm + " m=" + nodes + " seed " + seed + " row " + row;
                    assertTrue(
                            TreeChecks.isSpanningTree(tree), where + ": not a spanning tree " + Arrays.toString(tree));
                    double[] best = TreeChecks.bestByEnumeration(scores);
                    assertEquals(
                            Math.pow(nodes, nodes - 2),
                            best[1],
                            0.0,
                            where + ": the enumeration must find m^(m-2) trees (Cayley)");
                    assertEquals(
                            best[0],
                            TreeChecks.objective(scores, tree),
                            TOLERANCE,
                            where + ": objective vs the best of all spanning trees");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SpanningTreeSolver.Algorithm.class)
    void sameWeightAsJGraphTPrimOnLargerGraphs(SpanningTreeSolver.Algorithm algorithm) {
        int batch = 16;
        for (int nodes : new int[] {10, 20, 30}) {
            int edges = nodes * (nodes - 1) / 2;
            for (long seed = 100; seed < 105; seed++) {
                float[] flat = gaussianScores(new SplittableRandom(seed), batch * edges);
                float[] z = solve(algorithm, 2, flat, batch);
                for (int row = 0; row < batch; row++) {
                    float[] scores = Arrays.copyOfRange(flat, row * edges, (row + 1) * edges);
                    float[] tree = Arrays.copyOfRange(z, row * edges, (row + 1) * edges);
                    String where = algorithm + " m=" + nodes + " seed " + seed + " row " + row;
                    assertTrue(TreeChecks.isSpanningTree(tree), where + ": not a spanning tree");
                    assertEquals(
                            primMaximumWeight(nodes, scores),
                            TreeChecks.objective(scores, tree),
                            TOLERANCE,
                            where + ": objective vs JGraphT's Prim maximum spanning tree");
                }
            }
        }
    }

    /** JGraphT's Prim on its own graph (negated weights), built here with nested loops. */
    private static double primMaximumWeight(int nodes, float[] scores) {
        Graph<Integer, DefaultWeightedEdge> g = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < nodes; v++) {
            g.addVertex(v);
        }
        int e = 0;
        for (int u = 0; u < nodes; u++) {
            for (int v = u + 1; v < nodes; v++) {
                g.setEdgeWeight(g.addEdge(u, v), -(double) scores[e++]);
            }
        }
        return -new PrimMinimumSpanningTree<>(g).getSpanningTree().getWeight();
    }

    @Test
    void allAlgorithmsReturnIdenticalTreesIncludingTies() {
        for (int nodes = 2; nodes <= 12; nodes++) {
            int edges = nodes * (nodes - 1) / 2;
            for (long seed = 0; seed < 10; seed++) {
                for (boolean ties : new boolean[] {false, true}) {
                    SplittableRandom random = new SplittableRandom(seed);
                    float[] flat = ties ? tiedScores(random, 8 * edges) : gaussianScores(random, 8 * edges);
                    float[] reference = solve(SpanningTreeSolver.Algorithm.JGRAPHT_KRUSKAL, 1, flat, 8);
                    for (int row = 0; row < 8; row++) {
                        float[] tree = Arrays.copyOfRange(reference, row * edges, (row + 1) * edges);
                        float[] scores = Arrays.copyOfRange(flat, row * edges, (row + 1) * edges);
                        String where = "m=" + nodes + " seed " + seed + " ties " + ties + " row " + row;
                        assertTrue(TreeChecks.isSpanningTree(tree), where + ": not a spanning tree");
                        assertEquals(
                                primMaximumWeight(nodes, scores),
                                TreeChecks.objective(scores, tree),
                                TOLERANCE,
                                where + ": objective vs JGraphT's Prim");
                    }
                    for (SpanningTreeSolver.Algorithm algorithm : SpanningTreeSolver.Algorithm.values()) {
                        assertArrayEquals(
                                reference,
                                solve(algorithm, 2, flat, 8),
                                algorithm + " vs jgrapht-kruskal, m=" + nodes + " seed " + seed + " ties " + ties);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SpanningTreeSolver.Algorithm.class)
    void equalScoresGiveTheStarAtNodeZero(SpanningTreeSolver.Algorithm algorithm) {
        float[] z = solve(algorithm, 1, new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, 1);
        // m = 4: edges (0,1) (0,2) (0,3) (1,2) (1,3) (2,3)
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, z, algorithm.toString());
    }

    @ParameterizedTest
    @EnumSource(SpanningTreeSolver.Algorithm.class)
    void negativeZeroTiesWithPositiveZero(SpanningTreeSolver.Algorithm algorithm) {
        // m = 3: (0,1)=+0.0, (0,2)=-0.0, (1,2)=+0.0. All three are equal, so the two lowest indices
        // win; ordering -0.0 below +0.0 (as Double.compare does) would pick (0,1) and (1,2).
        float[] z = solve(algorithm, 1, new float[] {0.0f, -0.0f, 0.0f}, 1);
        assertArrayEquals(new float[] {1, 1, 0}, z, algorithm.toString());
    }

    @ParameterizedTest
    @EnumSource(SpanningTreeSolver.Algorithm.class)
    void tiesGoToTheLowerEdgeIndex(SpanningTreeSolver.Algorithm algorithm) {
        // m = 4: (0,1)=3 and (2,3)=3 are taken; then (0,2)=1, (0,3)=1, (1,2)=1 and (1,3)=1 all join the
        // two components; the lowest index, (0,2), is taken.
        float[] z = solve(algorithm, 1, new float[] {3, 1, 1, 1, 1, 3}, 1);
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 1}, z, algorithm.toString());
    }

    @ParameterizedTest
    @EnumSource(SpanningTreeSolver.Algorithm.class)
    void twoNodesHaveTheirOnlyEdge(SpanningTreeSolver.Algorithm algorithm) {
        assertArrayEquals(new float[] {1, 1, 1}, solve(algorithm, 1, new float[] {-5f, 0f, 7f}, 3));
    }

    @ParameterizedTest
    @EnumSource(SpanningTreeSolver.Algorithm.class)
    void parallelAndSequentialAgree(SpanningTreeSolver.Algorithm algorithm) {
        float[] flat = gaussianScores(new SplittableRandom(7), 37 * 45);
        float[] sequential = solve(algorithm, 1, flat, 37);
        assertArrayEquals(sequential, solve(algorithm, 2, flat, 37), algorithm + " seed 7, parallelism 2");
        assertArrayEquals(sequential, solve(algorithm, 5, flat, 37), algorithm + " seed 7, parallelism 5");
    }

    @Test
    void instanceAxesAfterTheBatchAreReadRowMajor() {
        float[] flat = gaussianScores(new SplittableRandom(3), 4 * 10);
        NDArray theta = manager.create(flat, new Shape(4, 2, 5));
        NDArray z = new SpanningTreeSolver().solve(theta);
        assertEquals(new Shape(4, 2, 5), z.getShape());
        assertArrayEquals(
                solve(SpanningTreeSolver.DEFAULT_ALGORITHM, 1, flat, 4),
                z.toFloatArray(),
                "[4, 2, 5] vs [4, 10], seed 3");
    }

    @Test
    void solverSwitchesBetweenGraphSizes() {
        SpanningTreeSolver solver = new SpanningTreeSolver(SpanningTreeSolver.Algorithm.KRUSKAL, 2);
        for (int nodes : new int[] {4, 7, 4, 12}) {
            int edges = nodes * (nodes - 1) / 2;
            float[] flat = gaussianScores(new SplittableRandom(nodes), 3 * edges);
            float[] z = solver.solve(manager.create(flat, new Shape(3, edges))).toFloatArray();
            for (int row = 0; row < 3; row++) {
                assertTrue(
                        TreeChecks.isSpanningTree(Arrays.copyOfRange(z, row * edges, (row + 1) * edges)),
                        "m=" + nodes + " seed " + nodes + " row " + row);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 2, 44, 46})
    void edgeCountsThatAreNoCompleteGraphAreRejectedNamingTheNearest(int edges) {
        NDArray theta = manager.zeros(new Shape(2, edges));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new SpanningTreeSolver().solve(theta));
        String expected = switch (edges) {
            case 7 -> "edge count (7) is not m(m-1)/2 for any m; the nearest are 6 (m=4) and 10 (m=5)";
            case 2 -> "edge count (2) is not m(m-1)/2 for any m; the nearest are 1 (m=2) and 3 (m=3)";
            case 44 -> "edge count (44) is not m(m-1)/2 for any m; the nearest are 36 (m=9) and 45 (m=10)";
            default -> "edge count (46) is not m(m-1)/2 for any m; the nearest are 45 (m=10) and 55 (m=11)";
        };
        assertEquals(expected, e.getMessage());
    }

    @Test
    void nanIsRejectedNamingItsPosition() {
        float[] flat = new float[12];
        flat[9] = Float.NaN;
        NDArray theta = manager.create(flat, new Shape(2, 6));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new SpanningTreeSolver().solve(theta));
        assertEquals("theta[1, 3] is NaN; all values must be finite (shape (2, 6))", e.getMessage());
    }

    @Test
    void constructorRejectsBadArguments() {
        IllegalArgumentException nullAlgorithm =
                assertThrows(IllegalArgumentException.class, () -> new SpanningTreeSolver(null, 1));
        assertEquals("algorithm must not be null; known: jgrapht-kruskal, kruskal, prim", nullAlgorithm.getMessage());
        IllegalArgumentException zero = assertThrows(
                IllegalArgumentException.class, () -> new SpanningTreeSolver(SpanningTreeSolver.Algorithm.PRIM, 0));
        assertEquals("parallelism (0) must be at least 1", zero.getMessage());
    }

    @Test
    void algorithmNamesRoundTripAndUnknownNamesAreListed() {
        for (SpanningTreeSolver.Algorithm a : SpanningTreeSolver.Algorithm.values()) {
            assertEquals(a, SpanningTreeSolver.Algorithm.fromConfigName(a.configName()));
        }
        assertEquals(
                SpanningTreeSolver.Algorithm.JGRAPHT_KRUSKAL,
                SpanningTreeSolver.Algorithm.fromConfigName(" JGraphT-Kruskal "));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SpanningTreeSolver.Algorithm.fromConfigName("boruvka"));
        assertEquals("algorithm 'boruvka' is unknown; known: jgrapht-kruskal, kruskal, prim", e.getMessage());
    }

    @Test
    void nameAndCapabilities() {
        SpanningTreeSolver solver = new SpanningTreeSolver(SpanningTreeSolver.Algorithm.PRIM, 3);
        assertEquals("spanning-tree", solver.name());
        assertEquals(3, solver.parallelism());
        assertEquals(SpanningTreeSolver.Algorithm.PRIM, solver.algorithm());
        assertTrue(!solver.isBatchedOnDevice(), "a host solver");
        assertEquals(
                3,
                ((SpanningTreeDistribution) solver.distribution().orElseThrow()).parallelism(),
                "its tractable distribution, with the solver's parallelism");
    }

    @Test
    void theDeclaredFeasibleSetIsExactlyTheSpanningTrees() {
        SpanningTreeSolver solver = new SpanningTreeSolver();
        dev.aimle.api.FeasibleSet declared = solver.feasibleSet().orElseThrow();
        for (int edges : new int[] {1, 3, 6, 10}) {
            int trees = 0;
            float[] z = new float[edges];
            for (int mask = 0; mask < 1 << edges; mask++) {
                for (int e = 0; e < edges; e++) {
                    z[e] = (mask >> e & 1) == 1 ? 1f : 0f;
                }
                boolean tree = TreeChecks.isSpanningTree(z);
                assertEquals(tree, declared.contains(z, new Shape(edges)), "edges " + edges + " mask " + mask);
                trees += tree ? 1 : 0;
            }
            int m = TreeChecks.nodesFor(edges);
            assertEquals((int) Math.pow(m, m - 2), trees, "Cayley's formula for m = " + m);
        }
        assertEquals(new Shape(10), solver.exampleInstanceShape().orElseThrow());
        assertEquals(dev.aimle.api.MapSolver.Unit.INSTANCE, solver.naturalUnit());
    }
}
