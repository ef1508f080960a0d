package dev.aimle.app.experiments.l2x;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rated aspects of a BeerAdvocate review, by their column in the rating files (McAuley et al.
 * 2012, as distributed by Lei et al. 2016: five scores per review, the fifth the overall one) and
 * their key in {@code annotations.json}.
 */
public enum BeerAspect {
    /** Column 0. */
    APPEARANCE,
    /** Column 1, the aspect of the paper's Table 1. */
    AROMA,
    /** Column 2. */
    PALATE,
    /** Column 3. */
    TASTE;

    /** The number of scores on a line of a review file: the four aspects and the overall score. */
    public static final int SCORES = 5;

    /** The column of the aspect's score, also its key in the annotations. */
    public int column() {
        return ordinal();
    }

    /** The lower-case name, e.g. {@code aroma}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The aspect named by {@code value}: its name ({@code aroma}) or its column ({@code 1}).
     *
     * @throws IllegalArgumentException naming the known aspects
     */
    @JsonCreator
    public static BeerAspect parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (BeerAspect a : values()) {
            if (a.id().equals(v) || Integer.toString(a.column()).equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown aspect '" + value + "'; expected one of " + ids()
                + " or their columns 0-" + (values().length - 1));
    }

    /** The names, comma-separated. */
    public static String ids() {
        return Arrays.stream(values()).map(BeerAspect::id).collect(Collectors.joining(", "));
    }
}
