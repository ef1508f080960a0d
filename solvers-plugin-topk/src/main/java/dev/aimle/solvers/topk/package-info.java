/**
 * The k-subset MAP oracle ({@code topk}): for every row of the last axis, the k largest scores are
 * set to 1 and the rest to 0 (argmax when k = 1), together with the tractable k-subset
 * exponential family {@code p(z; theta) ∝ exp(<z, theta>)} over {@code {z in {0,1}^n : sum z = k}}
 * that the score-function estimator needs. Registered as {@code topk} through
 * {@code META-INF/services/dev.aimle.api.MapSolverProvider}.
 */
package dev.aimle.solvers.topk;
