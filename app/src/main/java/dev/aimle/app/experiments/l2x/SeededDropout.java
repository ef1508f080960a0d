package dev.aimle.app.experiments.l2x;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aimle.api.HostArrays;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Inverted dropout whose masks come from the block's own seeded stream (draw m from a generator
 * seeded by a mix of (seed, m)) rather than the engine's global generator, so that the draw count,
 * saved with the parameters, is the block's whole state and a run resumed from a checkpoint drops
 * the same units it would have dropped. Identity in evaluation.
 */
final class SeededDropout extends AbstractBlock {
    private static final byte VERSION = 1;

    private final double rate;
    private final long seed;
    private long draws;

    SeededDropout(double rate, long seed) {
        super(VERSION);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the dropout rate (" + rate + ") must be in [0, 1)");
        }
        this.rate = rate;
        this.seed = seed;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training || rate == 0) {
            return new NDList(x);
        }
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(draws++ + 0x2545F4914F6CDD1DL)));
        int size = Math.toIntExact(x.getShape().size());
        float[] keep = new float[size];
        float scale = (float) (1 / (1 - rate));
        for (int i = 0; i < size; i++) {
            keep[i] = random.nextDouble() < rate ? 0 : scale;
        }
        NDArray mask = HostArrays.create(x.getManager(), keep, x.getShape());
        return new NDList(x.mul(mask));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(seed);
        os.writeLong(draws);
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("dropout saved with format version " + loadVersion);
        }
        readInputShapes(is);
        long savedSeed = is.readLong();
        long savedDraws = is.readLong();
        if (savedSeed != seed || savedDraws < 0) {
            throw new MalformedModelException(
                    "the saved dropout stream (seed " + savedSeed + ") does not fit this one (seed " + seed + ")");
        }
        draws = savedDraws;
    }
}
