package dev.aimle.cluster.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop FileSystem of a scheme other than {@code file} ({@value #SCHEME}), on this machine's
 * disk: a store the app can only reach through Hadoop's FileSystem calls, as it reaches {@code
 * hdfs:} or {@code s3a:}. Registered with {@code fs.aimletest.impl} (and {@link Context} with {@code
 * fs.AbstractFileSystem.aimletest.impl} for FileContext's renames). It counts the files created
 * through it, in this JVM. Not a test itself: HadoopSweepStoreTest and SparkClusterIT assert
 * through it.
 */
public class ForeignFileSystem extends RawLocalFileSystem {
    /** The scheme. */
    public static final String SCHEME = "aimletest";

    /** Files created through any instance in this JVM. */
    static final AtomicLong CREATED = new AtomicLong();

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FSDataOutputStream create(
            Path f,
            FsPermission permission,
            boolean overwrite,
            int bufferSize,
            short replication,
            long blockSize,
            Progressable progress)
            throws IOException {
        FSDataOutputStream out = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
        CREATED.incrementAndGet();
        return out;
    }

    @Override
    public FSDataOutputStream create(
            Path f, boolean overwrite, int bufferSize, short replication, long blockSize, Progressable progress)
            throws IOException {
        FSDataOutputStream out = super.create(f, overwrite, bufferSize, replication, blockSize, progress);
        CREATED.incrementAndGet();
        return out;
    }

    /** The URI of a local directory in this scheme. */
    static URI uri(java.nio.file.Path dir) {
        return URI.create(SCHEME + "://" + dir.toAbsolutePath().toUri().getPath());
    }

    /** FileContext's binding of the scheme, as {@code RawLocalFs} is the {@code file} scheme's. */
    public static final class Context extends DelegateToFileSystem {
        /** Called by FileContext with the URI and configuration. */
        public Context(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new ForeignFileSystem(), conf, SCHEME, false);
        }
    }
}
