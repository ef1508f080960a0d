package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.Main;
import dev.aimle.app.cli.CliRun;
import dev.aimle.app.experiments.l2x.L2xExperiment;
import dev.aimle.app.experiments.l2x.L2xSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep's children end with it: a sweep killed with SIGKILL leaves no unit training (the unit
 * watches its parent), and the sweep started again resumes the run without racing a survivor.
 */
class SweepLifetimeIT {
    @TempDir
    Path home;

    private static List<String> sweep(Path out, String epochs) {
        String plugins = System.getProperty("aimle.plugins.built");
        assertNotNull(plugins, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
        return new ArrayList<>(List.of(
                "--plugins-dir",
                plugins,
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
                "400,100,50,16",
                "--filters",
                "8",
                "--hidden",
                "16",
                "--epochs",
                epochs,
                "--parallel",
                "1",
                "--out",
                out.toString()));
    }

    @Test
    void aKilledSweepLeavesNoUnitBehindAndResumes() throws IOException, InterruptedException, Exception {
        Path out = home.resolve("out");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(sweep(out, "1000"));
        Process sweep = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("sweep.log").toFile())
                .start();
        Path unitDir = out.resolve("aimle-central_k5_t1_seed0");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        Optional<ProcessHandle> unit = Optional.empty();
        while (System.nanoTime() < deadline && sweep.isAlive()) {
            unit = sweep.descendants().findFirst();
            if (unit.isPresent() && Files.exists(unitDir.resolve(RunUnit.PROGRESS))) {
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(sweep.isAlive(), "the sweep ended early: " + Files.readString(home.resolve("sweep.log")));
        assertTrue(unit.isPresent() && unit.get().isAlive(), "no unit training");
        sweep.destroyForcibly().waitFor();
        // the unit sees its parent gone and ends (before the fix it trained on, its parent PID 1)
        unit.get().onExit().get(60, TimeUnit.SECONDS);
        assertTrue(!unit.get().isAlive(), "the unit outlived its sweep");

        List<String> again = sweep(out, "2");
        CliRun resumed = CliRun.run(Map.of(), home, again.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.describe());
        RunUnit<L2xSpec> run = RunUnit.open(
                unitDir, L2xExperiment.NAME, L2xSpec.class, L2xExperiment.EPOCHS_CSV, L2xExperiment.COLUMNS);
        assertTrue(run.rows().size() >= 2, "rows " + run.rows().size());
    }
}
