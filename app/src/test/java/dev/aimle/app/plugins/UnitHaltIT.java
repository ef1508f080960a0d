package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that calls {@code Runtime.halt(0)} inside a unit (no shutdown hook runs, the exit code
 * says success) does not end a sweep with exit 0: a unit is done only when its rows are committed.
 */
class UnitHaltIT {
    @TempDir
    Path temp;

    @Test
    void aPluginHaltingTheUnitsJvmFailsTheSweep() throws IOException {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        PluginJar.plugin("halts")
                .solver("topk")
                .withFault("solve-halts")
                .writeTo(plugins, Files.createDirectories(temp.resolve("work")));
        Path out = temp.resolve("out");
        CliRun r = CliRun.run(
                Map.of(),
                temp,
                "--plugins-dir",
                plugins.toString(),
                "l2x",
                "--methods",
                "aimle-central",
                "--k",
                "5",
                "--temperatures",
                "1",
                "--task",
                "planted",
                "--task-size",
                "200,50,20,8",
                "--filters",
                "4",
                "--hidden",
                "8",
                "--epochs",
                "1",
                "--parallel",
                "1",
                "--out",
                out.toString());
        assertEquals(1, r.code(), r.describe());
        assertTrue(r.err().contains("1 of 1 runs failed"), r.describe());
        assertTrue(r.err().contains("its process ended with exit 0 after 0 of 1 rows were committed"), r.describe());
        assertTrue(r.out().contains("aimle-central_k5_t1_seed0 FAILED"), r.describe());
    }
}
