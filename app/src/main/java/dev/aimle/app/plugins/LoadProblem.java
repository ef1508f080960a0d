package dev.aimle.app.plugins;

import java.nio.file.Path;
import java.util.Objects;
import org.pf4j.PluginWrapper;

/**
 * A plugin, or a provider inside one, that could not be loaded. The others load anyway; the CLI
 * prints these as warnings.
 *
 * @param plugin what failed: a plugin's {@code id@version} when its descriptor could be read, else
 *     the file name (or {@code "classpath"} for a broken class-path provider)
 * @param path the plugin's file or directory, or {@code null} when the problem is not about one file
 * @param cause a one-line reason, e.g. {@code "requires SPI version 9.9.9 (Plugin-Requires), this app
 *     provides 0.1.0"}
 */
public record LoadProblem(String plugin, Path path, String cause) {

    /** Requires a plugin label and a cause. */
    public LoadProblem {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(cause, "cause");
    }

    /** A problem with a file whose descriptor could not be read. */
    static LoadProblem ofPath(Path path, String cause) {
        return new LoadProblem(path.getFileName().toString(), path, cause);
    }

    /** A problem with a plugin whose descriptor was read. */
    static LoadProblem of(PluginWrapper plugin, String cause) {
        return new LoadProblem(
                plugin.getPluginId() + "@" + plugin.getDescriptor().getVersion(), plugin.getPluginPath(), cause);
    }

    /**
     * One line for users: {@code plugin <label> (<path>): <cause>}, or {@code <label>: <cause>} when
     * the problem is not about one file (e.g. {@code classpath: ...}).
     */
    public String message() {
        return (path == null ? plugin : "plugin " + plugin + " (" + path + ")") + ": " + cause;
    }

    @Override
    public String toString() {
        return message();
    }
}
