package dev.aimle.api;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.contract.GradientEstimatorContract;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link GradientEstimator} must meet, written once in {@link
 * GradientEstimatorContract} and run here as JUnit tests. Extend it in your estimator's tests (it is
 * published in the {@code aimle-api} test-jar) and implement {@link #createEstimator()} (a new
 * estimator in its initial state on every call), {@link #solver()} and {@link #noise()}; the tests
 * check the shapes of samples and estimate, their device and manager, a zero estimate where the MAP
 * state cannot change, determinism under a seed, a state that survives a restore into a new
 * estimator, masks (honoured when {@link GradientEstimator#supportsMask()}, refused otherwise), NaN
 * inputs refused, and the per-sample loss used only when required.
 *
 * <p>Every check is a {@code protected} method: override one to replace it (an override without
 * {@code @Test} switches it off; say why in your test, as for an estimator whose backward pass does
 * not call the solver and so has a gradient where the MAP state cannot change).
 *
 * <p>Each test method asserts through {@code GradientEstimatorContract}, whose {@code
 * ContractViolation} is an {@code AssertionError} naming the broken clause.
 */
public abstract class GradientEstimatorContractTest extends ContractTestBase {

    /** A new estimator in its initial state. */
    protected abstract GradientEstimator createEstimator();

    /** The MAP oracle of the perturbation, exact on instances of {@link #thetaShape()}. */
    protected abstract MapSolver solver();

    /** The perturbation's noise. */
    protected abstract NoiseDistribution noise();

    /** The shape of theta, {@code [B, n]}; the default is 3 instances of 6 entries. */
    protected Shape thetaShape() {
        return new Shape(3, 6);
    }

    /** The checks over this test's estimator, solver and noise. */
    protected GradientEstimatorContract contract() {
        return new GradientEstimatorContract(this::createEstimator, solver(), noise(), manager) {
            @Override
            protected Shape thetaShape() {
                return GradientEstimatorContractTest.this.thetaShape();
            }
        };
    }

    @Test
    protected void forwardAndBackwardKeepTheShapes() {
        contract().forwardAndBackwardKeepTheShapes();
    }

    @Test
    protected void resultsBelongToThetasManagerAndDevice() {
        contract().resultsBelongToThetasManagerAndDevice();
    }

    @Test
    protected void zeroWhereTheMapStateCannotChange() {
        contract().zeroWhereTheMapStateCannotChange();
    }

    @Test
    protected void sameSeedGivesSameSamplesAndGradient() {
        contract().sameSeedGivesSameSamplesAndGradient();
    }

    @Test
    protected void stateSurvivesARestoreIntoANewEstimator() {
        contract().stateSurvivesARestoreIntoANewEstimator();
    }

    @Test
    protected void masksAreHonouredOrRefused() {
        contract().masksAreHonouredOrRefused();
    }

    @Test
    protected void nanInputsAreRefused() {
        contract().nanInputsAreRefused();
    }

    @Test
    protected void theLossPerSampleIsUsedOnlyWhenRequired() {
        contract().theLossPerSampleIsUsedOnlyWhenRequired();
    }
}
