package dev.aimle.app.plugins;

import java.nio.file.Path;
import java.util.Objects;
import org.pf4j.PluginWrapper;

/**
 * What the app knows about one plugin it found: its descriptor and how far it got.
 *
 * @param id {@code Plugin-Id}
 * @param version {@code Plugin-Version}
 * @param requires {@code Plugin-Requires}, the SPI versions it accepts
 * @param provider {@code Plugin-Provider}, possibly empty
 * @param description {@code Plugin-Description}, possibly empty
 * @param path the plugin's jar, zip or directory
 * @param state PF4J's state: {@code STARTED} when its providers are in use, {@code DISABLED} or
 *     {@code FAILED} otherwise (see the load problems for why)
 */
public record PluginInfo(
        String id, String version, String requires, String provider, String description, Path path, String state) {

    /** Requires every component. */
    public PluginInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(requires, "requires");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(state, "state");
    }

    static PluginInfo of(PluginWrapper plugin) {
        var d = plugin.getDescriptor();
        return new PluginInfo(
                d.getPluginId(),
                d.getVersion(),
                nullToEmpty(d.getRequires()),
                nullToEmpty(d.getProvider()),
                nullToEmpty(d.getPluginDescription()),
                plugin.getPluginPath(),
                plugin.getPluginState().toString());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** {@code id@version}, the source label of this plugin's providers. */
    public String label() {
        return id + "@" + version;
    }

    /** Whether its providers are in use. */
    public boolean started() {
        return "STARTED".equals(state);
    }
}
