package dev.aimle.app.experiments.warcraft;

import dev.aimle.app.io.Npy;
import dev.aimle.app.io.NpyArray;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the Warcraft shortest-path files of Pogancic et al. (2020) as the reference's loader names
 * them: {@code {split}_maps.npy} (uint8 {@code [N, H, W, 3]}), {@code {split}_vertex_weights.npy}
 * ({@code [N, k, k]}, any float dtype or int64) and {@code {split}_shortest_paths.npy}
 * ({@code [N, k, k]} in {0, 1}; uint8, bool, float or int64), for {@code split} in {@code train},
 * {@code val}, {@code test}. Any grid size works (the original ships 12, 18, 24 and 30).
 *
 * <p>Every file is checked, and a malformed one is refused naming the file and what is wrong: the
 * dtype, the rank and shape, map sides that differ or that k does not divide, a count of maps that
 * differs between the three files, a cost that is not finite and positive, a path value other than 0
 * or 1, and a path that does not join the top-left to the bottom-right cell through 8-neighbours.
 * Whether a path is the cheapest is not checked (the solver's business, and the data's provenance).
 */
public final class WarcraftData {
    private WarcraftData() {}

    /** The three splits of a directory. */
    public record Splits(WarcraftSplit train, WarcraftSplit val, WarcraftSplit test) {}

    /** The maps file of {@code split} in {@code dir}. */
    public static Path mapsFile(Path dir, String split) {
        return dir.resolve(split + "_maps.npy");
    }

    /** The vertex-costs file of {@code split} in {@code dir}. */
    public static Path weightsFile(Path dir, String split) {
        return dir.resolve(split + "_vertex_weights.npy");
    }

    /** The shortest-paths file of {@code split} in {@code dir}. */
    public static Path pathsFile(Path dir, String split) {
        return dir.resolve(split + "_shortest_paths.npy");
    }

    /**
     * Reads {@code train}, {@code val} and {@code test}, and checks that they share the grid and map
     * sizes.
     *
     * @throws IOException naming the file, when one is missing or malformed
     */
    public static Splits load(Path dir) throws IOException {
        WarcraftSplit train = load(dir, "train");
        WarcraftSplit val = load(dir, "val");
        WarcraftSplit test = load(dir, "test");
        for (WarcraftSplit other : new WarcraftSplit[] {val, test}) {
            if (other.grid() != train.grid() || other.imageSide() != train.imageSide()) {
                throw new IOException("split '" + other.name() + "' in " + dir + " has " + other.imageSide()
                        + " px maps"
                        + " of a " + other.grid() + "x" + other.grid() + " grid, but 'train' has " + train.imageSide()
                        + " px maps of a " + train.grid() + "x" + train.grid() + " grid");
            }
        }
        return new Splits(train, val, test);
    }

    /**
     * Reads one split.
     *
     * @throws IOException naming the file, when one is missing or malformed
     */
    public static WarcraftSplit load(Path dir, String split) throws IOException {
        Path mapsPath = mapsFile(dir, split);
        Path weightsPath = weightsFile(dir, split);
        Path pathsPath = pathsFile(dir, split);
        NpyArray maps = read(mapsPath);
        if (maps.dtype() != Npy.DType.UINT8) {
            throw new IOException(
                    mapsPath + " has dtype '" + maps.dtype().descr() + "'; the maps must be uint8 ('|u1')");
        }
        int[] mapShape = maps.shape();
        if (mapShape.length != 4 || mapShape[3] != 3 || mapShape[1] != mapShape[2] || mapShape[1] == 0) {
            throw new IOException(mapsPath + " has shape " + Arrays.toString(mapShape)
                    + "; expected [N, H, H, 3]: square RGB maps, channels last");
        }
        NpyArray weights = read(weightsPath);
        if (weights.dtype() == Npy.DType.UINT8 || weights.dtype() == Npy.DType.BOOL) {
            throw new IOException(weightsPath + " has dtype '" + weights.dtype().descr() + "'; the vertex costs must"
                    + " be float ('<f2', '<f4', '<f8') or int64 ('<i8')");
        }
        int[] weightShape = weights.shape();
        if (weightShape.length != 3 || weightShape[1] != weightShape[2] || weightShape[1] == 0) {
            throw new IOException(weightsPath + " has shape " + Arrays.toString(weightShape)
                    + "; expected [N, k, k]: a square grid of vertex costs per map");
        }
        NpyArray paths = read(pathsPath);
        int[] pathShape = paths.shape();
        if (!Arrays.equals(pathShape, weightShape)) {
            throw new IOException(pathsPath + " has shape " + Arrays.toString(pathShape) + "; expected "
                    + Arrays.toString(weightShape) + ", the shape of " + weightsPath.getFileName());
        }
        int size = mapShape[0];
        if (weightShape[0] != size) {
            throw new IOException(weightsPath + " holds " + weightShape[0] + " grids but " + mapsPath.getFileName()
                    + " holds " + size + " maps");
        }
        int grid = weightShape[1];
        int side = mapShape[1];
        if (side % grid != 0) {
            throw new IOException(mapsPath + " has " + side + " px maps, which a " + grid + "x" + grid + " grid (from "
                    + weightsPath.getFileName() + ") does not divide into whole tiles");
        }
        float[] costs = weights.toFloatArray();
        for (int i = 0; i < costs.length; i++) {
            if (!(costs[i] > 0) || Float.isInfinite(costs[i])) {
                throw new IOException(weightsPath + " has cost " + costs[i] + " at " + where(i, grid)
                        + "; vertex costs must be finite and positive");
            }
        }
        float[] cells = paths.toFloatArray();
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != 0 && cells[i] != 1) {
                throw new IOException(
                        pathsPath + " has value " + cells[i] + " at " + where(i, grid) + "; expected 0 or 1");
            }
        }
        for (int n = 0; n < size; n++) {
            if (!PathMetrics.isValidPath(cells, n * grid * grid, grid)) {
                throw new IOException(pathsPath + ": the path of map " + n + " does not join the top-left to the"
                        + " bottom-right cell through 8-neighbours");
            }
        }
        return new WarcraftSplit(split, size, side, grid, maps.toByteArray(), costs, cells);
    }

    private static NpyArray read(Path file) throws IOException {
        try {
            return Npy.read(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(
                    file.toString(),
                    null,
                    "missing. Maybe generate a Warcraft-like set there first: aimle warcraft generate --out "
                            + file.getParent());
        }
    }

    private static String where(int flat, int grid) {
        int cells = grid * grid;
        return String.format(Locale.ROOT, "map %d, cell (%d, %d)", flat / cells, (flat % cells) / grid, flat % grid);
    }
}
