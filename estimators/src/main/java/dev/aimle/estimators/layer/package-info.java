/**
 * The autograd bridge between DJL and the gradient estimators: {@link
 * dev.aimle.estimators.layer.DiscreteLayer} samples discrete states inside a model, {@link
 * dev.aimle.estimators.layer.DiscreteBackward} runs the two-phase backward pass DJL needs in the
 * absence of a custom-backward API, and {@link dev.aimle.estimators.layer.DiscreteTrainingStep}
 * runs a whole training step with a DJL {@code Trainer}.
 */
package dev.aimle.estimators.layer;
