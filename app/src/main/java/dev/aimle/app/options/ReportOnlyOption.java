package dev.aimle.app.options;

import picocli.CommandLine.Option;

/**
 * The {@code --report-only} flag of every experiment command (the sweeps through {@link
 * SweepOptions}, and {@code synthetic}): the report written again from the outputs as they are, with
 * nothing computed and no run created or changed.
 */
public final class ReportOnlyOption {
    @Option(
            names = "--report-only",
            description = "Write the report from the outputs as they are; train or compute nothing, create nothing.")
    private boolean reportOnly;

    /** Whether {@code --report-only} was given. */
    public boolean reportOnly() {
        return reportOnly;
    }
}
