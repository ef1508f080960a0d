package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import dev.aimle.estimators.noise.HostSampled;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * {@link Kernel} over float32 values on the host, for arrays on the CPU without a mask: the arrays
 * the engine sees are only the solver's inputs and outputs and the results, and each line of
 * {@link Algorithm1} is one pass over plain arrays (an engine call costs more than the loop it
 * replaces; the bench prints the figures). Each entry is computed by the engine's float operations,
 * one by one (a float32 times the scalar rounded to float32, then an addition), so both backends give
 * the same states; only {@code ||theta||} and {@code ||dL/dz||} are summed in double here (float32
 * in the engine), so AIMLE's lambda may differ in its last bits.
 *
 * <p>The host copies the forward pass made (theta, its sum of squares, the noise and the states)
 * travel to the backward pass in the {@link Sample} ({@link Copies}), not in the estimator.
 */
final class HostKernel implements Kernel<HostKernel.Values> {

    /**
     * Row-major float32 values from an offset: one half of stacked states is the same array read from
     * its middle, not a copy.
     */
    record Values(float[] values, int offset) {
        Values(float[] values) {
            this(values, 0);
        }
    }

    /**
     * The host copies a forward pass made, carried by its sample to the backward pass.
     *
     * @param theta theta {@code [B, ...]}, row-major
     * @param thetaSquares its sum of squares ({@link #finiteSumOfSquares})
     * @param noise the noise {@code [B*S, ...]}, row-major, or null
     * @param states the states z {@code [B*S, ...]}, row-major
     */
    record Copies(float[] theta, double thetaSquares, float[] noise, float[] states) implements Sample.Carried {}

    /** Host passes split over the common pool from this many values on; below, one thread. */
    static final int PARALLEL_FROM = 1 << 15;

    private final MapSolver solver;
    private final NDManager scratch;
    private final Copies copies;
    private final int rows;
    private final int samples;
    private final Shape statesShape;
    private final float[] dy;
    private final double dySquares;

    private HostKernel(
            MapSolver solver,
            NDManager scratch,
            Copies copies,
            int rows,
            int samples,
            Shape statesShape,
            float[] dy,
            double dySquares) {
        this.solver = solver;
        this.scratch = scratch;
        this.copies = copies;
        this.rows = rows;
        this.samples = samples;
        this.statesShape = statesShape;
        this.dy = dy;
        this.dySquares = dySquares;
    }

    /**
     * The forward pass on the host: one copy of theta to the host, the noise drawn there, the
     * perturbed scores given to the solver on the host ({@link MapSolver#solveOnHost}), the states
     * copied into the sample's array once; the copies go with the sample.
     */
    static Sample forward(NDArray theta, Perturbation perturbation, RandomGenerator random) {
        NDManager owner = theta.getManager();
        Shape shape = theta.getShape();
        int samples = perturbation.samples();
        Shape repeatedShape = new Shape(shape.get(0) * samples).addAll(shape.slice(1));
        float[] values = theta.toFloatArray();
        double squares = finiteSumOfSquares("theta", values, shape);
        try (NDManager scope = owner.newSubManager()) {
            float[] noise = drawOnHost(perturbation, repeatedShape, random, scope);
            HostKernel kernel = new HostKernel(
                    perturbation.solver(),
                    scope,
                    new Copies(values, squares, noise, null),
                    Math.toIntExact(shape.get(0)),
                    samples,
                    repeatedShape,
                    null,
                    0);
            float[] states = Algorithm1.samples(kernel, perturbation).values();
            NDArray z = HostArrays.create(owner, states, repeatedShape);
            NDArray detached = theta.stopGradient();
            detached.attach(owner);
            return new Sample(
                    perturbation,
                    detached,
                    null,
                    HostArrays.create(owner, noise, repeatedShape),
                    z,
                    new Copies(values, squares, noise, states));
        }
    }

    /**
     * The kernel of a backward pass: the copies the sample carries (made now from its arrays if it
     * carries none) and dL/dz, checked finite.
     */
    static HostKernel backward(Sample sample, NDArray dyArray) {
        float[] dy = dyArray.toFloatArray();
        double dySquares = finiteSumOfSquares("dL/dz", dy, dyArray.getShape());
        Copies copies = sample.carried() instanceof Copies carried ? carried : copiesOf(sample);
        return new HostKernel(
                sample.perturbation().solver(),
                sample.theta().getManager(),
                copies,
                Math.toIntExact(sample.batchSize()),
                sample.samples(),
                sample.z().getShape(),
                dy,
                dySquares);
    }

    private static Copies copiesOf(Sample sample) {
        float[] theta = sample.theta().toFloatArray();
        return new Copies(
                theta,
                finiteSumOfSquares("theta", theta, sample.theta().getShape()),
                sample.noise() == null ? null : sample.noise().toFloatArray(),
                sample.z().toFloatArray());
    }

    /** The mean over the S samples, as an array of theta's shape owned by theta's manager. */
    static NDArray meanOverSamples(Values perSample, Sample sample) {
        float[] mean = meanOverSamples(perSample.values(), Math.toIntExact(sample.batchSize()), sample.samples());
        return HostArrays.create(
                sample.theta().getManager(), mean, sample.theta().getShape());
    }

    /** The noise's values on the host: drawn there when the distribution can, else copied from its array. */
    private static float[] drawOnHost(Perturbation perturbation, Shape shape, RandomGenerator random, NDManager scope) {
        if (perturbation.noise() instanceof HostSampled host && host.drawsOnHost(scope.getDevice())) {
            return host.sampleOnHost(shape, random);
        }
        return perturbation.noise().sample(scope, shape, random).toFloatArray();
    }

    private int width() {
        return copies.theta().length / rows;
    }

    @Override
    public Values perturbed(double tau) {
        return new Values(perturbed(copies.theta(), rows, samples, copies.noise(), (float) tau));
    }

    @Override
    public Values centre(double tau) {
        return new Values(perturbed(copies.theta(), rows, samples, tau == 0 ? null : copies.noise(), (float) tau));
    }

    @Override
    public Values targets(double tau, Lambda<Values> lambda, int sign, boolean central) {
        float[] theta = copies.theta();
        float[] eps = tau != 0 ? copies.noise() : null;
        float t = (float) tau;
        float scale = (float) ((BatchLambda<Values>) lambda).value();
        boolean flip = sign < 0;
        int size = dy.length;
        int m = width();
        // Central: [upper targets; lower targets], one solver call; forward: the lower targets only.
        float[] targets = new float[central ? 2 * size : size];
        inRowChunks(size / m, m, (fromRow, toRow) -> {
            for (int row = fromRow, i = fromRow * m; row < toRow; row++) {
                int from = (row / samples) * m; // theta's row for sample row (theta repeated S times)
                for (int j = 0; j < m; j++, i++) {
                    float base = eps == null ? theta[from + j] : theta[from + j] + eps[i] * t;
                    float step = dy[i] * scale;
                    float signed = flip ? -step : step;
                    if (central) {
                        targets[i] = base + signed;
                        targets[size + i] = base - signed;
                    } else {
                        targets[i] = base - signed;
                    }
                }
            }
        });
        return new Values(targets);
    }

    @Override
    public Values solve(Values scores, boolean stacked) {
        Shape shape = stacked ? new Shape(2 * statesShape.get(0)).addAll(statesShape.slice(1)) : statesShape;
        return new Values(solver.solveOnHost(scores.values(), shape, scratch));
    }

    @Override
    public Halves<Values> halves(Values stacked) {
        return new Halves<>(stacked, new Values(stacked.values(), stacked.values().length / 2));
    }

    @Override
    public Values z() {
        return new Values(copies.states());
    }

    @Override
    public Difference<Values> difference(Values upper, Values lower, Lambda<Values> lambda, double factor) {
        float divisor = (float) (factor * ((BatchLambda<Values>) lambda).value());
        // D is -1, 0 or 1, so D / divisor equals D * (1 / divisor) bit for bit (the sign of a zero
        // included) unless 1 / divisor overflows; the product needs no branch or division per entry.
        float reciprocal = 1f / divisor;
        boolean multiply = Float.isFinite(reciprocal);
        float[] upperStates = upper.values();
        float[] lowerStates = lower.values();
        int upperOffset = upper.offset();
        int lowerOffset = lower.offset();
        int size = dy.length;
        int m = width();
        float[] quotient = new float[size];
        AtomicLong counted = new AtomicLong();
        inRowChunks(size / m, m, (fromRow, toRow) -> {
            long nonZero = 0;
            for (int i = fromRow * m; i < toRow * m; i++) {
                float d = upperStates[upperOffset + i] - lowerStates[lowerOffset + i];
                nonZero += d != 0 ? 1 : 0;
                quotient[i] = multiply ? d * reciprocal : d / divisor;
            }
            counted.addAndGet(nonZero);
        });
        return new Difference<>(new Values(quotient), counted.get());
    }

    @Override
    public float thetaNorm() {
        // ||theta repeated S times|| = sqrt(S) ||theta||; summed in double, held as the engine holds it
        return (float) Math.sqrt(samples * copies.thetaSquares());
    }

    @Override
    public float dyNorm() {
        return (float) Math.sqrt(dySquares);
    }

    @Override
    public long dyNonZeros() {
        long count = 0;
        for (float v : dy) {
            if (v != 0) {
                count++;
            }
        }
        return count;
    }

    @Override
    public Lambda<Values> perInputLambda(double alpha) {
        throw new UnsupportedOperationException("the host kernel computes one lambda per batch;"
                + " PerturbAndMapEstimator gives per-input lambdas to the engine kernel");
    }

    @Override
    public Values signedDy(int sign) {
        if (sign > 0) {
            return new Values(dy);
        }
        float[] negated = new float[dy.length];
        for (int i = 0; i < negated.length; i++) {
            negated[i] = -dy[i];
        }
        return new Values(negated);
    }

    @Override
    public Values zeros() {
        return new Values(new float[dy.length]);
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
     * over all the entries (a loop per row of 20 is too short to vectorise; one running index with
     * the test for {@code eps} inside was several times slower).
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
        IntStream.range(0, chunks)
                .parallel()
                .forEach(c -> work.run((int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks)));
    }

    /**
     * The sum of squares of {@code values} in double, which is also the finiteness check of a host
     * copy: a square of a finite float32 is below 1.2e77, so the sum is finite exactly when every
     * value is (NaN and infinities propagate); only then are the values searched, to name the first
     * bad one. One pass while the copy is hot in the cache, where a check and a later sum took two.
     *
     * <p>Four partial sums, of the entries at indices 0, 1, 2 and 3 modulo 4, added as {@code (s0 +
     * s1) + (s2 + s3)}: a fixed order (the same bits on every run and thread count) that lets the
     * processor overlap four additions, where one running sum waits for each.
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
}
