package dev.aimle.solvers.shortestpath;

import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;

/**
 * The shortest path by JGraphT's {@link DijkstraShortestPath}, on a directed graph built per
 * instance: an arc {@code u -> v} between neighbouring cells weighs the cost of {@code v}, so a
 * path's weight plus the start cell's cost is the sum of its cells' costs. Costs are doubles here;
 * among paths of equal cost JGraphT's own order decides (deterministic, not the rule of {@link
 * dev.aimle.api.grid.GridDijkstra}).
 */
final class JGraphTPaths {
    private JGraphTPaths() {}

    static void solve(
            float[] scores, int h, int w, Neighbourhood neighbourhood, NegativeCosts negative, float[] solution) {
        int n = h * w;
        Graph<Integer, DefaultWeightedEdge> graph = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < n; v++) {
            if (scores[v] < 0 && negative == NegativeCosts.REFUSE) {
                throw NegativeCosts.refusal(scores[v], v, w);
            }
            graph.addVertex(v);
        }
        for (int u = 0; u < n; u++) {
            int ur = u / w;
            int uc = u % w;
            for (int k = 0; k < neighbourhood.size(); k++) {
                int r = ur + neighbourhood.rowOffset(k);
                int c = uc + neighbourhood.columnOffset(k);
                if (r >= 0 && r < h && c >= 0 && c < w) {
                    int v = r * w + c;
                    graph.setEdgeWeight(graph.addEdge(u, v), Math.max(0.0, scores[v]));
                }
            }
        }
        GraphPath<Integer, DefaultWeightedEdge> path = new DijkstraShortestPath<>(graph).getPath(0, n - 1);
        List<Integer> cells = path.getVertexList();
        for (int v : cells) {
            solution[v] = 1f;
        }
    }
}
