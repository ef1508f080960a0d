package dev.aimle.app.experiments.synthetic;

import dev.aimle.app.experiments.synthetic.PointKey.Group;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.Charts.Series;
import java.awt.Color;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;

/**
 * Summaries of a synthetic run: mean and standard deviation over the seeds of every group, the
 * markdown tables ({@value #MARKDOWN}) and the PNG figures. Works on incomplete runs too: a cell
 * over fewer seeds than configured says so, a group without any point shows a dash.
 */
public final class SyntheticReport {
    /** The markdown file. */
    public static final String MARKDOWN = "results.md";

    /** Fig. 3: one panel per n. */
    public static final String FIG3 = "fig3-cosine-vs-samples.png";

    /** Fig. 4: IMLE over lambda with the other estimators as reference lines. */
    public static final String FIG4 = "fig4-cosine-vs-lambda.png";

    /** Fig. 1: IMLE's cosine and sparsity over lambda. */
    public static final String FIG1 = "fig1-imle-bias-sparsity.png";

    /** The warm-up study. */
    public static final String WARMUP = "warmup-study.png";

    /** The MAP of a run made without --solver, as results.md names it. */
    public static final String DEFAULT_SOLVER = SyntheticConfig.SOLVER + ", k = 1";

    private final SyntheticConfig config;
    private final String solver;
    private final SyntheticPlan plan;
    private final Map<Group, Stats> stats;

    /**
     * Mean and spread of one group over the seeds measured.
     *
     * @param count seeds measured
     * @param cosine mean cosine similarity
     * @param cosineStd its sample standard deviation (0 for one seed)
     * @param zeros mean fraction of zero entries
     * @param zerosStd its standard deviation
     * @param seconds mean seconds per seed
     * @param aimleLambda mean lambda AIMLE used after warm-up (NaN for the others)
     */
    public record Stats(
            int count,
            double cosine,
            double cosineStd,
            double zeros,
            double zerosStd,
            double seconds,
            double aimleLambda) {}

    /**
     * @param results every measured point (any order; points outside the plan are ignored)
     */
    public SyntheticReport(SyntheticConfig config, List<PointResult> results) {
        this(config, results, DEFAULT_SOLVER);
    }

    /**
     * The report of a run made with {@code solver} (as {@code run.json} records it, e.g. {@code
     * "aimle-ilp:ilp problem=one-of-six.json"}), named in its description of the MAP.
     */
    public SyntheticReport(SyntheticConfig config, List<PointResult> results, String solver) {
        this.solver = solver;
        this.config = config;
        this.plan = SyntheticPlan.of(config);
        Map<Group, List<PointResult>> byGroup = new LinkedHashMap<>();
        for (PointResult r : results) {
            byGroup.computeIfAbsent(r.key().group(), g -> new ArrayList<>()).add(r);
        }
        Map<Group, Stats> s = new LinkedHashMap<>();
        byGroup.forEach((g, rs) -> s.put(g, summarise(rs)));
        this.stats = Map.copyOf(s);
    }

    private static Stats summarise(List<PointResult> rs) {
        return new Stats(
                rs.size(),
                mean(rs, PointResult::cosine),
                std(rs, PointResult::cosine),
                mean(rs, PointResult::zeroFraction),
                std(rs, PointResult::zeroFraction),
                mean(rs, PointResult::seconds),
                mean(rs, PointResult::aimleLambda));
    }

    private static double mean(List<PointResult> rs, ToDoubleFunction<PointResult> f) {
        return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static double std(List<PointResult> rs, ToDoubleFunction<PointResult> f) {
        if (rs.size() < 2) {
            return 0;
        }
        double m = mean(rs, f);
        double ss = rs.stream().mapToDouble(f).map(v -> (v - m) * (v - m)).sum();
        return Math.sqrt(ss / (rs.size() - 1));
    }

    /** The statistics of a group, or null when none of its seeds was measured. */
    public Stats stats(Group group) {
        return stats.get(group);
    }

    // ---------------------------------------------------------------- markdown

    /** The tables, as markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Synthetic experiment: gradient fidelity (AAAI-23, Fig. 1, 3, 4)\n\n");
        md.append(String.format(
                Locale.ROOT,
                "z one-hot in {0,1}^n, L(theta) = E ||z - b||^2 with theta ~ N(0, I), b ~ %s; cosine similarity"
                        + " between each estimate and the exact gradient (enumeration of the n states), mean ± std"
                        + " over %d seeds. Noise: %s. MAP: argmax (%s). AIMLE: paper defaults (c = 1,"
                        + " eta = 1e-3, alpha0 = 0), %d warm-up steps on the same theta and b before the measured"
                        + " estimate; a fresh estimator per seed and point.\n",
                config.absoluteB() ? "|N(0, I)|" : "N(0, I)",
                config.seeds(),
                config.noise(),
                solver,
                config.warmup()));
        if (config.methods().stream().anyMatch(Method::calibrated)) {
            md.append("AIMLE calibrated: the `calibrated` preset (alpha calibrated on the first batch, target"
                    + " c(S) = min(1.9, 2.7 S^-1/5) non-zeros per row central, half of it forward, then a"
                    + " proportional controller), the same warm-up steps.\n");
        }
        if (config.methods().stream().anyMatch(Method::noiseScaled)) {
            md.append("AIMLE noise-scaled: the `noise-scaled` preset (lambda = kappa S^-1/3 std(noise) /"
                    + " rms(dL/dz), kappa = 0.1 forward and 3 central; nothing adapts across steps), the same"
                    + " warm-up steps.\n");
        }
        fig3Markdown(md);
        bestLambdaMarkdown(md);
        sweepMarkdown(md);
        warmupMarkdown(md);
        timeMarkdown(md);
        return md.toString();
    }

    /** The Fig. 3 curves: one per method, and per IMLE lambda. */
    private List<Curve> fig3Curves() {
        List<Curve> curves = new ArrayList<>();
        int colour = 0;
        for (Method m : config.methods()) {
            if (m.usesLambda()) {
                for (double lambda : config.imleLambdas()) {
                    // "IMLE (forward)" -> "IMLE (forward, λ = 1)"
                    String label = m.label().substring(0, m.label().length() - 1) + ", λ = " + fmtLambda(lambda) + ")";
                    curves.add(new Curve(label, m, lambda, Charts.PALETTE.get(colour++ % Charts.PALETTE.size())));
                }
            } else {
                curves.add(new Curve(m.label(), m, Double.NaN, Charts.PALETTE.get(colour++ % Charts.PALETTE.size())));
            }
        }
        return curves;
    }

    /** One line of Fig. 3: a method (with IMLE's lambda). */
    private record Curve(String label, Method method, double lambda, Color colour) {}

    private Group fig3Group(Curve c, int n, int s) {
        return new Group(c.method(), n, s, c.lambda(), config.warmupOf(c.method()));
    }

    private void fig3Markdown(StringBuilder md) {
        md.append("\n## Fig. 3: cosine similarity vs the number of samples S\n");
        for (int n : config.sizes()) {
            md.append("\n### n = ").append(n).append("\n\n| estimator |");
            config.samples().forEach(s -> md.append(" S = ").append(s).append(" |"));
            md.append("\n|---|");
            config.samples().forEach(s -> md.append("---:|"));
            md.append('\n');
            for (Curve c : fig3Curves()) {
                md.append("| ").append(c.label()).append(" |");
                for (int s : config.samples()) {
                    md.append(' ')
                            .append(cell(stats(fig3Group(c, n, s)), Stats::cosine, Stats::cosineStd, 3))
                            .append(" |");
                }
                md.append('\n');
            }
        }
    }

    /**
     * With several IMLE lambdas in Fig. 3: at each (difference, n, S), the best IMLE over them (the
     * largest mean cosine, a lambda tuned on the very seeds it is measured on) next to each adaptive
     * method of the same difference, and whether the adaptive one is within 0.01 of it or above.
     */
    private void bestLambdaMarkdown(StringBuilder md) {
        if (config.imleLambdas().size() < 2) {
            return;
        }
        md.append("\n## Adaptive estimators against the best IMLE lambda at each point\n\n");
        md.append("Best IMLE: the largest mean cosine over the Fig. 3 lambdas ")
                .append(config.imleLambdas().stream()
                        .map(SyntheticReport::fmtLambda)
                        .toList())
                .append(" at that n and S (tuned on the seeds it is measured on). Δ: the adaptive estimator's mean"
                        + " minus the best IMLE's; ✓ within 0.01 of it or above.\n\n");
        md.append("| difference | n | S | best IMLE (λ) |");
        List<Method> adaptive = config.adaptiveMethods();
        adaptive.forEach(m -> md.append(' ').append(m.label()).append(" (Δ) |"));
        md.append("\n|---|---:|---:|---:|");
        adaptive.forEach(m -> md.append("---:|"));
        md.append('\n');
        for (Method imle : config.imleMethods()) {
            for (int n : config.sizes()) {
                for (int s : config.samples()) {
                    double best = Double.NEGATIVE_INFINITY;
                    double bestLambda = Double.NaN;
                    for (double lambda : config.imleLambdas()) {
                        Stats st = stats(new Group(imle, n, s, lambda, 0));
                        if (st != null && st.cosine() > best) {
                            best = st.cosine();
                            bestLambda = lambda;
                        }
                    }
                    if (Double.isNaN(bestLambda)) {
                        continue;
                    }
                    md.append(String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %s (%s) |",
                            imle.difference(),
                            n,
                            s,
                            fmt(best, 3),
                            fmtLambda(bestLambda)));
                    for (Method m : adaptive) {
                        Stats st = m.difference().equals(imle.difference())
                                ? stats(new Group(m, n, s, Double.NaN, config.warmupOf(m)))
                                : null;
                        if (st == null) {
                            md.append(" – |");
                        } else {
                            double delta = st.cosine() - best;
                            md.append(String.format(
                                    Locale.ROOT,
                                    " %s (%+.3f%s) |",
                                    fmt(st.cosine(), 3),
                                    delta,
                                    delta >= -0.01 ? " ✓" : ""));
                        }
                    }
                    md.append('\n');
                }
            }
        }
    }

    private void sweepMarkdown(StringBuilder md) {
        if (!config.hasLambdaSweep()) {
            return;
        }
        List<Method> imle = config.imleMethods();
        md.append(String.format(
                Locale.ROOT,
                "%n## Fig. 4 and Fig. 1: IMLE vs lambda (S = %d)%n%nCosine similarity, and (Fig. 1, bottom) the %% of"
                        + " zero entries of the estimate; the other estimators (no lambda) are the reference lines of"
                        + " Fig. 4.%n",
                config.lambdaSamples()));
        for (int n : config.lambdaSizes()) {
            md.append("\n### n = ").append(n).append("\n\n| λ |");
            imle.forEach(m -> md.append(' ').append(m.label()).append(" cosine |"));
            imle.forEach(m -> md.append(' ').append(m.label()).append(" % zeros |"));
            md.append("\n|---:|");
            imle.forEach(m -> md.append("---:|---:|"));
            md.append('\n');
            for (double lambda : config.lambdas()) {
                md.append("| ").append(fmtLambda(lambda)).append(" |");
                for (Method m : imle) {
                    md.append(' ')
                            .append(cell(stats(sweepGroup(m, n, lambda)), Stats::cosine, Stats::cosineStd, 3))
                            .append(" |");
                }
                for (Method m : imle) {
                    md.append(' ')
                            .append(cell(
                                    stats(sweepGroup(m, n, lambda)),
                                    st -> 100 * st.zeros(),
                                    st -> 100 * st.zerosStd(),
                                    1))
                            .append(" |");
                }
                md.append('\n');
            }
            List<Group> references =
                    plan.sweepReferences().stream().filter(g -> g.n() == n).toList();
            if (!references.isEmpty()) {
                md.append("\n| reference | cosine | % zeros | λ used (mean) |\n|---|---:|---:|---:|\n");
                for (Group g : references) {
                    Stats st = stats(g);
                    md.append("| ")
                            .append(g.method().label())
                            .append(" | ")
                            .append(cell(st, Stats::cosine, Stats::cosineStd, 3))
                            .append(" | ")
                            .append(cell(st, x -> 100 * x.zeros(), x -> 100 * x.zerosStd(), 1))
                            .append(" | ")
                            .append(st == null || Double.isNaN(st.aimleLambda()) ? "" : fmt(st.aimleLambda(), 3))
                            .append(" |\n");
                }
            }
        }
    }

    private Group sweepGroup(Method m, int n, double lambda) {
        return new Group(m, n, config.lambdaSamples(), lambda, 0);
    }

    private void warmupMarkdown(StringBuilder md) {
        if (!config.hasWarmupStudy()) {
            return;
        }
        int n = config.warmupStudySize();
        md.append(String.format(
                Locale.ROOT,
                "%n## Warm-up study: AIMLE cosine similarity vs S by warm-up steps (n = %d)%n%n"
                        + "The lambda AIMLE used for the measured estimate (mean over seeds) is in brackets.%n%n"
                        + "| estimator | warm-up |",
                n));
        config.warmupSamples().forEach(s -> md.append(" S = ").append(s).append(" |"));
        md.append("\n|---|---:|");
        config.warmupSamples().forEach(s -> md.append("---:|"));
        md.append('\n');
        for (Method m : config.adaptiveMethods()) {
            for (int w : config.warmupStudy()) {
                md.append("| ").append(m.label()).append(" | ").append(w).append(" |");
                for (int s : config.warmupSamples()) {
                    Stats st = stats(new Group(m, n, s, Double.NaN, w));
                    md.append(' ').append(cell(st, Stats::cosine, Stats::cosineStd, 3));
                    if (st != null) {
                        md.append(" [").append(fmt(st.aimleLambda(), 3)).append(']');
                    }
                    md.append(" |");
                }
                md.append('\n');
            }
        }
    }

    private void timeMarkdown(StringBuilder md) {
        md.append("\n## Time per point: mean seconds per seed (warm-up included)\n\n| estimator | n |");
        config.samples().forEach(s -> md.append(" S = ").append(s).append(" |"));
        md.append("\n|---|---:|");
        config.samples().forEach(s -> md.append("---:|"));
        md.append('\n');
        for (int n : config.sizes()) {
            for (Curve c : fig3Curves()) {
                md.append("| ").append(c.label()).append(" | ").append(n).append(" |");
                for (int s : config.samples()) {
                    Stats st = stats(fig3Group(c, n, s));
                    md.append(' ')
                            .append(st == null ? "–" : fmtSeconds(st.seconds()))
                            .append(" |");
                }
                md.append('\n');
            }
        }
    }

    private String cell(Stats st, Function<Stats, Double> mean, Function<Stats, Double> std, int digits) {
        if (st == null) {
            return "–";
        }
        String s = fmt(mean.apply(st), digits) + " ± " + fmt(std.apply(st), digits);
        return st.count() < config.seeds() ? s + " (" + st.count() + "/" + config.seeds() + " seeds)" : s;
    }

    private static String fmt(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String fmtSeconds(double seconds) {
        return seconds >= 0.1 ? fmt(seconds, 2) : String.format(Locale.ROOT, "%.2g", seconds);
    }

    static String fmtLambda(double lambda) {
        return lambda == Math.rint(lambda) && Math.abs(lambda) < 1e9
                ? Long.toString((long) lambda)
                : String.format(Locale.ROOT, "%s", stripZeros(lambda));
    }

    private static String stripZeros(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    // ---------------------------------------------------------------- figures

    /** Writes the PNG figures that have data into {@code dir}; returns their file names. */
    public List<String> writeFigures(Path dir) {
        List<String> written = new ArrayList<>();
        if (writeFig3(dir.resolve(FIG3))) {
            written.add(FIG3);
        }
        if (config.hasLambdaSweep()) {
            if (writeFig4(dir.resolve(FIG4))) {
                written.add(FIG4);
            }
            if (writeFig1(dir.resolve(FIG1))) {
                written.add(FIG1);
            }
        }
        if (config.hasWarmupStudy() && writeWarmup(dir.resolve(WARMUP))) {
            written.add(WARMUP);
        }
        return written;
    }

    private boolean writeFig3(Path file) {
        Map<Integer, List<Series>> byN = new LinkedHashMap<>();
        for (int n : config.sizes()) {
            List<Series> series = new ArrayList<>();
            for (Curve c : fig3Curves()) {
                line(
                                c.label(),
                                c.colour(),
                                false,
                                config.samples().stream()
                                        .map(s -> fig3Group(c, n, s))
                                        .toList(),
                                Group::samples,
                                false)
                        .ifPresent(series::add);
            }
            if (!series.isEmpty()) {
                byN.put(n, series);
            }
        }
        if (byN.isEmpty()) {
            return false;
        }
        // one y range for every panel, so that the sizes compare at a glance
        double lower = Math.max(
                -1,
                Math.floor(10
                                * byN.values().stream()
                                        .flatMap(List::stream)
                                        .mapToDouble(Series::lowest)
                                        .min()
                                        .orElse(0))
                        / 10);
        List<JFreeChart> panels = new ArrayList<>();
        byN.forEach((n, series) -> panels.add(Charts.chart(
                "n = " + n,
                "number of samples S (log scale)",
                "cosine similarity to the true gradient",
                true,
                series,
                Math.min(lower, 0),
                1.0)));
        Charts.writePng(file, title("Fig. 3: cosine similarity vs S"), panels, Math.min(2, panels.size()), 760, 480);
        return true;
    }

    private boolean writeFig4(Path file) {
        List<JFreeChart> panels = new ArrayList<>();
        for (int n : config.lambdaSizes()) {
            List<Series> series = sweepSeries(n, false, true);
            if (!series.isEmpty()) {
                panels.add(Charts.chart(
                        String.format(Locale.ROOT, "n = %d, S = %d", n, config.lambdaSamples()),
                        "IMLE λ",
                        "cosine similarity to the true gradient",
                        false,
                        series,
                        Double.NaN,
                        1.0));
            }
        }
        if (panels.isEmpty()) {
            return false;
        }
        Charts.writePng(file, title("Fig. 4: cosine similarity vs λ"), panels, Math.min(2, panels.size()), 820, 500);
        return true;
    }

    private boolean writeFig1(Path file) {
        List<JFreeChart> top = new ArrayList<>();
        List<JFreeChart> bottom = new ArrayList<>();
        for (int n : config.lambdaSizes()) {
            List<Series> cosine = sweepSeries(n, false, false);
            if (cosine.isEmpty()) {
                continue;
            }
            String sub = String.format(Locale.ROOT, "n = %d, S = %d", n, config.lambdaSamples());
            top.add(Charts.chart(
                    "Bias: " + sub,
                    "IMLE λ",
                    "cosine similarity to the true gradient",
                    false,
                    cosine,
                    Double.NaN,
                    1.0));
            bottom.add(Charts.chart(
                    "Sparsity: " + sub,
                    "IMLE λ",
                    "% zero entries of the estimate",
                    false,
                    sweepSeries(n, true, false),
                    0,
                    100));
        }
        if (top.isEmpty()) {
            return false;
        }
        List<JFreeChart> panels = new ArrayList<>(top);
        panels.addAll(bottom);
        Charts.writePng(
                file, title("Fig. 1: IMLE bias (top) and sparsity (bottom) vs λ"), panels, top.size(), 820, 420);
        return true;
    }

    /** The IMLE sweep curves at n, plus reference lines (all non-IMLE, or STE and SFE only as in Fig. 1). */
    private List<Series> sweepSeries(int n, boolean zeros, boolean allReferences) {
        List<Series> series = new ArrayList<>();
        int colour = 0;
        for (Method m : config.methods()) {
            Color c = Charts.PALETTE.get(colour++ % Charts.PALETTE.size());
            if (m.usesLambda()) {
                List<Group> groups =
                        config.lambdas().stream().map(l -> sweepGroup(m, n, l)).toList();
                line(m.label(), c, false, groups, Group::lambda, zeros).ifPresent(series::add);
            } else if (!zeros && (allReferences || !m.adaptive())) {
                Stats st = stats(new Group(m, n, config.lambdaSamples(), Double.NaN, config.warmupOf(m)));
                if (st != null) {
                    double lo = config.lambdas().get(0);
                    double hi = config.lambdas().get(config.lambdas().size() - 1);
                    series.add(new Series(
                            m.label() + " (no λ)",
                            new double[] {lo, hi},
                            new double[] {st.cosine(), st.cosine()},
                            new double[] {st.cosineStd(), st.cosineStd()},
                            c,
                            true));
                }
            }
        }
        return series;
    }

    private boolean writeWarmup(Path file) {
        int n = config.warmupStudySize();
        List<JFreeChart> panels = new ArrayList<>();
        for (Method m : config.adaptiveMethods()) {
            List<Series> series = new ArrayList<>();
            int colour = 0;
            for (int w : config.warmupStudy()) {
                List<Group> groups = config.warmupSamples().stream()
                        .map(s -> new Group(m, n, s, Double.NaN, w))
                        .toList();
                line(
                                w + " warm-up steps",
                                Charts.PALETTE.get(colour++ % Charts.PALETTE.size()),
                                false,
                                groups,
                                Group::samples,
                                false)
                        .ifPresent(series::add);
            }
            if (!series.isEmpty()) {
                panels.add(Charts.chart(
                        m.label() + ", n = " + n,
                        "number of samples S (log scale)",
                        "cosine similarity to the true gradient",
                        true,
                        series,
                        Double.NaN,
                        1.0));
            }
        }
        if (panels.isEmpty()) {
            return false;
        }
        Charts.writePng(
                file,
                title("AIMLE: effect of the warm-up steps of the λ controller"),
                panels,
                Math.min(2, panels.size()),
                760,
                480);
        return true;
    }

    /** A series over the groups that have data (x from the group), or empty. */
    private Optional<Series> line(
            String label, Color colour, boolean dashed, List<Group> groups, ToDoubleFunction<Group> x, boolean zeros) {
        List<double[]> points = new ArrayList<>();
        for (Group g : groups) {
            Stats st = stats(g);
            if (st != null) {
                points.add(
                        zeros
                                ? new double[] {x.applyAsDouble(g), 100 * st.zeros(), 100 * st.zerosStd()}
                                : new double[] {x.applyAsDouble(g), st.cosine(), st.cosineStd()});
            }
        }
        if (points.isEmpty()) {
            return Optional.empty();
        }
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] ms = points.stream().mapToDouble(p -> p[1]).toArray();
        double[] ss = points.stream().mapToDouble(p -> p[2]).toArray();
        return Optional.of(new Series(label, xs, ms, ss, colour, dashed));
    }

    private String title(String what) {
        return String.format(
                Locale.ROOT,
                "%s (mean ± std over %d seeds, b ~ %s, %s noise)",
                what,
                config.seeds(),
                config.absoluteB() ? "|N(0,I)|" : "N(0,I)",
                config.noise());
    }
}
