package dev.aimle.app.harness;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Remote stores for {@code --out} and {@code --data} (found with {@link java.util.ServiceLoader}: a one-line {@code
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

    /**
     * Copies the directory {@code source} (a remote {@code --data}) to the local {@code target}, all
     * or nothing, unless {@code target} exists: what the sweep checks here and each unit reads.
     *
     * @throws IOException naming {@code source} when it is not a directory of the store
     */
    void mirror(URI source, Path target) throws IOException;
}
