package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.io.Npy;
import dev.aimle.app.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarcraftDataTest {
    @TempDir
    Path dir;

    private WarcraftGenerator generator;

    @BeforeEach
    void generate() throws IOException {
        generator = new WarcraftGenerator(4, 8, 5);
        generator.write(dir, new int[] {6, 3, 2}, 2, n -> {});
    }

    @Test
    void readsWhatTheGeneratorWrote() throws IOException {
        WarcraftData.Splits splits = WarcraftData.load(dir);
        assertEquals(6, splits.train().size());
        assertEquals(3, splits.val().size());
        assertEquals(2, splits.test().size());
        assertEquals(4, splits.train().grid());
        assertEquals(32, splits.train().imageSide());
        WarcraftSplit again = generator.generate("val", 3, 1, n -> {});
        assertArrayEquals(again.maps(), splits.val().maps());
        assertArrayEquals(again.weights(), splits.val().weights());
        assertArrayEquals(again.paths(), splits.val().paths());
        assertEquals(
                Npy.DType.FLOAT32,
                Npy.readHeader(WarcraftData.weightsFile(dir, "val")).dtype());
    }

    @Test
    void readsOtherDtypesOfTheOriginal() throws IOException {
        // the original's paths or weights may be stored as float64 or int64: read the same values
        WarcraftSplit test = WarcraftData.load(dir, "test");
        double[] weights = new double[test.weights().length];
        long[] paths = new long[test.paths().length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = test.weights()[i];
            paths[i] = (long) test.paths()[i];
        }
        Npy.write(WarcraftData.weightsFile(dir, "test"), NpyArray.ofFloat64(new int[] {2, 4, 4}, weights));
        Npy.write(WarcraftData.pathsFile(dir, "test"), NpyArray.ofInt64(new int[] {2, 4, 4}, paths));
        WarcraftSplit reread = WarcraftData.load(dir, "test");
        assertArrayEquals(test.weights(), reread.weights());
        assertArrayEquals(test.paths(), reread.paths());
    }

    @Test
    void readsBoolPaths() throws IOException {
        WarcraftSplit test = WarcraftData.load(dir, "test");
        byte[] paths = new byte[test.paths().length];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = (byte) test.paths()[i];
        }
        Npy.write(WarcraftData.pathsFile(dir, "test"), NpyArray.ofBool(new int[] {2, 4, 4}, paths));
        assertArrayEquals(test.paths(), WarcraftData.load(dir, "test").paths());
    }

    @Test
    void missingFileNamesItAndSaysHowToMakeOne() throws IOException {
        Files.delete(WarcraftData.pathsFile(dir, "val"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> WarcraftData.load(dir));
        assertTrue(e.getMessage().contains("val_shortest_paths.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("aimle warcraft generate"), e.getMessage());
        Files.createDirectory(WarcraftData.pathsFile(dir, "val"));
        e = assertThrows(NoSuchFileException.class, () -> WarcraftData.load(dir));
        assertTrue(e.getMessage().contains("val_shortest_paths.npy"), e.getMessage());
    }

    @Test
    void refusesCostsThatAreBytes() throws IOException {
        Npy.write(WarcraftData.weightsFile(dir, "test"), NpyArray.ofUint8(new int[] {2, 4, 4}, new byte[32]));
        assertRefused("test", "test_vertex_weights.npy has dtype '|u1'; the vertex costs must be float");
    }

    @Test
    void refusesMapsThatAreNotUint8() throws IOException {
        Npy.write(WarcraftData.mapsFile(dir, "test"), NpyArray.ofFloat32(new int[] {2, 32, 32, 3}, new float[6144]));
        assertRefused("test", "test_maps.npy has dtype '<f4'; the maps must be uint8");
    }

    @Test
    void refusesMapsOfTheWrongShape() throws IOException {
        Npy.write(
                WarcraftData.mapsFile(dir, "test"),
                NpyArray.ofUint8(new int[] {2, 32, 30, 3}, new byte[2 * 32 * 30 * 3]));
        assertRefused("test", "test_maps.npy has shape [2, 32, 30, 3]; expected [N, H, H, 3]");
    }

    @Test
    void refusesCountsThatDiffer() throws IOException {
        Npy.write(
                WarcraftData.mapsFile(dir, "test"),
                NpyArray.ofUint8(new int[] {3, 32, 32, 3}, new byte[3 * 32 * 32 * 3]));
        assertRefused("test", "test_vertex_weights.npy holds 2 grids but test_maps.npy holds 3 maps");
    }

    @Test
    void refusesAGridThatDoesNotDivideTheMaps() throws IOException {
        Npy.write(
                WarcraftData.mapsFile(dir, "test"),
                NpyArray.ofUint8(new int[] {2, 30, 30, 3}, new byte[2 * 30 * 30 * 3]));
        assertRefused("test", "test_maps.npy has 30 px maps, which a 4x4 grid");
    }

    @Test
    void refusesPathsOfAnotherShape() throws IOException {
        Npy.write(WarcraftData.pathsFile(dir, "test"), NpyArray.ofFloat32(new int[] {2, 16}, new float[32]));
        assertRefused("test", "test_shortest_paths.npy has shape [2, 16]; expected [2, 4, 4]");
    }

    @Test
    void refusesCostsThatAreNotPositive() throws IOException {
        WarcraftSplit test = WarcraftData.load(dir, "test");
        float[] weights = test.weights().clone();
        weights[16 + 5] = 0f;
        Npy.write(WarcraftData.weightsFile(dir, "test"), NpyArray.ofFloat32(new int[] {2, 4, 4}, weights));
        assertRefused("test", "test_vertex_weights.npy has cost 0.0 at map 1, cell (1, 1)");
        weights[16 + 5] = Float.NaN;
        Npy.write(WarcraftData.weightsFile(dir, "test"), NpyArray.ofFloat32(new int[] {2, 4, 4}, weights));
        assertRefused("test", "has cost NaN at map 1, cell (1, 1)");
    }

    @Test
    void refusesPathValuesOtherThanZeroAndOne() throws IOException {
        WarcraftSplit test = WarcraftData.load(dir, "test");
        float[] paths = test.paths().clone();
        paths[3] = 0.5f;
        Npy.write(WarcraftData.pathsFile(dir, "test"), NpyArray.ofFloat32(new int[] {2, 4, 4}, paths));
        assertRefused("test", "test_shortest_paths.npy has value 0.5 at map 0, cell (0, 3); expected 0 or 1");
    }

    @Test
    void refusesAPathThatDoesNotReachTheCorner() throws IOException {
        WarcraftSplit test = WarcraftData.load(dir, "test");
        float[] paths = test.paths().clone();
        paths[16 + 15] = 0f;
        Npy.write(WarcraftData.pathsFile(dir, "test"), NpyArray.ofFloat32(new int[] {2, 4, 4}, paths));
        assertRefused("test", "test_shortest_paths.npy: the path of map 1 does not join");
    }

    @Test
    void refusesSplitsOfDifferentGrids() throws IOException {
        new WarcraftGenerator(5, 8, 1).write(dir.resolve("five"), new int[] {0, 0, 2}, 1, n -> {});
        for (String suffix : new String[] {"_maps.npy", "_vertex_weights.npy", "_shortest_paths.npy"}) {
            Files.copy(
                    dir.resolve("five").resolve("test" + suffix),
                    dir.resolve("test" + suffix),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        IOException e = assertThrows(IOException.class, () -> WarcraftData.load(dir));
        assertTrue(e.getMessage().contains("split 'test'") && e.getMessage().contains("5x5 grid"), e.getMessage());
    }

    private void assertRefused(String split, String expected) {
        IOException e = assertThrows(IOException.class, () -> WarcraftData.load(dir, split));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
