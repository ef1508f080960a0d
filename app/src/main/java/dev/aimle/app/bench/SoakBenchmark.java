package dev.aimle.app.bench;

import dev.aimle.api.Config;
import dev.aimle.app.experiments.dvae.DvaeMethod;
import dev.aimle.app.experiments.dvae.DvaeModel;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.noise.Noise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory soak (issue 13): the DVAE training loop (AIMLE central, K = 10, Sum-of-Gamma, S = 1,
 * batch 100, Adam) for {@code --soak-steps} steps (default 20,000, about 10-20 minutes here), printing
 * the resident set size (Linux {@code /proc/self/status}) and the engine's live arrays after warm-up
 * (a tenth of the steps, at most 1,000) and at the end, with the largest RSS seen between: flat means
 * the end within 5 % of the warm-up figure. Not part of a plain {@code aimle bench}: run it with
 * {@code --only soak}.
 */
public final class SoakBenchmark implements Benchmark {

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "memory soak: DVAE training steps (--soak-steps, default 20000), RSS and live arrays; only with --only";
    }

    @Override
    public boolean runsByDefault() {
        return false;
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int steps = context.quick() ? Math.min(200, context.soakSteps()) : context.soakSteps();
        int warmUp = Math.max(1, Math.min(1000, steps / 10));
        DiscreteLayer layer = DiscreteLayer.builder()
                .solver(context.discovery().solvers().get("topk").create(Config.of("k", 10)))
                .noise(Noise.sumOfGamma(10, 10))
                .estimator(DvaeMethod.AIMLE_CENTRAL.create(0, false, null))
                .seed(context.seed())
                .build();
        double[] millis = new double[steps - warmUp];
        long rssAfterWarmUp;
        long rssMax;
        long rssEnd;
        int arraysAfterWarmUp;
        int arraysEnd;
        try (DvaeTraining training = new DvaeTraining(DvaeModel.block(layer, DvaeTraining.PIXELS), context.seed())) {
            for (int i = 0; i < warmUp; i++) {
                training.step();
            }
            System.gc();
            rssAfterWarmUp = residentKilobytes();
            rssMax = rssAfterWarmUp;
            arraysAfterWarmUp = training.liveArrays();
            int every = Math.max(1, millis.length / 20);
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                training.step();
                millis[i] = (System.nanoTime() - start) / 1e6;
                if ((i + 1) % every == 0) {
                    rssMax = Math.max(rssMax, residentKilobytes());
                    context.progress()
                            .printf(
                                    Locale.ROOT,
                                    "soak: step %d of %d, RSS %.1f MB%n",
                                    warmUp + i + 1,
                                    steps,
                                    residentKilobytes() / 1024.0);
                    context.progress().flush();
                }
            }
            System.gc();
            rssEnd = residentKilobytes();
            rssMax = Math.max(rssMax, rssEnd);
            arraysEnd = training.liveArrays();
        }
        List<BenchmarkResult> rows = new ArrayList<>();
        String rss = rssAfterWarmUp <= 0
                ? "RSS unavailable (no /proc/self/status)"
                : String.format(
                        Locale.ROOT,
                        "RSS %.1f MB after %d steps, %.1f MB after %d (%+.1f%%), max %.1f MB; live arrays %d -> %d",
                        rssAfterWarmUp / 1024.0,
                        warmUp,
                        rssEnd / 1024.0,
                        steps,
                        100.0 * (rssEnd - rssAfterWarmUp) / rssAfterWarmUp,
                        rssMax / 1024.0,
                        arraysAfterWarmUp,
                        arraysEnd);
        rows.add(new BenchmarkResult(
                name(),
                "DVAE step, AIMLE central, SoG",
                "[100, 784], K=10, " + steps + " steps",
                millis.length,
                DvaeStepBenchmark.median(millis),
                min(millis),
                rss));
        return rows;
    }

    private static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** VmRSS of this process in kB, or -1 where /proc is not available. */
    static long residentKilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
