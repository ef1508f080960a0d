package dev.aimle.app.plugins;

import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NoiseDistributionProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything {@link PluginLoader} found: the providers of each kind (from the class path and from
 * the started plugins, each entry labelled with its source), the plugins and the load problems.
 *
 * <p>Close it when done: closing stops the plugins and closes their class loaders, after which the
 * plugins' solvers must no longer be used.
 */
public final class Discovery implements AutoCloseable {
    private final ProviderRegistry<MapSolverProvider> solvers;
    private final ProviderRegistry<NoiseDistributionProvider> noises;
    private final ProviderRegistry<GradientEstimatorProvider> estimators;
    private final List<PluginInfo> plugins;
    private final Problems problems;
    private final Path pluginsDir;
    private final AimlePluginManager manager;

    Discovery(
            ProviderRegistry<MapSolverProvider> solvers,
            ProviderRegistry<NoiseDistributionProvider> noises,
            ProviderRegistry<GradientEstimatorProvider> estimators,
            List<PluginInfo> plugins,
            Problems problems,
            Path pluginsDir,
            AimlePluginManager manager) {
        this.solvers = Objects.requireNonNull(solvers, "solvers");
        this.noises = Objects.requireNonNull(noises, "noises");
        this.estimators = Objects.requireNonNull(estimators, "estimators");
        this.plugins = List.copyOf(plugins);
        this.problems = Objects.requireNonNull(problems, "problems");
        this.pluginsDir = pluginsDir;
        this.manager = manager;
    }

    /** The MAP solvers, sorted by name. */
    public ProviderRegistry<MapSolverProvider> solvers() {
        return solvers;
    }

    /** The noise distributions, sorted by name. */
    public ProviderRegistry<NoiseDistributionProvider> noises() {
        return noises;
    }

    /** The gradient estimators, sorted by name. */
    public ProviderRegistry<GradientEstimatorProvider> estimators() {
        return estimators;
    }

    /** Every plugin found in the plugins directory, sorted by id, whatever its state. */
    public List<PluginInfo> plugins() {
        return plugins;
    }

    /**
     * What could not be loaded so far, in the order met. Empty when everything loaded. Providers are
     * created on first use, so a provider that fails to be created appears only once something
     * asked for providers of its kind.
     */
    public List<LoadProblem> problems() {
        return problems.snapshot();
    }

    /** Replays the problems so far to {@code listener}, then tells it each new one when it happens. */
    public void onProblem(Consumer<LoadProblem> listener) {
        problems.listen(listener);
    }

    /** The plugins directory searched, or empty when only the class path was. */
    public Optional<Path> pluginsDir() {
        return Optional.ofNullable(pluginsDir);
    }

    /** Stops the plugins and closes their class loaders. */
    @Override
    public void close() {
        if (manager != null) {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }
}
