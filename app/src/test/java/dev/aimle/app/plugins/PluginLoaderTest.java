package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.runtime.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The third-party path: plugin jars built at test time from fixture sources, loaded by the app's
 * loader, solved with; and every broken variant reported by id or path with its cause while the good
 * plugins still load.
 */
class PluginLoaderTest {
    private static final String SPI = AppInfo.current().spiVersion();

    @TempDir
    Path temp;

    private Path plugins;
    private Path work;
    private final PluginLoader loader = PluginLoader.forApp();

    @BeforeEach
    void dirs() throws IOException {
        plugins = Files.createDirectories(temp.resolve("plugins"));
        work = Files.createDirectories(temp.resolve("work"));
    }

    private static String problems(Discovery d) {
        return d.problems().stream().map(LoadProblem::message).collect(Collectors.joining("\n"));
    }

    private static String sourceOf(ProviderRegistry<?> registry, String name) {
        return registry.entries().stream()
                .filter(e -> e.provider().name().equals(name))
                .map(ProviderRegistry.Entry::source)
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + registry));
    }

    @ParameterizedTest(name = "directory entries in the jar: {0}")
    @ValueSource(booleans = {true, false})
    void thirdPartyPluginLoadsAndSolves(boolean directoryEntries) throws IOException {
        PluginJar fixture = PluginJar.plugin("acme-argmax");
        if (!directoryEntries) {
            fixture.withoutDirectoryEntries();
        }
        fixture.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(List.of(), d.problems(), problems(d));
            assertEquals(fixture.label(), sourceOf(d.solvers(), fixture.solverName()));
            assertEquals(1, d.plugins().size());
            PluginInfo info = d.plugins().get(0);
            assertEquals("acme-argmax", info.id());
            assertEquals("STARTED", info.state());
            assertEquals(SPI, info.requires());

            MapSolver solver = d.solvers().get(fixture.solverName()).create(Config.empty());
            long seed = 11;
            int batch = 5;
            int n = 7;
            SplittableRandom random = new SplittableRandom(seed);
            float[] scores = new float[batch * n];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) random.nextGaussian();
            }
            float[] expected = new float[batch * n];
            for (int r = 0; r < batch; r++) {
                int best = 0;
                for (int i = 1; i < n; i++) {
                    if (scores[r * n + i] > scores[r * n + best]) {
                        best = i;
                    }
                }
                expected[r * n + best] = 1f;
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray z = solver.solve(manager.create(scores, new Shape(batch, n)));
                assertEquals(new Shape(batch, n), z.getShape());
                assertArrayEquals(expected, z.toFloatArray(), 0f, "argmax rows of seed " + seed);
            }
        }
    }

    @Test
    void pluginRequiringAnotherSpiVersionIsRefusedAndOthersLoad() throws IOException {
        PluginJar good = PluginJar.plugin("good");
        good.writeTo(plugins, work);
        PluginJar newer = PluginJar.plugin("from-the-future").requires("9.9.9");
        newer.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(1, d.problems().size(), problems(d));
            LoadProblem p = d.problems().get(0);
            assertEquals(newer.label(), p.plugin());
            assertTrue(p.cause().contains("9.9.9") && p.cause().contains(SPI), p.cause());
            assertEquals(plugins.resolve("from-the-future.jar").toAbsolutePath(), p.path());
            assertEquals(List.of(good.solverName()), d.solvers().names());
            assertFalse(d.solvers().contains(newer.solverName()));
        }
    }

    @Test
    void bareRequiresMeansExactlyThatSpiVersionButRangesWork() throws IOException {
        PluginJar older = PluginJar.plugin("older").requires("0.0.1");
        older.writeTo(plugins, work);
        PluginJar ranged = PluginJar.plugin("ranged").requires(">=" + SPI);
        ranged.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(
                    List.of(older.label()),
                    d.problems().stream().map(LoadProblem::plugin).toList(),
                    problems(d));
            assertEquals(List.of(ranged.solverName()), d.solvers().names());
        }
    }

    @Test
    void corruptJarIsReportedAndOthersLoad() throws IOException {
        PluginJar good = PluginJar.plugin("good");
        good.writeTo(plugins, work);
        Files.writeString(plugins.resolve("broken.jar"), "this is not a zip file");
        try (Discovery d = loader.load(plugins)) {
            assertEquals(1, d.problems().size(), problems(d));
            LoadProblem p = d.problems().get(0);
            assertEquals("broken.jar", p.plugin());
            assertTrue(p.cause().startsWith("not a valid jar or zip file"), p.cause());
            assertTrue(p.message().contains(plugins.resolve("broken.jar").toString()), p.message());
            assertEquals(List.of(good.solverName()), d.solvers().names());
        }
    }

    @Test
    void jarWithoutDescriptorIsReported() throws IOException {
        PluginJar.plugin("anonymous").withoutDescriptor().writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(1, d.problems().size(), problems(d));
            assertEquals("anonymous.jar", d.problems().get(0).plugin());
            assertTrue(d.problems().get(0).cause().contains("no PF4J plugin descriptor"), problems(d));
            assertEquals(List.of(), d.solvers().names());
        }
    }

    @Test
    void pluginThrowingWhileStartingIsReportedWithTheCause() throws IOException {
        PluginJar good = PluginJar.plugin("good");
        good.writeTo(plugins, work);
        PluginJar failing = PluginJar.plugin("fails").failingOnStart();
        failing.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(1, d.problems().size(), problems(d));
            LoadProblem p = d.problems().get(0);
            assertEquals(failing.label(), p.plugin());
            assertTrue(p.cause().contains("boom: the fixture refuses to start"), p.cause());
            assertTrue(p.cause().contains(failing.packageName() + ".FailingPlugin"), p.cause());
            assertEquals(List.of(good.solverName()), d.solvers().names());
            assertEquals(
                    List.of("FAILED", "STARTED"),
                    d.plugins().stream().map(PluginInfo::state).toList());
        }
    }

    @Test
    void pluginWithAnUnresolvableDependencyIsReportedAndOthersLoad() throws IOException {
        PluginJar good = PluginJar.plugin("good");
        good.writeTo(plugins, work);
        PluginJar dependent = PluginJar.plugin("dependent").dependingOn("absent-plugin");
        dependent.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            String all = problems(d);
            assertEquals(2, d.problems().size(), all);
            assertTrue(all.contains("absent-plugin"), all);
            assertTrue(d.problems().stream().anyMatch(p -> p.plugin().equals(dependent.label())), all);
            assertEquals(List.of(good.solverName()), d.solvers().names());
        }
    }

    @Test
    void pluginBundlingItsOwnApiIsReportedInsteadOfSilentlySkipped() throws IOException {
        PluginJar bundling = PluginJar.plugin("bundles-api").bundlingTheApi();
        bundling.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(1, d.problems().size(), problems(d));
            assertTrue(d.problems().get(0).cause().contains("bundles aimle-api"), problems(d));
            assertEquals(List.of(), d.solvers().names());
        }
    }

    @Test
    void brokenProvidersAreReportedAndTheGoodOneOfTheSamePluginLoads() throws IOException {
        PluginJar mixed = PluginJar.plugin("mixed")
                .listingMissingProvider("com.example.Nowhere")
                .withThrowingProvider();
        mixed.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(List.of(mixed.solverName()), d.solvers().names());
            String all = problems(d);
            assertEquals(2, d.problems().size(), all);
            assertTrue(all.contains("'com.example.Nowhere'") && all.contains("is not in the plugin"), all);
            assertTrue(all.contains("the fixture provider cannot be constructed"), all);
        }
    }

    @Test
    void aSolverNameProvidedTwiceIsAmbiguousNamingBothAndQualifiedNamesPickOne() throws IOException {
        PluginJar first = PluginJar.plugin("alpha").solver("same-name");
        first.writeTo(plugins, work);
        PluginJar second = PluginJar.plugin("beta").solver("same-name");
        second.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> d.solvers().get("same-name"));
            assertEquals(
                    "map solver 'same-name' is ambiguous: it is provided by " + first.label() + " and by "
                            + second.label() + "; choose one with alpha:same-name or beta:same-name",
                    e.getMessage());
            assertEquals(first.label(), d.solvers().entry("alpha:same-name").source());
            assertEquals(second.label(), d.solvers().entry("beta:same-name").source());
            assertEquals(List.of(), d.problems(), "two sources of one name is not a load problem: " + problems(d));
        }
    }

    @Test
    void orderIsDeterministicAndClasspathProvidersAreLabelled() throws IOException {
        for (String id : List.of("zulu", "alpha", "mike")) {
            PluginJar.plugin(id).writeTo(plugins, work);
        }
        try (Discovery d = loader.load(plugins)) {
            assertEquals(List.of(), d.problems(), problems(d));
            assertEquals(
                    List.of("alpha-solver", "mike-solver", "zulu-solver"),
                    d.solvers().names());
            assertEquals(
                    List.of("alpha", "mike", "zulu"),
                    d.plugins().stream().map(PluginInfo::id).toList());
            assertFalse(d.noises().entries().isEmpty(), "the estimators module provides noise distributions");
            d.noises()
                    .entries()
                    .forEach(e -> assertEquals(
                            ProviderRegistry.CLASSPATH, e.source(), e.provider().name()));
            d.estimators()
                    .entries()
                    .forEach(e -> assertEquals(
                            ProviderRegistry.CLASSPATH, e.source(), e.provider().name()));
        }
    }

    @Test
    void askingForAMissingSolverListsTheKnownOnes() throws IOException {
        PluginJar.plugin("acme").writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> d.solvers().get("nope"));
            assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("acme-solver"), e.getMessage());
        }
    }

    @Test
    void emptyDirectoryAndClasspathOnlyHaveNoSolversAndNoProblems() throws IOException {
        try (Discovery d = loader.load(plugins)) {
            assertEquals(List.of(), d.problems(), problems(d));
            assertEquals(List.of(), d.plugins());
            assertEquals(List.of(), d.solvers().names(), "solvers come only from plugins");
            assertEquals(plugins.toAbsolutePath(), d.pluginsDir().orElseThrow());
        }
        try (Discovery d = loader.classpathOnly()) {
            assertEquals(List.of(), d.problems(), problems(d));
            assertTrue(d.pluginsDir().isEmpty());
            assertFalse(d.estimators().entries().isEmpty());
        }
    }

    @Test
    void aPluginsDirectoryThatIsNotADirectoryIsRejected() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> loader.load(temp.resolve("missing")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
