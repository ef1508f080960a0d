package dev.aimle.app.experiments.synthetic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The configuration of one synthetic-experiment run (AAAI-23, Fig. 1, 3 and 4). Lists are kept
 * sorted and without duplicates (the estimators in the order of {@link Method}), so the same
 * experiment always has the same configuration whatever the order of the flags: a run directory
 * is resumed only when the configuration is equal.
 *
 * <p>Seeds: seed {@code i} in {@code [0, seeds)} draws the problem (theta and b) with
 * {@code SplittableRandom(i)} and the estimator's noise/samples with {@code SplittableRandom(1000 + i)};
 * every estimator and sample count of a seed faces the same problem.
 *
 * @param sizes Fig. 3: the problem sizes n
 * @param samples Fig. 3: the sample counts S
 * @param methods the estimators (Fig. 3 curves; IMLE variants are swept in Fig. 1/4, the others are
 *     its reference lines)
 * @param imleLambdas Fig. 3: IMLE's fixed lambda (one curve per value)
 * @param lambdas Fig. 1/4: the IMLE lambdas swept (empty: no sweep)
 * @param lambdaSizes Fig. 1/4: the problem sizes n of the sweep (one panel each)
 * @param lambdaSamples Fig. 1/4: S of every estimator
 * @param seeds the number of seeds
 * @param warmup AIMLE's warm-up steps (on the same theta and b) before the measured estimate
 * @param warmupStudy extra study: AIMLE with each of these warm-up counts (empty: none), at the
 *     smallest n of {@code sizes}
 * @param warmupSamples the sample counts of the warm-up study
 * @param absoluteB b = |N(0, I)| (the reference code) instead of N(0, I) (the paper)
 * @param noise the perturbation noise's registry name (the paper: gumbel)
 */
public record SyntheticConfig(
        List<Integer> sizes,
        List<Integer> samples,
        List<Method> methods,
        List<Double> imleLambdas,
        List<Double> lambdas,
        List<Integer> lambdaSizes,
        int lambdaSamples,
        int seeds,
        int warmup,
        List<Integer> warmupStudy,
        List<Integer> warmupSamples,
        boolean absoluteB,
        String noise) {

    /** The sampling seed of seed i is {@code SAMPLING_SEED_OFFSET + i}. */
    public static final int SAMPLING_SEED_OFFSET = 1000;

    /** The MAP solver: top-1 (argmax) from the {@code topk} plugin. */
    public static final String SOLVER = "topk";

    /** Validates, sorts and removes duplicates. */
    public SyntheticConfig {
        sizes = sortedDistinct("n", sizes, 2);
        samples = sortedDistinct("samples", samples, 1);
        Objects.requireNonNull(methods, "methods");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("estimators must name at least one of " + Method.ids());
        }
        methods = List.copyOf(new TreeSet<>(methods));
        imleLambdas = sortedLambdas("imle lambda", imleLambdas);
        if (imleLambdas.isEmpty() && methods.stream().anyMatch(Method::usesLambda)) {
            throw new IllegalArgumentException("IMLE needs at least one lambda");
        }
        lambdas = sortedLambdas("lambda", lambdas);
        lambdaSizes = sortedDistinct("lambda n", lambdaSizes, 2);
        requireAtLeast("lambda samples", lambdaSamples, 1);
        requireAtLeast("seeds", seeds, 1);
        requireAtLeast("warmup", warmup, 0);
        warmupStudy = warmupStudy.isEmpty() ? List.of() : sortedDistinct("warmup study", warmupStudy, 0);
        warmupSamples = sortedDistinct("warmup samples", warmupSamples, 1);
        Objects.requireNonNull(noise, "noise");
    }

    private static List<Integer> sortedDistinct(String name, List<Integer> values, int min) {
        Objects.requireNonNull(values, name);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one value");
        }
        for (int v : values) {
            requireAtLeast(name, v, min);
        }
        return List.copyOf(new TreeSet<>(values));
    }

    private static List<Double> sortedLambdas(String name, List<Double> values) {
        Objects.requireNonNull(values, name);
        for (double v : values) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " (" + v + ") must be a finite number at least 0");
            }
        }
        List<Double> out = new ArrayList<>(new TreeSet<>(values));
        out.sort(Comparator.naturalOrder());
        return List.copyOf(out);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " (" + value + ") must be at least " + min);
        }
    }

    /** The IMLE variants among the methods (swept over lambda in Fig. 1/4). */
    public List<Method> imleMethods() {
        return methods.stream().filter(Method::usesLambda).toList();
    }

    /** The AIMLE variants among the methods. */
    public List<Method> adaptiveMethods() {
        return methods.stream().filter(Method::adaptive).toList();
    }

    /** Whether the lambda sweep (Fig. 1/4) runs: lambdas given and an IMLE variant selected. */
    public boolean hasLambdaSweep() {
        return !lambdas.isEmpty() && !imleMethods().isEmpty();
    }

    /** Whether the warm-up study runs: warm-up counts given and an AIMLE variant selected. */
    public boolean hasWarmupStudy() {
        return !warmupStudy.isEmpty() && !adaptiveMethods().isEmpty();
    }

    /** The n of the warm-up study: the smallest of {@link #sizes()}. */
    public int warmupStudySize() {
        return sizes.get(0);
    }

    /** The warm-up steps a method gets in Fig. 3 and Fig. 4: {@link #warmup()} for AIMLE, else 0. */
    public int warmupOf(Method method) {
        return method.adaptive() ? warmup : 0;
    }

    /** The configuration as an ordered map, for {@code run.json} (the resume check compares it). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", sizes);
        m.put("samples", samples);
        m.put("estimators", methods.stream().map(Method::id).toList());
        m.put("imleLambdas", imleLambdas);
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("lambdas", lambdas);
        sweep.put("n", lambdaSizes);
        sweep.put("samples", lambdaSamples);
        m.put("lambdaSweep", sweep);
        m.put("seeds", seeds);
        m.put("warmup", warmup);
        Map<String, Object> study = new LinkedHashMap<>();
        study.put("warmups", warmupStudy);
        study.put("samples", warmupSamples);
        study.put("n", warmupStudySize());
        m.put("warmupStudy", study);
        m.put("b", absoluteB ? "abs" : "normal");
        m.put("noise", noise);
        m.put("solver", SOLVER + " k=1");
        m.put("samplingSeedOffset", SAMPLING_SEED_OFFSET);
        return m;
    }
}
