package dev.aimle.app.plugins;

import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NamedProvider;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.pf4j.ExtensionWrapper;
import org.pf4j.PluginWrapper;

/**
 * Discovers the providers of the SPI ({@link MapSolverProvider}, {@link NoiseDistributionProvider},
 * {@link GradientEstimatorProvider}) on the class path with {@link java.util.ServiceLoader} and in PF4J plugins
 * of a plugins directory, and reports every plugin that could not be used with its cause.
 *
 * <p>A plugin is a jar (or a PF4J directory: {@code classes/}, {@code lib/}) whose manifest carries the PF4J descriptor
 * ({@code Plugin-Id}, {@code Plugin-Version}, {@code Plugin-Requires}, ...) and which lists its
 * providers in {@code META-INF/services/<SPI interface>}. The PF4J system version is the SPI version:
 * a plugin whose {@code Plugin-Requires} does not accept it is refused. A plugin that is not a valid
 * archive, has no descriptor, requires another SPI version, fails to start, or lists a provider that
 * cannot be instantiated is recorded as a {@link LoadProblem}; the other plugins still load.
 *
 * <p>Providers are not instantiated while loading: each registry creates them on first use, each on a
 * thread of its own under a deadline, and reports a provider whose constructor throws or hangs or
 * whose name is null, blank or invalid (see {@link ProviderRegistry}). Order is deterministic: each
 * registry is sorted by name, then source. A name provided twice is ambiguous: it must be qualified
 * ({@code <plugin-id>:<name>} or {@code classpath:<name>}); neither source silently wins. {@code aimle-api}, PF4J and
 * DJL come from the app's class loader (the parent of every plugin class loader); DJL finds its engine
 * through the thread context class loader, which stays the app's.
 */
public final class PluginLoader {
    /** The environment variable naming the plugins directory. */
    public static final String PLUGINS_DIR_ENV = "AIMLE_PLUGINS_DIR";

    /**
     * The manifest attribute in which a plugin's build records the SPI version it compiled against;
     * the loader refuses a plugin whose {@code Plugin-Requires} does not accept it.
     */
    public static final String BUILT_AGAINST_ATTRIBUTE = "Aimle-Spi-Version";

    private final String spiVersion;
    private final ClassLoader classpathLoader;
    private final Duration creationTimeout;

    /**
     * @param spiVersion the SPI version, the PF4J system version plugins are checked against
     * @param classpathLoader where class-path providers are looked up
     */
    public PluginLoader(String spiVersion, ClassLoader classpathLoader) {
        this(spiVersion, classpathLoader, Duration.ofSeconds(ProviderRegistry.DEFAULT_CREATION_TIMEOUT_SECONDS));
    }

    /**
     * @param spiVersion the SPI version, the PF4J system version plugins are checked against
     * @param classpathLoader where class-path providers are looked up
     * @param creationTimeout how long a provider may take to be constructed and tell its name
     */
    public PluginLoader(String spiVersion, ClassLoader classpathLoader, Duration creationTimeout) {
        this.spiVersion = Objects.requireNonNull(spiVersion, "spiVersion");
        this.classpathLoader = Objects.requireNonNull(classpathLoader, "classpathLoader");
        this.creationTimeout = Objects.requireNonNull(creationTimeout, "creationTimeout");
    }

    /** The loader of the running app: its SPI version, its class loader. */
    public static PluginLoader forApp() {
        return new PluginLoader(AppInfo.current().spiVersion(), PluginLoader.class.getClassLoader());
    }

    /** The same loader with another provider creation deadline. */
    public PluginLoader withCreationTimeout(Duration timeout) {
        return new PluginLoader(spiVersion, classpathLoader, timeout);
    }

    /** The SPI version plugins are checked against. */
    public String spiVersion() {
        return spiVersion;
    }

    /** The providers on the class path only, no plugins. */
    public Discovery classpathOnly() {
        Assembly assembly = new Assembly(new Problems());
        assembly.addClasspath(classpathLoader);
        return assembly.discovery(List.of(), null, null);
    }

    /**
     * The providers on the class path and in the plugins of {@code pluginsDir}.
     *
     * @throws IllegalArgumentException when {@code pluginsDir} is not a directory
     */
    public Discovery load(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            throw new IllegalArgumentException(
                    "plugins directory " + pluginsDir.toAbsolutePath() + " does not exist or is not a directory");
        }
        Path dir = pluginsDir.toAbsolutePath().normalize();
        Problems problems = new Problems();
        Assembly assembly = new Assembly(problems);
        assembly.addClasspath(classpathLoader);

        AimlePluginManager manager = new AimlePluginManager(dir, spiVersion);
        manager.loadPlugins();
        problems.addAll(manager.loadProblems());
        refuseInconsistentBuilds(manager, problems);
        manager.startPlugins();

        List<PluginWrapper> plugins = new ArrayList<>(manager.getPlugins());
        plugins.sort(Comparator.comparing(PluginWrapper::getPluginId));
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginWrapper plugin : plugins) {
            infos.add(PluginInfo.of(plugin));
            switch (plugin.getPluginState()) {
                case STARTED -> assembly.addPlugin(manager, plugin);
                case FAILED -> problems.add(LoadProblem.of(plugin, Diagnosis.startFailure(plugin)));
                case DISABLED -> {
                    if (!manager.acceptsSystemVersion(plugin)) {
                        problems.add(LoadProblem.of(
                                plugin,
                                "requires SPI version " + plugin.getDescriptor().getRequires()
                                        + " (Plugin-Requires), this app provides " + spiVersion));
                    } else if (!manager.disabledByUser(plugin)) {
                        problems.add(LoadProblem.of(plugin, "disabled"));
                    }
                }
                default -> problems.add(LoadProblem.of(plugin, "not started (state " + plugin.getPluginState() + ")"));
            }
        }
        return assembly.discovery(infos, dir, manager);
    }

    /**
     * Unloads, before they start, the plugins whose build recorded an SPI version ({@value
     * #BUILT_AGAINST_ATTRIBUTE} in the manifest) that their own {@code Plugin-Requires} does not
     * accept: the declared requirement is not the SPI the plugin was compiled with, so it cannot be
     * trusted to say which apps the plugin works with.
     */
    private static void refuseInconsistentBuilds(AimlePluginManager manager, Problems problems) {
        for (PluginWrapper plugin : new ArrayList<>(manager.getPlugins())) {
            String builtAgainst = Diagnosis.manifestAttribute(plugin.getPluginPath(), BUILT_AGAINST_ATTRIBUTE);
            if (builtAgainst == null || builtAgainst.isBlank()) {
                continue;
            }
            String requires = plugin.getDescriptor().getRequires();
            if (!manager.requirementAccepts(requires, builtAgainst.strip())) {
                problems.add(LoadProblem.of(
                        plugin,
                        "was built against SPI " + builtAgainst.strip() + " ("
                                + BUILT_AGAINST_ATTRIBUTE + ") but declares Plugin-Requires " + requires
                                + ", which does not accept it; rebuild the plugin against this SPI and declare it"));
                manager.unloadPlugin(plugin.getPluginId());
            }
        }
    }

    /**
     * Collects the three registries. Nothing is instantiated here: providers are created by the
     * registries on first use, under the creation deadline, and a provider that cannot be created is
     * reported then, through {@link Discovery#problems()} and its listener.
     */
    private final class Assembly {
        private final Problems problems;
        private final Map<String, Path> pathBySource = new HashMap<>();
        private final Part<MapSolverProvider> solvers;
        private final Part<NoiseDistributionProvider> noises;
        private final Part<GradientEstimatorProvider> estimators;

        Assembly(Problems problems) {
            this.problems = problems;
            this.solvers = new Part<>("map solver", MapSolverProvider.class);
            this.noises = new Part<>("noise distribution", NoiseDistributionProvider.class);
            this.estimators = new Part<>("gradient estimator", GradientEstimatorProvider.class);
        }

        void addClasspath(ClassLoader loader) {
            solvers.builder.addServiceLoader(MapSolverProvider.class, loader);
            noises.builder.addServiceLoader(NoiseDistributionProvider.class, loader);
            estimators.builder.addServiceLoader(GradientEstimatorProvider.class, loader);
        }

        void addPlugin(AimlePluginManager manager, PluginWrapper plugin) {
            pathBySource.put(label(plugin), plugin.getPluginPath());
            int listed = solvers.addPlugin(manager, plugin)
                    + noises.addPlugin(manager, plugin)
                    + estimators.addPlugin(manager, plugin);
            if (listed == 0) {
                problems.add(LoadProblem.of(
                        plugin,
                        "registers no provider: it has no META-INF/services/" + MapSolverProvider.class.getName()
                                + " (nor one for the noise or estimator providers)"));
            }
        }

        Discovery discovery(List<PluginInfo> plugins, Path dir, AimlePluginManager manager) {
            return new Discovery(
                    solvers.builder.build(),
                    noises.builder.build(),
                    estimators.builder.build(),
                    plugins,
                    problems,
                    dir,
                    manager);
        }

        /** The providers of one kind. */
        private final class Part<P extends NamedProvider> {
            private final String kind;
            private final Class<P> type;
            private final ProviderRegistry.Builder<P> builder;

            Part(String kind, Class<P> type) {
                this.kind = kind;
                this.type = type;
                this.builder = ProviderRegistry.builder(kind, type)
                        .creationTimeout(creationTimeout)
                        .onProblem(p -> problems.add(
                                new LoadProblem(p.source(), pathBySource.get(p.source()), kind + " " + p.message())));
            }

            /** Adds a started plugin's providers of this kind, not instantiated; returns how many it lists. */
            int addPlugin(AimlePluginManager manager, PluginWrapper plugin) {
                ClassLoader loader = plugin.getPluginClassLoader();
                Set<String> listed = SpiServicesFinder.listedProviders(loader, type);
                Set<String> seen = new TreeSet<>();
                List<ExtensionWrapper<P>> wrappers =
                        new ArrayList<>(manager.findExtensions(type, plugin.getPluginId()));
                wrappers.sort(Comparator.comparing(
                        w -> w.getDescriptor().extensionClass.getName()));
                for (ExtensionWrapper<P> wrapper : wrappers) {
                    String className = wrapper.getDescriptor().extensionClass.getName();
                    seen.add(className);
                    builder.addLazy(label(plugin), className, () -> {
                        try {
                            return wrapper.getExtension();
                        } catch (RuntimeException | LinkageError e) {
                            throw new ProviderRegistry.CreationFailure(Diagnosis.provider(loader, className, type));
                        }
                    });
                }
                for (String className : listed) {
                    if (!seen.contains(className)) {
                        problems.add(LoadProblem.of(plugin, Diagnosis.provider(loader, className, type)));
                    }
                }
                return listed.size();
            }
        }
    }

    private static String label(PluginWrapper plugin) {
        return plugin.getPluginId() + "@" + plugin.getDescriptor().getVersion();
    }
}
