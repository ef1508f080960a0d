package dev.aimle.app.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.app.experiments.dvae.DvaeMethod;
import dev.aimle.app.experiments.dvae.DvaeModel;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.noise.Noise;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One training step of the DVAE experiment's model (batch 100, Adam) per method, next to a plain
 * autoencoder with the same layers and no discrete layer: the ratio is what the discrete layer costs.
 *
 * <p>The ratio is measured within one time window: for each method, blocks of steps of the method
 * and of the plain autoencoder alternate (both models stay open), so a change of load on a shared
 * machine hits both; the ratio is that of the two medians. The note also gives the process's CPU
 * time per step of each (all threads), which shows work moved to other cores.
 */
public final class DvaeStepBenchmark implements Benchmark {

    /** A method at a K. */
    private record Variant(String label, DvaeMethod method, int k, double lambda, boolean prefetch) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("AIMLE central", DvaeMethod.AIMLE_CENTRAL, 10, 0, true),
            new Variant("AIMLE central, no noise prefetch", DvaeMethod.AIMLE_CENTRAL, 10, 0, false),
            new Variant("AIMLE forward", DvaeMethod.AIMLE_FORWARD, 10, 0, true),
            new Variant("IMLE central, lambda 10", DvaeMethod.IMLE_CENTRAL, 10, 10, true),
            new Variant("STE", DvaeMethod.STE, 10, 0, true),
            new Variant("AIMLE central", DvaeMethod.AIMLE_CENTRAL, 1, 0, true),
            new Variant("Gumbel-softmax", DvaeMethod.GUMBEL_SOFTMAX, 1, 0, true));

    @Override
    public String name() {
        return "dvae";
    }

    @Override
    public String description() {
        return "a DVAE training step (batch 100, Adam) per method vs the plain autoencoder, alternating blocks";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        // a step allocates tens of arrays through the engine: the JIT and the allocator settle only after
        // dozens of steps (with 10 warm-up steps the first variant measured 3x its settled median)
        int warmUp = context.quick() ? 2 : 40;
        int blocks = context.quick() ? 1 : 4;
        int perBlock = context.quick() ? 5 : 15;
        List<BenchmarkResult> rows = new ArrayList<>();
        try (DvaeTraining plain = new DvaeTraining(DvaeModel.plainAutoencoder(DvaeTraining.PIXELS), context.seed())) {
            for (int i = 0; i < warmUp; i++) {
                plain.step();
            }
            // A throw-away pass of the first variant: measured first without it, AIMLE central K = 10
            // took 2.0-2.3x the plain autoencoder, and the same variant measured last 1.27x (4 runs).
            try (DvaeTraining first = new DvaeTraining(
                    DvaeModel.block(layer(context, VARIANTS.get(0)), DvaeTraining.PIXELS), context.seed())) {
                for (int i = 0; i < 3 * warmUp; i++) {
                    first.step();
                }
            }
            for (Variant v : VARIANTS) {
                try (DvaeTraining discrete =
                        new DvaeTraining(DvaeModel.block(layer(context, v), DvaeTraining.PIXELS), context.seed())) {
                    for (int i = 0; i < warmUp; i++) {
                        discrete.step();
                    }
                    double[] plainMillis = new double[blocks * perBlock];
                    double[] discreteMillis = new double[blocks * perBlock];
                    long[] plainCpu = new long[1];
                    long[] discreteCpu = new long[1];
                    for (int b = 0; b < blocks; b++) {
                        time(plain, plainMillis, b * perBlock, perBlock, plainCpu);
                        time(discrete, discreteMillis, b * perBlock, perBlock, discreteCpu);
                    }
                    double plainMedian = median(plainMillis);
                    double median = median(discreteMillis);
                    int n = discreteMillis.length;
                    rows.add(new BenchmarkResult(
                            name(),
                            v.label() + " step",
                            "[100, 784], K=" + v.k(),
                            n,
                            median,
                            Arrays.stream(discreteMillis).min().orElseThrow(),
                            String.format(
                                    Locale.ROOT,
                                    "%.2fx the plain autoencoder (%.3f ms in the same window); CPU %.1f vs %.1f ms/step",
                                    median / plainMedian,
                                    plainMedian,
                                    discreteCpu[0] / 1e6 / n,
                                    plainCpu[0] / 1e6 / n)));
                }
                context.progress().printf("dvae: %s K=%d done%n", v.label(), v.k());
                context.progress().flush();
            }
        }
        return rows;
    }

    private static DiscreteLayer layer(BenchmarkContext context, Variant v) {
        MapSolver topk = context.discovery().solvers().get("topk").create(Config.of("k", v.k()));
        return DiscreteLayer.builder()
                .solver(topk)
                .noise(v.k() == 1 ? Noise.gumbel() : Noise.sumOfGamma(v.k(), 10))
                .estimator(v.method().create(v.lambda(), false, null))
                .seed(context.seed())
                .prefetchNoise(v.prefetch())
                .build();
    }

    private static void time(DvaeTraining training, double[] millis, int from, int count, long[] cpu) {
        long cpuStart = processCpuNanos();
        for (int i = from; i < from + count; i++) {
            long start = System.nanoTime();
            training.step();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        cpu[0] += processCpuNanos() - cpuStart;
    }

    /** CPU time of the whole process, all threads (the engine's native ones included). */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
