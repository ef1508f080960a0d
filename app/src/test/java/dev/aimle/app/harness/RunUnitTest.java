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

    @Test
    void aColumnAddedAfterARunWasWrittenReadsAsNan(@TempDir Path dir) throws IOException {
        List<String> later = List.of("row", "value", "sampled");
        RunUnit<Spec> unit = prepare(dir, new Spec("a", 3));
        unit.newCheckpoint(1);
        unit.commit(List.of(row(1, 0.5)));
        // the same directory opened by a version with one more column: progress.json lacks it
        RunUnit<Spec> newer = RunUnit.open(dir, "test", Spec.class, "rows.csv", later);
        assertTrue(newer.rows().get(0).get("sampled").isNaN(), newer.rows().toString());
        assertEquals(0.5, newer.rows().get(0).get("value"));
        newer.newCheckpoint(2);
        List<Map<String, Double>> rows = new ArrayList<>(newer.rows());
        rows.add(Map.of("row", 2.0, "value", 0.75, "sampled", 0.8));
        newer.commit(rows);
        assertEquals("row,value,sampled\n1,0.5,\n2,0.75,0.8\n", Files.readString(newer.csv()));

        // a CSV without progress.json (as docs/results keeps runs): the older header still reads
        Path copied = dir.resolve("copied");
        Files.createDirectories(copied);
        Files.copy(dir.resolve(RunUnit.SPEC), copied.resolve(RunUnit.SPEC));
        Files.writeString(copied.resolve("rows.csv"), "row,value\n1,0.5\n");
        List<Map<String, Double>> read =
                RunUnit.open(copied, "test", Spec.class, "rows.csv", later).results();
        assertEquals(0.5, read.get(0).get("value"));
        assertTrue(read.get(0).get("sampled").isNaN(), read.toString());
        // a header with a name that is not a column, or columns out of order, is refused
        for (String header : List.of("row,valu\n1,0.5\n", "row,sampled,value\n1,0.5,1\n", "value\n0.5\n")) {
            Files.writeString(copied.resolve("rows.csv"), header);
            RunConflictException e = assertThrows(
                    RunConflictException.class,
                    () -> RunUnit.open(copied, "test", Spec.class, "rows.csv", later)
                            .results(),
                    header);
            assertTrue(e.getMessage().contains("it was cut or edited"), e.getMessage());
        }
    }
}
