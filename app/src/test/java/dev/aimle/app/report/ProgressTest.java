package dev.aimle.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress lines on a fake clock: periodic lines off a terminal, a bar redrawn in place on one. */
class ProgressTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void linesComeEveryIntervalAndAtTheEnd() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        Progress p = new Progress(new PrintWriter(text), Progress.Mode.LINES, "synthetic", 4, 100, 10, now::get);
        now.set(2 * SECOND);
        p.advance(10);
        assertEquals("", text.toString(), "nothing before the first interval");
        now.set(12 * SECOND);
        p.advance(40);
        assertEquals("synthetic:  50%  2/4 points  elapsed 0:12 eta 0:12" + System.lineSeparator(), text.toString());
        now.set(20 * SECOND);
        p.advance(25);
        p.advance(25);
        p.finish();
        assertTrue(
                text.toString().endsWith("synthetic: 100%  4/4 points  elapsed 0:20" + System.lineSeparator()),
                text.toString());
    }

    @Test
    void theBarIsRedrawnInPlace() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        Progress p = new Progress(new PrintWriter(text), Progress.Mode.BAR, "run", 2, 2, 10, now::get);
        now.set(SECOND);
        p.advance(1);
        now.set(2 * SECOND);
        p.advance(1);
        p.finish();
        String s = text.toString();
        assertTrue(s.startsWith("\rrun: [###############...............]  50%  1/2 points"), s);
        assertTrue(s.contains("\rrun: [##############################] 100%  2/2 points  elapsed 0:02"), s);
        assertTrue(s.endsWith(System.lineSeparator()), "the bar's line is ended: " + s);
    }

    @Test
    void clockTimes() {
        assertEquals("0:07", Progress.clockTime(7.4));
        assertEquals("2:05", Progress.clockTime(125));
        assertEquals("1:01:01", Progress.clockTime(3661));
    }

    @Test
    void noneSaysNothing() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        Progress p = new Progress(new PrintWriter(text), Progress.Mode.NONE, "run", 1, 1, 0, now::get);
        now.set(SECOND);
        p.advance(1);
        p.finish();
        assertEquals("", text.toString());
    }
}
