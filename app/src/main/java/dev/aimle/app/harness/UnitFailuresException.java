package dev.aimle.app.harness;

import java.io.IOException;
import java.util.List;

/** Some units of a batch failed (the others ended normally); names each with its reason. */
public final class UnitFailuresException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The failed units, in the batch's order. */
    private final List<UnitOutcome> failed;

    /**
     * @param failed the failed units, at least one
     * @param of how many units the batch held
     * @param hint what to do next, appended to the message
     */
    public UnitFailuresException(List<UnitOutcome> failed, int of, String hint) {
        super(message(failed, of, hint));
        this.failed = List.copyOf(failed);
    }

    private static String message(List<UnitOutcome> failed, int of, String hint) {
        if (failed.isEmpty()) {
            throw new IllegalArgumentException("a UnitFailuresException needs at least one failed unit");
        }
        StringBuilder sb = new StringBuilder()
                .append(failed.size())
                .append(" of ")
                .append(of)
                .append(" runs failed: ");
        for (int i = 0; i < failed.size(); i++) {
            UnitOutcome o = failed.get(i);
            sb.append(i == 0 ? "" : "; ")
                    .append(o.id())
                    .append(" (")
                    .append(o.failure())
                    .append(')');
        }
        return sb.append(". ").append(hint).toString();
    }

    /** The failed units with their reasons. */
    public List<UnitOutcome> failed() {
        return failed;
    }
}
