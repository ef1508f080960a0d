package dev.aimle.cluster.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A data directory of a Hadoop FileSystem ({@code --data hdfs://...}) copied to a local directory,
 * once per machine: the driver's copy is what the sweep checks, and each executor makes its own at
 * the same path before a unit reads it (a unit's {@code spec.json} names that path). The copy is
 * all or nothing: it is made under a temporary name and renamed, so a directory at the path is
 * complete, and tasks that copy at the same time leave one.
 */
final class DataMirror {
    private DataMirror() {}

    /** Copies {@code source} to {@code target} unless {@code target} exists. */
    static void ensure(URI source, java.nio.file.Path target, Configuration conf) throws IOException {
        if (Files.isDirectory(target)) {
            return;
        }
        FileSystem fs = FileSystem.get(source, conf);
        Path from = new Path(source);
        try {
            if (!fs.getFileStatus(from).isDirectory()) {
                throw new IOException(source + " is not a directory");
            }
        } catch (FileNotFoundException e) {
            throw new IOException(source + " does not exist", e);
        }
        Files.createDirectories(target.getParent());
        java.nio.file.Path temporary =
                Files.createTempDirectory(target.getParent(), target.getFileName() + UnitStore.TEMPORARY);
        try {
            copy(fs, from, temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another task on this machine made the copy first: it is complete, and ours goes
            }
        } finally {
            deleteRecursively(temporary);
        }
    }

    private static void copy(FileSystem fs, Path dir, java.nio.file.Path to) throws IOException {
        for (FileStatus status : fs.listStatus(dir)) {
            java.nio.file.Path target = to.resolve(status.getPath().getName());
            if (status.isDirectory()) {
                Files.createDirectories(target);
                copy(fs, status.getPath(), target);
            } else {
                try (InputStream in = fs.open(status.getPath())) {
                    Files.copy(in, target);
                }
            }
        }
    }

    private static void deleteRecursively(java.nio.file.Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<java.nio.file.Path> walk = Files.walk(path)) {
            for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
