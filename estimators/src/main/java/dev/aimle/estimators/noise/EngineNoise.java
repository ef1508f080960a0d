package dev.aimle.estimators.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.estimators.Scalars;
import java.util.random.RandomGenerator;

/**
 * Noise drawn with the engine's random operators on the manager's device ({@link Placement#ENGINE}):
 * the same formulas as the host samplers, as array operations. Everything temporary lives in a
 * sub-manager; only the result is attached to the caller's manager.
 *
 * <p>The engine has one generator per process, which every draw reseeds from the caller's generator
 * and then advances: a draw holds {@link #ENGINE_GENERATOR} from the reseed to its last random
 * operator, so that concurrent draws (one per thread, each with its own generator) give what they
 * give one after another, as {@link dev.aimle.api.NoiseDistribution} promises. Code outside this
 * class that uses the engine's random operators at the same time can still interleave with a draw.
 */
final class EngineNoise {
    /** Rejection rounds of Marsaglia–Tsang before giving up (each accepts over 95 % of what is left). */
    private static final int MAX_ROUNDS = 64;

    private static final float SMALLEST = Float.MIN_NORMAL;
    private static final float LARGEST_BELOW_ONE = Math.nextDown(1f);

    /** Held from a draw's reseed to its last random operator. */
    private static final Object ENGINE_GENERATOR = new Object();

    private EngineNoise() {}

    /** Reseeds the engine's generator from the caller's, so that the draw follows it. */
    private static void reseed(NDManager manager, RandomGenerator random) {
        manager.getEngine().setRandomSeed(random.nextInt());
    }

    /** Uniform values in {@code [2^-126, 1)}, so that logarithms stay finite. */
    private static NDArray openUniform(NDManager scope, Shape shape) {
        return scope.randomUniform(SMALLEST, 1f, shape, DataType.FLOAT32).clip(SMALLEST, LARGEST_BELOW_ONE);
    }

    /** {@code Gumbel(0, 1) = -log(-log U)}. */
    static NDArray gumbel(NDManager manager, Shape shape, RandomGenerator random) {
        synchronized (ENGINE_GENERATOR) {
            reseed(manager, random);
            try (NDManager scope = manager.newSubManager()) {
                NDArray eps = openUniform(scope, shape).log().neg().log().neg();
                eps.attach(manager);
                return eps;
            }
        }
    }

    /**
     * {@code SoG(k, s) = sum_{i=1..s} G_i / i - (log s) / k} with {@code G_i ~ Gamma(1/k, 1)}: the s
     * terms drawn at once, by Marsaglia–Tsang with the boost {@code Gamma(1 + 1/k) U^k} for k > 1.
     */
    static NDArray sumOfGamma(NDManager manager, Shape shape, RandomGenerator random, int k, int s) {
        synchronized (ENGINE_GENERATOR) {
            return sumOfGammaHoldingTheGenerator(manager, shape, random, k, s);
        }
    }

    private static NDArray sumOfGammaHoldingTheGenerator(
            NDManager manager, Shape shape, RandomGenerator random, int k, int s) {
        reseed(manager, random);
        try (NDManager scope = manager.newSubManager()) {
            Shape terms = new Shape(s).addAll(shape);
            double a = k == 1 ? 1.0 : 1.0 + 1.0 / k;
            float d = (float) (a - 1.0 / 3.0);
            float c = (float) (1.0 / Math.sqrt(9.0 * d));
            NDArray gamma = scope.zeros(terms, DataType.FLOAT32);
            NDArray pending = scope.ones(terms, DataType.BOOLEAN);
            int round = 0;
            while (pending.any().getBoolean()) {
                if (++round > MAX_ROUNDS) {
                    throw new IllegalStateException("Marsaglia-Tsang accepted not every Gamma draw in " + MAX_ROUNDS
                            + " rounds; the engine's random operators look broken");
                }
                NDArray x = scope.randomNormal(0f, 1f, terms, DataType.FLOAT32);
                NDArray v = Scalars.pow(Scalars.mul(x, c).add(1), 3);
                NDArray logU = openUniform(scope, terms).log();
                // log u < x^2/2 + d (1 - v + log v); v <= 0 gives NaN on the right, which never accepts
                NDArray bound = Scalars.mul(x.square(), 0.5)
                        .add(Scalars.mul(v.neg().add(1).add(v.log()), d));
                NDArray accepted = v.gt(0).logicalAnd(logU.lt(bound)).logicalAnd(pending);
                gamma = NDArrays.where(accepted, Scalars.mul(v, d), gamma);
                pending = pending.logicalAnd(accepted.logicalNot());
            }
            if (k > 1) {
                gamma = gamma.mul(Scalars.pow(openUniform(scope, terms), k));
            }
            float[] reciprocals = new float[s];
            for (int i = 0; i < s; i++) {
                reciprocals[i] = 1f / (i + 1);
            }
            Shape column = new Shape(s);
            for (int i = 0; i < shape.dimension(); i++) {
                column = column.add(1);
            }
            NDArray weights = scope.create(reciprocals, column);
            NDArray sog = gamma.mul(weights).sum(new int[] {0}).sub((float) (Math.log(s) / k));
            sog.attach(manager);
            return sog;
        }
    }
}
