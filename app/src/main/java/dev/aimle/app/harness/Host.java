package dev.aimle.app.harness;

import dev.aimle.app.plugins.Discovery;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * What the harness's commands need from the root command, without depending on it: the providers,
 * the plugins directory for child processes, and the class a child JVM starts.
 */
public interface Host {
    /** Discovers the providers, printing load problems as warnings on the command's stderr. */
    Discovery discover(CommandLine commandLine);

    /** The plugins directory in force, for child processes. */
    Path pluginsDirectory();
}
