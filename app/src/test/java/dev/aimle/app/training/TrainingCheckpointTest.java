package dev.aimle.app.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint that cannot be used is refused naming the file, what is wrong and the way out. */
class TrainingCheckpointTest {

    private static Model model(String name) {
        Model model = Model.newInstance(name);
        model.setBlock(Linear.builder().setUnits(3).build());
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 4));
        return model;
    }

    @Test
    void aTruncatedCheckpointIsRefusedNamingTheFile(@TempDir Path run) throws IOException {
        Path checkpoint = Files.createDirectories(run.resolve("checkpoint-0001"));
        try (Model saved = model("saved");
                Model restored = model("restored")) {
            TrainingCheckpoint.save(checkpoint, saved.getBlock(), new ResumableAdam(0.01f));
            TrainingCheckpoint.restore(
                    checkpoint, restored.getBlock(), restored.getNDManager(), new ResumableAdam(0.01f));
            for (String name : new String[] {TrainingCheckpoint.PARAMETERS, TrainingCheckpoint.OPTIMIZER}) {
                TrainingCheckpoint.save(checkpoint, saved.getBlock(), new ResumableAdam(0.01f));
                Path file = checkpoint.resolve(name);
                byte[] bytes = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
                IOException e = assertThrows(
                        IOException.class,
                        () -> TrainingCheckpoint.restore(
                                checkpoint, restored.getBlock(), restored.getNDManager(), new ResumableAdam(0.01f)));
                // the checksums written with the checkpoint catch the cut before the reader meets its end
                assertTrue(e.getMessage().startsWith(file + " is damaged: "), e.getMessage());
                assertTrue(e.getMessage().endsWith("Move " + run + " away to start that run afresh"), e.getMessage());
            }
        }
    }
}
