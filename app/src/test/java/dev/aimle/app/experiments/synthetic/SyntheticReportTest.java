package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables and figures from made-up results whose means and deviations are known: the markdown holds
 * them in the paper's estimator order, incomplete groups say so, and every figure is a PNG.
 */
class SyntheticReportTest {
    @TempDir
    Path dir;

    /** Fig. 3 at n = 10, 20 and S = 1, 100; the sweep over 0 and 1 at n = 10, S = 100; 2 seeds; a warm-up study. */
    static SyntheticConfig config() {
        return new SyntheticConfig(
                List.of(10, 20),
                List.of(1, 100),
                List.of(Method.values()),
                List.of(1.0),
                List.of(0.0, 1.0),
                List.of(10),
                100,
                2,
                100,
                List.of(0, 100),
                List.of(1, 100),
                false,
                "gumbel");
    }

    /** Seed 0 has cosine m - 0.1, seed 1 has m + 0.1: mean m, std 0.1 * sqrt(2). */
    static List<PointResult> results(SyntheticConfig config) {
        List<PointResult> out = new ArrayList<>();
        for (PointKey k : SyntheticPlan.of(config).points()) {
            double m = 0.1 * (k.method().ordinal() + 1);
            out.add(new PointResult(
                    k, m + (k.seed() == 0 ? -0.1 : 0.1), 0.25, k.method().adaptive() ? 0.05 : Double.NaN, 0.5));
        }
        return out;
    }

    @Test
    void markdownHasEveryTableInThePapersOrder() {
        SyntheticConfig config = config();
        String md = new SyntheticReport(config, results(config)).markdown();
        for (String section : new String[] {
            "## Fig. 3",
            "### n = 10",
            "### n = 20",
            "## Fig. 4 and Fig. 1",
            "| reference | cosine |",
            "## Warm-up study",
            "## Time per point"
        }) {
            assertTrue(md.contains(section), section + " in\n" + md);
        }
        assertTrue(md.contains("| estimator | S = 1 | S = 100 |"), md);
        // AIMLE (forward) is method 0: mean 0.1, std 0.1 * sqrt(2) = 0.141
        assertTrue(md.contains("| AIMLE (forward) | 0.100 ± 0.141 | 0.100 ± 0.141 |"), md);
        assertTrue(md.contains("| IMLE (central, λ = 1) | 0.400 ± 0.141 |"), md);
        String fig3 = md.substring(md.indexOf("### n = 10"), md.indexOf("### n = 20"));
        List<String> order = List.of(
                "| AIMLE (forward)",
                "| AIMLE (central)",
                "| IMLE (forward, λ = 1)",
                "| IMLE (central, λ = 1)",
                "| STE",
                "| SFE");
        int last = -1;
        for (String row : order) {
            int at = fig3.indexOf(row);
            assertTrue(at > last, row + " after the previous estimator in\n" + fig3);
            last = at;
        }
        // the sweep: % zeros = 25
        assertTrue(md.contains("| 1 | 0.300 ± 0.141 | 0.400 ± 0.141 | 25.0 ± 0.0 | 25.0 ± 0.0 |"), md);
    }

    @Test
    void severalImleLambdasGiveTheBestOneAtEachPointNextToTheAdaptiveEstimators() {
        SyntheticConfig config = new SyntheticConfig(
                List.of(10),
                List.of(1, 100),
                List.of(Method.values()),
                List.of(0.5, 1.0),
                List.of(),
                List.of(10),
                100,
                2,
                100,
                List.of(),
                List.of(1),
                false,
                "gumbel");
        String md = new SyntheticReport(config, results(config)).markdown();
        assertTrue(md.contains("## Adaptive estimators against the best IMLE lambda at each point"), md);
        // means by method order: AIMLE forward 0.1, central 0.2, IMLE forward 0.3 (both lambdas: the
        // first is kept), central 0.4, calibrated forward 0.7, central 0.8
        assertTrue(md.contains("| forward | 10 | 1 | 0.300 (0.5) | 0.100 (-0.200) | – | 0.700 (+0.400 ✓) | – |"), md);
        assertTrue(md.contains("| central | 10 | 100 | 0.400 (0.5) | – | 0.200 (-0.200) | – | 0.800 (+0.400 ✓) |"), md);
        String one = new SyntheticReport(config(), results(config())).markdown();
        assertFalse(one.contains("best IMLE lambda"), "one IMLE lambda: no such table");
    }

    @Test
    void incompleteGroupsSaySo() {
        SyntheticConfig config = config();
        List<PointResult> some = results(config).stream()
                .filter(r -> !(r.key().method() == Method.STE && r.key().seed() == 1))
                .filter(r -> !(r.key().method() == Method.SFE))
                .toList();
        String md = new SyntheticReport(config, some).markdown();
        assertTrue(md.contains("| STE | 0.400 ± 0.000 (1/2 seeds) |"), md);
        assertTrue(md.contains("| SFE | – | – |"), md);
    }

    @Test
    void everyFigureIsAPng() throws IOException {
        SyntheticConfig config = config();
        List<String> written = new SyntheticReport(config, results(config)).writeFigures(dir);
        assertEquals(
                List.of(SyntheticReport.FIG3, SyntheticReport.FIG4, SyntheticReport.FIG1, SyntheticReport.WARMUP),
                written);
        for (String name : written) {
            BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
            assertNotNull(image, name + " is a readable image");
            assertTrue(
                    image.getWidth() >= 760 && image.getHeight() >= 400,
                    name + " " + image.getWidth() + "x" + image.getHeight());
        }
        // Fig. 3: two panels side by side, one per n
        BufferedImage fig3 = ImageIO.read(dir.resolve(SyntheticReport.FIG3).toFile());
        assertEquals(2 * 760, fig3.getWidth());
    }
}
