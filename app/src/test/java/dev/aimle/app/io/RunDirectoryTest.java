package dev.aimle.app.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory is resumed only with the same configuration, and by one process at a time. */
class RunDirectoryTest {
    @TempDir
    Path temp;

    static ObjectNode config(int seeds, List<Integer> n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("seeds", seeds);
        m.put("lambda", 0.5);
        return (ObjectNode) RunDirectory.toTree(m);
    }

    private static ObjectNode runJson(ObjectNode config) {
        ObjectNode json = RunDirectory.newObject();
        json.set(RunDirectory.CONFIGURATION, config);
        json.put("status", "incomplete");
        return json;
    }

    @Test
    void theSameConfigurationResumes() {
        Path dir = temp.resolve("run");
        try (RunDirectory run = RunDirectory.open(dir, config(4, List.of(10)), "results.csv")) {
            assertFalse(run.resumed());
            run.writeRunJson(runJson(config(4, List.of(10))));
        }
        try (RunDirectory run = RunDirectory.open(dir, config(4, List.of(10)), "results.csv")) {
            assertTrue(run.resumed());
            assertEquals("incomplete", run.previousRunJson().get("status").asText());
        }
    }

    @Test
    void anotherConfigurationIsRefusedNamingWhatDiffers() {
        Path dir = temp.resolve("run");
        try (RunDirectory run = RunDirectory.open(dir, config(4, List.of(10)), "results.csv")) {
            run.writeRunJson(runJson(config(4, List.of(10))));
        }
        RunConflictException e = assertThrows(
                RunConflictException.class, () -> RunDirectory.open(dir, config(8, List.of(10, 20)), "results.csv"));
        assertTrue(e.getMessage().contains("n: [10] there, [10,20] here; seeds: 4 there, 8 here"), e.getMessage());
        assertTrue(e.getMessage().contains("choose another --out"), e.getMessage());
        // the refused attempt released its lock: the right configuration still opens
        try (RunDirectory run = RunDirectory.open(dir, config(4, List.of(10)), "results.csv")) {
            assertTrue(run.resumed());
        }
    }

    @Test
    void aHeaderWithoutRunJsonIsARunKilledBeforeItsFirstResultAndStartsAfresh() throws IOException {
        for (String content : new String[] {"", "a,", "a,b\n", "a,b\n1,"}) {
            Path dir = Files.createDirectories(temp.resolve("run" + content.length()));
            Files.writeString(dir.resolve("results.csv"), content);
            try (RunDirectory run = RunDirectory.open(dir, config(4, List.of(10)), "results.csv")) {
                assertFalse(run.resumed(), "'" + content + "'");
                assertFalse(Files.exists(dir.resolve("results.csv")), "'" + content + "'");
            }
        }
    }

    @Test
    void garbageOrEmptyRunJsonIsTheSameRefusalWithoutParserInternals() throws IOException {
        for (String content : new String[] {"", "{\"configuration\": ", "not json at all", "[1, 2]"}) {
            Path dir = Files.createDirectories(temp.resolve("run" + content.length()));
            Files.writeString(dir.resolve("run.json"), content);
            RunConflictException e = assertThrows(
                    RunConflictException.class, () -> RunDirectory.open(dir, config(4, List.of(10)), "results.csv"));
            assertTrue(
                    e.getMessage()
                            .startsWith(dir.resolve("run.json")
                                    .toAbsolutePath()
                                    .normalize()
                                    .toString()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Move it away to start afresh"), e.getMessage());
            assertFalse(
                    e.getMessage().contains("Source")
                            || e.getMessage().contains("REDACTED")
                            || e.getMessage().contains("jackson"),
                    e.getMessage());
        }
    }

    @Test
    void resultsWithoutRunJsonAreRefused() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("run"));
        Files.writeString(dir.resolve("results.csv"), "a,b\n1,2\n");
        RunConflictException e = assertThrows(
                RunConflictException.class, () -> RunDirectory.open(dir, config(4, List.of(10)), "results.csv"));
        assertTrue(e.getMessage().contains("holds results.csv but no run.json"), e.getMessage());
    }

    @Test
    void aDirectoryInUseIsRefused() {
        Path dir = temp.resolve("run");
        try (RunDirectory first = RunDirectory.open(dir, config(4, List.of(10)), "results.csv")) {
            RunConflictException e = assertThrows(
                    RunConflictException.class, () -> RunDirectory.open(dir, config(4, List.of(10)), "results.csv"));
            assertTrue(e.getMessage().contains("is in use by another run"), e.getMessage());
            assertEquals(dir.toAbsolutePath().normalize(), first.path());
        }
    }

    @Test
    void aFileInTheWayIsRefused() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "x");
        RunConflictException e = assertThrows(
                RunConflictException.class, () -> RunDirectory.open(file, config(4, List.of(10)), "results.csv"));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }
}
