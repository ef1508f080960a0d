package dev.aimle.cluster.spark;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import scala.Tuple2;

/**
 * The body of one Spark task: one unit, run on the executor exactly as on the driver's machine. It
 * stages the unit's directory from the store to the executor's local disk (resuming from the store's
 * last published checkpoint), runs {@code aimle --plugins-dir P UNIT_COMMAND DIR} in a JVM of its
 * own ({@link UnitChild}: one engine thread, one gradient collector per process), publishes each new
 * checkpoint and the rows to the store as the unit commits them ({@link UnitStore}), and fails with
 * the end of the unit's log when the unit fails, so that Spark retries it elsewhere.
 */
final class UnitTask implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Spark setting: the directory for units' local copies on executors (default: the executor's working directory). */
    static final String STAGING_DIR = "spark.aimle.stagingDir";

    /** How often the unit's progress is looked at. */
    private static final long POLL_MILLIS = 250;

    /** How old a progress file must be to be published (its unit writes the rows right after it). */
    private static final long SETTLE_MILLIS = 100;

    private final String id;
    private final String unitUri;
    private final int rowsWanted;
    private final ArrayList<String> unitCommand;
    private final ArrayList<String> pluginJars;
    private final HashMap<String, String> systemProperties;
    private final HashMap<String, String> environment;
    private final HashMap<String, String> data;

    /**
     * @param environment variables the unit's JVM gets besides the executor's, e.g. the driver's
     *     glibc malloc settings
     * @param data remote data directories to copy to this machine before the unit runs, by the local
     *     path its spec names ({@link dev.aimle.app.harness.UnitBatch#data()})
     */
    UnitTask(
            String id,
            URI unitUri,
            int rowsWanted,
            List<String> unitCommand,
            List<String> pluginJars,
            Map<String, String> properties,
            Map<String, String> environment,
            Map<String, URI> data) {
        this.id = id;
        this.unitUri = unitUri.toString();
        this.rowsWanted = rowsWanted;
        this.unitCommand = new ArrayList<>(unitCommand);
        this.pluginJars = new ArrayList<>(pluginJars);
        this.systemProperties = new HashMap<>(properties);
        this.environment = new HashMap<>(environment);
        this.data = new HashMap<>();
        data.forEach((path, uri) -> this.data.put(path, uri.toString()));
    }

    /** The unit. */
    String id() {
        return id;
    }

    /** Runs the unit on this executor (Spark calls it in the task). */
    TaskReport call() throws IOException, InterruptedException {
        long start = System.nanoTime();
        SparkEnv env = SparkEnv.get();
        SparkConf conf = env.conf();
        TaskContext context = TaskContext.get();
        int attempt = (context == null ? 0 : context.attemptNumber()) + 1;
        String host = env.blockManager().blockManagerId().host();
        String where = host + " (executor " + env.executorId() + ", attempt " + attempt + ")";

        Path root = Path.of(conf.get(STAGING_DIR, "")).toAbsolutePath();
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, "aimle-unit-" + id + "-");
        try {
            Path unitDir = staging.resolve(id);
            Path plugins = linkPlugins(staging.resolve("plugins"));
            UnitStore store = new UnitStore(URI.create(unitUri), hadoopConfiguration(conf));
            for (Map.Entry<String, String> copy : data.entrySet()) {
                DataMirror.ensure(URI.create(copy.getValue()), Path.of(copy.getKey()), hadoopConfiguration(conf));
            }
            int resumed = store.stageTo(unitDir);
            String tag = "attempt" + attempt + "-" + (context == null ? 0 : context.taskAttemptId());

            long unitStart = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command(plugins, unitDir))
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(unitDir.resolve(dev.aimle.app.harness.UnitDispatcher.LOG)
                                    .toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            // as ./aimle runs it: the engine never downloads anything
            builder.environment().putAll(environment);
            builder.environment().put("DJL_OFFLINE", "true");
            builder.environment().put("OPT_OUT_TRACKING", "true");
            Process process = builder.start();
            int code;
            // The unit's standard input stays open, unused, while this executor lives (UnitChild).
            try {
                code = superviseUntilExit(process, store, unitDir, tag);
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                process.getOutputStream().close();
            }
            double unitSeconds = (System.nanoTime() - unitStart) / 1e9;
            // the unit has exited: everything in its directory is settled
            store.publish(unitDir, tag);
            if (code != 0) {
                throw new UnitFailedException(String.format(
                        Locale.ROOT, "unit %s failed on %s: exit %d%s", id, where, code, lastLine(unitDir)));
            }
            int rows = dev.aimle.app.harness.RunUnit.rowsDone(unitDir);
            String shortfall = shortfall(id, where, rows, rowsWanted);
            if (shortfall != null) {
                throw new UnitFailedException(shortfall);
            }
            return new TaskReport(
                    id,
                    host,
                    env.executorId(),
                    attempt,
                    resumed,
                    rows,
                    unitSeconds,
                    (System.nanoTime() - start) / 1e9,
                    unitDir.toString());
        } finally {
            deleteRecursively(staging);
        }
    }

    /**
     * Why a unit whose JVM exited 0 has not finished, or null when it has: as on the process pool
     * here, a unit is done only when its rows are committed (a plugin calling {@code
     * Runtime.halt(0)} ends the JVM with success).
     */
    static String shortfall(String id, String where, int rows, int rowsWanted) {
        return rows >= rowsWanted
                ? null
                : String.format(
                        Locale.ROOT,
                        "unit %s failed on %s: its process ended with exit 0 after %d of %d rows were committed (a"
                                + " plugin or library ended the JVM early)",
                        id,
                        where,
                        rows,
                        rowsWanted);
    }

    /**
     * Waits for the unit's exit, publishing each checkpoint it commits once its {@code
     * progress.json} is {@value #SETTLE_MILLIS} ms old: the unit writes its rows file right after
     * it (were the rows file a row behind, the next publish or the unit's resume would mend it;
     * the checkpoint itself is checked by {@link UnitStore#publish}).
     */
    private static int superviseUntilExit(Process process, UnitStore store, Path unitDir, String tag)
            throws InterruptedException {
        Path progress = unitDir.resolve(dev.aimle.app.harness.RunUnit.PROGRESS);
        String published = null;
        while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            try {
                if (Files.exists(progress)
                        && System.currentTimeMillis()
                                        - Files.getLastModifiedTime(progress).toMillis()
                                >= SETTLE_MILLIS) {
                    String now = Files.readString(progress);
                    if (!now.equals(published)) {
                        // false when the unit moved on during the copy: its next progress differs from now
                        store.publish(unitDir, tag);
                        published = now;
                    }
                }
            } catch (IOException e) {
                // The unit moved on while its checkpoint was being copied; the next one is published
                // at the next look, and everything when the unit exits.
                published = null;
            }
        }
        return process.exitValue();
    }

    private List<String> command(Path plugins, Path unitDir) {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        // The app's own jar first (with spark-submit it is not on the executor's class path but in the
        // task's class loader), then everything the executor has.
        Set<String> classPath = new LinkedHashSet<>();
        classPath.add(location(dev.aimle.app.Main.class));
        classPath.add(location(UnitChild.class));
        // the jars spark-submit shipped (--jars) are in the task's class loader, not on the class path
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader();
                loader != null;
                loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            classPath.add(Path.of(url.toURI()).toString());
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // not a plain file (e.g. a nested jar URL): the unit cannot use it anyway
                        }
                    }
                }
            }
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                classPath.add(entry);
            }
        }
        List<String> command = new ArrayList<>(List.of(javaCommand, "-cp", String.join(File.pathSeparator, classPath)));
        systemProperties.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(p -> command.add("-D" + p.getKey() + "=" + p.getValue()));
        command.addAll(List.of(UnitChild.class.getName(), "--plugins-dir", plugins.toString()));
        command.addAll(unitCommand);
        command.add(unitDir.toString());
        return command;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the location of " + type.getName() + " is not a path", e);
        }
    }

    /** The plugin jars Spark shipped to this executor, linked into a directory of their own. */
    private Path linkPlugins(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String jar : pluginJars) {
            Path shipped = Path.of(SparkFiles.get(jar));
            if (!Files.isRegularFile(shipped)) {
                throw new IOException("the plugin " + jar + " was not shipped to this executor (" + shipped + ")");
            }
            try {
                Files.createSymbolicLink(dir.resolve(jar), shipped);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(shipped, dir.resolve(jar));
            }
        }
        return dir;
    }

    /** Hadoop's configuration with the application's {@code spark.hadoop.*} settings, as Spark builds it. */
    static Configuration hadoopConfiguration(SparkConf conf) {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> entry : conf.getAllWithPrefix("spark.hadoop.")) {
            hadoop.set(entry._1(), entry._2());
        }
        return hadoop;
    }

    private static String lastLine(Path unitDir) {
        try {
            List<String> lines = Files.readAllLines(unitDir.resolve(dev.aimle.app.harness.UnitDispatcher.LOG));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return ": " + lines.get(i).strip();
                }
            }
        } catch (IOException e) {
            return " (its log cannot be read: " + e.getMessage() + ")";
        }
        return "";
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
