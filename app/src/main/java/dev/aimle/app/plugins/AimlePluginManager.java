package dev.aimle.app.plugins;

import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NoiseDistributionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFinder;
import org.pf4j.ExtensionWrapper;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * PF4J's {@link DefaultPluginManager} (jar, zip and directory plugins) set up for the SPI: the system
 * version is the SPI version and a bare {@code Plugin-Requires} version must match it exactly (PF4J's
 * default reads {@code 0.1.0} as {@code >=0.1.0}, which would accept plugins built against an older,
 * incompatible 0.x SPI; a range such as {@code >=0.1.0 & <0.2.0} is still accepted), extensions come
 * from {@code META-INF/services} through {@link SpiServicesFinder}, the mode is always deployment,
 * and a plugin that fails to load is recorded with its cause instead of only being logged.
 */
final class AimlePluginManager extends DefaultPluginManager {
    /** The SPI interfaces whose providers plugins may contribute. */
    static final List<Class<?>> SPI_TYPES =
            List.of(MapSolverProvider.class, NoiseDistributionProvider.class, GradientEstimatorProvider.class);

    private final List<LoadProblem> problems = new ArrayList<>();

    AimlePluginManager(Path pluginsDir, String spiVersion) {
        super(pluginsDir);
        setSystemVersion(spiVersion);
        setExactVersionAllowed(true);
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        // Development mode would look for plugins in ../plugins and read target/classes folders.
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected ExtensionFinder createExtensionFinder() {
        SpiServicesFinder finder = new SpiServicesFinder(this, SPI_TYPES);
        addPluginStateListener(finder);
        return finder;
    }

    /**
     * Loads every plugin of the plugins directory, in file-name order, recording the ones that cannot
     * be loaded (corrupt archive, no descriptor, duplicate id, ...) and going on with the others.
     */
    @Override
    public void loadPlugins() {
        List<Path> paths = new ArrayList<>(pluginRepository.getPluginPaths());
        paths.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path path : paths) {
            try {
                loadPluginFromPath(path);
            } catch (RuntimeException e) {
                problems.add(LoadProblem.ofPath(path, Diagnosis.loadFailure(path, e)));
            }
        }
        reportUnexpandedZips();
        try {
            resolvePlugins();
        } catch (PluginRuntimeException e) {
            // Dependencies between plugins are not resolvable: drop the plugins that declare any,
            // so that the independent ones still load.
            problems.add(new LoadProblem("plugin dependencies", null, Diagnosis.message(e)));
            for (PluginWrapper plugin : new ArrayList<>(getPlugins())) {
                if (!plugin.getDescriptor().getDependencies().isEmpty()) {
                    problems.add(LoadProblem.of(plugin, "not loaded: its Plugin-Dependencies cannot be resolved"));
                    unloadPlugin(plugin.getPluginId(), false, false);
                }
            }
            try {
                resolvePlugins();
            } catch (PluginRuntimeException again) {
                problems.add(new LoadProblem("plugin dependencies", null, Diagnosis.message(again)));
            }
        }
    }

    /** PF4J expands zip plugins in place and only logs a zip it cannot expand. */
    private void reportUnexpandedZips() {
        for (Path root : getPluginsRoots()) {
            try (var files = Files.list(root)) {
                files.filter(f -> f.getFileName().toString().endsWith(".zip") && Files.isRegularFile(f))
                        .sorted()
                        .forEach(zip -> {
                            String name = zip.getFileName().toString();
                            Path expanded = zip.resolveSibling(name.substring(0, name.length() - 4));
                            if (!Files.isDirectory(expanded)) {
                                problems.add(
                                        LoadProblem.ofPath(zip, "not a valid zip plugin: it could not be expanded"));
                            }
                        });
            } catch (IOException e) {
                problems.add(LoadProblem.ofPath(root, "cannot list the plugins directory: " + e.getMessage()));
            }
        }
    }

    /** Whether the plugin's {@code Plugin-Requires} accepts this app's SPI version. */
    boolean acceptsSystemVersion(PluginWrapper plugin) {
        return isPluginValid(plugin);
    }

    /**
     * Whether {@code requires} (a {@code Plugin-Requires} value) accepts {@code version}, with this
     * manager's rules: empty or {@code *} accepts everything, a bare version means exactly it.
     */
    boolean requirementAccepts(String requires, String version) {
        if (requires == null || requires.isBlank() || requires.strip().equals("*")) {
            return true;
        }
        // exact versions are allowed (constructor): a bare version is an equality constraint
        return getVersionManager().checkVersionConstraint(version, requires.strip());
    }

    /** Whether the plugin was disabled by the user ({@code disabled.txt} / {@code enabled.txt}). */
    boolean disabledByUser(PluginWrapper plugin) {
        return isPluginDisabled(plugin.getPluginId());
    }

    /** The extensions of {@code type} a started plugin registers, not yet instantiated. */
    <T> List<ExtensionWrapper<T>> findExtensions(Class<T> type, String pluginId) {
        return extensionFinder.find(type, pluginId);
    }

    /** The problems met while loading, in the order met. */
    List<LoadProblem> loadProblems() {
        return List.copyOf(problems);
    }
}
