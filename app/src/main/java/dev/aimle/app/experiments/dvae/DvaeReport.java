package dev.aimle.app.experiments.dvae;

import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.SeedGroups;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;

/**
 * The DVAE report, from whatever the run directories hold: {@code summary.csv} (one line per run),
 * {@code results.md} (final test loss, mean ± std over seeds, per K; IMLE's lambda chosen per method
 * by the final validation loss), and the paper's figures: {@code fig5-aimle-vs-imle.png},
 * {@code fig6-aimle-vs-gumbel-softmax.png}, {@code fig7-aimle-vs-ste.png},
 * {@code fig8-aimle-samples.png}, {@code lambda.png}, and {@code test-loss-map-vs-noisy.png} (AIMLE's
 * test loss on both evaluations). Curves are test loss per epoch, mean ± std over seeds.
 */
final class DvaeReport {
    private DvaeReport() {}

    /** Runs of one configuration over seeds. */
    record Group(DvaeSpec first, List<List<Map<String, Double>>> seeds) {
        String label() {
            return first.label();
        }

        int epochs() {
            return SeedGroups.rows(seeds);
        }

        /** Mean and std over seeds of a column at the last epoch all seeds reached. */
        double[] last(String column) {
            return SeedGroups.last(seeds, column);
        }

        double[][] curve(String column) {
            return SeedGroups.curve(seeds, "epoch", column);
        }
    }

    static void write(Path out, List<RunUnit<DvaeSpec>> runs, PrintWriter log) throws IOException {
        Map<String, Group> groups = new LinkedHashMap<>();
        StringBuilder summary = new StringBuilder(
                "run,method,k,samples,lambda,seed,epochs_done,final_train_loss,final_validation_loss,final_test_loss,final_test_loss_sampled,seconds_per_epoch\n");
        for (RunUnit<DvaeSpec> run : runs) {
            List<Map<String, Double>> rows = run.results();
            DvaeSpec s = run.spec();
            if (rows.isEmpty()) {
                continue;
            }
            Map<String, Double> last = rows.get(rows.size() - 1);
            double seconds =
                    rows.stream().mapToDouble(r -> r.get("seconds")).average().orElse(Double.NaN);
            summary.append(String.format(
                    Locale.ROOT,
                    "%s,%s,%d,%d,%s,%d,%d,%.4f,%.4f,%.4f,%s,%.2f%n",
                    s.id(),
                    s.method().id(),
                    s.k(),
                    s.samples(),
                    s.method().usesLambda() ? s.formatLambda() : "",
                    s.seed(),
                    rows.size(),
                    last.get("train_loss"),
                    last.get("validation_loss"),
                    last.get("test_loss"),
                    sampled(last),
                    seconds));
            String key = s.method().id() + "|" + s.k() + "|" + s.samples() + "|" + s.lambda();
            groups.computeIfAbsent(key, k -> new Group(s, new ArrayList<>()))
                    .seeds()
                    .add(rows);
        }
        RunDirectory.writeAtomically(out.resolve("summary.csv"), summary.toString());
        if (groups.isEmpty()) {
            log.println("dvae: no run has finished an epoch yet; no report");
            return;
        }
        String table = table(groups);
        RunDirectory.writeAtomically(out.resolve("results.md"), table);
        log.print(table);
        log.flush();
        figures(out, groups);
        log.println("dvae: report in " + out.toAbsolutePath()
                + " (summary.csv, results.md, fig5-8, lambda.png, test-loss-map-vs-noisy.png)");
        log.flush();
    }

    /** The row's test loss on a noisy sample, empty for a run made before it was recorded. */
    private static String sampled(Map<String, Double> row) {
        Double v = row.get(DvaeSession.SAMPLED_TEST_LOSS);
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** IMLE's lambda with the lowest final validation loss for (method, K, S), if any. */
    static Optional<Group> bestImle(Map<String, Group> groups, DvaeMethod method, int k, int samples) {
        return groups.values().stream()
                .filter(g -> g.first().method() == method
                        && g.first().k() == k
                        && g.first().samples() == samples)
                .min((a, b) -> Double.compare(a.last("validation_loss")[0], b.last("validation_loss")[0]));
    }

    static String table(Map<String, Group> groups) {
        StringBuilder sb = new StringBuilder();
        for (int k :
                groups.values().stream().mapToInt(g -> g.first().k()).distinct().toArray()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%nK = %d (final test loss: noiseless MAP, and on a noisy sample as the paper's reference"
                            + " evaluates, – for runs made before it was recorded; mean ± std over seeds)%n%n",
                    k));
            sb.append(
                    "| method | epochs | seeds | test loss | test loss (noisy sample) | validation loss | s / epoch |\n"
                            + "|---|---:|---:|---:|---:|---:|---:|\n");
            for (Group g : groups.values()) {
                if (g.first().k() != k) {
                    continue;
                }
                String chosen = "";
                if (g.first().method().usesLambda()) {
                    Optional<Group> best =
                            bestImle(groups, g.first().method(), k, g.first().samples());
                    chosen = best.isPresent() && best.get() == g ? " (chosen by validation)" : "";
                }
                double[] test = g.last("test_loss");
                double[] noisy = g.last(DvaeSession.SAMPLED_TEST_LOSS);
                double[] val = g.last("validation_loss");
                double seconds = g.seeds().stream()
                        .flatMap(List::stream)
                        .mapToDouble(r -> r.get("seconds"))
                        .average()
                        .orElse(Double.NaN);
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s%s | %d | %d | %.2f ± %.2f | %s | %.2f ± %.2f | %.1f |%n",
                        g.label(),
                        chosen,
                        g.epochs(),
                        g.seeds().size(),
                        test[0],
                        test[1],
                        Double.isNaN(noisy[0]) ? "–" : String.format(Locale.ROOT, "%.2f ± %.2f", noisy[0], noisy[1]),
                        val[0],
                        val[1],
                        seconds));
            }
        }
        return sb.toString();
    }

    private static void figures(Path out, Map<String, Group> groups) {
        Charts.preferHeadless();
        int[] ks = groups.values().stream()
                .mapToInt(g -> g.first().k())
                .distinct()
                .sorted()
                .toArray();
        List<JFreeChart> fig5 = new ArrayList<>();
        List<JFreeChart> fig7 = new ArrayList<>();
        List<JFreeChart> fig8 = new ArrayList<>();
        List<JFreeChart> fig6 = new ArrayList<>();
        List<JFreeChart> lambda = new ArrayList<>();
        List<JFreeChart> evaluations = new ArrayList<>();
        for (int i = ks.length - 1; i >= 0; i--) { // K = 10 first, as in the paper
            int k = ks[i];
            List<Group> five = new ArrayList<>(pick(groups, k, 1, DvaeMethod.AIMLE_FORWARD, DvaeMethod.AIMLE_CENTRAL));
            bestImle(groups, DvaeMethod.IMLE_FORWARD, k, 1).ifPresent(five::add);
            bestImle(groups, DvaeMethod.IMLE_CENTRAL, k, 1).ifPresent(five::add);
            addPanel(fig5, "AIMLE vs IMLE, K = " + k, five, "test_loss");
            addPanel(
                    fig7,
                    "AIMLE vs STE, K = " + k,
                    pick(groups, k, 1, DvaeMethod.AIMLE_FORWARD, DvaeMethod.AIMLE_CENTRAL, DvaeMethod.STE),
                    "test_loss");
            List<Group> eight = new ArrayList<>();
            for (Group g : groups.values()) {
                if (g.first().k() == k && g.first().method() == DvaeMethod.AIMLE_CENTRAL) {
                    eight.add(g);
                }
            }
            if (eight.size() > 1) {
                addPanel(fig8, "AIMLE (central), S samples, K = " + k, eight, "test_loss");
            }
            if (k == 1) {
                addPanel(
                        fig6,
                        "AIMLE vs Gumbel-softmax, K = 1",
                        pick(
                                groups,
                                k,
                                1,
                                DvaeMethod.AIMLE_FORWARD,
                                DvaeMethod.AIMLE_CENTRAL,
                                DvaeMethod.GUMBEL_SOFTMAX),
                        "test_loss");
            }
            List<Group> adaptive = new ArrayList<>();
            for (Group g : groups.values()) {
                if (g.first().k() == k
                        && !g.first().method().usesLambda()
                        && g.first().method().id().startsWith("aimle")) {
                    adaptive.add(g);
                }
            }
            addPanel(lambda, "AIMLE's λ at the end of each epoch, K = " + k, adaptive, "lambda");
            addEvaluationsPanel(
                    evaluations, "AIMLE's test loss, MAP (solid) and noisy sample (dashed), K = " + k, adaptive);
        }
        writeFigure(
                out.resolve("fig5-aimle-vs-imle.png"),
                "Fig. 5: test loss, AIMLE vs IMLE (λ chosen by validation)",
                fig5);
        writeFigure(
                out.resolve("fig6-aimle-vs-gumbel-softmax.png"), "Fig. 6: test loss, AIMLE vs Gumbel-softmax", fig6);
        writeFigure(out.resolve("fig7-aimle-vs-ste.png"), "Fig. 7: test loss, AIMLE vs STE", fig7);
        writeFigure(out.resolve("fig8-aimle-samples.png"), "Fig. 8: test loss, AIMLE with S samples", fig8);
        writeFigure(out.resolve("lambda.png"), "λ over training", lambda);
        writeFigure(
                out.resolve("test-loss-map-vs-noisy.png"), "Test loss: noiseless MAP vs a noisy sample", evaluations);
    }

    private static List<Group> pick(Map<String, Group> groups, int k, int samples, DvaeMethod... methods) {
        List<Group> picked = new ArrayList<>();
        for (DvaeMethod m : methods) {
            for (Group g : groups.values()) {
                if (g.first().k() == k
                        && g.first().samples() == samples
                        && g.first().method() == m
                        && !m.usesLambda()) {
                    picked.add(g);
                }
            }
        }
        return picked;
    }

    private static void addPanel(List<JFreeChart> panels, String title, List<Group> groups, String column) {
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            if (g.epochs() == 0) {
                continue;
            }
            double[][] c = g.curve(column);
            Color colour = Charts.PALETTE.get(i % Charts.PALETTE.size());
            series.add(new Charts.Series(g.label(), c[0], c[1], c[2], colour, false));
        }
        if (!series.isEmpty()) {
            panels.add(Charts.chart(
                    title,
                    "epoch",
                    column.equals("lambda") ? "λ" : "test loss",
                    false,
                    series,
                    Double.NaN,
                    Double.NaN));
        }
    }

    /** Each group's two test losses, one colour per group; groups without the noisy one are left out. */
    private static void addEvaluationsPanel(List<JFreeChart> panels, String title, List<Group> groups) {
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            double[][] noisy = g.curve(DvaeSession.SAMPLED_TEST_LOSS);
            if (g.epochs() == 0 || Arrays.stream(noisy[1]).anyMatch(Double::isNaN)) {
                continue;
            }
            double[][] map = g.curve("test_loss");
            Color colour = Charts.PALETTE.get(i % Charts.PALETTE.size());
            series.add(new Charts.Series(g.label() + ", MAP", map[0], map[1], map[2], colour, false));
            series.add(new Charts.Series(g.label() + ", noisy", noisy[0], noisy[1], noisy[2], colour, true));
        }
        if (!series.isEmpty()) {
            panels.add(Charts.chart(title, "epoch", "test loss", false, series, Double.NaN, Double.NaN));
        }
    }

    private static void writeFigure(Path file, String title, List<JFreeChart> panels) {
        if (!panels.isEmpty()) {
            Charts.writePng(file, title, panels, 1, 720, 380);
        }
    }
}
