package dev.aimle.estimators.relaxed;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.noise.Noise;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A {@link KSubsetRelaxation} as a DJL block over {@code [theta]} or {@code [theta, mask]} (theta
 * {@code [B, n]}): in training the relaxed sample {@code y [B, n]}, differentiated by DJL's autograd
 * (an ordinary {@code Trainer} trains it); in evaluation the exact MAP state of the k-subset solver
 * (top-k of theta, masked positions never chosen), the same state an estimator-based discrete layer
 * evaluates with.
 *
 * <p><b>Randomness.</b> The Gumbel noise comes from the block's own stream: draw m uses a generator
 * seeded by a mix of (seed, m), so the stream's whole state is the draw count, saved with the
 * model's parameters ({@code saveParameters}), and a model loaded from a checkpoint continues with
 * the noise it would have drawn. Evaluation draws nothing. Not thread-safe.
 */
public final class RelaxedSubsetBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final KSubsetRelaxation relaxation;
    private final MapSolver solver;
    private final int k;
    private final double temperature;
    private final long seed;
    private final NoiseDistribution gumbel = Noise.gumbel();
    private long draws;

    /**
     * @param relaxation L2X or SoftSub
     * @param solver the k-subset MAP solver used in evaluation (top-k with the same k)
     * @param k the subset size
     * @param temperature the softmax temperature t, finite and above 0
     * @param seed the seed of the noise stream
     */
    public RelaxedSubsetBlock(KSubsetRelaxation relaxation, MapSolver solver, int k, double temperature, long seed) {
        super(VERSION);
        this.relaxation = Objects.requireNonNull(relaxation, "relaxation");
        this.solver = Objects.requireNonNull(solver, "solver");
        if (k < 1) {
            throw new IllegalArgumentException("k (" + k + ") must be at least 1");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the temperature (" + temperature + ") must be finite and above 0");
        }
        this.k = k;
        this.temperature = temperature;
        this.seed = seed;
    }

    /** The relaxation. */
    public KSubsetRelaxation relaxation() {
        return relaxation;
    }

    /** Noise draws made so far (one per training forward pass). */
    public long draws() {
        return draws;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.isEmpty() || inputs.size() > 2) {
            throw new IllegalArgumentException(
                    "a RelaxedSubsetBlock takes [theta] or [theta, mask], got " + inputs.size() + " arrays");
        }
        NDArray theta = inputs.get(0);
        NDArray mask = inputs.size() == 2 ? MapStates.requireMask(inputs.get(1), theta, theta.getManager()) : null;
        if (!training) {
            return new NDList(MapStates.solve(solver, theta.stopGradient(), mask));
        }
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(draws++ + 0x5851F42D4C957F2DL)));
        NDArray noise = gumbel.sample(theta.getManager(), relaxation.noiseShape(theta.getShape(), k), random);
        return new NDList(relaxation.apply(theta, noise, mask, k, temperature));
    }

    /** The SplitMix64 finaliser (Steele, Lea and Flood 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
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
            throw new MalformedModelException("a RelaxedSubsetBlock saved with format version " + loadVersion
                    + " cannot be loaded by format version " + VERSION);
        }
        readInputShapes(is);
        long savedSeed = is.readLong();
        long savedDraws = is.readLong();
        if (savedSeed != seed || savedDraws < 0) {
            throw new MalformedModelException("the saved noise stream (seed " + savedSeed + ", " + savedDraws
                    + " draws) does not fit this block (seed " + seed + ")");
        }
        draws = savedDraws;
    }

    @Override
    public String toString() {
        return "RelaxedSubsetBlock(" + relaxation.label() + ", k=" + k + ", t=" + temperature + ", seed " + seed + ")";
    }
}
