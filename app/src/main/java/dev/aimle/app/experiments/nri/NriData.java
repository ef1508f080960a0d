package dev.aimle.app.experiments.nri;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.HostArrays;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The trajectories and trees of the NRI experiment as the model reads them: positions normalised to
 * [-1, 1] with the minimum and maximum over the training set (as the reference does), laid out
 * {@code [count, n, T, d]}, and the true trees as 0/1 over the undirected edges {@code [count,
 * n(n-1)/2]}.
 *
 * @param timesteps T
 * @param train the training split
 * @param valid the validation split
 * @param test the test split
 */
public record NriData(int timesteps, Split train, Split valid, Split test) {

    /**
     * One split.
     *
     * @param x normalised trajectories {@code [count, n, T, d]}, row-major
     * @param edges the true trees {@code [count, n(n-1)/2]}, 1 on tree edges
     * @param count trajectories
     */
    public record Split(float[] x, byte[] edges, int count) {
        /** Checks the sizes. */
        public Split {
            int perExample = NriSpec.VERTICES * NriSpec.DIMS;
            if (count < 0 || x.length % Math.max(1, count) != 0 || (count > 0 && x.length / count % perExample != 0)) {
                throw new IllegalArgumentException(
                        "trajectories of " + x.length + " values do not hold " + count + " examples");
            }
            if (edges.length != count * NriGraph.undirectedEdges(NriSpec.VERTICES)) {
                throw new IllegalArgumentException("edges of " + edges.length + " values do not hold " + count
                        + " trees over " + NriGraph.undirectedEdges(NriSpec.VERTICES) + " edges");
            }
        }

        /** Values per example. */
        int size() {
            return count == 0 ? 0 : x.length / count;
        }

        /** Examples {@code [from, from + n)} as {@code [n, vertices, T, d]}. */
        NDArray batch(NDManager manager, int from, int n, int timesteps) {
            float[] values = new float[n * size()];
            System.arraycopy(x, from * size(), values, 0, values.length);
            return HostArrays.create(manager, values, new Shape(n, NriSpec.VERTICES, timesteps, NriSpec.DIMS));
        }

        /** The first n examples. */
        Split limit(int n) {
            if (n <= 0 || n >= count) {
                return this;
            }
            float[] xs = new float[n * size()];
            System.arraycopy(x, 0, xs, 0, xs.length);
            int e = NriGraph.undirectedEdges(NriSpec.VERTICES);
            byte[] es = new byte[n * e];
            System.arraycopy(edges, 0, es, 0, es.length);
            return new Split(xs, es, n);
        }
    }

    /**
     * Builds the data from arrays in the layout of the SST {@code .npy} files.
     *
     * @param trajectories per split {@code [count, T, d, n]} positions
     * @param adjacency per split {@code [count, n, n]} symmetric, non-zero on tree edges
     * @param counts per split, trajectories
     */
    public static NriData fromFileLayout(int timesteps, float[][] trajectories, float[][] adjacency, int[] counts) {
        if (trajectories.length != 3 || adjacency.length != 3 || counts.length != 3) {
            throw new IllegalArgumentException("expected train, valid and test splits");
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : trajectories[0]) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (!(max > min)) {
            throw new IllegalArgumentException(
                    "the training trajectories span [" + min + ", " + max + "]: nothing to normalise");
        }
        Split[] splits = new Split[3];
        for (int s = 0; s < 3; s++) {
            splits[s] = split(timesteps, trajectories[s], adjacency[s], counts[s], min, max);
        }
        return new NriData(timesteps, splits[0], splits[1], splits[2]);
    }

    private static Split split(int timesteps, float[] raw, float[] adjacency, int count, float min, float max) {
        int n = NriSpec.VERTICES;
        int d = NriSpec.DIMS;
        if (raw.length != count * timesteps * d * n) {
            throw new IllegalArgumentException("trajectories of " + raw.length + " values are not [" + count + ", "
                    + timesteps + ", " + d + ", " + n + "]");
        }
        if (adjacency.length != count * n * n) {
            throw new IllegalArgumentException(
                    "adjacency of " + adjacency.length + " values is not [" + count + ", " + n + ", " + n + "]");
        }
        float[] x = new float[raw.length];
        float scale = 2 / (max - min);
        for (int e = 0; e < count; e++) {
            for (int t = 0; t < timesteps; t++) {
                for (int c = 0; c < d; c++) {
                    for (int v = 0; v < n; v++) {
                        float value = raw[((e * timesteps + t) * d + c) * n + v];
                        x[((e * n + v) * timesteps + t) * d + c] = (value - min) * scale - 1;
                    }
                }
            }
        }
        int u = NriGraph.undirectedEdges(n);
        byte[] edges = new byte[count * u];
        for (int e = 0; e < count; e++) {
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    // the reference maps an entry v to (v + 1) / 2 in integers: 1 is an edge, 0 and -1 are not
                    edges[e * u + NriGraph.undirected(n, a, b)] = (byte) (adjacency[(e * n + a) * n + b] > 0 ? 1 : 0);
                }
            }
        }
        return new Split(x, edges, count);
    }

    /**
     * Reads the three splits of T from {@code dir} (the SST file names), normalised with the training
     * set's range.
     *
     * @throws IOException naming the file that is missing or malformed, with the command that writes it
     */
    public static NriData load(Path dir, int timesteps) throws IOException {
        NriSplit[] splits = NriSplit.values();
        float[][] trajectories = new float[3][];
        float[][] adjacency = new float[3][];
        int[] counts = new int[3];
        for (int s = 0; s < 3; s++) {
            NriDataset set = NriDataset.load(dir, splits[s], timesteps);
            if (set.size() == 0) {
                // an empty split would be evaluated as losses of 0 and reported as a result
                throw new IOException(NriDataset.dataFile(dir, splits[s], timesteps) + " holds no examples");
            }
            trajectories[s] = set.trajectories();
            adjacency[s] = set.edges();
            counts[s] = set.size();
        }
        return fromFileLayout(timesteps, trajectories, adjacency, counts);
    }

    /**
     * Checks that the six files of T are in {@code dir}, a directory the user named with {@code
     * --data}: such a directory is read as it is and never written to, so a missing file is the
     * user's to supply, not ours to regenerate over the others.
     *
     * @throws IllegalArgumentException naming the first missing file and the command that writes it
     */
    public static void requirePresent(Path dir, int timesteps) {
        for (NriSplit split : NriSplit.values()) {
            for (Path file :
                    new Path[] {NriDataset.dataFile(dir, split, timesteps), NriDataset.edgesFile(dir, split, timesteps)
                    }) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--data " + dir + " has no " + file.getFileName()
                            + " (a directory named by --data is only read, never written). Maybe generate the"
                            + " data there: aimle nri generate --out " + dir + " --timesteps " + timesteps
                            + " (with the seed and sizes of the other files), or leave --data out to use"
                            + " <out>/data");
                }
            }
        }
    }

    /** Sizes of the small set {@code --quick} generates: train, valid, test. */
    static final int[] QUICK_COUNTS = {512, 200, 200};

    /**
     * Generates the data of T in {@code dir} unless its files are there: the full sizes, or for a quick
     * run a small set ({@link #QUICK_COUNTS}). Seed 42, as {@code aimle nri generate}. Only for the
     * run's own data directory ({@code <out>/data}); a directory the user named goes through {@link
     * #requirePresent}.
     */
    static void ensurePresent(Path dir, int timesteps, boolean quick, PrintWriter log) throws IOException {
        NriSplit[] splits = NriSplit.values();
        boolean present = true;
        for (NriSplit split : splits) {
            present &= Files.isRegularFile(NriDataset.dataFile(dir, split, timesteps))
                    && Files.isRegularFile(NriDataset.edgesFile(dir, split, timesteps));
        }
        if (present) {
            return;
        }
        NriGenerator generator = new NriGenerator(42);
        int threads = Runtime.getRuntime().availableProcessors();
        for (int s = 0; s < splits.length; s++) {
            int count = quick ? QUICK_COUNTS[s] : splits[s].defaultCount();
            log.printf(
                    Locale.ROOT,
                    "nri: generating %d %s trajectories of T = %d in %s%n",
                    count,
                    splits[s].fileName(),
                    timesteps,
                    dir);
            log.flush();
            generator.generate(splits[s], count, timesteps, threads, done -> {}).write(dir, splits[s]);
        }
    }

    /** The same data with fewer examples. */
    public NriData limit(int trainLimit, int evalLimit) {
        return new NriData(timesteps, train.limit(trainLimit), valid.limit(evalLimit), test.limit(evalLimit));
    }
}
