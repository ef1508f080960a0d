package dev.aimle.app.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint is verified whole against the checksums written with it before anything loads. */
class TrainingCheckpointChecksumTest {
    @TempDir
    Path dir;

    private static Model model(String name, int seed) {
        Model model = Model.newInstance(name);
        model.setBlock(Linear.builder().setUnits(16).build());
        Engine.getInstance().setRandomSeed(seed);
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(4, 32));
        return model;
    }

    private static float[] weights(Block block) {
        return block.getParameters().get("weight").getArray().toFloatArray();
    }

    @Test
    void aCheckpointRoundTripsAndABitFlipOrACutIsRefusedNamingTheFile() throws IOException {
        try (Model saved = model("saved", 1);
                Model loaded = model("loaded", 2)) {
            ResumableAdam adam = new ResumableAdam(0.01f);
            TrainingCheckpoint.save(dir, saved.getBlock(), adam);
            TrainingCheckpoint.restore(dir, loaded.getBlock(), loaded.getNDManager(), new ResumableAdam(0.01f));
            assertArrayEquals(weights(saved.getBlock()), weights(loaded.getBlock()), "the round trip");

            Path parameters = dir.resolve(TrainingCheckpoint.PARAMETERS);
            byte[] good = Files.readAllBytes(parameters);
            byte[] flipped = good.clone();
            flipped[good.length - 100] ^= 0x04; // inside the last parameter's values
            Files.write(parameters, flipped);
            IOException e = assertThrows(
                    IOException.class,
                    () -> TrainingCheckpoint.restore(
                            dir, loaded.getBlock(), loaded.getNDManager(), new ResumableAdam(0.01f)));
            assertTrue(
                    e.getMessage().startsWith(parameters + " is damaged: its CRC-32C and length are "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" away to start that run afresh"), e.getMessage());

            Files.write(parameters, good);
            Path optimizer = dir.resolve(TrainingCheckpoint.OPTIMIZER);
            byte[] state = Files.readAllBytes(optimizer);
            Files.write(optimizer, Arrays.copyOf(state, state.length - 1));
            e = assertThrows(
                    IOException.class,
                    () -> TrainingCheckpoint.restore(
                            dir, loaded.getBlock(), loaded.getNDManager(), new ResumableAdam(0.01f)));
            assertTrue(e.getMessage().startsWith(optimizer + " is damaged: "), e.getMessage());
        }
    }

    @Test
    void aWriteThatFailsNamesTheFile() {
        Block full = new SequentialBlock() {
            @Override
            public void saveParameters(DataOutputStream os) throws IOException {
                // what a full disk says, without a file name
                throw new IOException("No space left on device");
            }
        };
        IOException e =
                assertThrows(IOException.class, () -> TrainingCheckpoint.save(dir, full, new ResumableAdam(0.01f)));
        assertEquals(
                "cannot write " + dir.resolve(TrainingCheckpoint.PARAMETERS) + ": No space left on device",
                e.getMessage());
    }
}
