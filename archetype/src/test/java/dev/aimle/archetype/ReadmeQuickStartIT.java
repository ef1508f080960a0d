package dev.aimle.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it from DJL" quick start, as a new user takes it: its complete {@code pom.xml},
 * copied from the README as it stands, builds a project with Maven (the same Maven as this build,
 * 3.8 or later, Java 17) and a program that takes the top-k solver from the class path (the plain
 * jar of {@code aimle-solvers-plugin-topk}, the README's second plugin path) runs and selects the
 * expected features.
 */
class ReadmeQuickStartIT {

    @TempDir
    Path work;

    @Test
    void theReadmePomBuildsAProgramThatSelectsFeaturesWithTheTopKSolverFromTheClassPath()
            throws IOException, InterruptedException {
        OfflineMaven maven = OfflineMaven.in(work);
        Path project = Files.createDirectories(work.resolve("select-features"));
        Files.writeString(project.resolve("pom.xml"), readmePom());
        Path source = Files.createDirectories(project.resolve("src/main/java/com/example"));
        Files.writeString(source.resolve("SelectFeatures.java"), """
                package com.example;

                import ai.djl.ndarray.NDManager;
                import ai.djl.ndarray.types.Shape;
                import dev.aimle.api.Config;
                import dev.aimle.api.MapSolver;
                import dev.aimle.runtime.MapSolvers;
                import dev.aimle.estimators.Estimators;
                import dev.aimle.estimators.layer.DiscreteLayer;
                import dev.aimle.estimators.noise.Noise;
                import java.util.Arrays;

                public final class SelectFeatures {
                    public static void main(String[] args) {
                        MapSolver topk = MapSolvers.create(
                                Estimators.solverRegistry(SelectFeatures.class.getClassLoader()),
                                "topk", Config.of("k", 3), MapSolvers.Guard.defaults());
                        DiscreteLayer layer = DiscreteLayer.builder()
                                .solver(topk).noise(Noise.sumOfGamma(3, 10))
                                .estimator(Estimators.aimle().central().build()).seed(1).build();
                        float[] scores = new float[20];
                        scores[4] = 3; scores[11] = 2; scores[17] = 1;
                        try (NDManager manager = NDManager.newBaseManager()) {
                            float[] z = layer.map(manager.create(scores, new Shape(1, 20))).toFloatArray();
                            System.out.println("selected " + Arrays.toString(z));
                        }
                    }
                }
                """);
        maven.run(project, "package");
        Path classpath = work.resolve("classpath.txt");
        maven.run(
                project,
                "org.apache.maven.plugins:maven-dependency-plugin:"
                        + OfflineMaven.property("aimle.dependency.plugin.version") + ":build-classpath",
                "-Dmdep.outputFile=" + classpath);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-cp",
                project.resolve("target/classes") + ":"
                        + Files.readString(classpath).trim(),
                "com.example.SelectFeatures"));
        Path log = work.resolve("run.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        int code = builder.start().waitFor();
        String output = Files.readString(log);
        assertEquals(0, code, output);
        float[] expected = new float[20];
        expected[4] = 1;
        expected[11] = 1;
        expected[17] = 1;
        assertTrue(output.contains("selected " + Arrays.toString(expected)), output);
    }

    /** The first {@code xml} block after "A complete `pom.xml`" in the README. */
    private static String readmePom() throws IOException {
        String readme = Files.readString(Path.of(OfflineMaven.property("aimle.readme")));
        int at = readme.indexOf("A complete `pom.xml`");
        assertTrue(at >= 0, "the README's quick start says \"A complete `pom.xml`\"");
        Matcher block = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(at), "an xml block after the quick start's heading");
        return block.group(1);
    }
}
