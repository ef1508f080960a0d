package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BeerAdvocate file formats on small generated files: the generated task written in them and
 * read back is the same data, gzip is read, and every malformed input is refused naming the file,
 * the line and the value.
 */
class BeerAdvocateFilesTest {
    @TempDir
    Path dir;

    private static final RationaleTask SMALL = new RationaleTask(RationaleTask.Design.PLANTED, 30, 10, 6, 4, 7);

    @Test
    void theGeneratedTaskWrittenInTheFormatsReadsBackAsTheSameData() throws IOException {
        SMALL.write(dir);
        L2xData fromFiles = L2xData.load(dir, BeerAspect.PALATE, 40, 3, 0);
        L2xData inMemory = L2xData.generated(SMALL, BeerAspect.PALATE, 40, 3, 0);
        assertEquals(inMemory.words(), fromFiles.words());
        for (L2xData.Split[] pair : new L2xData.Split[][] {
            {inMemory.train(), fromFiles.train()},
            {inMemory.validation(), fromFiles.validation()},
            {inMemory.test(), fromFiles.test()}
        }) {
            assertArrayEquals(pair[0].scores(), pair[1].scores());
            assertArrayEquals(pair[0].lengths(), pair[1].lengths());
            for (int i = 0; i < pair[0].size(); i++) {
                assertArrayEquals(pair[0].ids()[i], pair[1].ids()[i]);
            }
        }
        assertEquals(5, fromFiles.validation().size(), "the held-out half for validation");
        for (int i = 0; i < inMemory.annotated().size(); i++) {
            assertArrayEquals(
                    inMemory.annotated().get(i).rationale(),
                    fromFiles.annotated().get(i).rationale());
        }
        int[] all = new int[fromFiles.train().size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        assertArrayEquals(
                inMemory.embed(inMemory.train().ids(), all),
                fromFiles.embed(fromFiles.train().ids(), all));
    }

    @Test
    void gzipFilesAreRead() throws IOException {
        Path plain = dir.resolve("r.txt");
        BeerAdvocateFiles.writeReviews(
                plain,
                SMALL.generate().train().stream().map(AnnotatedReview::review).toList());
        Path gz = dir.resolve(BeerAdvocateFiles.trainFile(BeerAspect.AROMA) + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        assertEquals(gz, BeerAdvocateFiles.find(dir, BeerAdvocateFiles.trainFile(BeerAspect.AROMA)));
        assertEquals(30, BeerAdvocateFiles.readReviews(gz).size());
    }

    private IllegalArgumentException refused(String name, String text, Reader reader) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e;
    }

    @FunctionalInterface
    private interface Reader {
        void read(Path file) throws IOException;
    }

    private static void contains(IllegalArgumentException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void malformedReviewLinesAreRefusedNamingFileLineAndValue() throws IOException {
        String good = "0.5 0.6 0.7 0.8 0.9\tthe smell is great\n";
        Reader reviews = BeerAdvocateFiles::readReviews;
        contains(refused("a.txt", good + "0.5 0.6 0.7 0.8 0.9 the smell\n", reviews), "line 2", "no tab");
        contains(refused("b.txt", good + "0.5 0.6 0.7 0.8\tthe smell\n", reviews), "line 2", "4 scores", "expected 5");
        contains(refused("c.txt", "0.5 1.5 0.7 0.8 0.9\tx\n", reviews), "line 1", "score 2 is 1.5", "[0, 1]");
        contains(refused("d.txt", "0.5 good 0.7 0.8 0.9\tx\n", reviews), "line 1", "'good', not a number");
        contains(refused("e.txt", good + good + "0.5 0.6 0.7 0.8 0.9\t  \n", reviews), "line 3", "no tokens");
    }

    @Test
    void malformedAnnotationsAreRefusedNamingFileLineAndValue() throws IOException {
        String good = "{\"x\": [\"a\", \"b\", \"c\"], \"y\": [0.1, 0.2, 0.3, 0.4, 0.5], \"1\": [[0, 2]]}\n";
        Reader annotations = BeerAdvocateFiles::readAnnotations;
        contains(refused("a.json", good + "{\"x\": [\"a\"], \n", annotations), "line 2", "not JSON");
        contains(
                refused("b.json", good + good.replace("\"1\"", "\"7\""), annotations),
                "line 2",
                "unknown aspect key \"7\"");
        contains(
                refused("c.json", good.replace("[[0, 2]]", "[[1, 9]]"), annotations),
                "line 1",
                "span [1, 9]",
                "out of range",
                "<= 3");
        contains(refused("d.json", good.replace("[[0, 2]]", "[[2, 2]]"), annotations), "line 1", "span [2, 2]");
        contains(
                refused("e.json", good.replace("[\"a\", \"b\", \"c\"]", "[]"), annotations),
                "line 1",
                "non-empty token list");
        List<AnnotatedReview> read = BeerAdvocateFiles.readAnnotations(write("ok.json", good));
        assertTrue(read.get(0).inRationale(BeerAspect.AROMA, 1) && !read.get(0).inRationale(BeerAspect.AROMA, 2));
    }

    @Test
    void embeddingLinesOfTheWrongWidthAreRefused() throws IOException {
        Reader widthFromFirst = f -> BeerAdvocateFiles.readEmbeddings(f, 0);
        contains(
                refused("a.txt", "good 1 2 3\nbad 1 2\n", widthFromFirst),
                "line 2",
                "'bad' has 2 numbers",
                "expected 3");
        Reader width200 = f -> BeerAdvocateFiles.readEmbeddings(f, 200);
        contains(refused("b.txt", "good 1 2 3\n", width200), "line 1", "has 3 numbers, expected 200");
        contains(refused("c.txt", "good 1 x 3\n", widthFromFirst), "line 1", "'x', not a number");
        Map<String, float[]> ok = BeerAdvocateFiles.readEmbeddings(write("ok.txt", "a 1 2\nb 3 4\n"), 0);
        assertArrayEquals(new float[] {3, 4}, ok.get("b"));
    }

    @Test
    void unknownAspectsAndMissingFilesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BeerAspect.parse("smell"));
        contains(e, "unknown aspect 'smell'", "appearance, aroma, palate, taste");
        assertEquals(BeerAspect.AROMA, BeerAspect.parse("1"));
        e = assertThrows(IllegalArgumentException.class, () -> BeerAdvocateFiles.find(dir, "annotations.json"));
        contains(e, "annotations.json", "is missing", "Maybe --data");
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
