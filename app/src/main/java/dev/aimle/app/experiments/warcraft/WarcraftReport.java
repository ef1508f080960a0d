package dev.aimle.app.experiments.warcraft;

import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.SeedGroups;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;

/**
 * The Warcraft report, from whatever the run directories hold: {@code summary.csv} (one line per
 * run), {@code results.md} (the layout of the paper's appendix table: a row per method, the test
 * perfect-match accuracy, cost ratio, per-cell accuracy and share of valid paths at the last epoch,
 * mean ± std over seeds; IMLE's λ chosen per method by the final validation perfect match, every λ
 * listed below), {@code curves.png} (validation and test perfect match, test cost ratio, training
 * loss per epoch), {@code lambda.png} (AIMLE's λ) and {@code test-paths.png} (the first test maps
 * with the true and suggested paths of each method's first seed).
 */
final class WarcraftReport {
    private WarcraftReport() {}

    /** Runs of one configuration over seeds. */
    record Group(WarcraftSpec first, List<RunUnit<WarcraftSpec>> runs, List<List<Map<String, Double>>> seeds) {
        int epochs() {
            return SeedGroups.rows(seeds);
        }

        double[] last(String column) {
            return SeedGroups.last(seeds, column);
        }

        double[][] curve(String column) {
            return SeedGroups.curve(seeds, "epoch", column);
        }
    }

    static void write(Path out, List<RunUnit<WarcraftSpec>> runs, PrintWriter log) throws IOException {
        Map<String, Group> groups = new LinkedHashMap<>();
        StringBuilder summary = new StringBuilder(
                "run,method,lambda,seed,epochs_done,final_train_loss,"
                        + "val_perfect_match,test_perfect_match,test_cost_ratio,test_cell_accuracy,test_valid,seconds_per_epoch\n");
        for (RunUnit<WarcraftSpec> run : runs) {
            List<Map<String, Double>> rows = run.results();
            WarcraftSpec s = run.spec();
            if (rows.isEmpty()) {
                continue;
            }
            Map<String, Double> last = rows.get(rows.size() - 1);
            double seconds =
                    rows.stream().mapToDouble(r -> r.get("seconds")).average().orElse(Double.NaN);
            summary.append(String.format(
                    Locale.ROOT,
                    "%s,%s,%s,%d,%d,%.5f,%.4f,%.4f,%.5f,%.4f,%.4f,%.1f%n",
                    s.id(),
                    s.method().id(),
                    s.method().usesLambda() ? s.formatLambda() : "",
                    s.seed(),
                    rows.size(),
                    last.get("train_loss"),
                    last.get("val_perfect_match"),
                    last.get("test_perfect_match"),
                    last.get("test_cost_ratio"),
                    last.get("test_cell_accuracy"),
                    last.get("test_valid"),
                    seconds));
            Group g = groups.computeIfAbsent(s.label(), k -> new Group(s, new ArrayList<>(), new ArrayList<>()));
            g.runs().add(run);
            g.seeds().add(rows);
        }
        RunDirectory.writeAtomically(out.resolve("summary.csv"), summary.toString());
        if (groups.isEmpty()) {
            log.println("warcraft: no run has finished an epoch yet; no report");
            return;
        }
        String table = table(groups);
        RunDirectory.writeAtomically(out.resolve("results.md"), table);
        log.print(table);
        List<Group> shown = shown(groups);
        figures(out, shown);
        paths(out, shown);
        log.println("warcraft: report in " + out.toAbsolutePath()
                + " (summary.csv, results.md, curves.png, lambda.png, test-paths.png)");
        log.flush();
    }

    /** IMLE's λ with the highest final validation perfect match for a method, if it ran. */
    static Optional<Group> bestImle(Map<String, Group> groups, WarcraftMethod method) {
        return groups.values().stream()
                .filter(g -> g.first().method() == method)
                .max((a, b) -> Double.compare(a.last("val_perfect_match")[0], b.last("val_perfect_match")[0]));
    }

    /** A row per method, IMLE at its chosen λ, in the order of the methods. */
    static List<Group> shown(Map<String, Group> groups) {
        List<Group> shown = new ArrayList<>();
        for (WarcraftMethod m : WarcraftMethod.values()) {
            if (m.usesLambda() && m != WarcraftMethod.DBB) {
                bestImle(groups, m).ifPresent(shown::add);
            } else {
                groups.values().stream().filter(g -> g.first().method() == m).forEach(shown::add);
            }
        }
        return shown;
    }

    static String table(Map<String, Group> groups) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nWarcraft shortest paths, test set at the last epoch (mean ± std over seeds; IMLE's λ chosen by"
                + " validation perfect match)\n\n");
        sb.append(
                "| method | test perfect match (%) | cost ratio | cell accuracy (%) | valid paths (%) | epochs | seeds"
                        + " | s / epoch |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Group g : shown(groups)) {
            row(sb, g, g.first().label());
        }
        boolean imle = groups.values().stream()
                .anyMatch(g -> g.first().method().usesLambda() && g.first().method() != WarcraftMethod.DBB);
        if (imle) {
            sb.append("\nIMLE at every λ (validation perfect match decides)\n\n");
            sb.append("| method | validation perfect match (%) | test perfect match (%) | cost ratio | epochs | seeds"
                    + " |\n|---|---:|---:|---:|---:|---:|\n");
            for (Group g : groups.values()) {
                if (g.first().method().usesLambda() && g.first().method() != WarcraftMethod.DBB) {
                    double[] v = g.last("val_perfect_match");
                    double[] t = g.last("test_perfect_match");
                    double[] c = g.last("test_cost_ratio");
                    sb.append(String.format(
                            Locale.ROOT,
                            "| %s | %.1f ± %.1f | %.1f ± %.1f | %.4f ± %.4f | %d | %d |%n",
                            g.first().label(),
                            100 * v[0],
                            100 * v[1],
                            100 * t[0],
                            100 * t[1],
                            c[0],
                            c[1],
                            g.epochs(),
                            g.seeds().size()));
                }
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, Group g, String label) {
        double[] pm = g.last("test_perfect_match");
        double[] cost = g.last("test_cost_ratio");
        double[] cell = g.last("test_cell_accuracy");
        double[] valid = g.last("test_valid");
        double seconds = g.seeds().stream()
                .flatMap(List::stream)
                .mapToDouble(r -> r.get("seconds"))
                .average()
                .orElse(Double.NaN);
        sb.append(String.format(
                Locale.ROOT,
                "| %s | %.1f ± %.1f | %.4f ± %.4f | %.1f ± %.1f | %.1f ± %.1f | %d | %d | %.0f |%n",
                label,
                100 * pm[0],
                100 * pm[1],
                cost[0],
                cost[1],
                100 * cell[0],
                100 * cell[1],
                100 * valid[0],
                100 * valid[1],
                g.epochs(),
                g.seeds().size(),
                seconds));
    }

    private static void figures(Path out, List<Group> shown) {
        Charts.preferHeadless();
        List<JFreeChart> panels = new ArrayList<>();
        addPanel(panels, "validation perfect match", shown, "val_perfect_match");
        addPanel(panels, "test perfect match", shown, "test_perfect_match");
        addPanel(panels, "test cost ratio", shown, "test_cost_ratio");
        addPanel(panels, "training loss", shown, "train_loss");
        if (!panels.isEmpty()) {
            Charts.writePng(
                    out.resolve("curves.png"),
                    "Warcraft 12x12: curves per epoch (mean ± std over seeds)",
                    panels,
                    2,
                    560,
                    340);
        }
        List<Group> adaptive = shown.stream()
                .filter(g -> g.first().method() == WarcraftMethod.AIMLE_FORWARD
                        || g.first().method() == WarcraftMethod.AIMLE_CENTRAL)
                .toList();
        List<JFreeChart> lambda = new ArrayList<>();
        addPanel(lambda, "AIMLE's λ at the end of each epoch", adaptive, "lambda");
        if (!lambda.isEmpty()) {
            Charts.writePng(out.resolve("lambda.png"), "λ over training", lambda, 1, 720, 380);
        }
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
            series.add(new Charts.Series(g.first().label(), c[0], c[1], c[2], colour, false));
        }
        if (!series.isEmpty()) {
            panels.add(Charts.chart(title, "epoch", title, false, series, Double.NaN, Double.NaN));
        }
    }

    /** Stacks the test-path figure of each shown method's first run that drew one. */
    private static void paths(Path out, List<Group> shown) throws IOException {
        List<PathFigure.Panel> panels = new ArrayList<>();
        for (Group g : shown) {
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
