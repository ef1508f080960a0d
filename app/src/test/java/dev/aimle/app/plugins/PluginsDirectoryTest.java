package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugins directory is the user's: it is only read, and only its top level. A zip is not
 * expanded into it, a directory plugin's manifest is looked for in one place, and links to
 * directories are not followed, so any directory (even {@code /proc/self}) is listed in bounded time.
 */
class PluginsDirectoryTest {
    /** Generous for a loaded machine; the unbounded walk took minutes. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private Path plugins;
    private Path work;
    private PluginJar good;
    private final PluginLoader loader = PluginLoader.forApp();

    @BeforeEach
    void dirs() throws IOException {
        plugins = Files.createDirectories(temp.resolve("plugins"));
        work = Files.createDirectories(temp.resolve("work"));
        good = PluginJar.plugin("good");
        good.writeTo(plugins, work);
    }

    private static String problems(Discovery d) {
        return d.problems().stream().map(LoadProblem::message).collect(Collectors.joining("\n"));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private LoadProblem problemOf(Discovery d, String file) {
        return d.problems().stream()
                .filter(p -> p.plugin().equals(file))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + file + ": " + problems(d)));
    }

    @Test
    void aZipIsReportedAndNotExpandedIntoThePluginsDirectory() throws IOException {
        PluginJar zipped = PluginJar.plugin("zipped").fileName("zipped.zip");
        zipped.writeTo(plugins, work);
        List<String> before = listing(plugins);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(before, listing(plugins), "nothing written into the plugins directory");
            assertEquals(
                    "a zip plugin is not expanded (that would write into the plugins directory). Maybe unzip it"
                            + " yourself into a directory here, or use its jar",
                    problemOf(d, "zipped.zip").cause());
            assertEquals(List.of(good.solverName()), d.solvers().names());
        }
    }

    @Test
    void aDirectoryPluginsManifestIsLookedForInOnePlaceNotSearchedFor() throws IOException {
        Path deep = Files.createDirectories(plugins.resolve("deep/a/b/c/META-INF"));
        Files.writeString(
                deep.resolve("MANIFEST.MF"), "Manifest-Version: 1.0\nPlugin-Id: deep\nPlugin-Version: 1.0.0\n\n");
        try (Discovery d = loader.load(plugins)) {
            assertTrue(problemOf(d, "deep").cause().startsWith("no PF4J plugin descriptor"), problems(d));
            assertEquals(List.of(good.solverName()), d.solvers().names());
        }
    }

    @Test
    void linksToDirectoriesAreReportedAndNotFollowed() throws IOException {
        Files.createSymbolicLink(plugins.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(plugins.resolve("self"), Path.of("."));
        assertTimeoutPreemptively(BOUND, () -> {
            try (Discovery d = loader.load(plugins)) {
                assertEquals(List.of(good.solverName()), d.solvers().names());
                for (String link : List.of("up", "self")) {
                    assertEquals(
                            "a symbolic link to a directory; not followed. Maybe copy or move the plugin directory"
                                    + " itself here",
                            problemOf(d, link).cause());
                }
            }
        });
    }

    @Test
    void procSelfIsListedInBoundedTime() {
        Path proc = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(proc), "needs Linux's /proc");
        assertTimeoutPreemptively(BOUND, () -> {
            try (Discovery d = loader.load(proc)) {
                // /proc/self/root is a link to /: under the old search, one of the longest walks
                assertTrue(problemOf(d, "root").cause().startsWith("a symbolic link to a directory"), problems(d));
            }
        });
    }
}
