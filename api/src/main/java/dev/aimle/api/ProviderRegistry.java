package dev.aimle.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * An immutable set of providers of one kind, by name, in a deterministic order (sorted by name).
 * Built from {@link ServiceLoader} on a class loader and, in the app, from PF4J plugins; each entry
 * remembers where it came from so users can see it.
 *
 * @param <P> the provider type
 */
public final class ProviderRegistry<P extends NamedProvider> {

    /** The source label of providers found on the classpath. */
    public static final String CLASSPATH = "classpath";

    /**
     * A provider and where it came from.
     *
     * @param provider the provider
     * @param source {@link #CLASSPATH} or a plugin's {@code id@version}
     */
    public record Entry<P>(P provider, String source) {
        /** Requires both. */
        public Entry {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(source, "source");
        }
    }

    private final String kind;
    private final Map<String, Entry<P>> byName;

    private ProviderRegistry(String kind, List<Entry<P>> entries) {
        this.kind = kind;
        List<Entry<P>> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing((Entry<P> e) -> e.provider().name()));
        Map<String, Entry<P>> map = new LinkedHashMap<>();
        for (Entry<P> e : sorted) {
            String name = e.provider().name();
            Entry<P> previous = map.putIfAbsent(name, e);
            if (previous != null) {
                throw new IllegalStateException(
                        kind
                                + " '"
                                + name
                                + "' is provided twice: by "
                                + previous.source()
                                + " and by "
                                + e.source()
                                + "; remove one of them");
            }
        }
        this.byName = java.util.Collections.unmodifiableMap(map);
    }

    /**
     * Discovers every provider of {@code type} registered in {@code META-INF/services} visible to
     * {@code loader}.
     *
     * @param kind a human name of the kind, for messages, e.g. {@code "map solver"}
     */
    public static <P extends NamedProvider> ProviderRegistry<P> fromClasspath(
            String kind, Class<P> type, ClassLoader loader) {
        return builder(kind, type).addAll(ServiceLoader.load(type, loader), CLASSPATH).build();
    }

    /** A builder for registries that combine several sources. */
    public static <P extends NamedProvider> Builder<P> builder(String kind, Class<P> type) {
        return new Builder<>(kind);
    }

    /**
     * The provider called {@code name}.
     *
     * @throws IllegalArgumentException naming the known providers when there is none by that name
     */
    public P get(String name) {
        Entry<P> e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException(
                    "unknown "
                            + kind
                            + " '"
                            + name
                            + "'; known: "
                            + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))
                            + ". Maybe its plugin is not built or not in the plugins directory?");
        }
        return e.provider();
    }

    /** Whether a provider of that name is known. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The known names, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Every entry, sorted by name. */
    public List<Entry<P>> entries() {
        return List.copyOf(byName.values());
    }

    /** The human name of this kind of provider. */
    public String kind() {
        return kind;
    }

    @Override
    public String toString() {
        return byName.values().stream()
                .map(e -> e.provider().name() + " (" + e.source() + ")")
                .collect(Collectors.joining(", ", kind + "s: [", "]"));
    }

    /**
     * Collects providers from several sources.
     *
     * @param <P> the provider type
     */
    public static final class Builder<P extends NamedProvider> {
        private final String kind;
        private final List<Entry<P>> entries = new ArrayList<>();

        private Builder(String kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        /** Adds one provider from {@code source}. */
        public Builder<P> add(P provider, String source) {
            entries.add(new Entry<>(provider, source));
            return this;
        }

        /** Adds providers from {@code source}. */
        public Builder<P> addAll(Iterable<? extends P> providers, String source) {
            for (P p : providers) {
                add(p, source);
            }
            return this;
        }

        /**
         * The registry.
         *
         * @throws IllegalStateException when two providers share a name
         */
        public ProviderRegistry<P> build() {
            return new ProviderRegistry<>(kind, entries);
        }
    }
}
