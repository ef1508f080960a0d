package dev.aimle.app.experiments.nri;

import static dev.aimle.app.experiments.nri.NriGenerator.DIMS;
import static dev.aimle.app.experiments.nri.NriGenerator.EDGES;
import static dev.aimle.app.experiments.nri.NriGenerator.VERTICES;

import dev.aimle.app.io.Npy;
import dev.aimle.app.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One split of the NRI graph-layout data in memory, and its two {@code .npy} files in the SST
 * layout, which the SST code's {@code utils.load_data} reads unchanged
 * ({@code --suffix _novar_1skip_{T}t_1r_graph10}):
 *
 * <ul>
 *   <li>{@code data_{split}_novar_1skip_{T}t_1r_graph10.npy}: float64 ({@code '<f8'}, as the SST
 *       script's NumPy arrays), shape {@code [N, T, 2, 10]} (example, time step, coordinate x/y,
 *       vertex), C order;
 *   <li>{@code edges_{split}_novar_1skip_{T}t_1r_graph10.npy}: float32 ({@code '<f4'}, as the SST
 *       script's torch tensors), shape {@code [N, 10, 10]}, the symmetric 0/1 adjacency of each
 *       example's tree with a zero diagonal.
 * </ul>
 *
 * <p>The loader also accepts float32 data and float64 or int64 edges, and checks every edge matrix
 * (0/1 values, symmetric, zero diagonal, a spanning tree). The SST code normalises the positions to
 * [-1, 1] with the training split's minimum and maximum: {@link #min()}, {@link #max()} and
 * {@link #normalizedTrajectories(double, double)}.
 *
 * <p>Arrays given to {@link #of} are taken without copying (the caller must not modify them); every
 * accessor returns a new array.
 */
public final class NriDataset {
    private static final int FRAME = DIMS * VERTICES;
    private static final int MATRIX = VERTICES * VERTICES;

    private final int size;
    private final int timesteps;
    private final double[] trajectories;
    private final float[] edges;

    private NriDataset(int size, int timesteps, double[] trajectories, float[] edges) {
        this.size = size;
        this.timesteps = timesteps;
        this.trajectories = trajectories;
        this.edges = edges;
    }

    /**
     * A data set of {@code edges.length / 100} examples.
     *
     * @param trajectories {@code [N, T, 2, 10]} row-major, taken without a copy
     * @param edges {@code [N, 10, 10]} 0/1 adjacency matrices, row-major, taken without a copy
     * @throws IllegalArgumentException if the lengths disagree or an edge matrix is not a spanning tree
     */
    public static NriDataset of(int timesteps, double[] trajectories, float[] edges) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("timesteps (" + timesteps + ") must be at least 1");
        }
        if (edges.length % MATRIX != 0) {
            throw new IllegalArgumentException(
                    "edges holds " + edges.length + " values, not a whole number of 10 x 10 matrices");
        }
        int size = edges.length / MATRIX;
        if ((long) size * timesteps * FRAME != trajectories.length) {
            throw new IllegalArgumentException("trajectories holds " + trajectories.length + " values; " + size
                    + " examples of [T, 2, 10] with T = " + timesteps + " hold " + (long) size * timesteps * FRAME);
        }
        for (int i = 0; i < size; i++) {
            String problem = treeProblem(edges, i * MATRIX);
            if (problem != null) {
                throw new IllegalArgumentException("the edges of example " + i + " " + problem);
            }
        }
        return new NriDataset(size, timesteps, trajectories, edges);
    }

    /** {@code _novar_1skip_{T}t_1r_graph10}: the SST script's file suffix and {@code train.py --suffix}. */
    public static String suffix(int timesteps) {
        return "_novar_1skip_" + timesteps + "t_1r_graph" + VERTICES;
    }

    /** {@code dir/data_{split}_novar_1skip_{T}t_1r_graph10.npy}. */
    public static Path dataFile(Path dir, NriSplit split, int timesteps) {
        return dir.resolve("data_" + split.fileName() + suffix(timesteps) + ".npy");
    }

    /** {@code dir/edges_{split}_novar_1skip_{T}t_1r_graph10.npy}. */
    public static Path edgesFile(Path dir, NriSplit split, int timesteps) {
        return dir.resolve("edges_" + split.fileName() + suffix(timesteps) + ".npy");
    }

    /**
     * Reads one split from {@code dir}.
     *
     * @throws IOException naming the file: missing (with the command that writes it), not
     *     {@code .npy}, or of the wrong dtype or shape, or with edges that are not spanning trees
     */
    public static NriDataset load(Path dir, NriSplit split, int timesteps) throws IOException {
        Path dataPath = dataFile(dir, split, timesteps);
        Path edgesPath = edgesFile(dir, split, timesteps);
        for (Path file : new Path[] {dataPath, edgesPath}) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("no " + file.getFileName() + " in " + dir + ". Maybe generate the data: aimle nri"
                        + " generate --out " + dir + " --timesteps " + timesteps);
            }
        }
        Npy.Header dataHeader = Npy.readHeader(dataPath);
        int[] dataShape = dataHeader.shape();
        if (dataShape.length != 4 || dataShape[1] != timesteps || dataShape[2] != DIMS || dataShape[3] != VERTICES) {
            throw new IOException(dataPath + " has shape " + Npy.shapeString(dataShape) + "; expected (N, " + timesteps
                    + ", " + DIMS + ", " + VERTICES + ") (examples, time steps, x/y, vertices)");
        }
        if (dataHeader.dtype() == Npy.DType.INT64) {
            throw new IOException(dataPath + " holds " + dataHeader.dtype() + " positions; expected float64 ('<f8')"
                    + " or float32 ('<f4')");
        }
        Npy.Header edgesHeader = Npy.readHeader(edgesPath);
        int[] edgesShape = edgesHeader.shape();
        if (edgesShape.length != 3 || edgesShape[1] != VERTICES || edgesShape[2] != VERTICES) {
            throw new IOException(edgesPath + " has shape " + Npy.shapeString(edgesShape) + "; expected (N, " + VERTICES
                    + ", " + VERTICES + ") (examples, adjacency rows, columns)");
        }
        if (edgesShape[0] != dataShape[0]) {
            throw new IOException(edgesPath + " holds " + edgesShape[0] + " examples but " + dataPath + " holds "
                    + dataShape[0] + "; they must be equal");
        }
        double[] trajectories = Npy.read(dataPath).toDoubleArray();
        for (int i = 0; i < trajectories.length; i++) {
            if (!Double.isFinite(trajectories[i])) {
                // named here: normalised, it would surface far later as a NaN in the model
                int vertex = i % VERTICES;
                int coordinate = i / VERTICES % DIMS;
                int step = i / FRAME % timesteps;
                int example = i / (FRAME * timesteps);
                throw new IOException(dataPath + ": the " + (coordinate == 0 ? "x" : "y") + " position of vertex "
                        + vertex + " at step " + step + " of example " + example + " is " + trajectories[i]
                        + "; positions must be finite");
            }
        }
        NpyArray edgeArray = Npy.read(edgesPath);
        float[] edges = edgeArray.toFloatArray();
        for (int i = 0; i < edgesShape[0]; i++) {
            String problem = treeProblem(edges, i * MATRIX);
            if (problem != null) {
                throw new IOException(edgesPath + ": the edges of example " + i + " " + problem);
            }
        }
        return new NriDataset(edgesShape[0], timesteps, trajectories, edges);
    }

    /** Writes the two files of this split into {@code dir} (created if missing), each atomically. */
    public void write(Path dir, NriSplit split) throws IOException {
        Files.createDirectories(dir);
        Npy.write(dataFile(dir, split, timesteps), NpyArray.ofFloat64(trajectoryShape(), trajectories));
        Npy.write(edgesFile(dir, split, timesteps), NpyArray.ofFloat32(edgesShape(), edges));
    }

    /** The number of examples, N. */
    public int size() {
        return size;
    }

    /** T, the recorded steps per example. */
    public int timesteps() {
        return timesteps;
    }

    /** {@code [N, T, 2, 10]}. */
    public int[] trajectoryShape() {
        return new int[] {size, timesteps, DIMS, VERTICES};
    }

    /** {@code [N, 10, 10]}. */
    public int[] edgesShape() {
        return new int[] {size, VERTICES, VERTICES};
    }

    /** All positions as float32, {@code [N, T, 2, 10]} row-major (a new array). */
    public float[] trajectories() {
        float[] out = new float[trajectories.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) trajectories[i];
        }
        return out;
    }

    /** All positions as stored (float64), {@code [N, T, 2, 10]} row-major (a new array). */
    public double[] trajectoriesFloat64() {
        return trajectories.clone();
    }

    /**
     * The positions normalised as the SST code's {@code load_data} does, in float64 then rounded to
     * float32: {@code (x - min) * 2 / (max - min) - 1}, with min and max those of the training split
     * ({@link #min()}, {@link #max()} of the training data set). {@code [N, T, 2, 10]} row-major.
     */
    public float[] normalizedTrajectories(double min, double max) {
        if (!(max > min)) {
            throw new IllegalArgumentException("max (" + max + ") must be greater than min (" + min + ")");
        }
        float[] out = new float[trajectories.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((trajectories[i] - min) * 2 / (max - min) - 1);
        }
        return out;
    }

    /** The smallest coordinate over all examples, steps and vertices. */
    public double min() {
        return Arrays.stream(trajectories).min().orElse(Double.NaN);
    }

    /** The largest coordinate over all examples, steps and vertices. */
    public double max() {
        return Arrays.stream(trajectories).max().orElse(Double.NaN);
    }

    /** Example {@code i}'s positions, {@code [T, 2, 10]} row-major, float32. */
    public float[] trajectory(int i) {
        checkIndex(i);
        float[] out = new float[timesteps * FRAME];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) trajectories[i * out.length + j];
        }
        return out;
    }

    /** All adjacency matrices, {@code [N, 10, 10]} row-major, 0/1 (a new array). */
    public float[] edges() {
        return edges.clone();
    }

    /** Example {@code i}'s tree as a symmetric {@code 10 x 10} 0/1 adjacency, row-major. */
    public float[] adjacency(int i) {
        checkIndex(i);
        return Arrays.copyOfRange(edges, i * MATRIX, (i + 1) * MATRIX);
    }

    /**
     * Example {@code i}'s tree as 45 indicators in row-major upper-triangle order (0,1), (0,2), ...,
     * (8,9): the spanning-tree solver's edge order, for edge precision and recall.
     */
    public int[] treeEdges(int i) {
        checkIndex(i);
        int[] out = new int[EDGES];
        for (int a = 0, e = 0; a < VERTICES; a++) {
            for (int b = a + 1; b < VERTICES; b++, e++) {
                out[e] = edges[i * MATRIX + a * VERTICES + b] != 0f ? 1 : 0;
            }
        }
        return out;
    }

    /** Example {@code i} as an {@link NriExample}. */
    public NriExample example(int i) {
        checkIndex(i);
        int length = timesteps * FRAME;
        return new NriExample(timesteps, Arrays.copyOfRange(trajectories, i * length, (i + 1) * length), treeEdges(i));
    }

    /**
     * The first {@code steps} time steps of every example. Because the generator's examples do not
     * depend on T, the data for T = 10 is exactly this view of the data for T = 20.
     */
    public NriDataset firstTimesteps(int steps) {
        if (steps < 1 || steps > timesteps) {
            throw new IllegalArgumentException("steps (" + steps + ") must be between 1 and T (" + timesteps + ")");
        }
        double[] out = new double[size * steps * FRAME];
        for (int i = 0; i < size; i++) {
            System.arraycopy(trajectories, i * timesteps * FRAME, out, i * steps * FRAME, steps * FRAME);
        }
        return new NriDataset(size, steps, out, edges.clone());
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("example " + i + " is not between 0 and " + (size - 1));
        }
    }

    /** What is wrong with the 10 x 10 matrix at {@code offset}, or null if it is a spanning tree. */
    static String treeProblem(float[] edges, int offset) {
        int[] parent = new int[VERTICES];
        for (int v = 0; v < VERTICES; v++) {
            parent[v] = v;
        }
        int count = 0;
        for (int a = 0; a < VERTICES; a++) {
            for (int b = 0; b < VERTICES; b++) {
                float value = edges[offset + a * VERTICES + b];
                if (value != 0f && value != 1f) {
                    return "hold " + value + " at (" + a + ", " + b + "); expected 0 or 1";
                }
                if (a == b && value != 0f) {
                    return "hold a self loop at (" + a + ", " + a + ")";
                }
                if (value != edges[offset + b * VERTICES + a]) {
                    return "are not symmetric at (" + a + ", " + b + ")";
                }
                if (a < b && value == 1f) {
                    count++;
                    int ra = root(parent, a);
                    int rb = root(parent, b);
                    if (ra == rb) {
                        return "hold a cycle through (" + a + ", " + b + "); expected a spanning tree";
                    }
                    parent[ra] = rb;
                }
            }
        }
        if (count != VERTICES - 1) {
            return "number " + count + "; a spanning tree of " + VERTICES + " vertices has " + (VERTICES - 1);
        }
        return null;
    }

    private static int root(int[] parent, int x) {
        while (parent[x] != x) {
            x = parent[x];
        }
        return x;
    }
}
