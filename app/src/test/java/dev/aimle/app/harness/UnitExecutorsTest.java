package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Choosing where units run, and what a batch accepts. */
class UnitExecutorsTest {
    private static UnitExecutorProvider provider(String name, String prefix) {
        return new UnitExecutorProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return prefix + "HOST";
            }

            @Override
            public boolean accepts(String master) {
                return master.startsWith(prefix);
            }

            @Override
            public UnitExecutor create(String master, PrintWriter log) {
                throw new UnsupportedOperationException("not started in this test");
            }
        };
    }

    @Test
    void withoutAMasterUnitsRunHere() throws Exception {
        UnitExecutor here = UnitDispatcher.local("Main", 3, 0);
        try (UnitExecutor executor = UnitExecutors.create(null, () -> here, new PrintWriter(new StringWriter()))) {
            assertSame(here, executor);
            assertEquals("3 at a time", executor.describe());
        }
    }

    @Test
    void aMasterGoesToTheProviderThatTakesIt() {
        UnitExecutorProvider a = provider("a", "a://");
        UnitExecutorProvider b = provider("b", "b://");
        assertSame(b, UnitExecutors.provider("b://x", List.of(a, b)));
    }

    @Test
    void aMasterNoProviderTakesIsRefusedNamingWhatIsTaken() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> UnitExecutors.provider("c://x", List.of(provider("a", "a://"))));
        assertEquals("--master c://x is not a URL that any cluster executor takes (a: a://HOST)", e.getMessage());
    }

    @Test
    void aMasterWithoutAnyClusterOnTheClassPathSaysWhatToInstall() {
        // the app's own class path has no cluster module
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> UnitExecutors.create(
                        "spark://h:7077",
                        () -> {
                            throw new AssertionError("the process pool was asked for with a master");
                        },
                        new PrintWriter(new StringWriter())));
        assertTrue(
                e.getMessage().startsWith("--master spark://h:7077 needs a cluster executor on the class path"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Run a sweep on a cluster"), e.getMessage());
    }

    @Test
    void theLocalPoolTakesFileStoresOnly() {
        UnitBatch batch = new UnitBatch(
                "nri",
                URI.create("hdfs://nn/runs/nri"),
                List.of("a"),
                Map.of("a", 2),
                List.of("unit"),
                Path.of("p"),
                Map.of());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> UnitDispatcher.local("Main", 1, 0).runAll(batch, outcome -> {}));
        assertEquals(
                "the units of nri are in hdfs://nn/runs/nri; this machine's process pool reads only file: directories",
                e.getMessage());
        IllegalArgumentException workers =
                assertThrows(IllegalArgumentException.class, () -> UnitDispatcher.local("Main", 0, 0));
        assertEquals("workers (0) must be between 1 and 64", workers.getMessage());
    }

    @Test
    void aBatchNamesItsUnitsInTheStore() {
        UnitBatch batch = new UnitBatch(
                "nri",
                URI.create("s3a://bucket/runs/nri/"),
                List.of("a_seed0"),
                Map.of("a_seed0", 3),
                List.of("unit"),
                Path.of("p"),
                Map.of());
        assertEquals(URI.create("s3a://bucket/runs/nri/a_seed0"), batch.unitUri("a_seed0"));
        for (List<String> ids : List.of(List.of("a/b"), List.of(".."), List.of(" "), List.of("a", "a"))) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new UnitBatch(
                            "nri",
                            URI.create("file:/r"),
                            ids,
                            Map.of("a", 1, "a/b", 1, "..", 1, " ", 1),
                            List.of("unit"),
                            Path.of("p"),
                            Map.of()),
                    ids.toString());
            assertTrue(e.getMessage().contains("unit id"), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> new UnitBatch(
                        "nri", URI.create("runs/nri"), List.of(), Map.of(), List.of("unit"), Path.of("p"), Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new UnitBatch(
                        "nri", URI.create("file:/r"), List.of(), Map.of(), List.of(), Path.of("p"), Map.of()));
        IllegalArgumentException rows = assertThrows(
                IllegalArgumentException.class,
                () -> new UnitBatch(
                        "nri", URI.create("file:/r"), List.of("a"), Map.of(), List.of("unit"), Path.of("p"), Map.of()));
        assertEquals("rowsWanted (null) of unit 'a' must be at least 1", rows.getMessage());
    }

    @Test
    void failuresNameEveryFailedUnit() {
        UnitFailuresException e = new UnitFailuresException(
                List.of(new UnitOutcome("a", "exit 1: boom", "local", 1.0, 1, 0)), 3, "Run again to resume.");
        assertEquals("1 of 3 runs failed: a (exit 1: boom). Run again to resume.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UnitFailuresException(List.of(), 3, ""));
    }

    @Test
    void theListenerPrintsALinePerUnit() {
        StringWriter out = new StringWriter();
        PrintingUnitListener listener = new PrintingUnitListener(new PrintWriter(out), 2);
        listener.note("spark: web UI http://h:4040");
        listener.finished(new UnitOutcome("a", null, "h executor 1", 3.0, 2, 4));
        listener.finished(new UnitOutcome("b", "exit 1: boom", "local", 3.0, 1, 0));
        String[] lines = out.toString().split("\\R");
        assertEquals("spark: web UI http://h:4040", lines[0]);
        assertTrue(
                lines[1].matches("\\[1/2, \\d+ s] a done on h executor 1 \\(attempt 2, resumed at row 4\\)"), lines[1]);
        assertTrue(lines[2].matches("\\[2/2, \\d+ s] b FAILED: exit 1: boom"), lines[2]);
    }
}
