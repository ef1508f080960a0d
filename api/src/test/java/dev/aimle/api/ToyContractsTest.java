package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.ContractToys.Fault;
import dev.aimle.api.contract.ContractViolation;
import dev.aimle.api.contract.GradientEstimatorContract;
import dev.aimle.api.contract.MapSolverContract;
import dev.aimle.api.contract.NoiseDistributionContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract bases pass correct implementations ({@link ContractToys} without a fault, through
 * the nested classes, whose test methods and their assertions are inherited from {@link
 * GradientEstimatorContractTest} and {@link NoiseDistributionContractTest}) and catch broken ones:
 * each fault of {@link ContractToys.Fault} fails the check of the clause it breaks with a {@link
 * ContractViolation} that says what is wrong.
 */
class ToyContractsTest {
    private NDManager manager;
    private NDManager foreign;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        foreign = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        foreign.close();
        manager.close();
    }

    /** The test methods and their assertions are inherited from {@link GradientEstimatorContractTest}. */
    @Nested
    class CorrectEstimator extends GradientEstimatorContractTest {
        @Override
        protected GradientEstimator createEstimator() {
            return new ContractToys.FiniteDifference(Fault.NONE, foreign);
        }

        @Override
        protected MapSolver solver() {
            return new PerInstanceMapSolverContractTest.OneHotArgmax(1);
        }

        @Override
        protected NoiseDistribution noise() {
            return new ContractToys.Exponential(Fault.NONE);
        }
    }

    /** The test methods and their assertions are inherited from {@link NoiseDistributionContractTest}. */
    @Nested
    class CorrectNoise extends NoiseDistributionContractTest {
        @Override
        protected NoiseDistribution createNoise() {
            return new ContractToys.Exponential(Fault.NONE);
        }

        @Override
        protected double expectedMean() {
            return 1;
        }

        @Override
        protected double expectedVariance() {
            return 1;
        }
    }

    private GradientEstimatorContract estimator(Fault fault) {
        return new GradientEstimatorContract(
                () -> new ContractToys.FiniteDifference(fault, foreign),
                new PerInstanceMapSolverContractTest.OneHotArgmax(1),
                new ContractToys.Exponential(Fault.NONE),
                manager);
    }

    private NoiseDistributionContract noise(Fault fault) {
        return new NoiseDistributionContract(new ContractToys.Exponential(fault), 1, 1, manager);
    }

    private static void assertViolation(Executable check, String expectedInMessage) {
        ContractViolation v = assertThrows(ContractViolation.class, check);
        assertTrue(
                v.getMessage().contains(expectedInMessage),
                "the violation should say '" + expectedInMessage + "': " + v.getMessage());
    }

    @Test
    void aGradientWithTheSampleAxisFailsTheShapeCheck() {
        assertViolation(estimator(Fault.GRADIENT_PER_SAMPLE)::forwardAndBackwardKeepTheShapes, "shape (12, 6)");
    }

    @Test
    void randomnessOfItsOwnFailsTheSeedCheck() {
        assertViolation(estimator(Fault.OWN_RANDOMNESS)::sameSeedGivesSameSamplesAndGradient, "the same seed 4");
    }

    @Test
    void aGradientOnAnotherManagerFailsTheOwnershipCheck() {
        assertViolation(estimator(Fault.LEAKS_TO_ANOTHER_MANAGER)::resultsBelongToThetasManagerAndDevice, "outlived");
    }

    @Test
    void anAcceptedMaskWithoutMaskSupportFailsTheMaskCheck() {
        assertViolation(estimator(Fault.ACCEPTS_A_MASK)::masksAreHonouredOrRefused, "accepted one");
    }

    @Test
    void aStateThatIsNotRestoredFailsTheStateCheck() {
        assertViolation(estimator(Fault.FORGETS_ITS_STATE)::stateSurvivesARestoreIntoANewEstimator, "but reports");
    }

    @Test
    void theWrongVarianceFailsTheMomentCheck() {
        assertViolation(noise(Fault.WRONG_VARIANCE)::momentsMatchTheClosedForms, "the variance is off");
    }

    @Test
    void float64NoiseFailsTheDtypeCheck() {
        assertViolation(noise(Fault.FLOAT64)::sampleHasTheShapeDtypeDeviceAndManager, "float64");
    }

    @Test
    void noiseOfItsOwnRandomnessFailsTheSeedCheck() {
        assertViolation(noise(Fault.OWN_RANDOMNESS)::sameSeedGivesSameNumbersOnAnyThread, "two draws with seed 10");
    }

    @Test
    void aNegativeVarianceIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new NoiseDistributionContract(new ContractToys.Exponential(Fault.NONE), 1, -1, manager));
        assertTrue(e.getMessage().contains("variance (-1.0)"), e.getMessage());
    }

    @Test
    void aSolverReturningItsInputFailsTheOutputCheck() {
        MapSolver aliasing = new MapSolver() {
            @Override
            public NDArray solve(NDArray theta) {
                return theta;
            }

            @Override
            public String name() {
                return "aliasing";
            }
        };
        MapSolverContract contract = new MapSolverContract(aliasing, "the test", manager) {
            @Override
            protected Shape instanceShape() {
                return new Shape(5);
            }
        };
        assertViolation(contract::outputIsANewArrayAndPassesTheOutputCheck, "returned its input array itself");
    }
}
