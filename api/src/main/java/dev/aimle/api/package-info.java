/**
 * The service-provider interface of aimle-java (SPI version 0.2): MAP oracles ({@link
 * dev.aimle.api.MapSolver}), perturbation distributions ({@link dev.aimle.api.NoiseDistribution})
 * and gradient estimators ({@link dev.aimle.api.GradientEstimator}), each discovered through its
 * provider with {@link java.util.ServiceLoader} or inside PF4J plugin jars; the value types that
 * travel between them ({@link
 * dev.aimle.api.Perturbation}, {@link dev.aimle.api.Sample}, {@link dev.aimle.api.Downstream},
 * {@link dev.aimle.api.Config}); and {@link dev.aimle.api.PerInstanceMapSolver}, the base class for
 * solvers that work one instance at a time on the host.
 *
 * <p>SPI 0.2 (from 0.1): a {@code Sample} carries the {@code Perturbation} it was drawn with and
 * {@code GradientEstimator.backward(Sample, Downstream)} takes no other; {@code forward} accepts a
 * padding mask; {@code MapSolver.sense()} declares an argmin oracle.
 *
 * <p>Additions within 0.2, as default methods (a plugin built against an earlier 0.2 keeps loading
 * and working, so the version and {@code Plugin-Requires} stay 0.2.0): {@code
 * MapSolver.feasibleSet()}, {@code TractableDistribution.covarianceProduct(theta, v)}, the package
 * {@code dev.aimle.api.contract} (the contracts as checks).
 *
 * <p>What a plugin author compiles against, and nothing else: how a host finds, creates, guards and
 * times the providers (the registry, the output check on every call, the solver time limit on worker
 * threads) is the {@code aimle-runtime} module's, so that host policy can change without changing
 * the SPI. The build checks that this package stays binary-compatible with the SPI version's
 * recorded baseline (see the README's plugin section).
 */
package dev.aimle.api;
