/**
 * The integer-programming MAP oracle ({@code ilp}): {@code argmax <theta, z>} over the binary
 * vectors that satisfy the linear constraints of an {@link dev.aimle.solvers.ilp.IlpProblem},
 * solved per instance to proven optimality with Google OR-Tools (CP-SAT by default, SCIP as an
 * alternative). Registered as {@code ilp} through
 * {@code META-INF/services/dev.aimle.api.MapSolverProvider}.
 */
package dev.aimle.solvers.ilp;
