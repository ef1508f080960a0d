package dev.aimle.estimators.layer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * A DJL {@link Trainer} for models that contain {@link DiscreteBlock}s. It is DJL's own trainer —
 * {@code EasyTrain.fit}, {@code TrainingListener}s, evaluators, the loss, logging and progress all
 * work as usual — with two differences:
 *
 * <ul>
 *   <li>its {@link #newGradientCollector()} runs the two-phase backward pass of the discrete blocks:
 *       {@code collector.backward(loss)} first backpropagates the loss (downstream parameters,
 *       {@code dL/dz}, the gradient of terms on the blocks' scores), then each block's estimate into
 *       the layers before it ({@link DiscreteBackward});
 *   <li>its {@link #step()} skips the optimizer while every gradient of the model is exactly zero,
 *       instead of failing. DJL's trainer checks once, on the first step, that the gradients do not
 *       sum to zero (its guard against a forgotten backward pass); that check refuses valid discrete
 *       training twice over: an estimator may legitimately return zero at first (AIMLE starts from
 *       lambda = 0 with the paper's alpha0 = 0), and a k-subset estimate sums to zero by
 *       construction (each row of a difference of two k-hot states has as many +1 as -1 entries),
 *       so a linear encoder's gradient sums to exactly zero. This trainer replaces DJL's check by
 *       its own (every gradient exactly zero, not their sum) and skips such steps until the first
 *       non-zero one. A skipped step changes no parameter; with Adam it also leaves the step counter
 *       where it was. {@link #skippedSteps()} counts them. A trainer of a resumed run is told with
 *       {@link #markResumedAfterUpdates()}.
 * </ul>
 *
 * <p>Create it directly, {@code new DiscreteTrainer(model, config)}, instead of
 * {@code model.newTrainer(config)}. Samples drawn in a step live as long as the manager of the
 * batch they were computed from (EasyTrain closes it after the step's listeners ran). The discrete
 * layers' estimators need {@code dL/dz} only: an estimator that needs the loss of each sample (SFE)
 * is refused with a message that points to {@link DiscreteLayer#backward(GradientCollector, NDArray,
 * DiscreteSample, NDArray)}.
 */
public class DiscreteTrainer extends Trainer {
    private final List<DiscreteBlock> blocks;
    private boolean sawNonZeroGradient;
    private long skippedSteps;

    /**
     * @param model the model, whose block contains the discrete blocks
     * @param config the training configuration (loss, optimizer, evaluators, listeners, devices)
     */
    public DiscreteTrainer(Model model, TrainingConfig config) {
        super(model, config);
        this.blocks = DiscreteBlock.findIn(model.getBlock());
        disableSumOfGradientsCheck();
    }

    /**
     * Marks DJL's first-step check as done (the private field {@code Trainer.gradientsChecked}, DJL
     * 0.36); {@link #step()} checks instead. A DJL version without the field fails here, loudly,
     * rather than refusing valid steps later.
     */
    private void disableSumOfGradientsCheck() {
        try {
            Field checked = Trainer.class.getDeclaredField("gradientsChecked");
            checked.setAccessible(true);
            checked.setBoolean(this, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "this DJL version's Trainer has no 'gradientsChecked' field to replace its"
                            + " sum-of-gradients check (written for DJL 0.36); the DiscreteTrainer needs updating",
                    e);
        }
    }

    /** The discrete blocks of the model, depth first. */
    public List<DiscreteBlock> discreteBlocks() {
        return List.copyOf(blocks);
    }

    /**
     * Tells the trainer that it continues a run whose optimizer has already updated the parameters
     * (a resumed run: its checkpoint holds the optimizer's state). That run saw a non-zero gradient
     * before it stopped, so from now on no step is skipped, as in the run never stopped; a fresh
     * trainer would otherwise skip the zero-gradient steps that run took (with Adam, steps whose
     * moments still move the parameters).
     */
    public void markResumedAfterUpdates() {
        sawNonZeroGradient = true;
    }

    /** How many optimizer steps were skipped because every gradient was zero. */
    public long skippedSteps() {
        return skippedSteps;
    }

    @Override
    public GradientCollector newGradientCollector() {
        return new Collector(super.newGradientCollector());
    }

    @Override
    public void step() {
        if (!sawNonZeroGradient) {
            if (allGradientsZero()) {
                skippedSteps++;
                return;
            }
            sawNonZeroGradient = true;
        }
        super.step();
    }

    private boolean allGradientsZero() {
        try (NDManager scope = getManager().newSubManager()) {
            for (Parameter parameter : getModel().getBlock().getParameters().values()) {
                if (!parameter.requiresGradient() || !parameter.isInitialized()) {
                    continue;
                }
                NDArray array = parameter.getArray();
                if (!array.hasGradient()) {
                    continue;
                }
                NDArray gradient = array.getGradient();
                gradient.attach(scope);
                if (gradient.abs().max().getFloat() != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The collector of one step: the discrete blocks report their samples to it, and
     * {@link #backward} runs both phases for the samples drawn since the last backward pass.
     */
    private final class Collector implements GradientCollector {
        private final GradientCollector engine;
        private final List<DiscreteSample> pending = new ArrayList<>();

        Collector(GradientCollector engine) {
            this.engine = engine;
            int opened = 0;
            try {
                for (DiscreteBlock block : blocks) {
                    block.open(this::record);
                    opened++;
                }
            } catch (RuntimeException e) {
                for (int i = 0; i < opened; i++) {
                    blocks.get(i).release();
                }
                engine.close();
                throw e;
            }
        }

        private synchronized void record(DiscreteSample sample) {
            pending.add(sample);
        }

        @Override
        public void backward(NDArray target) {
            List<DiscreteSample> samples;
            synchronized (this) {
                samples = List.copyOf(pending);
                pending.clear();
            }
            DiscreteBackward.Builder backward = DiscreteBackward.builder().loss(target);
            samples.forEach(backward::sample);
            backward.run(engine);
        }

        @Override
        public void zeroGradients() {
            engine.zeroGradients();
        }

        @Override
        public void close() {
            for (DiscreteBlock block : blocks) {
                block.release();
            }
            engine.close();
        }
    }
}
