package dev.aimle.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The timing logic on a clock of the test's own, which only the operations advance: what is timed
 * and what is not is then exact, whatever the machine's load (no sleeps, no wall clock).
 */
class TimingTest {

    /** A clock in nanoseconds that moves only when told to. */
    private static final class FakeClock implements java.util.function.LongSupplier {
        private long nanos;

        void advanceMillis(long millis) {
            nanos += millis * 1_000_000;
        }

        @Override
        public long getAsLong() {
            return nanos;
        }
    }

    @Test
    void prepareRunsBeforeEveryCallAndIsNotTimed() {
        List<String> calls = new ArrayList<>();
        FakeClock clock = new FakeClock();
        long[] callMillis = {0, 0, 5, 7, 6};
        int[] call = {0};
        Timing.Summary t = Timing.measure(
                2,
                3,
                () -> {
                    calls.add("prepare");
                    clock.advanceMillis(40);
                },
                () -> {
                    calls.add("call");
                    clock.advanceMillis(callMillis[call[0]++]);
                },
                clock);
        assertEquals(
                List.of("prepare", "call", "prepare", "call", "prepare", "call", "prepare", "call", "prepare", "call"),
                calls);
        assertEquals(3, t.repetitions());
        // the timed calls took 5, 7 and 6 ms; the 40 ms of each preparation are not counted
        assertEquals(6.0, t.medianMillis(), 1e-9);
        assertEquals(5.0, t.minMillis(), 1e-9);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        long[] durations = {90, 0, 60, 30};
        int[] call = {0};
        FakeClock clock = new FakeClock();
        Timing.Summary t = Timing.measure(0, 4, () -> {}, () -> clock.advanceMillis(durations[call[0]++]), clock);
        assertEquals(45.0, t.medianMillis(), 1e-9, "the mean of 30 and 60");
        assertEquals(0.0, t.minMillis(), 1e-9);
    }

    @Test
    void interleavedOperationsRunRoundRobinWithTheirOwnPreparationUntimed() {
        List<String> calls = new ArrayList<>();
        FakeClock clock = new FakeClock();
        java.util.Map<String, Timing.Summary> t = Timing.interleaved(
                1,
                2,
                List.of(
                        new Timing.Timed("a", () -> calls.add("prepare a"), () -> {
                            calls.add("a");
                            clock.advanceMillis(2);
                        }),
                        new Timing.Timed(
                                "b",
                                () -> {
                                    calls.add("prepare b");
                                    clock.advanceMillis(40);
                                },
                                () -> {
                                    calls.add("b");
                                    clock.advanceMillis(25);
                                })),
                clock);
        List<String> round = List.of("prepare a", "a", "prepare b", "b");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.addAll(round);
        }
        assertEquals(expected, calls, "one warm-up round and two timed ones, each operation once per round");
        assertEquals(List.of("a", "b"), new ArrayList<>(t.keySet()));
        assertEquals(2, t.get("b").repetitions());
        // b's call takes 25 ms and its preparation 40: the median counts the first, not the second
        assertEquals(25.0, t.get("b").medianMillis(), 1e-9, "b " + t.get("b"));
        assertEquals(2.0, t.get("a").medianMillis(), 1e-9, "a " + t.get("a") + " includes b's time");
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
}
