package dev.aimle.cluster.spark;

import dev.aimle.app.harness.RunLock;
import dev.aimle.app.harness.SweepStore;
import dev.aimle.app.io.RunConflictException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A sweep's output in a Hadoop FileSystem ({@code hdfs:}, {@code s3a:}, any scheme with an {@code
 * fs.SCHEME.impl}), seen by the driver through a working copy in a temporary directory of its own.
 *
 * <p>{@link #refresh} copies every file of the store but the units' checkpoints (which only units
 * read) and temporaries, and only those whose length or modification time changed since it last
 * saw them; {@link #publish} writes back each file of the working copy whose content differs from
 * what the store was last seen to hold, through a temporary and a rename (as a unit publishes its
 * rows), and deletes from the store a file the sweep deleted. Between the two the sweep alone
 * writes the top of the store (it holds the lock) and the units alone their rows, so neither
 * overwrites the other.
 *
 * <p>The lock is the file {@code .lock}, created with {@code FileSystem.create(path, overwrite =
 * false)} and deleted when the sweep ends. That refuses a second sweep while one runs, naming the
 * holder; it is atomic where the file system's create is (HDFS: the namenode refuses the second
 * create), while on S3A (and a local file system) the create checks and then writes, so two sweeps
 * started in the same instant could both pass. A sweep killed before its end leaves the lock,
 * which refuses every later sweep, naming the dead holder, until someone deletes it: a store
 * cannot tell a dead driver from a live one far away.
 */
final class HadoopSweepStore implements SweepStore {
    private final URI uri;
    private final Configuration conf;
    private final FileSystem fs;
    private final Path root;
    private final java.nio.file.Path local;
    /** What the store held of each file (by its name under the root) when last copied either way. */
    private final Map<String, Seen> seen = new HashMap<>();

    /** A file's length and modification time in the store, and the digest of its content. */
    private record Seen(long length, long modified, byte[] digest) {}

    HadoopSweepStore(URI uri, Configuration conf) throws IOException {
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        this.uri = URI.create(text);
        this.conf = conf;
        this.fs = FileSystem.get(this.uri, conf);
        this.root = new Path(this.uri);
        this.local = Files.createTempDirectory("aimle-store-");
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public java.nio.file.Path local() {
        return local;
    }

    @Override
    public String where() {
        return uri.toString();
    }

    @Override
    public boolean exists() throws IOException {
        return fs.exists(root);
    }

    @Override
    public Closeable lock(String what) throws IOException {
        fs.mkdirs(root);
        Path file = new Path(root, RunLock.FILE);
        String holder = "host " + InetAddress.getLocalHost().getHostName() + ", pid "
                + ProcessHandle.current().pid() + ", since " + Instant.now() + ": " + what;
        try (OutputStream out = fs.create(file, false)) {
            out.write((holder + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException e) {
            throw new RunConflictException(uri + " is in use by another sweep (" + holder(file)
                    + "); wait for it to finish or stop it, then run the command again. A sweep that was killed"
                    + " leaves its lock: when no sweep runs there, delete " + file + " and run the command again");
        }
        return () -> fs.delete(file, false);
    }

    private String holder(Path file) {
        try (InputStream in = fs.open(file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    @Override
    public void refresh() throws IOException {
        if (fs.exists(root)) {
            refresh(root, "");
        }
    }

    private void refresh(Path dir, String prefix) throws IOException {
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (skipped(name) || status.isDirectory() && name.startsWith(UnitStore.CHECKPOINT_PREFIX)) {
                continue;
            }
            String relative = prefix + name;
            if (status.isDirectory()) {
                refresh(status.getPath(), relative + "/");
                continue;
            }
            Seen before = seen.get(relative);
            if (before != null
                    && before.length() == status.getLen()
                    && before.modified() == status.getModificationTime()) {
                continue;
            }
            byte[] content;
            try (InputStream in = fs.open(status.getPath())) {
                content = in.readAllBytes();
            }
            java.nio.file.Path target = local.resolve(relative);
            Files.createDirectories(target.getParent());
            java.nio.file.Path temporary = target.resolveSibling(name + UnitStore.TEMPORARY + "refresh");
            Files.write(temporary, content);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            seen.put(relative, new Seen(status.getLen(), status.getModificationTime(), digest(content)));
        }
    }

    @Override
    public void publish() throws IOException {
        List<String> present = new ArrayList<>();
        if (Files.isDirectory(local)) {
            try (Stream<java.nio.file.Path> files = Files.walk(local)) {
                for (java.nio.file.Path file :
                        files.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = local.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    if (skipped(file.getFileName().toString())) {
                        continue;
                    }
                    present.add(relative);
                    byte[] content = Files.readAllBytes(file);
                    byte[] digest = digest(content);
                    Seen before = seen.get(relative);
                    if (before != null && Arrays.equals(before.digest(), digest)) {
                        continue;
                    }
                    Path target = new Path(root, relative);
                    UnitStore.put(fs, conf, target, content, "driver");
                    FileStatus status = fs.getFileStatus(target);
                    seen.put(relative, new Seen(status.getLen(), status.getModificationTime(), digest));
                }
            }
        }
        for (String gone : seen.keySet().stream()
                .filter(name -> !present.contains(name))
                .sorted()
                .toList()) {
            fs.delete(new Path(root, gone), false);
            seen.remove(gone);
        }
    }

    /** Temporaries of the units, the driver and {@link dev.aimle.app.io.RunDirectory}, and the lock. */
    private static boolean skipped(String name) {
        return name.contains(UnitStore.TEMPORARY) || name.endsWith(".tmp") || name.equals(RunLock.FILE);
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<java.nio.file.Path> walk = Files.walk(local)) {
            for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
