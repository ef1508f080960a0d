package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bound the generated task's memory check counts on. */
class RationaleTaskSizeTest {
    @Test
    void theVocabularyBoundHoldsEveryGeneratedWord() {
        int words = RationaleTask.vocabulary().size();
        assertTrue(
                words <= RationaleTask.VOCABULARY_BOUND,
                words + " words, more than the bound of " + RationaleTask.VOCABULARY_BOUND);
    }
}
