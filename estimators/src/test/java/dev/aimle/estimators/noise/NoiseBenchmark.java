package dev.aimle.estimators.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Prints the median time of each way of drawing noise, for the shapes of the DVAE ([128, 400]: batch
 * 128, 20 x 20 latent) and of the synthetic experiment ([2560, 20]). It never asserts on time.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -o -q test-compile -pl estimators &amp;&amp; DJL_OFFLINE=true OPT_OUT_TRACKING=true \
 *   mvn -q org.codehaus.mojo:exec-maven-plugin:3.5.0:java -pl estimators -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.aimle.estimators.noise.NoiseBenchmark -Dexec.args=40
 * </pre>
 *
 * <p>PyTorch's intra-op threads compete with the sampler's threads on a small machine; set
 * {@code OMP_NUM_THREADS=1} to see the sampler alone.
 */
public final class NoiseBenchmark {

    private NoiseBenchmark() {}

    /** Runs every variant on both shapes. */
    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        System.out.printf(
                "processors=%d, repetitions=%d (after %d warm-up), median ms%n",
                Runtime.getRuntime().availableProcessors(), repetitions, repetitions / 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Shape shape : new Shape[] {new Shape(128, 400), new Shape(2560, 20)}) {
                run(manager, shape, repetitions);
            }
        }
    }

    private static void run(NDManager manager, Shape shape, int repetitions) {
        int size = (int) shape.size();
        SplittableRandom random = new SplittableRandom(42);
        SumOfGammaNoise sog = new SumOfGammaNoise(10, 10);
        GumbelNoise gumbel = new GumbelNoise();
        System.out.println("shape " + shape + " (" + size + " values)");
        report(
                "SoG(10,10) host, parallel chunks [production]",
                repetitions,
                manager,
                () -> sog.sample(manager, shape, random));
        report("SoG(10,10) host, one thread", repetitions, manager, () -> {
            float[] values = new float[size];
            sog.filler().fill(random.split(), values, 0, size);
            return manager.create(FloatBuffer.wrap(values), shape, DataType.FLOAT32);
        });
        report("SoG(10,10) host, one thread, generic boost exp(log U / a)", repetitions, manager, () -> {
            float[] values = new float[size];
            double offset = Math.log(10) / 10;
            for (int j = 0; j < size; j++) {
                double sum = 0;
                for (int i = 1; i <= 10; i++) {
                    sum += GammaSampler.nextGamma(random, 0.1) / i;
                }
                values[j] = (float) (sum - offset);
            }
            return manager.create(FloatBuffer.wrap(values), shape, DataType.FLOAT32);
        });
        report(
                "Gumbel host, parallel chunks [production]",
                repetitions,
                manager,
                () -> gumbel.sample(manager, shape, random));
        report("Gumbel host uniforms, -log(-log U) on device", repetitions, manager, () -> {
            float[] values = HostNoise.fill(size, random, (generator, v, from, to) -> {
                for (int i = from; i < to; i++) {
                    v[i] = (float) GammaSampler.nextOpenUniform(generator);
                }
            });
            try (NDManager scope = manager.newSubManager()) {
                NDArray u = scope.create(FloatBuffer.wrap(values), shape, DataType.FLOAT32);
                NDArray result = u.log().neg().log().neg();
                result.attach(manager);
                return result;
            }
        });
        report("none (zeros)", repetitions, manager, () -> new NoNoise().sample(manager, shape, random));
    }

    private static void report(String label, int repetitions, NDManager manager, Supplier<NDArray> draw) {
        int warmUp = repetitions / 2;
        double[] millis = new double[repetitions];
        for (int r = -warmUp; r < repetitions; r++) {
            long start = System.nanoTime();
            NDArray result = draw.get();
            result.toFloatArray(); // forces completion on asynchronous devices
            long elapsed = System.nanoTime() - start;
            result.close();
            if (r >= 0) {
                millis[r] = elapsed / 1e6;
            }
        }
        Arrays.sort(millis);
        System.out.printf("  %-82s %8.3f%n", label, millis[repetitions / 2]);
    }
}
