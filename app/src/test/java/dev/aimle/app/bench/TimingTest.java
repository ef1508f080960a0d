package dev.aimle.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void prepareRunsBeforeEveryCallAndIsNotTimed() {
        List<String> calls = new ArrayList<>();
        Timing.Summary t = Timing.measure(
                2,
                3,
                () -> {
                    calls.add("prepare");
                    sleep(40);
                },
                () -> calls.add("call"));
        assertEquals(
                List.of("prepare", "call", "prepare", "call", "prepare", "call", "prepare", "call", "prepare", "call"),
                calls);
        assertEquals(3, t.repetitions());
        // the 40 ms of each prepare would dominate a call that only appends to a list
        assertTrue(t.medianMillis() < 20, "median " + t.medianMillis() + " ms includes the preparation");
        assertTrue(t.minMillis() <= t.medianMillis());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        long[] sleeps = {0, 30, 60, 90};
        int[] call = {0};
        Timing.Summary t = Timing.measure(0, 4, () -> sleep(sleeps[call[0]++]));
        // sleeping 30 and 60 ms: the median is at least 45 ms, the fastest call below the 30 ms one
        assertTrue(t.medianMillis() >= 45, "median " + t.medianMillis());
        assertTrue(t.minMillis() < 30, "fastest " + t.minMillis());
    }

    @Test
    void interleavedOperationsRunRoundRobinWithTheirOwnPreparationUntimed() {
        List<String> calls = new ArrayList<>();
        java.util.Map<String, Timing.Summary> t = Timing.interleaved(
                1,
                2,
                List.of(
                        new Timing.Timed("a", () -> calls.add("prepare a"), () -> calls.add("a")),
                        new Timing.Timed(
                                "b",
                                () -> {
                                    calls.add("prepare b");
                                    sleep(40);
                                },
                                () -> {
                                    calls.add("b");
                                    sleep(25);
                                })));
        List<String> round = List.of("prepare a", "a", "prepare b", "b");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.addAll(round);
        }
        assertEquals(expected, calls, "one warm-up round and two timed ones, each operation once per round");
        assertEquals(List.of("a", "b"), new ArrayList<>(t.keySet()));
        assertEquals(2, t.get("b").repetitions());
        // b's call sleeps 25 ms and its preparation 40: the median counts the first, not the second
        assertTrue(t.get("b").medianMillis() >= 25 && t.get("b").medianMillis() < 60, "b " + t.get("b"));
        assertTrue(t.get("a").medianMillis() < 20, "a " + t.get("a") + " includes b's time");
    }

    @Test
    void interleavedTimingRefusesBadInput() {
        List<String> ran = new ArrayList<>();
        assertEquals(
                "two operations have the same name in [x, y, x]",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Timing.interleaved(
                                        0,
                                        1,
                                        List.of(
                                                new Timing.Timed("x", () -> {}, () -> ran.add("x")),
                                                new Timing.Timed("y", () -> {}, () -> ran.add("y")),
                                                new Timing.Timed("x", () -> {}, () -> ran.add("x")))))
                        .getMessage());
        assertEquals(List.of(), ran, "refused before anything ran");
        assertEquals(
                "no operations to time",
                assertThrows(IllegalArgumentException.class, () -> Timing.interleaved(0, 1, List.of()))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Timing.interleaved(0, 0, List.of(new Timing.Timed("x", () -> {}, () -> {}))));
    }

    @Test
    void badCountsAreRefusedByName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Timing.measure(-1, 1, () -> {}));
        assertEquals("warmUp (-1) must be at least 0 and repetitions (1) at least 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Timing.measure(0, 0, () -> {}));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
