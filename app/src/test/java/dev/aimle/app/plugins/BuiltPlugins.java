package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import java.nio.file.Path;

/**
 * Solvers from the plugin jars this build produced (app/target/plugins), loaded as the app loads
 * them, for integration tests that need a real solver. Loaded once per test JVM and kept open, since
 * solvers live in their plugins' class loaders.
 */
public final class BuiltPlugins {
    private static Discovery discovery;

    private BuiltPlugins() {}

    /** A solver of the built plugins with one parameter, e.g. {@code solver("topk", "k", 1)}. */
    public static synchronized MapSolver solver(String name, String key, Object value) {
        if (discovery == null) {
            String dir = System.getProperty("aimle.plugins.built");
            assertNotNull(dir, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
            discovery = PluginLoader.forApp().load(Path.of(dir));
        }
        return discovery.solvers().get(name).create(Config.of(key, value));
    }
}
