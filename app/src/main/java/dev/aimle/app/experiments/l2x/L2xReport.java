package dev.aimle.app.experiments.l2x;

import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.Specs;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.RunGroup;
import dev.aimle.app.report.SeedStatistics;
import dev.aimle.app.report.SweepReport;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;

/**
 * The learning-to-explain report ({@link SweepReport}), from whatever the run directories hold, in the layout of the
 * paper's Table 1. Each run is read at its epoch of lowest validation MSE (the checkpoint the
 * reference keeps); a configuration (method, k, t, lambda) is the mean ± std over its seeds; per
 * method and k, t (and IMLE's lambda) is chosen by the lowest validation MSE of the tuning seed
 * (seed 0), so that seeds added later to the chosen configurations leave the choice alone.
 *
 * <p>Writes {@code summary.csv} (a line per run), {@code results.md} (Table 1 per k, then every
 * configuration), {@code validation-mse.png} and {@code subset-precision.png} (per epoch, chosen
 * configurations, a panel per k) and {@code explanations.md} (annotated reviews with the selected
 * words of each chosen method marked).
 */
final class L2xReport implements SweepReport.Layout<L2xSpec> {
    static void write(Path out, List<RunUnit<L2xSpec>> runs, PrintWriter log) throws IOException {
        SweepReport.write(L2xExperiment.NAME, out, runs, new L2xReport(), log);
    }

    /** A run read at its best validation epoch. */
    record Best(L2xSpec spec, int epoch, double validation, double test, double precision) {}

    /** The run at its epoch of lowest validation MSE (the later one on a tie, as the reference), or null. */
    static Best best(L2xSpec spec, List<Map<String, Double>> rows) {
        Map<String, Double> pick = null;
        for (Map<String, Double> r : rows) {
            if (pick == null || r.get("validation_mse") <= pick.get("validation_mse")) {
                pick = r;
            }
        }
        return pick == null
                ? null
                : new Best(
                        spec,
                        pick.get("epoch").intValue(),
                        pick.get("validation_mse"),
                        pick.get("test_mse"),
                        pick.get("subset_precision"));
    }

    /** Each seed of a configuration at its best epoch. */
    static List<Best> best(RunGroup<L2xSpec> g) {
        List<Best> best = new ArrayList<>();
        for (int i = 0; i < g.runs().size(); i++) {
            best.add(best(g.runs().get(i).spec(), g.seeds().get(i)));
        }
        return best;
    }

    /** Mean ± std over seeds of a figure of each seed's best epoch. */
    static double[] stat(RunGroup<L2xSpec> g, ToDoubleFunction<Best> f) {
        return SeedStatistics.meanStd(best(g).stream().mapToDouble(f).toArray());
    }

    /** A configuration is its k and label (method, t, λ), as {@code --chosen-only} names it. */
    @Override
    public String groupKey(L2xSpec spec) {
        return spec.k() + "|" + spec.label();
    }

    /** Only complete runs: one that stopped early (e.g. on a NaN) is listed apart, not averaged in. */
    @Override
    public boolean averaged(RunUnit<L2xSpec> run) throws IOException {
        return run.complete();
    }

    /** The configurations of the complete runs, in the order of their first run. */
    static List<RunGroup<L2xSpec>> groups(List<RunUnit<L2xSpec>> runs) throws IOException {
        return new ArrayList<>(SweepReport.groups(runs, new L2xReport()).values());
    }

    /**
     * The validation MSE a configuration is chosen by: its tuning seed's (the lowest seed it has, 0 in a
     * full grid), so that adding seeds to the chosen configurations later does not change the choice.
     */
    static double tuningValidation(RunGroup<L2xSpec> g) {
        return best(g).stream()
                .min(Comparator.comparingLong(b -> b.spec().seed()))
                .orElseThrow()
                .validation();
    }

    /** Per k, per method (in the methods' order): the configuration of lowest validation MSE on the tuning seed. */
    static Map<Integer, List<RunGroup<L2xSpec>>> chosen(Collection<RunGroup<L2xSpec>> groups) {
        Map<Integer, List<RunGroup<L2xSpec>>> out = new LinkedHashMap<>();
        for (int k : new TreeSet<>(groups.stream().map(g -> g.first().k()).toList())) {
            List<RunGroup<L2xSpec>> list = new ArrayList<>();
            for (L2xMethod m : L2xMethod.values()) {
                RunGroup.choose(groups, s -> s.k() == k && s.method() == m, L2xReport::tuningValidation, false)
                        .ifPresent(list::add);
            }
            out.put(k, list);
        }
        return out;
    }

    @Override
    public String summaryHeader() {
        return "run,method,k,temperature,lambda,seed,epochs_done,best_epoch,"
                + "validation_mse,test_mse,subset_precision,seconds_per_epoch\n";
    }

    @Override
    public String summaryLine(L2xSpec s, List<Map<String, Double>> rows) {
        Best b = best(s, rows);
        return String.format(
                Locale.ROOT,
                "%s,%s,%d,%s,%s,%d,%d,%d,%.6f,%.6f,%.6f,%.1f%n",
                s.id(),
                s.method().id(),
                s.k(),
                Specs.format(s.temperature()),
                s.method().usesLambda() ? Specs.format(s.lambda()) : "",
                s.seed(),
                rows.size(),
                b.epoch(),
                b.validation(),
                b.test(),
                b.precision(),
                SweepReport.meanSeconds(rows));
    }

    @Override
    public String tables(Map<String, RunGroup<L2xSpec>> groups, List<RunUnit<L2xSpec>> runs) {
        return markdown(runs, new ArrayList<>(groups.values()), chosen(groups.values()));
    }

    @Override
    public String figures(Path out, Map<String, RunGroup<L2xSpec>> groups) throws IOException {
        Map<Integer, List<RunGroup<L2xSpec>>> chosen = chosen(groups.values());
        figure(
                out.resolve("validation-mse.png"),
                "Validation MSE ×100 (chosen t, λ; mean ± std over seeds)",
                chosen,
                "validation_mse",
                100);
        figure(
                out.resolve("subset-precision.png"),
                "Subset precision ×100 (chosen t, λ; mean ± std over seeds)",
                chosen,
                "subset_precision",
                100);
        RunDirectory.writeAtomically(out.resolve("explanations.md"), explanations(chosen));
        return "validation-mse.png, subset-precision.png, explanations.md";
    }

    private static String markdown(
            List<RunUnit<L2xSpec>> runs, List<RunGroup<L2xSpec>> groups, Map<Integer, List<RunGroup<L2xSpec>>> chosen) {
        StringBuilder md = new StringBuilder("# Learning to explain (paper Table 1)\n\n");
        if (!runs.isEmpty()) {
            L2xSpec s = runs.get(0).spec();
            md.append(String.format(
                    Locale.ROOT,
                    "Aspect *%s*, data: %s. Each run is read at its epoch of lowest validation MSE; t (and λ) chosen"
                            + " per method and k by seed 0's validation MSE. Test MSE and subset precision ×100, mean ± std"
                            + " over seeds; the random and oracle explainers (fixed, only their predictor trained) are the scale, and bold marks"
                            + " the best of the other methods.%n%n",
                    s.aspect().id(),
                    s.generated() ? "the generated rationale task" : s.data()));
        }
        for (Map.Entry<Integer, List<RunGroup<L2xSpec>>> e : chosen.entrySet()) {
            md.append("## k = ").append(e.getKey()).append("\n\n");
            md.append("| method | seeds | epochs | test MSE | subset precision | validation MSE |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            // the best among the methods: the random and oracle explainers are the scale, not contenders
            double bestPrecision = e.getValue().stream()
                    .filter(g -> !g.first().method().fixed())
                    .mapToDouble(g -> stat(g, Best::precision)[0])
                    .max()
                    .orElse(Double.NaN);
            double bestMse = e.getValue().stream()
                    .filter(g -> !g.first().method().fixed())
                    .mapToDouble(g -> stat(g, Best::test)[0])
                    .min()
                    .orElse(Double.NaN);
            for (RunGroup<L2xSpec> g : e.getValue()) {
                double[] test = stat(g, Best::test);
                double[] precision = stat(g, Best::precision);
                double[] validation = stat(g, Best::validation);
                String mse = String.format(Locale.ROOT, "%.3f ± %.3f", 100 * test[0], 100 * test[1]);
                String prec = String.format(Locale.ROOT, "%.2f ± %.2f", 100 * precision[0], 100 * precision[1]);
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %d | %s | %s | %.3f ± %.3f |%n",
                        chosenLabel(g.first()),
                        g.runs().size(),
                        g.runs().stream().mapToInt(r -> r.spec().epochs()).max().orElse(0),
                        test[0] == bestMse && !g.first().method().fixed() ? "**" + mse + "**" : mse,
                        precision[0] == bestPrecision && !g.first().method().fixed() ? "**" + prec + "**" : prec,
                        100 * validation[0],
                        100 * validation[1]));
            }
            md.append('\n');
        }
        List<String> unfinished = new ArrayList<>();
        for (RunUnit<L2xSpec> run : runs) {
            try {
                if (!run.complete()) {
                    unfinished.add(String.format(
                            Locale.ROOT,
                            "%s (%d of %d epochs)",
                            run.spec().id(),
                            run.results().size(),
                            run.spec().epochs()));
                }
            } catch (IOException e) {
                unfinished.add(run.spec().id() + " (unreadable: " + e.getMessage() + ")");
            }
        }
        if (!unfinished.isEmpty()) {
            md.append("Runs not finished, left out of the tables (see their log.txt): ")
                    .append(String.join(", ", unfinished))
                    .append(".\n\n");
        }
        md.append("## Every configuration\n\n");
        md.append("| k | configuration | seeds | validation MSE | test MSE | subset precision | best epoch |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|\n");
        for (RunGroup<L2xSpec> g : groups) {
            double[] v = stat(g, Best::validation);
            double[] t = stat(g, Best::test);
            double[] p = stat(g, Best::precision);
            double[] epoch = stat(g, Best::epoch);
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %d | %.3f ± %.3f | %.3f ± %.3f | %.2f ± %.2f | %.1f |%n",
                    g.first().k(),
                    g.first().label(),
                    g.runs().size(),
                    100 * v[0],
                    100 * v[1],
                    100 * t[0],
                    100 * t[1],
                    100 * p[0],
                    100 * p[1],
                    epoch[0]));
        }
        return md.toString();
    }

    /** The paper's way of naming a chosen configuration, e.g. {@code IMLE (C, λ = 100, τ = 1)}. */
    static String chosenLabel(L2xSpec s) {
        String label = s.method().label();
        if (s.method().fixed()) {
            return label + " explainer";
        }
        String inner = (s.method().usesLambda() ? "λ = " + Specs.format(s.lambda()) + ", " : "") + "τ = "
                + Specs.format(s.temperature());
        if (label.endsWith(")")) {
            return label.substring(0, label.length() - 1) + ", " + inner + ")";
        }
        return label + " (" + inner + ")";
    }

    private static void figure(
            Path file, String title, Map<Integer, List<RunGroup<L2xSpec>>> chosen, String column, double scale) {
        List<JFreeChart> panels = new ArrayList<>();
        for (Map.Entry<Integer, List<RunGroup<L2xSpec>>> e : chosen.entrySet()) {
            List<Charts.Series> series = new ArrayList<>();
            for (RunGroup<L2xSpec> g : e.getValue()) {
                double[][] c = g.curve("epoch", column);
                if (c[0].length == 0) {
                    continue;
                }
                for (int i = 0; i < c[1].length; i++) {
                    c[1][i] *= scale;
                    c[2][i] *= scale;
                }
                Color colour = Charts.PALETTE.get(g.first().method().ordinal() % Charts.PALETTE.size());
                series.add(new Charts.Series(chosenLabel(g.first()), c[0], c[1], c[2], colour, false));
            }
            if (!series.isEmpty()) {
                panels.add(Charts.chart(
                        "k = " + e.getKey(),
                        "epoch",
                        column.replace('_', ' ') + " ×100",
                        false,
                        series,
                        Double.NaN,
                        Double.NaN));
            }
        }
        if (!panels.isEmpty()) {
            Charts.writePng(file, title, panels, Math.min(3, panels.size()), 620, 400);
        }
    }

    /** The first annotated reviews with each chosen method's selection (seed 0's best epoch). */
    private static String explanations(Map<Integer, List<RunGroup<L2xSpec>>> chosen) throws IOException {
        StringBuilder md = new StringBuilder("# Explanations\n\nAnnotated reviews with the words each method selects"
                + " (MAP selection of the first seed's run at its best validation epoch): **selected**,"
                + " _rationale_ (the annotated span of the aspect), **_both_**.\n\n");
        for (Map.Entry<Integer, List<RunGroup<L2xSpec>>> e : chosen.entrySet()) {
            md.append("## k = ").append(e.getKey()).append("\n\n");
            List<List<Map<String, Object>>> perMethod = new ArrayList<>();
            for (RunGroup<L2xSpec> g : e.getValue()) {
                perMethod.add(L2xSession.bestReviews(g.runs().get(0).dir()));
            }
            int reviews = perMethod.stream().mapToInt(List::size).min().orElse(0);
            for (int r = 0; r < Math.min(3, reviews); r++) {
                md.append("### Review ").append(r + 1).append("\n\n");
                for (int m = 0; m < e.getValue().size(); m++) {
                    md.append("- ")
                            .append(chosenLabel(e.getValue().get(m).first()))
                            .append(": ")
                            .append(marked(perMethod.get(m).get(r)))
                            .append('\n');
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static String marked(Map<String, Object> review) {
        List<?> tokens = (List<?>) review.get("tokens");
        TreeSet<Integer> selected = integers(review.get("selected"));
        TreeSet<Integer> rationale = integers(review.get("rationale"));
        StringBuilder sb = new StringBuilder();
        int hits = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = String.valueOf(tokens.get(i)).replaceAll("([*_`\\\\\\[\\]|<>])", "\\\\$1");
            boolean s = selected.contains(i);
            boolean a = rationale.contains(i);
            hits += s && a ? 1 : 0;
            sb.append(i == 0 ? "" : " ")
                    .append(s && a ? "**_" + t + "_**" : s ? "**" + t + "**" : a ? "_" + t + "_" : t);
        }
        return sb.append(String.format(Locale.ROOT, " (%d of %d selected in the rationale)", hits, selected.size()))
                .toString();
    }

    private static TreeSet<Integer> integers(Object list) {
        TreeSet<Integer> out = new TreeSet<>();
        for (Object o : (List<?>) list) {
            out.add(((Number) o).intValue());
        }
        return out;
    }
}
