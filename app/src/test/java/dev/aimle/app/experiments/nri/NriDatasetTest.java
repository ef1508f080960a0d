package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.io.Npy;
import dev.aimle.app.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NriDatasetTest {
    @TempDir
    Path dir;

    private static NriDataset small(int count, int timesteps) {
        return new NriGenerator(7).generate(NriSplit.TRAIN, count, timesteps, 2, n -> {});
    }

    @Test
    void writesTheSstFileNamesShapesAndDtypes() throws IOException {
        NriDataset data = small(12, 10);
        data.write(dir, NriSplit.TRAIN);
        Path dataFile = dir.resolve("data_train_novar_1skip_10t_1r_graph10.npy");
        Path edgesFile = dir.resolve("edges_train_novar_1skip_10t_1r_graph10.npy");
        assertEquals(dataFile, NriDataset.dataFile(dir, NriSplit.TRAIN, 10));
        assertEquals(edgesFile, NriDataset.edgesFile(dir, NriSplit.TRAIN, 10));
        assertEquals("_novar_1skip_20t_1r_graph10", NriDataset.suffix(20));
        Npy.Header dataHeader = Npy.readHeader(dataFile);
        assertEquals(Npy.DType.FLOAT64, dataHeader.dtype());
        assertArrayEquals(new int[] {12, 10, 2, 10}, dataHeader.shape());
        Npy.Header edgesHeader = Npy.readHeader(edgesFile);
        assertEquals(Npy.DType.FLOAT32, edgesHeader.dtype());
        assertArrayEquals(new int[] {12, 10, 10}, edgesHeader.shape());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    @Test
    void loadReturnsWhatWasWritten() throws IOException {
        NriDataset data = small(9, 20);
        data.write(dir, NriSplit.VALID);
        NriDataset back = NriDataset.load(dir, NriSplit.VALID, 20);
        assertEquals(9, back.size());
        assertEquals(20, back.timesteps());
        assertArrayEquals(new int[] {9, 20, 2, 10}, back.trajectoryShape());
        assertArrayEquals(new int[] {9, 10, 10}, back.edgesShape());
        assertArrayEquals(data.trajectoriesFloat64(), back.trajectoriesFloat64());
        assertArrayEquals(data.trajectories(), back.trajectories());
        assertArrayEquals(data.edges(), back.edges());
        assertEquals(data.example(8), back.example(8));
        float[] all = back.trajectories();
        float[] four = back.trajectory(4);
        for (int j = 0; j < four.length; j++) {
            assertEquals(all[4 * 400 + j], four[j]);
        }
        float[] adjacency = back.adjacency(4);
        int[] tree = back.treeEdges(4);
        assertEquals(9, java.util.Arrays.stream(tree).sum());
        assertEquals(adjacency[2 * 10 + 5], tree[2 * 10 - 3 + (5 - 2 - 1)], "edge (2,5) is index 14 in both views");
    }

    @Test
    void normalisesAsTheSstLoaderDoes() {
        NriDataset data = small(5, 10);
        double min = data.min();
        double max = data.max();
        assertTrue(min >= -1 && max <= 1 && min < max, min + " " + max);
        float[] normalized = data.normalizedTrajectories(min, max);
        double[] raw = data.trajectoriesFloat64();
        for (int i = 0; i < raw.length; i++) {
            assertEquals((float) ((raw[i] - min) * 2 / (max - min) - 1), normalized[i]);
        }
        float lowest = Float.MAX_VALUE;
        float highest = -Float.MAX_VALUE;
        for (float v : normalized) {
            lowest = Math.min(lowest, v);
            highest = Math.max(highest, v);
        }
        assertEquals(-1f, lowest);
        assertEquals(1f, highest);
    }

    @Test
    void acceptsFloat32DataAndInt64Edges() throws IOException {
        NriDataset data = small(3, 10);
        Npy.write(
                NriDataset.dataFile(dir, NriSplit.TEST, 10),
                NpyArray.ofFloat32(data.trajectoryShape(), data.trajectories()));
        float[] edges = data.edges();
        long[] longs = new long[edges.length];
        for (int i = 0; i < edges.length; i++) {
            longs[i] = (long) edges[i];
        }
        Npy.write(NriDataset.edgesFile(dir, NriSplit.TEST, 10), NpyArray.ofInt64(data.edgesShape(), longs));
        NriDataset back = NriDataset.load(dir, NriSplit.TEST, 10);
        assertArrayEquals(data.trajectories(), back.trajectories());
        assertArrayEquals(edges, back.edges());
    }

    @Test
    void rejectsWrongShapesDtypesAndEdges() throws IOException {
        NriDataset data = small(4, 10);
        data.write(dir, NriSplit.TRAIN);

        IOException e = assertThrows(IOException.class, () -> NriDataset.load(dir, NriSplit.TRAIN, 20));
        assertTrue(
                e.getMessage().contains("no data_train_novar_1skip_20t_1r_graph10.npy")
                        && e.getMessage().contains("aimle nri generate"),
                e.getMessage());

        Path dataFile = NriDataset.dataFile(dir, NriSplit.TRAIN, 10);
        Npy.write(dataFile, NpyArray.ofFloat64(new int[] {4, 10, 10, 2}, data.trajectoriesFloat64()));
        e = assertThrows(IOException.class, () -> NriDataset.load(dir, NriSplit.TRAIN, 10));
        assertTrue(
                e.getMessage().contains(dataFile.toString())
                        && e.getMessage().contains("(4, 10, 10, 2)")
                        && e.getMessage().contains("(N, 10, 2, 10)"),
                e.getMessage());

        Npy.write(dataFile, NpyArray.ofInt64(data.trajectoryShape(), new long[4 * 200]));
        e = assertThrows(IOException.class, () -> NriDataset.load(dir, NriSplit.TRAIN, 10));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());

        Npy.write(dataFile, NpyArray.ofFloat64(new int[] {3, 10, 2, 10}, new double[600]));
        e = assertThrows(IOException.class, () -> NriDataset.load(dir, NriSplit.TRAIN, 10));
        assertTrue(e.getMessage().contains("holds 4 examples") && e.getMessage().contains("holds 3"), e.getMessage());

        data.write(dir, NriSplit.TRAIN);
        Path edgesFile = NriDataset.edgesFile(dir, NriSplit.TRAIN, 10);
        float[] edges = data.edges();
        edges[200 + 0 * 10 + 1] = 1 - edges[200 + 0 * 10 + 1];
        Npy.write(edgesFile, NpyArray.ofFloat32(data.edgesShape(), edges));
        e = assertThrows(IOException.class, () -> NriDataset.load(dir, NriSplit.TRAIN, 10));
        assertTrue(
                e.getMessage().contains(edgesFile.toString())
                        && e.getMessage().contains("example 2")
                        && e.getMessage().contains("symmetric"),
                e.getMessage());

        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> NriDataset.of(10, new double[200], new float[100]));
        assertTrue(bad.getMessage().contains("example 0") && bad.getMessage().contains("number 0"), bad.getMessage());
    }
}
