package dev.aimle.api;

/**
 * What every discoverable provider exposes: a unique name, a one-line description and nothing
 * else. Providers are found through {@code META-INF/services} with {@link java.util.ServiceLoader}
 * on the classpath and through PF4J inside plugin jars, by the host (the {@code aimle-runtime}
 * module's {@code ProviderRegistry}), never by a plugin.
 */
public interface NamedProvider {

    /** The unique, lower-case name users select this provider by, e.g. {@code "topk"}. */
    String name();

    /** A one-line human description, including the configuration keys it accepts. */
    String description();
}
