package dev.aimle.app.experiments.nri;

import java.util.Locale;

/** The three parts of the NRI graph-layout data set, with the sizes of the SST generator. */
public enum NriSplit {
    /** 50,000 training examples. */
    TRAIN(50_000),
    /** 10,000 validation examples. */
    VALID(10_000),
    /** 10,000 test examples. */
    TEST(10_000);

    private final int defaultCount;

    NriSplit(int defaultCount) {
        this.defaultCount = defaultCount;
    }

    /** The name in the SST file names: {@code train}, {@code valid}, {@code test}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The number of examples the SST generator writes by default. */
    public int defaultCount() {
        return defaultCount;
    }

    /**
     * The number that keeps this split's random streams apart from the others' in
     * {@link NriGenerator#exampleSeed}: 0 for train, 1 for valid, 2 for test. Fixed, not the ordinal,
     * so that the data does not change if the enum does.
     */
    public int streamId() {
        return switch (this) {
            case TRAIN -> 0;
            case VALID -> 1;
            case TEST -> 2;
        };
    }
}
