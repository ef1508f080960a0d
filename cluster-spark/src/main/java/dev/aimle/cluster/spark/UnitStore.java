package dev.aimle.cluster.spark;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.UnitDispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * One unit's directory in the sweep's store (any Hadoop FileSystem: {@code file:} on a shared
 * mount, {@code hdfs:}, {@code s3a:}), and the two moves between it and an executor's local disk.
 *
 * <p>{@link #stageTo} copies what the store holds in force: {@code spec.json}, {@code
 * progress.json}, the checkpoint that {@code progress.json} names, the rows files and the log;
 * temporaries and any other checkpoint (a half-published one) stay behind.
 *
 * <p>{@link #publish} is all-or-nothing, with {@code progress.json} as the commit point, as in the
 * unit's own directory: the checkpoint is copied under a temporary name and renamed, the rows files
 * likewise, and only then is {@code progress.json} replaced (a temporary, then a rename over it).
 * A kill at any moment leaves the store's {@code progress.json} naming a checkpoint that is
 * complete; a checkpoint directory it does not name is never trusted (it is replaced when published
 * again and removed after the next commit).
 */
final class UnitStore {
    /** Every name this class writes before renaming it contains this. */
    static final String TEMPORARY = ".tmp-";

    static final String CHECKPOINT_PREFIX = "checkpoint-";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final URI uri;
    private final Configuration conf;
    private final FileSystem fs;
    private final Path dir;

    UnitStore(URI unitUri, Configuration conf) throws IOException {
        this.uri = unitUri;
        this.conf = conf;
        FileSystem any = FileSystem.get(unitUri, conf);
        // no .crc side files in a file: store: the app reads these directories directly
        this.fs = any instanceof LocalFileSystem local ? local.getRawFileSystem() : any;
        this.dir = new Path(unitUri);
    }

    /** The unit's directory in the store. */
    URI uri() {
        return uri;
    }

    /** Whether the store holds the unit's {@code spec.json}. */
    boolean hasSpec() throws IOException {
        return fs.exists(new Path(dir, RunUnit.SPEC));
    }

    /**
     * Copies the unit's state in force into {@code local} (created if needed) and removes the
     * store's leftovers of killed attempts (temporaries, checkpoints not in force).
     *
     * @return the rows already published (0 for a fresh unit)
     * @throws IOException when the store holds no {@code spec.json} for the unit
     */
    int stageTo(java.nio.file.Path local) throws IOException {
        if (!hasSpec()) {
            throw new IOException(uri + " holds no " + RunUnit.SPEC + ": the sweep's driver prepares every unit's"
                    + " directory before dispatching it; is the store shared with the driver?");
        }
        Files.createDirectories(local);
        String progress = readIfExists(new Path(dir, RunUnit.PROGRESS));
        String inForce = progress == null ? null : checkpointOf(progress);
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (name.contains(TEMPORARY) || name.endsWith(".tmp")) {
                fs.delete(status.getPath(), true);
            } else if (status.isDirectory()) {
                if (name.equals(inForce)) {
                    copyToLocal(status.getPath(), local.resolve(name));
                } else if (name.startsWith(CHECKPOINT_PREFIX)) {
                    fs.delete(status.getPath(), true);
                }
            } else {
                copyToLocal(status.getPath(), local.resolve(name));
            }
        }
        return RunUnit.rowsDone(local);
    }

    /**
     * Publishes the local directory's last complete checkpoint, its rows files and {@code
     * progress.json}, unless the store already holds that {@code progress.json}; then the log.
     *
     * @param local the unit's directory on this executor; its unit must be between rows (the caller
     *     checks that {@code progress.json} is settled, or the unit has exited)
     * @param tag distinguishes this attempt's temporaries
     * @return whether a new {@code progress.json} was published
     */
    boolean publish(java.nio.file.Path local, String tag) throws IOException {
        boolean committed = false;
        java.nio.file.Path progressFile = local.resolve(RunUnit.PROGRESS);
        if (Files.exists(progressFile)) {
            String progress = Files.readString(progressFile);
            String published = readIfExists(new Path(dir, RunUnit.PROGRESS));
            if (!progress.equals(published)) {
                String checkpoint = checkpointOf(progress);
                java.nio.file.Path localCheckpoint = local.resolve(checkpoint);
                if (!Files.isDirectory(localCheckpoint)) {
                    throw new IOException(progressFile + " names " + checkpoint + ", which is not in " + local);
                }
                Path target = new Path(dir, checkpoint);
                Path temporary = new Path(dir, checkpoint + TEMPORARY + tag);
                fs.delete(temporary, true);
                try {
                    fs.copyFromLocalFile(false, true, new Path(localCheckpoint.toUri()), temporary);
                } catch (IOException e) {
                    // the unit deleted the checkpoint mid-copy (it moved on): the partial copy must not
                    // stay in the store, where no later publish of another checkpoint would remove it
                    fs.delete(temporary, true);
                    throw e;
                }
                // a directory of that name that progress.json does not name yet is a half-published one
                fs.delete(target, true);
                if (!fs.rename(temporary, target)) {
                    throw new IOException("cannot rename " + temporary + " to " + target);
                }
                for (java.nio.file.Path file : rowsFiles(local)) {
                    putFile(Files.readAllBytes(file), file.getFileName().toString(), tag);
                }
                // The unit deletes a checkpoint only after its progress.json names the next one, so an
                // unchanged progress.json means the copy above saw the whole checkpoint; otherwise the
                // copy may be partial and must not come into force (the next publish sends the new one).
                if (!progress.equals(Files.readString(progressFile))) {
                    return false;
                }
                putFile(progress.getBytes(StandardCharsets.UTF_8), RunUnit.PROGRESS, tag);
                committed = true;
                for (FileStatus status : fs.listStatus(dir)) {
                    String name = status.getPath().getName();
                    if (status.isDirectory()
                            && name.startsWith(CHECKPOINT_PREFIX)
                            && !name.equals(checkpoint)
                            && !name.contains(TEMPORARY)) {
                        fs.delete(status.getPath(), true);
                    }
                }
            }
        }
        java.nio.file.Path log = local.resolve(UnitDispatcher.LOG);
        if (Files.exists(log)) {
            putFile(Files.readAllBytes(log), UnitDispatcher.LOG, tag);
        }
        return committed;
    }

    /** The top-level regular files a unit writes besides its progress, spec, log and temporaries. */
    private static List<java.nio.file.Path> rowsFiles(java.nio.file.Path local) throws IOException {
        List<java.nio.file.Path> files = new ArrayList<>();
        try (Stream<java.nio.file.Path> list = Files.list(local)) {
            for (java.nio.file.Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p)
                        && !name.equals(RunUnit.PROGRESS)
                        && !name.equals(RunUnit.SPEC)
                        && !name.equals(UnitDispatcher.LOG)
                        && !name.startsWith(".")
                        && !name.endsWith(".tmp")) {
                    files.add(p);
                }
            }
        }
        return files;
    }

    /** Writes {@code name} in the store through a temporary and a rename over the old one. */
    private void putFile(byte[] content, String name, String tag) throws IOException {
        put(fs, conf, new Path(dir, name), content, tag);
    }

    /**
     * Writes {@code target} through a temporary sibling and a rename over the old one: atomic on a
     * local or HDFS store (S3 replaces whole objects).
     */
    static void put(FileSystem fs, Configuration conf, Path target, byte[] content, String tag) throws IOException {
        Path temporary = new Path(target.getParent(), target.getName() + TEMPORARY + tag);
        try (OutputStream out = fs.create(temporary, true)) {
            out.write(content);
        }
        if (fs instanceof RawLocalFileSystem raw && raw.getUri().getScheme().equals("file")) {
            java.nio.file.Path a = raw.pathToFile(temporary).toPath();
            java.nio.file.Path b = raw.pathToFile(target).toPath();
            try {
                Files.move(a, b, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(a, b, StandardCopyOption.REPLACE_EXISTING);
            }
        } else {
            // FileSystem.rename refuses an existing target; FileContext can replace it (HDFS: atomically)
            FileContext context;
            try {
                context = FileContext.getFileContext(temporary.toUri(), conf);
            } catch (UnsupportedFileSystemException e) {
                // a FileSystem without a FileContext binding (fs.AbstractFileSystem.SCHEME.impl): a moment
                // without the file, which a reader takes for a unit without it (progress.json: no rows yet)
                fs.delete(target, false);
                if (!fs.rename(temporary, target)) {
                    throw new IOException("cannot rename " + temporary + " to " + target);
                }
                return;
            }
            context.rename(temporary, target, Options.Rename.OVERWRITE);
        }
    }

    private void copyToLocal(Path from, java.nio.file.Path to) throws IOException {
        // the raw local file system on this side too: no .crc files in the staging directory
        fs.copyToLocalFile(false, from, new Path(to.toUri()), true);
    }

    private String readIfExists(Path file) throws IOException {
        if (!fs.exists(file)) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The checkpoint directory a {@code progress.json} names. */
    static String checkpointOf(String progress) throws IOException {
        JsonNode checkpoint = JSON.readTree(progress).get("checkpoint");
        if (checkpoint == null
                || !checkpoint.isTextual()
                || !checkpoint.asText().startsWith(CHECKPOINT_PREFIX)) {
            throw new IOException(RunUnit.PROGRESS + " names no checkpoint directory: " + progress);
        }
        return checkpoint.asText();
    }
}
