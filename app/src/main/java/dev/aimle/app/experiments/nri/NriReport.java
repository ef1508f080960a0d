package dev.aimle.app.experiments.nri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.SeedGroups;
import dev.aimle.app.report.SeedStatistics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;

/**
 * The NRI sweep's report: {@code summary.csv} (a line per run), {@code results.md} (Table 2's
 * layout: per method and T, the test ELBO, edge precision and recall at the evaluation with the best
 * validation ELBO, mean ± std over seeds; IMLE's lambda chosen by the mean best validation ELBO),
 * {@code valid-elbo.png}, {@code valid-precision.png}, {@code lambda.png} (curves over training,
 * mean ± std over seeds) and {@code examples-T*.png} (a few test trajectories with the true and the
 * recovered tree of each chosen method).
 */
final class NriReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NriReport() {}

    /** Runs of one configuration over seeds. */
    record Group(NriSpec first, List<RunUnit<NriSpec>> runs, List<List<Map<String, Double>>> seeds) {
        String label() {
            return first.label();
        }

        int evaluations() {
            return SeedGroups.rows(seeds);
        }

        /** Per seed, the row with the best validation ELBO. */
        List<Map<String, Double>> best() {
            return SeedGroups.best(seeds, "valid_elbo");
        }

        double[] atBest(String column) {
            return SeedStatistics.meanStd(
                    best().stream().mapToDouble(r -> r.get(column)).toArray());
        }

        double[][] curve(String column) {
            return SeedGroups.curve(seeds, "step", column);
        }
    }

    static void write(Path out, List<RunUnit<NriSpec>> runs, PrintWriter log) throws IOException {
        Map<String, Group> groups = new LinkedHashMap<>();
        StringBuilder summary = new StringBuilder(
                "run,method,T,lambda,seed,steps_done,best_step,valid_elbo,test_elbo,test_precision,test_recall,test_precision_sampled,test_recall_sampled,seconds_per_evaluation\n");
        for (RunUnit<NriSpec> run : runs) {
            List<Map<String, Double>> rows = run.results();
            NriSpec s = run.spec();
            if (rows.isEmpty()) {
                continue;
            }
            Map<String, Double> best = rows.stream()
                    .max(Comparator.comparingDouble(r -> r.get("valid_elbo")))
                    .orElseThrow();
            summary.append(String.format(
                    Locale.ROOT,
                    "%s,%s,%d,%s,%d,%d,%d,%.2f,%.2f,%.4f,%.4f,%s,%s,%.1f%n",
                    s.id(),
                    s.method().id(),
                    s.timesteps(),
                    s.method().usesLambda() ? NriSpec.format(s.lambda()) : "",
                    s.seed(),
                    rows.get(rows.size() - 1).get("step").longValue(),
                    best.get("step").longValue(),
                    best.get("valid_elbo"),
                    best.get("test_elbo"),
                    best.get("test_precision"),
                    best.get("test_recall"),
                    orBlank(best.get(NriSession.SAMPLED_PRECISION)),
                    orBlank(best.get(NriSession.SAMPLED_RECALL)),
                    rows.stream().mapToDouble(r -> r.get("seconds")).average().orElse(Double.NaN)));
            String key = s.method().id() + "|" + s.timesteps() + "|" + s.lambda();
            Group g = groups.computeIfAbsent(key, k -> new Group(s, new ArrayList<>(), new ArrayList<>()));
            g.runs().add(run);
            g.seeds().add(rows);
        }
        RunDirectory.writeAtomically(out.resolve("summary.csv"), summary.toString());
        if (groups.isEmpty()) {
            log.println("nri: no run has finished an evaluation yet; no report");
            return;
        }
        String table = table(groups);
        RunDirectory.writeAtomically(out.resolve("results.md"), table);
        log.print(table);
        figures(out, groups);
        log.println("nri: report in " + out.toAbsolutePath()
                + " (summary.csv, results.md, valid-elbo.png, valid-precision.png, lambda.png, examples-T*.png)");
        log.flush();
    }

    /** IMLE's lambda with the best mean validation ELBO for (method, T). */
    static Optional<Group> bestImle(Map<String, Group> groups, NriMethod method, int timesteps) {
        return groups.values().stream()
                .filter(g -> g.first().method() == method && g.first().timesteps() == timesteps)
                .max(Comparator.comparingDouble(g -> g.atBest("valid_elbo")[0]));
    }

    /** The groups of Table 2 for T: every method once, IMLE at its chosen lambda. */
    static List<Group> chosen(Map<String, Group> groups, int timesteps) {
        List<Group> rows = new ArrayList<>();
        for (NriMethod m : NriMethod.values()) {
            if (m.usesLambda()) {
                bestImle(groups, m, timesteps).ifPresent(rows::add);
            } else {
                groups.values().stream()
                        .filter(g -> g.first().method() == m && g.first().timesteps() == timesteps)
                        .findFirst()
                        .ifPresent(rows::add);
            }
        }
        return rows;
    }

    static String table(Map<String, Group> groups) {
        int[] ts = timesteps(groups);
        StringBuilder sb = new StringBuilder(
                "Test ELBO, edge precision and edge recall (%) of the MAP tree at the evaluation with the best"
                        + " validation ELBO; mean ± std over seeds; IMLE's λ chosen by validation ELBO.\n\n");
        sb.append("| method |");
        for (int t : ts) {
            sb.append(String.format(
                    Locale.ROOT, " T=%d ELBO | T=%d prec. | T=%d rec. | T=%d steps × seeds |", t, t, t, t));
        }
        sb.append("\n|---|");
        sb.append("---:|".repeat(4 * ts.length)).append('\n');
        for (NriMethod m : NriMethod.values()) {
            StringBuilder line = new StringBuilder("| " + m.label());
            boolean any = false;
            for (int t : ts) {
                Optional<Group> g = chosen(groups, t).stream()
                        .filter(x -> x.first().method() == m)
                        .findFirst();
                if (g.isEmpty()) {
                    line.append(" | | | |");
                    continue;
                }
                any = true;
                if (m.usesLambda()) {
                    line.append(t == ts[0] ? " (λ=" : " [T=" + t + ": λ=")
                            .append(NriSpec.format(g.get().first().lambda()))
                            .append(t == ts[0] ? ")" : "]");
                }
                double[] elbo = g.get().atBest("test_elbo");
                double[] p = g.get().atBest("test_precision");
                double[] r = g.get().atBest("test_recall");
                line.append(String.format(
                        Locale.ROOT,
                        " | %.1f ± %.1f | %.1f ± %.1f | %.1f ± %.1f | %d × %d",
                        elbo[0],
                        elbo[1],
                        100 * p[0],
                        100 * p[1],
                        100 * r[0],
                        100 * r[1],
                        g.get().evaluations() == 0
                                ? 0
                                : g.get()
                                        .seeds()
                                        .get(0)
                                        .get(g.get().evaluations() - 1)
                                        .get("step")
                                        .longValue(),
                        g.get().seeds().size()));
            }
            if (any) {
                sb.append(line.toString().replace("| | | | |", "|").replaceFirst("\\| \\(", " ("))
                        .append(" |\n");
            }
        }
        sb.append("\nEvery configuration (IMLE at every λ; prec./rec. of the MAP tree, and of a Gumbel-perturbed tree"
                + " as the paper's reference computes them, – for runs made before those were recorded):\n\n"
                + "| configuration | T | best valid ELBO | test ELBO | test prec. | test rec. | perturbed prec."
                + " | perturbed rec. | evaluations | seeds |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Group g : groups.values()) {
            double[] v = g.atBest("valid_elbo");
            double[] e = g.atBest("test_elbo");
            double[] p = g.atBest("test_precision");
            double[] r = g.atBest("test_recall");
            double[] sp = g.atBest(NriSession.SAMPLED_PRECISION);
            double[] sr = g.atBest(NriSession.SAMPLED_RECALL);
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f ± %.1f | %.1f ± %.1f | %.1f ± %.1f | %.1f ± %.1f | %s | %s | %d | %d |%n",
                    g.label(),
                    g.first().timesteps(),
                    v[0],
                    v[1],
                    e[0],
                    e[1],
                    100 * p[0],
                    100 * p[1],
                    100 * r[0],
                    100 * r[1],
                    percent(sp),
                    percent(sr),
                    g.evaluations(),
                    g.seeds().size()));
        }
        return sb.toString();
    }

    /** A mean ± std in percent, – for NaN (a run made before the column was recorded). */
    private static String percent(double[] meanStd) {
        return Double.isNaN(meanStd[0])
                ? "–"
                : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * meanStd[0], 100 * meanStd[1]);
    }

    private static String orBlank(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static int[] timesteps(Map<String, Group> groups) {
        return groups.values().stream()
                .mapToInt(g -> g.first().timesteps())
                .distinct()
                .sorted()
                .toArray();
    }

    private static void figures(Path out, Map<String, Group> groups) throws IOException {
        Charts.preferHeadless();
        List<JFreeChart> elbo = new ArrayList<>();
        List<JFreeChart> precision = new ArrayList<>();
        List<JFreeChart> lambda = new ArrayList<>();
        for (int t : timesteps(groups)) {
            List<Group> chosen = chosen(groups, t);
            panel(elbo, "validation ELBO, T = " + t, chosen, "valid_elbo", "ELBO");
            panel(precision, "validation edge precision, T = " + t, chosen, "valid_precision", "precision");
            panel(
                    lambda,
                    "AIMLE's λ, T = " + t,
                    chosen.stream().filter(g -> g.first().method().adaptive()).toList(),
                    "lambda",
                    "λ");
            examples(out.resolve("examples-T" + t + ".png"), chosen, t);
        }
        write(out.resolve("valid-elbo.png"), "NRI: validation ELBO over training (mean ± std over seeds)", elbo);
        write(out.resolve("valid-precision.png"), "NRI: validation edge precision over training", precision);
        write(out.resolve("lambda.png"), "NRI: AIMLE's λ at each evaluation", lambda);
    }

    private static void panel(List<JFreeChart> panels, String title, List<Group> groups, String column, String y) {
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            if (g.evaluations() == 0) {
                continue;
            }
            double[][] c = g.curve(column);
            series.add(new Charts.Series(
                    g.label(), c[0], c[1], c[2], Charts.PALETTE.get(i % Charts.PALETTE.size()), false));
        }
        if (!series.isEmpty()) {
            panels.add(Charts.chart(title, "step", y, false, series, Double.NaN, Double.NaN));
        }
    }

    private static void write(Path file, String title, List<JFreeChart> panels) {
        if (!panels.isEmpty()) {
            Charts.writePng(file, title, panels, 1, 720, 380);
        }
    }

    /**
     * A grid: a row per chosen method (its first seed's {@code examples.json}), a column per test
     * trajectory: the positions over time (light to dark), the true tree (thick grey) and the
     * recovered MAP tree (green where it agrees, red where it does not).
     */
    private static void examples(Path file, List<Group> groups, int timesteps) throws IOException {
        List<String> labels = new ArrayList<>();
        List<JsonNode> examples = new ArrayList<>();
        for (Group g : groups) {
            Path f = g.runs().get(0).dir().resolve(NriSession.EXAMPLES);
            if (Files.exists(f)) {
                labels.add(g.label());
                examples.add(JSON.readTree(f.toFile()).get("examples"));
            }
        }
        if (examples.isEmpty()) {
            return;
        }
        int columns = examples.get(0).size();
        int cell = 220;
        int left = 150;
        BufferedImage image =
                new BufferedImage(left + columns * cell, 30 + examples.size() * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = image.createGraphics();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setColor(Color.WHITE);
        g2.fillRect(0, 0, image.getWidth(), image.getHeight());
        g2.setColor(Color.BLACK);
        g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g2.drawString(
                "Test trajectories, T = " + timesteps + ": true tree grey, recovered tree green (right) / red (wrong)",
                8,
                20);
        g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int row = 0; row < examples.size(); row++) {
            int y0 = 30 + row * cell;
            g2.setColor(Color.BLACK);
            g2.drawString(labels.get(row), 8, y0 + cell / 2);
            for (int col = 0; col < Math.min(columns, examples.get(row).size()); col++) {
                drawExample(g2, examples.get(row).get(col), left + col * cell, y0, cell);
            }
        }
        g2.dispose();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ImageIO.write(image, "png", tmp.toFile());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void drawExample(Graphics2D g2, JsonNode example, int x0, int y0, int size) {
        JsonNode positions = example.get("positions"); // [n][T][2]
        int n = positions.size();
        int t = positions.get(0).size();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode vertex : positions) {
            for (JsonNode p : vertex) {
                min = Math.min(min, Math.min(p.get(0).asDouble(), p.get(1).asDouble()));
                max = Math.max(max, Math.max(p.get(0).asDouble(), p.get(1).asDouble()));
            }
        }
        double scale = (size - 30) / Math.max(1e-9, max - min);
        double lo = min;
        java.util.function.ToIntFunction<Double> px = v -> (int) Math.round(x0 + 15 + (v - lo) * scale);
        java.util.function.ToIntFunction<Double> py = v -> (int) Math.round(y0 + size - 15 - (v - lo) * scale);
        g2.setColor(new Color(245, 245, 245));
        g2.fillRect(x0 + 4, y0 + 4, size - 8, size - 8);
        for (int v = 0; v < n; v++) {
            for (int s = 0; s < t; s++) {
                int shade = 200 - (int) (150.0 * s / Math.max(1, t - 1));
                g2.setColor(new Color(shade, shade, 255));
                JsonNode p = positions.get(v).get(s);
                g2.fillOval(
                        px.applyAsInt(p.get(0).asDouble()) - 2,
                        py.applyAsInt(p.get(1).asDouble()) - 2,
                        4,
                        4);
            }
        }
        JsonNode truth = example.get("truth");
        JsonNode predicted = example.get("predicted");
        for (int pass = 0; pass < 2; pass++) {
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    int e = NriGraph.undirected(n, a, b);
                    boolean isTrue = truth.get(e).asInt() == 1;
                    boolean isPredicted = predicted.get(e).asInt() == 1;
                    if (pass == 0 && isTrue) {
                        g2.setColor(new Color(170, 170, 170));
                        g2.setStroke(new BasicStroke(5f));
                    } else if (pass == 1 && isPredicted) {
                        g2.setColor(isTrue ? new Color(0, 150, 0) : new Color(210, 0, 0));
                        g2.setStroke(new BasicStroke(1.6f));
                    } else {
                        continue;
                    }
                    JsonNode pa = positions.get(a).get(t - 1);
                    JsonNode pb = positions.get(b).get(t - 1);
                    g2.drawLine(
                            px.applyAsInt(pa.get(0).asDouble()),
                            py.applyAsInt(pa.get(1).asDouble()),
                            px.applyAsInt(pb.get(0).asDouble()),
                            py.applyAsInt(pb.get(1).asDouble()));
                }
            }
        }
        g2.setStroke(new BasicStroke(1f));
    }
}
