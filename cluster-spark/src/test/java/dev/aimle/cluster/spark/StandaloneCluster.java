package dev.aimle.cluster.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 made of JVMs of its own, started from this JVM's class
 * path (the Maven artefacts; no Spark installation): a master and workers of one core each. Every
 * worker has its own work directory and its own {@code SPARK_HOME} (an empty {@code jars}
 * directory; executors take their class path from {@code spark.executor.extraClassPath}), so the
 * processes a worker starts can be told apart by their command lines.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path root;
    private Process master;
    private final int port;
    private final int webUi;
    private final List<Process> workers = new ArrayList<>();
    private final List<Path> workDirs = new ArrayList<>();

    StandaloneCluster(Path root, int workerCount) throws IOException, InterruptedException {
        this.root = root;
        this.port = freePort();
        this.webUi = freePort();
        try {
            startAll(workerCount);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // whatever did start must not outlive a failed start
            close();
            throw e;
        }
    }

    private void startAll(int workerCount) throws IOException, InterruptedException {
        Path masterLog = root.resolve("master.log");
        master = start(
                List.of(
                        "org.apache.spark.deploy.master.Master",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--webui-port",
                        Integer.toString(webUi)),
                sparkHome(root.resolve("master")),
                masterLog);
        for (int i = 0; i < workerCount; i++) {
            Path dir = root.resolve("worker" + i);
            Path log = dir.resolve("worker.log");
            Files.createDirectories(dir.resolve("work"));
            Process worker = start(
                    List.of(
                            "org.apache.spark.deploy.worker.Worker",
                            "--host",
                            "127.0.0.1",
                            "--cores",
                            "1",
                            "--memory",
                            "1g",
                            "--webui-port",
                            Integer.toString(freePort()),
                            "--work-dir",
                            dir.resolve("work").toString(),
                            url()),
                    sparkHome(dir),
                    log);
            workers.add(worker);
            workDirs.add(dir);
        }
        awaitAliveWorkers(workerCount);
    }

    /** {@code spark://127.0.0.1:PORT}. */
    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** The worker's own directory (its SPARK_HOME and work directory are inside). */
    Path workerDir(int i) {
        return workDirs.get(i);
    }

    /** How many workers were started. */
    int size() {
        return workers.size();
    }

    /** The index of the worker whose work directory holds {@code name} (a unit's staging directory), or -1. */
    int workerHolding(String prefix) throws IOException {
        for (int i = 0; i < workDirs.size(); i++) {
            try (Stream<Path> walk = Files.walk(workDirs.get(i).resolve("work"), 3)) {
                if (walk.anyMatch(p -> p.getFileName().toString().startsWith(prefix))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** SIGKILL for worker {@code i}'s JVM (Process.destroyForcibly on Unix), and waits for it to die. */
    void kill(int i) throws InterruptedException {
        workers.get(i).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** The live processes whose command line names worker {@code i}'s directory (its executors and units). */
    List<ProcessHandle> processesOf(int i) {
        String dir = workDirs.get(i).toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
                .toList();
    }

    private Process start(List<String> arguments, Path sparkHome, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(System.getProperty("spark.java.options", "").split(" ")));
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path")));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(
                        command.stream().filter(s -> !s.isBlank()).toList())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // the executor launcher finds Scala's version from a Spark build or installation, of which there is none
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        return builder.start();
    }

    private static Path sparkHome(Path dir) throws IOException {
        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        return home;
    }

    /** Waits until the master's web UI ({@code /json/}) counts {@code count} alive workers. */
    private void awaitAliveWorkers(int count) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUi + "/json/"))
                .timeout(Duration.ofSeconds(5))
                .build();
        String expected = "\"aliveworkers\" : " + count;
        String last = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            List<Process> all = new ArrayList<>(workers);
            all.add(master);
            for (Process p : all) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            p.info() + " ended while the cluster started; see the logs in " + root);
                }
            }
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains(expected)) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "not " + count + " alive workers within 180 s: " + last + "; see the logs in " + root);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Ends the master, the workers, and whatever they started that is still alive (by pid). */
    @Override
    public void close() {
        List<ProcessHandle> started = new ArrayList<>();
        for (int i = 0; i < workDirs.size(); i++) {
            started.addAll(processesOf(i));
        }
        List<Process> own = new ArrayList<>(workers);
        if (master != null) {
            own.add(master);
        }
        for (Process p : own) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : started) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : started) {
            p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        for (Process p : own) {
            p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
    }

    @Override
    public String toString() {
        return url() + " with " + workers.size() + " workers in " + root;
    }
}
