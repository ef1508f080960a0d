package dev.aimle.cluster.spark;

import dev.aimle.app.harness.SweepStore;
import dev.aimle.app.harness.SweepStoreProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;

/**
 * Hadoop's FileSystem as a {@link SweepStoreProvider}: {@code --out} and {@code --data hdfs://...}, {@code s3a://...}
 * (with hadoop-aws on the class path) or any scheme with an implementation, configured as Spark
 * configures its executors' (the {@code spark.hadoop.*} properties, which spark-submit's {@code
 * --conf} sets).
 */
public final class HadoopSweepStoreProvider implements SweepStoreProvider {
    @Override
    public String name() {
        return "hadoop";
    }

    @Override
    public String description() {
        return "Hadoop FileSystem URIs whose scheme has an implementation on the class path (hdfs:; s3a: with"
                + " hadoop-aws and the AWS SDK; any fs.SCHEME.impl given as -Dspark.hadoop.fs.SCHEME.impl=CLASS)";
    }

    @Override
    public boolean accepts(URI uri) {
        try {
            FileSystem.getFileSystemClass(uri.getScheme(), configuration());
            return true;
        } catch (IOException | RuntimeException e) {
            // no implementation, or one named whose classes are missing (s3a: without hadoop-aws)
            return false;
        }
    }

    @Override
    public SweepStore open(URI uri) throws IOException {
        return new HadoopSweepStore(uri, configuration());
    }

    @Override
    public void mirror(URI source, Path target) throws IOException {
        DataMirror.ensure(source, target, configuration());
    }

    /** The Hadoop configuration of the executors (UnitTask's), from this JVM's {@code spark.*} properties. */
    private static Configuration configuration() {
        return UnitTask.hadoopConfiguration(new SparkConf(true));
    }
}
