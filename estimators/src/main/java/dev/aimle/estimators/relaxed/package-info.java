/**
 * Continuous relaxations of the k-subset distribution, differentiated by DJL's own autograd (no
 * gradient estimator involved): {@link dev.aimle.estimators.relaxed.KSubsetRelaxation#L2X} (Chen et
 * al. 2018) and {@link dev.aimle.estimators.relaxed.KSubsetRelaxation#SOFTSUB} (Xie and Ermon 2019),
 * and {@link dev.aimle.estimators.relaxed.RelaxedSubsetBlock}, a block that draws the relaxed sample
 * in training and the exact top-k state in evaluation.
 */
package dev.aimle.estimators.relaxed;
