package dev.aimle.api;

import dev.aimle.api.contract.NoiseDistributionContract;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link NoiseDistribution} must meet, written once in {@link
 * NoiseDistributionContract} and run here as JUnit tests. Extend it in your noise's tests (it is
 * published in the {@code aimle-api} test-jar) and implement {@link #createNoise()}, {@link
 * #expectedMean()} and {@link #expectedVariance()} (the closed forms); the tests check shape, dtype,
 * device and owner of a draw, an empty shape, the moments of {@link NoiseDistributionContract#DRAWS}
 * draws against the closed forms, the same numbers for the same seed on any thread, and a generator
 * advanced by every draw. Every check is a {@code protected} method: override one to replace it.
 *
 * <p>Each test method asserts through {@code NoiseDistributionContract}, whose {@code
 * ContractViolation} is an {@code AssertionError} naming the broken clause.
 */
public abstract class NoiseDistributionContractTest extends ContractTestBase {

    /** The distribution under test. */
    protected abstract NoiseDistribution createNoise();

    /** Its mean, in closed form. */
    protected abstract double expectedMean();

    /** Its variance, in closed form. */
    protected abstract double expectedVariance();

    /** The checks over this test's distribution. */
    protected NoiseDistributionContract contract() {
        return new NoiseDistributionContract(createNoise(), expectedMean(), expectedVariance(), manager);
    }

    @Test
    protected void sampleHasTheShapeDtypeDeviceAndManager() {
        contract().sampleHasTheShapeDtypeDeviceAndManager();
    }

    @Test
    protected void anEmptyShapeGivesAnEmptyArray() {
        contract().anEmptyShapeGivesAnEmptyArray();
    }

    @Test
    protected void momentsMatchTheClosedForms() {
        contract().momentsMatchTheClosedForms();
    }

    @Test
    protected void sameSeedGivesSameNumbersOnAnyThread() throws InterruptedException {
        contract().sameSeedGivesSameNumbersOnAnyThread();
    }

    @Test
    protected void theGeneratorIsAdvanced() {
        contract().theGeneratorIsAdvanced();
    }
}
