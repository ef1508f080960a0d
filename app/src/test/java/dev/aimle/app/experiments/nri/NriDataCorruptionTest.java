package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aimle.app.io.Npy;
import dev.aimle.app.io.NpyArray;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Non-finite positions are refused as what they are, naming the file and the entry; so is an empty split. */
class NriDataCorruptionTest {
    @TempDir
    Path dir;

    private static NriDataset small(NriSplit split, int count) {
        return new NriGenerator(7).generate(split, count, 10, 1, n -> {});
    }

    @Test
    void infinityOrNaNInThePositionsIsReportedAsSuchNamingTheFileAndTheEntry() throws IOException {
        NriDataset data = small(NriSplit.TRAIN, 4);
        Path file = NriDataset.dataFile(dir, NriSplit.TRAIN, 10);
        double[] values = data.trajectoriesFloat64();
        // example 2, step 3, coordinate y, vertex 4 of [N, T, 2, 10]
        int at = ((2 * 10 + 3) * 2 + 1) * 10 + 4;
        for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NaN}) {
            data.write(dir, NriSplit.TRAIN);
            double[] damaged = values.clone();
            damaged[at] = bad;
            Npy.write(file, NpyArray.ofFloat64(data.trajectoryShape(), damaged));
            IOException e = assertThrows(IOException.class, () -> NriDataset.load(dir, NriSplit.TRAIN, 10));
            assertEquals(
                    file + ": the y position of vertex 4 at step 3 of example 2 is " + bad
                            + "; positions must be finite",
                    e.getMessage());
        }
    }

    @Test
    void anEmptySplitIsRefusedNamingItsFile() throws IOException {
        small(NriSplit.TRAIN, 6).write(dir, NriSplit.TRAIN);
        small(NriSplit.VALID, 3).write(dir, NriSplit.VALID);
        small(NriSplit.TEST, 0).write(dir, NriSplit.TEST);
        IOException e = assertThrows(IOException.class, () -> NriData.load(dir, 10));
        assertEquals(NriDataset.dataFile(dir, NriSplit.TEST, 10) + " holds no examples", e.getMessage());
    }
}
