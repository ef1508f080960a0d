package dev.aimle.app.experiments.warcraft;

import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.Specs;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.Curves;
import dev.aimle.app.report.Markdown;
import dev.aimle.app.report.RunGroup;
import dev.aimle.app.report.SweepReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;

/**
 * The Warcraft report ({@link SweepReport}), from whatever the run directories hold: {@code summary.csv} (one line per
 * run), {@code results.md} (the layout of the paper's appendix table: a row per method, the test
 * perfect-match accuracy, cost ratio, per-cell accuracy and share of valid paths at the last epoch,
 * mean ± std over seeds; IMLE's λ chosen per method by the final validation perfect match, every λ
 * listed below), {@code curves.png} (validation and test perfect match, test cost ratio, training
 * loss per epoch), {@code lambda.png} (AIMLE's λ) and {@code test-paths.png} (the first test maps
 * with the true and suggested paths of each method's first seed).
 */
final class WarcraftReport implements SweepReport.Layout<WarcraftSpec> {
    private WarcraftReport() {}

    static void write(Path out, List<RunUnit<WarcraftSpec>> runs, PrintWriter log) throws IOException {
        SweepReport.write(WarcraftExperiment.NAME, out, runs, new WarcraftReport(), log);
    }

    @Override
    public String summaryHeader() {
        return "run,method,lambda,seed,epochs_done,final_train_loss,"
                + "val_perfect_match,test_perfect_match,test_cost_ratio,test_cell_accuracy,test_valid,seconds_per_epoch\n";
    }

    @Override
    public String summaryLine(WarcraftSpec s, List<Map<String, Double>> rows) {
        Map<String, Double> last = rows.get(rows.size() - 1);
        return String.format(
                Locale.ROOT,
                "%s,%s,%s,%d,%d,%.5f,%.4f,%.4f,%.5f,%.4f,%.4f,%.1f%n",
                s.id(),
                s.method().id(),
                s.method().usesLambda() ? Specs.format(s.lambda()) : "",
                s.seed(),
                rows.size(),
                last.get("train_loss"),
                last.get("val_perfect_match"),
                last.get("test_perfect_match"),
                last.get("test_cost_ratio"),
                last.get("test_cell_accuracy"),
                last.get("test_valid"),
                SweepReport.meanSeconds(rows));
    }

    /** IMLE's λ with the highest final validation perfect match for a method, if it ran. */
    static Optional<RunGroup<WarcraftSpec>> bestImle(
            Map<String, RunGroup<WarcraftSpec>> groups, WarcraftMethod method) {
        return RunGroup.choose(groups.values(), s -> s.method() == method, g -> g.last("val_perfect_match")[0], true);
    }

    /** A row per method, IMLE at its chosen λ, in the order of the methods. */
    static List<RunGroup<WarcraftSpec>> shown(Map<String, RunGroup<WarcraftSpec>> groups) {
        List<RunGroup<WarcraftSpec>> shown = new ArrayList<>();
        for (WarcraftMethod m : WarcraftMethod.values()) {
            if (tunesLambda(m)) {
                bestImle(groups, m).ifPresent(shown::add);
            } else {
                groups.values().stream().filter(g -> g.first().method() == m).forEach(shown::add);
            }
        }
        return shown;
    }

    /** IMLE's λ is a grid chosen by validation; DBB's is fixed. */
    private static boolean tunesLambda(WarcraftMethod m) {
        return m.usesLambda() && m != WarcraftMethod.DBB;
    }

    @Override
    public String tables(Map<String, RunGroup<WarcraftSpec>> groups, List<RunUnit<WarcraftSpec>> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nWarcraft shortest paths, test set at the last epoch (mean ± std over seeds; IMLE's λ chosen by"
                + " validation perfect match)\n\n");
        sb.append(Markdown.header(
                "method",
                "test perfect match (%)",
                "cost ratio",
                "cell accuracy (%)",
                "valid paths (%)",
                "epochs",
                "seeds",
                "s / epoch"));
        for (RunGroup<WarcraftSpec> g : shown(groups)) {
            sb.append(Markdown.row(
                    g.first().label(),
                    Markdown.meanStd("%.1f", 100, g.last("test_perfect_match")),
                    Markdown.meanStd("%.4f", 1, g.last("test_cost_ratio")),
                    Markdown.meanStd("%.1f", 100, g.last("test_cell_accuracy")),
                    Markdown.meanStd("%.1f", 100, g.last("test_valid")),
                    g.rows(),
                    g.seeds().size(),
                    String.format(Locale.ROOT, "%.0f", g.mean("seconds"))));
        }
        if (groups.values().stream().anyMatch(g -> tunesLambda(g.first().method()))) {
            sb.append("\nIMLE at every λ (validation perfect match decides)\n\n");
            sb.append(Markdown.header(
                    "method",
                    "validation perfect match (%)",
                    "test perfect match (%)",
                    "cost ratio",
                    "epochs",
                    "seeds"));
            for (RunGroup<WarcraftSpec> g : groups.values()) {
                if (tunesLambda(g.first().method())) {
                    sb.append(Markdown.row(
                            g.first().label(),
                            Markdown.meanStd("%.1f", 100, g.last("val_perfect_match")),
                            Markdown.meanStd("%.1f", 100, g.last("test_perfect_match")),
                            Markdown.meanStd("%.4f", 1, g.last("test_cost_ratio")),
                            g.rows(),
                            g.seeds().size()));
                }
            }
        }
        return sb.toString();
    }

    @Override
    public String figures(Path out, Map<String, RunGroup<WarcraftSpec>> groups) throws IOException {
        List<RunGroup<WarcraftSpec>> shown = shown(groups);
        List<JFreeChart> panels = new ArrayList<>();
        panel(panels, "validation perfect match", shown, "val_perfect_match");
        panel(panels, "test perfect match", shown, "test_perfect_match");
        panel(panels, "test cost ratio", shown, "test_cost_ratio");
        panel(panels, "training loss", shown, "train_loss");
        if (!panels.isEmpty()) {
            Charts.writePng(
                    out.resolve("curves.png"),
                    "Warcraft 12x12: curves per epoch (mean ± std over seeds)",
                    panels,
                    2,
                    560,
                    340);
        }
        List<RunGroup<WarcraftSpec>> adaptive = shown.stream()
                .filter(g ->
                        g.first().method().isAdaptive() || g.first().method().beyondThePaper())
                .toList();
        List<JFreeChart> lambda = new ArrayList<>();
        panel(lambda, "AIMLE's λ at the end of each epoch", adaptive, "lambda");
        Curves.write(out.resolve("lambda.png"), "λ over training", lambda);
        paths(out, shown);
        return "curves.png, lambda.png, test-paths.png";
    }

    private static void panel(
            List<JFreeChart> panels, String title, List<RunGroup<WarcraftSpec>> groups, String column) {
        Curves.panel(panels, title, "epoch", title, groups, column, WarcraftSpec::label);
    }

    /** Stacks the test-path figure of each shown method's first run that drew one. */
    private static void paths(Path out, List<RunGroup<WarcraftSpec>> shown) throws IOException {
        List<PathFigure.Panel> panels = new ArrayList<>();
        for (RunGroup<WarcraftSpec> g : shown) {
            for (RunUnit<WarcraftSpec> run : g.runs()) {
                Path png = run.dir().resolve(WarcraftSession.EXAMPLES_PNG);
                if (Files.isRegularFile(png)) {
                    panels.add(new PathFigure.Panel(
                            g.first().label() + " (seed " + run.spec().seed() + ")", png));
                    break;
                }
            }
        }
        if (!panels.isEmpty()) {
            PathFigure.stack(
                    out.resolve("test-paths.png"),
                    "First test maps: true path (green squares), suggested path (red dots)",
                    panels);
        }
    }
}
