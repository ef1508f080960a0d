package dev.aimle.app.experiments.warcraft;

import java.util.Objects;

/**
 * One split of a Warcraft shortest-path data set (Pogancic et al. 2020), in the layout of its
 * {@code .npy} files: {@code maps} uint8 {@code [N, H, W, 3]} (row-major, channels last),
 * {@code weights} the true vertex costs {@code [N, k, k]} and {@code paths} the cells of the
 * cheapest top-left to bottom-right path {@code [N, k, k]} in {0, 1}.
 *
 * <p><b>Ownership.</b> The arrays are large (27,648 bytes of pixels per 12×12 map), so they are
 * neither copied on the way in nor on the way out: the split owns the arrays it is given and
 * callers must not change what the accessors return.
 */
public final class WarcraftSplit {
    private final String name;
    private final int size;
    private final int imageSide;
    private final int grid;
    private final byte[] maps;
    private final float[] weights;
    private final float[] paths;

    /**
     * A split; the arrays become the split's.
     *
     * @throws IllegalArgumentException when an array's length does not match the sizes
     */
    public WarcraftSplit(String name, int size, int imageSide, int grid, byte[] maps, float[] weights, float[] paths) {
        this.name = Objects.requireNonNull(name, "name");
        if (size < 0 || imageSide < 1 || grid < 1) {
            throw new IllegalArgumentException("split '" + name + "': size (" + size + ") must be at least 0,"
                    + " imageSide (" + imageSide + ") and grid (" + grid + ") at least 1");
        }
        requireLength("maps", maps.length, (long) size * imageSide * imageSide * 3);
        requireLength("weights", weights.length, (long) size * grid * grid);
        requireLength("paths", paths.length, (long) size * grid * grid);
        this.size = size;
        this.imageSide = imageSide;
        this.grid = grid;
        this.maps = maps;
        this.weights = weights;
        this.paths = paths;
    }

    private void requireLength(String what, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(
                    "split '" + name + "': " + what + " holds " + actual + " values, expected " + expected);
        }
    }

    /** The split's name: {@code train}, {@code val} or {@code test}. */
    public String name() {
        return name;
    }

    /** N, the number of maps. */
    public int size() {
        return size;
    }

    /** H = W, the side of a map in pixels (96 for the 12×12 maps). */
    public int imageSide() {
        return imageSide;
    }

    /** k, the side of the grid of vertices (12, 18, 24 or 30 in the original data). */
    public int grid() {
        return grid;
    }

    /** The pixels, uint8 {@code [N, H, W, 3]}; owned by the split, do not modify. */
    public byte[] maps() {
        return maps;
    }

    /** The true vertex costs {@code [N, k, k]}; owned by the split, do not modify. */
    public float[] weights() {
        return weights;
    }

    /** The true shortest paths {@code [N, k, k]} in {0, 1}; owned by the split, do not modify. */
    public float[] paths() {
        return paths;
    }

    /**
     * The per-channel mean and standard deviation of the pixels over the whole split, in double:
     * {@code {mean_r, mean_g, mean_b, std_r, std_g, std_b}}. The reference normalises every split
     * with the training split's figures ({@code normalize: true} in its settings).
     */
    public double[] channelStatistics() {
        double[] sum = new double[3];
        double[] squares = new double[3];
        for (int i = 0; i < maps.length; i++) {
            int v = maps[i] & 0xFF;
            sum[i % 3] += v;
            squares[i % 3] += (double) v * v;
        }
        long count = (long) size * imageSide * imageSide;
        double[] out = new double[6];
        for (int c = 0; c < 3; c++) {
            double mean = count == 0 ? 0 : sum[c] / count;
            out[c] = mean;
            out[3 + c] = count == 0 ? 1 : Math.sqrt(Math.max(squares[c] / count - mean * mean, 0));
        }
        return out;
    }

    /**
     * The maps at {@code indices} as float32 {@code [B, 3, H, W]} (channels first, as the model
     * takes them), each channel normalised by {@code (x - mean) / std}.
     *
     * @param statistics what {@link #channelStatistics()} returns, usually the training split's
     * @throws IllegalArgumentException on an index out of range or a standard deviation that is not positive
     */
    public float[] images(int[] indices, double[] statistics) {
        if (statistics.length != 6) {
            throw new IllegalArgumentException(
                    "statistics must hold 3 means and 3 standard deviations, got " + statistics.length + " values");
        }
        float[] mean = new float[3];
        float[] inverse = new float[3];
        for (int c = 0; c < 3; c++) {
            if (!(statistics[3 + c] > 0)) {
                throw new IllegalArgumentException(
                        "the standard deviation of channel " + c + " (" + statistics[3 + c] + ") must be positive");
            }
            mean[c] = (float) statistics[c];
            inverse[c] = (float) (1 / statistics[3 + c]);
        }
        int pixels = imageSide * imageSide;
        float[] out = new float[indices.length * 3 * pixels];
        for (int b = 0; b < indices.length; b++) {
            int index = requireIndex(indices[b]);
            int from = index * pixels * 3;
            int to = b * 3 * pixels;
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < 3; c++) {
                    out[to + c * pixels + p] = ((maps[from + p * 3 + c] & 0xFF) - mean[c]) * inverse[c];
                }
            }
        }
        return out;
    }

    /** The true costs of the maps at {@code indices}, {@code [B, k, k]}. */
    public float[] weights(int[] indices) {
        return gather(weights, indices);
    }

    /** The true paths of the maps at {@code indices}, {@code [B, k, k]}. */
    public float[] paths(int[] indices) {
        return gather(paths, indices);
    }

    private float[] gather(float[] values, int[] indices) {
        int cells = grid * grid;
        float[] out = new float[indices.length * cells];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(values, requireIndex(indices[b]) * cells, out, b * cells, cells);
        }
        return out;
    }

    private int requireIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(
                    "map index (" + index + ") must be between 0 and " + (size - 1) + " in split '" + name + "'");
        }
        return index;
    }

    @Override
    public String toString() {
        return "WarcraftSplit[" + name + ": " + size + " maps of " + imageSide + "x" + imageSide + " px, " + grid + "x"
                + grid + " grid]";
    }
}
