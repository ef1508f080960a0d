package dev.aimle.solvers.spanningtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Edge numbering: the row-major upper triangle, round trips, sizes and errors. */
class CompleteGraphEdgesTest {

    @Test
    void indexOrderIsTheRowMajorUpperTriangle() {
        for (int m = 2; m <= 40; m++) {
            CompleteGraphEdges g = CompleteGraphEdges.ofNodes(m);
            int[][] expected = TreeChecks.endpoints(m);
            assertEquals(expected.length, g.edges(), "edges of m=" + m);
            assertEquals(m, g.nodes());
            for (int e = 0; e < expected.length; e++) {
                assertEquals(expected[e][0], g.source(e), "source of edge " + e + ", m=" + m);
                assertEquals(expected[e][1], g.target(e), "target of edge " + e + ", m=" + m);
            }
        }
    }

    @Test
    void firstEdgesOfFourNodesAreAsDocumented() {
        CompleteGraphEdges g = CompleteGraphEdges.ofNodes(4);
        int[][] pairs = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
        for (int e = 0; e < pairs.length; e++) {
            assertEquals(e, g.index(pairs[e][0], pairs[e][1]), "(u, v) = " + pairs[e][0] + "," + pairs[e][1]);
        }
    }

    @Test
    void indexAndEndpointsRoundTrip() {
        for (int m = 2; m <= 60; m++) {
            CompleteGraphEdges g = CompleteGraphEdges.ofNodes(m);
            for (int e = 0; e < g.edges(); e++) {
                assertEquals(e, g.index(g.source(e), g.target(e)), "m=" + m + " edge " + e);
                assertEquals(e, g.index(g.target(e), g.source(e)), "m=" + m + " edge " + e + " reversed");
            }
            for (int u = 0; u < m; u++) {
                for (int v = 0; v < m; v++) {
                    if (u != v) {
                        int e = g.index(u, v);
                        assertEquals(Math.min(u, v), g.source(e), "m=" + m + " (" + u + "," + v + ")");
                        assertEquals(Math.max(u, v), g.target(e), "m=" + m + " (" + u + "," + v + ")");
                    }
                }
            }
        }
    }

    @Test
    void nodeCountInvertsEdgeCountOverTheWholeRange() {
        for (int m = 2; m <= CompleteGraphEdges.MAX_NODES; m++) {
            assertEquals(m, CompleteGraphEdges.nodeCount(CompleteGraphEdges.edgeCount(m)), "m=" + m);
        }
        assertEquals(45, CompleteGraphEdges.edgeCount(10));
        assertEquals(2_147_450_880, CompleteGraphEdges.edgeCount(CompleteGraphEdges.MAX_NODES));
        assertEquals(10, CompleteGraphEdges.ofEdgeCount(45).nodes());
    }

    @Test
    void edgeCountsBetweenTriangularNumbersAreRejectedNamingTheNearest() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CompleteGraphEdges.nodeCount(7));
        assertEquals("edge count (7) is not m(m-1)/2 for any m; the nearest are 6 (m=4) and 10 (m=5)", e.getMessage());
        IllegalArgumentException top =
                assertThrows(IllegalArgumentException.class, () -> CompleteGraphEdges.nodeCount(Integer.MAX_VALUE));
        assertEquals(
                "edge count (2147483647) is not m(m-1)/2 for any m; the nearest are 2147450880"
                        + " (m=65536) and 2147516416 (m=65537)",
                top.getMessage());
        for (int bad : new int[] {0, -3}) {
            IllegalArgumentException small =
                    assertThrows(IllegalArgumentException.class, () -> CompleteGraphEdges.nodeCount(bad));
            assertEquals(
                    "edge count (" + bad + ") is not m(m-1)/2 for any m >= 2; the smallest is 1 (m=2)",
                    small.getMessage());
        }
    }

    @Test
    void badNodesAndEdgesAreRejected() {
        CompleteGraphEdges g = CompleteGraphEdges.ofNodes(5);
        assertEquals(
                "u and v (3) must differ: the graph has no self-loops",
                assertThrows(IllegalArgumentException.class, () -> g.index(3, 3))
                        .getMessage());
        assertEquals(
                "v (5) must be a node between 0 and 4",
                assertThrows(IllegalArgumentException.class, () -> g.index(0, 5))
                        .getMessage());
        assertEquals(
                "u (-1) must be a node between 0 and 4",
                assertThrows(IllegalArgumentException.class, () -> g.index(-1, 2))
                        .getMessage());
        assertEquals(
                "edge index (10) must be between 0 and 9 for the complete graph on 5 nodes",
                assertThrows(IllegalArgumentException.class, () -> g.source(10)).getMessage());
        assertEquals(
                "node count (1) must be between 2 and 65536",
                assertThrows(IllegalArgumentException.class, () -> CompleteGraphEdges.ofNodes(1))
                        .getMessage());
    }
}
