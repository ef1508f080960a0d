package dev.aimle.app.experiments.nri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.Specs;
import dev.aimle.app.report.Curves;
import dev.aimle.app.report.Markdown;
import dev.aimle.app.report.RunGroup;
import dev.aimle.app.report.SweepReport;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;

/**
 * The NRI sweep's report ({@link SweepReport}): {@code summary.csv} (a line per run), {@code results.md} (Table 2's
 * layout: per method and T, the test ELBO, edge precision and recall at the evaluation with the best
 * validation ELBO, mean ± std over seeds; IMLE's lambda chosen by the mean best validation ELBO),
 * {@code valid-elbo.png}, {@code valid-precision.png}, {@code lambda.png} (curves over training,
 * mean ± std over seeds) and {@code examples-T*.png} (a few test trajectories with the true and the
 * recovered tree of each chosen method).
 */
final class NriReport implements SweepReport.Layout<NriSpec> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NriReport() {}

    static void write(Path out, List<RunUnit<NriSpec>> runs, PrintWriter log) throws IOException {
        SweepReport.write(NriExperiment.NAME, out, runs, new NriReport(), log);
    }

    @Override
    public String summaryHeader() {
        return "run,method,T,lambda,seed,steps_done,best_step,valid_elbo,test_elbo,test_precision,test_recall,"
                + "test_precision_sampled,test_recall_sampled,seconds_per_evaluation\n";
    }

    @Override
    public String summaryLine(NriSpec s, List<Map<String, Double>> rows) {
        Map<String, Double> best = rows.stream()
                .max(Comparator.comparingDouble(r -> r.get("valid_elbo")))
                .orElseThrow();
        return String.format(
                Locale.ROOT,
                "%s,%s,%d,%s,%d,%d,%d,%.2f,%.2f,%.4f,%.4f,%s,%s,%.1f%n",
                s.id(),
                s.method().id(),
                s.timesteps(),
                s.method().usesLambda() ? Specs.format(s.lambda()) : "",
                s.seed(),
                rows.get(rows.size() - 1).get("step").longValue(),
                best.get("step").longValue(),
                best.get("valid_elbo"),
                best.get("test_elbo"),
                best.get("test_precision"),
                best.get("test_recall"),
                orBlank(best.get(NriSession.SAMPLED_PRECISION)),
                orBlank(best.get(NriSession.SAMPLED_RECALL)),
                SweepReport.meanSeconds(rows));
    }

    /** {@code {mean, std}} over seeds of {@code column} at each seed's evaluation of best validation ELBO. */
    private static double[] atBest(RunGroup<NriSpec> g, String column) {
        return g.atBest("valid_elbo", column);
    }

    /** IMLE's lambda with the best mean validation ELBO for (method, T). */
    static Optional<RunGroup<NriSpec>> bestImle(
            Map<String, RunGroup<NriSpec>> groups, NriMethod method, int timesteps) {
        return RunGroup.choose(
                groups.values(),
                s -> s.method() == method && s.timesteps() == timesteps,
                g -> atBest(g, "valid_elbo")[0],
                true);
    }

    /** The groups of Table 2 for T: every method once, IMLE at its chosen lambda. */
    static List<RunGroup<NriSpec>> chosen(Map<String, RunGroup<NriSpec>> groups, int timesteps) {
        List<RunGroup<NriSpec>> rows = new ArrayList<>();
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

    @Override
    public String tables(Map<String, RunGroup<NriSpec>> groups, List<RunUnit<NriSpec>> runs) {
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
                Optional<RunGroup<NriSpec>> g = chosen(groups, t).stream()
                        .filter(x -> x.first().method() == m)
                        .findFirst();
                if (g.isEmpty()) {
                    line.append(" | | | |");
                    continue;
                }
                any = true;
                if (m.usesLambda()) {
                    line.append(t == ts[0] ? " (λ=" : " [T=" + t + ": λ=")
                            .append(Specs.format(g.get().first().lambda()))
                            .append(t == ts[0] ? ")" : "]");
                }
                int evaluations = g.get().rows();
                line.append(String.format(
                        Locale.ROOT,
                        " | %s | %s | %s | %d × %d",
                        Markdown.meanStd("%.1f", 1, atBest(g.get(), "test_elbo")),
                        Markdown.meanStd("%.1f", 100, atBest(g.get(), "test_precision")),
                        Markdown.meanStd("%.1f", 100, atBest(g.get(), "test_recall")),
                        evaluations == 0
                                ? 0
                                : g.get()
                                        .seeds()
                                        .get(0)
                                        .get(evaluations - 1)
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
                + " as the paper's reference computes them, – for runs made before those were recorded):\n\n");
        sb.append(Markdown.header(
                "configuration",
                "T",
                "best valid ELBO",
                "test ELBO",
                "test prec.",
                "test rec.",
                "perturbed prec.",
                "perturbed rec.",
                "evaluations",
                "seeds"));
        for (RunGroup<NriSpec> g : groups.values()) {
            sb.append(Markdown.row(
                    g.first().label(),
                    g.first().timesteps(),
                    Markdown.meanStd("%.1f", 1, atBest(g, "valid_elbo")),
                    Markdown.meanStd("%.1f", 1, atBest(g, "test_elbo")),
                    Markdown.meanStd("%.1f", 100, atBest(g, "test_precision")),
                    Markdown.meanStd("%.1f", 100, atBest(g, "test_recall")),
                    Markdown.meanStdOrDash("%.1f", 100, atBest(g, NriSession.SAMPLED_PRECISION)),
                    Markdown.meanStdOrDash("%.1f", 100, atBest(g, NriSession.SAMPLED_RECALL)),
                    g.rows(),
                    g.seeds().size()));
        }
        return sb.toString();
    }

    private static String orBlank(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static int[] timesteps(Map<String, RunGroup<NriSpec>> groups) {
        return groups.values().stream()
                .mapToInt(g -> g.first().timesteps())
                .distinct()
                .sorted()
                .toArray();
    }

    @Override
    public String figures(Path out, Map<String, RunGroup<NriSpec>> groups) throws IOException {
        List<JFreeChart> elbo = new ArrayList<>();
        List<JFreeChart> precision = new ArrayList<>();
        List<JFreeChart> lambda = new ArrayList<>();
        for (int t : timesteps(groups)) {
            List<RunGroup<NriSpec>> chosen = chosen(groups, t);
            Curves.panel(elbo, "validation ELBO, T = " + t, "step", "ELBO", chosen, "valid_elbo", NriSpec::label);
            Curves.panel(
                    precision,
                    "validation edge precision, T = " + t,
                    "step",
                    "precision",
                    chosen,
                    "valid_precision",
                    NriSpec::label);
            Curves.panel(
                    lambda,
                    "AIMLE's λ, T = " + t,
                    "step",
                    "λ",
                    chosen.stream().filter(g -> g.first().method().adaptive()).toList(),
                    "lambda",
                    NriSpec::label);
            examples(out.resolve("examples-T" + t + ".png"), chosen, t);
        }
        Curves.write(out.resolve("valid-elbo.png"), "NRI: validation ELBO over training (mean ± std over seeds)", elbo);
        Curves.write(out.resolve("valid-precision.png"), "NRI: validation edge precision over training", precision);
        Curves.write(out.resolve("lambda.png"), "NRI: AIMLE's λ at each evaluation", lambda);
        return "valid-elbo.png, valid-precision.png, lambda.png, examples-T*.png";
    }

    /**
     * A grid: a row per chosen method (its first seed's {@code examples.json}), a column per test
     * trajectory: the positions over time (light to dark), the true tree (thick grey) and the
     * recovered MAP tree (green where it agrees, red where it does not).
     */
    private static void examples(Path file, List<RunGroup<NriSpec>> groups, int timesteps) throws IOException {
        List<String> labels = new ArrayList<>();
        List<JsonNode> examples = new ArrayList<>();
        for (RunGroup<NriSpec> g : groups) {
            Path f = g.runs().get(0).dir().resolve(NriSession.EXAMPLES);
            if (Files.exists(f)) {
                labels.add(g.first().label());
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
