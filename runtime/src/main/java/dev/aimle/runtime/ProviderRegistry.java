package dev.aimle.runtime;

import dev.aimle.api.NamedProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The providers of one kind, by name, each remembering where it came from ({@link #CLASSPATH} or a
 * plugin's {@code id@version}). Built from {@link ServiceLoader} on a class loader and, in the app,
 * from PF4J plugins.
 *
 * <h2>No silent takeover</h2>
 *
 * Two providers may carry the same name (a plugin may ship a {@code topk} next to the built-in
 * one). Such a name is never resolved by load order: {@link #get} refuses it, naming both sources,
 * and a <em>qualified name</em> {@code <origin>:<name>} picks one, where the origin is a plugin's
 * id or {@code classpath} (for example {@code aimle-topk:topk} or {@code classpath:topk}).
 *
 * <h2>Lazy, guarded creation</h2>
 *
 * Providers are created only when first needed: a qualified name creates only the providers of its
 * origin; a plain name, {@link #names()} and {@link #entries()} create all of them (a plain name
 * cannot be checked for ambiguity otherwise). Each provider is constructed and asked its name and
 * description on a daemon thread of its own, all at once, under one deadline ({@link
 * Builder#creationTimeout}, {@value #DEFAULT_CREATION_TIMEOUT_SECONDS} s by default). A provider
 * whose constructor throws or does not return in time, or whose {@code name()} is null, blank or not
 * a valid name ({@value #NAME_PATTERN}; no {@code ':'}), is skipped and reported as a {@link
 * ProviderProblem}; the others are unaffected. A JVM cannot contain everything: a provider that
 * calls {@code System.exit} ends the process, and one that never returns and ignores interrupts keeps
 * its (daemon) thread until the JVM exits.
 *
 * <p>Order is deterministic: entries are sorted by name, then by source. Thread-safe.
 *
 * @param <P> the provider type
 */
public final class ProviderRegistry<P extends NamedProvider> {

    /** The source label (and origin) of providers found on the classpath. */
    public static final String CLASSPATH = "classpath";

    /** The default deadline for constructing a provider and reading its name, in seconds. */
    public static final int DEFAULT_CREATION_TIMEOUT_SECONDS = 10;

    /** What a provider name must look like. */
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private static final Pattern VALID_NAME = Pattern.compile(NAME_PATTERN);
    private static final int MAX_CLASSPATH_ERRORS = 100;
    private static final int MAX_CAUSES = 4;

    /**
     * A provider and where it came from.
     *
     * @param provider the provider
     * @param source {@link #CLASSPATH} or a plugin's {@code id@version}
     * @param name the provider's name, read once when it was created
     * @param description the provider's description, read once when it was created
     */
    public record Entry<P>(P provider, String source, String name, String description) {
        /** Requires every component. */
        public Entry {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }

        /** The origin of the source: the plugin id of {@code id@version}, or {@code classpath}. */
        public String origin() {
            return originOf(source);
        }

        /** {@code <origin>:<name>}, the name that picks this entry even when its name is ambiguous. */
        public String qualifiedName() {
            return origin() + ":" + name;
        }
    }

    private record Candidate<P>(String source, String className, Supplier<? extends P> factory) {}

    private final String kind;
    private final Duration creationTimeout;
    private final Consumer<ProviderProblem> problemListener;
    private final TreeSet<String> origins = new TreeSet<>();
    private final List<Candidate<P>> pending;
    private final List<Entry<P>> created = new ArrayList<>();
    private final List<ProviderProblem> problems = new ArrayList<>();

    private ProviderRegistry(Builder<P> b) {
        this.kind = b.kind;
        this.creationTimeout = b.creationTimeout;
        this.problemListener = b.problemListener;
        this.pending = new ArrayList<>(b.candidates);
        for (Candidate<P> c : pending) {
            origins.add(originOf(c.source()));
        }
        b.problems.forEach(this::report);
    }

    /**
     * Every provider of {@code type} registered in {@code META-INF/services} visible to {@code
     * loader}, created lazily.
     *
     * @param kind a human name of the kind, for messages, e.g. {@code "map solver"}
     */
    public static <P extends NamedProvider> ProviderRegistry<P> fromClasspath(
            String kind, Class<P> type, ClassLoader loader) {
        return builder(kind, type).addServiceLoader(type, loader).build();
    }

    /** A builder for registries that combine several sources. */
    public static <P extends NamedProvider> Builder<P> builder(String kind, Class<P> type) {
        return new Builder<>(kind);
    }

    /** Whether {@code name} is a valid provider name ({@value #NAME_PATTERN}). */
    public static boolean isValidName(String name) {
        return name != null && VALID_NAME.matcher(name).matches();
    }

    /**
     * The provider called {@code name}, a plain name or a qualified {@code <origin>:<name>}.
     *
     * @throws IllegalArgumentException naming the known providers when there is none by that name,
     *     or naming every source and qualified name when the plain name is ambiguous
     */
    public P get(String name) {
        return entry(name).provider();
    }

    /**
     * As {@link #get}, with where the provider came from.
     *
     * @throws IllegalArgumentException as {@link #get}
     */
    public Entry<P> entry(String name) {
        Objects.requireNonNull(name, "name");
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String origin = name.substring(0, colon);
            String plain = name.substring(colon + 1);
            List<Entry<P>> inOrigin = resolve(c -> originOf(c.source()).equals(origin)).stream()
                    .filter(e -> e.origin().equals(origin))
                    .toList();
            if (!origins.contains(origin)) {
                throw new IllegalArgumentException(
                        "unknown origin '" + origin + "' in " + kind + " '" + name + "'; origins: "
                                + (origins.isEmpty() ? "none" : String.join(", ", origins))
                                + " (a plugin id or " + CLASSPATH + ")");
            }
            return inOrigin.stream()
                    .filter(e -> e.name().equals(plain))
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalArgumentException("unknown " + kind + " '" + name + "'; " + origin + " provides "
                                    + (inOrigin.isEmpty()
                                            ? "none"
                                            : inOrigin.stream().map(Entry::name).collect(Collectors.joining(", ")))));
        }
        List<Entry<P>> all = resolve(c -> true);
        List<Entry<P>> matches = all.stream().filter(e -> e.name().equals(name)).toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; known: "
                    + (all.isEmpty() ? "none" : String.join(", ", distinctNames(all)))
                    + ". Maybe its plugin is not built or not in the plugins directory, or, used from the class"
                    + " path, its jar is missing there or does not list the provider in META-INF/services?");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException(kind + " '" + name + "' is ambiguous: it is provided by "
                    + matches.stream().map(Entry::source).collect(Collectors.joining(" and by "))
                    + "; choose one with "
                    + matches.stream().map(Entry::qualifiedName).collect(Collectors.joining(" or ")));
        }
        return matches.get(0);
    }

    /** Whether a provider of that name (plain or qualified) is known, ambiguous or not. */
    public boolean contains(String name) {
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String origin = name.substring(0, colon);
            String plain = name.substring(colon + 1);
            return resolve(c -> originOf(c.source()).equals(origin)).stream()
                    .anyMatch(e -> e.origin().equals(origin) && e.name().equals(plain));
        }
        return resolve(c -> true).stream().anyMatch(e -> e.name().equals(name));
    }

    /** The known names, sorted, each once (creates every provider). */
    public List<String> names() {
        return distinctNames(resolve(c -> true));
    }

    /** Every entry, sorted by name then source (creates every provider). */
    public List<Entry<P>> entries() {
        return resolve(c -> true);
    }

    /** The origins providers come from ({@code classpath}, plugin ids), sorted; creates nothing. */
    public List<String> origins() {
        synchronized (this) {
            return List.copyOf(origins);
        }
    }

    /** The providers skipped so far, in the order met. */
    public synchronized List<ProviderProblem> problems() {
        return List.copyOf(problems);
    }

    /** The human name of this kind of provider. */
    public String kind() {
        return kind;
    }

    @Override
    public synchronized String toString() {
        return created.stream()
                        .map(e -> e.name() + " (" + e.source() + ")")
                        .collect(Collectors.joining(", ", kind + "s: [", "]"))
                + (pending.isEmpty() ? "" : " and " + pending.size() + " not created yet");
    }

    private static String originOf(String source) {
        int at = source.indexOf('@');
        return at < 0 ? source : source.substring(0, at);
    }

    private static List<String> distinctNames(List<? extends Entry<?>> entries) {
        return entries.stream().map(Entry::name).distinct().sorted().toList();
    }

    private synchronized void report(ProviderProblem problem) {
        problems.add(problem);
        problemListener.accept(problem);
    }

    /** Creates the pending candidates that {@code which} selects; returns every created entry. */
    private synchronized List<Entry<P>> resolve(Predicate<Candidate<P>> which) {
        List<Candidate<P>> batch = new ArrayList<>();
        for (Iterator<Candidate<P>> it = pending.iterator(); it.hasNext(); ) {
            Candidate<P> c = it.next();
            if (which.test(c)) {
                batch.add(c);
                it.remove();
            }
        }
        if (!batch.isEmpty()) {
            create(batch);
            created.sort(Comparator.comparing((Entry<P> e) -> e.name()).thenComparing(Entry::source));
        }
        return List.copyOf(created);
    }

    private void create(List<Candidate<P>> batch) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        List<CompletableFuture<Entry<P>>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Candidate<P> c : batch) {
            CompletableFuture<Entry<P>> future = new CompletableFuture<>();
            Thread t = new Thread(
                    () -> {
                        try {
                            future.complete(instantiate(c));
                        } catch (Throwable e) {
                            // Anything a third-party constructor throws, errors included, is that
                            // provider's problem only.
                            future.completeExceptionally(e);
                        }
                    },
                    "aimle-provider " + c.className());
            t.setDaemon(true);
            t.setContextClassLoader(context);
            futures.add(future);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + creationTimeout.toNanos();
        for (int i = 0; i < batch.size(); i++) {
            Candidate<P> c = batch.get(i);
            try {
                created.add(futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                threads.get(i).interrupt();
                report(new ProviderProblem(
                        c.source(),
                        c.className(),
                        "was not created within " + seconds(creationTimeout)
                                + " (its constructor, name() or description() does not return); skipped"));
            } catch (ExecutionException e) {
                report(new ProviderProblem(c.source(), c.className(), causes(e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                threads.get(i).interrupt();
                report(new ProviderProblem(c.source(), c.className(), "not created: interrupted"));
            }
        }
    }

    private Entry<P> instantiate(Candidate<P> c) {
        P provider = c.factory().get();
        if (provider == null) {
            throw new InvalidProvider("its factory returned null");
        }
        String name;
        try {
            name = provider.name();
        } catch (RuntimeException e) {
            throw new InvalidProvider("name() threw " + causes(e));
        }
        if (name == null) {
            throw new InvalidProvider("name() returned null");
        }
        if (!isValidName(name)) {
            throw new InvalidProvider("name() returned '" + name + "', not a valid " + kind
                    + " name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String description;
        try {
            description = provider.description();
        } catch (RuntimeException e) {
            throw new InvalidProvider("description() of '" + name + "' threw " + causes(e));
        }
        return new Entry<>(provider, c.source(), name, description == null ? "" : description);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The exception and its causes on one line. */
    static String causes(Throwable t) {
        if (t instanceof InvalidProvider) {
            return t.getMessage();
        }
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < MAX_CAUSES; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null
                    ? ""
                    : c.getMessage().replace('\n', ' ').trim();
            String part = c instanceof InvalidProvider || c instanceof CreationFailure
                    ? m
                    : (m.isEmpty() ? c.getClass().getName() : c.getClass().getName() + ": " + m);
            if (parts.stream().noneMatch(p -> p.contains(part))) {
                parts.add(part);
            }
        }
        return String.join(": ", parts);
    }

    /** Why a created provider is not usable. */
    private static final class InvalidProvider extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidProvider(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Thrown by a lazy factory ({@link Builder#addLazy}) that has already diagnosed why it cannot
     * create its provider: the registry reports its message as it is.
     */
    public static final class CreationFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message the diagnosis, one line */
        public CreationFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Collects providers from several sources.
     *
     * @param <P> the provider type
     */
    public static final class Builder<P extends NamedProvider> {
        private final String kind;
        private final List<Candidate<P>> candidates = new ArrayList<>();
        private final List<ProviderProblem> problems = new ArrayList<>();
        private Duration creationTimeout = Duration.ofSeconds(DEFAULT_CREATION_TIMEOUT_SECONDS);
        private Consumer<ProviderProblem> problemListener = p -> {};

        private Builder(String kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        /** Adds one provider, already created, from {@code source}. */
        public Builder<P> add(P provider, String source) {
            Objects.requireNonNull(provider, "provider");
            return addLazy(source, provider.getClass().getName(), () -> provider);
        }

        /** Adds providers, already created, from {@code source}. */
        public Builder<P> addAll(Iterable<? extends P> providers, String source) {
            for (P p : providers) {
                add(p, source);
            }
            return this;
        }

        /**
         * Adds a provider created on first use.
         *
         * @param source {@link #CLASSPATH} or a plugin's {@code id@version}
         * @param className the provider's class name, for messages
         * @param factory creates the provider; may throw {@link CreationFailure} with a diagnosis
         */
        public Builder<P> addLazy(String source, String className, Supplier<? extends P> factory) {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(factory, "factory");
            if (source.indexOf(':') >= 0 || source.isBlank()) {
                throw new IllegalArgumentException(
                        "source '" + source + "' must be non-blank and contain no ':' (it qualifies names)");
            }
            candidates.add(new Candidate<>(source, className, factory));
            return this;
        }

        /**
         * Adds the providers of {@code type} listed in {@code META-INF/services} visible to {@code
         * loader}, as {@link #CLASSPATH} providers created on first use. A services file naming a
         * class that cannot be loaded is reported as a problem.
         */
        public Builder<P> addServiceLoader(Class<P> type, ClassLoader loader) {
            Iterator<ServiceLoader.Provider<P>> it =
                    ServiceLoader.load(type, loader).stream().iterator();
            int errors = 0;
            while (errors < MAX_CLASSPATH_ERRORS) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    ServiceLoader.Provider<P> p = it.next();
                    addLazy(CLASSPATH, p.type().getName(), p::get);
                } catch (ServiceConfigurationError e) {
                    errors++;
                    problems.add(new ProviderProblem(CLASSPATH, "META-INF/services/" + type.getName(), causes(e)));
                }
            }
            return this;
        }

        /** The deadline for creating a provider and reading its name and description. */
        public Builder<P> creationTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("creation timeout (" + timeout + ") must be positive");
            }
            this.creationTimeout = timeout;
            return this;
        }

        /** Called with every provider that is skipped, when it is (for warnings). */
        public Builder<P> onProblem(Consumer<ProviderProblem> listener) {
            this.problemListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The registry; nothing is created yet. */
        public ProviderRegistry<P> build() {
            return new ProviderRegistry<>(this);
        }
    }
}
