package dev.aimle.estimators.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.HostArrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Fills noise on the host in fixed-size chunks, each with its own generator seeded from the caller's
 * generator, in parallel on the common fork-join pool, and copies the result to the manager's
 * device.
 *
 * <p><b>Reproducibility.</b> The chunk size is a constant and the chunk seeds are drawn in order
 * from the caller's generator on the calling thread, so the numbers depend only on the caller's
 * generator state and the shape, never on the number of threads or on scheduling. The caller's
 * generator is advanced by exactly one {@code nextLong()} per chunk.
 */
final class HostNoise {

    /** Values per chunk. A constant: changing it changes the numbers drawn for a given seed. */
    static final int CHUNK = 4096;

    /** Fills {@code values[from, to)} from a dedicated generator. */
    @FunctionalInterface
    interface ChunkFiller {
        void fill(SplittableRandom random, float[] values, int from, int to);
    }

    private HostNoise() {}

    /** Draws {@code shape.size()} values with {@code filler} and returns them as a float32 array. */
    static NDArray sample(NDManager manager, Shape shape, RandomGenerator random, String owner, ChunkFiller filler) {
        return sample(manager, shape, random, owner, filler, 2 * CHUNK);
    }

    /**
     * As {@link #sample(NDManager, Shape, RandomGenerator, String, ChunkFiller)}, drawing on the
     * calling thread alone below {@code parallelFrom} values (the numbers are the same either way).
     */
    static NDArray sample(
            NDManager manager,
            Shape shape,
            RandomGenerator random,
            String owner,
            ChunkFiller filler,
            int parallelFrom) {
        int size = checkedSize(owner, shape);
        float[] values = fill(size, random, filler, parallelFrom);
        return HostArrays.create(manager, values, shape);
    }

    /** Draws {@code size} values with {@code filler}, chunk by chunk. */
    static float[] fill(int size, RandomGenerator random, ChunkFiller filler) {
        return fill(size, random, filler, 2 * CHUNK);
    }

    /** Draws {@code size} values with {@code filler}, chunk by chunk, in parallel from {@code parallelFrom}. */
    static float[] fill(int size, RandomGenerator random, ChunkFiller filler, int parallelFrom) {
        float[] values = new float[size];
        int chunks = (size + CHUNK - 1) / CHUNK;
        long[] seeds = new long[chunks];
        for (int c = 0; c < chunks; c++) {
            seeds[c] = random.nextLong();
        }
        IntStream range = IntStream.range(0, chunks);
        if (chunks > 1 && size >= parallelFrom) {
            range = range.parallel();
        }
        range.forEach(c -> {
            int from = c * CHUNK;
            filler.fill(new SplittableRandom(seeds[c]), values, from, Math.min(size, from + CHUNK));
        });
        return values;
    }

    /** Advances {@code random} as {@link #fill} does for {@code size} values: one long per chunk. */
    static void skip(int size, RandomGenerator random) {
        int chunks = (size + CHUNK - 1) / CHUNK;
        for (int c = 0; c < chunks; c++) {
            random.nextLong();
        }
    }

    /** The number of values of {@code shape}, checking that it is known and fits an array. */
    static int checkedSize(String owner, Shape shape) {
        for (int d = 0; d < shape.dimension(); d++) {
            if (shape.get(d) < 0) {
                throw new IllegalArgumentException(
                        owner + " noise shape " + shape + " has an unknown or negative dimension");
            }
        }
        long size = shape.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(owner + " noise shape " + shape + " has " + size + " values; at most "
                    + (Integer.MAX_VALUE - 8) + " are supported");
        }
        return (int) size;
    }
}
