/**
 * The SPI's contracts as executable checks, written once: {@link
 * dev.aimle.api.contract.MapSolverContract}, {@link dev.aimle.api.contract.GradientEstimatorContract}
 * and {@link dev.aimle.api.contract.NoiseDistributionContract}. Each check is a plain method that
 * returns a one-line detail or throws {@link dev.aimle.api.contract.ContractViolation}; they need
 * nothing but the JDK and DJL. The JUnit bases published in the {@code aimle-api} test-jar ({@code
 * MapSolverContractTest}, {@code GradientEstimatorContractTest}, {@code
 * NoiseDistributionContractTest}) run them as tests, and {@code aimle verify} runs the solver checks
 * from the command line, so that the two can never disagree and JUnit never becomes a run-time
 * dependency of the app.
 */
package dev.aimle.api.contract;
