package dev.aimle.app.experiments.synthetic;

import ai.djl.ndarray.NDManager;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Compares AIMLE alpha controllers on the synthetic problem: the mean cosine similarity to the true
 * gradient after a number of warm-up steps on the same theta and b, for several sample counts.
 * Problem seed i and sampling seed 1000 + i for seed i, as in the fidelity tests.
 */
public final class ControllerComparison {
    private ControllerComparison() {}

    /**
     * One controller under comparison.
     *
     * @param label a name for the table
     * @param estimator a fresh AIMLE estimator per call
     */
    public record Contender(String label, Supplier<GradientEstimator> estimator) {}

    /**
     * One measured point.
     *
     * @param label the contender
     * @param samples S
     * @param warmUpSteps the warm-up steps before the measured estimate
     * @param meanCosine the mean over seeds
     * @param stdCosine the standard deviation over seeds
     */
    public record Point(String label, int samples, int warmUpSteps, double meanCosine, double stdCosine) {}

    /**
     * Measures every contender at every (S, warm-up) pair.
     *
     * @param perturbation solver and noise; its sample count is replaced by each S
     */
    public static List<Point> run(
            List<Contender> contenders, Perturbation perturbation, int n, int[] samples, int[] warmUps, int seeds,
            NDManager manager) {
        List<Point> points = new ArrayList<>();
        for (Contender c : contenders) {
            for (int s : samples) {
                Perturbation p = new Perturbation(perturbation.solver(), perturbation.noise(), s,
                        perturbation.inputTemperature(), perturbation.targetTemperature());
                for (int warmUp : warmUps) {
                    double[] cos = new double[seeds];
                    for (int seed = 0; seed < seeds; seed++) {
                        SyntheticProblem problem = SyntheticProblem.draw(n, new SplittableRandom(seed), false);
                        double[] g = problem.estimateAfterWarmUp(
                                c.estimator().get(), p, warmUp, manager, new SplittableRandom(1000 + seed));
                        cos[seed] = SyntheticProblem.cosine(g, problem.trueGradient());
                    }
                    double mean = java.util.Arrays.stream(cos).average().orElseThrow();
                    double var = java.util.Arrays.stream(cos).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, seeds - 1);
                    points.add(new Point(c.label(), s, warmUp, mean, Math.sqrt(var)));
                }
            }
        }
        return points;
    }

    /**
     * Prints the comparison of the issue: n = 10, S in {10, 100}, 100 and 1000 warm-up steps, 32
     * seeds, top-k (k = 1) from the class path and Gumbel noise. Contenders: the paper's sign rule
     * (alpha0 = 0, eta = 1e-3), the reference code's (alpha0 = 1, eta = 1e-4), and the Rprop
     * controller with its defaults (alpha0 = 1).
     */
    public static void main(String[] args) {
        List<Contender> contenders = List.of(
                new Contender("sign, paper (alpha0=0, eta=1e-3)", () -> dev.aimle.estimators.Estimators.aimle().build()),
                new Contender("sign, reference (alpha0=1, eta=1e-4)",
                        () -> dev.aimle.estimators.Estimators.aimle().referencePreset().build()),
                new Contender("rprop (alpha0=1)", () -> dev.aimle.estimators.Estimators.aimle().alpha0(1)
                        .controller(dev.aimle.estimators.aimle.RpropController.withDefaults()).build()));
        dev.aimle.api.MapSolver topk = dev.aimle.estimators.Estimators.solverRegistry(ControllerComparison.class.getClassLoader())
                .get("topk").create(dev.aimle.api.Config.of("k", 1));
        Perturbation p = Perturbation.of(topk, dev.aimle.estimators.noise.Noise.gumbel(), 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            System.out.println("| controller | S | warm-up steps | mean cosine | std |");
            System.out.println("|---|---|---|---|---|");
            for (Point pt : run(contenders, p, 10, new int[] {10, 100}, new int[] {100, 1000}, 32, manager)) {
                System.out.printf(java.util.Locale.ROOT, "| %s | %d | %d | %.3f | %.3f |%n",
                        pt.label(), pt.samples(), pt.warmUpSteps(), pt.meanCosine(), pt.stdCosine());
            }
        }
    }
}
