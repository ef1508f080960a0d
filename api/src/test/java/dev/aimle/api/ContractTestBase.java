package dev.aimle.api;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the published contract bases ({@link MapSolverContractTest}, {@link
 * GradientEstimatorContractTest}, {@link NoiseDistributionContractTest}) share: a manager per test
 * that owns every array the checks create.
 *
 * <p>It holds no test of its own: the subclasses' test methods assert through the contract's checks,
 * whose {@code ContractViolation} is an {@code AssertionError}.
 */
public abstract class ContractTestBase {
    /** The manager of the current test; closed after each test. */
    protected NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }
}
