package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The runner on a tiny configuration, with a test argmax standing in for the top-k plugin: results
 * are reproducible whatever the threads and order, stopping (a limit, an interrupt) keeps every
 * finished point, and the warm-up shows in AIMLE's lambda.
 */
class SyntheticRunnerTest {
    /** n = 5, S = 1 and 10, every estimator, 3 seeds, 10 warm-up steps, a two-point sweep. */
    static SyntheticConfig tiny() {
        return new SyntheticConfig(
                List.of(5),
                List.of(1, 10),
                List.of(Method.values()),
                List.of(1.0),
                List.of(0.0, 1.0),
                List.of(5),
                10,
                3,
                10,
                List.of(),
                List.of(1),
                false,
                "gumbel");
    }

    static SyntheticRunner runner(SyntheticConfig config) {
        return new SyntheticRunner(
                CategoricalArgmax.solvers(), CategoricalArgmax.noises(), CategoricalArgmax.estimators(), config);
    }

    static Map<PointKey, PointResult> runAll(SyntheticConfig config, List<PointKey> points, int threads) {
        Map<PointKey, PointResult> out = Collections.synchronizedMap(new HashMap<>());
        SyntheticRunner.Outcome outcome =
                runner(config).run(points, threads, Long.MAX_VALUE, r -> out.put(r.key(), r), k -> {});
        assertEquals(points.size(), outcome.computed(), "points computed with " + threads + " threads");
        assertFalse(outcome.stopped());
        return out;
    }

    @Test
    void resultsDoNotDependOnThreadsOrOrder() {
        SyntheticConfig config = tiny();
        List<PointKey> points = SyntheticPlan.of(config).points();
        Map<PointKey, PointResult> sequential = runAll(config, points, 1);
        List<PointKey> reversed = new ArrayList<>(points);
        Collections.reverse(reversed);
        Map<PointKey, PointResult> parallel = runAll(config, reversed, 2);
        assertEquals(points.size(), sequential.size());
        for (PointKey k : points) {
            PointResult a = sequential.get(k);
            PointResult b = parallel.get(k);
            assertEquals(a.cosine(), b.cosine(), 0.0, "cosine of " + k);
            assertEquals(a.zeroFraction(), b.zeroFraction(), 0.0, "zero fraction of " + k);
            assertEquals(a.aimleLambda(), b.aimleLambda(), 0.0, "AIMLE lambda of " + k);
            assertTrue(a.cosine() >= -1 - 1e-9 && a.cosine() <= 1 + 1e-9, "cosine in [-1, 1]: " + a);
            assertTrue(a.seconds() > 0, "seconds measured: " + a);
        }
    }

    @Test
    void limitStopsAfterThatManyPointsAndKeepsThem() {
        SyntheticConfig config = tiny();
        List<PointKey> points = SyntheticPlan.of(config).points();
        for (int threads : new int[] {1, 2}) {
            List<PointResult> got = Collections.synchronizedList(new ArrayList<>());
            SyntheticRunner.Outcome outcome = runner(config).run(points, threads, 4, got::add, k -> {});
            assertEquals(4, outcome.computed(), threads + " threads");
            assertTrue(outcome.stopped(), threads + " threads");
            assertEquals(4, got.size(), threads + " threads: every computed point reaches the sink");
        }
    }

    @Test
    void interruptStopsBeforeTheNextPointAndKeepsTheFinishedOnes() {
        SyntheticConfig config = tiny();
        List<PointKey> points = SyntheticPlan.of(config).points();
        for (int threads : new int[] {1, 2}) {
            Thread caller = Thread.currentThread();
            AtomicInteger seen = new AtomicInteger();
            SyntheticRunner.Outcome outcome;
            try {
                outcome = runner(config)
                        .run(
                                points,
                                threads,
                                Long.MAX_VALUE,
                                r -> {
                                    if (seen.incrementAndGet() == 3) {
                                        caller.interrupt();
                                    }
                                },
                                k -> {});
            } finally {
                assertTrue(Thread.interrupted(), threads + " threads: the interrupt is kept for the caller");
            }
            assertTrue(outcome.stopped(), threads + " threads");
            assertEquals(seen.get(), outcome.computed(), threads + " threads: every computed point reached the sink");
            assertTrue(
                    outcome.computed() >= 3 && outcome.computed() < points.size(),
                    threads + " threads: stopped after " + outcome.computed() + " of " + points.size());
        }
    }

    @Test
    void lambdaZeroGivesZerosAndAimleNeedsItsWarmUp() {
        SyntheticConfig config = tiny();
        List<PointKey> keys = List.of(
                new PointKey(Method.IMLE_FORWARD, 5, 10, 0.0, 0, 0),
                new PointKey(Method.IMLE_CENTRAL, 5, 10, 0.0, 0, 0),
                new PointKey(Method.AIMLE_FORWARD, 5, 10, Double.NaN, 0, 0),
                new PointKey(Method.AIMLE_FORWARD, 5, 10, Double.NaN, 50, 0));
        Map<PointKey, PointResult> r = runAll(config, keys, 1);
        for (PointKey k : keys.subList(0, 3)) {
            assertEquals(1.0, r.get(k).zeroFraction(), 0.0, "all-zero estimate for " + k);
            assertEquals(0.0, r.get(k).cosine(), 0.0, "an all-zero estimate has cosine 0: " + k);
        }
        // alpha0 = 0 (the paper): without warm-up AIMLE's lambda is 0; each warm-up step adds at most eta
        assertEquals(0.0, r.get(keys.get(2)).aimleLambda(), 0.0, "lambda without warm-up");
        assertTrue(r.get(keys.get(3)).aimleLambda() > 0, "lambda after 50 warm-up steps: " + r.get(keys.get(3)));
    }

    @Test
    void aMissingProviderFailsBeforeAnyWork() {
        SyntheticConfig noNoise = new SyntheticConfig(
                List.of(5),
                List.of(1),
                List.of(Method.STE),
                List.of(1.0),
                List.of(),
                List.of(5),
                10,
                1,
                0,
                List.of(),
                List.of(1),
                false,
                "no-such-noise");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> runner(noNoise).checkProviders());
        assertTrue(e.getMessage().contains("no-such-noise") && e.getMessage().contains("gumbel"), e.getMessage());
    }
}
