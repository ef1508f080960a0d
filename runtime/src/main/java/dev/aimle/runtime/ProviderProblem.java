package dev.aimle.runtime;

import java.util.Objects;

/**
 * A provider that a {@link ProviderRegistry} could not use: its constructor threw or did not return
 * within the registry's deadline, or its {@code name()} was null, blank, not a valid name, threw or
 * hung. The registry skips it and keeps the others.
 *
 * @param source where the provider came from: {@link ProviderRegistry#CLASSPATH} or a plugin's
 *     {@code id@version}
 * @param provider the provider's class name
 * @param cause a one-line reason
 */
public record ProviderProblem(String source, String provider, String cause) {

    /** Requires every component. */
    public ProviderProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(cause, "cause");
    }

    /** One line for users: {@code <kind> provider <class> (<source>): <cause>}. */
    public String message() {
        return "provider " + provider + " (" + source + "): " + cause;
    }
}
