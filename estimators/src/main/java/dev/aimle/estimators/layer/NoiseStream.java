package dev.aimle.estimators.layer;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A layer's source of noise: draw n of a stream seeded s uses a fresh generator seeded by a 64-bit
 * mix of (s, n). The whole state is two numbers, so a checkpoint restores it exactly, and a draw
 * that is not made (a noiseless evaluation) does not shift the draws that follow.
 */
final class NoiseStream {
    private final long seed;
    private long draws;

    NoiseStream(long seed) {
        this.seed = seed;
    }

    long seed() {
        return seed;
    }

    synchronized long draws() {
        return draws;
    }

    synchronized void restore(long seed, long draws) {
        if (seed != this.seed) {
            throw new IllegalArgumentException("the saved noise stream has seed " + seed + " but this layer's seed is "
                    + this.seed + "; build the layer with .seed(" + seed + ") to resume it");
        }
        if (draws < 0) {
            throw new IllegalArgumentException("the saved noise stream has " + draws + " draws; expected at least 0");
        }
        this.draws = draws;
    }

    synchronized RandomGenerator next() {
        return generator(draws++);
    }

    /** The index of the next draw, which this call consumes (its generator: {@link #generator}). */
    synchronized long advance() {
        return draws++;
    }

    /** The generator of draw {@code draw} (a new one each call, in the same state as {@link #next()}'s). */
    RandomGenerator generator(long draw) {
        return new SplittableRandom(mix(seed ^ mix(draw + 0x632BE59BD9B4E019L)));
    }

    /** The SplitMix64 finaliser (Steele, Lea and Flood 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
