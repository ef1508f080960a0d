package dev.aimle.app.experiments.warcraft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.List;

/**
 * The reference's two Warcraft models ({@code aaai23/maprop/models.py}) as DJL blocks, both taking
 * normalised maps {@code [B, 3, 8k, 8k]}.
 *
 * <ul>
 *   <li>{@link #combResNet18(int)}, the reference's {@code CombRenset18}: the first layers of a ResNet-18
 *       (7×7/2 convolution, batch norm, ReLU, 3×3/2 max-pool, the first stage of two basic blocks of
 *       64 channels), an adaptive max-pool to k×k, the mean over the 64 channels and, as the
 *       reference's trainer does before the solver, {@code abs}: vertex costs {@code [B, k, k]}, at
 *       least 0. 157,504 trainable parameters (the reference's module also holds ResNet-18's unused
 *       later stages; only these layers see a gradient).
 *   <li>{@link #resNet18Baseline(int)}, the reference's {@code Baseline}: torchvision's ResNet-18 with
 *       {@code k*k} outputs (logits of the cells being on the path; the trainer applies a sigmoid and
 *       binary cross-entropy): 11,250,384 trainable parameters for k = 12.
 * </ul>
 *
 * <p>Initialisation as torchvision's ResNet: convolutions He-normal with fan-out ({@code
 * kaiming_normal_(mode='fan_out', nonlinearity='relu')}), batch-norm scale 1 and shift 0, the last
 * linear layer's weights uniform in ±1/√fan-in (PyTorch's default); its bias starts at 0 where
 * PyTorch draws it from the same uniform. DJL's batch norm keeps running statistics with momentum
 * 0.9, PyTorch's convention 0.1 for the same average.
 */
public final class WarcraftModels {
    private WarcraftModels() {}

    /**
     * The CombResNet18 cost model for a k×k grid.
     *
     * @param grid k; the maps must be {@code 8k} pixels wide (4k after the stem, pooled by 2)
     */
    public static Block combResNet18(int grid) {
        if (grid < 1) {
            throw new IllegalArgumentException("grid (" + grid + ") must be at least 1");
        }
        SequentialBlock block = stem();
        block.add(stage(64, 64, 1));
        block.add(adaptiveMaxPool(grid));
        block.add(new LambdaBlock(
                x -> new NDList(x.singletonOrThrow().mean(new int[] {1}).abs()), "mean-abs"));
        initialise(block);
        return block;
    }

    /**
     * The baseline: a ResNet-18 that outputs {@code k*k} logits per map, {@code [B, k*k]}.
     *
     * @param outputs k*k
     */
    public static Block resNet18Baseline(int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs (" + outputs + ") must be at least 1");
        }
        SequentialBlock block = stem();
        block.add(stage(64, 64, 1));
        block.add(stage(64, 128, 2));
        block.add(stage(128, 256, 2));
        block.add(stage(256, 512, 2));
        block.add(Pool.globalAvgPool2dBlock());
        Block fc = Linear.builder().setUnits(outputs).build();
        block.add(fc);
        initialise(block);
        fc.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(512))), Parameter.Type.WEIGHT);
        return block;
    }

    /** The number of parameters that train (batch-norm running statistics excluded); needs an initialised block. */
    public static long trainableParameters(Block block) {
        long total = 0;
        for (var pair : block.getParameters()) {
            Parameter p = pair.getValue();
            if (p.requiresGradient()) {
                total += p.getArray().size();
            }
        }
        return total;
    }

    private static SequentialBlock stem() {
        return new SequentialBlock()
                .add(conv(64, 7, 2, 3))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    }

    /** Two basic blocks, the first with {@code stride} and a 1×1 projection when the shape changes. */
    private static Block stage(int in, int out, int stride) {
        return new SequentialBlock().add(basicBlock(in, out, stride)).add(basicBlock(out, out, 1));
    }

    private static Block basicBlock(int in, int out, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(out, 3, stride, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(out, 3, 1, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = stride == 1 && in == out
                ? Blocks.identityBlock()
                : new SequentialBlock()
                        .add(conv(out, 1, stride, 0))
                        .add(BatchNorm.builder().build());
        // The residual sum goes into the main branch's batch-norm output in place, as torchvision's
        // `out += identity`: a new 41 MB (10 MB) tensor per block saved, and autograd stays exact
        // because batch norm's backward reads its input and saved statistics, never its output.
        return new SequentialBlock()
                .add(new ParallelBlock(
                        list -> new NDList(
                                list.get(0).singletonOrThrow().addi(list.get(1).singletonOrThrow())),
                        List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }

    /**
     * PyTorch's {@code AdaptiveMaxPool2d((k, k))} for an input whose side n is a multiple of k: then
     * its windows are exactly {@code n/k} wide with stride {@code n/k}, a plain max-pool. Other sides
     * are refused rather than pooled with different windows.
     */
    private static Block adaptiveMaxPool(int grid) {
        return new LambdaBlock(
                x -> {
                    NDArray in = x.singletonOrThrow();
                    long height = in.getShape().get(2);
                    long width = in.getShape().get(3);
                    if (height % grid != 0 || width % grid != 0) {
                        throw new IllegalArgumentException("features of " + height + "x" + width + " cannot be pooled"
                                + " into a " + grid + "x" + grid + " grid by whole windows; maps must be " + 8 * grid
                                + " pixels wide (8 per cell)");
                    }
                    Shape window = new Shape(height / grid, width / grid);
                    return new NDList(Pool.maxPool2d(in, window, window, new Shape(0, 0), false));
                },
                "adaptive-max-pool");
    }

    private static void initialise(Block block) {
        // kaiming_normal_(fan_out, relu): std = sqrt(2 / fan_out)
        block.setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
                Parameter.Type.WEIGHT);
    }
}
