package dev.aimle.cluster.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimle.app.Main;
import dev.aimle.app.harness.RunLock;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.SweepRecord;
import dev.aimle.app.harness.UnitBatch;
import dev.aimle.app.harness.UnitCommand;
import dev.aimle.app.harness.UnitDispatcher;
import dev.aimle.app.harness.UnitFailuresException;
import dev.aimle.app.harness.UnitListener;
import dev.aimle.app.harness.UnitOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real NRI units (the harness's {@code aimle unit}, the spanning-tree plugin as built) on a real
 * Spark standalone cluster of two one-core workers on 127.0.0.1, against the same units run by the
 * harness's local process pool ({@code aimle nri}): the user's sweep with {@code --master} gives the
 * same rows, bit for bit (all columns but the wall time and memory), its {@code run.json} and its
 * report (its {@code --out} a {@code file:} URI); through the executor seam itself, a unit that fails for good fails the batch, named,
 * after Spark's retries, and the other's rows are kept; a worker killed with SIGKILL while it
 * trains a unit takes its executor and the unit's JVM with it, and the unit is retried on the other
 * worker, resumed from the checkpoint it had published, with the same rows in the end. The store is
 * a {@code file:} URI of its own; each unit runs in a staging directory in its worker's work
 * directory. A store of a scheme of its own ({@link ForeignFileSystem}), which the driver and the
 * executors reach only through Hadoop's FileSystem, holds the sweep's lock, {@code run.json}, report
 * and rows, and a second sweep skips what the first finished; and {@code ./aimle} itself, with
 * {@code --master local[2]} and a {@code SPARK_HOME}, gives the local rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterIT {
    private static final List<String> QUICK = List.of("--iterations", "8", "--eval-every", "4");
    private static final List<String> LONG = List.of("--iterations", "320", "--eval-every", "16");
    private static final List<String> NOT_COMPARED = List.of("seconds", "rss_mb");

    @TempDir
    static Path home;

    private static Path data;
    private static Path plugins;
    private static Path reference;
    private static StandaloneCluster cluster;

    @BeforeAll
    static void referenceRunsAndCluster() throws Exception {
        String built = System.getProperty("aimle.plugins.built");
        assertNotNull(built, "system property aimle.plugins.built (set by failsafe in cluster-spark/pom.xml)");
        // only the solver NRI uses: the driver ships every jar of its plugins directory
        plugins = Files.createDirectories(home.resolve("plugins"));
        try (Stream<Path> jars = Files.list(Path.of(built))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().contains("spanningtree"))
                    .toList()) {
                Files.createSymbolicLink(plugins.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        data = home.resolve("data");
        app(
                "nri",
                "generate",
                "--out",
                data.toString(),
                "--timesteps",
                "10",
                "--train",
                "96",
                "--valid",
                "40",
                "--test",
                "40",
                "--progress",
                "none");
        // the local process pool, as a user runs it (aimle nri, two at a time)
        reference = home.resolve("local");
        long start = System.nanoTime();
        app(nri(reference.toString(), "aimle-central,ste", QUICK, "--parallel", "2"));
        long quick = System.nanoTime();
        app(nri(reference.toString(), "aimle-forward", LONG, "--parallel", "2"));
        long slow = System.nanoTime();
        cluster = new StandaloneCluster(home.resolve("cluster"), 2);
        System.out.printf(
                "[IT] local runs: quick %.1f s, long %.1f s; cluster started in %.1f s%n",
                (quick - start) / 1e9, (slow - quick) / 1e9, (System.nanoTime() - slow) / 1e9);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theSweepWithAMasterGivesTheLocalRowsBitForBitUnderTheHarnesssProtocol() throws Exception {
        // the user's command: the harness's sweep, with --master, in a JVM of its own as ./aimle runs it
        // --out as a file: URI (a shared mount); each unit runs in a staging directory of its worker
        Path store = home.resolve("store-quick");
        List<String> jvm = driverJvm();
        String out = app(jvm, nri(store.toUri().toString(), "aimle-central,ste", QUICK, "--master", cluster.url()));
        List<String> ids = unitIds(store);
        assertEquals(List.of("aimle-central_T10_seed0", "ste_T10_seed0"), ids);
        for (String id : ids) {
            assertEquals(rows(reference.resolve(id)), rows(store.resolve(id)), id);
            // the unit's log, published with its rows
            assertTrue(Files.size(store.resolve(id).resolve(UnitDispatcher.LOG)) > 0, id);
        }
        assertTrue(out.contains("nri: 2 runs, 2 to do, on Spark " + cluster.url()), out);
        assertTrue(out.contains("output in " + store), out);
        assertTrue(out.contains("web UI http"), out);
        for (String id : ids) {
            assertTrue(out.contains("] " + id + " done on 127.0.0.1 executor "), out);
        }
        // run.json: the harness's record of the invocation, with the master it ran on
        JsonNode session = new ObjectMapper()
                .readTree(store.resolve(SweepRecord.RUN_JSON).toFile())
                .get("sessions")
                .get(0);
        assertEquals(cluster.url(), session.get("master").asText(), session.toString());
        assertEquals(2, session.get("trained").asInt(), session.toString());
        // the report, as a local sweep writes it
        assertTrue(Files.exists(store.resolve("results.md")), out);
        try (Stream<Path> files = Files.walk(store)) {
            List<Path> left = files.filter(p -> p.getFileName().toString().contains(UnitStore.TEMPORARY)
                            || p.getFileName().toString().endsWith(".crc"))
                    .toList();
            assertEquals(List.of(), left, "temporary or checksum files left in the store");
        }
        // again: every unit is complete, nothing is dispatched and no cluster application starts
        String again = app(jvm, nri(store.toString(), "aimle-central,ste", QUICK, "--master", cluster.url()));
        assertTrue(again.contains("nri: 2 runs, 0 to do, on " + cluster.url()), again);
        assertFalse(again.contains("web UI"), again);
    }

    @Test
    @Order(2)
    void aStoreReachedOnlyThroughHadoopsFileSystemHoldsTheLockTheRecordTheReportAndTheRows() throws Exception {
        // a scheme of its own (not file:): the driver's lock, run.json, skipping and report, and the
        // executors' staging and publishing, all go through Hadoop's FileSystem calls
        Path dir = home.resolve("store-foreign");
        String uri = ForeignFileSystem.uri(dir).toString();
        List<String> jvm = driverJvm();
        jvm.add("-Dspark.hadoop.fs." + ForeignFileSystem.SCHEME + ".impl=" + ForeignFileSystem.class.getName());
        jvm.add("-Dspark.hadoop.fs.AbstractFileSystem." + ForeignFileSystem.SCHEME + ".impl="
                + ForeignFileSystem.Context.class.getName());
        // the working copy and the data's copy in this test's directory, not the machine's /tmp
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        jvm.add("-Djava.io.tmpdir=" + tmp);
        // the data too, copied to this machine once (the driver's copy, which the executors here share)
        List<String> remoteData = List.of("--data", ForeignFileSystem.uri(data).toString());
        // in local mode (the executor in the driver's JVM): the cluster's executors stage and publish
        // through Hadoop's FileSystem in the other tests already, and a second application's start is slow
        String master = "local[2]";
        String first = app(jvm, nri(uri, "aimle-central", QUICK, "--master", master), remoteData);
        assertTrue(first.contains("nri: 1 runs, 1 to do, on Spark " + master), first);
        try (Stream<Path> copies = Files.list(tmp.resolve("aimle-data"))) {
            assertEquals(
                    1,
                    copies.filter(c -> c.getFileName().toString().startsWith("data-"))
                            .count(),
                    first);
        }
        assertTrue(first.contains("output in " + uri.replaceAll("/+$", "")), first);
        // the finished unit is skipped, read through the store
        String second = app(jvm, nri(uri, "aimle-central,ste", QUICK, "--master", master), remoteData);
        assertTrue(second.contains("nri: 2 runs, 1 to do, on Spark " + master), second);
        assertTrue(second.contains("nri: written to " + uri.replaceAll("/+$", "") + " (the working copy "), second);
        // nothing left to do: no Spark application, nothing dispatched, one more session in run.json
        String third = app(jvm, nri(uri, "aimle-central,ste", QUICK, "--master", master), remoteData);
        assertTrue(third.contains("nri: 2 runs, 0 to do, on " + master), third);
        assertFalse(third.contains("web UI"), third);
        for (String id : List.of("aimle-central_T10_seed0", "ste_T10_seed0")) {
            assertEquals(rows(reference.resolve(id)), rows(dir.resolve(id)), id);
        }
        JsonNode sessions = new ObjectMapper()
                .readTree(dir.resolve(SweepRecord.RUN_JSON).toFile())
                .get("sessions");
        assertEquals(3, sessions.size(), sessions.toString());
        assertEquals(1, sessions.get(1).get("trained").asInt(), sessions.toString());
        assertEquals(master, sessions.get(1).get("master").asText(), sessions.toString());
        // the report of both runs
        assertTrue(Files.readString(dir.resolve("results.md")).contains("ste"), second);
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "the lock is released");
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().contains(UnitStore.TEMPORARY)
                                    || p.getFileName().toString().endsWith(".tmp"))
                            .toList());
        }
        // a lock left in the store (a sweep killed before its end) refuses the next, naming it
        Files.writeString(dir.resolve(RunLock.FILE), "host far, pid 7, since then: nri sweep\n");
        Exit locked = exit(jvm, with(nri(uri, "aimle-central,ste", QUICK, "--master", master), remoteData));
        assertEquals(2, locked.code(), locked.output());
        assertTrue(
                locked.output().contains("is in use by another sweep (host far, pid 7, since then: nri sweep)"),
                locked.output());
    }

    @Test
    @Order(3)
    void theLauncherRunsASweepOnSparkWithTheLocalRows() throws Exception {
        // the user's command: ./aimle with --master, Spark's jars from SPARK_HOME (a SPARK_HOME of this
        // build's Spark), in local mode: the launcher's class path and Java 17 options are all it has
        Path root = Path.of(System.getProperty("aimle.root"));
        Path store = home.resolve("store-launcher");
        List<String> command =
                new ArrayList<>(List.of(root.resolve("aimle").toString(), "--plugins-dir", plugins.toString()));
        command.addAll(List.of(nri(store.toString(), "aimle-central,ste", QUICK, "--master", "local[2]")));
        Path log = Files.createTempFile(home, "launcher", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", sparkHome().toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("AIMLE_JAVA_OPTS");
        Process p = builder.start();
        try {
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the launcher took more than 10 minutes");
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("nri: 2 runs, 2 to do, on Spark local[2]"), output);
        for (String id : List.of("aimle-central_T10_seed0", "ste_T10_seed0")) {
            assertEquals(rows(reference.resolve(id)), rows(store.resolve(id)), id);
        }
    }

    @Test
    @Order(4)
    void aUnitFailingForGoodFailsTheSweepNamedAfterSparksRetriesAndTheOthersRowsAreKept() throws Exception {
        Path store = prepare("store-failing", "aimle-central_T10_seed0", "ste_T10_seed0");
        Path broken = store.resolve("ste_T10_seed0");
        // its data vanished: the unit fails the same way on every attempt
        Files.writeString(
                broken.resolve("spec.json"),
                Files.readString(broken.resolve("spec.json")).replace(data.toString(), data + "-missing"));
        Run run = runOnCluster(store, List.of("spark.task.maxFailures", "2"));
        UnitFailuresException failure = assertInstanceOfFailures(run.failure());
        assertEquals(1, failure.failed().size(), failure.getMessage());
        UnitOutcome failed = failure.failed().get(0);
        assertEquals("ste_T10_seed0", failed.id());
        assertEquals(2, failed.attempts(), failed.toString());
        assertTrue(
                failure.getMessage().contains("ste_T10_seed0 (failed 2 times; last: unit ste_T10_seed0 failed on"),
                failure.getMessage());
        assertTrue(failed.failure().contains("-missing"), failed.failure());
        String kept = "aimle-central_T10_seed0";
        assertEquals(rows(reference.resolve(kept)), rows(store.resolve(kept)));
        assertTrue(Files.readString(broken.resolve(UnitDispatcher.LOG)).contains("-missing"));
    }

    @Test
    @Order(5)
    void aWorkerKilledWhileItTrainsAUnitIsReplacedByTheOtherWhichResumesFromTheCheckpoint() throws Exception {
        Path store = prepare("store-kill", "aimle-forward_T10_seed0");
        String victim = "aimle-forward_T10_seed0";
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return runOnCluster(store, List.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // wait until the victim has published two checkpoints, then kill the worker that runs it
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        int worker = -1;
        while (System.nanoTime() < deadline && !running.isDone()) {
            if (RunUnit.rowsDone(store.resolve(victim)) >= 2) {
                worker = cluster.workerHolding("aimle-unit-" + victim + "-");
                if (worker >= 0) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(worker >= 0, "the unit was never seen running with two published checkpoints");
        List<ProcessHandle> startedByVictim = cluster.processesOf(worker);
        cluster.kill(worker);
        int rowsAtKill = RunUnit.rowsDone(store.resolve(victim));
        assertTrue(rowsAtKill < 20, "killed after " + rowsAtKill + " of 20 rows: too late to show a resume");
        // the executor and the unit's JVM end with their worker (no orphan trains on)
        for (ProcessHandle p : startedByVictim) {
            p.onExit().get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), cluster.processesOf(worker));

        Run run = running.get(10, TimeUnit.MINUTES);
        assertTrue(run.failure() == null, String.valueOf(run.failure()));
        TaskReport retried = run.reports().stream()
                .filter(r -> r.id().equals(victim))
                .findFirst()
                .orElseThrow();
        assertTrue(retried.attempt() >= 2, retried.toString());
        assertTrue(retried.resumedRows() >= rowsAtKill, retried + " after a kill at " + rowsAtKill + " rows");
        assertTrue(retried.resumedRows() < 20, retried.toString());
        assertTrue(retried.staging().startsWith(cluster.workerDir(1 - worker).toString()), retried.toString());
        assertTrue(
                run.notes().stream().anyMatch(n -> n.contains("unit " + victim + " attempt 1 ended")),
                run.notes().toString());
        for (String id : unitIds(store)) {
            assertEquals(rows(reference.resolve(id)), rows(store.resolve(id)), id);
        }
        assertNotEquals(List.of(), rows(store.resolve(victim)));
    }

    /** The driver's JVM options: Spark's for Java 17 and {@link #driverSettings()}. */
    private static List<String> driverJvm() {
        List<String> jvm = new ArrayList<>(
                List.of(System.getProperty("spark.java.options", "").split(" ")));
        jvm.removeIf(String::isBlank);
        for (Map.Entry<String, String> setting : driverSettings().entrySet()) {
            jvm.add("-D" + setting.getKey() + "=" + setting.getValue());
        }
        return jvm;
    }

    /**
     * A Spark installation's {@code jars} directory as the cluster module's {@code spark-runtime}
     * profile fills it: Spark and its dependencies (links to this class path's jars), not the app's
     * own libraries.
     */
    private static Path sparkHome() throws IOException {
        Path jars = Files.createDirectories(home.resolve("spark-home").resolve("jars"));
        Path root = Path.of(System.getProperty("aimle.root")).toAbsolutePath().normalize();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath().normalize();
            String path = jar.toString().replace('\\', '/');
            if (jar.getFileName().toString().endsWith(".jar")
                    && !jar.startsWith(root)
                    && Stream.of(
                                    "/dev/aimle/",
                                    "/ai/djl/",
                                    "/org/pf4j/",
                                    "/info/picocli/",
                                    "/org/jfree/",
                                    "/slf4j-simple/",
                                    "/org/junit/",
                                    "/org/opentest4j/",
                                    "/org/apiguardian/")
                            .noneMatch(path::contains)
                    && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
            }
        }
        return jars.getParent();
    }

    /** {@code args} with the options {@code more} (pairs of option and value) in place of theirs. */
    private static String[] with(String[] args, List<String> more) {
        List<String> all = new ArrayList<>(List.of(args));
        for (int i = 0; i < more.size(); i += 2) {
            int at = all.indexOf(more.get(i));
            if (at >= 0) {
                all.set(at + 1, more.get(i + 1));
            } else {
                all.addAll(more.subList(i, i + 2));
            }
        }
        return all.toArray(String[]::new);
    }

    private static String app(List<String> jvmOptions, String[] args, List<String> more)
            throws IOException, InterruptedException {
        return app(jvmOptions, with(args, more));
    }

    /** How the app ended: its exit code and output. */
    record Exit(int code, String output) {}

    /** What a run on the cluster gave. */
    record Run(List<TaskReport> reports, List<String> notes, List<UnitOutcome> outcomes, Exception failure) {}

    /** The driver's settings on this machine: everything on 127.0.0.1, the executors with this class path. */
    private static Map<String, String> driverSettings() {
        return Map.of(
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.memory", "512m",
                "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                "spark.ui.port", "0");
    }

    private static Run runOnCluster(Path store, List<String> settings) throws IOException, InterruptedException {
        SparkConf conf = SparkUnitExecutor.configuration(cluster.url(), "aimle IT");
        driverSettings().forEach(conf::set);
        for (int i = 0; i < settings.size(); i += 2) {
            conf.set(settings.get(i), settings.get(i + 1));
        }
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        List<UnitOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        UnitListener listener = new UnitListener() {
            @Override
            public void finished(UnitOutcome outcome) {
                outcomes.add(outcome);
                System.out.println("[IT] " + outcome);
            }

            @Override
            public void note(String line) {
                notes.add(line);
                System.out.println("[IT] " + line);
            }
        };
        List<String> ids = unitIds(store);
        Map<String, Integer> rowsWanted = new java.util.HashMap<>();
        for (String id : ids) {
            rowsWanted.put(id, RunUnit.rowsDone(reference.resolve(id)));
        }
        UnitBatch batch = new UnitBatch(
                "nri",
                store.toUri(),
                ids,
                rowsWanted,
                List.of(UnitCommand.NAME),
                plugins,
                Map.of("ai.djl.pytorch.num_threads", "1", "ai.djl.offline", "true"));
        try (SparkUnitExecutor executor = new SparkUnitExecutor(conf)) {
            Exception failure = null;
            try {
                executor.runAll(batch, listener);
            } catch (UnitFailuresException e) {
                failure = e;
            }
            executor.reports().forEach(r -> System.out.println("[IT] " + r));
            return new Run(executor.reports(), List.copyOf(notes), List.copyOf(outcomes), failure);
        }
    }

    private static UnitFailuresException assertInstanceOfFailures(Exception e) {
        assertNotNull(e, "the sweep did not fail");
        assertTrue(e instanceof UnitFailuresException, e.toString());
        return (UnitFailuresException) e;
    }

    /**
     * A store with the units' directories as the sweep prepares them before it dispatches: each
     * holding only the {@code spec.json} of the local run of the same unit.
     */
    private static Path prepare(String name, String... ids) throws IOException {
        Path store = home.resolve(name);
        for (String id : ids) {
            Files.createDirectories(store.resolve(id));
            Files.copy(
                    reference.resolve(id).resolve(RunUnit.SPEC),
                    store.resolve(id).resolve(RunUnit.SPEC));
        }
        return store;
    }

    private static List<String> unitIds(Path store) throws IOException {
        try (Stream<Path> dirs = Files.list(store)) {
            return dirs.filter(d -> Files.exists(d.resolve("spec.json")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static String[] nri(String out, String methods, List<String> budget, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "nri",
                "--data",
                data.toString(),
                "--out",
                out,
                "--methods",
                methods,
                "--timesteps",
                "10",
                "--batch",
                "16",
                "--hidden",
                "16",
                "--lambdas",
                "10"));
        args.addAll(budget);
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Runs the app as ./aimle does (a JVM of its own, the engine offline), checks it succeeded, returns its output. */
    private static String app(String... args) throws IOException, InterruptedException {
        return app(List.of(), args);
    }

    private static String app(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Exit exit = exit(jvmOptions, args);
        assertEquals(0, exit.code(), String.join(" ", args) + "\n" + exit.output());
        return exit.output();
    }

    /** Runs the app as ./aimle does and returns how it ended. */
    private static Exit exit(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of(Main.class.getName(), "--plugins-dir", plugins.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(home, "app", ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the app took more than 10 minutes: " + command);
        } finally {
            p.destroyForcibly();
        }
        return new Exit(p.exitValue(), Files.readString(log));
    }

    /** The unit's rows, every column but the wall time and memory, as written. */
    private static List<String> rows(Path unit) throws IOException {
        List<String> lines = Files.readAllLines(unit.resolve("evaluations.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            List<String> row = new ArrayList<>();
            for (int i = 0; i < cells.length; i++) {
                if (!NOT_COMPARED.contains(header.get(i))) {
                    row.add(cells[i]);
                }
            }
            kept.add(String.join(",", row));
        }
        return kept;
    }
}
