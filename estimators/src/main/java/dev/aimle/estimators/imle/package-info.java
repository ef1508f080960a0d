/**
 * The Perturb-and-MAP estimators: {@link dev.aimle.estimators.imle.Aimle} (adaptive IMLE, AAAI-23),
 * {@link dev.aimle.estimators.imle.Imle} (a fixed lambda) and {@link dev.aimle.estimators.imle.Ste}
 * (the straight-through estimator). All three draw their samples by the same forward pass,
 * {@code z = MAP(theta + tau * eps)}, and differ only in the backward pass; the maths of all three is
 * written once, in {@code Algorithm1}, over a kernel with an engine and a host backend. STE lives
 * here because it is that forward pass with the identity as its backward pass; moving it to a package
 * of its own would mean publishing the forward pass and its kernels as API. Also reachable as
 * {@link dev.aimle.estimators.Estimators#ste()} and by the provider name {@code ste}.
 */
package dev.aimle.estimators.imle;
