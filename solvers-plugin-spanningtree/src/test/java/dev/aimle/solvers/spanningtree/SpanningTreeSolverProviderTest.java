package dev.aimle.solvers.spanningtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery through META-INF/services and configuration. */
class SpanningTreeSolverProviderTest {
    private final SpanningTreeSolverProvider provider = new SpanningTreeSolverProvider();

    @Test
    void isDiscoveredOnTheClassPath() {
        ProviderRegistry<MapSolverProvider> registry = ProviderRegistry.fromClasspath(
                "map solver", MapSolverProvider.class, getClass().getClassLoader());
        assertInstanceOf(SpanningTreeSolverProvider.class, registry.get("spanning-tree"));
        assertEquals(
                ProviderRegistry.CLASSPATH,
                registry.entries().stream()
                        .filter(e -> e.provider().name().equals("spanning-tree"))
                        .findFirst()
                        .orElseThrow()
                        .source());
    }

    @Test
    void descriptionNamesTheInputAndEveryParameter() {
        String d = provider.description();
        for (String part : new String[] {
            "m(m-1)/2",
            "(0,1),(0,2)",
            "algorithm=jgrapht-kruskal|kruskal|prim",
            "default " + SpanningTreeSolver.DEFAULT_ALGORITHM.configName(),
            "parallelism"
        }) {
            assertTrue(d.contains(part), "description should contain '" + part + "': " + d);
        }
    }

    @Test
    void defaultsAreTheDefaultAlgorithmOnEveryProcessor() {
        SpanningTreeSolver solver = (SpanningTreeSolver) provider.create(Config.empty());
        assertEquals(SpanningTreeSolver.DEFAULT_ALGORITHM, solver.algorithm());
        assertEquals(Runtime.getRuntime().availableProcessors(), solver.parallelism());
        assertEquals("spanning-tree", solver.name());
    }

    @Test
    void everyAlgorithmCanBeSelected() {
        for (SpanningTreeSolver.Algorithm a : SpanningTreeSolver.Algorithm.values()) {
            SpanningTreeSolver solver = (SpanningTreeSolver)
                    provider.create(Config.of(Map.of("algorithm", a.configName(), "parallelism", "3")));
            assertEquals(a, solver.algorithm());
            assertEquals(3, solver.parallelism());
        }
    }

    @Test
    void unknownKeysAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> provider.create(Config.of("k", 3)));
        assertEquals(
                "solver 'spanning-tree' does not accept parameter 'k'; it accepts [algorithm, parallelism]",
                e.getMessage());
    }

    @Test
    void badValuesAreRejected() {
        assertEquals(
                "algorithm 'dijkstra' is unknown; known: jgrapht-kruskal, kruskal, prim",
                assertThrows(IllegalArgumentException.class, () -> provider.create(Config.of("algorithm", "dijkstra")))
                        .getMessage());
        assertEquals(
                "parallelism (0) must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> provider.create(Config.of("parallelism", 0)))
                        .getMessage());
        assertEquals(
                "parameter 'parallelism' (two) must be an integer",
                assertThrows(IllegalArgumentException.class, () -> provider.create(Config.of("parallelism", "two")))
                        .getMessage());
    }
}
