package dev.aimle.app.experiments.l2x;

import java.util.List;

/**
 * One review: its five scores in [0, 1] (the four {@link BeerAspect}s and the overall score) and
 * its tokens.
 *
 * @param scores five scores, copied
 * @param tokens the tokens, at least one, copied
 */
public record BeerReview(double[] scores, List<String> tokens) {
    /** Validates and copies. */
    public BeerReview {
        if (scores.length != BeerAspect.SCORES) {
            throw new IllegalArgumentException("a review has " + BeerAspect.SCORES + " scores, got " + scores.length);
        }
        scores = scores.clone();
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a review has at least one token");
        }
    }

    /** The score of one aspect. */
    public double score(BeerAspect aspect) {
        return scores[aspect.column()];
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }
}
