package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.Config;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The providers are discovered through META-INF/services and create the right distributions. */
class NoiseProvidersTest {

    private static ProviderRegistry<NoiseDistributionProvider> registry() {
        return ProviderRegistry.fromClasspath(
                "noise distribution", NoiseDistributionProvider.class, NoiseProvidersTest.class.getClassLoader());
    }

    @Test
    void discoversTheBuiltInDistributions() {
        List<String> names = registry().names();
        assertTrue(names.containsAll(List.of("gumbel", "none", "sum-of-gamma")), names.toString());
        registry()
                .entries()
                .forEach(e -> assertTrue(
                        !e.provider().description().isBlank(), e.provider().name()));
    }

    @Test
    void createsConfiguredDistributions() {
        ProviderRegistry<NoiseDistributionProvider> registry = registry();
        assertEquals(Noise.gumbel(), registry.get("gumbel").create(Config.empty()));
        assertEquals(Noise.none(), registry.get("none").create(Config.empty()));
        assertEquals(Noise.sumOfGamma(5, 10), registry.get("sum-of-gamma").create(Config.of("k", 5)));
        assertEquals(
                Noise.sumOfGamma(5, 20), registry.get("sum-of-gamma").create(Config.of(Map.of("k", "5", "s", "20"))));
    }

    @Test
    void rejectsBadConfigurations() {
        ProviderRegistry<NoiseDistributionProvider> registry = registry();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> registry.get("sum-of-gamma").create(Config.empty()));
        assertTrue(e.getMessage().contains("missing parameter 'k'"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> registry.get("sum-of-gamma").create(Config.of(Map.of("k", 2, "tau", 1))));
        assertTrue(e.getMessage().contains("'tau'"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> registry.get("sum-of-gamma").create(Config.of("k", 0)));
        assertTrue(e.getMessage().contains("k (0)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> registry.get("gumbel").create(Config.of("k", 1)));
        assertTrue(e.getMessage().contains("does not accept parameter 'k'"), e.getMessage());
    }
}
