package dev.aimle.app.harness;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every experiment's spec does with the solver it names ({@link UnitSpec#solver()}), written
 * once: a missing name is the experiment's default (a {@code spec.json} of a run that predates the
 * choice), the parameters are kept sorted, a solver other than the default names itself in the run's
 * id, and the default's name stays out of {@code spec.json} ({@link OmitDefault}), so the run
 * directories of the default solver keep the ids and specs they had before.
 */
public final class SpecSolvers {
    private SpecSolvers() {}

    /**
     * The solver's name: {@code defaultSolver} for null.
     *
     * @throws IllegalArgumentException for a blank name
     */
    public static String name(String solver, String defaultSolver) {
        String name = solver == null ? defaultSolver : solver;
        if (name.isBlank()) {
            throw new IllegalArgumentException("the solver must be named, got '" + name + "'");
        }
        return name;
    }

    /** The parameters, sorted and unmodifiable; empty for null. */
    public static Map<String, String> params(Map<String, String> params) {
        return params == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /** Whether {@code solver} is the solver {@code name}, plain or qualified by its plugin ({@code id:name}). */
    public static boolean is(String solver, String name) {
        return solver.equals(name) || solver.endsWith(":" + name);
    }

    /** Whether a run uses the default solver, plainly named, with no parameters. */
    public static boolean isDefault(String solver, Map<String, String> params, String defaultSolver) {
        return solver.equals(defaultSolver) && params.isEmpty();
    }

    /**
     * The part of a run's id that names its solver: none for the {@link #isDefault default}, else
     * {@code _NAME} with every character a directory name should not hold replaced by {@code -}.
     */
    public static String idPart(String solver, Map<String, String> params, String defaultSolver) {
        return isDefault(solver, params, defaultSolver) ? "" : "_" + solver.replaceAll("[^A-Za-z0-9.-]", "-");
    }

    /**
     * A Jackson value filter ({@code @JsonInclude(value = CUSTOM, valueFilter = ...)}) that leaves a
     * spec's default solver out of {@code spec.json}: Jackson leaves out what the filter equals. A spec
     * subclasses it with a no-argument constructor passing its default.
     */
    public abstract static class OmitDefault {
        private final String defaultSolver;

        /** Leaves {@code defaultSolver} out. */
        protected OmitDefault(String defaultSolver) {
            this.defaultSolver = defaultSolver;
        }

        @Override
        public boolean equals(Object value) {
            return defaultSolver.equals(value);
        }

        @Override
        public int hashCode() {
            return defaultSolver.hashCode();
        }
    }
}
