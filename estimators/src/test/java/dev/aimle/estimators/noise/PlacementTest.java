package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.NoiseDistribution;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine placement of the noises (meant for accelerators), exercised on the CPU, the only
 * device here: the right distributions, reproducible for a generator state on one device, arrays
 * on the manager's device; and AUTO draws on the host for CPU arrays.
 */
class PlacementTest {
    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void engineGumbelIsGumbel() {
        long seed = 31;
        try (NDManager scope = manager.newSubManager()) {
            NDArray noise =
                    Noise.gumbel(Placement.ENGINE).sample(scope, new Shape(500, 400), new SplittableRandom(seed));
            assertEquals(DataType.FLOAT32, noise.getDataType());
            assertSame(scope, noise.getManager());
            double[] x = Statistics.toDouble(noise.toFloatArray());
            assertTrue(Arrays.stream(x).allMatch(Double::isFinite), "finite values, seed " + seed);
            double ks = Statistics.ksDistance(x, Statistics::gumbelCdf);
            assertTrue(ks < Statistics.ksCritical(x.length), "KS distance " + ks + " to Gumbel(0,1), seed " + seed);
        }
    }

    @Test
    void engineSumOfGammaHasTheExactDistributionOfItsSums() {
        int k = 5;
        int s = 10;
        int n = 40_000;
        long seed = 32;
        try (NDManager scope = manager.newSubManager()) {
            NDArray noise =
                    Noise.sumOfGamma(k, s, Placement.ENGINE).sample(scope, new Shape(n, k), new SplittableRandom(seed));
            assertEquals(new Shape(n, k), noise.getShape());
            // the sum of k SoG(k, s) draws is the maximum of s standard exponentials minus log s
            double[] sums = Statistics.toDouble(noise.sum(new int[] {1}).toFloatArray());
            double ks = Statistics.ksDistance(sums, x -> Statistics.maxOfExponentialsCdf(x, s));
            assertTrue(ks < Statistics.ksCritical(n), "KS distance " + ks + " (k=5, s=10, seed " + seed + ")");
            double[] single = Statistics.toDouble(noise.toFloatArray());
            double mean = 0;
            double variance = 0;
            for (int i = 1; i <= s; i++) {
                mean += 1.0 / k / i;
                variance += 1.0 / k / ((double) i * i);
            }
            mean -= Math.log(s) / k;
            assertEquals(mean, Statistics.mean(single), 5 * Math.sqrt(variance / single.length), "mean, seed " + seed);
        }
    }

    @Test
    void engineNumbersFollowTheGeneratorOnOneDevice() {
        for (NoiseDistribution noise :
                new NoiseDistribution[] {Noise.gumbel(Placement.ENGINE), Noise.sumOfGamma(3, 10, Placement.ENGINE)}) {
            try (NDManager scope = manager.newSubManager()) {
                float[] a = noise.sample(scope, new Shape(40, 30), new SplittableRandom(5))
                        .toFloatArray();
                float[] b = noise.sample(scope, new Shape(40, 30), new SplittableRandom(5))
                        .toFloatArray();
                float[] c = noise.sample(scope, new Shape(40, 30), new SplittableRandom(6))
                        .toFloatArray();
                assertArrayEquals(a, b, noise + ", seed 5 twice");
                assertFalse(Arrays.equals(a, c), noise + ", seeds 5 and 6");
            }
        }
    }

    @Test
    void autoDrawsOnTheHostForCpuArraysAndEngineElsewhere() {
        assertFalse(Placement.AUTO.usesEngine(Device.cpu()));
        assertTrue(Placement.AUTO.usesEngine(Device.gpu()));
        assertTrue(Placement.ENGINE.usesEngine(Device.cpu()));
        assertFalse(Placement.HOST.usesEngine(Device.gpu()));
        Shape shape = new Shape(64, 100);
        try (NDManager scope = manager.newSubManager()) {
            for (NoiseDistribution[] pair : new NoiseDistribution[][] {
                {Noise.gumbel(), Noise.gumbel(Placement.HOST)},
                {Noise.sumOfGamma(4), Noise.sumOfGamma(4, 10, Placement.HOST)}
            }) {
                assertArrayEquals(
                        pair[1].sample(scope, shape, new SplittableRandom(8)).toFloatArray(),
                        pair[0].sample(scope, shape, new SplittableRandom(8)).toFloatArray(),
                        pair[0] + ": auto on the CPU is the host's numbers");
                assertArrayEquals(
                        ((HostSampled) pair[0]).sampleOnHost(shape, new SplittableRandom(8)),
                        pair[0].sample(scope, shape, new SplittableRandom(8)).toFloatArray(),
                        pair[0] + ": sampleOnHost gives sample's numbers");
            }
        }
    }

    @Test
    void providersTakeThePlacement() {
        assertEquals(
                Noise.gumbel(Placement.ENGINE), new GumbelNoiseProvider().create(Config.of("placement", "engine")));
        assertEquals(
                Noise.sumOfGamma(3, 10, Placement.HOST),
                new SumOfGammaNoiseProvider().create(Config.of(Map.of("k", 3, "placement", "host"))));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new GumbelNoiseProvider().create(Config.of("placement", "gpu")));
        assertTrue(e.getMessage().contains("host, engine, auto"), e.getMessage());
    }
}
