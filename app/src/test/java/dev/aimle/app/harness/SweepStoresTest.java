package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store of a path is the directory itself, as before there were stores; a remote one comes from
 * the provider that takes its scheme; a remote data directory has one local path everywhere.
 */
class SweepStoresTest {
    @Test
    @SuppressWarnings("try")
    void aPathOrFileUriIsTheDirectoryItselfWithTheOperatingSystemsLock(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        try (SweepStore store = SweepStores.open(out.toUri().toString())) {
            assertEquals(out, store.local());
            assertEquals(out.toString(), store.where());
            assertEquals(out.toUri(), store.uri());
            assertFalse(store.exists());
            try (Closeable lock = store.lock("nri sweep")) {
                assertTrue(store.exists());
                assertTrue(Files.readString(out.resolve(RunLock.FILE)).endsWith(": nri sweep\n"));
                assertThrows(dev.aimle.app.io.RunConflictException.class, () -> RunLock.acquire(out, "other"));
            }
            // nothing is copied either way
            store.refresh();
            store.publish();
            assertEquals(List.of(RunLock.FILE), List.of(out.toFile().list()));
        }
    }

    @Test
    void aRemoteUriGoesToTheProviderThatTakesIt() {
        SweepStoreProvider s3 = new Named("s3", "s3a");
        SweepStoreProvider hdfs = new Named("hdfs", "hdfs");
        assertSame(hdfs, SweepStores.provider(URI.create("hdfs://nn/runs"), List.of(s3, hdfs)));
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class, () -> SweepStores.provider(URI.create("gs://b/runs"), List.of(s3)));
        assertEquals("gs://b/runs is not a URI that any store takes (s3: takes s3a:)", none.getMessage());
        IllegalArgumentException empty = assertThrows(
                IllegalArgumentException.class, () -> SweepStores.provider(URI.create("gs://b/runs"), List.of()));
        assertTrue(empty.getMessage().startsWith("gs://b/runs needs a store for gs: URIs on the class path"));
    }

    @Test
    void aRemoteDataDirectoryHasOneLocalPathNamedAfterIt() {
        Path copy = SweepStores.mirrorPath(URI.create("hdfs://nn/data/fashion-mnist/"));
        assertEquals(copy, SweepStores.mirrorPath(URI.create("hdfs://nn/data/fashion-mnist")));
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "aimle-data"), copy.getParent());
        assertTrue(copy.getFileName().toString().matches("fashion-mnist-[0-9a-f]{12}"), copy.toString());
        assertNotEquals(copy, SweepStores.mirrorPath(URI.create("hdfs://other/data/fashion-mnist/")));
    }

    /** A provider that takes one scheme and opens nothing. */
    private record Named(String name, String scheme) implements SweepStoreProvider {
        @Override
        public String description() {
            return "takes " + scheme + ":";
        }

        @Override
        public boolean accepts(URI uri) {
            return uri.getScheme().equals(scheme);
        }

        @Override
        public SweepStore open(URI uri) {
            throw new UnsupportedOperationException("not opened in this test");
        }

        @Override
        public void mirror(URI source, Path target) {
            throw new UnsupportedOperationException("not copied in this test");
        }
    }
}
