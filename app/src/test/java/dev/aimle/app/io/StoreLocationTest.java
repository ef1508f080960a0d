package dev.aimle.app.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which locations are paths of this machine and which are remote stores. */
class StoreLocationTest {
    @Test
    void pathsAndFileUrisAreOnThisMachine() {
        assertEquals(Optional.empty(), StoreLocation.remote("runs/nri"));
        assertEquals(Path.of("runs/nri"), StoreLocation.local("runs/nri"));
        assertEquals(Path.of("/data/runs"), StoreLocation.local("/data/runs"));
        // a file name with a colon, as it always was
        assertEquals(Path.of("runs:2"), StoreLocation.local("runs:2"));
        assertEquals(Path.of("a/b:c"), StoreLocation.local("a/b:c"));
        // a shared mount
        assertEquals(Optional.empty(), StoreLocation.remote("file:/shared/runs"));
        assertEquals(Path.of("/shared/runs"), StoreLocation.local("file:/shared/runs"));
        assertEquals(Path.of("/shared/runs"), StoreLocation.local("file:///shared/runs"));
    }

    @Test
    void otherSchemesAreRemote() {
        assertEquals(
                Optional.of(URI.create("hdfs://nn:8020/runs/nri")), StoreLocation.remote("hdfs://nn:8020/runs/nri"));
        assertEquals(Optional.of(URI.create("s3a://bucket/nri")), StoreLocation.remote("s3a://bucket/nri"));
        IllegalArgumentException notHere =
                assertThrows(IllegalArgumentException.class, () -> StoreLocation.local("hdfs://nn/runs"));
        assertTrue(notHere.getMessage().contains("'hdfs://nn/runs' is not on this machine"), notHere.getMessage());
        IllegalArgumentException noPath =
                assertThrows(IllegalArgumentException.class, () -> StoreLocation.remote("s3a://bucket"));
        assertTrue(noPath.getMessage().contains("an absolute URI with a path"), noPath.getMessage());
    }
}
