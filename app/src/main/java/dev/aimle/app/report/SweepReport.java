package dev.aimle.app.report;

import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.UnitSpec;
import dev.aimle.app.io.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The skeleton of an experiment's report, written from whatever the run directories hold: {@value
 * #SUMMARY} (a line per run that has rows), the runs grouped by configuration ({@link
 * RunGroup#configuration}: the spec without the seed), {@value #RESULTS} (the experiment's tables of
 * the groups, also printed) and its figures. An experiment's report is a {@link Layout}: what a
 * summary line says, its tables (choosing λ or temperatures by validation with {@link
 * RunGroup#choose}, laid out with {@link Markdown}) and its figures ({@link Curves}).
 */
public final class SweepReport {
    /** A line per run. */
    public static final String SUMMARY = "summary.csv";
    /** The tables. */
    public static final String RESULTS = "results.md";

    private SweepReport() {}

    /**
     * What an experiment's report says.
     *
     * @param <S> the experiment's spec
     */
    public interface Layout<S extends UnitSpec> {
        /** The header line of {@value #SUMMARY}, with its newline. */
        String summaryHeader();

        /** The line of {@value #SUMMARY} of a run with at least one row, with its newline. */
        String summaryLine(S spec, List<Map<String, Double>> rows);

        /** The configuration a run is averaged in: by default its spec without the seed. */
        default String groupKey(S spec) {
            return RunGroup.configuration(spec);
        }

        /** Whether a run with rows is averaged into its configuration: by default every one. */
        default boolean averaged(RunUnit<S> run) throws IOException {
            return true;
        }

        /**
         * The text of {@value #RESULTS}.
         *
         * @param runs every run reported, averaged or not
         */
        String tables(Map<String, RunGroup<S>> groups, List<RunUnit<S>> runs);

        /**
         * Writes the figures into {@code out}.
         *
         * @return the files for the log line, e.g. {@code curves.png, lambda.png}
         */
        String figures(Path out, Map<String, RunGroup<S>> groups) throws IOException;
    }

    /** The mean wall time of a run's rows (the training loop's {@code seconds}), for a summary line. */
    public static double meanSeconds(List<Map<String, Double>> rows) {
        return rows.stream().mapToDouble(r -> r.get("seconds")).average().orElse(Double.NaN);
    }

    /**
     * The runs that have rows and are {@linkplain Layout#averaged averaged}, grouped by {@linkplain
     * Layout#groupKey configuration}, in the order of each group's first run.
     */
    public static <S extends UnitSpec> Map<String, RunGroup<S>> groups(List<RunUnit<S>> runs, Layout<S> layout)
            throws IOException {
        Map<String, RunGroup<S>> groups = new LinkedHashMap<>();
        for (RunUnit<S> run : runs) {
            List<Map<String, Double>> rows = run.results();
            if (rows.isEmpty() || !layout.averaged(run)) {
                continue;
            }
            RunGroup<S> g = groups.computeIfAbsent(
                    layout.groupKey(run.spec()), k -> new RunGroup<>(run.spec(), new ArrayList<>(), new ArrayList<>()));
            g.runs().add(run);
            g.seeds().add(rows);
        }
        return groups;
    }

    /**
     * Writes {@value #SUMMARY} (a line per run with rows), then, if a run is averaged, {@value
     * #RESULTS} and the figures.
     *
     * @param experiment the experiment's name, for the log
     */
    public static <S extends UnitSpec> void write(
            String experiment, Path out, List<RunUnit<S>> runs, Layout<S> layout, PrintWriter log) throws IOException {
        StringBuilder summary = new StringBuilder(layout.summaryHeader());
        for (RunUnit<S> run : runs) {
            List<Map<String, Double>> rows = run.results();
            if (!rows.isEmpty()) {
                summary.append(layout.summaryLine(run.spec(), rows));
            }
        }
        RunDirectory.writeAtomically(out.resolve(SUMMARY), summary.toString());
        Map<String, RunGroup<S>> groups = groups(runs, layout);
        if (groups.isEmpty()) {
            log.println(experiment + ": no run to report yet; " + SUMMARY + " only");
            log.flush();
            return;
        }
        String tables = layout.tables(groups, runs);
        RunDirectory.writeAtomically(out.resolve(RESULTS), tables);
        log.print(tables);
        log.flush();
        Charts.preferHeadless();
        String figures = layout.figures(out, groups);
        log.println(experiment + ": report in " + out.toAbsolutePath() + " (" + SUMMARY + ", " + RESULTS
                + (figures.isEmpty() ? "" : ", " + figures) + ")");
        log.flush();
    }
}
