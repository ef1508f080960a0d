package dev.aimle.cluster.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.harness.RunLock;
import dev.aimle.app.harness.SweepStore;
import dev.aimle.app.harness.SweepStores;
import dev.aimle.app.io.RunConflictException;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's view of a store it reaches only through Hadoop's FileSystem (a scheme of its own,
 * {@link ForeignFileSystem}, without a FileContext binding): what a working copy holds, what goes
 * back, and the lock's guarantee: a second sweep is refused naming the holder while the lock file
 * exists, whoever left it.
 */
class HadoopSweepStoreTest {
    @TempDir
    Path home;

    private static Configuration conf() {
        Configuration conf = new Configuration();
        conf.set("fs." + ForeignFileSystem.SCHEME + ".impl", ForeignFileSystem.class.getName());
        // a fresh instance per store, not the JVM's cached one of another test
        conf.setBoolean("fs." + ForeignFileSystem.SCHEME + ".impl.disable.cache", true);
        return conf;
    }

    private HadoopSweepStore open(Path dir) throws IOException {
        return new HadoopSweepStore(ForeignFileSystem.uri(dir), conf());
    }

    @Test
    void theStoreIsReachedThroughItsFileSystem() throws IOException {
        URI uri = ForeignFileSystem.uri(home.resolve("s"));
        assertEquals(ForeignFileSystem.class, FileSystem.get(uri, conf()).getClass());
        try (HadoopSweepStore store = open(home.resolve("s"))) {
            assertEquals(ForeignFileSystem.SCHEME, store.uri().getScheme());
            assertFalse(store.uri().toString().endsWith("/"), store.uri().toString());
            assertEquals(store.uri().toString(), store.where());
            assertFalse(store.local().startsWith(home), "the working copy is elsewhere: " + store.local());
        }
    }

    @Test
    void aWorkingCopyHoldsAllButCheckpointsTemporariesAndTheLock() throws IOException {
        Path dir = home.resolve("store");
        Path unit = Files.createDirectories(dir.resolve("u1"));
        Files.writeString(unit.resolve("spec.json"), "{}");
        Files.writeString(unit.resolve("progress.json"), "{\"checkpoint\": \"checkpoint-0002\"}");
        Files.writeString(unit.resolve("rows.csv"), "row\n1\n2\n");
        Files.createDirectories(unit.resolve("checkpoint-0002")).resolve("model.params");
        Files.writeString(unit.resolve("checkpoint-0002").resolve("model.params"), "weights");
        Files.writeString(unit.resolve("rows.csv" + UnitStore.TEMPORARY + "attempt1"), "half");
        Files.writeString(dir.resolve("run.json"), "{\"experiment\": \"nri\"}");
        Files.writeString(dir.resolve(RunLock.FILE), "someone");
        Files.createDirectories(dir.resolve("figures"));
        Files.writeString(dir.resolve("figures").resolve("a.svg"), "<svg/>");
        try (HadoopSweepStore store = open(dir)) {
            assertTrue(store.exists());
            store.refresh();
            assertEquals(
                    List.of("figures/a.svg", "run.json", "u1/progress.json", "u1/rows.csv", "u1/spec.json"),
                    files(store.local()));
            assertEquals("row\n1\n2\n", Files.readString(store.local().resolve("u1/rows.csv")));
        }
    }

    @Test
    void publishWritesBackOnlyWhatTheSweepChangedAndRefreshBringsTheUnitsRows() throws IOException {
        Path dir = home.resolve("store");
        Path unit = Files.createDirectories(dir.resolve("u1"));
        Files.writeString(unit.resolve("spec.json"), "{}");
        Files.writeString(dir.resolve("old-report.md"), "old");
        try (HadoopSweepStore store = open(dir)) {
            store.refresh();
            // the sweep: a new unit, run.json, a report written anew; a stale report deleted
            Files.createDirectories(store.local().resolve("u2"));
            Files.writeString(store.local().resolve("u2/spec.json"), "{\"seed\": 2}");
            Files.writeString(store.local().resolve("run.json"), "{\"experiment\": \"nri\"}");
            Files.delete(store.local().resolve("old-report.md"));
            long created = ForeignFileSystem.CREATED.get();
            store.publish();
            // a temporary per file, renamed: two files, nothing for the unchanged spec.json of u1
            assertEquals(2, ForeignFileSystem.CREATED.get() - created);
            assertEquals("{\"seed\": 2}", Files.readString(dir.resolve("u2/spec.json")));
            assertEquals("{\"experiment\": \"nri\"}", Files.readString(dir.resolve("run.json")));
            assertFalse(Files.exists(dir.resolve("old-report.md")));
            assertEquals(List.of("run.json", "u1/spec.json", "u2/spec.json"), files(dir));

            // a unit publishes its rows in the store; the driver's next refresh brings them, and its
            // next publish leaves them as the unit wrote them
            Files.writeString(unit.resolve("rows.csv"), "row\n1\n");
            store.refresh();
            assertEquals("row\n1\n", Files.readString(store.local().resolve("u1/rows.csv")));
            created = ForeignFileSystem.CREATED.get();
            store.publish();
            assertEquals(0, ForeignFileSystem.CREATED.get() - created, "nothing changed by the sweep");
            Files.writeString(unit.resolve("rows.csv"), "row\n1\n2\n");
            store.publish();
            assertEquals("row\n1\n2\n", Files.readString(unit.resolve("rows.csv")));
        }
    }

    @Test
    @SuppressWarnings("try")
    void theLockIsAFileCreatedWithoutOverwriteAndRefusesWhileItExists() throws IOException {
        Path dir = home.resolve("store");
        try (HadoopSweepStore first = open(dir);
                HadoopSweepStore second = open(dir)) {
            try (Closeable held = first.lock("nri sweep")) {
                String holder = Files.readString(dir.resolve(RunLock.FILE));
                assertTrue(
                        holder.matches("host .+, pid " + ProcessHandle.current().pid() + ", since .+: nri sweep\n"),
                        holder);
                RunConflictException refused = assertThrows(RunConflictException.class, () -> second.lock("dvae"));
                assertTrue(
                        refused.getMessage().contains("is in use by another sweep (" + holder.strip() + ")"),
                        refused.getMessage());
                // the store's content is not the lock's business: the holder's file is intact
                assertEquals(holder, Files.readString(dir.resolve(RunLock.FILE)));
            }
            assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "released when the sweep ends");
            try (Closeable again = second.lock("dvae sweep")) {
                assertTrue(Files.readString(dir.resolve(RunLock.FILE)).endsWith(": dvae sweep\n"));
            }
            // a sweep killed before its end leaves its lock: refused, naming it and how to clear it
            Files.writeString(dir.resolve(RunLock.FILE), "host far, pid 7, since then: nri sweep\n");
            RunConflictException stale = assertThrows(RunConflictException.class, () -> first.lock("nri sweep"));
            assertTrue(stale.getMessage().contains("(host far, pid 7, since then: nri sweep)"), stale.getMessage());
            assertTrue(stale.getMessage().contains("delete " + ForeignFileSystem.SCHEME + ":"), stale.getMessage());
        }
    }

    @Test
    void theProviderTakesSchemesWithAFileSystemOnly() throws IOException {
        HadoopSweepStoreProvider provider = new HadoopSweepStoreProvider();
        assertTrue(provider.accepts(URI.create("hdfs://namenode/runs/nri")));
        // s3a: needs hadoop-aws, which Spark's jars do not bring
        assertFalse(provider.accepts(URI.create("s3a://bucket/nri")));
        assertFalse(provider.accepts(URI.create("nosuch://h/runs")));
        String property = "spark.hadoop.fs." + ForeignFileSystem.SCHEME + ".impl";
        System.setProperty(property, ForeignFileSystem.class.getName());
        try (SweepStore store =
                SweepStores.open(ForeignFileSystem.uri(home.resolve("s")).toString())) {
            assertEquals(HadoopSweepStore.class, store.getClass());
            assertFalse(store.exists());
        } finally {
            System.clearProperty(property);
        }
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> SweepStores.open("nosuch://h/runs"));
        assertTrue(
                none.getMessage().startsWith("nosuch://h/runs is not a URI that any store takes (hadoop: "),
                none.getMessage());
    }

    @Test
    void remoteDataIsCopiedOnceAllOrNothing() throws IOException {
        Path data = Files.createDirectories(home.resolve("data").resolve("T10"));
        Files.writeString(data.resolve("train.npy"), "numbers");
        Files.writeString(home.resolve("data").resolve("README"), "read me");
        URI uri = ForeignFileSystem.uri(home.resolve("data"));
        Path copy = home.resolve("here").resolve("data-copy");
        DataMirror.ensure(uri, copy, conf());
        assertEquals(List.of("README", "T10/train.npy"), files(copy));
        assertEquals("numbers", Files.readString(copy.resolve("T10/train.npy")));
        assertEquals(List.of("data-copy"), List.of(home.resolve("here").toFile().list()), "no temporary left");
        // a copy that is there is complete: it is not made again
        Files.writeString(data.resolve("train.npy"), "changed");
        DataMirror.ensure(uri, copy, conf());
        assertEquals("numbers", Files.readString(copy.resolve("T10/train.npy")));
        IOException missing = assertThrows(
                IOException.class,
                () -> DataMirror.ensure(ForeignFileSystem.uri(home.resolve("none")), home.resolve("c"), conf()));
        assertTrue(missing.getMessage().endsWith("none does not exist"), missing.getMessage());
        assertFalse(Files.exists(home.resolve("c")));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
