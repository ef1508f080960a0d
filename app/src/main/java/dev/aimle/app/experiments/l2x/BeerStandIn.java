package dev.aimle.app.experiments.l2x;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The {@code beer} design of the generated task: reviews with the published statistics of Lei et al.'s
 * BeerAdvocate data (README, "Learning to explain": the figures and where each comes from).
 *
 * <p><b>A review</b> is written like a BeerAdvocate one: an opening of neutral sentences ("poured
 * from a bottle into a tulip"), then a block per aspect (appearance, aroma, taste, palate in the
 * site's order, in a random order for {@link #SHUFFLED} of the reviews), an overall sentence for
 * {@link #OVERALL} of them and closing neutral sentences. An aspect's block is one to four sentences
 * (uniform), each naming the aspect with one of its nouns ({@code nose}, {@code smell}, ... for
 * aroma), listing descriptors and rating it with one or two sentiment words. The aroma's block,
 * without its full stops, is the aroma's rationale: about 2.5 sentences of about 9 tokens, 15 % of a
 * review of about 145 tokens, as in the annotated test set.
 *
 * <p><b>The vocabulary</b> has aspect-specific words (nouns, descriptors and sentiment words:
 * {@code fragrant} and {@code skunky} rate aromas only) and shared ones: descriptors shared by aroma
 * and taste ({@code citrus}, {@code caramel}, as in real reviews, where the smell and the taste
 * name the same things), sentiment words of every aspect ({@code great}, {@code bland}), function
 * words and the neutral sentences. Which {@code great} rates the aroma depends on the sentence it
 * stands in.
 *
 * <p><b>The scores.</b> Each aspect has a latent quality {@code u = sqrt(rho) q + sqrt(1 - rho) e}
 * with one review-wide {@code q}, so that the latent qualities of two aspects correlate by
 * {@link #RHO}, the low correlation of Lei et al.'s decorrelated subsets (an assumption: README).
 * Each sentiment word of the aspect is positive with probability {@code sigmoid(2.5 u)} and strong
 * (strength 2 instead of 1) with probability 1/2; the aspect's score is {@code clip(0.6 + 0.15 m +
 * N(0, 0.03^2), 0, 1)} rounded to 0.1 as the site's half-stars over 5 are, with {@code m} the mean
 * signed strength of the aspect's own sentiment words: the aspect's sentences alone decide it. The
 * overall sentence rates the mean of the four latent qualities with shared sentiment words, so it
 * predicts every aspect a little, as in real reviews.
 *
 * <p><b>Word vectors</b> stand in for pre-trained ones: {@code N(0, 0.5^2)} per entry, plus a
 * direction per aspect for that aspect's words and a sentiment direction times the signed strength
 * for sentiment words, so that similar words are close as in trained vectors.
 */
final class BeerStandIn {
    private BeerStandIn() {}

    /** The correlation between two aspects' latent qualities. */
    static final double RHO = 0.2;
    /** The share of reviews whose aspect blocks come in a random order. */
    static final double SHUFFLED = 0.3;
    /** The share of reviews with an overall sentence. */
    static final double OVERALL = 0.7;
    /** The fewest and most sentences of an aspect's block. */
    static final int MIN_SENTENCES = 1;

    static final int MAX_SENTENCES = 4;
    /** The fewest and most neutral sentences of a review (opening and closing together). */
    static final int MIN_NEUTRAL = 2;

    static final int MAX_NEUTRAL = 8;

    /** The aspects in the order BeerAdvocate's review form lists them. */
    private static final List<BeerAspect> SITE_ORDER =
            List.of(BeerAspect.APPEARANCE, BeerAspect.AROMA, BeerAspect.TASTE, BeerAspect.PALATE);

    static final Map<BeerAspect, List<String>> NOUNS = new EnumMap<>(Map.of(
            BeerAspect.APPEARANCE, List.of("appearance", "look", "color", "head", "lacing", "clarity"),
            BeerAspect.AROMA, List.of("aroma", "smell", "nose", "scent", "bouquet", "whiff"),
            BeerAspect.PALATE, List.of("mouthfeel", "palate", "body", "carbonation", "texture", "feel"),
            BeerAspect.TASTE, List.of("taste", "flavor", "flavors", "finish", "aftertaste", "sip")));

    /** Descriptors only one aspect uses. */
    static final Map<BeerAspect, List<String>> OWN_DESCRIPTORS = new EnumMap<>(Map.of(
            BeerAspect.APPEARANCE, List.of("amber", "golden", "copper", "hazy", "ruby", "tan", "white", "opaque"),
            BeerAspect.AROMA, List.of("floral", "grassy", "perfume", "earthy", "herbal", "musk", "yeast", "spicy"),
            BeerAspect.PALATE, List.of("medium", "light", "full", "prickly", "coating", "lively", "soft", "dry"),
            BeerAspect.TASTE, List.of("bitter", "sweet", "tart", "sour", "roasty", "boozy", "salty", "nutty")));

    /** Descriptors the aroma and the taste share. */
    static final List<String> SHARED_DESCRIPTORS = List.of(
            "citrus",
            "caramel",
            "toffee",
            "malt",
            "hops",
            "pine",
            "grapefruit",
            "coffee",
            "chocolate",
            "bread",
            "banana",
            "clove",
            "vanilla",
            "oak");

    /** Sentiment words only one aspect uses, strengths -2, -1, +1, +2 (two words each). */
    static final Map<BeerAspect, List<List<String>>> OWN_SENTIMENT = new EnumMap<>(Map.of(
            BeerAspect.APPEARANCE,
            List.of(
                    List.of("unappealing", "ugly"),
                    List.of("murky", "dingy"),
                    List.of("inviting", "attractive"),
                    List.of("stunning", "gorgeous")),
            BeerAspect.AROMA,
            List.of(
                    List.of("skunky", "rotten"),
                    List.of("muted", "faint"),
                    List.of("fragrant", "aromatic"),
                    List.of("intoxicating", "heavenly")),
            BeerAspect.PALATE,
            List.of(
                    List.of("harsh", "syrupy"),
                    List.of("watery", "flat"),
                    List.of("smooth", "crisp"),
                    List.of("silky", "velvety")),
            BeerAspect.TASTE,
            List.of(
                    List.of("disgusting", "undrinkable"),
                    List.of("metallic", "stale"),
                    List.of("tasty", "flavorful"),
                    List.of("delicious", "outstanding"))));

    /** Sentiment words of every aspect, strengths -2, -1, +1, +2. */
    static final List<List<String>> SHARED_SENTIMENT = List.of(
            List.of("awful", "terrible", "horrible", "nasty"),
            List.of("bland", "weak", "dull", "mediocre"),
            List.of("good", "nice", "decent", "pleasant"),
            List.of("great", "excellent", "wonderful", "amazing"));

    static final List<List<String>> NEUTRAL = List.of(
            List.of("poured", "from", "a", "bottle", "into", "a", "tulip"),
            List.of("had", "this", "one", "on", "tap", "at", "a", "local", "bar", "last", "night"),
            List.of("thanks", "to", "a", "friend", "for", "sharing", "this", "bottle"),
            List.of("served", "slightly", "chilled", "in", "a", "pint", "glass"),
            List.of("bought", "a", "six", "pack", "at", "the", "store", "last", "week"),
            List.of("the", "label", "says", "it", "is", "brewed", "in", "small", "batches"),
            List.of("drank", "it", "with", "dinner", "on", "a", "cold", "evening"),
            List.of("my", "first", "beer", "from", "this", "brewery"),
            List.of("shared", "with", "my", "brother", "while", "watching", "the", "game"),
            List.of("it", "comes", "in", "a", "brown", "bottle", "with", "a", "dated", "cap"),
            List.of("cellared", "for", "about", "a", "year", "before", "opening"),
            List.of("review", "from", "notes", "taken", "at", "a", "tasting"),
            List.of("this", "is", "a", "seasonal", "release", "from", "a", "small", "brewery"),
            List.of("picked", "up", "a", "single", "in", "a", "mixed", "case"),
            List.of("the", "bottle", "has", "no", "date", "on", "it"),
            List.of("price", "was", "fair", "for", "a", "bomber"),
            List.of("i", "will", "have", "to", "look", "for", "it", "again"),
            List.of("a", "style", "i", "do", "not", "drink", "often"));

    /**
     * The most heap one review takes: at most 4 blocks of 4 sentences of 13 tokens, an overall
     * sentence and 8 neutral ones of 11 tokens (about 320 token references and their list), its
     * scores and spans, well under this.
     */
    static final int REVIEW_BYTES = 4096;

    /** Every word the design can write, in a fixed order. */
    static List<String> vocabulary() {
        Set<String> words = new LinkedHashSet<>(List.of(
                ".", ",", ":", "the", "a", "is", "with", "of", "and", "some", "hints", "notes", "lots", "in", "quite",
                "very", "has", "overall", "beer"));
        for (BeerAspect a : BeerAspect.values()) {
            words.addAll(NOUNS.get(a));
            words.addAll(OWN_DESCRIPTORS.get(a));
            OWN_SENTIMENT.get(a).forEach(words::addAll);
        }
        words.addAll(SHARED_DESCRIPTORS);
        SHARED_SENTIMENT.forEach(words::addAll);
        NEUTRAL.forEach(words::addAll);
        return List.copyOf(words);
    }

    private static final int[] SIGNED = {-2, -1, 1, 2};

    /** The signed strength of every sentiment word. */
    private static final Map<String, Integer> STRENGTHS = strengths();

    /** The aspect of every aspect-specific word. */
    private static final Map<String, BeerAspect> OWNERS = owners();

    private static Map<String, Integer> strengths() {
        Map<String, Integer> m = new HashMap<>();
        List<List<List<String>>> lists = new ArrayList<>(OWN_SENTIMENT.values());
        lists.add(SHARED_SENTIMENT);
        for (List<List<String>> byStrength : lists) {
            for (int s = 0; s < byStrength.size(); s++) {
                for (String w : byStrength.get(s)) {
                    m.put(w, SIGNED[s]);
                }
            }
        }
        return Map.copyOf(m);
    }

    private static Map<String, BeerAspect> owners() {
        Map<String, BeerAspect> m = new HashMap<>();
        for (BeerAspect a : BeerAspect.values()) {
            NOUNS.get(a).forEach(w -> m.put(w, a));
            OWN_DESCRIPTORS.get(a).forEach(w -> m.put(w, a));
            OWN_SENTIMENT.get(a).forEach(l -> l.forEach(w -> m.put(w, a)));
        }
        return Map.copyOf(m);
    }

    /** The signed strength of a sentiment word, 0 for any other word. */
    static int strength(String word) {
        return STRENGTHS.getOrDefault(word, 0);
    }

    /** The aspect whose own words include this one, or null for a shared word. */
    static BeerAspect owner(String word) {
        return OWNERS.get(word);
    }

    /** The word vectors (see the class comment). */
    static Map<String, float[]> vectors(int dimensions, SplittableRandom random) {
        float[][] aspectDirections = new float[BeerAspect.values().length][];
        for (int a = 0; a < aspectDirections.length; a++) {
            aspectDirections[a] = gaussian(dimensions, random, 1);
        }
        float[] sentiment = gaussian(dimensions, random, 1);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (String word : vocabulary()) {
            float[] v = gaussian(dimensions, random, 0.5);
            BeerAspect owner = owner(word);
            int s = strength(word);
            for (int i = 0; i < dimensions; i++) {
                v[i] += (owner == null ? 0 : aspectDirections[owner.ordinal()][i]) + 0.5f * s * sentiment[i];
            }
            vectors.put(word, v);
        }
        return vectors;
    }

    private static float[] gaussian(int n, SplittableRandom random, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sd * random.nextGaussian());
        }
        return v;
    }

    private static <T> T pick(SplittableRandom random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** A sentiment word rating latent quality u: own or shared (half each), its sign following u. */
    private static String sentimentWord(SplittableRandom random, BeerAspect aspect, double u, boolean ownAllowed) {
        boolean positive = random.nextDouble() < 1 / (1 + Math.exp(-2.5 * u));
        boolean strong = random.nextBoolean();
        int s = positive ? (strong ? 3 : 2) : (strong ? 0 : 1);
        boolean own = ownAllowed && random.nextBoolean();
        return pick(random, own ? OWN_SENTIMENT.get(aspect).get(s) : SHARED_SENTIMENT.get(s));
    }

    private static String descriptor(SplittableRandom random, BeerAspect aspect) {
        boolean shared = (aspect == BeerAspect.AROMA || aspect == BeerAspect.TASTE) && random.nextDouble() < 0.5;
        return pick(random, shared ? SHARED_DESCRIPTORS : OWN_DESCRIPTORS.get(aspect));
    }

    /** One sentence of an aspect's block, in one of six forms of 5 to 13 tokens. */
    private static List<String> sentence(SplittableRandom random, BeerAspect aspect, double u) {
        String noun = pick(random, NOUNS.get(aspect));
        return switch (random.nextInt(6)) {
            case 0 ->
                List.of(
                        "the",
                        noun,
                        "is",
                        sentimentWord(random, aspect, u, true),
                        "with",
                        "hints",
                        "of",
                        descriptor(random, aspect),
                        "and",
                        descriptor(random, aspect));
            case 1 ->
                List.of(
                        noun,
                        ":",
                        sentimentWord(random, aspect, u, true),
                        ",",
                        descriptor(random, aspect),
                        ",",
                        descriptor(random, aspect),
                        "and",
                        descriptor(random, aspect));
            case 2 ->
                List.of(
                        "a",
                        sentimentWord(random, aspect, u, true),
                        noun,
                        "of",
                        descriptor(random, aspect),
                        "and",
                        descriptor(random, aspect));
            case 3 ->
                List.of(
                        "the",
                        noun,
                        "has",
                        "some",
                        descriptor(random, aspect),
                        "notes",
                        "and",
                        "is",
                        "quite",
                        sentimentWord(random, aspect, u, true));
            case 4 ->
                List.of(
                        "lots",
                        "of",
                        descriptor(random, aspect),
                        "and",
                        descriptor(random, aspect),
                        "in",
                        "the",
                        noun,
                        ",",
                        "very",
                        sentimentWord(random, aspect, u, true),
                        "and",
                        sentimentWord(random, aspect, u, true));
            default ->
                List.of(
                        noun,
                        "is",
                        sentimentWord(random, aspect, u, true),
                        "and",
                        sentimentWord(random, aspect, u, true));
        };
    }

    /** One review of the design. */
    static AnnotatedReview review(SplittableRandom random) {
        double q = random.nextGaussian();
        double[] u = new double[BeerAspect.values().length];
        for (int a = 0; a < u.length; a++) {
            u[a] = Math.sqrt(RHO) * q + Math.sqrt(1 - RHO) * random.nextGaussian();
        }
        List<BeerAspect> order = new ArrayList<>(SITE_ORDER);
        if (random.nextDouble() < SHUFFLED) {
            for (int i = order.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                order.set(i, order.set(j, order.get(i)));
            }
        }
        int neutral = MIN_NEUTRAL + random.nextInt(MAX_NEUTRAL - MIN_NEUTRAL + 1);
        int opening = random.nextInt(neutral + 1);
        List<String> tokens = new ArrayList<>();
        Map<BeerAspect, List<int[]>> spans = new EnumMap<>(BeerAspect.class);
        double[] scores = new double[BeerAspect.SCORES];
        for (int i = 0; i < opening; i++) {
            addSentence(tokens, pick(random, NEUTRAL));
        }
        for (BeerAspect a : order) {
            int sentences = MIN_SENTENCES + random.nextInt(MAX_SENTENCES - MIN_SENTENCES + 1);
            List<int[]> aspectSpans = new ArrayList<>();
            int sum = 0;
            int count = 0;
            for (int s = 0; s < sentences; s++) {
                List<String> sentence = sentence(random, a, u[a.ordinal()]);
                for (String w : sentence) {
                    int st = strength(w);
                    if (st != 0) {
                        sum += st;
                        count++;
                    }
                }
                int start = tokens.size();
                addSentence(tokens, sentence);
                // the span leaves the full stop out, as the planted design does
                aspectSpans.add(new int[] {start, tokens.size() - 1});
            }
            spans.put(a, aspectSpans);
            double score = 0.6 + 0.15 * sum / count + 0.03 * random.nextGaussian();
            scores[a.column()] = Math.rint(10 * Math.min(1, Math.max(0, score))) / 10;
        }
        scores[BeerAspect.SCORES - 1] = Math.rint(25 * (scores[0] + scores[1] + scores[2] + scores[3])) / 100;
        if (random.nextDouble() < OVERALL) {
            double mean = (u[0] + u[1] + u[2] + u[3]) / 4;
            addSentence(tokens, List.of("overall", "a", sentimentWord(random, null, mean, false), "beer"));
        }
        for (int i = opening; i < neutral; i++) {
            addSentence(tokens, pick(random, NEUTRAL));
        }
        return new AnnotatedReview(new BeerReview(scores, tokens), spans);
    }

    private static void addSentence(List<String> tokens, List<String> sentence) {
        tokens.addAll(sentence);
        tokens.add(".");
    }
}
