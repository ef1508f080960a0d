package dev.aimle.app.plugins;

import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NoiseDistributionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFinder;
import org.pf4j.ExtensionWrapper;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginRepository;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.RuntimeMode;

/**
 * PF4J's {@link DefaultPluginManager} set up for the SPI: the system version is the SPI version and a
 * bare {@code Plugin-Requires} version must match it exactly (PF4J's default reads {@code 0.1.0} as
 * {@code >=0.1.0}, which would accept plugins built against an older, incompatible 0.x SPI; a range
 * such as {@code >=0.1.0 & <0.2.0} is still accepted), extensions come from {@code
 * META-INF/services} through {@link SpiServicesFinder}, the mode is always deployment, and a plugin
 * that fails to load is recorded with its cause instead of only being logged.
 *
 * <p>The plugins directory is only read, and only its top level: plugins are the {@code .jar} files
 * in it and its directories (a directory plugin's descriptor is {@code plugin.properties} or {@code
 * classes/META-INF/MANIFEST.MF}, nowhere deeper). PF4J's defaults would expand every {@code .zip}
 * into the directory and search a directory plugin's whole tree for a manifest, following links
 * ({@code --plugins-dir /proc/self} ran for minutes); here a zip and a link to a directory are
 * reported and skipped. Two plugins with one {@code Plugin-Id} refuse the whole directory
 * ({@link #loadPlugins}).
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
    protected PluginRepository createPluginRepository() {
        return new TopLevel(getPluginsRoots());
    }

    @Override
    protected CompoundPluginDescriptorFinder createPluginDescriptorFinder() {
        return new CompoundPluginDescriptorFinder()
                .add(new PropertiesPluginDescriptorFinder())
                .add(new ManifestPluginDescriptorFinder() {
                    @Override
                    protected Manifest readManifestFromDirectory(Path pluginPath) {
                        // PF4J searches the whole tree, following links, for any MANIFEST.MF
                        Path file = pluginPath.resolve(DIRECTORY_MANIFEST);
                        if (!Files.isRegularFile(file)) {
                            throw new PluginRuntimeException("no " + DIRECTORY_MANIFEST + " in " + pluginPath);
                        }
                        try (InputStream in = Files.newInputStream(file)) {
                            return new Manifest(in);
                        } catch (IOException e) {
                            throw new PluginRuntimeException(e, "cannot read " + file);
                        }
                    }
                });
    }

    /** Where a directory plugin keeps its manifest (PF4J's layout: {@code classes/} and {@code lib/}). */
    static final String DIRECTORY_MANIFEST = "classes/META-INF/MANIFEST.MF";

    @Override
    protected ExtensionFinder createExtensionFinder() {
        SpiServicesFinder finder = new SpiServicesFinder(this, SPI_TYPES);
        addPluginStateListener(finder);
        return finder;
    }

    /**
     * Loads every plugin of the plugins directory, in file-name order, recording the ones that cannot
     * be loaded (corrupt archive, no descriptor, ...) and going on with the others.
     *
     * @throws IllegalArgumentException naming the files when two plugins declare the same {@code
     *     Plugin-Id}: PF4J would keep the first by file name and only log the second, so a jar named to
     *     sort first could replace a plugin the user relies on. Nothing is loaded then.
     */
    @Override
    public void loadPlugins() {
        List<Path> paths = new ArrayList<>(pluginRepository.getPluginPaths());
        paths.sort(Comparator.comparing(p -> p.getFileName().toString()));
        refuseDuplicateIds(paths);
        for (Path path : paths) {
            try {
                loadPluginFromPath(path);
            } catch (RuntimeException e) {
                problems.add(LoadProblem.ofPath(path, Diagnosis.loadFailure(path, e)));
            }
        }
        reportSkippedEntries();
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

    private void refuseDuplicateIds(List<Path> paths) {
        Map<String, List<Path>> byId = new LinkedHashMap<>();
        Map<Path, String> labels = new LinkedHashMap<>();
        for (Path path : paths) {
            PluginDescriptor descriptor;
            try {
                descriptor = getPluginDescriptorFinder().find(path);
            } catch (RuntimeException e) {
                continue; // loading it reports why
            }
            String id = descriptor.getPluginId();
            if (id == null || id.isBlank()) {
                continue;
            }
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(path);
            labels.put(path, id + "@" + descriptor.getVersion());
        }
        String clashes = byId.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> e.getValue().size() + " plugins with Plugin-Id '" + e.getKey() + "': "
                        + e.getValue().stream()
                                .map(p -> p + " (" + labels.get(p) + ")")
                                .collect(Collectors.joining(" and ")))
                .collect(Collectors.joining("; "));
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException("plugins directory " + getPluginsRoot() + " holds " + clashes
                    + "; nothing is resolved by load order: remove all but one, or give each its own Plugin-Id");
        }
    }

    /** The problems the plugins directory's listing met: zips and links to directories, skipped. */
    private void reportSkippedEntries() {
        if (pluginRepository instanceof TopLevel top) {
            top.skipped.forEach(problems::add);
        }
    }

    /**
     * The plugins of the plugins directory: its {@code .jar} files and its directories, listed once,
     * never descended into. A {@code .zip} is not expanded (that would write into a directory the user
     * named) and a link to a directory is not followed (a link to {@code .} or {@code ..} made the
     * search loop); both are reported.
     */
    private static final class TopLevel implements PluginRepository {
        private final List<Path> roots;
        private final List<LoadProblem> skipped = new ArrayList<>();

        TopLevel(List<Path> roots) {
            this.roots = List.copyOf(roots);
        }

        @Override
        public List<Path> getPluginPaths() {
            skipped.clear();
            List<Path> plugins = new ArrayList<>();
            for (Path root : roots) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        String lower = name.toLowerCase(Locale.ROOT);
                        if (name.startsWith(".")) {
                            continue;
                        }
                        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                            plugins.add(entry);
                        } else if (Files.isDirectory(entry)) {
                            skipped.add(LoadProblem.ofPath(
                                    entry,
                                    "a symbolic link to a directory; not followed. Maybe copy or move the plugin"
                                            + " directory itself here"));
                        } else if (lower.endsWith(".jar") && Files.isRegularFile(entry)) {
                            plugins.add(entry);
                        } else if (lower.endsWith(".zip") && Files.isRegularFile(entry)) {
                            skipped.add(LoadProblem.ofPath(
                                    entry,
                                    "a zip plugin is not expanded (that would write into the plugins directory)."
                                            + " Maybe unzip it yourself into a directory here, or use its jar"));
                        }
                    }
                } catch (IOException e) {
                    skipped.add(LoadProblem.ofPath(root, "cannot list the plugins directory: " + e.getMessage()));
                }
            }
            return plugins;
        }

        @Override
        public boolean deletePluginPath(Path pluginPath) {
            // the plugins directory is the user's: never delete from it
            return false;
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
