package dev.aimle.app.experiments.l2x;

import dev.aimle.app.training.Shuffles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One aspect's data encoded for training, as the reference prepares it: word ids from the training
 * reviews in order of first appearance (0 padding, 1 start, 2 unknown, the words from 3), each
 * review cut to its first {@code maxLength} tokens and padded in front to {@code maxLength}; the
 * held-out reviews split into validation and test halves by the run's seed; the word vectors as a
 * frozen table (a word without a vector, padding included, has the zero vector); the annotated
 * reviews with the aspect's rationale positions.
 */
public final class L2xData {
    /** The padding id. */
    public static final int PAD = 0;
    /** The id of words unseen in training. */
    public static final int UNKNOWN = 2;

    private static final int FIRST_WORD = 3;

    /**
     * Reviews as padded ids, their kept lengths, the aspect's scores and, where known (the generated
     * task), the aspect's rationale per padded position (else null).
     */
    public record Split(int[][] ids, int[] lengths, float[] scores, boolean[][] rationale) {
        /** The number of reviews. */
        public int size() {
            return ids.length;
        }
    }

    /**
     * An annotated review, encoded.
     *
     * @param ids padded ids
     * @param length tokens kept (at most maxLength)
     * @param rationale per padded position, whether it lies in one of the aspect's spans
     * @param tokens the review's tokens as kept (for reading)
     * @param score the aspect's score
     */
    public record Annotated(int[] ids, int length, boolean[] rationale, List<String> tokens, float score) {}

    private final BeerAspect aspect;
    private final int maxLength;
    private final List<String> words;
    private final float[] vectors;
    private final int dimensions;
    private final Split train;
    private final Split validation;
    private final Split test;
    private final List<Annotated> annotated;

    private L2xData(
            BeerAspect aspect,
            int maxLength,
            List<String> words,
            float[] vectors,
            int dimensions,
            Split train,
            Split validation,
            Split test,
            List<Annotated> annotated) {
        this.aspect = aspect;
        this.maxLength = maxLength;
        this.words = words;
        this.vectors = vectors;
        this.dimensions = dimensions;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.annotated = annotated;
    }

    /**
     * Loads the BeerAdvocate files of {@code dir} for one aspect.
     *
     * @param trainLimit use only the first this many training reviews (0: all)
     */
    public static L2xData load(Path dir, BeerAspect aspect, int maxLength, long splitSeed, int trainLimit)
            throws IOException {
        Path trainFile = BeerAdvocateFiles.find(dir, BeerAdvocateFiles.trainFile(aspect));
        List<BeerReview> train = BeerAdvocateFiles.readReviews(trainFile);
        Path heldoutFile = BeerAdvocateFiles.find(dir, BeerAdvocateFiles.heldoutFile(aspect));
        List<BeerReview> heldout = BeerAdvocateFiles.readReviews(heldoutFile);
        Path annotationsFile = BeerAdvocateFiles.find(dir, BeerAdvocateFiles.ANNOTATIONS);
        List<AnnotatedReview> annotated = BeerAdvocateFiles.readAnnotations(annotationsFile);
        // an empty set would train on nothing or report a precision of 0 over nothing as a result
        if (train.isEmpty()) {
            throw new IllegalArgumentException(trainFile + " holds no reviews");
        }
        if (heldout.size() < 2) {
            throw new IllegalArgumentException(heldoutFile + " holds " + heldout.size()
                    + " reviews; at least 2 are needed, for the validation and test halves");
        }
        if (annotated.isEmpty()) {
            throw new IllegalArgumentException(annotationsFile + " holds no annotated reviews");
        }
        if (annotated.stream().noneMatch(a -> marks(a, aspect))) {
            throw new IllegalArgumentException(annotationsFile + " marks no rationale for the aspect " + aspect
                    + ": its subset precision would be measured over nothing");
        }
        Map<String, float[]> vectors =
                BeerAdvocateFiles.readEmbeddings(BeerAdvocateFiles.find(dir, BeerAdvocateFiles.EMBEDDINGS), 0);
        return of(
                aspect,
                unannotated(train),
                unannotated(heldout),
                annotated,
                vectors,
                maxLength,
                splitSeed,
                trainLimit,
                false);
    }

    private static List<AnnotatedReview> unannotated(List<BeerReview> reviews) {
        return reviews.stream().map(r -> new AnnotatedReview(r, Map.of())).toList();
    }

    /** Whether the review marks at least one token of the aspect's rationale. */
    private static boolean marks(AnnotatedReview review, BeerAspect aspect) {
        for (int i = 0; i < review.review().tokens().size(); i++) {
            if (review.inRationale(aspect, i)) {
                return true;
            }
        }
        return false;
    }

    /** The generated task for one aspect. */
    public static L2xData generated(
            RationaleTask task, BeerAspect aspect, int maxLength, long splitSeed, int trainLimit) {
        RationaleTask.Generated g = task.generate();
        return of(aspect, g.train(), g.heldout(), g.annotated(), g.vectors(), maxLength, splitSeed, trainLimit, true);
    }

    /**
     * Encodes reviews.
     *
     * @param rationalesKnown whether the training and held-out reviews carry the aspect's rationale
     *     (the generated task's do; the files' do not, and their splits get none)
     */
    public static L2xData of(
            BeerAspect aspect,
            List<AnnotatedReview> train,
            List<AnnotatedReview> heldout,
            List<AnnotatedReview> annotated,
            Map<String, float[]> vectors,
            int maxLength,
            long splitSeed,
            int trainLimit,
            boolean rationalesKnown) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("the maximum length (" + maxLength + ") must be at least 1");
        }
        if (heldout.size() < 2) {
            throw new IllegalArgumentException(
                    "the held-out reviews (" + heldout.size() + ") must be at least 2: validation and test halves");
        }
        List<AnnotatedReview> used = trainLimit > 0 && trainLimit < train.size() ? train.subList(0, trainLimit) : train;
        Map<String, Integer> ids = new HashMap<>();
        List<String> words = new ArrayList<>(List.of("<PAD>", "<START>", "<UNK>"));
        for (AnnotatedReview r : used) {
            for (String t : r.review().tokens()) {
                if (!ids.containsKey(t)) {
                    ids.put(t, words.size());
                    words.add(t);
                }
            }
        }
        int dimensions = vectors.values().iterator().next().length;
        float[] table = new float[words.size() * dimensions];
        for (int id = FIRST_WORD; id < words.size(); id++) {
            float[] v = vectors.get(words.get(id));
            if (v != null) {
                System.arraycopy(v, 0, table, id * dimensions, dimensions);
            }
        }
        Split trainSplit = encode(used, ids, aspect, maxLength, rationalesKnown);
        int[] order = Shuffles.permutation(heldout.size(), new SplittableRandom(splitSeed));
        List<AnnotatedReview> validation = new ArrayList<>();
        List<AnnotatedReview> test = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            (i < (order.length + 1) / 2 ? validation : test).add(heldout.get(order[i]));
        }
        List<Annotated> encodedAnnotations = new ArrayList<>();
        for (AnnotatedReview a : annotated) {
            List<String> tokens = a.review().tokens();
            int length = Math.min(tokens.size(), maxLength);
            int offset = maxLength - length;
            int[] row = new int[maxLength];
            boolean[] rationale = new boolean[maxLength];
            for (int i = 0; i < length; i++) {
                row[offset + i] = ids.getOrDefault(tokens.get(i), UNKNOWN);
                rationale[offset + i] = a.inRationale(aspect, i);
            }
            encodedAnnotations.add(new Annotated(row, length, rationale, List.copyOf(tokens.subList(0, length)), (float)
                    a.review().score(aspect)));
        }
        return new L2xData(
                aspect,
                maxLength,
                List.copyOf(words),
                table,
                dimensions,
                trainSplit,
                encode(validation, ids, aspect, maxLength, rationalesKnown),
                encode(test, ids, aspect, maxLength, rationalesKnown),
                List.copyOf(encodedAnnotations));
    }

    private static Split encode(
            List<AnnotatedReview> reviews,
            Map<String, Integer> ids,
            BeerAspect aspect,
            int maxLength,
            boolean rationalesKnown) {
        int[][] rows = new int[reviews.size()][maxLength];
        int[] lengths = new int[reviews.size()];
        float[] scores = new float[reviews.size()];
        boolean[][] rationale = rationalesKnown ? new boolean[reviews.size()][maxLength] : null;
        for (int r = 0; r < reviews.size(); r++) {
            List<String> tokens = reviews.get(r).review().tokens();
            int length = Math.min(tokens.size(), maxLength);
            int offset = maxLength - length;
            for (int i = 0; i < length; i++) {
                rows[r][offset + i] = ids.getOrDefault(tokens.get(i), UNKNOWN);
                if (rationale != null) {
                    rationale[r][offset + i] = reviews.get(r).inRationale(aspect, i);
                }
            }
            lengths[r] = length;
            scores[r] = (float) reviews.get(r).review().score(aspect);
        }
        return new Split(rows, lengths, scores, rationale);
    }

    /**
     * The word vectors of reviews, {@code [rows, maxLength, dimensions]} flattened.
     *
     * @param ids padded id rows
     * @param index the reviews to take, by position in {@code ids}
     */
    public float[] embed(int[][] ids, int[] index) {
        float[] out = new float[index.length * maxLength * dimensions];
        for (int r = 0; r < index.length; r++) {
            int[] row = ids[index[r]];
            for (int i = 0; i < maxLength; i++) {
                System.arraycopy(vectors, row[i] * dimensions, out, (r * maxLength + i) * dimensions, dimensions);
            }
        }
        return out;
    }

    /**
     * Where a selection may fall, {@code [rows, maxLength]} flattened: the review's tokens, and when a
     * review has fewer than k, the k positions closest to its end (padding, whose zero vector adds
     * nothing), so that a k-subset always exists.
     */
    public boolean[] selectable(int[] lengths, int[] index, int k) {
        boolean[] out = new boolean[index.length * maxLength];
        for (int r = 0; r < index.length; r++) {
            int open = Math.min(maxLength, Math.max(lengths[index[r]], k));
            for (int i = maxLength - open; i < maxLength; i++) {
                out[r * maxLength + i] = true;
            }
        }
        return out;
    }

    /** The annotated reviews as a split: their ids, lengths and rationales (scores 0: not read). */
    public Split annotatedSplit() {
        int[][] ids = new int[annotated.size()][];
        int[] lengths = new int[annotated.size()];
        boolean[][] rationale = new boolean[annotated.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = annotated.get(i).ids();
            lengths[i] = annotated.get(i).length();
            rationale[i] = annotated.get(i).rationale();
        }
        return new Split(ids, lengths, new float[ids.length], rationale);
    }

    /** The aspect. */
    public BeerAspect aspect() {
        return aspect;
    }

    /** Tokens per review after padding. */
    public int maxLength() {
        return maxLength;
    }

    /** The width of the word vectors. */
    public int dimensions() {
        return dimensions;
    }

    /** The words by id (0 padding, 1 start, 2 unknown). */
    public List<String> words() {
        return words;
    }

    /** The training reviews. */
    public Split train() {
        return train;
    }

    /** The validation half of the held-out reviews. */
    public Split validation() {
        return validation;
    }

    /** The test half of the held-out reviews. */
    public Split test() {
        return test;
    }

    /** The annotated reviews. */
    public List<Annotated> annotated() {
        return annotated;
    }
}
