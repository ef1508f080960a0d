package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticProblemTest {

    @Test
    void trueGradientMatchesCentralFiniteDifferencesOfTheExactLoss() {
        for (int seed = 0; seed < 5; seed++) {
            SyntheticProblem p = SyntheticProblem.draw(7, new SplittableRandom(seed), seed % 2 == 0);
            double[] g = p.trueGradient();
            double h = 1e-6;
            for (int i = 0; i < 7; i++) {
                double[] plus = p.theta();
                double[] minus = p.theta();
                plus[i] += h;
                minus[i] -= h;
                double fd = (new SyntheticProblem(plus, p.b()).loss() - new SyntheticProblem(minus, p.b()).loss())
                        / (2 * h);
                assertEquals(fd, g[i], 1e-7, "seed " + seed + " entry " + i);
            }
        }
    }

    @Test
    void lossIsTheExpectationOverTheOneHotStates() {
        SyntheticProblem p = new SyntheticProblem(new double[] {0, Math.log(3)}, new double[] {1, 0});
        // p = (1/4, 3/4); f(e1) = ||(0, 0)||^2 = 0, f(e2) = ||(-1, 1)||^2 = 2
        assertEquals(1.5, p.loss(), 1e-12);
    }

    @Test
    void absoluteBIsNonNegativeAndCosineIsZeroForZeroVectors() {
        SyntheticProblem p = SyntheticProblem.draw(50, new SplittableRandom(3), true);
        assertTrue(Arrays.stream(p.b()).allMatch(v -> v >= 0));
        assertEquals(0, SyntheticProblem.cosine(new double[3], new double[] {1, 2, 3}));
        assertEquals(1, SyntheticProblem.cosine(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-12);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticProblem.draw(1, new SplittableRandom(0), false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SyntheticProblem(new double[] {0, Double.NaN}, new double[] {0, 0}));
    }
}
