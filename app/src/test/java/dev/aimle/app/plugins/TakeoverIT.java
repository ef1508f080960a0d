package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The silent takeover of the issue, with the real built plugins: a third-party plugin whose provider
 * is also named {@code topk} (and returns 0.5 times the one-hot answer) no longer wins by load order.
 * Plain {@code topk} is refused naming both plugins; the qualified names pick one; the impostor's
 * output fails the check instead of producing normal-looking tables.
 */
class TakeoverIT {
    @TempDir
    Path home;

    private CliRun run(String... args) {
        return CliRun.run(Map.of(), home, args);
    }

    @Test
    void aPluginNamedTopkCannotTakeOverTheBuiltInOne() throws IOException {
        String built = System.getProperty("aimle.plugins.built");
        String version = System.getProperty("aimle.project.version");
        assertNotNull(built, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        try (Stream<Path> jars = Files.list(Path.of(built))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        // "a" sorts before "aimle-topk": under the old first-wins rule the impostor would have won
        PluginJar impostor = PluginJar.plugin("a-faster-topk").solver("topk").withFault("solve-half");
        impostor.writeTo(plugins, Files.createDirectories(home.resolve("work")));

        CliRun plain = run("demo", "--plugins-dir", plugins.toString());
        assertEquals(1, plain.code(), plain.describe());
        assertTrue(
                plain.err()
                        .contains("map solver 'topk' is ambiguous: it is provided by " + impostor.label()
                                + " and by aimle-topk@" + version
                                + "; choose one with a-faster-topk:topk or aimle-topk:topk"),
                plain.describe());

        CliRun builtIn = run("demo", "--plugins-dir", plugins.toString(), "--solver", "aimle-topk:topk");
        assertEquals(0, builtIn.code(), builtIn.describe());
        assertTrue(builtIn.out().contains("solver   topk from aimle-topk@" + version + ", k = 3"), builtIn.describe());

        Path out = home.resolve("run");
        CliRun synthetic = run(
                "synthetic",
                "--plugins-dir",
                plugins.toString(),
                "--quick",
                "--progress",
                "none",
                "--solver",
                "a-faster-topk:topk",
                "--out",
                out.toString());
        assertEquals(1, synthetic.code(), synthetic.describe());
        assertTrue(
                synthetic
                        .err()
                        .contains("aimle synthetic: error: solver 'topk' from " + impostor.label() + " returned"),
                synthetic.describe());
        assertTrue(synthetic.err().contains("that are not exactly 0 or 1"), synthetic.describe());
        assertFalse(Files.exists(out.resolve("results.md")), "no normal-looking table");
    }
}
