package dev.aimle.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code mvn} as a user of this build would, without the network: the local repository is
 * {@code target/it-repo} (this build's artefacts, installed by {@code invoker:install}) and every
 * other artefact comes from the build's own local repository as a file mirror, as in the archetype's
 * own integration test. The system properties are set by failsafe in {@code archetype/pom.xml}.
 *
 * @param settings the settings file with the mirror
 */
record OfflineMaven(Path settings) {

    /** Writes the settings into {@code work}. */
    static OfflineMaven in(Path work) throws IOException {
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror><id>build-local-repository</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(
                        Path.of(property("aimle.build.repository")).toUri()));
        return new OfflineMaven(settings);
    }

    /**
     * {@code mvn -B args} in {@code directory}; fails the test with Maven's whole output unless it
     * exits 0.
     *
     * @return Maven's output
     */
    String run(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "mvn",
                "-B",
                "-ntp",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + property("aimle.it.repository"),
                "-DinteractiveMode=false"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(settings.getParent(), "maven-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        int code = builder.start().waitFor();
        String output = Files.readString(log);
        assertEquals(0, code, String.join(" ", command) + " in " + directory + ":\n" + output);
        return output;
    }

    /** A system property failsafe sets. */
    static String property(String name) {
        String value = System.getProperty(name);
        assertTrue(
                value != null && !value.isBlank(),
                "system property " + name + " (set by failsafe in archetype/pom.xml)");
        return value;
    }
}
