package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.grid.BruteForcePaths;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarcraftGeneratorTest {

    @Test
    void sameSeedSameMapsWhateverTheThreadsAndCount() {
        WarcraftSplit one = new WarcraftGenerator(12, 8, 3).generate("train", 20, 1, n -> {});
        WarcraftSplit two = new WarcraftGenerator(12, 8, 3).generate("train", 30, 2, n -> {});
        int pixels = 96 * 96 * 3;
        assertArrayEquals(one.maps(), Arrays.copyOf(two.maps(), 20 * pixels));
        assertArrayEquals(one.weights(), Arrays.copyOf(two.weights(), 20 * 144));
        assertArrayEquals(one.paths(), Arrays.copyOf(two.paths(), 20 * 144));
        WarcraftSplit otherSeed = new WarcraftGenerator(12, 8, 4).generate("train", 20, 1, n -> {});
        assertFalse(Arrays.equals(one.weights(), otherSeed.weights()));
        WarcraftSplit otherSplit = new WarcraftGenerator(12, 8, 3).generate("val", 20, 1, n -> {});
        assertFalse(Arrays.equals(one.weights(), otherSplit.weights()));
    }

    @Test
    void pathsAreTheCheapestOnTheTrueCosts() {
        WarcraftSplit split = new WarcraftGenerator(3, 8, 11).generate("test", 40, 2, n -> {});
        for (int n = 0; n < split.size(); n++) {
            float[] costs = Arrays.copyOfRange(split.weights(), n * 9, n * 9 + 9);
            float[] path = Arrays.copyOfRange(split.paths(), n * 9, n * 9 + 9);
            assertEquals(
                    BruteForcePaths.cheapestCost(costs, 3, true),
                    BruteForcePaths.cost(costs, path),
                    1e-4,
                    "map " + n + " (seed 11)");
        }
    }

    @Test
    void costsAreTheOriginalTerrainCostsAndEveryTerrainOccurs() {
        WarcraftSplit split = new WarcraftGenerator(12, 8, 1).generate("train", 50, 2, n -> {});
        Set<Float> allowed = Set.of(0.8f, 1.2f, 5.3f, 7.7f, 9.2f);
        int[] counts = new int[5];
        for (float w : split.weights()) {
            assertTrue(allowed.contains(w), "cost " + w);
            for (Terrain t : Terrain.values()) {
                if (t.cost() == w) {
                    counts[t.ordinal()]++;
                }
            }
        }
        for (Terrain t : Terrain.values()) {
            double share = counts[t.ordinal()] / (50.0 * 144);
            assertTrue(share > 0.05 && share < 0.5, t + " share " + share);
        }
    }

    @Test
    void colourVariesFromMapToMapButTexturesTellTheTerrainsApart() {
        int maps = 40;
        WarcraftSplit split = new WarcraftGenerator(12, 8, 2).generate("train", maps, 2, n -> {});
        // per tile: mean of each channel and the standard deviation of its brightness
        int tiles = maps * 144;
        double[][] features = new double[tiles][4];
        int[] labels = new int[tiles];
        double[] grassRed = new double[maps];
        int[] grassCount = new int[maps];
        for (int n = 0; n < maps; n++) {
            for (int cell = 0; cell < 144; cell++) {
                int tile = n * 144 + cell;
                double[] f = features[tile];
                double sum = 0;
                double squares = 0;
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int at = n * 96 * 96 * 3 + (((cell / 12) * 8 + y) * 96 + (cell % 12) * 8 + x) * 3;
                        double brightness = 0;
                        for (int c = 0; c < 3; c++) {
                            int v = split.maps()[at + c] & 0xFF;
                            f[c] += v / 64.0;
                            brightness += v / 3.0;
                        }
                        sum += brightness;
                        squares += brightness * brightness;
                    }
                }
                f[3] = Math.sqrt(Math.max(squares / 64 - (sum / 64) * (sum / 64), 0));
                float cost = split.weights()[tile];
                for (Terrain t : Terrain.values()) {
                    if (t.cost() == cost) {
                        labels[tile] = t.ordinal();
                    }
                }
                if (labels[tile] == Terrain.GRASS.ordinal()) {
                    grassRed[n] += f[0];
                    grassCount[n]++;
                }
            }
        }
        double[] perMap = new double[maps];
        int m = 0;
        for (int n = 0; n < maps; n++) {
            if (grassCount[n] > 0) {
                perMap[m++] = grassRed[n] / grassCount[n];
            }
        }
        double[] present = Arrays.copyOf(perMap, m);
        double spread = Arrays.stream(present).max().orElseThrow()
                - Arrays.stream(present).min().orElseThrow();
        assertTrue(spread > 15, "the mean red of grass tiles should vary across maps by more than 15, got " + spread);
        // nearest centroid on the first half, scored on the second: the terrain is in the pixels
        double[][] centroid = new double[5][4];
        int[] count = new int[5];
        for (int tile = 0; tile < tiles / 2; tile++) {
            for (int d = 0; d < 4; d++) {
                centroid[labels[tile]][d] += features[tile][d];
            }
            count[labels[tile]]++;
        }
        for (int t = 0; t < 5; t++) {
            for (int d = 0; d < 4; d++) {
                centroid[t][d] /= count[t];
            }
        }
        int right = 0;
        for (int tile = tiles / 2; tile < tiles; tile++) {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int t = 0; t < 5; t++) {
                double distance = 0;
                for (int d = 0; d < 4; d++) {
                    distance += Math.pow(features[tile][d] - centroid[t][d], 2);
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = t;
                }
            }
            right += best == labels[tile] ? 1 : 0;
        }
        double accuracy = right / (tiles / 2.0);
        assertTrue(accuracy > 0.9, "nearest-centroid tile accuracy " + accuracy);
    }

    @Test
    void reportsProgressAndRefusesBadArguments() {
        AtomicInteger done = new AtomicInteger();
        new WarcraftGenerator(6, 8, 0).generate("val", 7, 2, done::addAndGet);
        assertEquals(7, done.get());
        assertThrows(IllegalArgumentException.class, () -> new WarcraftGenerator(1, 8, 0));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new WarcraftGenerator(6, 8, 0).generate("dev", 1, 1, n -> {}));
        assertTrue(e.getMessage().contains("'dev'"), e.getMessage());
    }
}
