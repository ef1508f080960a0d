/**
 * The autograd bridge between DJL and the gradient estimators: {@link
 * dev.aimle.estimators.layer.DiscreteLayer} samples discrete states inside a model, {@link
 * dev.aimle.estimators.layer.DiscreteBackward} runs the two-phase backward pass DJL needs in the
 * absence of a custom-backward API, {@link dev.aimle.estimators.layer.DiscreteBlock} puts a layer
 * into a DJL block, and {@link dev.aimle.estimators.layer.DiscreteTrainer} is the DJL {@code Trainer}
 * whose backward pass runs both phases, so {@code EasyTrain} trains through a discrete layer.
 */
package dev.aimle.estimators.layer;
