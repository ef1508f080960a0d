package dev.aimle.api.contract;

/**
 * An implementation broke its SPI contract: a check of {@link MapSolverContract}, {@link
 * GradientEstimatorContract} or {@link NoiseDistributionContract} failed. It is an {@link
 * AssertionError}, so that a test framework reports it as a failed assertion rather than an error,
 * while the checks themselves need no test framework ({@code aimle verify} runs them in the app).
 */
public final class ContractViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what the implementation did, with the seed when there is one */
    public ContractViolation(String message) {
        super(message);
    }

    /** Throws a violation with {@code message} unless {@code condition} holds. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new ContractViolation(message);
        }
    }
}
