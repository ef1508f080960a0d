package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table's scale: the oracle's and the random explainer's selections and their precisions. */
class FixedExplainerTest {
    private static final int LENGTH = 200;
    private static final L2xData DATA = L2xData.generated(
            new RationaleTask(RationaleTask.Design.BEER, 50, 2, 400, 8, 5), BeerAspect.AROMA, LENGTH, 0, 0);

    private static float[][] selections(L2xMethod method, long seed, int k) {
        L2xData.Split split = DATA.annotatedSplit();
        int[] index = new int[split.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        float[] flat = FixedExplainer.select(method, seed, DATA, split, index, k);
        float[][] rows = new float[index.length][LENGTH];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(flat, r * LENGTH, rows[r], 0, LENGTH);
            float sum = 0;
            for (float v : rows[r]) {
                sum += v;
            }
            assertEquals(k, sum, "review " + r + " selects k tokens");
        }
        return rows;
    }

    @Test
    void theOracleSelectsOnlyRationaleTokensWhileTheRationaleLasts() {
        for (int k : new int[] {5, 10, 15}) {
            double precision = SubsetPrecision.of(DATA.annotated(), selections(L2xMethod.ORACLE, 3, k), k);
            assertEquals(FixedExplainer.oraclePrecision(DATA.annotated(), k), precision, 1e-12, "k = " + k);
        }
        // every annotated review of the design has a rationale of at least 5 tokens (one sentence)
        assertEquals(1.0, FixedExplainer.oraclePrecision(DATA.annotated(), 5), 1e-12);
        assertEquals(1.0, SubsetPrecision.of(DATA.annotated(), selections(L2xMethod.ORACLE, 3, 5), 5), 1e-12);
    }

    @Test
    void theOracleTakesEveryRatedWordOfTheRationaleFirst() {
        int k = 10;
        float[][] z = selections(L2xMethod.ORACLE, 3, k);
        boolean[] rated = FixedExplainer.rated(DATA.words());
        int checked = 0;
        for (int r = 0; r < z.length; r++) {
            L2xData.Annotated a = DATA.annotated().get(r);
            int ratedInRationale = 0;
            int ratedSelected = 0;
            for (int i = 0; i < LENGTH; i++) {
                if (a.rationale()[i] && rated[a.ids()[i]]) {
                    ratedInRationale++;
                    ratedSelected += z[r][i] != 0 ? 1 : 0;
                }
            }
            assertEquals(Math.min(ratedInRationale, k), ratedSelected, "review " + r);
            checked += ratedInRationale > 0 ? 1 : 0;
        }
        assertEquals(z.length, checked, "every aroma rationale rates the aroma");
        assertTrue(
                rated[DATA.words().indexOf("fragrant")] && !rated[DATA.words().indexOf("nose")]);
    }

    @Test
    void theRandomExplainersPrecisionAveragesToItsClosedForm() {
        int k = 10;
        double expected = FixedExplainer.randomPrecision(DATA.annotated(), k);
        double sum = 0;
        int seeds = 20;
        for (int seed = 0; seed < seeds; seed++) {
            sum += SubsetPrecision.of(DATA.annotated(), selections(L2xMethod.RANDOM, seed, k), k);
        }
        // one seed's precision over 400 reviews has an sd of about 0.0055; 20 seeds: 0.0012
        assertEquals(expected, sum / seeds, 0.005);
        assertEquals(0.15, expected, 0.02, "about the rationale's share of a review");
    }

    @Test
    void aReviewKeepsItsSelectionAcrossCallsAndSeedsChangeIt() {
        float[][] a = selections(L2xMethod.RANDOM, 7, 10);
        float[][] b = selections(L2xMethod.RANDOM, 7, 10);
        float[][] c = selections(L2xMethod.RANDOM, 8, 10);
        int differ = 0;
        for (int r = 0; r < a.length; r++) {
            assertTrue(java.util.Arrays.equals(a[r], b[r]), "review " + r);
            differ += java.util.Arrays.equals(a[r], c[r]) ? 0 : 1;
        }
        assertTrue(differ > a.length / 2, differ + " of " + a.length + " reviews changed with the seed");
    }

    @Test
    void theOracleNeedsRationales() {
        L2xData.Split split = new L2xData.Split(new int[][] {new int[LENGTH]}, new int[] {LENGTH}, new float[1], null);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> FixedExplainer.select(L2xMethod.ORACLE, 0, DATA, split, new int[] {0}, 5));
        assertTrue(e.getMessage().contains("rationales"), e.getMessage());
        IllegalArgumentException spec = assertThrows(
                IllegalArgumentException.class,
                () -> new L2xSpec(
                        L2xMethod.ORACLE,
                        5,
                        1,
                        0,
                        false,
                        "sog",
                        0,
                        1,
                        8,
                        1e-3,
                        BeerAspect.AROMA,
                        "/data/beer",
                        null,
                        LENGTH,
                        8,
                        4,
                        0,
                        "topk",
                        Map.of()));
        assertTrue(spec.getMessage().contains("only the generated task"), spec.getMessage());
    }
}
