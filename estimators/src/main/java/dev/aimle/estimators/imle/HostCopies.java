package dev.aimle.estimators.imle;

import dev.aimle.api.Sample;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The host copies of a sample's theta and noise that the forward pass already had, kept for its
 * backward pass so that it need not copy them from the engine again. Only the last {@value #KEPT}
 * samples' copies are kept (matched by identity: an NDArray's {@code equals} compares contents), so
 * samples that are never backpropagated cost a bounded amount of memory.
 */
final class HostCopies {
    static final int KEPT = 4;

    private record Entry(Sample sample, float[] theta, float[] noise) {}

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** Keeps theta {@code [B, ...]} and the noise {@code [B*S, ...]} of {@code sample} (owned from now on). */
    synchronized void keep(Sample sample, float[] theta, float[] noise) {
        if (entries.size() == KEPT) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(sample, theta, noise));
    }

    /** Theta and the noise of {@code sample}, from the forward pass or else copied now; forgets them. */
    float[][] take(Sample sample) {
        synchronized (this) {
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.sample() == sample) {
                    it.remove();
                    return new float[][] {e.theta(), e.noise()};
                }
            }
        }
        return new float[][] {
            sample.theta().toFloatArray(),
            sample.noise() == null ? null : sample.noise().toFloatArray()
        };
    }
}
