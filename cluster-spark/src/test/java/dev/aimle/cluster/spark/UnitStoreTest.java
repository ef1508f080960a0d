package dev.aimle.cluster.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store protocol over Hadoop's local file system (a {@code file:} store): what is staged, what
 * is published, and that what a killed publish leaves behind never comes into force.
 */
class UnitStoreTest {
    @TempDir
    Path tmp;

    private static void progress(Path dir, int rows) throws IOException {
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            list.append(i == 1 ? "" : ",").append("{\"row\":").append(i).append(",\"value\":NaN}");
        }
        Files.writeString(
                dir.resolve("progress.json"),
                String.format("{\"row\":%d,\"checkpoint\":\"checkpoint-%04d\",\"rows\":[%s]}", rows, rows, list));
    }

    /** A unit directory as RunUnit leaves it after {@code rows} rows. */
    private static Path unitAfter(Path dir, int rows) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("spec.json"), "{\"id\":\"u\"}");
        Path checkpoint = Files.createDirectories(dir.resolve(String.format("checkpoint-%04d", rows)));
        Files.writeString(checkpoint.resolve("model.params"), "params after row " + rows);
        Files.writeString(dir.resolve("rows.csv"), "row\n" + "x\n".repeat(rows));
        Files.writeString(dir.resolve("log.txt"), "log up to row " + rows + "\n");
        progress(dir, rows);
        return dir;
    }

    private UnitStore store(Path dir) throws IOException {
        return new UnitStore(dir.toUri(), new Configuration());
    }

    @Test
    void aPublishedUnitStagesBackWithItsCheckpointInForceOnly() throws IOException {
        Path local = unitAfter(tmp.resolve("local/u"), 2);
        Path remote = Files.createDirectories(tmp.resolve("store/u"));
        Files.copy(local.resolve("spec.json"), remote.resolve("spec.json"));
        UnitStore store = store(remote);

        assertTrue(store.publish(local, "a1"));
        assertEquals(
                Files.readString(local.resolve("progress.json")), Files.readString(remote.resolve("progress.json")));
        assertEquals("params after row 2", Files.readString(remote.resolve("checkpoint-0002/model.params")));
        assertEquals(Files.readString(local.resolve("rows.csv")), Files.readString(remote.resolve("rows.csv")));
        assertTrue(Files.exists(remote.resolve("log.txt")));
        assertFalse(store.publish(local, "a1"), "nothing new to publish");

        // the unit goes on: row 3 replaces row 2's checkpoint in the store too
        Path next = unitAfter(local, 3);
        Files.walk(next.resolve("checkpoint-0002"))
                .sorted((a, b) -> b.compareTo(a))
                .forEach(p -> p.toFile().delete());
        assertTrue(store.publish(local, "a1"));
        assertEquals(List.of("checkpoint-0003", "log.txt", "progress.json", "rows.csv", "spec.json"), names(remote));

        Path staged = tmp.resolve("executor/u");
        assertEquals(3, store.stageTo(staged));
        assertEquals(List.of("checkpoint-0003", "log.txt", "progress.json", "rows.csv", "spec.json"), names(staged));
        assertEquals("params after row 3", Files.readString(staged.resolve("checkpoint-0003/model.params")));
    }

    @Test
    void whatAKilledPublishLeavesIsNeitherStagedNorTrusted() throws IOException {
        Path remote = unitAfter(tmp.resolve("store/u"), 2);
        // a publish of row 3 killed after its checkpoint's rename and before progress.json's: a
        // checkpoint directory progress.json does not name, half written, and temporaries
        Path half = Files.createDirectories(remote.resolve("checkpoint-0003"));
        Files.writeString(half.resolve("model.params"), "half");
        Files.createDirectories(remote.resolve("checkpoint-0004" + UnitStore.TEMPORARY + "a1"));
        Files.writeString(remote.resolve("progress.json" + UnitStore.TEMPORARY + "a1"), "{\"ro");
        UnitStore store = store(remote);

        Path staged = tmp.resolve("executor/u");
        assertEquals(2, store.stageTo(staged), "the rows of the checkpoint in force");
        assertEquals(List.of("checkpoint-0002", "log.txt", "progress.json", "rows.csv", "spec.json"), names(staged));
        assertEquals(List.of("checkpoint-0002", "log.txt", "progress.json", "rows.csv", "spec.json"), names(remote));

        // the retried unit reaches row 3 again: its own copy replaces the half-written one
        unitAfter(staged, 3);
        assertTrue(store.publish(staged, "a2"));
        assertEquals("params after row 3", Files.readString(remote.resolve("checkpoint-0003/model.params")));
        assertTrue(Files.readString(remote.resolve("progress.json")).contains("checkpoint-0003"));
    }

    @Test
    void aUnitWhoseProgressMovedOnDuringTheCopyIsNotCommitted() throws IOException {
        Path local = unitAfter(tmp.resolve("local/u"), 1);
        Path remote = Files.createDirectories(tmp.resolve("store/u"));
        Files.copy(local.resolve("spec.json"), remote.resolve("spec.json"));
        // progress.json names a checkpoint the unit has already deleted: publishing fails, nothing in force
        progress(local, 2);
        assertThrows(IOException.class, () -> store(remote).publish(local, "a1"));
        assertFalse(Files.exists(remote.resolve("progress.json")));
    }

    @Test
    void stagingAUnitTheDriverDidNotPrepareNamesIt() throws IOException {
        Path remote = Files.createDirectories(tmp.resolve("store/u"));
        IOException e = assertThrows(IOException.class, () -> store(remote).stageTo(tmp.resolve("executor/u")));
        assertTrue(
                e.getMessage().contains(remote.toUri().toString().replaceAll("/$", ""))
                        && e.getMessage().contains("spec.json"),
                e.getMessage());
    }

    @Test
    void theCheckpointOfAProgressFile() throws IOException {
        assertEquals(
                "checkpoint-0007",
                UnitStore.checkpointOf("{\"row\":7,\"checkpoint\":\"checkpoint-0007\",\"rows\":[]}"));
        IOException e =
                assertThrows(IOException.class, () -> UnitStore.checkpointOf("{\"row\":7,\"checkpoint\":\"../x\"}"));
        assertTrue(e.getMessage().contains("names no checkpoint"), e.getMessage());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
