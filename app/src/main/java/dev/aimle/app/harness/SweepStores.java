package dev.aimle.app.harness;

import dev.aimle.app.io.StoreLocation;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Opens the store {@code --out} names: a directory here, or a remote one through a {@link SweepStoreProvider}. */
public final class SweepStores {
    private SweepStores() {}

    /**
     * The store of {@code location}: a path or {@code file:} URI is the directory itself (as it
     * always was: no copy, the operating system's lock); another URI needs a provider on the class
     * path.
     *
     * @throws IllegalArgumentException for a remote URI that no provider on the class path takes
     */
    public static SweepStore open(String location) throws IOException {
        Optional<URI> remote = StoreLocation.remote(location);
        if (remote.isEmpty()) {
            return new Directory(StoreLocation.local(location));
        }
        return provider(remote.get(), ServiceLoader.load(SweepStoreProvider.class, classLoader()))
                .open(remote.get());
    }

    /** The provider that accepts {@code uri} among {@code providers}. */
    static SweepStoreProvider provider(URI uri, Iterable<SweepStoreProvider> providers) {
        List<String> known = new ArrayList<>();
        for (SweepStoreProvider p : providers) {
            if (p.accepts(uri)) {
                return p;
            }
            known.add(p.name() + ": " + p.description());
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException(uri + " needs a store for " + uri.getScheme()
                    + ": URIs on the class path, and there is none. Maybe: add --master (./aimle then puts the"
                    + " cluster module and Hadoop's FileSystem on the class path), or run through spark-submit with"
                    + " the aimle-cluster-spark jar (README, Run a sweep on a cluster)");
        }
        throw new IllegalArgumentException(
                uri + " is not a URI that any store takes (" + String.join("; ", known) + ")");
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SweepStores.class.getClassLoader();
    }

    /** A directory of this machine or a shared mount: the sweep works in it directly. */
    private record Directory(Path local) implements SweepStore {
        @Override
        public URI uri() {
            return local.toAbsolutePath().normalize().toUri();
        }

        @Override
        public String where() {
            return local.toAbsolutePath().toString();
        }

        @Override
        public boolean exists() {
            return Files.isDirectory(local);
        }

        @Override
        public Closeable lock(String what) throws IOException {
            Files.createDirectories(local);
            return RunLock.acquire(local, what);
        }

        @Override
        public void refresh() {}

        @Override
        public void publish() {}

        @Override
        public void close() {}
    }
}
