package dev.aimle.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Arrays the estimator tests draw: reproducible float32 values from a seed or a stream. */
public final class TestArrays {
    private TestArrays() {}

    /** Standard normal values of {@code shape} from {@code new SplittableRandom(seed)}, attached to {@code manager}. */
    public static NDArray gaussian(NDManager manager, long seed, Shape shape) {
        return gaussian(manager, new SplittableRandom(seed), shape, 1);
    }

    /** Standard normal values of {@code shape} drawn from {@code random}, attached to {@code manager}. */
    public static NDArray gaussian(NDManager manager, SplittableRandom random, Shape shape) {
        return gaussian(manager, random, shape, 1);
    }

    /** Normal values of standard deviation {@code scale} drawn from {@code random}, attached to {@code manager}. */
    public static NDArray gaussian(NDManager manager, SplittableRandom random, Shape shape, double scale) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return manager.create(v, shape);
    }
}
