package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    record Named(String name) implements NamedProvider {
        @Override
        public String description() {
            return "test provider " + name;
        }
    }

    @Test
    void ordersByNameWhateverTheInsertionOrder() {
        ProviderRegistry<Named> r = ProviderRegistry.builder("thing", Named.class)
                .add(new Named("zeta"), "plugin-a@1.0")
                .addAll(List.of(new Named("beta"), new Named("alpha")), ProviderRegistry.CLASSPATH)
                .build();
        assertEquals(List.of("alpha", "beta", "zeta"), r.names());
        assertEquals("plugin-a@1.0", r.entries().get(2).source());
        assertEquals("beta", r.get("beta").name());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        ProviderRegistry<Named> r = ProviderRegistry.builder("map solver", Named.class)
                .add(new Named("topk"), "classpath").add(new Named("spanning-tree"), "classpath").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.get("kruskal"));
        assertTrue(e.getMessage().startsWith("unknown map solver 'kruskal'; known: spanning-tree, topk."),
                e.getMessage());
    }

    @Test
    void duplicateNamesAreRefusedNamingBothSources() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderRegistry.builder("map solver", Named.class)
                        .add(new Named("topk"), "classpath").add(new Named("topk"), "topk-plugin@0.1.0").build());
        assertTrue(e.getMessage().contains("classpath") && e.getMessage().contains("topk-plugin@0.1.0"), e.getMessage());
    }

    @Test
    void emptyClasspathDiscoveryIsEmptyNotAnError() {
        ProviderRegistry<GradientEstimatorProvider> r = ProviderRegistry.fromClasspath(
                "gradient estimator", GradientEstimatorProvider.class, getClass().getClassLoader());
        assertEquals(List.of(), r.names());
    }
}
