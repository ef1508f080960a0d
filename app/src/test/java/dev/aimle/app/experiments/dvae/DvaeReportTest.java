package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.report.RunGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DVAE table shows both test losses: the noiseless MAP one and the one on a noisy sample (the
 * paper's reference's evaluation), with "–" for runs made before the second was recorded (their
 * rows read it as NaN).
 */
class DvaeReportTest {
    private static DvaeSpec spec(DvaeMethod method, long seed) {
        return new DvaeSpec(method, 10, 1, 0, false, seed, 2, 100, 1e-3, "data", 0);
    }

    private static Map<String, Double> row(int epoch, double test, double sampled) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("epoch", (double) epoch);
        r.put("validation_loss", test + 1);
        r.put("test_loss", test);
        r.put(DvaeSession.SAMPLED_TEST_LOSS, sampled);
        r.put("seconds", 10.0);
        return r;
    }

    @Test
    void bothTestLossesAreColumnsAndAnOldRunShowsADash() {
        Map<String, RunGroup<DvaeSpec>> groups = new LinkedHashMap<>();
        groups.put(
                "new",
                new RunGroup<>(
                        spec(DvaeMethod.AIMLE_CENTRAL, 1),
                        List.of(),
                        List.of(
                                List.of(row(1, 240, 250), row(2, 230, 241)),
                                List.of(row(1, 240, 250), row(2, 232, 245)))));
        groups.put(
                "old",
                new RunGroup<>(
                        spec(DvaeMethod.AIMLE_FORWARD, 1),
                        List.of(),
                        List.of(List.of(row(1, 250, Double.NaN), row(2, 245, Double.NaN)))));
        String table = new DvaeReport().tables(groups, List.of());
        assertTrue(table.contains("| test loss | test loss (noisy sample) | validation loss |"), table);
        // final epoch over two seeds: MAP 231 ± sqrt(2), noisy 243 ± sqrt(8) (sample std, as every table)
        assertTrue(
                table.contains("| AIMLE (central) | 2 | 2 | 231.00 ± 1.41 | 243.00 ± 2.83 | 232.00 ± 1.41 |"), table);
        assertTrue(table.contains("| AIMLE (forward) | 2 | 1 | 245.00 ± 0.00 | – | 246.00 ± 0.00 |"), table);
    }
}
