package dev.aimle.estimators.imle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CalibratedAimleTest {
    /**
     * 20 rows of two categories, theta = (1, 0) each, no noise, so z = e1; row i has
     * {@code dL/dz = (d, -d)} with d = i + 1. theta - lambda*dy = (1 - lambda d, lambda d) changes
     * state exactly when lambda > 1/(2d), so m rows change (2m non-zeros, m/10 per row) for
     * lambda just above 1/(2(21 - m)). lambda = alpha * ||theta|| / ||dy|| = alpha * sqrt(20) /
     * sqrt(2 * 2870) = alpha / sqrt(287).
     */
    private static final int ROWS = 20;

    private static final double ALPHA_PER_LAMBDA = Math.sqrt(287);

    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray theta() {
        float[] v = new float[ROWS * 2];
        for (int i = 0; i < ROWS; i++) {
            v[2 * i] = 1;
        }
        return manager.create(v, new Shape(ROWS, 2));
    }

    private NDArray dy(double scale) {
        float[] v = new float[ROWS * 2];
        for (int i = 0; i < ROWS; i++) {
            v[2 * i] = (float) (scale * (i + 1));
            v[2 * i + 1] = (float) (-scale * (i + 1));
        }
        return manager.create(v, new Shape(ROWS, 2));
    }

    private static Perturbation noiseless(int samples) {
        return Perturbation.of(new TopKSolver(1), Noise.none(), samples);
    }

    private static long nonZeros(float[] values) {
        long count = 0;
        for (float v : values) {
            count += v != 0 ? 1 : 0;
        }
        return count;
    }

    @Test
    void theTargetFallsAsTheFifthRootOfSIsCappedBelowOneSwapAndForwardTakesHalf() {
        assertEquals(1.9, CalibratedAimle.target(true, 1), 0, "2.7 capped at 1.9");
        assertEquals(1.9, CalibratedAimle.target(true, 5), 0, "2.7 / 5^0.2 = 1.96, capped at 1.9");
        assertEquals(0.95, CalibratedAimle.target(false, 1), 0, "half of central's 1.9");
        assertEquals(2.7 * Math.pow(10, -0.2), CalibratedAimle.target(true, 10), 1e-15);
        assertEquals(1.35 * Math.pow(10, -0.2), CalibratedAimle.target(false, 10), 1e-15);
        assertEquals(2.7 * Math.pow(1000, -0.2), CalibratedAimle.target(true, 1000), 1e-15);
        assertEquals(1.35 * Math.pow(1000, -0.2), CalibratedAimle.target(false, 1000), 1e-15);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CalibratedAimle.target(false, 0));
        assertEquals("samples (0) must be at least 1", e.getMessage());
    }

    @Test
    void calibrationHitsTheTargetOnTheFirstBatchWithAKnownNonZeroCount() {
        // forward: c(1) = 0.95 per row, so 10 rows must change, those with d >= 11: lambda > 1/22;
        // alpha = 1 reaches (12 rows), 1/2 falls short (4): 2 trials to bracket, 8 to bisect.
        // central: c(1) = 1.9, so 19 rows, all but d = 1: lambda > 1/4; alpha = 1, 2, 4 fall short
        // (12, 16, 18 rows), 8 reaches: 4 trials to bracket, 8 to bisect.
        calibratesTo("forward", 0.95, ALPHA_PER_LAMBDA / 22, 20, 10);
        calibratesTo("central", 1.9, ALPHA_PER_LAMBDA / 4, 38, 12);
    }

    private void calibratesTo(String difference, double c, double threshold, int nonZeros, int trials) {
        CalibratedAimle aimle = CalibratedAimle.of(difference);
        Sample s = aimle.forward(theta(), noiseless(1), new SplittableRandom(1));
        float[] g = aimle.backward(s, Downstream.ofGradient(dy(1))).toFloatArray();
        assertTrue(aimle.isCalibrated(), difference);
        double alpha = aimle.state().get("calibratedAlpha");
        assertTrue(
                alpha > threshold && alpha <= threshold * Math.pow(2, 1.0 / 256),
                difference + ": calibrated alpha " + alpha + " must be within 2^(1/256) above " + threshold);
        assertEquals(nonZeros, nonZeros(g), difference + ": non-zeros of the first step's gradient");
        assertEquals(0f, g[0], difference + ": the row with d = 1 does not change");
        assertEquals(trials, aimle.calibrationTrials(), difference + ": backward passes spent calibrating");
        assertEquals(c, aimle.target(), 0);
        // the moving average starts at c and takes in the first step's count (c itself when c is a
        // count a whole number of rows gives)
        assertEquals(
                0.9 * c + 0.1 * nonZeros / ROWS,
                aimle.state().get("gbar"),
                1e-12,
                difference + ": the first step's count");
    }

    @Test
    void unitsWithoutDownstreamGradientAreLeftOutOfTheCount() {
        // the 20 rows above and 20 more rows (1, 0) with dL/dz = 0: c = 0.95 per active row still asks
        // for 10 of the 20 rows that can change; ||theta|| = sqrt(40), so lambda = alpha / sqrt(143.5)
        float[] theta = new float[ROWS * 4];
        for (int i = 0; i < 2 * ROWS; i++) {
            theta[2 * i] = 1;
        }
        float[] dy = new float[ROWS * 4];
        System.arraycopy(dy(1).toFloatArray(), 0, dy, 0, ROWS * 2);
        CalibratedAimle aimle = CalibratedAimle.of("forward");
        Sample s = aimle.forward(manager.create(theta, new Shape(2 * ROWS, 2)), noiseless(1), new SplittableRandom(1));
        NDArray downstream = manager.create(dy, new Shape(2 * ROWS, 2));
        float[] g = aimle.backward(s, Downstream.ofGradient(downstream)).toFloatArray();
        double threshold = Math.sqrt(143.5) / 22;
        double alpha = aimle.state().get("calibratedAlpha");
        assertTrue(
                alpha > threshold && alpha <= threshold * Math.pow(2, 1.0 / 256),
                "calibrated alpha " + alpha + " must be within 2^(1/256) above " + threshold);
        assertEquals(20, nonZeros(g));
        assertEquals(0.9 * 0.95 + 0.1 * 1.0, aimle.state().get("gbar"), 1e-12, "20 non-zeros over 20 active rows");
    }

    @Test
    void aTargetOutOfReachKeepsAlphaWithinItsBounds() {
        // dy = (-d, d): theta - lambda*dy = (1 + lambda d, -lambda d) never changes state
        CalibratedAimle aimle = CalibratedAimle.of("forward");
        Sample s = aimle.forward(theta(), noiseless(1), new SplittableRandom(1));
        NDArray away = dy(-1);
        aimle.backward(s, Downstream.ofGradient(away)).close();
        assertEquals(1 + CalibratedAimle.MAX_DOUBLINGS, aimle.calibrationTrials(), "unbracketed: every doubling");
        double calibrated = Math.pow(2, CalibratedAimle.MAX_DOUBLINGS);
        assertEquals(calibrated, aimle.state().get("calibratedAlpha"), 0, "the last alpha tried");
        for (int step = 0; step < 40; step++) {
            aimle.backward(s, Downstream.ofGradient(away)).close();
        }
        assertEquals(calibrated * CalibratedAimle.MAX_DRIFT, aimle.alpha(), 0, "alpha climbs to its bound, no further");
    }

    @Test
    void aFixedTargetIsCalibratedTheSameWay() {
        // c = 1 per row: 10 rows must change, those with d >= 11, so lambda > 1/22
        CalibratedAimle aimle = CalibratedAimle.builder().fixedTarget(1).build();
        Sample s = aimle.forward(theta(), noiseless(1), new SplittableRandom(1));
        float[] g = aimle.backward(s, Downstream.ofGradient(dy(1))).toFloatArray();
        double threshold = ALPHA_PER_LAMBDA / 22;
        assertTrue(
                aimle.alpha() > threshold && aimle.alpha() <= threshold * Math.pow(2, 1.0 / 256),
                "alpha " + aimle.alpha() + " must be within 2^(1/256) above " + threshold);
        assertEquals(20, nonZeros(g));
    }

    @Test
    void withoutCalibrationAlphaStartsWhereTheControllerStarts() {
        CalibratedAimle aimle = CalibratedAimle.builder().calibrate(false).build();
        Sample s = aimle.forward(theta(), noiseless(1), new SplittableRandom(1));
        aimle.backward(s, Downstream.ofGradient(dy(1)));
        assertFalse(aimle.isCalibrated());
        assertEquals(0, aimle.calibrationTrials());
        // alpha0 = 1 (lambda = 1/sqrt(287): 12 rows, 1.2 per row); gbar = 0.9 * 1 + 0.1 * 1.2 = 1.02 > 0.95
        assertEquals(Math.exp(0.3 * (0.95 - 1.02) / 0.95), aimle.alpha(), 1e-6);
    }

    @Test
    void aResumedRunDoesNotCalibrateAgain() {
        CalibratedAimle first = CalibratedAimle.of("central");
        Sample s = first.forward(theta(), noiseless(1), new SplittableRandom(1));
        first.backward(s, Downstream.ofGradient(dy(1))).close();
        Map<String, Double> saved = first.state();
        assertEquals(1.0, saved.get("calibrated"));
        assertEquals(1.0, saved.get("samples"));
        assertEquals(first.alpha(), saved.get("calibratedAlpha"), 0);

        CalibratedAimle resumed = CalibratedAimle.of("central");
        resumed.restoreState(saved);
        assertTrue(resumed.isCalibrated());
        assertEquals(first.alpha(), resumed.alpha(), 0);
        assertEquals(saved, resumed.state());
        // the next batch: the resumed estimator takes the same step, without trials of its own
        for (GradientEstimator e : new GradientEstimator[] {first, resumed}) {
            assertEquals(
                    ROWS * 2,
                    e.backward(s, Downstream.ofGradient(dy(3))).getShape().size());
        }
        assertEquals(0, resumed.calibrationTrials(), "restored calibrated: no trials");
        assertEquals(first.state(), resumed.state(), "both took the same step");

        CalibratedAimle fresh = CalibratedAimle.of("central");
        Map<String, Double> before = fresh.state();
        assertEquals(0.0, before.get("calibrated"));
        assertEquals(0.0, before.get("samples"));
        assertEquals(0.0, before.get("calibratedAlpha"));
        CalibratedAimle restoredFresh = CalibratedAimle.of("central");
        restoredFresh.restoreState(before);
        restoredFresh.backward(s, Downstream.ofGradient(dy(1))).close();
        assertTrue(restoredFresh.isCalibrated(), "an uncalibrated state calibrates on its first backward pass");
        assertEquals(first.calibrationTrials(), restoredFresh.calibrationTrials());
    }

    @Test
    void aStateWithoutAValidCalibrationFlagIsRefused() {
        CalibratedAimle aimle = CalibratedAimle.of("forward");
        Map<String, Double> state = new HashMap<>(aimle.state());
        state.remove("calibrated");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> aimle.restoreState(state));
        assertTrue(e.getMessage().contains("needs 'calibrated' = 0 or 1, got null"), e.getMessage());
        state.put("calibrated", 1.0);
        e = assertThrows(IllegalArgumentException.class, () -> aimle.restoreState(state));
        assertTrue(e.getMessage().contains("(at least 1 once calibrated), got 0.0"), e.getMessage());
        state.put("samples", 2.5);
        assertThrows(IllegalArgumentException.class, () -> aimle.restoreState(state));
        state.put("samples", 10.0);
        e = assertThrows(IllegalArgumentException.class, () -> aimle.restoreState(state));
        assertTrue(e.getMessage().contains("(above 0 once calibrated), got 0.0"), e.getMessage());
        state.put("calibratedAlpha", 0.5);
        state.put("bogus", 1.0);
        e = assertThrows(IllegalArgumentException.class, () -> aimle.restoreState(state));
        assertTrue(e.getMessage().contains("unknown AIMLE state key 'bogus'"), e.getMessage());
    }

    @Test
    void aBackwardPassWithAnotherSampleCountIsRefused() {
        CalibratedAimle aimle = CalibratedAimle.of("forward");
        Sample one = aimle.forward(theta(), noiseless(1), new SplittableRandom(1));
        aimle.backward(one, Downstream.ofGradient(dy(1))).close();
        Sample two = aimle.forward(theta(), noiseless(2), new SplittableRandom(1));
        NDArray dy2 = manager.create(new float[ROWS * 4], new Shape(ROWS * 2, 2));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> aimle.backward(two, Downstream.ofGradient(dy2)));
        assertEquals(
                "this calibrated AIMLE chose its target for S = 1; a backward pass with S = 2 needs its own"
                        + " estimator",
                e.getMessage());
    }

    @Test
    void aFirstBatchWithoutDownstreamGradientLeavesTheCalibrationToTheNext() {
        CalibratedAimle aimle = CalibratedAimle.of("forward");
        Sample s = aimle.forward(theta(), noiseless(1), new SplittableRandom(1));
        float[] g = aimle.backward(s, Downstream.ofGradient(dy(0))).toFloatArray();
        assertArrayEquals(new float[ROWS * 2], g);
        assertFalse(aimle.isCalibrated());
        assertEquals(0, aimle.calibrationTrials());
        aimle.backward(s, Downstream.ofGradient(dy(1))).close();
        assertTrue(aimle.isCalibrated());
    }

    @Test
    void theProviderGivesThePresetAndRefusesWhatItChoosesItself() {
        GradientEstimator e =
                new AimleProvider().create(Config.of(Map.of("preset", "calibrated", "difference", "central")));
        assertEquals("aimle", e.name());
        assertTrue(e.toString().startsWith("AIMLE(calibrated, central, c = min(1.9, 2.7 S^-0.2)"), e.toString());
        assertEquals(0.0, e.state().get("calibrated"));
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> new AimleProvider().create(Config.of(Map.of("preset", "calibrated", "target", 1))));
        assertTrue(bad.getMessage().contains("does not accept parameter 'target'"), bad.getMessage());
        bad = assertThrows(
                IllegalArgumentException.class, () -> new AimleProvider().create(Config.of("preset", "tuned")));
        assertEquals("preset (tuned) must be 'paper', 'reference', 'calibrated' or 'noise-scaled'", bad.getMessage());
    }

    @Test
    void theProportionalControllerMovesLogAlphaInProportionToTheRelativeError() {
        ProportionalController c = new ProportionalController(0.3);
        assertEquals(Math.exp(0.3 * 0.5), c.next(1, 0.5, 1), 1e-15, "half the target: up by gain * 0.5");
        assertEquals(2 * Math.exp(-0.3 * 0.25), c.next(2, 1.25, 1), 1e-15);
        assertEquals(Math.exp(-0.3), c.next(1, 10, 1), 1e-15, "the error is clipped at -1");
        assertEquals(1, c.next(1, 1, 1), 0, "on target: unchanged");
        assertTrue(c.requiresPositiveAlpha());
        assertEquals(Map.of(), c.state());
        assertThrows(IllegalArgumentException.class, () -> c.restoreState(Map.of("step", 1.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProportionalController(0));
        assertEquals("gain (0.0) must be a finite number greater than 0", e.getMessage());
    }
}
