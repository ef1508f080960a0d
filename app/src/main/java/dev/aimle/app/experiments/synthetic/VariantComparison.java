package dev.aimle.app.experiments.synthetic;

import ai.djl.ndarray.NDManager;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.app.report.SeedStatistics;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.imle.AlphaController;
import dev.aimle.estimators.imle.CalibratedAimle;
import dev.aimle.estimators.imle.NoiseScaledAimle;
import dev.aimle.estimators.imle.ProportionalController;
import dev.aimle.estimators.imle.RpropController;
import dev.aimle.estimators.imle.SignController;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Compares AIMLE variants (alpha controllers, lambda rules) on the synthetic problem: the mean cosine
 * similarity to the true gradient after a number of warm-up steps on the same theta and b, for
 * several sample counts. Problem seed i and sampling seed 1000 + i for seed i, as in the fidelity
 * tests.
 */
public final class VariantComparison {
    private VariantComparison() {}

    /**
     * One variant under comparison.
     *
     * @param label a name for the table
     * @param estimator a fresh AIMLE estimator per call
     */
    public record Contender(String label, Supplier<GradientEstimator> estimator) {}

    /**
     * One measured point: the cosine after warm-up steps ({@link #run}) or the regret after learning
     * steps ({@link #learn}).
     *
     * @param label the contender
     * @param samples S
     * @param steps the warm-up steps before the measured estimate, or the learning steps
     * @param mean the mean over seeds
     * @param std the sample standard deviation over seeds
     */
    public record Point(String label, int samples, int steps, double mean, double std) {}

    /**
     * The variants of the README's comparison: the paper's sign rule (alpha0 = 0, eta = 1e-3), with
     * momentum 0.9, the reference code's (alpha0 = 1, eta = 1e-4), Rprop, and the paper's rule with
     * Algorithm 1's per-input lambda instead of the batch norms.
     */
    public static List<Contender> defaultContenders() {
        return List.of(
                new Contender(
                        "sign, paper (alpha0=0, eta=1e-3), batch lambda",
                        () -> Estimators.aimle().build()),
                new Contender(
                        "sign, paper, per-input lambda (Algorithm 1)",
                        () -> Estimators.aimle()
                                .lambdaRule(Aimle.LambdaRule.PER_INPUT)
                                .build()),
                new Contender(
                        "sign, paper + momentum 0.9",
                        () -> Estimators.aimle().momentum(0.9).build()),
                new Contender(
                        "sign, reference (alpha0=1, eta=1e-4)",
                        () -> Estimators.aimle().referencePreset().build()),
                new Contender(
                        "rprop (alpha0=1)",
                        () -> Estimators.aimle()
                                .controller(RpropController.withDefaults())
                                .build()));
    }

    /**
     * The variants of the calibrated preset ({@link CalibratedAimle}), forward and central: the
     * preset itself, and each of its parts changed to show what it does (the calibration alone with
     * the paper's c = 1, c(S) without the calibration, other controllers after it).
     */
    public static List<Contender> calibratedContenders() {
        List<Contender> contenders = new ArrayList<>();
        for (String difference : List.of("forward", "central")) {
            contenders.add(
                    new Contender("calibrated preset (" + difference + ")", () -> CalibratedAimle.of(difference)));
            contenders.add(new Contender(
                    "calibrated, the paper's sign rule after (eta 1e-3) (" + difference + ")",
                    () -> CalibratedAimle.builder()
                            .difference(difference)
                            .controller(new SignController(1e-3, 0))
                            .build()));
            contenders.add(new Contender(
                    "calibrated, paper's c = 1 (" + difference + ")",
                    () -> CalibratedAimle.builder()
                            .difference(difference)
                            .fixedTarget(1)
                            .build()));
            contenders.add(new Contender(
                    "not calibrated (alpha0 = 1), c(S) (" + difference + ")",
                    () -> CalibratedAimle.builder()
                            .difference(difference)
                            .calibrate(false)
                            .build()));
            contenders.add(new Contender(
                    "calibrated, then alpha held (" + difference + ")",
                    () -> CalibratedAimle.builder()
                            .difference(difference)
                            .controller(new HeldAlpha())
                            .build()));
            for (double gain : new double[] {0.03, 1.0}) {
                contenders.add(new Contender(
                        "calibrated, proportional gain " + gain + " (" + difference + ")",
                        () -> CalibratedAimle.builder()
                                .difference(difference)
                                .controller(new ProportionalController(gain))
                                .build()));
            }
        }
        return contenders;
    }

    /**
     * The calibrated preset with each fixed target c in turn, forward and central: what the best
     * count target at a point gives (tuned on the seeds it is scored on), an upper bound for any rule
     * c(S) that picks one target per S whatever the problem.
     *
     * @param targets the targets c, non-zeros per unit, each checked as AIMLE checks a target
     */
    public static List<Contender> targetContenders(double[] targets) {
        List<Contender> contenders = new ArrayList<>();
        for (String difference : List.of("forward", "central")) {
            for (double c : targets) {
                CalibratedAimle.builder().fixedTarget(c); // refuses a bad target before any run
                contenders.add(new Contender(
                        "calibrated, c = " + c + " (" + difference + ")",
                        () -> CalibratedAimle.builder()
                                .difference(difference)
                                .fixedTarget(c)
                                .build()));
            }
        }
        return contenders;
    }

    /**
     * IMLE at each fixed lambda, the calibrated and noise-scaled presets and the paper's AIMLE, forward
     * and central: the
     * comparison of the criterion (the preset against the best hand-tuned IMLE), in training.
     *
     * @param lambdas IMLE's lambdas, each as IMLE checks them
     */
    public static List<Contender> imleContenders(double[] lambdas) {
        List<Contender> contenders = new ArrayList<>();
        for (String difference : List.of("forward", "central")) {
            for (double lambda : lambdas) {
                Estimators.imle().lambda(lambda); // refuses a bad lambda before any run
                contenders.add(new Contender(
                        "IMLE, lambda = " + lambda + " (" + difference + ")",
                        () -> Estimators.imle()
                                .lambda(lambda)
                                .difference(difference)
                                .build()));
            }
            contenders.add(
                    new Contender("calibrated preset (" + difference + ")", () -> CalibratedAimle.of(difference)));
            contenders.add(
                    new Contender("noise-scaled preset (" + difference + ")", () -> NoiseScaledAimle.of(difference)));
            contenders.add(new Contender(
                    "AIMLE, paper (" + difference + ")",
                    () -> Estimators.aimle().difference(difference).build()));
        }
        return contenders;
    }

    /**
     * Learns theta on the synthetic problem with each contender at each S and reports the mean regret
     * {@code L(theta) - min_j f_j} after {@code steps} steps of normalised gradient descent, {@code
     * theta <- theta - lr * g / ||g||} (the direction of each estimate, not its scale, so that IMLE's
     * and AIMLE's 1/lambda scalings compare; an all-zero estimate leaves theta where it is). Problem
     * seed i and sampling seed 1000 + i, as {@link #run}; a fresh estimator per seed.
     *
     * @param perturbation solver and noise; its sample count is replaced by each S
     */
    public static List<Point> learn(
            List<Contender> contenders,
            Perturbation perturbation,
            int n,
            int[] samples,
            int steps,
            double learningRate,
            int seeds,
            NDManager manager) {
        List<Point> points = new ArrayList<>();
        for (Contender c : contenders) {
            for (int s : samples) {
                Perturbation p = withSamples(perturbation, s);
                double[] regret =
                        SeedStatistics.meanStd(regrets(c.estimator(), p, n, steps, learningRate, seeds, manager));
                points.add(new Point(c.label(), s, steps, regret[0], regret[1]));
            }
        }
        return points;
    }

    /** The regret after learning, per seed (problem seed i, sampling seed 1000 + i); see {@link #learn}. */
    public static double[] regrets(
            Supplier<GradientEstimator> estimator,
            Perturbation p,
            int n,
            int steps,
            double learningRate,
            int seeds,
            NDManager manager) {
        double[] regrets = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            SyntheticProblem problem = SyntheticProblem.draw(n, new SplittableRandom(seed), false);
            double[] theta = problem.theta();
            double[] b = problem.b();
            GradientEstimator e = estimator.get();
            SplittableRandom random = new SplittableRandom(1000 + seed);
            for (int step = 0; step < steps; step++) {
                double[] g = new SyntheticProblem(theta, b).estimate(e, p, manager, random);
                double norm = Math.sqrt(Arrays.stream(g).map(v -> v * v).sum());
                for (int i = 0; i < n && norm > 0; i++) {
                    theta[i] -= learningRate * g[i] / norm;
                }
            }
            SyntheticProblem trained = new SyntheticProblem(theta, b);
            regrets[seed] =
                    trained.loss() - Arrays.stream(trained.stateLosses()).min().orElseThrow();
        }
        return regrets;
    }

    /**
     * Keeps alpha where it is: with the calibration, alpha is set on the first batch and never moves
     * again (lambda still follows ||theta|| / ||dy||), to measure what the controller's steering after
     * the calibration does.
     */
    static final class HeldAlpha implements AlphaController {
        @Override
        public String name() {
            return "held";
        }

        @Override
        public double next(double alpha, double gbar, double target) {
            return alpha;
        }

        @Override
        public Map<String, Double> state() {
            return Map.of();
        }

        @Override
        public void restoreState(Map<String, Double> state) {
            if (!state.isEmpty()) {
                throw new IllegalArgumentException("a held alpha has no state, got " + state.keySet());
            }
        }

        @Override
        public AlphaController copy() {
            return new HeldAlpha();
        }
    }

    /** The same solver, noise and temperatures with S samples. */
    private static Perturbation withSamples(Perturbation perturbation, int samples) {
        return new Perturbation(
                perturbation.solver(),
                perturbation.noise(),
                samples,
                perturbation.inputTemperature(),
                perturbation.targetTemperature());
    }

    /**
     * Measures every contender at every (S, warm-up) pair.
     *
     * @param perturbation solver and noise; its sample count is replaced by each S
     */
    public static List<Point> run(
            List<Contender> contenders,
            Perturbation perturbation,
            int n,
            int[] samples,
            int[] warmUps,
            int seeds,
            NDManager manager) {
        List<Point> points = new ArrayList<>();
        for (Contender c : contenders) {
            for (int s : samples) {
                Perturbation p = withSamples(perturbation, s);
                for (int warmUp : warmUps) {
                    double[] cos = new double[seeds];
                    for (int seed = 0; seed < seeds; seed++) {
                        SyntheticProblem problem = SyntheticProblem.draw(n, new SplittableRandom(seed), false);
                        double[] g = problem.estimateAfterWarmUp(
                                c.estimator().get(), p, warmUp, manager, new SplittableRandom(1000 + seed));
                        cos[seed] = SyntheticProblem.cosine(g, problem.trueGradient());
                    }
                    double[] cosine = SeedStatistics.meanStd(cos);
                    points.add(new Point(c.label(), s, warmUp, cosine[0], cosine[1]));
                }
            }
        }
        return points;
    }
}
