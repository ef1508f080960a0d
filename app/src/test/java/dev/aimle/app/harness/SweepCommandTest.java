package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every sweep command refuses before it trains anything: values that are not finite, an output
 * directory of another experiment or in use by another sweep; and what {@code --report-only} leaves
 * behind: nothing.
 */
class SweepCommandTest {
    @TempDir
    Path home;

    private CliRun run(String... args) {
        return CliRun.run(Map.of(), home, args);
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNumberThatIsNotFiniteIsBadUsageAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("out");
        for (String[] args : List.of(
                new String[] {"dvae", "--lr", "1e309", "--out", out.toString()},
                new String[] {"nri", "--lambdas", "1,NaN", "--out", out.toString()},
                new String[] {"l2x", "--temperatures", "Infinity", "--out", out.toString()})) {
            CliRun r = run(args);
            assertEquals(2, r.code(), r.describe());
            assertTrue(r.err().contains("is not a finite number"), r.describe());
            assertFalse(Files.exists(out), r.describe());
        }
    }

    @Test
    void parallelIsForThisMachineAndIsBadUsageWithAMaster(@TempDir Path dir) {
        Path out = dir.resolve("out");
        for (String experiment : List.of("dvae", "nri", "l2x")) {
            CliRun r = run(
                    experiment, "--quick", "--master", "spark://h:7077", "--parallel", "2", "--out", out.toString());
            assertEquals(2, r.code(), r.describe());
            assertTrue(
                    r.err()
                            .contains("--parallel is for this machine; with --master spark://h:7077 the cluster's"
                                    + " executors decide"),
                    r.describe());
            assertFalse(Files.exists(out), r.describe());
        }
    }

    @Test
    void reportOnlyCreatesNothing(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing");
        CliRun none = run("dvae", "--quick", "--report-only", "--out", missing.toString());
        assertEquals(2, none.code(), none.describe());
        assertTrue(none.err().contains("there is nothing to report"), none.describe());
        assertFalse(Files.exists(missing));

        Path empty = Files.createDirectories(dir.resolve("empty"));
        for (String experiment : List.of("dvae", "nri", "l2x")) {
            CliRun r = run(experiment, "--quick", "--report-only", "--out", empty.toString());
            assertEquals(0, r.code(), r.describe());
            // no run directory, no spec.json, and no empty report over one that may be there
            assertEquals(List.of(), entries(empty), r.describe());
            assertTrue(
                    r.out().contains("holds no run of these options; nothing reported, nothing written"), r.describe());
        }
    }

    @Test
    void aFileUriIsTheDirectoryItNames(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun r = run("nri", "--quick", "--report-only", "--out", empty.toUri().toString());
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("nri: " + empty + " holds no run"), r.describe());
        assertEquals(List.of(), entries(empty), r.describe());

        Files.writeString(empty.resolve(SweepRecord.RUN_JSON), "{\"experiment\": \"dvae\", \"sessions\": []}");
        CliRun owned = run("nri", "--quick", "--out", "file:" + empty);
        assertEquals(2, owned.code(), owned.describe());
        assertTrue(owned.err().contains(empty + " belongs to the dvae experiment"), owned.describe());

        // a data directory as a file: URI is its path
        CliRun data = run(
                "dvae",
                "--quick",
                "--out",
                dir.resolve("o").toString(),
                "--data",
                dir.resolve("fm").toUri().toString());
        assertEquals(2, data.code(), data.describe());
        assertTrue(data.err().contains(" in " + dir.resolve("fm") + ". Maybe install"), data.describe());
    }

    @Test
    void aRemoteStoreNeedsAMasterAndItsFileSystemAndTouchesNothingHere() throws IOException {
        CliRun pool = run("nri", "--quick", "--out", "hdfs://nn/runs/nri");
        assertEquals(2, pool.code(), pool.describe());
        assertTrue(
                pool.err()
                        .contains("--out hdfs://nn/runs/nri is a remote store: the units of this machine's process"
                                + " pool write to a directory here. Give --master"),
                pool.describe());
        // the app alone has no store for hdfs: (the cluster module brings Hadoop's)
        CliRun report = run("nri", "--quick", "--report-only", "--out", "hdfs://nn/runs/nri");
        assertEquals(2, report.code(), report.describe());
        assertTrue(report.err().contains("needs a store for hdfs: URIs on the class path"), report.describe());
        CliRun data = run("dvae", "--quick", "--out", home.resolve("o").toString(), "--data", "s3a://bucket/fm");
        assertEquals(2, data.code(), data.describe());
        assertTrue(
                data.err().contains("--data s3a://bucket/fm needs a store for s3a: URIs on the class path"),
                data.describe());
        // a directory the sweep writes is on this machine
        CliRun write = run("l2x", "--quick", "--write-data", "hdfs://nn/task");
        assertEquals(2, write.code(), write.describe());
        assertTrue(write.err().contains("--write-data hdfs://nn/task is not on this machine"), write.describe());
        assertEquals(
                List.of(),
                entries(home).stream()
                        .filter(n -> n.contains(":") || n.equals("o"))
                        .toList());
    }

    @Test
    void oneOutputDirectoryBelongsToOneExperiment(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        RunUnit.prepare(out.resolve("a"), "dvae", new RunUnitTest.Spec("a", 3), "rows.csv", List.of("row"));
        CliRun nri = run("nri", "--quick", "--report-only", "--out", out.toString());
        assertEquals(2, nri.code(), nri.describe());
        assertTrue(nri.err().contains("holds runs of the dvae experiment"), nri.describe());

        // a run directory of 0.2, whose spec.json names no experiment: told apart by its spec
        Path legacy = dir.resolve("legacy");
        Files.createDirectories(legacy.resolve("ste_T10_seed0"));
        Files.writeString(
                legacy.resolve("ste_T10_seed0").resolve(RunUnit.SPEC),
                "{\"batchSize\": 64, \"dataDir\": \"/d\", \"evalEvery\": 200, \"evalLimit\": 1000, \"hidden\": 64,"
                        + " \"iterations\": 600, \"lambda\": 0.0, \"learningRate\": 5.0E-4, \"method\": \"ste\","
                        + " \"noiseTemperature\": 1.0, \"predictionSteps\": 9, \"seed\": 0, \"sstTemperature\": 0.1,"
                        + " \"target\": 0.5, \"timesteps\": 10, \"trainLimit\": 0, \"variance\": 5.0E-5}");
        CliRun dvae = run(
                "dvae",
                "--quick",
                "--out",
                legacy.toString(),
                "--data",
                dir.resolve("none").toString());
        assertEquals(2, dvae.code(), dvae.describe());
        assertTrue(dvae.err().contains("holds runs of another experiment"), dvae.describe());
        assertTrue(dvae.err().contains("is not a dvae spec"), dvae.describe());

        Path owned = Files.createDirectories(dir.resolve("owned"));
        Files.writeString(owned.resolve(SweepRecord.RUN_JSON), "{\"experiment\": \"nri\", \"sessions\": []}");
        CliRun l2x = run("l2x", "--quick", "--report-only", "--out", owned.toString());
        assertEquals(2, l2x.code(), l2x.describe());
        assertTrue(l2x.err().contains("belongs to the nri experiment"), l2x.describe());

        Files.writeString(owned.resolve(SweepRecord.RUN_JSON), "{\"sessions\": [");
        CliRun damaged = run("nri", "--quick", "--report-only", "--out", owned.toString());
        assertEquals(2, damaged.code(), damaged.describe());
        assertTrue(
                damaged.err().contains(owned.resolve(SweepRecord.RUN_JSON) + " is not valid JSON"), damaged.describe());
        assertTrue(damaged.err().contains("Move it away"), damaged.describe());
    }

    @Test
    @SuppressWarnings("try")
    void aSecondSweepOnTheSameOutputIsRefusedNamingTheFirst(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        try (RunLock first = RunLock.acquire(out, "dvae sweep")) {
            // nri makes its own data under --out, so nothing but the lock stands in its way (a sweep
            // whose named data is missing is refused for that first, before it looks at the lock)
            CliRun r = run("nri", "--quick", "--out", out.toString());
            assertEquals(2, r.code(), r.describe());
            assertTrue(
                    r.err()
                            .contains("is in use by another process (pid "
                                    + ProcessHandle.current().pid()),
                    r.describe());
            assertTrue(r.err().contains("dvae sweep"), r.describe());
            assertEquals(List.of(RunLock.FILE), entries(out), "nothing prepared");
        }
    }
}
