package dev.aimle.app.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions this build of the app was made with, read from {@code aimle-app.properties} (filtered
 * by Maven). The SPI version is the PF4J system version: a plugin is loaded only when its
 * {@code Plugin-Requires} accepts it.
 *
 * @param appVersion the app's Maven version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param spiVersion the SPI version ({@code aimle.spi.version} in the parent pom), e.g. {@code 0.1.0}
 */
public record AppInfo(String appVersion, String spiVersion) {
    private static final String RESOURCE = "aimle-app.properties";

    /** Requires both versions, and rejects an unfiltered resource. */
    public AppInfo {
        requireResolved("app.version", appVersion);
        requireResolved("spi.version", spiVersion);
    }

    private static void requireResolved(String key, String value) {
        if (value == null || value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(
                    key + " (" + value + ") in " + RESOURCE + " is missing or was not filtered by the build");
        }
    }

    /** The versions of this build. */
    public static AppInfo current() {
        Properties properties = new Properties();
        try (InputStream in = AppInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path next to "
                        + AppInfo.class.getName() + "; maybe the app was not built with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new AppInfo(properties.getProperty("app.version"), properties.getProperty("spi.version"));
    }
}
