package dev.aimle.estimators.imle;

import dev.aimle.api.Sample;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The host copies of a sample's theta, noise and states that the forward pass already had, kept for its
 * backward pass so that it need not copy them from the engine again, with theta's sum of squares
 * (computed while the copy was checked for finiteness). Only the last {@value #KEPT} samples' copies
 * are kept (matched by identity: an NDArray's {@code equals} compares contents), so samples that are
 * never backpropagated cost a bounded amount of memory.
 */
final class HostCopies {
    static final int KEPT = 4;

    /**
     * A sample's copies.
     *
     * @param theta theta {@code [B, ...]}, row-major (owned by whoever takes it)
     * @param thetaSquares the sum of squares of theta ({@link PerturbAndMapEstimator#finiteSumOfSquares})
     * @param noise the noise {@code [B*S, ...]}, row-major, or null
     * @param states the states z {@code [B*S, ...]}, row-major
     */
    record Copies(float[] theta, double thetaSquares, float[] noise, float[] states) {}

    private record Entry(Sample sample, Copies copies) {}

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** Keeps the copies of {@code sample} (owned from now on). */
    synchronized void keep(Sample sample, Copies copies) {
        if (entries.size() == KEPT) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(sample, copies));
    }

    /** The copies of {@code sample}, from the forward pass or else made now; forgets them. */
    Copies take(Sample sample) {
        synchronized (this) {
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.sample() == sample) {
                    it.remove();
                    return e.copies();
                }
            }
        }
        float[] theta = sample.theta().toFloatArray();
        return new Copies(
                theta,
                PerturbAndMapEstimator.finiteSumOfSquares(
                        "theta", theta, sample.theta().getShape()),
                sample.noise() == null ? null : sample.noise().toFloatArray(),
                sample.z().toFloatArray());
    }
}
