package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The beer design's statistics against the values its parameters imply, on a fixed seed: 994
 * annotated reviews (as many as Lei et al.'s annotated set) and 3,000 training ones.
 */
class BeerStandInTest {
    private static final RationaleTask TASK = new RationaleTask(RationaleTask.Design.BEER, 3000, 10, 994, 8, 11);
    private static final RationaleTask.Generated DATA = TASK.generate();
    private static final RationaleTask.Stats STATS = RationaleTask.stats(DATA, BeerAspect.AROMA);

    /** The six sentence forms' token counts (without the full stop). */
    private static final double SENTENCE_TOKENS = (10 + 9 + 7 + 10 + 13 + 5) / 6.0;

    private static final double SENTENCES = (BeerStandIn.MIN_SENTENCES + BeerStandIn.MAX_SENTENCES) / 2.0;

    @Test
    void theRationaleHasTheMeanLengthItsSentencesImply() {
        // 2.5 sentences of 9 tokens: 22.5; the per-review sd is about 11, so 994 reviews give a se of 0.35
        double expected = SENTENCES * SENTENCE_TOKENS;
        assertEquals(22.5, expected, 1e-12);
        assertEquals(expected, STATS.meanRationale(), 1.2, "mean rationale tokens");
    }

    @Test
    void theReviewHasTheMeanLengthItsPartsImply() {
        double neutral =
                BeerStandIn.NEUTRAL.stream().mapToInt(List::size).average().orElseThrow() + 1;
        double expected = 4 * SENTENCES * (SENTENCE_TOKENS + 1)
                + BeerStandIn.OVERALL * 5
                + (BeerStandIn.MIN_NEUTRAL + BeerStandIn.MAX_NEUTRAL) / 2.0 * neutral;
        // the per-review sd is about 30 (printed by --stats): a se of 1 over 994 reviews
        assertEquals(expected, STATS.meanLength(), 3.5, "mean review tokens");
        // the published share of the aroma's rationale is 15.6 %: the design lands within 2 points
        assertEquals(0.156, STATS.meanShare(), 0.02, "rationale share");
    }

    @Test
    void aspectsAreOnlyWeaklyCorrelated() {
        // latent correlation RHO, attenuated by the noisy reading of a few sentiment words
        for (BeerAspect other : List.of(BeerAspect.APPEARANCE, BeerAspect.PALATE, BeerAspect.TASTE)) {
            double c = STATS.correlations().get(other);
            assertTrue(c > 0.03 && c < BeerStandIn.RHO, other + ": " + c);
        }
        assertEquals(1.0, STATS.correlations().get(BeerAspect.AROMA), 1e-12);
    }

    @Test
    void theScoreIsReadFromTheAspectsOwnSentencesOnly() {
        // score = round(clip(0.6 + 0.15 m + N(0, 0.03^2)), 0.1): the residual is the noise and the rounding
        double sum = 0;
        int n = 0;
        for (AnnotatedReview a : DATA.train()) {
            List<String> tokens = a.review().tokens();
            int total = 0;
            int count = 0;
            for (int i = 0; i < tokens.size(); i++) {
                int s = BeerStandIn.strength(tokens.get(i));
                if (s != 0 && a.inRationale(BeerAspect.AROMA, i)) {
                    total += s;
                    count++;
                }
            }
            double predicted = Math.min(1, Math.max(0, 0.6 + 0.15 * total / count));
            double residual = a.review().score(BeerAspect.AROMA) - predicted;
            assertTrue(Math.abs(residual) < 0.05 + 4 * 0.03, "residual " + residual);
            sum += residual * residual;
            n++;
        }
        // sqrt(0.03^2 + 0.1^2 / 12) = 0.042
        assertEquals(0.042, Math.sqrt(sum / n), 0.006, "residual sd");
    }

    @Test
    void theVocabularyHasAspectSpecificAndSharedWordsAndHoldsEveryWordWritten() {
        Set<String> vocabulary = new HashSet<>(BeerStandIn.vocabulary());
        assertTrue(vocabulary.size() <= RationaleTask.Design.BEER.vocabularyBound(), vocabulary.size() + " words");
        for (AnnotatedReview a : DATA.train()) {
            assertTrue(
                    vocabulary.containsAll(a.review().tokens()),
                    a.review().tokens().toString());
        }
        assertTrue(STATS.ownWords() >= 60, STATS.ownWords() + " aspect-specific words");
        assertTrue(STATS.sharedWords() >= 30, STATS.sharedWords() + " shared words");
        assertEquals(BeerAspect.AROMA, BeerStandIn.owner("fragrant"));
        assertNull(BeerStandIn.owner("great"));
        assertEquals(2, BeerStandIn.strength("intoxicating"));
        assertEquals(-1, BeerStandIn.strength("bland"));
        assertEquals(0, BeerStandIn.strength("citrus"));
    }

    @Test
    void everyAromaSpanIsASentenceNamingTheAromaAndNoOtherAspect() {
        for (AnnotatedReview a : DATA.annotated()) {
            List<String> tokens = a.review().tokens();
            for (int[] span : a.spans().get(BeerAspect.AROMA)) {
                List<String> words = tokens.subList(span[0], span[1]);
                assertTrue(
                        words.stream().anyMatch(BeerStandIn.NOUNS.get(BeerAspect.AROMA)::contains), words.toString());
                assertTrue(
                        words.stream().map(BeerStandIn::owner).allMatch(o -> o == null || o == BeerAspect.AROMA),
                        words.toString());
                assertEquals(".", tokens.get(span[1]), "a span ends before its full stop");
            }
        }
    }

    @Test
    void designsParseByNameAndAnOldSpecWithoutOneIsPlanted() {
        assertEquals(RationaleTask.Design.BEER, RationaleTask.Design.parse(" Beer"));
        assertEquals(RationaleTask.Design.PLANTED, new RationaleTask(null, 1, 2, 1, 1, 0).design());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RationaleTask.Design.parse("real"));
        assertTrue(e.getMessage().contains("'real'") && e.getMessage().contains("beer or planted"), e.getMessage());
    }
}
