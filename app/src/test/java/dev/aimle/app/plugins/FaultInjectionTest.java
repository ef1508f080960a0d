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
import dev.aimle.api.InvalidSolverOutputException;
import dev.aimle.api.MapSolver;
import dev.aimle.api.SolverDeadlineException;
import dev.aimle.app.cli.CliRun;
import dev.aimle.runtime.MapSolvers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fault-injection suite: one fixture plugin per fault a third party can ship, built at test time
 * next to a good plugin, each test asserting the clear error and that the good plugin still works.
 */
class FaultInjectionTest {
    /**
     * The time limit of solver calls (and creation) where a faulty solver hangs: the good work under
     * the same limit (creating the faulty solver, say) must fit in it on a loaded machine.
     */
    private static final Duration SHORT = Duration.ofSeconds(1);

    /**
     * The creation deadline: every provider, good ones included, must be created within it, so it is
     * generous enough for a loaded machine; a hanging constructor costs the tests this much.
     */
    private static final Duration CREATION = Duration.ofSeconds(2);

    @TempDir
    Path temp;

    private Path plugins;
    private Path work;
    private final PluginLoader loader = PluginLoader.forApp().withCreationTimeout(CREATION);
    private PluginJar good;

    @BeforeEach
    void dirs() throws IOException {
        plugins = Files.createDirectories(temp.resolve("plugins"));
        work = Files.createDirectories(temp.resolve("work"));
        good = PluginJar.plugin("good");
        good.writeTo(plugins, work);
    }

    private PluginJar faulty(String fault) throws IOException {
        PluginJar jar = PluginJar.plugin("faulty").solver("faulty-solver").withFault(fault);
        jar.writeTo(plugins, work);
        return jar;
    }

    private static String problems(Discovery d) {
        return d.problems().stream().map(LoadProblem::message).collect(Collectors.joining("\n"));
    }

    /** The good plugin's solver, checked, still solves an argmax. */
    private void goodStillSolves(Discovery d) {
        MapSolver solver =
                MapSolvers.create(d.solvers(), good.solverName(), Config.empty(), MapSolvers.Guard.defaults());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = solver.solve(manager.create(new float[] {1, 3, 2, 0, -1, 5}, new Shape(2, 3)));
            assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, z.toFloatArray(), 0f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "constructor-throws | the constructor of provider 'com.example.fixture.faulty.FaultyProvider' (listed in"
                        + " META-INF/services/dev.aimle.api.MapSolverProvider) threw java.lang.IllegalStateException: the faulty"
                        + " fixture's constructor throws",
                "constructor-hangs  | was not created within 2 s (its constructor, name() or description() does not return);"
                        + " skipped",
                "null-name          | name() returned null",
                "blank-name         | name() returned ' ', not a valid map solver name",
                "invalid-name       | name() returned 'my solver!', not a valid map solver name",
            })
    void aBadProviderIsReportedAndSkippedAndTheGoodOneStillWorks(String fault, String cause) throws IOException {
        PluginJar bad = faulty(fault);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(List.of(), d.problems(), "nothing is created while loading: " + problems(d));
            assertEquals(List.of(good.solverName()), d.solvers().names());
            assertEquals(1, d.problems().size(), problems(d));
            LoadProblem p = d.problems().get(0);
            assertEquals(bad.label(), p.plugin());
            assertEquals(plugins.resolve("faulty.jar").toAbsolutePath(), p.path());
            assertTrue(
                    p.cause()
                            .startsWith("map solver provider com.example.fixture.faulty.FaultyProvider (" + bad.label()
                                    + "): " + cause),
                    p.cause());
            goodStillSolves(d);
        }
    }

    @Test
    void aQualifiedNameCreatesOnlyItsPluginsProviders() throws IOException {
        faulty("constructor-hangs");
        try (Discovery d = loader.load(plugins)) {
            assertEquals(
                    good.solverName(),
                    d.solvers().get("good:" + good.solverName()).name());
            assertEquals(List.of(), d.problems(), "the hanging provider was never asked for: " + problems(d));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "solve-nan     | returned 6 of 6 values that are not exactly 0 or 1, the first NaN at flat index 0",
                "solve-half    | returned 2 of 6 values that are not exactly 0 or 1, the first 0.5 at flat index 1",
                "solve-int32   | returned int32 values; the output must be float32",
                "solve-aliased | returned its input array itself",
            })
    void aBadOutputIsRefusedNamingTheSolverAndItsPlugin(String fault, String what) throws IOException {
        PluginJar bad = faulty(fault);
        try (Discovery d = loader.load(plugins);
                NDManager manager = NDManager.newBaseManager()) {
            MapSolver solver =
                    MapSolvers.create(d.solvers(), "faulty-solver", Config.empty(), MapSolvers.Guard.defaults());
            NDArray theta = manager.create(new float[] {1, 3, 2, 0, -1, 5}, new Shape(2, 3));
            InvalidSolverOutputException e =
                    assertThrows(InvalidSolverOutputException.class, () -> solver.solve(theta));
            assertTrue(
                    e.getMessage().startsWith("solver 'faulty-solver' from " + bad.label() + " " + what),
                    e.getMessage());
            goodStillSolves(d);
        }
    }

    @Test
    void aSolveThatNeverReturnsFailsAtItsTimeLimitAndTheGoodSolverStillWorks() throws IOException {
        PluginJar bad = faulty("solve-hangs");
        try (Discovery d = loader.load(plugins);
                NDManager manager = NDManager.newBaseManager()) {
            MapSolver solver = MapSolvers.create(
                    d.solvers(),
                    "faulty-solver",
                    Config.empty(),
                    MapSolvers.Guard.defaults().withTimeout(SHORT));
            NDArray theta = manager.create(new float[] {1, 3, 2}, new Shape(1, 3));
            SolverDeadlineException e = assertThrows(SolverDeadlineException.class, () -> solver.solve(theta));
            assertTrue(
                    e.getMessage()
                            .startsWith("solver 'faulty-solver' from " + bad.label()
                                    + " did not return within its time limit of 1 s"),
                    e.getMessage());
            goodStillSolves(d);
        }
    }

    @Test
    void aCreateThatNeverReturnsFailsAtTheTimeLimitNamingTheProvider() throws IOException {
        PluginJar bad = faulty("create-hangs");
        try (Discovery d = loader.load(plugins)) {
            SolverDeadlineException e = assertThrows(
                    SolverDeadlineException.class,
                    () -> MapSolvers.create(
                            d.solvers(),
                            "faulty-solver",
                            Config.empty(),
                            MapSolvers.Guard.defaults().withTimeout(SHORT)));
            assertEquals(
                    "provider of solver 'faulty-solver' from " + bad.label() + " did not create it within the time"
                            + " limit of 1 s (create({}))",
                    e.getMessage());
            goodStillSolves(d);
        }
    }

    @Test
    void aSolveThatThrowsPassesItsOwnExceptionThrough() throws IOException {
        faulty("solve-throws");
        try (Discovery d = loader.load(plugins);
                NDManager manager = NDManager.newBaseManager()) {
            MapSolver solver =
                    MapSolvers.create(d.solvers(), "faulty-solver", Config.empty(), MapSolvers.Guard.defaults());
            NDArray theta = manager.create(new float[] {1, 3, 2}, new Shape(1, 3));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> solver.solve(theta));
            assertEquals("the faulty fixture's solve throws", e.getMessage());
            goodStillSolves(d);
        }
    }

    @Test
    void aTakeoverOfABuiltInNameIsRefusedNamingBothPlugins() throws IOException {
        PluginJar builtIn = PluginJar.plugin("aimle-topk").solver("topk");
        builtIn.writeTo(plugins, work);
        PluginJar impostor = PluginJar.plugin("impostor").solver("topk").withFault("solve-half");
        impostor.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> d.solvers().get("topk"));
            assertEquals(
                    "map solver 'topk' is ambiguous: it is provided by " + builtIn.label() + " and by "
                            + impostor.label() + "; choose one with aimle-topk:topk or impostor:topk",
                    e.getMessage());
            assertEquals(builtIn.label(), d.solvers().entry("aimle-topk:topk").source());
        }
    }

    @Test
    void solversListsAnAmbiguousNameByItsQualifiedNamesAndDemoRefusesIt() throws IOException {
        PluginJar.plugin("aimle-topk").solver("topk").writeTo(plugins, work);
        PluginJar.plugin("impostor").solver("topk").withFault("solve-half").writeTo(plugins, work);
        CliRun list = cli("solvers", "--plugins-dir", plugins.toString());
        assertEquals(0, list.code(), list.describe());
        assertTrue(list.out().contains("  aimle-topk:topk  [aimle-topk@1.2.3]"), list.describe());
        assertTrue(list.out().contains("  impostor:topk    [impostor@1.2.3]"), list.describe());
        assertTrue(
                list.out().contains("'topk' is provided 2 times: choose one by its qualified name"), list.describe());
        CliRun demo = cli("demo", "--plugins-dir", plugins.toString());
        assertEquals(1, demo.code(), demo.describe());
        assertEquals(
                "aimle demo: error: map solver 'topk' is ambiguous: it is provided by aimle-topk@1.2.3 and by"
                        + " impostor@1.2.3; choose one with aimle-topk:topk or impostor:topk",
                demo.err().strip());
    }

    @Test
    void aBottomKImpostorDeclaringTheBuiltInPluginIdIsRefusedNamingBothJars() throws IOException {
        PluginJar.plugin("aimle-topk").solver("topk").writeTo(plugins, work);
        // "a.jar" sorts first: under load order it would have been loaded and the real one dropped,
        // and its answers (the smallest score) pass every output check
        PluginJar impostor = PluginJar.plugin("aimle-topk")
                .version("9.9.9")
                .solver("topk")
                .withFault("solve-bottom")
                .fileName("a.jar");
        impostor.writeTo(plugins, work);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(plugins));
        assertEquals(
                "plugins directory " + plugins.toAbsolutePath() + " holds 2 plugins with Plugin-Id 'aimle-topk': "
                        + plugins.resolve("a.jar").toAbsolutePath() + " (aimle-topk@9.9.9) and "
                        + plugins.resolve("aimle-topk.jar").toAbsolutePath() + " (aimle-topk@1.2.3); nothing is"
                        + " resolved by load order: remove all but one, or give each its own Plugin-Id",
                e.getMessage());
    }

    @Test
    void aDuplicatePluginIdFailsEveryCommandThatLoadsPluginsWithOneLine() throws IOException {
        PluginJar.plugin("good")
                .version("6.6.6")
                .withFault("solve-bottom")
                .fileName("a-good.jar")
                .writeTo(plugins, work);
        CliRun demo = cli("demo", "--plugins-dir", plugins.toString(), "--solver", good.solverName(), "--n", "3");
        assertEquals(1, demo.code(), demo.describe());
        assertEquals(
                "aimle demo: error: plugins directory " + plugins.toAbsolutePath() + " holds 2 plugins with Plugin-Id"
                        + " 'good': " + plugins.resolve("a-good.jar").toAbsolutePath() + " (good@6.6.6) and "
                        + plugins.resolve("good.jar").toAbsolutePath() + " (good@1.2.3); nothing is resolved by load"
                        + " order: remove all but one, or give each its own Plugin-Id",
                demo.err().strip());
        assertEquals("", demo.out(), "nothing solved: " + demo.describe());
    }

    @Test
    void anOutOfMemoryErrorInSolveIsOneLineNamingTheSolverNotAStackTrace() throws IOException {
        faulty("solve-oom");
        CliRun r = cli("demo", "--plugins-dir", plugins.toString(), "--solver", "faulty-solver", "--n", "3");
        assertEquals(1, r.code(), r.describe());
        String err = r.err().strip();
        assertTrue(
                err.startsWith("aimle demo: error: solver 'faulty-solver' from faulty@1.2.3 ran out of memory"
                        + " (java.lang.OutOfMemoryError: "),
                r.describe());
        assertTrue(err.endsWith("); maybe give the JVM more heap (-Xmx) or solve smaller batches"), r.describe());
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + r.describe());
    }

    @Test
    void aPluginBuiltAgainstAnotherSpiThanItRequiresIsRefused() throws IOException {
        PluginJar wrong = PluginJar.plugin("wrong-spi").builtAgainst("0.0.9");
        wrong.writeTo(plugins, work);
        PluginJar consistent =
                PluginJar.plugin("consistent").builtAgainst(AppInfo.current().spiVersion());
        consistent.writeTo(plugins, work);
        try (Discovery d = loader.load(plugins)) {
            assertEquals(1, d.problems().size(), problems(d));
            LoadProblem p = d.problems().get(0);
            assertEquals(wrong.label(), p.plugin());
            assertEquals(
                    "was built against SPI 0.0.9 (Aimle-Spi-Version) but declares Plugin-Requires "
                            + AppInfo.current().spiVersion()
                            + ", which does not accept it; rebuild the plugin against this SPI"
                            + " and declare it",
                    p.cause());
            assertEquals(
                    List.of(consistent.solverName(), good.solverName()),
                    d.solvers().names());
            assertFalse(d.solvers().contains(wrong.solverName()));
        }
    }

    // ---- the same faults seen from the command line: a clear message, and the rest unaffected

    private CliRun cli(String... args) {
        return CliRun.run(Map.of(), temp, args);
    }

    @Test
    void aHangingProviderConstructorDoesNotHangACommandThatSolvesWithAnotherSolver() throws IOException {
        faulty("constructor-hangs");
        CliRun r = cli(
                "demo",
                "--plugins-dir",
                plugins.toString(),
                "--provider-timeout",
                "2",
                "--solver",
                good.solverName(),
                "--n",
                "5");
        assertEquals(0, r.code(), r.describe());
        assertTrue(
                r.err()
                        .contains("warning: plugin faulty@1.2.3 ("
                                + plugins.resolve("faulty.jar").toAbsolutePath()
                                + "): map solver provider com.example.fixture.faulty.FaultyProvider (faulty@1.2.3): was not created"
                                + " within 2 s"),
                r.describe());
        assertTrue(r.out().contains("check    output is float32 (4, 5) with values in {0, 1}"), r.describe());
    }

    @Test
    void aNullNameIsAWarningAndEveryCommandStillRuns() throws IOException {
        faulty("null-name");
        CliRun solvers = cli("solvers", "--plugins-dir", plugins.toString());
        assertEquals(0, solvers.code(), solvers.describe());
        assertTrue(solvers.err().contains("name() returned null"), solvers.describe());
        assertTrue(solvers.out().contains(good.solverName()), solvers.describe());
        CliRun demo = cli("demo", "--plugins-dir", plugins.toString(), "--solver", good.solverName());
        assertEquals(0, demo.code(), demo.describe());
    }

    @Test
    void aBadOutputFailsTheCommandWithOneLineNamingTheSolverAndThePlugin() throws IOException {
        faulty("solve-half");
        CliRun r = cli(
                "demo", "--plugins-dir", plugins.toString(), "--solver", "faulty-solver", "--n", "3", "--batch", "2");
        assertEquals(1, r.code(), r.describe());
        assertTrue(
                r.err()
                        .startsWith("aimle demo: error: solver 'faulty-solver' from faulty@1.2.3 returned 2 of 6 values"
                                + " that are not exactly 0 or 1"),
                r.describe());
        CliRun trusted =
                cli("demo", "--plugins-dir", plugins.toString(), "--solver", "faulty-solver", "--trust-solver");
        assertEquals(0, trusted.code(), "the opt-out is explicit and honoured: " + trusted.describe());
        assertTrue(trusted.out().contains("(not checked: --trust-solver)"), trusted.describe());
    }

    @Test
    void aHangingSolveStopsTheSyntheticRunCleanlyAndTheDirectoryIsNotPoisoned() throws IOException {
        faulty("solve-hangs");
        Path out = temp.resolve("run");
        String[] args = {
            "synthetic",
            "--plugins-dir",
            plugins.toString(),
            "--quick",
            "--threads",
            "1",
            "--progress",
            "none",
            "--solver",
            "faulty-solver",
            "--solver-timeout",
            "1",
            "--out",
            out.toString()
        };
        CliRun r = cli(args);
        assertEquals(1, r.code(), r.describe());
        assertTrue(
                r.err()
                        .contains("aimle synthetic: error: solver 'faulty-solver' from faulty@1.2.3 did not return"
                                + " within its time limit of 1 s"),
                r.describe());
        CliRun again = cli(args);
        assertEquals(1, again.code(), again.describe());
        assertTrue(
                again.err().contains("did not return within its time limit"),
                "the same fault again, not a refused directory: " + again.describe());
    }

    @Test
    void verifyPassesAGoodPluginJarAndFailsAFaultyOneNamingTheCheck() throws IOException {
        CliRun ok = cli("verify", plugins.resolve("good.jar").toString());
        assertEquals(0, ok.code(), ok.describe());
        assertTrue(ok.out().contains("good:good-solver  deterministic"), ok.describe());
        assertTrue(ok.out().contains("0 failed"), ok.describe());
        for (String fault : List.of("solve-half", "solve-aliased", "solve-int32")) {
            Path dir = Files.createDirectories(temp.resolve(fault));
            PluginJar.plugin("faulty").solver("faulty-solver").withFault(fault).writeTo(dir, work);
            CliRun bad = cli("verify", dir.resolve("faulty.jar").toString());
            assertEquals(1, bad.code(), bad.describe());
            assertTrue(
                    bad.out()
                            .lines()
                            .anyMatch(l -> l.startsWith("faulty:faulty-solver  output: new float32 array")
                                    && l.contains("FAIL")),
                    bad.describe());
        }
    }

    @Test
    void verifyFailsAHangingSolveAtItsTimeLimitInsteadOfHanging() throws IOException {
        faulty("solve-hangs");
        CliRun r = cli("verify", plugins.resolve("faulty.jar").toString(), "--solver-timeout", "1");
        assertEquals(1, r.code(), r.describe());
        assertTrue(
                r.out().contains("SolverDeadlineException: solver 'faulty-solver' from faulty@1.2.3 did not return"),
                r.describe());
    }
}
