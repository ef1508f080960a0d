/**
 * Perturbation distributions for Perturb-and-MAP: {@link dev.aimle.estimators.noise.GumbelNoise},
 * {@link dev.aimle.estimators.noise.SumOfGammaNoise} and {@link dev.aimle.estimators.noise.NoNoise},
 * created with {@link dev.aimle.estimators.noise.Noise} or discovered by name through their
 * providers. All of them draw their randomness only from the generator passed in.
 */
package dev.aimle.estimators.noise;
