package dev.aimle.api.contract;

import static dev.aimle.api.contract.ContractViolation.require;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.NoiseDistribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The contract of {@link NoiseDistribution} (see its javadoc) as checks: float32 noise of the asked
 * shape on the manager's device, owned by that manager; finite values whose mean and variance match
 * the distribution's closed forms; the same numbers for the same generator state on any thread and
 * under concurrent calls; a generator advanced by every draw.
 *
 * <p>The moments are estimated from {@link #DRAWS} values drawn with seed {@code seed() + 1}; the
 * mean must lie within {@value #STANDARD_ERRORS} standard errors {@code sqrt(variance / N)} of the
 * closed form, the variance within {@value #STANDARD_ERRORS} standard errors of the sample variance,
 * {@code sqrt((m4 - s^4) / N)} with m4 the sample's fourth central moment. A distribution of variance
 * 0 must draw its mean exactly.
 */
public class NoiseDistributionContract {
    /** How many values the moment check draws. */
    public static final int DRAWS = 200_000;

    /** How many standard errors the sample moments may be off. */
    public static final double STANDARD_ERRORS = 5;

    private final NoiseDistribution noise;
    private final double mean;
    private final double variance;
    private final NDManager manager;

    /**
     * @param noise the distribution under check
     * @param mean its mean in closed form
     * @param variance its variance in closed form, at least 0
     * @param manager owns every array the checks create; the caller closes it
     */
    public NoiseDistributionContract(NoiseDistribution noise, double mean, double variance, NDManager manager) {
        this.noise = Objects.requireNonNull(noise, "noise");
        if (!Double.isFinite(mean) || !(variance >= 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException(
                    "mean (" + mean + ") must be finite and variance (" + variance + ") finite and at least 0");
        }
        this.mean = mean;
        this.variance = variance;
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** The base of every check's seed. */
    protected long seed() {
        return 0;
    }

    private String who() {
        return "noise '" + noise.name() + "'";
    }

    /** A draw of shape {@code [3, 5, 7]} is float32, of that shape, on the manager's device, owned by it. */
    public String sampleHasTheShapeDtypeDeviceAndManager() {
        Shape shape = new Shape(3, 5, 7);
        NDArray drawn;
        try (NDManager scope = manager.newSubManager()) {
            drawn = noise.sample(scope, shape, new SplittableRandom(seed()));
            require(shape.equals(drawn.getShape()), who() + " drew shape " + drawn.getShape() + " for " + shape);
            require(DataType.FLOAT32 == drawn.getDataType(), who() + " drew " + drawn.getDataType() + ", not float32");
            require(
                    scope.getDevice().equals(drawn.getDevice()),
                    who() + " drew on " + drawn.getDevice() + " for a manager on " + scope.getDevice());
        }
        require(drawn.isReleased(), who() + " attached its result to another manager than the one it was given");
        return shape + " float32 on " + manager.getDevice();
    }

    /** A shape with no elements gives an empty float32 array of that shape. */
    public String anEmptyShapeGivesAnEmptyArray() {
        Shape empty = new Shape(0, 4);
        NDArray drawn = noise.sample(manager, empty, new SplittableRandom(seed()));
        require(empty.equals(drawn.getShape()), who() + " drew shape " + drawn.getShape() + " for " + empty);
        require(DataType.FLOAT32 == drawn.getDataType(), who() + " drew " + drawn.getDataType() + " for " + empty);
        return empty.toString();
    }

    /** The sample mean and variance of {@link #DRAWS} values agree with the closed forms (see the class javadoc). */
    public String momentsMatchTheClosedForms() {
        long seed = seed() + 1;
        float[] values;
        try (NDManager scope = manager.newSubManager()) {
            values = noise.sample(scope, new Shape(DRAWS), new SplittableRandom(seed))
                    .toFloatArray();
        }
        double sum = 0;
        for (float v : values) {
            require(Float.isFinite(v), who() + " drew " + v + " (seed " + seed + ")");
            sum += v;
        }
        double sampleMean = sum / values.length;
        double m2 = 0;
        double m4 = 0;
        for (float v : values) {
            double d = v - sampleMean;
            m2 += d * d;
            m4 += d * d * d * d;
        }
        double sampleVariance = m2 / (values.length - 1);
        m4 /= values.length;
        String detail = String.format(
                Locale.ROOT,
                "seed %d, %d draws: mean %.5f (closed form %.5f), variance %.5f (closed form %.5f)",
                seed,
                values.length,
                sampleMean,
                mean,
                sampleVariance,
                variance);
        if (variance == 0) {
            require(sampleMean == mean && sampleVariance == 0, who() + ": " + detail + "; every draw must be the mean");
            return detail;
        }
        double meanError = STANDARD_ERRORS * Math.sqrt(variance / values.length);
        double varianceError =
                STANDARD_ERRORS * Math.sqrt(Math.max(0, m4 - sampleVariance * sampleVariance) / values.length);
        require(
                Math.abs(sampleMean - mean) <= meanError,
                who() + ": " + detail + "; the mean is off by more than " + meanError);
        require(
                Math.abs(sampleVariance - variance) <= varianceError,
                who() + ": " + detail + "; the variance is off by more than " + varianceError);
        return detail;
    }

    /**
     * The same generator state gives the same numbers whichever thread draws them, and four draws on
     * four threads at once give what they give one after another.
     */
    public String sameSeedGivesSameNumbersOnAnyThread() throws InterruptedException {
        Shape shape = new Shape(64, 33);
        int threads = 4;
        List<float[]> sequential = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            sequential.add(draw(shape, seed() + 10 + t));
        }
        require(
                Arrays.equals(sequential.get(0), draw(shape, seed() + 10)),
                who() + ": two draws with seed " + (seed() + 10) + " differ");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = seed() + 10 + t;
                futures.add(pool.submit(() -> draw(shape, seed)));
            }
            for (int t = 0; t < threads; t++) {
                float[] concurrent;
                try {
                    concurrent = futures.get(t).get();
                } catch (ExecutionException e) {
                    throw new ContractViolation(who() + ": a draw on another thread threw " + e.getCause());
                }
                require(
                        Arrays.equals(sequential.get(t), concurrent),
                        who() + ": seed " + (seed() + 10 + t) + " drawn on another thread, " + threads
                                + " at once, differs from the same draw on the caller's thread");
            }
        } finally {
            pool.shutdownNow();
        }
        return threads + " threads, shape " + shape;
    }

    /** Two draws in a row from one generator differ (unless the variance is 0): the call advances it. */
    public String theGeneratorIsAdvanced() {
        if (variance == 0) {
            return "skipped: a distribution of variance 0 draws its mean every time";
        }
        SplittableRandom random = new SplittableRandom(seed() + 2);
        try (NDManager scope = manager.newSubManager()) {
            float[] first = noise.sample(scope, new Shape(16), random).toFloatArray();
            float[] second = noise.sample(scope, new Shape(16), random).toFloatArray();
            require(
                    !Arrays.equals(first, second),
                    who() + ": two draws in a row from one generator (seed " + (seed() + 2) + ") are equal");
        }
        return "";
    }

    private float[] draw(Shape shape, long seed) {
        try (NDManager scope = manager.newSubManager()) {
            return noise.sample(scope, shape, new SplittableRandom(seed)).toFloatArray();
        }
    }
}
