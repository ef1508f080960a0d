package dev.aimle.app.plugins;

import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NamedProvider;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.api.ProviderRegistry;
import dev.aimle.app.AppInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.pf4j.ExtensionWrapper;
import org.pf4j.PluginWrapper;

/**
 * Discovers the providers of the SPI ({@link MapSolverProvider}, {@link NoiseDistributionProvider},
 * {@link GradientEstimatorProvider}) on the class path with {@link ServiceLoader} and in PF4J plugins
 * of a plugins directory, and reports every plugin that could not be used with its cause.
 *
 * <p>A plugin is a jar (or PF4J zip or directory) whose manifest carries the PF4J descriptor
 * ({@code Plugin-Id}, {@code Plugin-Version}, {@code Plugin-Requires}, ...) and which lists its
 * providers in {@code META-INF/services/<SPI interface>}. The PF4J system version is the SPI version:
 * a plugin whose {@code Plugin-Requires} does not accept it is refused. A plugin that is not a valid
 * archive, has no descriptor, requires another SPI version, fails to start, or lists a provider that
 * cannot be instantiated is recorded as a {@link LoadProblem}; the other plugins still load.
 *
 * <p>Order is deterministic: class-path providers first, then plugins by id; each registry is sorted
 * by name. A name provided twice keeps the first and reports the second. {@code aimle-api}, PF4J and
 * DJL come from the app's class loader (the parent of every plugin class loader); DJL finds its engine
 * through the thread context class loader, which stays the app's.
 */
public final class PluginLoader {
    /** The environment variable naming the plugins directory. */
    public static final String PLUGINS_DIR_ENV = "AIMLE_PLUGINS_DIR";

    private static final int MAX_CLASSPATH_ERRORS = 100;

    private final String spiVersion;
    private final ClassLoader classpathLoader;

    /**
     * @param spiVersion the SPI version, the PF4J system version plugins are checked against
     * @param classpathLoader where class-path providers are looked up
     */
    public PluginLoader(String spiVersion, ClassLoader classpathLoader) {
        this.spiVersion = Objects.requireNonNull(spiVersion, "spiVersion");
        this.classpathLoader = Objects.requireNonNull(classpathLoader, "classpathLoader");
    }

    /** The loader of the running app: its SPI version, its class loader. */
    public static PluginLoader forApp() {
        return new PluginLoader(AppInfo.current().spiVersion(), PluginLoader.class.getClassLoader());
    }

    /** The SPI version plugins are checked against. */
    public String spiVersion() {
        return spiVersion;
    }

    /** The providers on the class path only, no plugins. */
    public Discovery classpathOnly() {
        List<LoadProblem> problems = new ArrayList<>();
        Assembly assembly = new Assembly(problems);
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
        List<LoadProblem> problems = new ArrayList<>();
        Assembly assembly = new Assembly(problems);
        assembly.addClasspath(classpathLoader);

        AimlePluginManager manager = new AimlePluginManager(dir, spiVersion);
        manager.loadPlugins();
        problems.addAll(manager.loadProblems());
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
                        problems.add(
                                LoadProblem.of(
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

    /** Collects the three registries, refusing duplicate names. */
    private static final class Assembly {
        private final List<LoadProblem> problems;
        private final Part<MapSolverProvider> solvers =
                new Part<>("map solver", MapSolverProvider.class);
        private final Part<NoiseDistributionProvider> noises =
                new Part<>("noise distribution", NoiseDistributionProvider.class);
        private final Part<GradientEstimatorProvider> estimators =
                new Part<>("gradient estimator", GradientEstimatorProvider.class);

        Assembly(List<LoadProblem> problems) {
            this.problems = problems;
        }

        void addClasspath(ClassLoader loader) {
            solvers.addClasspath(loader, problems);
            noises.addClasspath(loader, problems);
            estimators.addClasspath(loader, problems);
        }

        void addPlugin(AimlePluginManager manager, PluginWrapper plugin) {
            int listed = solvers.addPlugin(manager, plugin, problems)
                    + noises.addPlugin(manager, plugin, problems)
                    + estimators.addPlugin(manager, plugin, problems);
            if (listed == 0) {
                problems.add(
                        LoadProblem.of(
                                plugin,
                                "registers no provider: it has no META-INF/services/" + MapSolverProvider.class.getName()
                                        + " (nor one for the noise or estimator providers)"));
            }
        }

        Discovery discovery(List<PluginInfo> plugins, Path dir, AimlePluginManager manager) {
            return new Discovery(
                    solvers.builder.build(), noises.builder.build(), estimators.builder.build(), plugins, problems, dir,
                    manager);
        }
    }

    /** The providers of one kind. */
    private static final class Part<P extends NamedProvider> {
        private final String kind;
        private final Class<P> type;
        private final ProviderRegistry.Builder<P> builder;
        private final Map<String, String> sourceByName = new HashMap<>();

        Part(String kind, Class<P> type) {
            this.kind = kind;
            this.type = type;
            this.builder = ProviderRegistry.builder(kind, type);
        }

        void addClasspath(ClassLoader loader, List<LoadProblem> problems) {
            Iterator<P> it = ServiceLoader.load(type, loader).iterator();
            int errors = 0;
            while (errors < MAX_CLASSPATH_ERRORS) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    add(it.next(), ProviderRegistry.CLASSPATH, problems, ProviderRegistry.CLASSPATH, null);
                } catch (ServiceConfigurationError e) {
                    errors++;
                    problems.add(new LoadProblem(ProviderRegistry.CLASSPATH, null, Diagnosis.message(e)));
                }
            }
        }

        /** Adds a started plugin's providers of this kind; returns how many it lists. */
        int addPlugin(AimlePluginManager manager, PluginWrapper plugin, List<LoadProblem> problems) {
            ClassLoader loader = plugin.getPluginClassLoader();
            Set<String> listed = SpiServicesFinder.listedProviders(loader, type);
            Set<String> seen = new TreeSet<>();
            List<ExtensionWrapper<P>> wrappers = new ArrayList<>(manager.findExtensions(type, plugin.getPluginId()));
            wrappers.sort(Comparator.comparing(w -> w.getDescriptor().extensionClass.getName()));
            String label = plugin.getPluginId() + "@" + plugin.getDescriptor().getVersion();
            for (ExtensionWrapper<P> wrapper : wrappers) {
                String className = wrapper.getDescriptor().extensionClass.getName();
                seen.add(className);
                P provider;
                try {
                    provider = wrapper.getExtension();
                } catch (RuntimeException | LinkageError e) {
                    problems.add(LoadProblem.of(plugin, Diagnosis.provider(loader, className, type)));
                    continue;
                }
                add(provider, label, problems, label, plugin.getPluginPath());
            }
            for (String className : listed) {
                if (!seen.contains(className)) {
                    problems.add(LoadProblem.of(plugin, Diagnosis.provider(loader, className, type)));
                }
            }
            return listed.size();
        }

        private void add(P provider, String source, List<LoadProblem> problems, String plugin, Path path) {
            String name;
            try {
                name = provider.name();
            } catch (RuntimeException e) {
                problems.add(new LoadProblem(plugin, path, kind + " provider " + provider.getClass().getName()
                        + " failed to tell its name: " + Diagnosis.message(e)));
                return;
            }
            String previous = sourceByName.putIfAbsent(name, source);
            if (previous != null) {
                problems.add(new LoadProblem(plugin, path, kind + " '" + name + "' is already provided by " + previous
                        + "; this one is ignored"));
                return;
            }
            builder.add(provider, source);
        }
    }
}
