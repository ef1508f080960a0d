package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.MapSolverProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens every plugin artefact the build copied into {@code app/target/plugins} and checks what PF4J
 * and the app rely on: the descriptor in the manifest, the services file and the classes it names,
 * and that the SPI, DJL and PF4J are not inside (a plugin with its own copy of the SPI is skipped).
 */
class PluginArtefactsIT {
    /** The plugins this build must produce, by id. */
    private static final List<String> EXPECTED_IDS =
            List.of("aimle-ilp", "aimle-shortestpath", "aimle-spanningtree", "aimle-topk");

    /** Packages that belong to the app's class loader and must never be inside a plugin. */
    private static final List<String> FORBIDDEN = List.of("dev/aimle/api/", "ai/djl/", "org/pf4j/");

    private static Map<String, Path> jarsById;

    @BeforeAll
    static void findJars() throws IOException {
        Path dir = Path.of(requiredProperty("aimle.plugins.built"));
        assertTrue(Files.isDirectory(dir), dir + " is missing: the package phase copies the plugin artefacts there");
        jarsById = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar :
                    files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                try (JarFile jf = new JarFile(jar.toFile())) {
                    assertNotNull(jf.getManifest(), jar + " has no manifest");
                    String id = jf.getManifest().getMainAttributes().getValue("Plugin-Id");
                    assertNotNull(id, jar + " has no Plugin-Id");
                    assertTrue(jarsById.put(id, jar) == null, "two artefacts with Plugin-Id " + id);
                }
            }
        }
    }

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        assertNotNull(value, "system property " + key + " (set by the failsafe configuration in app/pom.xml)");
        return value;
    }

    @Test
    void everyPluginIsBuiltOnce() {
        assertEquals(EXPECTED_IDS, new ArrayList<>(jarsById.keySet()));
    }

    @Test
    void descriptorsNameVersionSpiProviderAndDescription() throws IOException {
        String version = requiredProperty("aimle.project.version");
        String spi = requiredProperty("aimle.spi.version");
        for (Map.Entry<String, Path> e : jarsById.entrySet()) {
            try (JarFile jar = new JarFile(e.getValue().toFile())) {
                Attributes main = jar.getManifest().getMainAttributes();
                String where = e.getValue().getFileName().toString();
                assertEquals(version, main.getValue("Plugin-Version"), where + " Plugin-Version");
                assertEquals(spi, main.getValue("Plugin-Requires"), where + " Plugin-Requires");
                assertEquals(
                        spi,
                        main.getValue(PluginLoader.BUILT_AGAINST_ATTRIBUTE),
                        where + " records the SPI it was built against");
                assertFalse(isBlank(main.getValue("Plugin-Provider")), where + " Plugin-Provider");
                assertFalse(isBlank(main.getValue("Plugin-Description")), where + " Plugin-Description");
                assertEquals(null, main.getValue("Plugin-Class"), where + ": providers come from META-INF/services");
            }
        }
    }

    @Test
    void servicesFileNamesProvidersThatAreInsideTheJar() throws IOException {
        String services = "META-INF/services/" + MapSolverProvider.class.getName();
        for (Path path : jarsById.values()) {
            try (JarFile jar = new JarFile(path.toFile())) {
                JarEntry entry = jar.getJarEntry(services);
                assertNotNull(entry, path.getFileName() + " lacks " + services);
                List<String> providers = new ArrayList<>();
                try (InputStream in = jar.getInputStream(entry)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String name = line.replaceAll("#.*", "").trim();
                        if (!name.isEmpty()) {
                            providers.add(name);
                        }
                    }
                }
                assertFalse(providers.isEmpty(), path.getFileName() + ": " + services + " is empty");
                for (String provider : providers) {
                    String classFile = provider.replace('.', '/') + ".class";
                    assertNotNull(
                            jar.getJarEntry(classFile),
                            path.getFileName() + " lists " + provider + " but lacks " + classFile);
                }
            }
        }
    }

    @Test
    void noSpiDjlOrPf4jClassesInside() throws IOException {
        for (Path path : jarsById.values()) {
            try (JarFile jar = new JarFile(path.toFile())) {
                List<String> offending = Collections.list(jar.entries()).stream()
                        .map(JarEntry::getName)
                        .filter(n -> n.endsWith(".class") && FORBIDDEN.stream().anyMatch(n::startsWith))
                        .limit(5)
                        .toList();
                assertEquals(List.of(), offending, path.getFileName() + " bundles classes of the app's class path");
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
