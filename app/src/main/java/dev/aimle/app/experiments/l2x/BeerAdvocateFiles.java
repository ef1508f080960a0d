package dev.aimle.app.experiments.l2x;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The file formats of the BeerAdvocate rationale data (McAuley, Leskovec and Jurafsky 2012, as
 * prepared by Lei, Barzilay and Jaakkola 2016 and used by Chen et al. 2018, Paulus et al. 2020 and
 * the AAAI-23 paper), read and written:
 *
 * <ul>
 *   <li><b>reviews</b> ({@code reviews.aspect1.train.txt}, {@code reviews.aspect1.heldout.txt}):
 *       one review a line, five scores in [0, 1] separated by spaces, a tab, then the tokens
 *       separated by spaces;
 *   <li><b>annotations</b> ({@code annotations.json}): one JSON object a line, {@code "x"} the
 *       tokens, {@code "y"} the five scores, and for each aspect column {@code "0"} to {@code "3"}
 *       (optionally {@code "4"}) a list of token spans {@code [start, end)};
 *   <li><b>embeddings</b> ({@code review+wiki.filtered.200.txt}): a word and its vector, separated
 *       by spaces, one a line, every line the same width.
 * </ul>
 *
 * Text is UTF-8: a malformed byte is refused naming its line. A name ending in {@code .gz} is read
 * through gzip, to the end (its CRC-32 is checked). Every malformed line is refused with an
 * {@link IllegalArgumentException} naming the file, the line number, the value and what was
 * expected.
 */
public final class BeerAdvocateFiles {
    /** The training reviews of an aspect. */
    public static String trainFile(BeerAspect aspect) {
        return "reviews.aspect" + aspect.column() + ".train.txt";
    }

    /** The held-out reviews of an aspect (split into validation and test halves per seed). */
    public static String heldoutFile(BeerAspect aspect) {
        return "reviews.aspect" + aspect.column() + ".heldout.txt";
    }

    /** The annotated reviews. */
    public static final String ANNOTATIONS = "annotations.json";

    /** The pre-trained word vectors of Lei et al. (200 numbers a word). */
    public static final String EMBEDDINGS = "review+wiki.filtered.200.txt";

    private static final ObjectMapper JSON = new ObjectMapper();

    private BeerAdvocateFiles() {}

    /**
     * {@code dir/name}, or {@code dir/name.gz} if only that exists.
     *
     * @throws IllegalArgumentException naming both if neither exists
     */
    public static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new IllegalArgumentException(plain + " (or " + gz.getFileName() + ") is missing. Maybe --data names"
                + " the wrong directory: it must hold the BeerAdvocate files of Lei et al. 2016 (reviews.aspectN"
                + ".train.txt, reviews.aspectN.heldout.txt, annotations.json, review+wiki.filtered.200.txt);"
                + " without --data the generated task is used");
    }

    /** Reads a review file. */
    public static List<BeerReview> readReviews(Path file) throws IOException {
        List<BeerReview> reviews = new ArrayList<>();
        try (Lines in = new Lines(file)) {
            for (String line = in.next(); line != null; line = in.next()) {
                int number = in.number();
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    throw bad(file, number, "no tab between the scores and the tokens", line);
                }
                double[] scores =
                        scores(file, number, line.substring(0, tab).strip().split(" +"));
                List<String> tokens = tokens(line.substring(tab + 1));
                if (tokens.isEmpty()) {
                    throw bad(file, number, "no tokens after the tab", line);
                }
                reviews.add(new BeerReview(scores, tokens));
            }
        }
        return reviews;
    }

    /** Reads an annotations file. */
    public static List<AnnotatedReview> readAnnotations(Path file) throws IOException {
        List<AnnotatedReview> reviews = new ArrayList<>();
        try (Lines in = new Lines(file)) {
            for (String line = in.next(); line != null; line = in.next()) {
                int number = in.number();
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw bad(file, number, "not JSON (" + e.getOriginalMessage() + ")", line);
                }
                if (!node.isObject()
                        || !node.path("x").isArray()
                        || node.path("x").isEmpty()) {
                    throw bad(file, number, "expected an object with a non-empty token list \"x\"", line);
                }
                List<String> tokens = new ArrayList<>();
                node.get("x").forEach(t -> tokens.add(t.asText()));
                double[] scores = new double[BeerAspect.SCORES];
                JsonNode y = node.path("y");
                if (y.isArray()) {
                    if (y.size() != BeerAspect.SCORES) {
                        throw bad(
                                file,
                                number,
                                "\"y\" holds " + y.size() + " scores, expected " + BeerAspect.SCORES,
                                line);
                    }
                    for (int i = 0; i < scores.length; i++) {
                        scores[i] = y.get(i).asDouble();
                    }
                }
                Map<BeerAspect, List<int[]>> spans = new EnumMap<>(BeerAspect.class);
                for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (key.equals("x") || key.equals("y") || key.equals(Integer.toString(BeerAspect.SCORES - 1))) {
                        continue;
                    }
                    BeerAspect aspect;
                    try {
                        aspect = BeerAspect.parse(key);
                    } catch (IllegalArgumentException e) {
                        throw bad(file, number, "unknown aspect key \"" + key + "\", expected 0-4, x or y", line);
                    }
                    spans.put(aspect, spans(file, number, node.get(key), tokens.size(), line));
                }
                reviews.add(new AnnotatedReview(new BeerReview(scores, tokens), spans));
            }
        }
        return reviews;
    }

    private static List<int[]> spans(Path file, int number, JsonNode value, int tokens, String line) {
        if (!value.isArray()) {
            throw bad(file, number, "spans must be a list of [start, end] pairs, got " + value, line);
        }
        List<int[]> spans = new ArrayList<>();
        for (JsonNode span : value) {
            if (!span.isArray()
                    || span.size() != 2
                    || !span.get(0).isIntegralNumber()
                    || !span.get(1).isIntegralNumber()) {
                throw bad(file, number, "a span must be a pair of whole numbers [start, end], got " + span, line);
            }
            int start = span.get(0).asInt();
            int end = span.get(1).asInt();
            if (start < 0 || start >= end || end > tokens) {
                throw bad(
                        file,
                        number,
                        "span [" + start + ", " + end + "] is out of range: expected 0 <= start < end <= " + tokens
                                + " (the number of tokens)",
                        line);
            }
            spans.add(new int[] {start, end});
        }
        return spans;
    }

    /**
     * Reads word vectors.
     *
     * @param expectedWidth the numbers a line must hold, or 0 for as many as the first line holds
     * @return the vectors by word, in file order
     */
    public static Map<String, float[]> readEmbeddings(Path file, int expectedWidth) throws IOException {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        int width = expectedWidth;
        try (Lines in = new Lines(file)) {
            for (String line = in.next(); line != null; line = in.next()) {
                int number = in.number();
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.strip().split(" +");
                if (width == 0) {
                    width = parts.length - 1;
                    if (width < 1) {
                        throw bad(file, number, "a word without numbers", line);
                    }
                }
                if (parts.length - 1 != width) {
                    throw bad(
                            file,
                            number,
                            "the vector of '" + parts[0] + "' has " + (parts.length - 1) + " numbers, expected " + width
                                    + (expectedWidth == 0 ? " (as on the first line)" : ""),
                            line);
                }
                float[] v = new float[width];
                for (int i = 0; i < width; i++) {
                    try {
                        v[i] = Float.parseFloat(parts[i + 1]);
                    } catch (NumberFormatException e) {
                        throw bad(
                                file,
                                number,
                                "number " + (i + 1) + " of '" + parts[0] + "' is '" + parts[i + 1] + "', not a number",
                                line);
                    }
                    if (!Float.isFinite(v[i])) {
                        throw bad(file, number, "number " + (i + 1) + " of '" + parts[0] + "' is not finite", line);
                    }
                }
                vectors.put(parts[0], v);
            }
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no word vectors");
        }
        return vectors;
    }

    /** Writes reviews in the review-file format. */
    public static void writeReviews(Path file, List<BeerReview> reviews) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (BeerReview r : reviews) {
                double[] s = r.scores();
                for (int i = 0; i < s.length; i++) {
                    out.write((i == 0 ? "" : " ") + number(s[i]));
                }
                out.write("\t" + String.join(" ", r.tokens()) + "\n");
            }
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /** Writes annotated reviews in the annotations format. */
    public static void writeAnnotations(Path file, List<AnnotatedReview> reviews) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (AnnotatedReview r : reviews) {
                ObjectNode node = JSON.createObjectNode();
                ArrayNode x = node.putArray("x");
                r.review().tokens().forEach(x::add);
                ArrayNode y = node.putArray("y");
                Arrays.stream(r.review().scores()).forEach(y::add);
                for (BeerAspect a : BeerAspect.values()) {
                    ArrayNode list = node.putArray(Integer.toString(a.column()));
                    for (int[] span : r.spans().getOrDefault(a, List.of())) {
                        list.addArray().add(span[0]).add(span[1]);
                    }
                }
                out.write(JSON.writeValueAsString(node) + "\n");
            }
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /** Writes word vectors in the embeddings format. */
    public static void writeEmbeddings(Path file, Map<String, float[]> vectors) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                StringBuilder sb = new StringBuilder(e.getKey());
                for (float v : e.getValue()) {
                    sb.append(' ').append(v);
                }
                out.write(sb.append('\n').toString());
            }
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static double[] scores(Path file, int number, String[] parts) {
        String line = String.join(" ", parts);
        if (parts.length != BeerAspect.SCORES) {
            throw bad(file, number, parts.length + " scores before the tab, expected " + BeerAspect.SCORES, line);
        }
        double[] scores = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                scores[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw bad(file, number, "score " + (i + 1) + " is '" + parts[i] + "', not a number", line);
            }
            if (!(scores[i] >= 0 && scores[i] <= 1)) {
                throw bad(file, number, "score " + (i + 1) + " is " + parts[i] + ", expected a number in [0, 1]", line);
            }
        }
        return scores;
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (String t : text.strip().split(" +")) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        return tokens;
    }

    /**
     * The lines of a file, each decoded strictly as UTF-8 on its own, so that a malformed byte is
     * refused naming its line (a decoding reader would replace it silently, or report it a buffer
     * ahead). A {@code .gz} file is read through gzip to the end of its member, which checks its
     * CRC-32 and length.
     */
    private static final class Lines implements Closeable {
        private final Path file;
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private int number;

        Lines(Path file) throws IOException {
            this.file = file;
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            this.in = file.getFileName().toString().endsWith(".gz")
                    ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                    : raw;
        }

        /** The next line without its terminator, or null at the end. */
        String next() throws IOException {
            line.reset();
            int b;
            try {
                for (b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                    line.write(b);
                }
            } catch (ZipException e) {
                throw new IOException(
                        file + " is damaged: its gzip data does not check out (" + e.getMessage() + ")", e);
            }
            if (b == -1 && line.size() == 0) {
                return null;
            }
            number++;
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            ByteBuffer source = ByteBuffer.wrap(bytes, 0, length);
            CharBuffer text = CharBuffer.allocate(length);
            decoder.reset();
            CoderResult result = decoder.decode(source, text, true);
            if (result.isError()) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "%s, line %d: not UTF-8 text (byte %d of the line is 0x%02x); the files are read as UTF-8",
                        file,
                        number,
                        source.position() + 1,
                        bytes[source.position()] & 0xFF));
            }
            decoder.flush(text);
            return text.flip().toString();
        }

        /** The number of the line {@link #next} returned last, from 1. */
        int number() {
            return number;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A failed write named by its file: a full disk says only "No space left on device". */
    private static IOException cannotWrite(Path file, IOException e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return cause.contains(file.toString()) ? e : new IOException("cannot write " + file + ": " + cause, e);
    }

    private static IllegalArgumentException bad(Path file, int line, String what, String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return new IllegalArgumentException(file + ", line " + line + ": " + what + " (the line: '" + shown + "')");
    }
}
