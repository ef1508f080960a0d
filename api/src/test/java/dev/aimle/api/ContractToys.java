package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The smallest implementations of the estimator and noise SPIs, written only to test the contract
 * bases: each is correct unless given a {@link Fault}, and each fault breaks one clause of the
 * contract, which the contract must then catch.
 *
 * <p>Not a test class: {@code ToyContractsTest} asserts that the contract bases pass these toys and
 * catch each deliberate fault.
 */
final class ContractToys {
    private ContractToys() {}

    /** One broken clause of a contract. */
    enum Fault {
        NONE,
        /** The estimate keeps the sample axis: {@code [B*S, n]} instead of theta's {@code [B, n]}. */
        GRADIENT_PER_SAMPLE,
        /** Randomness from a generator of its own instead of the caller's. */
        OWN_RANDOMNESS,
        /** The estimate is attached to a manager of its own. */
        LEAKS_TO_ANOTHER_MANAGER,
        /** A mask is accepted although masks are not supported. */
        ACCEPTS_A_MASK,
        /** A step counter that restoreState ignores. */
        FORGETS_ITS_STATE,
        /** Noise: float64 values where float32 is promised. */
        FLOAT64,
        /** Noise: Uniform(0, 2) values where Exponential(1) is promised (the same mean, variance 1/3, not 1). */
        WRONG_VARIANCE
    }

    /**
     * I-MLE with a fixed lambda of 1 and a forward difference, {@code g = mean_S (MAP(theta + eps) -
     * MAP(theta - dy + eps))}, written plainly on the engine.
     */
    static final class FiniteDifference implements GradientEstimator {
        private static final SplittableRandom OWN = new SplittableRandom(1);

        private final Fault fault;
        private final NDManager foreign;
        private double steps;

        FiniteDifference(Fault fault, NDManager foreign) {
            this.fault = fault;
            this.foreign = foreign;
        }

        @Override
        public String name() {
            return "toy-" + fault.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
            if (mask != null && fault != Fault.ACCEPTS_A_MASK) {
                throw new IllegalArgumentException("estimator '" + name() + "' does not support masks");
            }
            Shapes.requireFinite("theta", theta);
            NDManager owner = theta.getManager();
            int s = perturbation.samples();
            Shape repeated = new Shape(theta.getShape().get(0) * s)
                    .addAll(theta.getShape().slice(1));
            RandomGenerator source = fault == Fault.OWN_RANDOMNESS ? OWN : random;
            NDArray eps = perturbation.noise().sample(owner, repeated, source);
            try (NDManager scope = owner.newSubManager()) {
                NDArray rows = theta.repeat(0, s);
                rows.attach(scope);
                NDArray z = perturbation.solver().solve(rows.add(eps));
                z.attach(owner);
                NDArray copy = theta.duplicate();
                copy.attach(owner);
                return new Sample(perturbation, copy, null, eps, z);
            }
        }

        @Override
        public NDArray backward(Sample sample, Downstream downstream) {
            Shapes.requireRepeated("dL/dz", downstream.gradient(), sample.theta(), sample.samples());
            Shapes.requireFinite("dL/dz", downstream.gradient());
            NDManager owner = sample.theta().getManager();
            steps++;
            try (NDManager scope = owner.newSubManager()) {
                NDArray rows = sample.theta().repeat(0, sample.samples());
                rows.attach(scope);
                NDArray target = sample.perturbation()
                        .solver()
                        .solve(rows.sub(downstream.gradient()).add(sample.noise()));
                target.attach(scope);
                NDArray perSample = sample.z().sub(target);
                NDArray g = fault == Fault.GRADIENT_PER_SAMPLE
                        ? perSample
                        : perSample
                                .reshape(new Shape(sample.batchSize(), sample.samples())
                                        .addAll(sample.theta().getShape().slice(1)))
                                .mean(new int[] {1});
                g.attach(fault == Fault.LEAKS_TO_ANOTHER_MANAGER ? foreign : owner);
                return g;
            }
        }

        @Override
        public Map<String, Double> state() {
            return Map.of("steps", steps);
        }

        @Override
        public void restoreState(Map<String, Double> state) {
            if (!state.keySet().equals(Map.of("steps", 0.0).keySet())) {
                throw new IllegalArgumentException("state " + state.keySet() + " must hold exactly [steps]");
            }
            if (fault != Fault.FORGETS_ITS_STATE) {
                steps = state.get("steps");
            }
        }
    }

    /** Exponential(1) noise, {@code -log(1 - U)}, drawn on the host: mean 1, variance 1. */
    static final class Exponential implements NoiseDistribution {
        private final Fault fault;

        Exponential(Fault fault) {
            this.fault = fault;
        }

        @Override
        public String name() {
            return "toy-exponential";
        }

        @Override
        public NDArray sample(NDManager manager, Shape shape, RandomGenerator random) {
            float[] values = new float[Math.toIntExact(shape.size())];
            RandomGenerator source = fault == Fault.OWN_RANDOMNESS ? FiniteDifference.OWN : random;
            for (int i = 0; i < values.length; i++) {
                double u = source.nextDouble();
                values[i] = (float) (fault == Fault.WRONG_VARIANCE ? 2 * u : -Math.log1p(-u));
            }
            NDArray drawn = manager.create(values, shape);
            return fault == Fault.FLOAT64 ? drawn.toType(DataType.FLOAT64, false) : drawn;
        }
    }
}
