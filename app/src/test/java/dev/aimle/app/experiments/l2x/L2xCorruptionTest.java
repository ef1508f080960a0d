package dev.aimle.app.experiments.l2x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BeerAdvocate files are verified whole: text must be UTF-8 (a bad byte is refused naming its line,
 * not replaced), a gzip member's CRC is checked, and empty sets are refused instead of reported as
 * losses or precisions of 0.
 */
class L2xCorruptionTest {
    private static final RationaleTask SMALL = new RationaleTask(RationaleTask.Design.PLANTED, 30, 10, 6, 4, 7);

    @TempDir
    Path dir;

    @Test
    void aByteThatIsNotUtf8IsRefusedNamingFileAndLine() throws IOException {
        Path file = dir.resolve("reviews.txt");
        byte[] good = "0.5 0.5 0.5 0.5 0.5\tthe head is great .\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "0.5 0.5 0.5 0.5 0.5\tthe head is gr\u00e9at .\n".getBytes(StandardCharsets.ISO_8859_1);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(good);
            out.write(bad);
            out.write(good);
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BeerAdvocateFiles.readReviews(file));
        assertEquals(
                file + ", line 2: not UTF-8 text (byte 35 of the line is 0xe9); the files are read as UTF-8",
                e.getMessage());
    }

    @Test
    void aGzipFileWithABadCrcIsRefused() throws IOException {
        Path plain = dir.resolve("plain.txt");
        BeerAdvocateFiles.writeReviews(
                plain,
                SMALL.generate().train().stream().map(AnnotatedReview::review).toList());
        Path gz = dir.resolve("reviews.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        byte[] bytes = Files.readAllBytes(gz);
        bytes[bytes.length - 6] ^= 0x01;
        Files.write(gz, bytes);
        IOException e = assertThrows(IOException.class, () -> BeerAdvocateFiles.readReviews(gz));
        assertTrue(e.getMessage().startsWith(gz + " is damaged: its gzip data does not check out ("), e.getMessage());
    }

    @Test
    void emptyTrainingReviewsOrAnnotationsAreRefused() throws IOException {
        SMALL.write(dir);
        BeerAspect aspect = BeerAspect.AROMA;
        Path train = dir.resolve(BeerAdvocateFiles.trainFile(aspect));
        byte[] reviews = Files.readAllBytes(train);
        Files.write(train, new byte[0]);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> L2xData.load(dir, aspect, 32, 1, 0));
        assertEquals(train + " holds no reviews", e.getMessage());

        Files.write(train, reviews);
        Path annotations = dir.resolve(BeerAdvocateFiles.ANNOTATIONS);
        Files.writeString(annotations, "\n");
        e = assertThrows(IllegalArgumentException.class, () -> L2xData.load(dir, aspect, 32, 1, 0));
        assertEquals(annotations + " holds no annotated reviews", e.getMessage());
    }

    @Test
    void annotationsWithoutAnyRationaleForTheAspectAreRefused() throws IOException {
        SMALL.write(dir);
        Path annotations = dir.resolve(BeerAdvocateFiles.ANNOTATIONS);
        // every span list of aroma emptied
        ObjectMapper json = new ObjectMapper();
        StringBuilder stripped = new StringBuilder();
        for (String line : Files.readAllLines(annotations)) {
            ObjectNode node = (ObjectNode) json.readTree(line);
            node.putArray(Integer.toString(BeerAspect.AROMA.column()));
            stripped.append(json.writeValueAsString(node)).append('\n');
        }
        Files.writeString(annotations, stripped);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> L2xData.load(dir, BeerAspect.AROMA, 32, 1, 0));
        assertEquals(
                annotations + " marks no rationale for the aspect " + BeerAspect.AROMA
                        + ": its subset precision would be measured over nothing",
                e.getMessage());
    }

    @Test
    void aFullDiskNamesTheFile() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "needs Linux's /dev/full");
        IOException e = assertThrows(
                IOException.class,
                () -> BeerAdvocateFiles.writeReviews(
                        full,
                        SMALL.generate().train().stream()
                                .map(AnnotatedReview::review)
                                .toList()));
        assertTrue(e.getMessage().startsWith("cannot write /dev/full: "), e.getMessage());
    }
}
