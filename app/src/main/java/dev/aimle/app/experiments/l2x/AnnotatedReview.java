package dev.aimle.app.experiments.l2x;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A review with human (or, for the generated task, planted) rationales: for each aspect, the token
 * spans {@code [start, end)} that explain its score.
 *
 * @param review the scores and tokens
 * @param spans per aspect, spans {@code {start, end}} with {@code 0 <= start < end <= tokens}; copied
 */
public record AnnotatedReview(BeerReview review, Map<BeerAspect, List<int[]>> spans) {
    /** Validates and copies. */
    public AnnotatedReview {
        Map<BeerAspect, List<int[]>> copy = new EnumMap<>(BeerAspect.class);
        int n = review.tokens().size();
        for (Map.Entry<BeerAspect, List<int[]>> e : spans.entrySet()) {
            List<int[]> list = new ArrayList<>();
            for (int[] span : e.getValue()) {
                if (span.length != 2 || span[0] < 0 || span[0] >= span[1] || span[1] > n) {
                    throw new IllegalArgumentException("a span must be [start, end) with 0 <= start < end <= " + n
                            + " (the number of tokens), got " + List.of(span[0], span.length > 1 ? span[1] : -1));
                }
                list.add(span.clone());
            }
            copy.put(e.getKey(), List.copyOf(list));
        }
        spans = copy;
    }

    /** Whether token i lies in a rationale span of the aspect. */
    public boolean inRationale(BeerAspect aspect, int i) {
        for (int[] span : spans.getOrDefault(aspect, List.of())) {
            if (i >= span[0] && i < span[1]) {
                return true;
            }
        }
        return false;
    }
}
