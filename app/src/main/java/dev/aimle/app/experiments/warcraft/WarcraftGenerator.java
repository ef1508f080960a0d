package dev.aimle.app.experiments.warcraft;

import dev.aimle.api.grid.GridDijkstra;
import dev.aimle.app.io.Npy;
import dev.aimle.app.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Writes a Warcraft-like shortest-path data set in exactly the layout of the original (Pogancic et
 * al. 2020): {@code {train,val,test}_maps.npy} uint8 {@code [N, 8k, 8k, 3]},
 * {@code _vertex_weights.npy} float32 {@code [N, k, k]} and {@code _shortest_paths.npy} float32
 * {@code [N, k, k]}, which {@link WarcraftData} reads back.
 *
 * <p><b>A map.</b> Terrain is laid out from a smooth random field (a coarse lattice of uniform
 * values, about one point per four cells, interpolated bilinearly, plus white noise), so that like
 * the original it comes in patches: the cells are ranked by the field and the lowest share becomes
 * water, then grass, earth, forest and mountains, with shares drawn per map around 12/38/20/20/10 %.
 * Costs are the {@link Terrain} costs of the original. Each tile is drawn as an 8×8 textured patch
 * (grass speckles, pebbles, tree crowns, wave lines, a lit mountain ridge) whose colours, brightness
 * and tint vary from map to map and whose texture varies from tile to tile, so that no fixed colour
 * identifies a terrain and a network must learn the costs from the pixels. The true path is the
 * cheapest top-left to bottom-right path through 8-neighbours on the true costs, computed by {@link
 * GridDijkstra} exactly as the shortest-path solver computes it (float32 sums, the reference's tie
 * rule): among paths of equal cost the true path is the one the solver returns, so a model that
 * predicts the true costs scores 100 % perfect match.
 *
 * <p><b>Determinism.</b> Map i of a split depends only on the seed, the split and i: the same for any
 * count and any number of threads.
 */
public final class WarcraftGenerator {
    /** The splits, in the order the reference reads them. */
    public static final List<String> SPLITS = List.of("train", "val", "test");

    private static final double[] BASE_SHARES = {0.38, 0.20, 0.20, 0.12, 0.10}; // grass earth forest water mountain
    private static final Terrain[] BY_ELEVATION = {
        Terrain.WATER, Terrain.GRASS, Terrain.EARTH, Terrain.FOREST, Terrain.MOUNTAIN
    };

    private final int grid;
    private final int tilePixels;
    private final long seed;

    /**
     * A generator.
     *
     * @param grid k, the side of the grid (12 in the paper; the original also has 18, 24 and 30)
     * @param tilePixels the side of a tile in pixels (8 in the original)
     * @param seed the seed of every map
     * @throws IllegalArgumentException when grid is below 2 or tilePixels below 4
     */
    public WarcraftGenerator(int grid, int tilePixels, long seed) {
        if (grid < 2 || grid > 100) {
            throw new IllegalArgumentException("grid (" + grid + ") must be between 2 and 100");
        }
        if (tilePixels < 4 || tilePixels > 64) {
            throw new IllegalArgumentException("tilePixels (" + tilePixels + ") must be between 4 and 64");
        }
        this.grid = grid;
        this.tilePixels = tilePixels;
        this.seed = seed;
    }

    /** k. */
    public int grid() {
        return grid;
    }

    /** The side of a map in pixels, {@code k * tilePixels}. */
    public int imageSide() {
        return grid * tilePixels;
    }

    /**
     * Generates {@code count} maps of a split.
     *
     * @param split {@code train}, {@code val} or {@code test}
     * @param threads the worker threads; the maps do not depend on it
     * @param done called with 1 for every finished map (from worker threads)
     */
    public WarcraftSplit generate(String split, int count, int threads, IntConsumer done) {
        int splitId = SPLITS.indexOf(split);
        if (splitId < 0) {
            throw new IllegalArgumentException("split '" + split + "' must be one of " + SPLITS);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count (" + count + ") must be at least 0");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads (" + threads + ") must be at least 1");
        }
        int side = imageSide();
        int cells = grid * grid;
        byte[] maps = new byte[count * side * side * 3];
        float[] weights = new float[count * cells];
        float[] paths = new float[count * cells];
        ThreadLocal<GridDijkstra> dijkstra = ThreadLocal.withInitial(() -> new GridDijkstra(true));
        Runnable work = () -> IntStream.range(0, count).parallel().forEach(i -> {
            drawMap(new SplittableRandom(mapSeed(splitId, i)), maps, i * side * side * 3, weights, i * cells);
            dijkstra.get().solve(weights, i * cells, grid, grid, paths, i * cells);
            done.accept(1);
        });
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(work).join();
        } finally {
            pool.shutdown();
        }
        return new WarcraftSplit(split, count, side, grid, maps, weights, paths);
    }

    /**
     * Generates the three splits and writes their nine files into {@code dir} (created if needed;
     * each file through a temporary sibling and a rename).
     *
     * @param counts the number of maps of train, val and test
     * @return the splits written
     */
    public List<WarcraftSplit> write(Path dir, int[] counts, int threads, IntConsumer done) throws IOException {
        if (counts.length != SPLITS.size()) {
            throw new IllegalArgumentException("counts must hold " + SPLITS.size() + " values, got " + counts.length);
        }
        Files.createDirectories(dir);
        List<WarcraftSplit> out = new ArrayList<>();
        for (int s = 0; s < counts.length; s++) {
            WarcraftSplit split = generate(SPLITS.get(s), counts[s], threads, done);
            write(dir, split);
            out.add(split);
        }
        return out;
    }

    /** Writes one split's three files into {@code dir}, created if needed. */
    public static void write(Path dir, WarcraftSplit split) throws IOException {
        Files.createDirectories(dir);
        int n = split.size();
        int k = split.grid();
        int side = split.imageSide();
        Npy.write(
                WarcraftData.mapsFile(dir, split.name()), NpyArray.ofUint8(new int[] {n, side, side, 3}, split.maps()));
        Npy.write(
                WarcraftData.weightsFile(dir, split.name()), NpyArray.ofFloat32(new int[] {n, k, k}, split.weights()));
        Npy.write(WarcraftData.pathsFile(dir, split.name()), NpyArray.ofFloat32(new int[] {n, k, k}, split.paths()));
    }

    /** A seed for map i of a split: the seed, the split and i mixed (SplitMix64's finaliser). */
    private long mapSeed(int splitId, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + splitId * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void drawMap(SplittableRandom random, byte[] maps, int mapOffset, float[] weights, int weightOffset) {
        Terrain[] terrain = layout(random);
        for (int i = 0; i < terrain.length; i++) {
            weights[weightOffset + i] = terrain[i].cost();
        }
        // The map's look: a brightness, a tint per channel, and per terrain a jitter of its colour.
        double brightness = 0.85 + 0.3 * random.nextDouble();
        double[] tint = new double[3];
        for (int c = 0; c < 3; c++) {
            tint[c] = -12 + 24 * random.nextDouble();
        }
        double[][] colour = new double[Terrain.values().length][3];
        for (Terrain t : Terrain.values()) {
            for (int c = 0; c < 3; c++) {
                colour[t.ordinal()][c] = t.base(c) - 10 + 20 * random.nextDouble();
            }
        }
        int side = imageSide();
        double[] tile = new double[tilePixels * tilePixels * 3];
        for (int cell = 0; cell < terrain.length; cell++) {
            texture(terrain[cell], colour[terrain[cell].ordinal()], random, tile);
            int top = (cell / grid) * tilePixels;
            int left = (cell % grid) * tilePixels;
            for (int y = 0; y < tilePixels; y++) {
                for (int x = 0; x < tilePixels; x++) {
                    int at = mapOffset + ((top + y) * side + left + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        double v = (tile[(y * tilePixels + x) * 3 + c] + tint[c]) * brightness;
                        // pixels saturate as on a screen: the drawing, not the data, is bounded here
                        maps[at + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                    }
                }
            }
        }
    }

    /** The terrain of every cell, from a smooth random field ranked into per-map shares. */
    private Terrain[] layout(SplittableRandom random) {
        int lattice = Math.max(2, (grid + 3) / 4) + 1;
        double[] points = new double[lattice * lattice];
        for (int i = 0; i < points.length; i++) {
            points[i] = random.nextDouble();
        }
        int n = grid * grid;
        double[] field = new double[n];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                double y = (r + 0.5) / grid * (lattice - 1);
                double x = (c + 0.5) / grid * (lattice - 1);
                int y0 = (int) y;
                int x0 = (int) x;
                double fy = y - y0;
                double fx = x - x0;
                double top = points[y0 * lattice + x0] * (1 - fx) + points[y0 * lattice + x0 + 1] * fx;
                double bottom = points[(y0 + 1) * lattice + x0] * (1 - fx) + points[(y0 + 1) * lattice + x0 + 1] * fx;
                field[r * grid + c] = top * (1 - fy) + bottom * fy + 0.12 * gaussian(random);
            }
        }
        double[] shares = new double[BASE_SHARES.length];
        double total = 0;
        for (int t = 0; t < shares.length; t++) {
            shares[t] = BASE_SHARES[t] * Math.exp(0.4 * gaussian(random));
            total += shares[t];
        }
        // cumulative shares in elevation order: water, grass, earth, forest, mountain
        int[] order = {3, 0, 1, 2, 4};
        Integer[] ranked = new Integer[n];
        for (int i = 0; i < n; i++) {
            ranked[i] = i;
        }
        Arrays.sort(ranked, (a, b) -> Double.compare(field[a], field[b])); // stable: ties by index
        Terrain[] terrain = new Terrain[n];
        double cumulative = 0;
        int next = 0;
        for (int level = 0; level < order.length; level++) {
            cumulative += shares[order[level]] / total;
            int end = level == order.length - 1 ? n : (int) Math.round(cumulative * n);
            for (; next < end; next++) {
                terrain[ranked[next]] = BY_ELEVATION[level];
            }
        }
        return terrain;
    }

    /** One tile's pixels {@code [t, t, 3]} (before tint and brightness) for a terrain type. */
    private void texture(Terrain terrain, double[] colour, SplittableRandom random, double[] tile) {
        int t = tilePixels;
        int phase = random.nextInt(t);
        double offset = (random.nextDouble() - 0.5) * t * 0.6;
        double[][] crowns = new double[2 + random.nextInt(2)][];
        for (int i = 0; i < crowns.length; i++) {
            crowns[i] = new double[] {
                random.nextDouble() * t, random.nextDouble() * t, 0.2 * t + random.nextDouble() * 0.12 * t
            };
        }
        for (int y = 0; y < t; y++) {
            for (int x = 0; x < t; x++) {
                double shade = 0;
                double greenOnly = 0;
                switch (terrain) {
                    case GRASS -> {
                        shade = 12 * gaussian(random);
                        greenOnly = random.nextDouble() < 0.12 ? 35 : 0;
                    }
                    case EARTH -> shade = 8 * gaussian(random) + (random.nextDouble() < 0.15 ? -35 : 0);
                    case FOREST -> {
                        shade = 6 * gaussian(random);
                        for (double[] crown : crowns) {
                            double dy = y + 0.5 - crown[1];
                            double dx = x + 0.5 - crown[0];
                            if (dx * dx + dy * dy <= crown[2] * crown[2]) {
                                greenOnly = 30;
                                shade += 6;
                            }
                        }
                    }
                    case WATER -> shade = 5 * gaussian(random) + ((y + phase) % 3 == 0 && x != phase ? 35 : 0);
                    case MOUNTAIN -> shade = 10 * gaussian(random) + (x - y + offset > 0 ? 40 : -25);
                }
                int at = (y * t + x) * 3;
                tile[at] = colour[0] + shade;
                tile[at + 1] = colour[1] + shade + greenOnly;
                tile[at + 2] = colour[2] + shade;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller from two uniforms: SplittableRandom has no nextGaussian in Java 17
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
