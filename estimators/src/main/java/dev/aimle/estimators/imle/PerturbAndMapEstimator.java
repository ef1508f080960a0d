package dev.aimle.estimators.imle;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.noise.HostSampled;
import java.util.random.RandomGenerator;

/**
 * The forward pass shared by the Perturb-and-MAP estimators (IMLE, AIMLE, STE):
 * {@code z_i = MAP(theta + tau_in * eps_i)} for S samples per instance, keeping the unscaled noise
 * {@code eps_i} so that the backward pass perturbs its targets with the same noise (the variance
 * reduction at the core of I-MLE). Subclasses implement {@link #estimate}. A padding mask is applied
 * to every solver call ({@link MapStates}) and zeroes the downstream gradient at masked positions.
 *
 * <p><b>Host arithmetic on the CPU.</b> For float32 arrays on the CPU without a mask, the elementwise
 * work (perturbing theta, the targets, the difference, the scaling, the mean over samples) runs in
 * plain loops over host copies, and the arrays the engine sees are only the solver's inputs and
 * outputs and the results: about 10 engine calls per central step instead of about 30, each of which
 * costs 7-40 microseconds (measured; more than the loops they replace). The float operations are
 * the engine's, one by one (a float32 times the scalar rounded to float32, then an addition), so
 * both paths give the same states; only {@code ||theta||} and {@code ||dL/dz||} are summed in double
 * on the host (float32 in the engine), so AIMLE's lambda may differ in its last bits. Subclasses
 * opt in with {@link #estimateOnHost}; every other case (a mask, another device, another dtype, an
 * empty batch) takes the engine path.
 */
abstract class PerturbAndMapEstimator implements GradientEstimator {
    private final boolean hostArithmetic;
    private final HostCopies hostCopies = new HostCopies();

    /** An estimator that uses host arithmetic where it can. */
    PerturbAndMapEstimator() {
        this(true);
    }

    /** @param hostArithmetic false to keep every operation in the engine (to compare the paths) */
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

    @Override
    public final Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        if (mask == null && onHost(theta)) {
            return forwardOnHost(theta, perturbation, random);
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
            NDArray perturbed =
                    SampleLayout.repeat(detached, samples).addi(Scalars.mul(noise, perturbation.inputTemperature()));
            NDArray z = MapStates.solve(perturbation.solver(), perturbed, repeatedMask(validMask, samples));
            z.attach(owner);
            detached.attach(owner);
            noise.attach(owner);
            if (validMask != null) {
                validMask.attach(owner);
            }
            return new Sample(perturbation, detached, validMask, noise, z);
        }
    }

    /**
     * The forward pass with host arithmetic: one copy of theta to the host, the noise drawn there,
     * the perturbed scores given to the solver on the host ({@link MapSolver#solveOnHost}), the
     * states copied into the sample's array once.
     */
    private Sample forwardOnHost(NDArray theta, Perturbation perturbation, RandomGenerator random) {
        NDManager owner = theta.getManager();
        Shape shape = theta.getShape();
        int samples = perturbation.samples();
        Shape repeatedShape = new Shape(shape.get(0) * samples).addAll(shape.slice(1));
        float[] values = theta.toFloatArray();
        double squares = finiteSumOfSquares("theta", values, shape);
        try (NDManager scope = owner.newSubManager()) {
            float[] noise = drawOnHost(perturbation, repeatedShape, random, scope);
            float[] perturbed = perturbed(
                    values, Math.toIntExact(shape.get(0)), samples, noise, (float) perturbation.inputTemperature());
            float[] states = perturbation.solver().solveOnHost(perturbed, repeatedShape, scope);
            NDArray z = HostArrays.create(owner, states, repeatedShape);
            NDArray detached = theta.stopGradient();
            detached.attach(owner);
            Sample sample = new Sample(perturbation, detached, null, HostArrays.create(owner, noise, repeatedShape), z);
            hostCopies.keep(sample, new HostCopies.Copies(values, squares, noise, states));
            return sample;
        }
    }

    /** The noise's values on the host: drawn there when the distribution can, else copied from its array. */
    private static float[] drawOnHost(Perturbation perturbation, Shape shape, RandomGenerator random, NDManager scope) {
        if (perturbation.noise() instanceof HostSampled host && host.drawsOnHost(scope.getDevice())) {
            return host.sampleOnHost(shape, random);
        }
        return perturbation.noise().sample(scope, shape, random).toFloatArray();
    }

    /**
     * theta {@code [B, m]} (flat) repeated to {@code [B*S, m]} in the samples' order, plus
     * {@code eps * tau} entry by entry when {@code eps} is given: the engine's {@code repeat} then
     * {@code add(eps * tau)}, in one pass into a new array.
     */
    static float[] perturbed(float[] theta, int rows, int samples, float[] eps, float tau) {
        int m = theta.length / rows;
        float[] out = new float[theta.length * samples];
        inRowChunks(rows * samples, m, (from, to) -> perturb(theta, samples, m, eps, tau, out, from, to));
        return out;
    }

    /**
     * {@code out} for the sample rows {@code [from, to)} as {@link #perturbed} defines it, in loops
     * the JIT vectorises: no test inside a loop, one index per array, and with S = 1 a single loop
     * over all the entries (a loop per row of 20 is too short to vectorise). Written with one
     * running index and the test for {@code eps} inside, the pass took up to 8 times as long alone
     * (26 against 3.4 microseconds for 51,200 values in the cache, 17 against 12 from memory), and
     * the forward pass of an AIMLE step at 51,200 scores 21-55 microseconds more (3-6 %; measured
     * alternating both in one JVM).
     */
    private static void perturb(
            float[] theta, int samples, int m, float[] eps, float tau, float[] out, int from, int to) {
        if (eps == null) {
            for (int row = from; row < to; row++) {
                System.arraycopy(theta, (row / samples) * m, out, row * m, m);
            }
        } else if (samples == 1) {
            for (int i = from * m, end = to * m; i < end; i++) {
                out[i] = theta[i] + eps[i] * tau;
            }
        } else {
            for (int row = from; row < to; row++) {
                int at = (row / samples) * m; // theta's row for sample row `row`
                int o = row * m;
                for (int j = 0; j < m; j++) {
                    out[o + j] = theta[at + j] + eps[o + j] * tau;
                }
            }
        }
    }

    /** Work on the rows {@code [from, to)}. */
    @FunctionalInterface
    interface RowRange {
        void run(int from, int to);
    }

    /** Host passes split over the common pool from this many values on; below, one thread. */
    static final int PARALLEL_FROM = 1 << 15;

    /**
     * Runs {@code work} over {@code rows} rows of {@code m} values: in one chunk per core on the
     * common pool from {@link #PARALLEL_FROM} values on, else on the calling thread. Each value is
     * computed by the same operations either way, so the results do not depend on the split.
     */
    static void inRowChunks(int rows, int m, RowRange work) {
        int chunks = (long) rows * m < PARALLEL_FROM
                ? 1
                : Math.min(rows, Runtime.getRuntime().availableProcessors());
        if (chunks <= 1) {
            work.run(0, rows);
            return;
        }
        java.util.stream.IntStream.range(0, chunks)
                .parallel()
                .forEach(c -> work.run((int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks)));
    }

    @Override
    public final NDArray backward(Sample sample, Downstream downstream) {
        NDArray dy = downstream.gradient();
        Shapes.requireRepeated("dL/dz", dy, sample.theta(), sample.samples());
        if (sample.mask() == null && onHost(dy) && onHost(sample.theta())) {
            float[] dyValues = dy.toFloatArray();
            double dySquares = finiteSumOfSquares("dL/dz", dyValues, dy.getShape());
            HostCopies.Copies copies = hostCopies.take(sample);
            float[] estimates = estimateOnHost(
                    sample,
                    new HostInputs(
                            copies.theta(),
                            copies.thetaSquares(),
                            copies.noise(),
                            copies.states(),
                            dyValues,
                            dySquares));
            if (estimates != null) {
                float[] mean = meanOverSamples(estimates, Math.toIntExact(sample.batchSize()), sample.samples());
                return HostArrays.create(
                        sample.theta().getManager(), mean, sample.theta().getShape());
            }
        } else {
            Shapes.requireFinite("dL/dz", dy);
        }
        NDManager owner = sample.theta().getManager();
        try (NDManager scope = owner.newSubManager()) {
            for (NDArray array : new NDArray[] {sample.theta(), sample.z(), sample.noise(), sample.mask(), dy}) {
                if (array != null) {
                    array.tempAttach(scope);
                }
            }
            NDArray mask = repeatedMask(sample.mask(), sample.samples());
            NDArray maskedDy = mask == null ? dy : dy.mul(mask.toType(DataType.FLOAT32, false));
            NDArray mean = SampleLayout.meanOverSamples(estimate(sample, maskedDy, mask), sample.samples());
            mean.attach(owner);
            return mean;
        }
    }

    @Override
    public boolean supportsMask() {
        return true;
    }

    /**
     * The per-sample gradient estimates {@code [B*S, ...]}, averaged over the S samples by
     * {@link #backward}. Every array here is closed with the backward pass's scope.
     *
     * @param dy {@code dL/dz}, zero at masked positions
     * @param mask the mask repeated to {@code [B*S, ...]}, or null
     */
    protected abstract NDArray estimate(Sample sample, NDArray dy, NDArray mask);

    /**
     * What a host estimate starts from; the arrays are the caller's copies (they may be changed).
     *
     * @param theta the sample's theta {@code [B, ...]}, row-major
     * @param thetaSquares its sum of squares ({@link #finiteSumOfSquares})
     * @param noise the sample's noise {@code [B*S, ...]}, row-major, or null
     * @param states the sample's states z {@code [B*S, ...]}, row-major
     * @param dy {@code dL/dz}, finite, row-major
     * @param dySquares its sum of squares ({@link #finiteSumOfSquares})
     */
    record HostInputs(
            float[] theta, double thetaSquares, float[] noise, float[] states, float[] dy, double dySquares) {}

    /**
     * The per-sample estimates {@code [B*S, ...]} (flat) computed on the host, for a sample without a
     * mask whose arrays are float32 on the CPU; null (the default) to use {@link #estimate} instead.
     * It must give what {@link #estimate} gives, and update the same state.
     */
    protected float[] estimateOnHost(Sample sample, HostInputs in) {
        return null;
    }

    /**
     * The sum of squares of {@code values} in double, which is also the finiteness check of a host
     * copy: a square of a finite float32 is below 1.2e77, so the sum is finite exactly when every
     * value is (NaN and infinities propagate); only then are the values searched, to name the first
     * bad one. One pass while the copy is hot in the cache, where a check and a later sum for AIMLE's
     * norms took two, the second over memory the step had long evicted.
     *
     * <p>Four partial sums, of the entries at indices 0, 1, 2 and 3 modulo 4, added as {@code (s0 +
     * s1) + (s2 + s3)}: a fixed order (the same bits on every run and thread count) that lets the
     * processor overlap four additions, where one running sum waits for each (measured on 51,200
     * values: 15 against 32 microseconds, twice per AIMLE step).
     */
    static double finiteSumOfSquares(String name, float[] values, Shape shape) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (int end = values.length & ~3; i < end; i += 4) {
            s0 += (double) values[i] * values[i];
            s1 += (double) values[i + 1] * values[i + 1];
            s2 += (double) values[i + 2] * values[i + 2];
            s3 += (double) values[i + 3] * values[i + 3];
        }
        if (i < values.length) {
            s0 += (double) values[i] * values[i];
        }
        if (i + 1 < values.length) {
            s1 += (double) values[i + 1] * values[i + 1];
        }
        if (i + 2 < values.length) {
            s2 += (double) values[i + 2] * values[i + 2];
        }
        double sum = (s0 + s1) + (s2 + s3);
        if (!Double.isFinite(sum)) {
            Shapes.requireFinite(name, values, shape);
        }
        return sum;
    }

    /**
     * The mean over the S samples of each instance, flat {@code [B*S, m]} to {@code [B, m]}: the sum
     * in sample order, in float32, divided by S.
     */
    static float[] meanOverSamples(float[] perSample, int rows, int samples) {
        if (samples == 1) {
            return perSample;
        }
        int m = perSample.length / (rows * samples);
        float[] mean = new float[rows * m];
        for (int b = 0; b < rows; b++) {
            for (int s = 0; s < samples; s++) {
                int from = (b * samples + s) * m;
                for (int j = 0; j < m; j++) {
                    mean[b * m + j] += perSample[from + j];
                }
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= samples;
        }
        return mean;
    }

    /** +1 for a maximising solver, -1 for a minimising one. */
    static int senseSign(Perturbation perturbation) {
        return perturbation.solver().sense() == MapSolver.Sense.MAXIMISE ? 1 : -1;
    }

    static NDArray repeatedMask(NDArray mask, int samples) {
        return mask == null ? null : SampleLayout.repeat(mask, samples);
    }
}
