package dev.aimle.estimators.imle;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.SampleLayout;
import java.util.random.RandomGenerator;

/**
 * The plumbing of the Perturb-and-MAP estimators (IMLE, AIMLE, STE) around {@link Algorithm1}: it
 * picks the {@link Kernel} for a pass, scopes the arrays, checks the inputs and takes the mean over
 * the S samples. The forward pass draws {@code z_i = MAP(theta + tau_in * eps_i)} and keeps the
 * unscaled noise {@code eps_i} in the {@link Sample}, so that the backward pass perturbs its targets
 * with the same noise. A padding mask is applied to every solver call ({@link MapStates}) and zeroes
 * the downstream gradient at masked positions.
 *
 * <p><b>Two kernels.</b> Float32 arrays on the CPU without a mask go to the {@link HostKernel}
 * (plain loops over host copies, about a third of the engine calls); everything else (a mask,
 * another device, another dtype, an empty batch, or an estimator that asks for it) to the
 * {@link EngineKernel}. Both give the same states and estimates ({@code HostArithmeticTest}).
 */
abstract class PerturbAndMapEstimator implements GradientEstimator {
    private final boolean hostArithmetic;

    /** @param hostArithmetic false to keep every operation in the engine (to compare the kernels) */
    PerturbAndMapEstimator(boolean hostArithmetic) {
        this.hostArithmetic = hostArithmetic;
    }

    /** Whether {@code array} is worked on by host loops: float32 on the CPU, non-empty, host arithmetic on. */
    final boolean onHost(NDArray array) {
        return hostArithmetic
                && array.getDataType() == DataType.FLOAT32
                && Device.Type.CPU.equals(array.getDevice().getDeviceType())
                && array.getShape().size() > 0;
    }

    /**
     * Whether the backward pass may use the {@link HostKernel}, which computes one lambda per batch
     * (true unless overridden).
     */
    boolean hostKernelFits() {
        return true;
    }

    @Override
    public final Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        if (mask == null && onHost(theta)) {
            return HostKernel.forward(theta, perturbation, random);
        }
        Shapes.requireFinite("theta", theta);
        NDManager owner = theta.getManager();
        int samples = perturbation.samples();
        Shape repeatedShape = new Shape(theta.getShape().get(0) * samples)
                .addAll(theta.getShape().slice(1));
        // Everything is created in the scope and closed with it; only what the sample keeps moves to
        // the owner, and only on success, so a solver that throws leaves nothing behind.
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            NDArray validMask = mask == null ? null : MapStates.requireMask(mask, theta, scope);
            NDArray noise = perturbation.noise().sample(scope, repeatedShape, random);
            EngineKernel kernel = new EngineKernel(
                    perturbation.solver(), detached, noise, repeatedMask(validMask, samples), null, null, samples);
            NDArray z = Algorithm1.samples(kernel, perturbation);
            z.attach(owner);
            detached.attach(owner);
            noise.attach(owner);
            if (validMask != null) {
                validMask.attach(owner);
            }
            return new Sample(perturbation, detached, validMask, noise, z);
        }
    }

    @Override
    public final NDArray backward(Sample sample, Downstream downstream) {
        NDArray dy = downstream.gradient();
        Shapes.requireRepeated("dL/dz", dy, sample.theta(), sample.samples());
        if (sample.mask() == null && onHost(dy) && onHost(sample.theta()) && hostKernelFits()) {
            return HostKernel.meanOverSamples(estimate(HostKernel.backward(sample, dy), sample), sample);
        }
        Shapes.requireFinite("dL/dz", dy);
        NDManager owner = sample.theta().getManager();
        try (NDManager scope = owner.newSubManager()) {
            for (NDArray array : new NDArray[] {sample.theta(), sample.z(), sample.noise(), sample.mask(), dy}) {
                if (array != null) {
                    array.tempAttach(scope);
                }
            }
            NDArray mask = repeatedMask(sample.mask(), sample.samples());
            NDArray maskedDy = mask == null ? dy : dy.mul(mask.toType(DataType.FLOAT32, false));
            EngineKernel kernel = new EngineKernel(
                    sample.perturbation().solver(),
                    sample.theta(),
                    sample.noise(),
                    mask,
                    sample.z(),
                    maskedDy,
                    sample.samples());
            NDArray mean = SampleLayout.meanOverSamples(estimate(kernel, sample), sample.samples());
            mean.attach(owner);
            return mean;
        }
    }

    @Override
    public boolean supportsMask() {
        return true;
    }

    /**
     * The per-sample gradient estimates {@code [B*S, ...]} by {@link Algorithm1} over {@code kernel},
     * averaged over the S samples by {@link #backward}.
     */
    abstract <A> A estimate(Kernel<A> kernel, Sample sample);

    static NDArray repeatedMask(NDArray mask, int samples) {
        return mask == null ? null : SampleLayout.repeat(mask, samples);
    }
}
