package dev.aimle.app.harness;

import dev.aimle.app.io.StoreLocation;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens the store {@code --out} names: a directory here, or a remote one through a {@link
 * SweepStoreProvider}; and copies a remote {@code --data} directory here.
 */
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

    /**
     * Where the remote data directory {@code uri} is copied on this machine and on every executor
     * (the same path everywhere, as a unit's {@code spec.json} names it): {@code
     * TMP/aimle-data/NAME-HASH}, the hash of the whole URI.
     */
    public static Path mirrorPath(URI uri) {
        // one copy for hdfs://nn/d and hdfs://nn/d/
        String key = uri.toString().replaceAll("/+$", "");
        String path = uri.getPath().replaceAll("/+$", "");
        String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "aimle-data",
                name + "-" + HexFormat.of().formatHex(digest, 0, 6));
    }

    /**
     * Copies the remote data directory {@code uri} to {@link #mirrorPath} unless it is there.
     *
     * @throws IllegalArgumentException when no provider on the class path takes the URI
     */
    public static void mirror(URI uri, Path target) throws IOException {
        provider(uri, ServiceLoader.load(SweepStoreProvider.class, classLoader()))
                .mirror(uri, target);
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
