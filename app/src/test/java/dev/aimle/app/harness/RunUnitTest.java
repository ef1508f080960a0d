package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimle.api.Config;
import dev.aimle.app.io.RunConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunUnitTest {
    private static final List<String> COLUMNS = List.of("row", "value");

    record Spec(String name, int rows, double rate) implements UnitSpec {
        Spec(String name, int rows) {
            this(name, rows, 0.5);
        }

        @Override
        public String id() {
            return name;
        }

        @Override
        public int rowsWanted() {
            return rows;
        }

        @Override
        public Set<String> extensibleKeys() {
            return Set.of("rows");
        }

        @Override
        public String solver() {
            return "topk";
        }

        @Override
        public Config solverConfig() {
            return Config.empty();
        }
    }

    private static RunUnit<Spec> prepare(Path dir, Spec spec) throws IOException {
        return RunUnit.prepare(dir, "test", spec, "rows.csv", COLUMNS);
    }

    private static RunUnit<Spec> open(Path dir) throws IOException {
        return RunUnit.open(dir, "test", Spec.class, "rows.csv", COLUMNS);
    }

    private static Map<String, Double> row(int i, double value) {
        return Map.of("row", (double) i, "value", value);
    }

    @Test
    void commitsRowsResumesFromTheLastCheckpointAndDropsTheOthers(@TempDir Path dir) throws IOException {
        RunUnit<Spec> unit = prepare(dir, new Spec("a", 3));
        assertEquals(Optional.empty(), unit.resume());
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path checkpoint = unit.newCheckpoint(i);
            Files.writeString(checkpoint.resolve("state"), "state " + i);
            rows.add(row(i, i / 4.0));
            unit.commit(rows);
        }
        // a kill while writing checkpoint 3: the directory exists, progress still names 2
        Files.writeString(unit.newCheckpoint(3).resolve("state"), "partial");

        RunUnit<Spec> again = open(dir);
        assertEquals(rows, again.rows());
        assertFalse(again.complete());
        Path resumed = again.resume().orElseThrow();
        assertEquals("state 2", Files.readString(resumed.resolve("state")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(resumed.getFileName().toString()),
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith("checkpoint-"))
                            .toList());
        }
        assertEquals("row,value\n1,0.25\n2,0.5\n", Files.readString(again.csv()));
    }

    @Test
    void anotherSpecIsRefusedAndAnotherTargetIsWritten(@TempDir Path dir) throws IOException {
        prepare(dir, new Spec("a", 3));
        RunConflictException e = assertThrows(RunConflictException.class, () -> prepare(dir, new Spec("a", 3, 0.25)));
        // what differs, once each side, not the same text twice
        assertTrue(e.getMessage().contains("holds another run (a): rate: 0.5 there, 0.25 here"), e.getMessage());
        prepare(dir, new Spec("a", 5));
        assertEquals(5, open(dir).spec().rowsWanted());
    }

    @Test
    void aRowWithoutEveryColumnOrWithoutItsCheckpointIsRefused(@TempDir Path dir) throws IOException {
        RunUnit<Spec> unit = prepare(dir, new Spec("a", 3));
        assertThrows(IllegalStateException.class, () -> unit.commit(List.of(row(1, 0))));
        unit.newCheckpoint(1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> unit.commit(List.of(Map.of("row", 1.0))));
        assertTrue(e.getMessage().contains("[value]"), e.getMessage());
        assertThrows(RunConflictException.class, () -> open(dir.resolve("x")));
    }

    @Test
    void nanIsAnEmptyCellAndIntegersHaveNoPoint() {
        Map<String, Double> r = new TreeMap<>();
        r.put("row", 3.0);
        r.put("value", Double.NaN);
        assertEquals("row,value\n3,\n", RunUnit.csv(COLUMNS, List.of(r)));
    }

    @Test
    void aNumberThatIsNotFiniteNeverReachesASpec(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> prepare(dir.resolve("u"), new Spec("a", 3, Double.POSITIVE_INFINITY)));
        assertTrue(e.getMessage().contains("rate (Infinity) must be a finite number"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("u")), "nothing written");
    }

    @Test
    void specJsonNamesTheExperimentAndAnotherExperimentsRunIsRefused(@TempDir Path dir) throws IOException {
        prepare(dir, new Spec("a", 3));
        JsonNode tree = Specs.JSON.readTree(dir.resolve(RunUnit.SPEC).toFile());
        assertEquals("test", tree.get("experiment").asText());
        assertEquals(Optional.of("test"), RunUnit.experimentOf(dir));
        RunConflictException e = assertThrows(
                RunConflictException.class, () -> RunUnit.open(dir, "other", Spec.class, "rows.csv", COLUMNS));
        assertTrue(e.getMessage().contains("holds a run of the test experiment, not other"), e.getMessage());
    }

    @Test
    void damagedFilesAreRefusedNamingTheFileWhatIsWrongAndTheWayOut(@TempDir Path dir) throws IOException {
        RunUnit<Spec> unit = prepare(dir, new Spec("a", 3));
        unit.newCheckpoint(1);
        unit.commit(List.of(row(1, 0)));
        Files.writeString(dir.resolve(RunUnit.PROGRESS), "{\"row\": 1, \"rows\": [");
        RunConflictException progress = assertThrows(RunConflictException.class, unit::rows);
        assertTrue(
                progress.getMessage().startsWith(dir.resolve(RunUnit.PROGRESS) + " is not a progress record"),
                progress.getMessage());
        assertTrue(
                progress.getMessage().endsWith("Move " + dir + " away to start that run afresh"),
                progress.getMessage());
        assertFalse(progress.getMessage().contains("com.fasterxml"), progress.getMessage());

        Files.writeString(dir.resolve(RunUnit.SPEC), "{\"name\": \"a\", ");
        RunConflictException spec = assertThrows(RunConflictException.class, () -> open(dir));
        assertTrue(spec.getMessage().startsWith(dir.resolve(RunUnit.SPEC) + " is not valid JSON"), spec.getMessage());
        assertTrue(spec.getMessage().contains("Move " + dir + " away"), spec.getMessage());

        Files.writeString(dir.resolve(RunUnit.SPEC), "{\"name\": \"a\", \"rows\": \"three\", \"rate\": 0.5}");
        RunConflictException wrongType = assertThrows(RunConflictException.class, () -> open(dir));
        assertTrue(wrongType.getMessage().contains("does not describe a test run"), wrongType.getMessage());
    }

    @Test
    void aCommittedCheckpointThatIsMissingIsRefused(@TempDir Path dir) throws IOException {
        RunUnit<Spec> unit = prepare(dir, new Spec("a", 3));
        Path checkpoint = unit.newCheckpoint(1);
        unit.commit(List.of(row(1, 0)));
        Files.delete(checkpoint);
        RunConflictException e = assertThrows(RunConflictException.class, unit::resume);
        assertTrue(e.getMessage().contains("checkpoint-0001 is missing"), e.getMessage());
    }
}
