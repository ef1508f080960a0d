package dev.aimle.app.harness;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A method of an experiment (an enum constant): its id on the command line, in directories, CSVs
 * and specs, and its label in tables and legends. {@link #parse} and {@link #ids} serve every such
 * enum.
 */
public interface Method {
    /** The name on the command line, in directories, CSVs and specs. */
    String id();

    /** The name in tables and legends. */
    String label();

    /** Whether the method takes a fixed λ from its spec (IMLE), which the rows record ({@link MethodSpec}). */
    default boolean usesLambda() {
        return false;
    }

    /**
     * Whether the method goes beyond the paper (AIMLE's calibrated preset): such methods run only when
     * named, so an experiment's default grid stays the paper's ({@link #paperIds}).
     */
    default boolean beyondThePaper() {
        return false;
    }

    /**
     * The constant of {@code type} with this id (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the known ids
     */
    static <E extends Enum<E> & Method> E parse(Class<E> type, String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        for (E m : type.getEnumConstants()) {
            if (m.id().equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "'; expected one of " + ids(type));
    }

    /** The ids of the paper's methods of {@code type} (not {@link #beyondThePaper}), comma-separated: a default grid. */
    static <E extends Enum<E> & Method> String paperIds(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .filter(m -> !m.beyondThePaper())
                .map(Method::id)
                .collect(Collectors.joining(","));
    }

    /** The ids of {@code type}, comma-separated, in declaration order. */
    static <E extends Enum<E> & Method> String ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Method::id).collect(Collectors.joining(", "));
    }
}
