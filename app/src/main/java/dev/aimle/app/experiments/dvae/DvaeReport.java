package dev.aimle.app.experiments.dvae;

import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.Specs;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.Curves;
import dev.aimle.app.report.Markdown;
import dev.aimle.app.report.RunGroup;
import dev.aimle.app.report.SweepReport;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;

/**
 * The DVAE report ({@link SweepReport}), from whatever the run directories hold: {@code summary.csv}
 * (one line per run), {@code results.md} (final test loss, mean ± std over seeds, per K; IMLE's
 * lambda chosen per method by the final validation loss), and the paper's figures:
 * {@code fig5-aimle-vs-imle.png}, {@code fig6-aimle-vs-gumbel-softmax.png},
 * {@code fig7-aimle-vs-ste.png}, {@code fig8-aimle-samples.png}, {@code lambda.png}, and
 * {@code test-loss-map-vs-noisy.png} (AIMLE's test loss on both evaluations). Curves are test loss
 * per epoch, mean ± std over seeds.
 */
final class DvaeReport implements SweepReport.Layout<DvaeSpec> {
    DvaeReport() {}

    static void write(Path out, List<RunUnit<DvaeSpec>> runs, PrintWriter log) throws IOException {
        SweepReport.write(DvaeExperiment.NAME, out, runs, new DvaeReport(), log);
    }

    @Override
    public String summaryHeader() {
        return "run,method,k,samples,lambda,seed,epochs_done,final_train_loss,final_validation_loss,final_test_loss,"
                + "final_test_loss_sampled,seconds_per_epoch\n";
    }

    @Override
    public String summaryLine(DvaeSpec s, List<Map<String, Double>> rows) {
        Map<String, Double> last = rows.get(rows.size() - 1);
        return String.format(
                Locale.ROOT,
                "%s,%s,%d,%d,%s,%d,%d,%.4f,%.4f,%.4f,%s,%.2f%n",
                s.id(),
                s.method().id(),
                s.k(),
                s.samples(),
                s.method().usesLambda() ? Specs.format(s.lambda()) : "",
                s.seed(),
                rows.size(),
                last.get("train_loss"),
                last.get("validation_loss"),
                last.get("test_loss"),
                sampled(last),
                SweepReport.meanSeconds(rows));
    }

    /** IMLE's lambda with the lowest final validation loss for (method, K, S), if any. */
    static Optional<RunGroup<DvaeSpec>> bestImle(
            Map<String, RunGroup<DvaeSpec>> groups, DvaeMethod method, int k, int samples) {
        return RunGroup.choose(
                groups.values(),
                s -> s.method() == method && s.k() == k && s.samples() == samples,
                g -> g.last("validation_loss")[0],
                false);
    }

    /** The row's test loss on a noisy sample, empty for a run made before it was recorded. */
    private static String sampled(Map<String, Double> row) {
        Double v = row.get(DvaeSession.SAMPLED_TEST_LOSS);
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    @Override
    public String tables(Map<String, RunGroup<DvaeSpec>> groups, List<RunUnit<DvaeSpec>> runs) {
        StringBuilder sb = new StringBuilder();
        for (int k :
                groups.values().stream().mapToInt(g -> g.first().k()).distinct().toArray()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%nK = %d (final test loss: noiseless MAP, and on a noisy sample as the paper's reference"
                            + " evaluates, – for runs made before it was recorded; mean ± std over seeds)%n%n",
                    k));
            sb.append(Markdown.header(
                    "method",
                    "epochs",
                    "seeds",
                    "test loss",
                    "test loss (noisy sample)",
                    "validation loss",
                    "s / epoch"));
            for (RunGroup<DvaeSpec> g : groups.values()) {
                if (g.first().k() != k) {
                    continue;
                }
                String chosen = "";
                if (g.first().method().usesLambda()) {
                    Optional<RunGroup<DvaeSpec>> best =
                            bestImle(groups, g.first().method(), k, g.first().samples());
                    chosen = best.isPresent() && best.get() == g ? " (chosen by validation)" : "";
                }
                sb.append(Markdown.row(
                        g.first().label() + chosen,
                        g.rows(),
                        g.seeds().size(),
                        Markdown.meanStd("%.2f", 1, g.last("test_loss")),
                        Markdown.meanStdOrDash("%.2f", 1, g.last(DvaeSession.SAMPLED_TEST_LOSS)),
                        Markdown.meanStd("%.2f", 1, g.last("validation_loss")),
                        String.format(Locale.ROOT, "%.1f", g.mean("seconds"))));
            }
        }
        return sb.toString();
    }

    @Override
    public String figures(Path out, Map<String, RunGroup<DvaeSpec>> groups) {
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
            List<RunGroup<DvaeSpec>> five =
                    new ArrayList<>(pick(groups, k, 1, DvaeMethod.AIMLE_FORWARD, DvaeMethod.AIMLE_CENTRAL));
            bestImle(groups, DvaeMethod.IMLE_FORWARD, k, 1).ifPresent(five::add);
            bestImle(groups, DvaeMethod.IMLE_CENTRAL, k, 1).ifPresent(five::add);
            panel(fig5, "AIMLE vs IMLE, K = " + k, five, "test_loss");
            panel(
                    fig7,
                    "AIMLE vs STE, K = " + k,
                    pick(groups, k, 1, DvaeMethod.AIMLE_FORWARD, DvaeMethod.AIMLE_CENTRAL, DvaeMethod.STE),
                    "test_loss");
            List<RunGroup<DvaeSpec>> eight = groups.values().stream()
                    .filter(g -> g.first().k() == k && g.first().method() == DvaeMethod.AIMLE_CENTRAL)
                    .toList();
            if (eight.size() > 1) {
                panel(fig8, "AIMLE (central), S samples, K = " + k, eight, "test_loss");
            }
            if (k == 1) {
                panel(
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
            List<RunGroup<DvaeSpec>> adaptive = groups.values().stream()
                    .filter(g -> g.first().k() == k
                            && !g.first().method().usesLambda()
                            && g.first().method().id().startsWith("aimle"))
                    .toList();
            panel(lambda, "AIMLE's λ at the end of each epoch, K = " + k, adaptive, "lambda");
            evaluationsPanel(
                    evaluations, "AIMLE's test loss, MAP (solid) and noisy sample (dashed), K = " + k, adaptive);
        }
        Curves.write(
                out.resolve("fig5-aimle-vs-imle.png"),
                "Fig. 5: test loss, AIMLE vs IMLE (λ chosen by validation)",
                fig5);
        Curves.write(
                out.resolve("fig6-aimle-vs-gumbel-softmax.png"), "Fig. 6: test loss, AIMLE vs Gumbel-softmax", fig6);
        Curves.write(out.resolve("fig7-aimle-vs-ste.png"), "Fig. 7: test loss, AIMLE vs STE", fig7);
        Curves.write(out.resolve("fig8-aimle-samples.png"), "Fig. 8: test loss, AIMLE with S samples", fig8);
        Curves.write(out.resolve("lambda.png"), "λ over training", lambda);
        Curves.write(
                out.resolve("test-loss-map-vs-noisy.png"), "Test loss: noiseless MAP vs a noisy sample", evaluations);
        return "fig5-8, lambda.png, test-loss-map-vs-noisy.png";
    }

    private static List<RunGroup<DvaeSpec>> pick(
            Map<String, RunGroup<DvaeSpec>> groups, int k, int samples, DvaeMethod... methods) {
        List<RunGroup<DvaeSpec>> picked = new ArrayList<>();
        for (DvaeMethod m : methods) {
            for (RunGroup<DvaeSpec> g : groups.values()) {
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

    private static void panel(List<JFreeChart> panels, String title, List<RunGroup<DvaeSpec>> groups, String column) {
        Curves.panel(
                panels, title, "epoch", column.equals("lambda") ? "λ" : "test loss", groups, column, DvaeSpec::label);
    }

    /** Each group's two test losses, one colour per group; groups without the noisy one are left out. */
    private static void evaluationsPanel(List<JFreeChart> panels, String title, List<RunGroup<DvaeSpec>> groups) {
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            RunGroup<DvaeSpec> g = groups.get(i);
            if (g.rows() == 0) {
                continue;
            }
            double[][] noisy = g.curve("epoch", DvaeSession.SAMPLED_TEST_LOSS);
            if (Arrays.stream(noisy[1]).anyMatch(Double::isNaN)) {
                continue;
            }
            double[][] map = g.curve("epoch", "test_loss");
            Color colour = Charts.PALETTE.get(i % Charts.PALETTE.size());
            String label = g.first().label();
            series.add(new Charts.Series(label + ", MAP", map[0], map[1], map[2], colour, false));
            series.add(new Charts.Series(label + ", noisy", noisy[0], noisy[1], noisy[2], colour, true));
        }
        if (!series.isEmpty()) {
            panels.add(Charts.chart(title, "epoch", "test loss", false, series, Double.NaN, Double.NaN));
        }
    }
}
