package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.app.plugins.BuiltPlugins;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.noise.Noise;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paper's findings on its synthetic problem (AAAI-23, Fig. 3 and 4), asserted against the exact
 * gradient: n = 10, S = 1000 samples, Gumbel noise, 32 seeds (problem seed i, sampling seed 1000+i),
 * b ~ N(0, I). AIMLE adapts for {@value #WARM_UP} warm-up steps on the same theta and b first, the
 * reference code's default. Figures measured when this was written are in the comments; the
 * assertions are the paper's qualitative claims with the margins the issue states.
 */
class SyntheticFidelityIT {
    static final int N = 10;
    static final int SAMPLES = 1000;
    static final int SEEDS = 32;
    static final int WARM_UP = 100;
    static final double[] LAMBDAS = {0.1, 0.5, 1, 2, 5};

    static NDManager manager;
    static Perturbation perturbation;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
        perturbation = Perturbation.of(BuiltPlugins.solver("topk", "k", 1), Noise.gumbel(), SAMPLES);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Mean cosine similarity to the true gradient over the seeds, a fresh estimator per seed. */
    static double meanCosine(Supplier<GradientEstimator> estimator, int warmUp) {
        double sum = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            SyntheticProblem problem = SyntheticProblem.draw(N, new SplittableRandom(seed), false);
            double[] g = problem.estimateAfterWarmUp(
                    estimator.get(), perturbation, warmUp, manager, new SplittableRandom(1000 + seed));
            sum += SyntheticProblem.cosine(g, problem.trueGradient());
        }
        return sum / SEEDS;
    }

    static final String[] DIFFERENCES = {"forward", "central"};

    static Supplier<GradientEstimator> aimle(String d) {
        return () -> Estimators.aimle().difference(d).build();
    }

    @Test
    void aimleIsFaithfulAndMatchesTheBestTunedImleWithoutTuning() {
        for (String d : DIFFERENCES) {
            double aimle = meanCosine(aimle(d), WARM_UP);
            Map<Double, Double> imle = new LinkedHashMap<>();
            for (double lambda : LAMBDAS) {
                imle.put(
                        lambda,
                        meanCosine(
                                () -> Estimators.imle()
                                        .lambda(lambda)
                                        .difference(d)
                                        .build(),
                                0));
            }
            double bestImle = imle.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElseThrow();
            String figures = d + ": AIMLE " + aimle + ", IMLE by lambda " + imle;
            // measured: forward AIMLE 0.962 (best IMLE 0.976 at 0.1); central 0.971 (best 0.984 at 0.1)
            assertTrue(aimle >= 0.9, "AIMLE mean cosine should be at least 0.9; " + figures);
            assertTrue(aimle > imle.get(1.0), "AIMLE should beat IMLE at lambda = 1; " + figures);
            assertTrue(aimle > imle.get(5.0), "AIMLE should beat IMLE at lambda = 5; " + figures);
            assertTrue(aimle >= bestImle - 0.05, "AIMLE should be within 0.05 of the best IMLE; " + figures);
        }
    }

    @Test
    void steAndSfeAreWorseThanAimleAtTheSameSampleCount() {
        double aimle = Math.min(meanCosine(aimle("forward"), WARM_UP), meanCosine(aimle("central"), WARM_UP));
        double ste = meanCosine(Estimators::ste, 0);
        double sfe = meanCosine(Estimators::sfe, 0);
        // measured when written: STE 0.72, SFE 0.87, AIMLE (the worse variant) 0.96
        assertTrue(ste < aimle, "STE " + ste + " should be worse than AIMLE " + aimle);
        assertTrue(sfe < aimle, "SFE " + sfe + " should be worse than AIMLE " + aimle);
    }

    @Test
    void imleWithVanishingLambdaGivesAllZeroGradients() {
        SyntheticProblem problem = SyntheticProblem.draw(N, new SplittableRandom(7), false);
        for (String d : DIFFERENCES) {
            for (double lambda : new double[] {0, 1e-9}) {
                double[] g = problem.estimate(
                        Estimators.imle().lambda(lambda).difference(d).build(),
                        perturbation,
                        manager,
                        new SplittableRandom(8));
                assertEquals(1.0, SyntheticProblem.zeroFraction(g), d + " lambda " + lambda + " should give zeros");
            }
        }
    }

    @Test
    void sfeIsUnbiased() {
        // With 200,000 exact samples the SFE mean converges: its error shrinks like 1/sqrt(S).
        Perturbation many = Perturbation.of(BuiltPlugins.solver("topk", "k", 1), Noise.gumbel(), 200_000);
        for (int seed = 0; seed < 3; seed++) {
            SyntheticProblem problem = SyntheticProblem.draw(N, new SplittableRandom(seed), false);
            double[] truth = problem.trueGradient();
            double[] g = problem.estimate(Estimators.sfe(), many, manager, new SplittableRandom(99 + seed));
            double cos = SyntheticProblem.cosine(g, truth);
            assertTrue(cos > 0.995, "seed " + seed + ": SFE with 2e5 samples has cosine " + cos);
            double norm = Math.sqrt(Arrays.stream(truth).map(v -> v * v).sum());
            for (int i = 0; i < N; i++) {
                assertEquals(truth[i], g[i], 0.1 * norm, "seed " + seed + " entry " + i);
            }
        }
    }
}
