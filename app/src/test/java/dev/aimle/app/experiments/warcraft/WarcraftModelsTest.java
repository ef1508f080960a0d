package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class WarcraftModelsTest {

    private static NDArray forward(NDManager manager, Block block, Shape input, boolean training) {
        block.initialize(manager, DataType.FLOAT32, input);
        NDArray x = manager.randomNormal(0, 1, input, DataType.FLOAT32);
        return block.forward(new ParameterStore(manager, false), new NDList(x), training)
                .singletonOrThrow();
    }

    @Test
    void combResNet18MapsImagesToNonNegativeCostGrids() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray costs = forward(manager, WarcraftModels.combResNet18(12), new Shape(2, 3, 96, 96), false);
            assertEquals(new Shape(2, 12, 12), costs.getShape());
            assertTrue(costs.min().getFloat() >= 0, "abs makes every cost at least 0");
            NDArray large = forward(manager, WarcraftModels.combResNet18(30), new Shape(1, 3, 240, 240), true);
            assertEquals(new Shape(1, 30, 30), large.getShape());
        }
    }

    @Test
    void combResNet18HasTheReferencesTrainableParameterCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = WarcraftModels.combResNet18(12);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 96, 96));
            // conv1 3*64*49 + bn1 2*64 + layer1: 2 blocks of (2 convs 64*64*9 + 2 bns 2*64); see
            // scripts/warcraft_reference_bench.py
            assertEquals(9408 + 128 + 2 * (2 * 36864 + 2 * 128), WarcraftModels.trainableParameters(block));
            assertEquals(157_504, WarcraftModels.trainableParameters(block));
            // torchvision's init: the first convolution's weights have std sqrt(2 / fan_out) = sqrt(2 / (64*49))
            NDArray first = block.getParameters().get(0).getValue().getArray();
            assertEquals(new Shape(64, 3, 7, 7), first.getShape());
            double std = Math.sqrt(first.mul(first).mean().getFloat());
            assertEquals(Math.sqrt(2.0 / (64 * 49)), std, 0.002);
            for (var p : block.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.GAMMA) {
                    assertEquals(1f, p.getValue().getArray().min().getFloat());
                }
            }
        }
    }

    @Test
    void baselineIsAResNet18WithOneLogitPerCell() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = WarcraftModels.resNet18Baseline(144);
            NDArray logits = forward(manager, block, new Shape(2, 3, 96, 96), false);
            assertEquals(new Shape(2, 144), logits.getShape());
            // torchvision resnet18(num_classes=144): 11,689,512 - 513,000 (fc 1000) + 73,872 (fc 144)
            assertEquals(11_250_384, WarcraftModels.trainableParameters(block));
        }
    }

    @Test
    void trainingGradientsThroughTheInPlaceResidualSumMatchFiniteDifferences() {
        // float64 so that central differences resolve the gradient; training mode (batch statistics),
        // as in a training step. A wrong in-place sum would raise in autograd or change the gradient.
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(5);
            Shape shape = new Shape(2, 3, 16, 16);
            Block block = WarcraftModels.combResNet18(2);
            block.initialize(manager, DataType.FLOAT64, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(0, 1, shape, DataType.FLOAT64);
            NDArray weights = manager.randomNormal(0, 1, new Shape(2, 2, 2), DataType.FLOAT64);
            x.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray out = block.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(out.mul(weights).sum());
            }
            double[] gradient = x.getGradient().toDoubleArray();
            double[] at = x.stopGradient().toDoubleArray();
            double eps = 1e-6;
            for (int i : new int[] {0, 17, 300, 777, 1024, 1535}) {
                double[] up = at.clone();
                double[] down = at.clone();
                up[i] += eps;
                down[i] -= eps;
                double difference = (loss(manager, block, store, up, shape, weights)
                                - loss(manager, block, store, down, shape, weights))
                        / (2 * eps);
                assertEquals(difference, gradient[i], 1e-6 + 1e-5 * Math.abs(difference), "input entry " + i);
            }
        }
    }

    private static double loss(
            NDManager manager, Block block, ParameterStore store, double[] x, Shape shape, NDArray weights) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray out = block.forward(store, new NDList(scope.create(x, shape)), true)
                    .singletonOrThrow();
            return out.mul(weights).sum().getDouble();
        }
    }

    @Test
    void refusesMapsWhoseSideTheGridDoesNotDivide() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> forward(manager, WarcraftModels.combResNet18(12), new Shape(1, 3, 88, 88), false));
            assertTrue(e.getMessage().contains("22x22") && e.getMessage().contains("96 pixels"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> WarcraftModels.combResNet18(0));
        }
    }
}
