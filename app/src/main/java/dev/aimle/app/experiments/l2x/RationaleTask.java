package dev.aimle.app.experiments.l2x;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.aimle.app.experiments.MemoryBudget;
import dev.aimle.app.experiments.Moments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The generated stand-in for BeerAdvocate: reviews with a known rationale for every aspect, of one of
 * two designs. {@link Design#BEER} (the default) has the published statistics of the real data (see
 * {@link BeerStandIn}); {@link Design#PLANTED}, the first stand-in, is described here.
 *
 * <p><b>A planted review</b> is a shuffled sequence of sentences, each ended by a {@code .} token: one
 * sentence per aspect and three to six neutral filler sentences ("poured from a bottle into a pint
 * glass"). An aspect sentence names the aspect with one of its own nouns ({@code smell},
 * {@code nose}, ... for aroma) and rates it with polarity words <em>shared by all aspects</em>, in one
 * of three forms: {@code the NOUN is [not] ADJ}, {@code a ADJ NOUN}, {@code the NOUN is ADJ and ADJ}.
 * Polarity words have a signed strength (good +1, excellent +2, bland -1, awful -2); {@code not}
 * flips and halves the word after it ({@code not great} -1, {@code not awful} +1).
 *
 * <p><b>The score</b> of an aspect is a fixed noisy function of its own sentence only:
 * {@code clip(0.5 + 0.2 * mean strength + N(0, 0.02^2), 0, 1)}, rounded to 0.01 (so 0.1 to 0.9). The
 * overall score (the fifth) is the mean of the four. <b>The rationale</b> of an aspect is the span of
 * its sentence (without the period), the planted positions.
 *
 * <p><b>Why word identity alone does not solve it</b>: the polarity words are the same for every
 * aspect, so which {@code great} matters depends on the noun next to it (within the explainer's
 * receptive field of 7 tokens); negation reverses a word; and the aspects of one review are
 * correlated (a latent beer quality q shifts all four, correlation about 0.35 between aspect
 * polarities), so distractor sentences are predictive of the score too, as in the real data, and a
 * model can lower its MSE with the wrong words.
 *
 * <p><b>Embeddings</b> are fixed random vectors, N(0, 1) per entry (seeded), for every word of the
 * vocabulary, written like the pre-trained file of the real data and never trained (the reference
 * freezes its embeddings too).
 *
 * @param design which generator writes the reviews ({@code planted} when a spec written before
 *     designs existed has none)
 * @param train training reviews
 * @param heldout held-out reviews (split into validation and test halves per run seed)
 * @param annotated annotated reviews (subset precision)
 * @param dimensions embedding width
 * @param seed the seed of the whole data set (fixed across runs: runs differ in their split and
 *     training seed only)
 */
public record RationaleTask(Design design, int train, int heldout, int annotated, int dimensions, long seed) {
    /**
     * The default: the {@code beer} design with 20,000 training, 2,000 held-out and 994 annotated
     * reviews (as many as Lei et al.'s annotated set), 50-d vectors.
     */
    public static final RationaleTask DEFAULT = new RationaleTask(Design.BEER, 20000, 2000, 994, 50, 20230207L);

    /** The generators. */
    public enum Design {
        /** The real data's statistics ({@link BeerStandIn}). */
        BEER,
        /** One planted sentence per aspect with polarity words shared by every aspect (the first stand-in). */
        PLANTED;

        /** The name on the command line and in {@code spec.json}. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The design of this name.
         *
         * @throws IllegalArgumentException naming the known ones
         */
        @JsonCreator
        public static Design parse(String name) {
            for (Design d : values()) {
                if (d.id().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown task '" + name + "'; expected beer or planted");
        }

        /** The most heap one review of the design takes. */
        int reviewBytes() {
            return this == BEER ? BeerStandIn.REVIEW_BYTES : REVIEW_BYTES;
        }

        /** More words than the design's vocabulary holds (checked by the tests). */
        int vocabularyBound() {
            return this == BEER ? 512 : VOCABULARY_BOUND;
        }

        /** Every word the design can write, in a fixed order. */
        List<String> vocabulary() {
            return this == BEER ? BeerStandIn.vocabulary() : RationaleTask.vocabulary();
        }
    }

    static final Map<BeerAspect, List<String>> NOUNS = nouns();
    static final List<String> POSITIVE_1 = List.of("good", "nice", "decent", "pleasant");
    static final List<String> POSITIVE_2 = List.of("great", "excellent", "wonderful", "superb");
    static final List<String> NEGATIVE_1 = List.of("weak", "bland", "thin", "dull");
    static final List<String> NEGATIVE_2 = List.of("awful", "terrible", "nasty", "horrible");
    static final List<String> VERBS = List.of("is", "was", "seems", "felt");
    static final List<List<String>> FILLERS = List.of(
            List.of("poured", "from", "a", "bottle", "into", "a", "pint", "glass"),
            List.of("had", "this", "one", "on", "tap", "at", "a", "local", "bar"),
            List.of("thanks", "to", "a", "friend", "for", "sharing", "this", "bottle"),
            List.of("served", "slightly", "chilled"),
            List.of("bought", "a", "six", "pack", "last", "week"),
            List.of("the", "label", "says", "it", "is", "brewed", "in", "small", "batches"),
            List.of("drank", "it", "with", "dinner"),
            List.of("my", "first", "beer", "from", "this", "brewery"),
            List.of("picked", "it", "up", "at", "the", "store"),
            List.of("shared", "with", "my", "brother"),
            List.of("it", "comes", "in", "a", "brown", "bottle"),
            List.of("cellared", "for", "about", "a", "year"),
            List.of("review", "from", "notes"),
            List.of("this", "is", "a", "seasonal", "release"));

    /**
     * The most heap one planted review takes: at most 4 aspect sentences of 7 tokens and 6 fillers
     * of 10, so 88 token references with their list, the 5 scores and the annotated spans, well under
     * this.
     */
    static final int REVIEW_BYTES = 1024;

    /** More words than the planted {@link #vocabulary()} holds (checked by the tests). */
    static final int VOCABULARY_BOUND = 128;

    /**
     * Validates the sizes, and that the generated data fits in the heap before anything is generated:
     * {@code (train + heldout + annotated) x 1 KB} for the reviews ({@link #REVIEW_BYTES}) plus
     * {@code 2 x 4 bytes x 128 words x D} for the word vectors, generated and then copied into the
     * model's table.
     */
    public RationaleTask {
        design = design == null ? Design.PLANTED : design;
        if (train < 1 || heldout < 2 || annotated < 1 || dimensions < 1) {
            throw new IllegalArgumentException("the generated task needs at least 1 training, 2 held-out and 1"
                    + " annotated review and 1 dimension, got " + train + ", " + heldout + ", " + annotated + ", "
                    + dimensions);
        }
        double reviews = (double) train + heldout + annotated;
        MemoryBudget.requireHeap(
                "the generated task's " + String.format(Locale.ROOT, "%.0f", reviews) + " reviews and " + dimensions
                        + "-d vectors",
                reviews * design.reviewBytes() + 2.0 * 4 * design.vocabularyBound() * dimensions,
                "(train + heldout + annotated) x " + design.reviewBytes() + " bytes + 2 x 4 bytes x "
                        + design.vocabularyBound() + " words x D");
    }

    private static Map<BeerAspect, List<String>> nouns() {
        Map<BeerAspect, List<String>> m = new EnumMap<>(BeerAspect.class);
        m.put(BeerAspect.APPEARANCE, List.of("color", "head", "lacing", "foam", "clarity", "hue"));
        m.put(BeerAspect.AROMA, List.of("smell", "aroma", "nose", "scent", "bouquet", "fragrance"));
        m.put(BeerAspect.PALATE, List.of("mouthfeel", "body", "carbonation", "texture", "palate", "feel"));
        m.put(BeerAspect.TASTE, List.of("taste", "flavor", "finish", "aftertaste", "sweetness", "bitterness"));
        return m;
    }

    /** The signed strength of a polarity word, 0 for any other word. */
    static int strength(String word) {
        if (POSITIVE_1.contains(word)) {
            return 1;
        }
        if (POSITIVE_2.contains(word)) {
            return 2;
        }
        if (NEGATIVE_1.contains(word)) {
            return -1;
        }
        return NEGATIVE_2.contains(word) ? -2 : 0;
    }

    /**
     * The generated data: training, held-out and annotated reviews, all with their rationales (the
     * files write the first two without), and the word vectors.
     */
    public record Generated(
            List<AnnotatedReview> train,
            List<AnnotatedReview> heldout,
            List<AnnotatedReview> annotated,
            Map<String, float[]> vectors) {}

    /** Generates the data (deterministic in the record's values). */
    public Generated generate() {
        SplittableRandom random = new SplittableRandom(seed);
        List<AnnotatedReview> trainSet = new ArrayList<>();
        for (int i = 0; i < train; i++) {
            trainSet.add(review(random));
        }
        List<AnnotatedReview> heldoutSet = new ArrayList<>();
        for (int i = 0; i < heldout; i++) {
            heldoutSet.add(review(random));
        }
        List<AnnotatedReview> annotatedSet = new ArrayList<>();
        for (int i = 0; i < annotated; i++) {
            annotatedSet.add(review(random));
        }
        SplittableRandom vectorRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return new Generated(
                trainSet,
                heldoutSet,
                annotatedSet,
                design == Design.BEER ? BeerStandIn.vectors(dimensions, vectorRandom) : vectors(vectorRandom));
    }

    private AnnotatedReview review(SplittableRandom random) {
        return design == Design.BEER ? BeerStandIn.review(random) : planted(random);
    }

    /** Writes the data in the BeerAdvocate file formats, one training and held-out file per aspect. */
    public void write(Path dir) throws IOException {
        Generated g = generate();
        Files.createDirectories(dir);
        for (BeerAspect a : BeerAspect.values()) {
            BeerAdvocateFiles.writeReviews(dir.resolve(BeerAdvocateFiles.trainFile(a)), reviews(g.train()));
            BeerAdvocateFiles.writeReviews(dir.resolve(BeerAdvocateFiles.heldoutFile(a)), reviews(g.heldout()));
        }
        BeerAdvocateFiles.writeAnnotations(dir.resolve(BeerAdvocateFiles.ANNOTATIONS), g.annotated());
        BeerAdvocateFiles.writeEmbeddings(dir.resolve(BeerAdvocateFiles.EMBEDDINGS), g.vectors());
    }

    /**
     * The statistics of generated data for one aspect, to set beside the published ones.
     *
     * @param reviews training, held-out and annotated reviews
     * @param meanLength mean tokens per annotated review
     * @param sdLength their standard deviation
     * @param p95Length the 95th percentile of annotated reviews' tokens
     * @param meanRationale mean tokens of the aspect's rationale per annotated review
     * @param meanShare mean over annotated reviews of rationale tokens / review tokens
     * @param vocabulary distinct words in the training reviews
     * @param ownWords words of the training reviews that occur only inside one aspect's rationale
     * @param sharedWords the other words of the training reviews that occur in some rationale
     * @param scoreMean the aspect's mean training score
     * @param scoreVariance the variance of the aspect's training scores
     * @param correlations the Pearson correlation of the aspect's training scores with each aspect's
     */
    public record Stats(
            int[] reviews,
            double meanLength,
            double sdLength,
            int p95Length,
            double meanRationale,
            double meanShare,
            int vocabulary,
            int ownWords,
            int sharedWords,
            double scoreMean,
            double scoreVariance,
            Map<BeerAspect, Double> correlations) {}

    /** The statistics of generated data for one aspect (see {@link Stats}). */
    public static Stats stats(Generated g, BeerAspect aspect) {
        List<AnnotatedReview> annotated = g.annotated();
        double[] lengths =
                annotated.stream().mapToDouble(a -> a.review().tokens().size()).toArray();
        double meanLength = Moments.mean(lengths);
        double sd = Moments.std(lengths);
        double[] sorted = lengths.clone();
        Arrays.sort(sorted);
        double rationale = 0;
        double share = 0;
        for (AnnotatedReview a : annotated) {
            int n = a.review().tokens().size();
            int r = 0;
            for (int i = 0; i < n; i++) {
                r += a.inRationale(aspect, i) ? 1 : 0;
            }
            rationale += r;
            share += (double) r / n;
        }
        Map<String, Set<BeerAspect>> inside = new LinkedHashMap<>();
        Set<String> outside = new LinkedHashSet<>();
        for (AnnotatedReview a : g.train()) {
            List<String> tokens = a.review().tokens();
            for (int i = 0; i < tokens.size(); i++) {
                boolean any = false;
                for (BeerAspect b : BeerAspect.values()) {
                    if (a.inRationale(b, i)) {
                        inside.computeIfAbsent(tokens.get(i), w -> EnumSet.noneOf(BeerAspect.class))
                                .add(b);
                        any = true;
                    }
                }
                if (!any) {
                    outside.add(tokens.get(i));
                }
            }
        }
        int own = 0;
        for (Map.Entry<String, Set<BeerAspect>> e : inside.entrySet()) {
            own += e.getValue().size() == 1 && !outside.contains(e.getKey()) ? 1 : 0;
        }
        Set<String> vocabulary = new LinkedHashSet<>(outside);
        vocabulary.addAll(inside.keySet());
        double[] y =
                g.train().stream().mapToDouble(a -> a.review().score(aspect)).toArray();
        double yMean = Moments.mean(y);
        Map<BeerAspect, Double> correlations = new EnumMap<>(BeerAspect.class);
        for (BeerAspect b : BeerAspect.values()) {
            double[] x =
                    g.train().stream().mapToDouble(a -> a.review().score(b)).toArray();
            correlations.put(b, correlation(y, x));
        }
        return new Stats(
                new int[] {g.train().size(), g.heldout().size(), annotated.size()},
                meanLength,
                sd,
                (int) sorted[Math.max(0, (int) Math.ceil(0.95 * sorted.length) - 1)],
                rationale / annotated.size(),
                share / annotated.size(),
                vocabulary.size(),
                own,
                inside.size() - own,
                yMean,
                Moments.variance(y),
                correlations);
    }

    private static double correlation(double[] a, double[] b) {
        double ma = Moments.mean(a);
        double mb = Moments.mean(b);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static List<BeerReview> reviews(List<AnnotatedReview> annotated) {
        return annotated.stream().map(AnnotatedReview::review).toList();
    }

    /** Every word the planted design can write, in a fixed order. */
    static List<String> vocabulary() {
        Set<String> words = new LinkedHashSet<>(List.of("the", "a", "not", "and", "."));
        NOUNS.values().forEach(words::addAll);
        for (List<String> l : List.of(POSITIVE_1, POSITIVE_2, NEGATIVE_1, NEGATIVE_2, VERBS)) {
            words.addAll(l);
        }
        FILLERS.forEach(words::addAll);
        return List.copyOf(words);
    }

    private Map<String, float[]> vectors(SplittableRandom random) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (String word : vocabulary()) {
            float[] v = new float[dimensions];
            for (int i = 0; i < dimensions; i++) {
                v[i] = (float) random.nextGaussian();
            }
            vectors.put(word, v);
        }
        return vectors;
    }

    private static <T> T pick(SplittableRandom random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** A polarity word whose sign follows the aspect's latent polarity u (P(positive) = sigmoid(2u)). */
    private static String polarityWord(SplittableRandom random, double u) {
        boolean positive = random.nextDouble() < 1 / (1 + Math.exp(-2 * u));
        boolean strong = random.nextBoolean();
        return pick(random, positive ? (strong ? POSITIVE_2 : POSITIVE_1) : (strong ? NEGATIVE_2 : NEGATIVE_1));
    }

    /** One aspect sentence and its mean signed strength. */
    private record Sentence(List<String> tokens, double polarity) {}

    private static Sentence sentence(SplittableRandom random, BeerAspect aspect, double u) {
        String noun = pick(random, NOUNS.get(aspect));
        double form = random.nextDouble();
        if (form < 0.5) {
            boolean negated = random.nextDouble() < 0.3;
            // a negated word is drawn against u, so "not ADJ" still follows the aspect's polarity
            String adj = polarityWord(random, negated ? -u : u);
            List<String> tokens = new ArrayList<>(List.of("the", noun, pick(random, VERBS)));
            if (negated) {
                tokens.add("not");
            }
            tokens.add(adj);
            return new Sentence(tokens, negated ? -0.5 * strength(adj) : strength(adj));
        }
        if (form < 0.8) {
            String adj = polarityWord(random, u);
            return new Sentence(List.of("a", adj, noun), strength(adj));
        }
        String first = polarityWord(random, u);
        String second = polarityWord(random, u);
        return new Sentence(
                List.of("the", noun, pick(random, VERBS), first, "and", second),
                (strength(first) + strength(second)) / 2.0);
    }

    private static AnnotatedReview planted(SplittableRandom random) {
        double quality = random.nextGaussian();
        List<List<String>> sentences = new ArrayList<>();
        List<BeerAspect> owners = new ArrayList<>();
        double[] scores = new double[BeerAspect.SCORES];
        for (BeerAspect a : BeerAspect.values()) {
            double u = 0.6 * quality + 0.8 * random.nextGaussian();
            Sentence s = sentence(random, a, u);
            double score = 0.5 + 0.2 * s.polarity() + 0.02 * random.nextGaussian();
            scores[a.column()] = Math.rint(100 * Math.min(1, Math.max(0, score))) / 100;
            sentences.add(s.tokens());
            owners.add(a);
        }
        scores[BeerAspect.SCORES - 1] = Math.rint(25 * (scores[0] + scores[1] + scores[2] + scores[3])) / 100;
        int fillers = 3 + random.nextInt(4);
        for (int i = 0; i < fillers; i++) {
            sentences.add(pick(random, FILLERS));
            owners.add(null);
        }
        // Fisher-Yates over the sentences, owners alongside
        for (int i = sentences.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            List<String> s = sentences.get(i);
            sentences.set(i, sentences.get(j));
            sentences.set(j, s);
            BeerAspect o = owners.get(i);
            owners.set(i, owners.get(j));
            owners.set(j, o);
        }
        List<String> tokens = new ArrayList<>();
        Map<BeerAspect, List<int[]>> spans = new EnumMap<>(BeerAspect.class);
        for (int i = 0; i < sentences.size(); i++) {
            int start = tokens.size();
            tokens.addAll(sentences.get(i));
            if (owners.get(i) != null) {
                spans.put(owners.get(i), List.of(new int[] {start, tokens.size()}));
            }
            tokens.add(".");
        }
        return new AnnotatedReview(new BeerReview(scores, tokens), spans);
    }
}
