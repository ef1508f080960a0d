package dev.aimle.app.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI reads from outside its arguments, passed in so tests can set it.
 *
 * @param variables the environment variables (e.g. {@code AIMLE_PLUGINS_DIR})
 * @param home the installation directory: the default plugins directory is {@code home/plugins}. The
 *     launcher passes it as the system property {@code aimle.home}; without it, the working directory
 */
public record CliEnvironment(Map<String, String> variables, Path home) {
    /** The system property the launcher sets to the repository root. */
    public static final String HOME_PROPERTY = "aimle.home";

    /** Copies the variables. */
    public CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(home, "home");
    }

    /** The environment of this process. */
    public static CliEnvironment system() {
        String home = System.getProperty(HOME_PROPERTY);
        return new CliEnvironment(System.getenv(), Path.of(home == null || home.isBlank() ? "" : home));
    }

    /** The default plugins directory, {@code home/plugins}. */
    public Path defaultPluginsDir() {
        return home.resolve("plugins");
    }
}
