package dev.aimle.solvers.ilp;

import com.google.ortools.Loader;

/** Loads the OR-Tools native libraries (once per JVM; {@link Loader} remembers it did). */
final class OrTools {
    private OrTools() {}

    /**
     * Loads the natives, extracting them from the {@code ortools-<platform>} jar on first use.
     *
     * @throws IllegalStateException naming the platform when the natives cannot be loaded
     */
    static void loadNatives() {
        try {
            Loader.loadNativeLibraries();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot load the OR-Tools native libraries for " + System.getProperty("os.name") + "/"
                            + System.getProperty("os.arch") + ": " + e.getMessage()
                            + ". Maybe the ortools-<platform> jar (e.g. ortools-linux-x86-64) is missing from"
                            + " the classpath or the plugin's lib/, or another class loader already loaded"
                            + " OR-Tools in this JVM",
                    e);
        }
    }
}
