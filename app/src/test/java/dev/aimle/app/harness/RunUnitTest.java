package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    record Spec(String name, int rows) implements UnitSpec {
        @Override
        public String id() {
            return name;
        }

        @Override
        public int rowsWanted() {
            return rows;
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new TreeMap<>();
            m.put("name", name);
            m.put("rows", rows);
            return m;
        }

        @Override
        public Set<String> extensibleKeys() {
            return Set.of("rows");
        }

        static Spec fromMap(Map<String, Object> m) {
            return new Spec((String) m.get("name"), ((Number) m.get("rows")).intValue());
        }
    }

    private static RunUnit<Spec> prepare(Path dir, Spec spec) throws IOException {
        return RunUnit.prepare(dir, spec, Spec::fromMap, "rows.csv", COLUMNS);
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

        RunUnit<Spec> again = RunUnit.open(dir, Spec::fromMap, "rows.csv", COLUMNS);
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prepare(dir, new Spec("b", 3)));
        assertTrue(e.getMessage().contains("holds another run"), e.getMessage());
        prepare(dir, new Spec("a", 5));
        assertEquals(
                5, RunUnit.open(dir, Spec::fromMap, "rows.csv", COLUMNS).spec().rowsWanted());
    }

    @Test
    void aRowWithoutEveryColumnOrWithoutItsCheckpointIsRefused(@TempDir Path dir) throws IOException {
        RunUnit<Spec> unit = prepare(dir, new Spec("a", 3));
        assertThrows(IllegalStateException.class, () -> unit.commit(List.of(row(1, 0))));
        unit.newCheckpoint(1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> unit.commit(List.of(Map.of("row", 1.0))));
        assertTrue(e.getMessage().contains("[value]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunUnit.open(dir.resolve("x"), Spec::fromMap, "r", COLUMNS));
    }

    @Test
    void nanIsAnEmptyCellAndIntegersHaveNoPoint() {
        Map<String, Double> r = new TreeMap<>();
        r.put("row", 3.0);
        r.put("value", Double.NaN);
        assertEquals("row,value\n3,\n", RunUnit.csv(COLUMNS, List.of(r)));
    }
}
