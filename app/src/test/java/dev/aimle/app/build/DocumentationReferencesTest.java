package dev.aimle.app.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sources point only at documents the repository ships: no javadoc or comment refers to a
 * design note that is not in it (the design notes, issue 26 item 7).
 */
class DocumentationReferencesTest {
    /** Spelled in two pieces so that this file does not name it. */
    private static final String DESIGN = "DESIGN" + ".md";

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void noSourceRefersToADocumentOutsideTheRepository() throws IOException {
        assertTrue(!Files.exists(ROOT.resolve(DESIGN)), DESIGN + " is not part of the repository");
        List<String> offenders = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(ROOT)) {
            for (Path p : (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".java")
                    && f.toString().contains("/src/")
                    && !f.toString().contains("/target/"))::iterator) {
                files++;
                if (Files.readString(p).contains(DESIGN)) {
                    offenders.add(ROOT.relativize(p).toString());
                }
            }
        }
        assertTrue(files > 200, "found " + files + " source files");
        assertEquals(List.of(), offenders, "sources that refer to " + DESIGN);
    }
}
