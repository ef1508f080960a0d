package dev.aimle.archetype;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.app.Main;
import dev.aimle.app.cli.CliEnvironment;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.app.plugins.PluginLoader;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteSample;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.runtime.MapSolvers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin author's whole path, as the README tells it, for a solver unlike the archetype's: a
 * project generated from this archetype by {@code mvn archetype:generate}, its solver replaced by a
 * minimising grid shortest path ({@code src/test/resources/grid-path/Solver.java}), built by {@code
 * mvn verify} (which runs the generated contract test against it), its jar listed by {@code aimle
 * solvers}, passed by {@code aimle verify <jar>}, and loaded from a plugins directory to train AIMLE
 * steps until the cheapest path is a target path. Maven runs offline against {@code target/it-repo}
 * (this build's artefacts, installed by {@code invoker:install}) and the build's own local repository
 * as a file mirror, as the archetype's own integration test does.
 */
class GeneratedPluginEndToEndIT {

    private static final String PLUGIN_ID = "acme-grid-path";

    @TempDir
    Path work;

    private OfflineMaven maven;

    @Test
    void aMinimisingPluginGeneratedFromTheArchetypePassesItsContractVerifiesLoadsAndTrains()
            throws IOException, InterruptedException {
        maven = OfflineMaven.in(work);
        Path project = generate();
        try (InputStream solver = GeneratedPluginEndToEndIT.class.getResourceAsStream("/grid-path/Solver.java")) {
            assertTrue(solver != null, "test resource grid-path/Solver.java");
            Files.copy(
                    solver,
                    project.resolve("src/main/java/com/example/grid/Solver.java"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        // the one line of the generated test a grid solver's author edits: [2, 4] is a valid grid
        Path test = project.resolve("src/test/java/com/example/grid/SolverContractTest.java");
        String generated = Files.readString(test);
        assertTrue(generated.contains("return new Shape(2, 4);"), generated);
        Files.writeString(test, generated.replace("return new Shape(2, 4);", "return new Shape(9);"));
        maven.run(project, "verify");

        String report = Files.readString(
                project.resolve("target/surefire-reports/TEST-com.example.grid.SolverContractTest.xml"));
        int tests = attribute(report, "tests");
        assertTrue(tests >= 10, "the generated contract test ran " + tests + " checks");
        assertEquals(0, attribute(report, "failures"), report);
        assertEquals(0, attribute(report, "errors"), report);
        assertEquals(0, attribute(report, "skipped"), report);

        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path jar = Files.copy(
                project.resolve("target/" + PLUGIN_ID + "-1.0.0.jar"), plugins.resolve(PLUGIN_ID + "-1.0.0.jar"));
        try (var built = Files.list(project.resolve("target"))) {
            assertEquals(
                    List.of(PLUGIN_ID + "-1.0.0.jar"),
                    built.map(p -> p.getFileName().toString())
                            .filter(name -> name.endsWith(".jar"))
                            .toList(),
                    "one jar to ship, no original-*.jar beside it");
        }

        String solvers = aimle(0, "solvers", "--plugins-dir", plugins.toString());
        assertTrue(solvers.contains("grid-path") && solvers.contains(PLUGIN_ID), solvers);
        assertTrue(solvers.toLowerCase().contains("minimise"), "the listing shows the sense:\n" + solvers);
        String verify = aimle(0, "verify", jar.toString());
        assertTrue(verify.contains("enumeration"), "verify checks optimality by enumeration:\n" + verify);

        trainsThePathToATarget(plugins);
    }

    /**
     * Costs on a 3 x 3 grid, all 2: the tie rule's path runs along the top row and down the last
     * column. AIMLE moves the costs until the cheapest path is the target (right, down, down, right),
     * the first step in the direction a minimiser needs.
     */
    private static void trainsThePathToATarget(Path plugins) {
        try (Discovery discovery = PluginLoader.forApp().load(plugins);
                NDManager manager = NDManager.newBaseManager()) {
            MapSolver solver = MapSolvers.create(
                    discovery.solvers(), PLUGIN_ID + ":grid-path", Config.empty(), MapSolvers.Guard.defaults());
            assertEquals(MapSolver.Sense.MINIMISE, solver.sense());
            Aimle aimle = Estimators.aimle().central().alpha0(1).build();
            DiscreteLayer layer = DiscreteLayer.builder()
                    .solver(solver)
                    .noise(Noise.none())
                    .estimator(aimle)
                    .seed(11)
                    .build();
            Shape shape = new Shape(1, 3, 3);
            float[] costs = new float[9];
            Arrays.fill(costs, 2f);
            float[] topThenRight = {1, 1, 1, 0, 0, 1, 0, 0, 1};
            float[] target = {1, 1, 0, 0, 1, 0, 0, 1, 1};
            NDArray theta = manager.create(costs, shape);
            assertArrayEquals(topThenRight, layer.map(theta).toFloatArray(), 0f, "the path before training");
            NDArray goal = manager.create(target, shape);
            List<String> trace = new ArrayList<>();
            float[] path;
            int steps = 0;
            do {
                theta.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    DiscreteSample z = layer.sample(theta);
                    NDArray hamming = z.values().sub(goal).square().sum();
                    layer.backward(collector, hamming, z);
                }
                float[] gradient = theta.getGradient().toFloatArray();
                if (steps == 0) {
                    // cell 4 is on the target only, cell 2 on the path only
                    assertTrue(gradient[4] > 0 && gradient[2] < 0, "first gradient " + Arrays.toString(gradient));
                }
                theta = manager.create(
                        theta.stopGradient()
                                .sub(Scalars.mul(theta.getGradient(), 0.5))
                                .toFloatArray(),
                        shape);
                steps++;
                path = layer.map(theta).toFloatArray();
                trace.add(Arrays.toString(path));
            } while (!Arrays.equals(path, target) && steps < 30);
            assertArrayEquals(target, path, 0f, "the cheapest path after " + steps + " steps: " + trace);
            assertFalse(aimle.state().isEmpty(), "AIMLE kept its adaptive state");
        }
    }

    private Path generate() throws IOException, InterruptedException {
        maven.run(
                work,
                "org.apache.maven.plugins:maven-archetype-plugin:"
                        + OfflineMaven.property("aimle.archetype.plugin.version") + ":generate",
                "-DarchetypeGroupId=dev.aimle",
                "-DarchetypeArtifactId=aimle-solver-plugin-archetype",
                "-DarchetypeVersion=" + OfflineMaven.property("aimle.version"),
                "-DgroupId=com.example",
                "-DartifactId=" + PLUGIN_ID,
                "-Dversion=1.0.0",
                "-Dpackage=com.example.grid",
                "-DsolverName=grid-path",
                "-DpluginId=" + PLUGIN_ID);
        return work.resolve(PLUGIN_ID);
    }

    /** {@code aimle args} in this JVM; returns stdout after checking the exit code. */
    private String aimle(int expected, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                args,
                new CliEnvironment(Map.of("DJL_OFFLINE", "true"), work),
                new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(expected, code, "aimle " + String.join(" ", args) + "\n" + out + err);
        return out.toString();
    }

    private static int attribute(String xml, String name) {
        Matcher m = Pattern.compile("<testsuite[^>]*\\s" + name + "=\"(\\d+)\"").matcher(xml);
        assertTrue(m.find(), "attribute " + name + " in the surefire report");
        return Integer.parseInt(m.group(1));
    }
}
