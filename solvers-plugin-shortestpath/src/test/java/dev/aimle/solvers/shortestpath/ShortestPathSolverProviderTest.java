package dev.aimle.solvers.shortestpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolverProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider: discovery, defaults, parameters and their errors. */
class ShortestPathSolverProviderTest {

    @Test
    void itIsDiscoveredThroughTheServicesFile() {
        assertTrue(ServiceLoader.load(MapSolverProvider.class).stream()
                .anyMatch(p -> p.get().name().equals("shortest-path")));
    }

    @Test
    void defaultsAreEightNeighboursClippingDijkstra() {
        ShortestPathSolver s = (ShortestPathSolver) new ShortestPathSolverProvider().create(Config.empty());
        assertEquals(Neighbourhood.EIGHT, s.neighbourhood());
        assertEquals(NegativeCosts.CLIP, s.negativeCosts());
        assertEquals(ShortestPathSolver.Algorithm.DIJKSTRA, s.algorithm());
    }

    @Test
    void parametersAreRead() {
        ShortestPathSolver s = (ShortestPathSolver) new ShortestPathSolverProvider()
                .create(Config.of(Map.of(
                        "neighbourhood", "4-grid", "negative", "refuse", "algorithm", "jgrapht", "parallelism", 1)));
        assertEquals(Neighbourhood.FOUR, s.neighbourhood());
        assertEquals(NegativeCosts.REFUSE, s.negativeCosts());
        assertEquals(ShortestPathSolver.Algorithm.JGRAPHT, s.algorithm());
        assertEquals(1, s.parallelism());
        assertEquals(
                Neighbourhood.FOUR,
                ((ShortestPathSolver) new ShortestPathSolverProvider().create(Config.of("neighbourhood", 4)))
                        .neighbourhood());
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        ShortestPathSolverProvider p = new ShortestPathSolverProvider();
        assertEquals(
                "neighbourhood '6' is unknown; expected 4 or 8 (also written 4-grid, 8-grid)",
                assertThrows(IllegalArgumentException.class, () -> p.create(Config.of("neighbourhood", 6)))
                        .getMessage());
        assertEquals(
                "negative 'abs' is unknown; known: clip, refuse",
                assertThrows(IllegalArgumentException.class, () -> p.create(Config.of("negative", "abs")))
                        .getMessage());
        assertEquals(
                "algorithm 'bfs' is unknown; known: dijkstra, jgrapht",
                assertThrows(IllegalArgumentException.class, () -> p.create(Config.of("algorithm", "bfs")))
                        .getMessage());
        String unknown = assertThrows(IllegalArgumentException.class, () -> p.create(Config.of("k", 3)))
                .getMessage();
        assertTrue(unknown.contains("'k'"), unknown);
        assertThrows(IllegalArgumentException.class, () -> p.create(Config.of("parallelism", 0)));
    }
}
