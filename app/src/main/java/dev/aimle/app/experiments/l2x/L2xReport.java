package dev.aimle.app.experiments.l2x;

import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.SeedStatistics;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;

/**
 * The learning-to-explain report, from whatever the run directories hold, in the layout of the
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
final class L2xReport {
    private L2xReport() {}

    /** A run read at its best validation epoch. */
    record Best(L2xSpec spec, int epoch, double validation, double test, double precision) {}

    /** A configuration over its seeds. */
    record Group(L2xSpec first, List<RunUnit<L2xSpec>> runs, List<Best> best) {
        String label() {
            return first.label();
        }

        double[] stat(java.util.function.ToDoubleFunction<Best> f) {
            return SeedStatistics.meanStd(best.stream().mapToDouble(f).toArray());
        }

        /** Mean ± std over seeds of a column per epoch, up to the epochs all seeds reached. */
        double[][] curve(String column) throws IOException {
            List<List<Map<String, Double>>> rows = new ArrayList<>();
            for (RunUnit<L2xSpec> r : runs) {
                rows.add(r.results());
            }
            int e = rows.stream().mapToInt(List::size).min().orElse(0);
            double[][] c = new double[3][e];
            for (int i = 0; i < e; i++) {
                final int epoch = i;
                double[] ms = SeedStatistics.meanStd(
                        rows.stream().mapToDouble(r -> r.get(epoch).get(column)).toArray());
                c[0][i] = i + 1;
                c[1][i] = ms[0];
                c[2][i] = ms[1];
            }
            return c;
        }
    }

    /** The run at its epoch of lowest validation MSE (the later one on a tie, as the reference), or null. */
    static Best best(RunUnit<L2xSpec> run) throws IOException {
        List<Map<String, Double>> rows = run.results();
        Map<String, Double> pick = null;
        for (Map<String, Double> r : rows) {
            if (pick == null || r.get("validation_mse") <= pick.get("validation_mse")) {
                pick = r;
            }
        }
        return pick == null
                ? null
                : new Best(
                        run.spec(),
                        pick.get("epoch").intValue(),
                        pick.get("validation_mse"),
                        pick.get("test_mse"),
                        pick.get("subset_precision"));
    }

    /**
     * The configurations of the complete runs, in grid order (a run that stopped early, e.g. on a NaN,
     * is listed apart by the report, not averaged in).
     */
    static List<Group> groups(List<RunUnit<L2xSpec>> runs) throws IOException {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (RunUnit<L2xSpec> run : runs) {
            Best b = best(run);
            if (b == null || !run.complete()) {
                continue;
            }
            String key = run.spec().k() + "|" + run.spec().label();
            groups.computeIfAbsent(key, x -> new Group(run.spec(), new ArrayList<>(), new ArrayList<>()));
            groups.get(key).runs().add(run);
            groups.get(key).best().add(b);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * The validation MSE a configuration is chosen by: its tuning seed's (the lowest seed it has, 0 in a
     * full grid), so that adding seeds to the chosen configurations later does not change the choice.
     */
    static double tuningValidation(Group g) {
        return g.best().stream()
                .min(Comparator.comparingLong(b -> b.spec().seed()))
                .orElseThrow()
                .validation();
    }

    /** Per k, per method: the configuration of lowest validation MSE on the tuning seed. */
    static Map<Integer, List<Group>> chosen(List<Group> groups) {
        Map<Integer, Map<L2xMethod, Group>> picked = new LinkedHashMap<>();
        for (Group g : groups) {
            Map<L2xMethod, Group> perMethod = picked.computeIfAbsent(g.first().k(), x -> new LinkedHashMap<>());
            Group current = perMethod.get(g.first().method());
            if (current == null || tuningValidation(g) < tuningValidation(current)) {
                perMethod.put(g.first().method(), g);
            }
        }
        Map<Integer, List<Group>> out = new LinkedHashMap<>();
        for (int k : new TreeSet<>(picked.keySet())) {
            List<Group> list = new ArrayList<>(picked.get(k).values());
            list.sort(Comparator.comparing(g -> g.first().method().ordinal()));
            out.put(k, list);
        }
        return out;
    }

    static void write(Path out, List<RunUnit<L2xSpec>> runs, PrintWriter log) throws IOException {
        StringBuilder summary = new StringBuilder("run,method,k,temperature,lambda,seed,epochs_done,best_epoch,"
                + "validation_mse,test_mse,subset_precision,seconds_per_epoch\n");
        for (RunUnit<L2xSpec> run : runs) {
            Best b = best(run);
            if (b == null) {
                continue;
            }
            List<Map<String, Double>> rows = run.results();
            L2xSpec s = run.spec();
            summary.append(String.format(
                    Locale.ROOT,
                    "%s,%s,%d,%s,%s,%d,%d,%d,%.6f,%.6f,%.6f,%.1f%n",
                    s.id(),
                    s.method().id(),
                    s.k(),
                    L2xSpec.format(s.temperature()),
                    s.method().usesLambda() ? L2xSpec.format(s.lambda()) : "",
                    s.seed(),
                    rows.size(),
                    b.epoch(),
                    b.validation(),
                    b.test(),
                    b.precision(),
                    rows.stream().mapToDouble(r -> r.get("seconds")).average().orElse(Double.NaN)));
        }
        RunDirectory.writeAtomically(out.resolve("summary.csv"), summary.toString());
        List<Group> groups = groups(runs);
        Map<Integer, List<Group>> chosen = chosen(groups);
        RunDirectory.writeAtomically(out.resolve("results.md"), markdown(runs, groups, chosen));
        Charts.preferHeadless();
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
        log.printf(
                Locale.ROOT,
                "l2x: report in %s (results.md, summary.csv, figures, explanations.md)%n",
                out.toAbsolutePath());
        log.flush();
    }

    private static String markdown(List<RunUnit<L2xSpec>> runs, List<Group> groups, Map<Integer, List<Group>> chosen) {
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
        for (Map.Entry<Integer, List<Group>> e : chosen.entrySet()) {
            md.append("## k = ").append(e.getKey()).append("\n\n");
            md.append("| method | seeds | epochs | test MSE | subset precision | validation MSE |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            // the best among the methods: the random and oracle explainers are the scale, not contenders
            double bestPrecision = e.getValue().stream()
                    .filter(g -> !g.first().method().fixed())
                    .mapToDouble(g -> g.stat(Best::precision)[0])
                    .max()
                    .orElse(Double.NaN);
            double bestMse = e.getValue().stream()
                    .filter(g -> !g.first().method().fixed())
                    .mapToDouble(g -> g.stat(Best::test)[0])
                    .min()
                    .orElse(Double.NaN);
            for (Group g : e.getValue()) {
                double[] test = g.stat(Best::test);
                double[] precision = g.stat(Best::precision);
                double[] validation = g.stat(Best::validation);
                String mse = String.format(Locale.ROOT, "%.3f ± %.3f", 100 * test[0], 100 * test[1]);
                String prec = String.format(Locale.ROOT, "%.2f ± %.2f", 100 * precision[0], 100 * precision[1]);
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %d | %s | %s | %.3f ± %.3f |%n",
                        chosenLabel(g.first()),
                        g.best().size(),
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
        for (Group g : groups) {
            double[] v = g.stat(Best::validation);
            double[] t = g.stat(Best::test);
            double[] p = g.stat(Best::precision);
            double[] epoch = g.stat(Best::epoch);
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %d | %.3f ± %.3f | %.3f ± %.3f | %.2f ± %.2f | %.1f |%n",
                    g.first().k(),
                    g.label(),
                    g.best().size(),
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
        String inner = (s.method().usesLambda() ? "λ = " + L2xSpec.format(s.lambda()) + ", " : "") + "τ = "
                + L2xSpec.format(s.temperature());
        if (label.endsWith(")")) {
            return label.substring(0, label.length() - 1) + ", " + inner + ")";
        }
        return label + " (" + inner + ")";
    }

    private static void figure(Path file, String title, Map<Integer, List<Group>> chosen, String column, double scale)
            throws IOException {
        List<JFreeChart> panels = new ArrayList<>();
        for (Map.Entry<Integer, List<Group>> e : chosen.entrySet()) {
            List<Charts.Series> series = new ArrayList<>();
            for (Group g : e.getValue()) {
                double[][] c = g.curve(column);
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
    private static String explanations(Map<Integer, List<Group>> chosen) throws IOException {
        StringBuilder md = new StringBuilder("# Explanations\n\nAnnotated reviews with the words each method selects"
                + " (MAP selection of the first seed's run at its best validation epoch): **selected**,"
                + " _rationale_ (the annotated span of the aspect), **_both_**.\n\n");
        for (Map.Entry<Integer, List<Group>> e : chosen.entrySet()) {
            md.append("## k = ").append(e.getKey()).append("\n\n");
            List<List<Map<String, Object>>> perMethod = new ArrayList<>();
            for (Group g : e.getValue()) {
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
