package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a JVM cannot contain, contained as far as it goes: a provider that calls {@code System.exit(0)}
 * ends the packaged CLI's process, but the exit code is 1 with a line on stderr, not a silent success.
 */
class ProcessExitIT {
    @TempDir
    Path temp;

    @Test
    void aPluginCallingSystemExitDoesNotPassForSuccess() throws IOException, InterruptedException {
        String jar = System.getProperty("aimle.app.jar");
        assertNotNull(jar, "system property aimle.app.jar (set by failsafe in app/pom.xml)");
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Path work = Files.createDirectories(temp.resolve("work"));
        PluginJar.plugin("good").writeTo(plugins, work);
        PluginJar.plugin("exits")
                .solver("exits-solver")
                .withFault("constructor-exits")
                .writeTo(plugins, work);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar + File.pathSeparator + System.getProperty("aimle.app.lib") + File.separator + "*",
                "-Dai.djl.offline=true",
                "dev.aimle.app.Main",
                "--plugins-dir",
                plugins.toString(),
                "solvers"));
        Path log = temp.resolve("out.log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        Process process = pb.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the process did not end");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), output);
        assertTrue(
                output.contains("aimle: error: the process is ending before the command finished (a signal, or a"
                        + " plugin calling System.exit)"),
                output);
    }
}
