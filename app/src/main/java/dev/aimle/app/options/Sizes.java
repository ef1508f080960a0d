package dev.aimle.app.options;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Checks, before any work, that sizes given on the command line fit: in a Java array ({@code int}
 * indexing) and in the heap the JVM may use. A size that does not fit is a usage error (exit 2)
 * naming the limit, never an OutOfMemoryError or an arithmetic overflow minutes later.
 */
public final class Sizes {
    private Sizes() {}

    /** The largest length of a Java array. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Requires {@code elements} values of {@code bytesPerElement} bytes, held {@code copies} times at
     * once, to fit in an array and in the heap.
     *
     * @param what how the user wrote the size, e.g. {@code "--batch 65537 x --n 65536"}
     */
    public static void requireFits(CommandLine cli, String what, long elements, int bytesPerElement, int copies) {
        if (elements < 0 || elements > MAX_ARRAY) {
            throw new ParameterException(
                    cli,
                    what + " = " + (elements < 0 ? "more than " + Long.MAX_VALUE : Long.toString(elements))
                            + ", more than the " + MAX_ARRAY + " a Java array can index");
        }
        long bytes = Math.multiplyHigh(elements, (long) bytesPerElement * copies) != 0
                ? Long.MAX_VALUE
                : elements * bytesPerElement * copies;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new ParameterException(
                    cli,
                    what + " = " + elements + " needs about " + mib(bytes) + " MiB of heap, more than the " + mib(heap)
                            + " MiB this JVM may use. Maybe raise -Xmx in AIMLE_JAVA_OPTS");
        }
    }

    /**
     * The threads of a command that computes in parallel ({@code --threads}): the number of
     * processors unless {@code given}.
     *
     * @throws ParameterException for fewer than 1
     */
    public static int threads(CommandLine cli, Integer given) {
        int threads = given == null ? Runtime.getRuntime().availableProcessors() : given;
        if (threads < 1) {
            throw new ParameterException(cli, "--threads (" + threads + ") must be at least 1");
        }
        return threads;
    }

    /** {@code a * b}, or -1 when it overflows a long. */
    public static long product(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? -1 : low;
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
