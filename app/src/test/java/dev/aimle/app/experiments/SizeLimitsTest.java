package dev.aimle.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sizes that cannot fit are bad usage (exit 2) before any work, naming the sizes, the estimate's
 * formula and the limit. The values are far beyond any machine, so the outcome does not depend on
 * this one's memory.
 */
class SizeLimitsTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "nri generate --train 10000000 | --train 10000000 examples of T = 20 need one array of 4000000000"
                        + " values (N x T x 2 x 10 positions), more than the 2147483639 a Java array can index",
                "nri generate --train 10000000 --timesteps 10 | --train 10000000 examples of T = 10 need about 20.0 GB"
                        + " in the Java heap (N x (8 x 20 x T + 4 x 100) bytes for the positions in float64 and the"
                        + " trees in float32), more than the",
                "nri generate --timesteps 1000000000 --train 1 --valid 1 --test 1 | --train 1 examples of T ="
                        + " 1000000000 need one array of 20000000000 values (N x T x 2 x 10 positions), more than the"
                        + " 2147483639 a Java array can index",
                "nri --hidden 30000 --report-only | --hidden 30000 with --batch 128 and T = 10 need about",
                "l2x --task-size 100000000,800,400,50 --report-only | --task-size: the generated task's 100001200 reviews and"
                        + " 50-d vectors need about 409.6 GB in the Java heap ((train + heldout + annotated) x 4096"
                        + " bytes",
                "l2x --task-size 3000,800,400,1000000000 --report-only | --task-size: the generated task's 4200 reviews and"
                        + " 1000000000-d vectors need about",
                "l2x --max-length 100000000 --report-only | --max-length 100000000, --filters 100, --hidden 250,"
                        + " --batch 40 and 50-d vectors need about",
                "l2x --filters 1000000 --report-only | --max-length 200, --filters 1000000, --hidden 250, --batch 40 and 50-d vectors"
                        + " need about",
            })
    void aSizeThatCannotFitIsBadUsageNamingTheLimit(String args, String expected) {
        Path out = home.resolve("out");
        String[] argv = (args + " --out " + out).split(" ");
        CliRun r = CliRun.run(Map.of(), home, argv);
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains(expected), r.describe());
        assertTrue(r.err().contains("more than the"), r.describe());
        assertFalse(Files.exists(out.resolve("data_train_novar_1skip_20t_1r_graph10.npy")), "nothing generated");
    }
}
