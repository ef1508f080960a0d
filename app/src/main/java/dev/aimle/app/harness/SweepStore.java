package dev.aimle.app.harness;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where a sweep keeps its output ({@code --out}): a directory of this machine (or a shared mount),
 * or a Hadoop FileSystem such as {@code hdfs://nn/runs/nri} or {@code s3a://bucket/nri} (a {@link
 * SweepStoreProvider} on the class path). The sweep's own code (the grid, the owner check, the
 * units' {@code spec.json}, {@code run.json}, the report) reads and writes {@link #local()}; for a
 * remote store that is a working copy which {@link #refresh} brings up to date from the store and
 * {@link #publish} writes back, so the sweep's code is the same for every store. The units
 * themselves are dispatched to {@link #uri()}.
 */
public interface SweepStore extends Closeable {

    /** The store as a URI, where the units' directories are: {@code file:} for a directory. */
    URI uri();

    /** The directory the sweep reads and writes: the output directory itself, or its working copy. */
    Path local();

    /** The store for the sweep's messages: the directory as a path, or the URI of a remote store. */
    String where();

    /**
     * Whether the store exists (a directory with or without runs); {@link #refresh} is empty for one
     * that does not.
     */
    boolean exists() throws IOException;

    /**
     * One sweep at a time in the store, held until closed.
     *
     * @param what what the holder does, for whoever is refused, e.g. {@code nri sweep}
     * @throws dev.aimle.app.io.RunConflictException naming the holder when the store is in use
     */
    Closeable lock(String what) throws IOException;

    /**
     * Brings the working copy up to date: every file the store holds, but the units' checkpoints
     * (which only units read) and temporaries. Nothing to do for a directory.
     */
    void refresh() throws IOException;

    /**
     * Writes what the sweep changed in the working copy since the last {@link #refresh} or {@code
     * publish} to the store (new units' {@code spec.json}, {@code run.json}, the report), each file
     * through a temporary and a rename. Nothing to do for a directory.
     */
    void publish() throws IOException;

    /** Ends the store's use: deletes the working copy of a remote store. */
    @Override
    void close() throws IOException;
}
