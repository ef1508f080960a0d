package dev.aimle.app.harness;

import java.io.IOException;
import java.net.URI;

/**
 * Remote stores for {@code --out} (found with {@link java.util.ServiceLoader}: a one-line {@code
 * META-INF/services/dev.aimle.app.harness.SweepStoreProvider} in its jar), so the app never depends
 * on a store's libraries, e.g. Hadoop's FileSystem in the cluster module.
 */
public interface SweepStoreProvider {

    /** A short name, e.g. {@code hadoop}. */
    String name();

    /** One line for error messages, e.g. the schemes it takes. */
    String description();

    /** Whether it can open {@code uri} (a URI with a scheme other than {@code file}). */
    boolean accepts(URI uri);

    /** Opens the store at {@code uri}; its working copy is empty until {@link SweepStore#refresh}. */
    SweepStore open(URI uri) throws IOException;
}
