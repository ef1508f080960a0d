package dev.aimle.estimators.layer;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A layer's source of noise: draw n of a stream seeded s uses a fresh generator seeded by a 64-bit
 * mix of (s, n). The whole state is two numbers, so a checkpoint restores it exactly, and a draw
 * that is not made (a noiseless evaluation) does not shift the draws that follow.
 *
 * <p>A stream whose seed was chosen by the user is bound to it: restoring another seed is refused. A
 * stream whose seed was drawn at random takes the saved seed on {@link #restore}, so a model loads
 * into a layer built without the training seed and resumes the very draws.
 */
final class NoiseStream {
    private final boolean explicit;
    private volatile long seed;
    private long draws;

    /**
     * @param seed the seed
     * @param explicit whether the user chose it (then a restore must bring the same one)
     */
    NoiseStream(long seed, boolean explicit) {
        this.seed = seed;
        this.explicit = explicit;
    }

    long seed() {
        return seed;
    }

    synchronized long draws() {
        return draws;
    }

    /** Checks that {@link #restore} would accept this state, changing nothing. */
    synchronized void checkRestorable(long seed, long draws) {
        if (explicit && seed != this.seed) {
            throw new IllegalArgumentException("the saved noise stream has seed " + seed + " but this layer was built"
                    + " with .seed(" + this.seed + "); build it with .seed(" + seed + "), or without a seed, to resume"
                    + " the saved stream");
        }
        if (draws < 0) {
            throw new IllegalArgumentException("the saved noise stream has " + draws + " draws; expected at least 0");
        }
    }

    synchronized void restore(long seed, long draws) {
        checkRestorable(seed, draws);
        this.seed = seed;
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
