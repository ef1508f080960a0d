package dev.aimle.cluster.spark;

import dev.aimle.app.harness.UnitBatch;
import dev.aimle.app.harness.UnitExecutor;
import dev.aimle.app.harness.UnitFailuresException;
import dev.aimle.app.harness.UnitListener;
import dev.aimle.app.harness.UnitOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Runs units on an Apache Spark cluster: one Spark job of one task per unit ({@link UnitTask}), so
 * that a unit failing for good fails its own job only and the others run on. Spark retries a failed
 * or lost task ({@code spark.task.maxFailures}, 4 by default on a cluster) on any executor; the
 * retry resumes from the store's last published checkpoint. Each executor core runs one unit at a
 * time (each unit is a single-threaded JVM of its own). The solver plugins of the driver's plugins
 * directory are shipped to the executors with the application.
 */
public final class SparkUnitExecutor implements UnitExecutor {
    private static final Pattern FAILED_TIMES = Pattern.compile("failed (\\d+) times");
    private static final Pattern UNIT_FAILURE = Pattern.compile(UnitFailedException.class.getName() + ": ([^\\n]*)");
    private static final Pattern JOB_GROUP = Pattern.compile("aimle-unit-(.*)");

    private final JavaSparkContext sc;
    private final String master;
    private final Set<String> shipped = new HashSet<>();
    private final List<TaskReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, String> unitOfStage = new ConcurrentHashMap<>();
    private volatile UnitListener current;
    private volatile long firstStart;

    /**
     * Starts a Spark application on {@code conf}'s master (which {@link #configuration} fills in).
     */
    public SparkUnitExecutor(SparkConf conf) {
        this.master = conf.get("spark.master");
        this.sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        sc.sc().addSparkListener(new Notes());
    }

    /**
     * The application's configuration: the {@code spark.*} system properties (those spark-submit
     * sets included), the master, and the defaults this executor needs.
     */
    public static SparkConf configuration(String master, String appName) {
        SparkConf conf = new SparkConf(true).setMaster(master).setIfMissing("spark.app.name", appName);
        // the driver prints one line per unit; Spark's console progress bar would interleave with it
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }

    @Override
    public String describe() {
        return "on Spark " + master + " (application " + sc.sc().applicationId() + ", web UI "
                + webUi().orElse("disabled") + ")";
    }

    /** The address of the application's web UI, if it has one. */
    public java.util.Optional<String> webUi() {
        scala.Option<String> url = sc.sc().uiWebUrl();
        return url.isDefined() ? java.util.Optional.of(url.get()) : java.util.Optional.empty();
    }

    /** What the executors reported for every unit completed so far, in completion order. */
    public List<TaskReport> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    @Override
    public void runAll(UnitBatch batch, UnitListener listener) throws IOException, InterruptedException {
        List<String> ids = batch.unitIds();
        if (ids.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            if (!new UnitStore(batch.unitUri(id), UnitTask.hadoopConfiguration(sc.getConf())).hasSpec()) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the store " + batch.store() + " holds no spec.json for the units "
                    + missing + "; prepare them (the sweep does) before dispatching them");
        }
        List<String> plugins = ship(batch.pluginsDirectory());
        current = listener;
        listener.note("spark: " + ids.size() + " units " + describe());
        Map<String, JavaFutureAction<List<TaskReport>>> running = new LinkedHashMap<>();
        Map<String, Long> submitted = new HashMap<>();
        long submittedAt = System.nanoTime();
        firstStart = 0;
        try {
            for (String id : ids) {
                UnitTask task = new UnitTask(
                        id,
                        batch.unitUri(id),
                        batch.rowsWanted().get(id),
                        batch.unitCommand(),
                        plugins,
                        batch.systemProperties(),
                        forwardedEnvironment(),
                        batch.data());
                // interruptOnCancel: a cancelled sweep stops its units' JVMs too
                sc.setJobGroup("aimle-unit-" + id, batch.sweep() + " unit " + id, true);
                submitted.put(id, System.nanoTime());
                running.put(
                        id, sc.parallelize(List.of(task), 1).map(UnitTask::call).collectAsync());
            }
            sc.clearJobGroup();
            List<UnitOutcome> failed = new ArrayList<>();
            while (!running.isEmpty()) {
                List<String> done = running.entrySet().stream()
                        .filter(e -> e.getValue().isDone())
                        .map(Map.Entry::getKey)
                        .toList();
                for (String id : done) {
                    UnitOutcome outcome = outcome(id, running.remove(id), submitted.get(id));
                    if (!outcome.succeeded()) {
                        failed.add(outcome);
                    }
                    listener.finished(outcome);
                }
                if (!running.isEmpty() && done.isEmpty()) {
                    // the driver only reports; a quarter of a second of latency per report costs no unit anything
                    Thread.sleep(250);
                }
            }
            listener.note(overhead(ids, submittedAt));
            if (!failed.isEmpty()) {
                throw new UnitFailuresException(
                        failed,
                        ids.size(),
                        "Their logs are in their directories in the store (log.txt); run the same command again to"
                                + " resume");
            }
        } catch (InterruptedException e) {
            sc.cancelAllJobs();
            throw e;
        } finally {
            current = null;
        }
    }

    private UnitOutcome outcome(String id, JavaFutureAction<List<TaskReport>> future, long submitted)
            throws InterruptedException {
        double seconds = (System.nanoTime() - submitted) / 1e9;
        try {
            TaskReport report = future.get().get(0);
            reports.add(report);
            return new UnitOutcome(
                    id,
                    null,
                    report.host() + " executor " + report.executorId(),
                    seconds,
                    report.attempt(),
                    report.resumedRows());
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            Matcher times = FAILED_TIMES.matcher(message);
            int attempts = times.find() ? Integer.parseInt(times.group(1)) : 1;
            Matcher unit = UNIT_FAILURE.matcher(message);
            String reason =
                    unit.find() ? unit.group(1) : message.lines().findFirst().orElse(message);
            return new UnitOutcome(
                    id,
                    String.format(
                            Locale.ROOT, "failed %d time%s; last: %s", attempts, attempts == 1 ? "" : "s", reason),
                    "spark",
                    seconds,
                    attempts,
                    0);
        }
    }

    /**
     * What dispatching cost: from submission to the first unit's start (the application's executors
     * starting), and per unit the task's time besides the unit's own JVM (staging, publishing,
     * starting the JVM).
     */
    private String overhead(List<String> ids, long submittedAt) {
        List<TaskReport> mine =
                reports().stream().filter(r -> ids.contains(r.id())).toList();
        double outside = mine.stream()
                .mapToDouble(r -> r.taskSeconds() - r.unitSeconds())
                .average()
                .orElse(Double.NaN);
        long first = firstStart;
        return String.format(
                Locale.ROOT,
                "spark: first unit started %.1f s after submission; per unit, the task besides the unit's JVM took"
                        + " %.2f s on average (%d units); the units' JVMs %.1f s in total",
                first == 0 ? Double.NaN : (first - submittedAt) / 1e9,
                outside,
                mine.size(),
                mine.stream().mapToDouble(TaskReport::unitSeconds).sum());
    }

    /** The variables of {@code scripts/malloc.sh} a unit's JVM inherits from this one. */
    static final List<String> FORWARDED_VARIABLES = List.of("GLIBC_TUNABLES", "THP_MEM_ALLOC_ENABLE");

    /**
     * The environment a unit's JVM shares with this one: the glibc malloc thresholds and libtorch's
     * huge-page switch {@code ./aimle} sets (they keep PyTorch's freed memory in the process and cut
     * its page faults; without them a unit runs slower, with the same numbers).
     */
    static Map<String, String> forwardedEnvironment() {
        return forwardedEnvironment(System.getenv());
    }

    static Map<String, String> forwardedEnvironment(Map<String, String> environment) {
        Map<String, String> forwarded = new java.util.TreeMap<>();
        for (String name : FORWARDED_VARIABLES) {
            String value = environment.get(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        return Map.copyOf(forwarded);
    }

    /** Ships the plugin jars not shipped yet (once per application); returns every jar's name. */
    private List<String> ship(Path pluginsDirectory) throws IOException {
        if (!Files.isDirectory(pluginsDirectory)) {
            throw new IllegalArgumentException(
                    "the plugins directory " + pluginsDirectory + " does not exist; it is shipped to the executors");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(pluginsDirectory)) {
            for (Path jar : files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList()) {
                String name = jar.getFileName().toString();
                if (shipped.add(name)) {
                    sc.addFile(jar.toAbsolutePath().toString());
                }
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public void close() {
        sc.stop();
    }

    /** Tells the listener where units start, which attempts fail, and which executors are lost. */
    private final class Notes extends SparkListener {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
            String group =
                    start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
            Matcher m = group == null ? null : JOB_GROUP.matcher(group);
            if (m != null && m.matches()) {
                for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds())) {
                    unitOfStage.put((Integer) stage, m.group(1));
                }
            }
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            if (firstStart == 0) {
                firstStart = System.nanoTime();
            }
            note(
                    start.stageId(),
                    id -> "unit " + id + " started on " + start.taskInfo().host() + " (executor "
                            + start.taskInfo().executorId() + ", attempt "
                            + (start.taskInfo().attemptNumber() + 1) + ")");
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!end.taskInfo().successful()) {
                note(
                        end.stageId(),
                        id -> "unit " + id + " attempt " + (end.taskInfo().attemptNumber() + 1)
                                + " ended on executor " + end.taskInfo().executorId() + ": "
                                + (end.reason() instanceof TaskFailedReason failed
                                                ? failed.toErrorString()
                                                : end.reason().toString())
                                        .lines()
                                        .findFirst()
                                        .orElse(""));
            }
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
            UnitListener listener = current;
            if (listener != null) {
                listener.note("spark: executor " + removed.executorId() + " removed: " + removed.reason());
            }
        }

        private void note(int stage, java.util.function.Function<String, String> line) {
            UnitListener listener = current;
            String id = unitOfStage.get(stage);
            if (listener != null && id != null) {
                listener.note(line.apply(id));
            }
        }
    }
}
