package dev.aimle.app.experiments.l2x;

import dev.aimle.app.training.Shuffles;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The explainers of the table's scale, which are not trained: {@link L2xMethod#RANDOM} selects k of
 * a review's tokens uniformly at random; {@link L2xMethod#ORACLE} k of its rationale's tokens, the
 * rated ones first (the sentiment words, whose strengths make the score: {@link #rated}), then the
 * rest of the rationale, then random other tokens when the rationale is shorter than k. Rated words
 * first makes the oracle's MSE a floor for explainers that select inside the rationale: with k random
 * rationale tokens instead, an explainer that finds the sentiment words beat it. Each review's selection
 * is fixed: drawn from a stream seeded by the run's seed and the review's ids, so a review gets the
 * same selection in training, validation and test, and the predictor learns from a fixed explainer.
 */
final class FixedExplainer {
    private FixedExplainer() {}

    /**
     * The selections of some reviews, {@code [rows, maxLength]} flattened, 1 where selected, among
     * the positions {@link L2xData#selectable} opens.
     *
     * @throws IllegalStateException for the oracle on a split without rationales
     */
    static float[] select(L2xMethod method, long seed, L2xData data, L2xData.Split split, int[] index, int k) {
        if (method == L2xMethod.ORACLE && split.rationale() == null) {
            throw new IllegalStateException("the oracle needs the rationales of every review (the generated task)");
        }
        int length = data.maxLength();
        boolean[] open = data.selectable(split.lengths(), index, k);
        boolean[] rated = rated(data.words());
        float[] out = new float[index.length * length];
        for (int r = 0; r < index.length; r++) {
            int[] ids = split.ids()[index[r]];
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ Arrays.hashCode(ids));
            int[] order = Shuffles.permutation(length, random);
            int taken = 0;
            // the oracle's passes: rated rationale tokens, any rationale token, any open token; the random one's: the
            // last
            for (int pass = method == L2xMethod.ORACLE ? 0 : 2; pass < 3 && taken < k; pass++) {
                for (int i = 0; i < length && taken < k; i++) {
                    int p = order[i];
                    boolean inRationale = split.rationale() != null && split.rationale()[index[r]][p];
                    boolean wanted = pass == 2 || (inRationale && (pass == 1 || rated[ids[p]]));
                    if (open[r * length + p] && out[r * length + p] == 0 && wanted) {
                        out[r * length + p] = 1;
                        taken++;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Per word id, whether the word rates an aspect: a sentiment word of the beer design or a polarity
     * word of the planted one.
     */
    static boolean[] rated(List<String> words) {
        boolean[] rated = new boolean[words.size()];
        for (int id = 0; id < rated.length; id++) {
            String w = words.get(id);
            rated[id] = BeerStandIn.strength(w) != 0 || RationaleTask.strength(w) != 0;
        }
        return rated;
    }

    /**
     * The random explainer's expected subset precision in closed form: over the annotated reviews
     * (each counting k selections, {@link SubsetPrecision}), {@code mean(r / max(n, k))} with r the
     * rationale tokens kept and n the tokens kept.
     */
    static double randomPrecision(List<L2xData.Annotated> annotated, int k) {
        return annotated.stream()
                .mapToDouble(a -> (double) rationaleTokens(a) / Math.max(a.length(), k))
                .average()
                .orElseThrow();
    }

    /** The oracle's subset precision in closed form: {@code mean(min(r, k) / k)}. */
    static double oraclePrecision(List<L2xData.Annotated> annotated, int k) {
        return annotated.stream()
                .mapToDouble(a -> (double) Math.min(rationaleTokens(a), k) / k)
                .average()
                .orElseThrow();
    }

    private static int rationaleTokens(L2xData.Annotated a) {
        int r = 0;
        for (boolean b : a.rationale()) {
            r += b ? 1 : 0;
        }
        return r;
    }
}
