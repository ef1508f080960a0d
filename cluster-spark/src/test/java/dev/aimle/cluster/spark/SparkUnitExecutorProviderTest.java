package dev.aimle.cluster.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.harness.UnitExecutorProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The provider is found by the app's ServiceLoader and takes Spark's master URLs only; a unit's JVM
 * inherits the launcher's malloc and huge-page settings.
 */
class SparkUnitExecutorProviderTest {
    @Test
    void theAppFindsItOnTheClassPath() {
        List<String> names = ServiceLoader.load(UnitExecutorProvider.class).stream()
                .map(p -> p.get().name())
                .toList();
        assertEquals(List.of("spark"), names);
    }

    @Test
    void itTakesSparksMasterUrls() {
        SparkUnitExecutorProvider spark = new SparkUnitExecutorProvider();
        for (String master : List.of(
                "spark://host:7077", "yarn", "k8s://https://api:6443", "local", "local[2]", "local[*]", "local[2,3]")) {
            assertTrue(spark.accepts(master), master);
        }
        for (String master : List.of("mesos://host:5050", "spark:/host", "local[two]", "host:7077", "")) {
            assertFalse(spark.accepts(master), master);
        }
    }

    @Test
    void aUnitInheritsTheLaunchersMallocAndHugePageSettingsOnly() {
        Map<String, String> environment = Map.of(
                "GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=33554432",
                "THP_MEM_ALLOC_ENABLE", "1",
                "HOME", "/root");
        assertEquals(
                Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=33554432", "THP_MEM_ALLOC_ENABLE", "1"),
                SparkUnitExecutor.forwardedEnvironment(environment));
        assertEquals(Map.of(), SparkUnitExecutor.forwardedEnvironment(Map.of("HOME", "/root")));
    }
}
