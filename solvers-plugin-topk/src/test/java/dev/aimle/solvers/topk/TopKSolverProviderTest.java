package dev.aimle.solvers.topk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery and configuration of {@link TopKSolverProvider}. */
class TopKSolverProviderTest {

    @Test
    void isFoundOnTheClasspath() {
        ProviderRegistry<MapSolverProvider> registry = ProviderRegistry.fromClasspath(
                "map solver", MapSolverProvider.class, getClass().getClassLoader());
        assertTrue(registry.contains("topk"), "registered names: " + registry.names());
        assertInstanceOf(TopKSolverProvider.class, registry.get("topk"));
        assertEquals(
                ProviderRegistry.CLASSPATH,
                registry.entries().stream()
                        .filter(e -> e.provider().name().equals("topk"))
                        .findFirst()
                        .orElseThrow()
                        .source());
    }

    @Test
    void descriptionNamesItsParameters() {
        String description = new TopKSolverProvider().description();
        assertTrue(description.contains("k (integer >= 1, default 1)"), description);
        assertTrue(
                description.contains("path (tensor|host|auto, default auto: host on the CPU, tensor elsewhere)"),
                description);
    }

    @Test
    void createsTheConfiguredSolver() {
        MapSolver defaults = new TopKSolverProvider().create(Config.empty());
        TopKSolver d = assertInstanceOf(TopKSolver.class, defaults);
        assertEquals(1, d.k());
        assertEquals(TopKSolver.DEFAULT_PATH, d.path());
        TopKSolver s = (TopKSolver) new TopKSolverProvider().create(Config.of(Map.of("k", "10", "path", "TENSOR")));
        assertEquals(10, s.k());
        assertEquals(TopKSolver.Path.TENSOR, s.path());
        assertEquals(
                TopKSolver.Path.HOST, ((TopKSolver) new TopKSolverProvider().create(Config.of("path", "host"))).path());
        assertEquals(
                TopKSolver.Path.AUTO,
                ((TopKSolver) new TopKSolverProvider().create(Config.of("path", " Auto "))).path());
    }

    @Test
    void badConfigurationIsRejectedClearly() {
        TopKSolverProvider provider = new TopKSolverProvider();
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> provider.create(Config.of(Map.of("k", 2, "size", 3))));
        assertEquals("solver 'topk' does not accept parameter 'size'; it accepts [k, path]", unknown.getMessage());
        IllegalArgumentException path =
                assertThrows(IllegalArgumentException.class, () -> provider.create(Config.of("path", "gpu")));
        assertEquals("parameter 'path' (gpu) must be one of tensor, host, auto", path.getMessage());
        IllegalArgumentException k =
                assertThrows(IllegalArgumentException.class, () -> provider.create(Config.of("k", 0)));
        assertEquals("k (0) must be at least 1", k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> provider.create(Config.of("k", "three")));
    }
}
