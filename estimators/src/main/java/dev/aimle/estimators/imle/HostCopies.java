package dev.aimle.estimators.imle;

import dev.aimle.api.Sample;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The host copies of a sample's theta and noise that the forward pass already had, kept for its
 * backward pass so that it need not copy them from the engine again. Held weakly: a sample that is
 * never backpropagated leaves nothing behind once it is unreachable.
 */
final class HostCopies {
    private final Map<Sample, float[][]> copies = Collections.synchronizedMap(new WeakHashMap<>());

    /** Keeps theta {@code [B, ...]} and the noise {@code [B*S, ...]} of {@code sample} (owned from now on). */
    void keep(Sample sample, float[] theta, float[] noise) {
        copies.put(sample, new float[][] {theta, noise});
    }

    /** Theta and the noise of {@code sample}, from the forward pass or else copied now; forgets them. */
    float[][] take(Sample sample) {
        float[][] kept = copies.remove(sample);
        if (kept != null) {
            return kept;
        }
        return new float[][] {
            sample.theta().toFloatArray(),
            sample.noise() == null ? null : sample.noise().toFloatArray()
        };
    }
}
