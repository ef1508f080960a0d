package dev.aimle.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.imle.Imle;
import dev.aimle.runtime.ProviderRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EstimatorProvidersTest {
    final ProviderRegistry<GradientEstimatorProvider> registry =
            Estimators.estimatorRegistry(getClass().getClassLoader());

    @Test
    void everyEstimatorIsDiscoveredInNameOrder() {
        assertEquals(List.of("aimle", "gumbel-softmax", "imle", "sfe", "sst", "ste"), registry.names());
        for (var entry : registry.entries()) {
            assertEquals(ProviderRegistry.CLASSPATH, entry.source());
            GradientEstimator e = entry.provider().create(Config.empty());
            assertEquals(entry.provider().name(), e.name());
        }
    }

    @Test
    void configurationReachesTheEstimator() {
        Imle imle = (Imle) registry.get("imle").create(Config.of(Map.of("lambda", "2.5", "difference", "central")));
        assertEquals(2.5, imle.lambda());
        assertTrue(imle.isCentral());
        assertTrue(imle.scalesGradient());
        assertFalse(((Imle) registry.get("imle").create(Config.of("scale-gradient", "false"))).scalesGradient());
        Aimle reference = (Aimle) registry.get("aimle").create(Config.of("preset", "reference"));
        assertEquals(1.0, reference.alpha());
        Aimle paper = (Aimle) registry.get("aimle").create(Config.empty());
        assertEquals(0.0, paper.alpha());
        Aimle rprop = (Aimle) registry.get("aimle")
                .create(Config.of(
                        Map.of("controller", "rprop", "lambda-rule", "per-input", "target-unit", "instance")));
        assertEquals(1.0, rprop.alpha());
        assertTrue(rprop.toString().contains("controller=rprop"), rprop.toString());
        assertTrue(
                rprop.toString().contains("per instance") && rprop.toString().contains("lambda=per_input"),
                rprop.toString());
        Aimle tuned = (Aimle) registry.get("aimle")
                .create(Config.of(Map.of("momentum", "0.9", "scale-gradient", "false", "target", "2")));
        assertTrue(
                tuned.toString().contains("momentum 0.9")
                        && tuned.toString().contains("unscaled")
                        && tuned.toString().contains("c=2.0"),
                tuned.toString());
    }

    @Test
    void renamedKeysAreRefusedNamingTheNewKey() {
        Map<String, String> aimle =
                Map.of("c", "target", "unit", "target-unit", "lambda", "lambda-rule", "scale", "scale-gradient");
        aimle.forEach((old, now) -> assertEquals(
                "estimator 'aimle' no longer accepts parameter '" + old + "' (renamed to '" + now
                        + "'). Maybe you meant " + now + "=x",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> registry.get("aimle").create(Config.of(old, "x")))
                        .getMessage()));
        assertEquals(
                "estimator 'imle' no longer accepts parameter 'scale' (renamed to 'scale-gradient')."
                        + " Maybe you meant scale-gradient=false",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> registry.get("imle").create(Config.of("scale", "false")))
                        .getMessage());
    }

    @Test
    void badConfigurationIsRejectedNamingTheValue() {
        assertEquals(
                "difference (sideways) must be 'forward' or 'central'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> registry.get("imle").create(Config.of("difference", "sideways")))
                        .getMessage());
        assertEquals(
                "estimator 'ste' does not accept parameter 'lambda'; it accepts none",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> registry.get("ste").create(Config.of("lambda", 1)))
                        .getMessage());
        assertEquals(
                "controller (pid) must be 'sign' or 'rprop'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> registry.get("aimle").create(Config.of("controller", "pid")))
                        .getMessage());
        assertEquals(
                "target-unit (image) must be one of solver, row, instance",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> registry.get("aimle").create(Config.of("target-unit", "image")))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> registry.get("aimle").create(Config.of(Map.of("controller", "rprop", "eta", 0.01))))
                .getMessage()
                .contains("cannot be combined"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> registry.get("aimle-x"))
                .getMessage()
                .startsWith(
                        "unknown gradient estimator 'aimle-x'; known: aimle, gumbel-softmax, imle, sfe, sst, ste."));
    }
}
