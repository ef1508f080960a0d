package dev.aimle.app.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --engine-threads} option shared by the commands that compute: PyTorch's intra-op
 * threads, set before the engine starts. The default is 1 because on this kind of machine the
 * arrays are small and our own host work (noise, per-instance solvers) already uses the cores, so
 * more engine threads made an AIMLE step slower, not faster (figures in the README's speed section).
 */
public final class EngineThreadsOption {
    /** The system property DJL's PyTorch engine reads once, when it starts. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--engine-threads",
            paramLabel = "T",
            defaultValue = "1",
            description = "PyTorch intra-op threads, set before the engine starts (default: ${DEFAULT-VALUE}; the"
                    + " arrays are small and extra engine threads only contend; 0 keeps the engine's default).")
    private int engineThreads;

    /**
     * Sets the engine's thread count unless the JVM was started with {@code -D} {@value #PROPERTY}.
     *
     * @throws ParameterException (exit code 2) on a negative value
     */
    public void apply() {
        if (engineThreads < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--engine-threads (" + engineThreads + ") must be at least 0");
        }
        if (engineThreads > 0 && System.getProperty(PROPERTY) == null) {
            // read once, when the engine starts; an engine already started keeps its threads
            System.setProperty(PROPERTY, Integer.toString(engineThreads));
        }
    }

    /** What the engine was told, for run records. */
    public static String current() {
        return System.getProperty(PROPERTY, "engine default");
    }
}
