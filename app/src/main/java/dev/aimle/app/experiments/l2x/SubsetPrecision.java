package dev.aimle.app.experiments.l2x;

import java.util.List;

/**
 * Subset precision, as the reference computes it: over the annotated reviews, the selected tokens
 * that lie in a rationale span of the aspect, divided by the selected tokens, where padding is not
 * counted as selected and each review counts at least k selections (a review shorter than k cannot
 * make up for it by selecting padding).
 */
public final class SubsetPrecision {
    private SubsetPrecision() {}

    /**
     * @param reviews the annotated reviews
     * @param selections one row per review, {@code maxLength} entries, non-zero where selected
     * @param k the subset size
     * @return the precision in [0, 1]
     */
    public static double of(List<L2xData.Annotated> reviews, float[][] selections, int k) {
        if (selections.length != reviews.size()) {
            throw new IllegalArgumentException(
                    selections.length + " selections for " + reviews.size() + " annotated reviews");
        }
        long correct = 0;
        long selected = 0;
        for (int r = 0; r < reviews.size(); r++) {
            L2xData.Annotated a = reviews.get(r);
            int first = a.ids().length - a.length();
            int chosen = 0;
            for (int i = first; i < a.ids().length; i++) {
                if (selections[r][i] != 0) {
                    chosen++;
                    if (a.rationale()[i]) {
                        correct++;
                    }
                }
            }
            selected += Math.max(chosen, k);
        }
        return selected == 0 ? 0 : (double) correct / selected;
    }
}
