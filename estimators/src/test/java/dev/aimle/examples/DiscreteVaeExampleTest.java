package dev.aimle.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.layer.DiscreteLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The README example runs, AIMLE adapts inside DJL's loop, and the README quotes the example's code. */
class DiscreteVaeExampleTest {

    @Test
    void theExampleTrainsAFewStepsWithEasyTrain() throws Exception {
        DiscreteLayer layer = DiscreteVaeExample.layer();
        try (NDManager m = NDManager.newBaseManager()) {
            // 400 binary "images": 8 random prototypes with 5 % of the pixels flipped
            SplittableRandom random = new SplittableRandom(3);
            float[][] prototypes = new float[8][784];
            for (float[] p : prototypes) {
                for (int i = 0; i < 784; i++) {
                    p[i] = random.nextDouble() < 0.3 ? 1 : 0;
                }
            }
            float[] pixels = new float[400 * 784];
            for (int n = 0; n < 400; n++) {
                for (int i = 0; i < 784; i++) {
                    float v = prototypes[n % 8][i];
                    pixels[n * 784 + i] = random.nextDouble() < 0.05 ? 1 - v : v;
                }
            }
            NDArray images = m.create(pixels, new Shape(400, 784));
            ArrayDataset data = new ArrayDataset.Builder()
                    .setData(images)
                    .optLabels(images)
                    .setSampling(100, true)
                    .build();
            TrainingResult result = DiscreteVaeExample.train(layer, data, 2);
            float loss = result.getTrainLoss();
            System.out.printf("README example: training loss %.2f after 2 epochs (8 steps)%n", loss);
            assertTrue(
                    Float.isFinite(loss) && loss > 0 && loss < 784 * Math.log(2) + 20 * Math.log(20),
                    "the loss per image must be finite and below that of uniform logits: " + loss);
            Aimle aimle = (Aimle) layer.estimator();
            assertTrue(aimle.steps() == 8 && aimle.alpha() > 0, "AIMLE stepped 8 times: " + aimle);
        }
    }

    @Test
    void theReadmeQuotesTheExample() throws Exception {
        Path source = Path.of("src/test/java/dev/aimle/examples/DiscreteVaeExample.java");
        String readme = Files.readString(Path.of("../README.md"));
        List<String> lines = Files.readAllLines(source);
        int begin = lines.indexOf("    // README:begin");
        int end = lines.indexOf("    // README:end");
        assertTrue(begin >= 0 && end > begin, "markers in " + source);
        for (String line : lines.subList(begin + 1, end)) {
            String quoted = line.length() >= 4 ? line.substring(4) : line.strip();
            assertTrue(readme.contains(quoted), "README.md does not quote this line of " + source + ":\n" + quoted);
        }
    }
}
