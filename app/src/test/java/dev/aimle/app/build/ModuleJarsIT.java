package dev.aimle.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every jar the build produced (plain and plugin) carries its Automatic-Module-Name. */
class ModuleJarsIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, String> NAMES = Map.of(
            "api", "dev.aimle.api",
            "runtime", "dev.aimle.runtime",
            "estimators", "dev.aimle.estimators",
            "solvers-plugin-topk", "dev.aimle.solvers.topk",
            "solvers-plugin-spanningtree", "dev.aimle.solvers.spanningtree",
            "solvers-plugin-ilp", "dev.aimle.solvers.ilp",
            "solvers-plugin-shortestpath", "dev.aimle.solvers.shortestpath",
            "app", "dev.aimle.app");

    @Test
    void everyJarHasItsAutomaticModuleName() throws IOException {
        int checked = 0;
        for (Map.Entry<String, String> module : NAMES.entrySet()) {
            List<Path> jars;
            try (Stream<Path> files = Files.list(ROOT.resolve(module.getKey()).resolve("target"))) {
                jars = files.filter(f -> f.toString().endsWith(".jar")
                                && !f.toString().endsWith("-tests.jar")
                                && !f.toString().endsWith("-sources.jar")
                                && !f.toString().endsWith("-javadoc.jar"))
                        .toList();
            }
            assertTrue(!jars.isEmpty(), "no jar in " + module.getKey() + "/target");
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    assertEquals(
                            module.getValue(),
                            file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
                            jar.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked >= NAMES.size(), checked + " jars");
    }

    /**
     * {@code aimle verify} runs the published contract checks (dev.aimle.api.contract), which need no
     * test framework: the app's run-time class path holds aimle-api and aimle-runtime and nothing of
     * JUnit.
     */
    @Test
    void theAppsRunTimeClassPathHoldsTheRuntimeAndNoTestFramework() throws IOException {
        List<String> jars;
        try (Stream<Path> files =
                Files.list(ROOT.resolve("app").resolve("target").resolve("lib"))) {
            jars = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("aimle-api-")), jars.toString());
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("aimle-runtime-")), jars.toString());
        assertEquals(
                List.of(),
                jars.stream()
                        .filter(n -> n.startsWith("junit") || n.startsWith("opentest4j") || n.startsWith("apiguardian"))
                        .toList(),
                "test-framework jars in app/target/lib");
    }
}
