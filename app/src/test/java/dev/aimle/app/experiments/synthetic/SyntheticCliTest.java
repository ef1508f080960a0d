package dev.aimle.app.experiments.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code aimle synthetic} as the user sees it, for what needs no solver plugin: help, bad flags
 * (exit 2 with a message naming the flag), and refusing a directory of another run. The full runs
 * over the real top-k plugin are in SyntheticCommandIT.
 */
class SyntheticCliTest {
    @TempDir
    Path home;

    private CliRun run(String... args) {
        return CliRun.run(Map.of(), home, args);
    }

    @Test
    void helpListsTheOptions() {
        CliRun r = run("synthetic", "--help");
        assertEquals(0, r.code(), r.describe());
        for (String s : new String[] {
            "Usage: aimle synthetic",
            "--n",
            "--samples",
            "--estimators",
            "--seeds",
            "--warmup",
            "--warmup-study",
            "--lambdas",
            "--out",
            "--quick",
            "--threads"
        }) {
            assertTrue(r.out().contains(s), s + " in " + r.describe());
        }
        assertTrue(!r.out().contains("--max-points"), "the test hook stays hidden: " + r.describe());
        assertTrue(run("--help").out().contains("synthetic"), "listed by aimle --help");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--n=1                 | --n (1) must be at least 2",
                "--samples=10,0        | --samples (0) must be at least 1",
                "--seeds=0             | --seeds (0) must be at least 1",
                "--warmup=-5           | --warmup (-5) must be at least 0",
                "--estimators=aimle,ste | --estimators: unknown estimator 'aimle'; expected one of aimle-forward",
                "--lambdas=0,x         | --lambdas: 'x' is not a number",
                "--lambdas=-1          | --lambdas (-1.0) must be a finite number at least 0",
                "--warmup-study=ten    | --warmup-study: 'ten' is not a whole number",
                "--b=uniform           | --b (uniform) must be 'normal' or 'abs'",
                "--threads=0           | --threads (0) must be at least 1",
                "--progress=fancy      | --progress (fancy) must be auto, bar, lines or none",
                "--n=abc               | Invalid value for option '--n'",
                "--bogus               | Unknown option: '--bogus'",
                "--seeds=2147483647    | the points planned (180 per seed x --seeds 2147483647) = 386547056460, more than"
                        + " the 2147483639 a Java array can index",
                "--seeds=10000000      | the points planned (180 per seed x --seeds 10000000) = 1800000000 needs about",
                "--n=2147483647        | the largest point, n 2147483647 x S 1000 scores = 2147483647000, more than the"
                        + " 2147483639 a Java array can index",
                "--solver-timeout=0    | --solver-timeout (0.0) must be a number of seconds above 0",
            })
    void badFlagsExit2WithAReason(String flag, String message) {
        CliRun r = run("synthetic", "--out", home.resolve("out").toString(), flag);
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains(message), "'" + message + "' in " + r.describe());
        assertTrue(r.err().contains("aimle synthetic --help' for usage"), r.describe());
        assertEquals("", r.out(), r.describe());
    }

    @Test
    void aDirectoryOfAnotherRunIsRefusedWithExit2() throws IOException {
        Path out = Files.createDirectories(home.resolve("run"));
        Files.writeString(out.resolve("run.json"), "{\"configuration\": {\"n\": [10], \"seeds\": 99}}\n");
        CliRun r = run("synthetic", "--quick", "--out", out.toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("holds a run with a different configuration"), r.describe());
        assertTrue(r.err().contains("seeds: 99 there, 4 here"), r.describe());
        assertTrue(!Files.exists(out.resolve("results.csv")), "nothing written");
    }
}
