package dev.aimle.estimators.layer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.HostArrays;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.estimators.noise.HostSampled;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Draws a layer's next host noise in the background while the model computes, so that a training
 * step does not wait for it (Sum-of-Gamma for the DVAE's 51,200 values is a large share of a step on
 * one core). The numbers are those the step would have drawn: draw n of the layer's stream always
 * uses the same generator state ({@link NoiseStream#generator(long)}), whoever computes it; the
 * values are used only for that draw and shape, and the caller's generator is advanced as if they
 * had been drawn on the spot. Anything else (another shape, a restored state, noise drawn by the
 * engine) draws on the spot as usual.
 */
final class NoisePrefetch {
    private long draw = -1;
    private Shape shape;
    private CompletableFuture<float[]> values;
    private Shape requested;

    /**
     * Starts drawing draw {@code next} of {@code stream} in the background, for the shape of the last
     * host draw served; nothing if there was none.
     */
    synchronized void startAfterServing(HostSampled noise, NoiseStream stream, long next) {
        if (requested != null) {
            start(noise, stream, next, requested);
        }
    }

    /** Starts drawing draw {@code next} of {@code stream} for {@code shape} on the common pool. */
    synchronized void start(HostSampled noise, NoiseStream stream, long next, Shape shape) {
        RandomGenerator generator = stream.generator(next);
        this.draw = next;
        this.shape = shape;
        this.requested = null;
        this.values = CompletableFuture.supplyAsync(() -> noise.sampleOnHost(shape, generator));
    }

    private synchronized void requested(Shape shape) {
        requested = shape;
    }

    /** The prefetched values of {@code draw} for {@code shape}, or null; forgets them either way. */
    synchronized float[] take(long draw, Shape shape) {
        CompletableFuture<float[]> pending = values;
        boolean match = pending != null && draw == this.draw && shape.equals(this.shape);
        values = null;
        this.shape = null;
        this.draw = -1;
        return match ? pending.join() : null;
    }

    /**
     * The noise for draw {@code draw}: {@code delegate}, except that a host draw of the prefetched
     * shape with {@code generator} (that draw's own generator) takes the prefetched values.
     */
    NoiseDistribution serving(HostSampled delegate, long draw, RandomGenerator generator) {
        return new Served(delegate, draw, generator);
    }

    /** The delegate, with the prefetched values for one draw. */
    private final class Served implements NoiseDistribution, HostSampled {
        private final HostSampled delegate;
        private final long draw;
        private final RandomGenerator generator;

        Served(HostSampled delegate, long draw, RandomGenerator generator) {
            this.delegate = delegate;
            this.draw = draw;
            this.generator = generator;
        }

        private NoiseDistribution distribution() {
            return (NoiseDistribution) delegate;
        }

        @Override
        public String name() {
            return distribution().name();
        }

        @Override
        public boolean drawsOnHost(Device device) {
            return delegate.drawsOnHost(device);
        }

        @Override
        public NDArray sample(NDManager manager, Shape shape, RandomGenerator random) {
            if (random == generator && delegate.drawsOnHost(manager.getDevice())) {
                requested(shape);
                float[] ready = take(draw, shape);
                if (ready != null) {
                    delegate.skip(shape, random);
                    return HostArrays.create(manager, ready, shape);
                }
            }
            return distribution().sample(manager, shape, random);
        }

        @Override
        public float[] sampleOnHost(Shape shape, RandomGenerator random) {
            if (random == generator) {
                requested(shape);
                float[] ready = take(draw, shape);
                if (ready != null) {
                    delegate.skip(shape, random);
                    return ready;
                }
            }
            return delegate.sampleOnHost(shape, random);
        }

        @Override
        public void skip(Shape shape, RandomGenerator random) {
            delegate.skip(shape, random);
        }

        @Override
        public String toString() {
            return distribution().toString();
        }
    }
}
