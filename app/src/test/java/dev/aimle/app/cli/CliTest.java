package dev.aimle.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.plugins.AppInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the user sees from the CLI without the built plugins: usage errors exit 2 with a useful
 * message, failures exit 1 with one line on stderr, help and version exit 0, and the plugins
 * directory is chosen from the flag, the environment, or the installation directory. (The CLI over
 * the real plugin jars is tested in CliEndToEndIT.)
 */
class CliTest {
    @TempDir
    Path home;

    private CliRun run(String... args) {
        return CliRun.run(Map.of(), home, args);
    }

    @ParameterizedTest(name = "aimle {0}")
    @ValueSource(strings = {"--bogus", "solvers --bogus", "demo --nope", "bench --zzz"})
    void unknownOptionsExit2NamingTheOption(String args) {
        CliRun r = run(args.split(" "));
        assertEquals(2, r.code(), r.describe());
        String option = args.substring(args.lastIndexOf(' ') + 1);
        assertTrue(r.err().contains("Unknown option: '" + option + "'"), r.describe());
        assertTrue(r.err().contains("--help' for usage"), r.describe());
        assertEquals("", r.out(), r.describe());
    }

    @Test
    void unknownCommandExit2WithASuggestion() {
        CliRun r = run("solverz");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("'solverz'") && r.err().contains("Did you mean: aimle solvers"), r.describe());
    }

    @Test
    void noCommandExit2ListingTheCommands() {
        CliRun r = run();
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("missing command") && r.err().contains("solvers, demo, bench"), r.describe());
    }

    @ParameterizedTest(name = "aimle demo {0}")
    @ValueSource(strings = {"--k=abc", "--batch=0", "--n=-3", "--seed=1.5"})
    void badValuesExit2NamingTheOption(String arg) {
        CliRun r = run("demo", "--plugins-dir", home.toString(), arg);
        assertEquals(2, r.code(), r.describe());
        String option = arg.substring(0, arg.indexOf('='));
        assertTrue(r.err().contains(option), r.describe());
    }

    @ParameterizedTest(name = "aimle {0} --help")
    @ValueSource(strings = {"solvers", "demo", "bench"})
    void everyCommandHasHelp(String command) {
        CliRun r = run(command, "--help");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().startsWith("Usage: aimle " + command), r.describe());
        assertTrue(r.out().contains("--plugins-dir"), "the global option is listed on every command: " + r.describe());
    }

    @Test
    void topLevelHelpListsCommandsExitCodesAndTheEnvironment() {
        CliRun r = run("--help");
        assertEquals(0, r.code(), r.describe());
        for (String s : new String[] {"solvers", "demo", "bench", "Exit codes", "AIMLE_PLUGINS_DIR", "--verbose"}) {
            assertTrue(r.out().contains(s), s + " in " + r.describe());
        }
        assertEquals(0, run("help", "demo").code());
    }

    @Test
    void versionNamesAppAndSpiVersions() {
        CliRun r = run("--version");
        AppInfo info = AppInfo.current();
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("aimle " + info.appVersion() + " (SPI " + info.spiVersion() + ")"), r.describe());
    }

    @Test
    void missingExplicitPluginsDirIsBadUsage() {
        Path missing = home.resolve("missing");
        CliRun r = run("solvers", "--plugins-dir", missing.toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains(missing.toString()) && r.err().contains("--plugins-dir"), r.describe());

        CliRun fromEnv = CliRun.run(Map.of("AIMLE_PLUGINS_DIR", missing.toString()), home, "solvers");
        assertEquals(2, fromEnv.code(), fromEnv.describe());
        assertTrue(fromEnv.err().contains("AIMLE_PLUGINS_DIR"), fromEnv.describe());
    }

    @Test
    void missingDefaultPluginsDirIsAWarningAndClasspathProvidersAreListed() {
        CliRun r = run("solvers");
        assertEquals(0, r.code(), r.describe());
        assertTrue(
                r.err()
                        .startsWith("warning: no plugins directory at "
                                + home.resolve("plugins").toAbsolutePath()),
                r.describe());
        assertTrue(r.out().contains("Map solvers (0):"), r.describe());
        assertTrue(r.out().contains("[classpath]"), "noises and estimators come from the class path: " + r.describe());
    }

    @Test
    void demoWithoutTheTopkPluginFailsWithOneLineNamingWhatIsKnown() throws IOException {
        Files.createDirectories(home.resolve("plugins"));
        CliRun r = run("demo");
        assertEquals(1, r.code(), r.describe());
        assertEquals(1, r.err().lines().count(), "one line on stderr: " + r.describe());
        assertTrue(r.err().startsWith("aimle demo: error: unknown map solver 'topk'; known: none"), r.describe());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void syntheticWithoutTheTopkPluginFailsBeforeWritingResults() throws IOException {
        Files.createDirectories(home.resolve("plugins"));
        Path out = home.resolve("run");
        CliRun r = run("synthetic", "--quick", "--out", out.toString());
        assertEquals(1, r.code(), r.describe());
        assertTrue(r.err().contains("unknown map solver 'topk'"), r.describe());
        assertFalse(Files.exists(out.resolve("results.csv")), "no result file: " + r.describe());
        assertFalse(Files.exists(out.resolve("run.json")), "no run.json: " + r.describe());
        // the directory is not poisoned: the next attempt fails for the same reason, not a conflict
        CliRun again = run("synthetic", "--quick", "--out", out.toString());
        assertTrue(again.err().contains("unknown map solver 'topk'"), again.describe());
    }

    @Test
    void demoRefusesKAsASolverParameter() {
        CliRun r = run("demo", "--plugins-dir", home.toString(), "-P", "k=5");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("-P k=5 is not taken: use --k"), r.describe());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Files.createDirectories(home.resolve("plugins"));
        CliRun r = run("demo", "--verbose");
        assertEquals(1, r.code(), r.describe());
        assertTrue(r.err().contains("\tat dev.aimle."), r.describe());
    }

    @Test
    void pluginsDirComesFromFlagThenEnvironmentThenHome() throws IOException {
        Path fromFlag = Files.createDirectories(home.resolve("flag"));
        Path fromEnv = Files.createDirectories(home.resolve("env"));
        Files.createDirectories(home.resolve("plugins"));
        Map<String, String> env = Map.of("AIMLE_PLUGINS_DIR", fromEnv.toString());
        assertTrue(CliRun.run(env, home, "solvers", "--plugins-dir", fromFlag.toString())
                .out()
                .contains("Plugins in " + fromFlag.toAbsolutePath() + " (0)"));
        assertTrue(CliRun.run(env, home, "solvers").out().contains("Plugins in " + fromEnv.toAbsolutePath() + " (0)"));
        assertTrue(run("solvers")
                .out()
                .contains("Plugins in " + home.resolve("plugins").toAbsolutePath() + " (0)"));
    }

    @Test
    void benchRejectsAnUnknownBenchmarkListingTheKnownOnes() {
        CliRun r = run("bench", "--only", "no-such-benchmark");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("unknown benchmark 'no-such-benchmark'; known: "), r.describe());
        assertTrue(r.err().contains("topk"), r.describe());
        CliRun list = run("bench", "--list");
        assertEquals(0, list.code(), list.describe());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("topk ")), list.describe());
    }

    @ParameterizedTest(name = "aimle {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "demo --n 2147483647              | --batch 4 x --n 2147483647 = 8589934588, more than the 2147483639 a Java"
                        + " array can index",
                "demo --n 65536 --batch 65537     | --batch 65537 x --n 65536 = 4295032832, more than the 2147483639 a Java"
                        + " array can index",
                "demo --n 20000 --batch 100000    | --batch 100000 x --n 20000 = 2000000000 needs about",
                "demo --solver-timeout -1         | --solver-timeout (-1.0) must be a number of seconds above 0",
                "solvers --provider-timeout 0     | --provider-timeout (0.0) must be a number of seconds above 0",
            })
    void sizesAndLimitsThatDoNotFitAreBadUsageNamingTheLimit(String args, String message) throws IOException {
        Files.createDirectories(home.resolve("plugins"));
        CliRun r = run(args.split(" +"));
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains(message), "'" + message + "' in " + r.describe());
        assertFalse(r.err().contains("Exception"), r.describe());
    }

    @Test
    void anEmptyPluginsDirIsBadUsageNotTheWorkingDirectory() {
        CliRun r = run("solvers", "--plugins-dir", "");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--plugins-dir is empty"), r.describe());
    }

    @Test
    void negativeEngineThreadsAreBadUsage() {
        for (String command : new String[] {"bench", "synthetic"}) {
            CliRun r = run(command, "--engine-threads", "-1");
            assertEquals(2, r.code(), r.describe());
            assertTrue(r.err().contains("--engine-threads (-1) must be at least 0"), r.describe());
        }
    }
}
