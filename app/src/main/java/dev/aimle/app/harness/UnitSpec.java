package dev.aimle.app.harness;

import dev.aimle.api.Config;
import java.util.Set;

/**
 * Everything that decides the numbers of one run, the unit a sweep is made of: a record, written by
 * Jackson to the run's {@code spec.json} ({@link Specs}); a run directory resumes only under an
 * equal spec.
 */
public interface UnitSpec {

    /** A directory name that identifies the run within its sweep, e.g. {@code aimle-central_seed0}. */
    String id();

    /**
     * The solver the run trains through, plain or qualified, e.g. {@code topk} or {@code aimle-ilp:ilp}:
     * the harness creates it (checked, with the sweep's time limit) and hands it to the session.
     */
    String solver();

    /** The solver's configuration, e.g. {@code k} for {@code topk}. */
    Config solverConfig();

    /**
     * The λ of a method with a fixed one (IMLE), which its estimator's state does not hold, for the
     * {@code lambda} column of every row; NaN (by default) for a method without one. {@link MethodSpec}
     * states it from the method and the λ.
     */
    default double fixedLambda() {
        return Double.NaN;
    }

    /** How many rows (evaluations, each followed by a checkpoint) a complete run writes. */
    int rowsWanted();

    /**
     * Properties of the spec that may change between invocations of a sweep without changing any
     * row already written, so that a run can be extended (or cut short) and resumed, e.g. the number
     * of epochs.
     */
    default Set<String> extensibleKeys() {
        return Set.of();
    }
}
