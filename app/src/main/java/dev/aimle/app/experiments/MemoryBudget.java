package dev.aimle.app.experiments;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a size may cost, checked before any work: data held in Java arrays against the JVM's heap
 * ({@code -Xmx}, which a sweep's children share with the command: they are started without heap
 * options), tensors of the engine against the machine's memory (PyTorch allocates outside the heap).
 * The estimates count the arrays that grow with a size, so a limit reads as a formula in it; they
 * leave out fixed costs of a few megabytes.
 */
public final class MemoryBudget {
    /** The most elements a Java array can hold on HotSpot. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private MemoryBudget() {}

    /** The most the JVM's heap may grow to. */
    public static long heapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** The machine's physical memory (the heap's size when the JVM cannot tell). */
    public static long physicalBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            if (total > 0) {
                return total;
            }
        }
        return heapBytes();
    }

    /**
     * Throws unless {@code bytes} fit in the heap.
     *
     * @param what the sizes, as the user gave them, e.g. {@code "--train 10000000 examples of T = 20"}
     * @param bytes the estimate
     * @param formula how {@code bytes} was computed, in the user's terms
     * @throws IllegalArgumentException naming the sizes, the estimate, the formula and the limit
     */
    public static void requireHeap(String what, double bytes, String formula) {
        if (bytes > heapBytes()) {
            throw new IllegalArgumentException(what + " need about " + gigabytes(bytes) + " in the Java heap ("
                    + formula + "), more than the " + gigabytes(heapBytes()) + " it may use (-Xmx; raise it with"
                    + " AIMLE_JAVA_OPTS=-Xmx...)");
        }
    }

    /**
     * Throws unless {@code bytes} fit in the machine's memory.
     *
     * @param what the sizes, as the user gave them
     * @param bytes the estimate
     * @param formula how {@code bytes} was computed, in the user's terms
     * @throws IllegalArgumentException naming the sizes, the estimate, the formula and the limit
     */
    public static void requirePhysical(String what, double bytes, String formula) {
        if (bytes > physicalBytes()) {
            throw new IllegalArgumentException(what + " need about " + gigabytes(bytes) + " of memory (" + formula
                    + "), more than the " + gigabytes(physicalBytes()) + " this machine has");
        }
    }

    /**
     * Throws unless {@code elements} fit in one Java array.
     *
     * @throws IllegalArgumentException naming the sizes, the count and the limit
     */
    public static void requireArray(String what, double elements, String formula) {
        if (elements > MAX_ARRAY) {
            throw new IllegalArgumentException(
                    what + " need one array of " + String.format(Locale.ROOT, "%.0f", elements) + " values (" + formula
                            + "), more than the " + MAX_ARRAY + " a Java array can index");
        }
    }

    /** {@code bytes} in GB with one decimal, e.g. {@code 32.0 GB}. */
    static String gigabytes(double bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
