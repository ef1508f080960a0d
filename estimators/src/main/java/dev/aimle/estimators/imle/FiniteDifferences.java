package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.Scalars;

/**
 * The unscaled finite difference of two MAP states that IMLE and AIMLE share (AAAI-23 paper, Eq. 2
 * and Algorithm 1). With {@code eps} the forward noise reused, {@code tau} the target temperature,
 * {@code step = lambda * dy}, and s = +1 for a maximising solver, -1 for a minimising one (the
 * reference's {@code _is_minimization}: targets move along {@code +dy} and the gradient flips sign):
 *
 * <ul>
 *   <li>forward: {@code D = MAP(theta + tau_in*eps) - MAP(theta - s*step + tau*eps)}; the first term
 *       is the forward sample itself when {@code tau_in == tau}, so one solver call suffices;
 *   <li>central: {@code D = MAP(theta + s*step + tau*eps) - MAP(theta - s*step + tau*eps)}, both
 *       targets solved in one batched call of {@code 2*B*S} instances.
 * </ul>
 *
 * The caller multiplies D by s and divides it by {@code lambda} (forward) or {@code 2*lambda}
 * (central), unless gradient scaling is off.
 */
final class FiniteDifferences {
    private FiniteDifferences() {}

    /**
     * Computes D.
     *
     * @param thetaRepeated theta repeated to {@code [B*S, ...]}
     * @param step {@code lambda * dy}, {@code [B*S, ...]}
     * @param mask the padding mask repeated to {@code [B*S, ...]}, or null
     * @return D, {@code [B*S, ...]}, values in {-1, 0, 1}
     */
    static NDArray difference(Sample sample, NDArray thetaRepeated, NDArray step, NDArray mask, FiniteDifference kind) {
        Perturbation perturbation = sample.perturbation();
        MapSolver solver = perturbation.solver();
        NDArray signedStep = PerturbAndMapEstimator.senseSign(perturbation) > 0 ? step : step.neg();
        NDArray base = perturbation.targetTemperature() == 0 || sample.noise() == null
                ? thetaRepeated
                : thetaRepeated.add(Scalars.mul(sample.noise(), perturbation.targetTemperature()));
        if (kind == FiniteDifference.FORWARD) {
            NDArray upper = perturbation.inputTemperature() == perturbation.targetTemperature()
                    ? sample.z()
                    : MapStates.solve(solver, base, mask);
            return upper.sub(MapStates.solve(solver, base.sub(signedStep), mask));
        }
        if (base.getShape().get(0) == 0) {
            return base.zerosLike(); // an empty batch: splitting the empty concatenation in two would fail
        }
        NDArray bothMasks = mask == null ? null : NDArrays.concat(new NDList(mask, mask), 0);
        NDArray both = MapStates.solve(
                solver, NDArrays.concat(new NDList(base.add(signedStep), base.sub(signedStep)), 0), bothMasks);
        NDList halves = both.split(2, 0);
        return halves.get(0).sub(halves.get(1));
    }

    /**
     * D on the host ({@link PerturbAndMapEstimator}'s host arithmetic): the same float operations as
     * {@link #difference}, the solver called on one array per call, its result copied back.
     *
     * @param theta theta {@code [B, ...]}, flat
     * @param noise the sample's noise {@code [B*S, ...]}, flat, or null
     * @param dy {@code dL/dz} {@code [B*S, ...]}, flat
     * @param lambda the step, applied as {@code dy * (float) lambda}
     * @return D {@code [B*S, ...]}, flat
     */
    static float[] differenceOnHost(
            Sample sample, float[] theta, float[] noise, float[] dy, double lambda, FiniteDifference kind) {
        Perturbation perturbation = sample.perturbation();
        MapSolver solver = perturbation.solver();
        int sign = PerturbAndMapEstimator.senseSign(perturbation);
        float scale = (float) lambda;
        float tau = (float) perturbation.targetTemperature();
        float[] base = PerturbAndMapEstimator.repeat(theta, Math.toIntExact(sample.batchSize()), sample.samples());
        if (perturbation.targetTemperature() != 0 && noise != null) {
            for (int i = 0; i < base.length; i++) {
                base[i] += noise[i] * tau;
            }
        }
        int size = base.length;
        Shape shape = sample.z().getShape();
        NDManager owner = sample.theta().getManager();
        if (kind == FiniteDifference.FORWARD) {
            float[] lower = new float[size];
            for (int i = 0; i < size; i++) {
                float step = dy[i] * scale;
                lower[i] = base[i] - (sign > 0 ? step : -step);
            }
            float[] upper = perturbation.inputTemperature() == perturbation.targetTemperature()
                    ? sample.z().toFloatArray()
                    : solve(solver, base, shape, owner);
            float[] z = solve(solver, lower, shape, owner);
            for (int i = 0; i < size; i++) {
                upper[i] -= z[i];
            }
            return upper;
        }
        float[] both = new float[2 * size];
        for (int i = 0; i < size; i++) {
            float step = dy[i] * scale;
            float signed = sign > 0 ? step : -step;
            both[i] = base[i] + signed;
            both[size + i] = base[i] - signed;
        }
        float[] z = solve(solver, both, new Shape(2 * shape.get(0)).addAll(shape.slice(1)), owner);
        float[] d = new float[size];
        for (int i = 0; i < size; i++) {
            d[i] = z[i] - z[size + i];
        }
        return d;
    }

    /** The solver's answer for {@code values}, through one array in and one copy out. */
    private static float[] solve(MapSolver solver, float[] values, Shape shape, NDManager owner) {
        try (NDManager scope = owner.newSubManager()) {
            return solver.solve(scope.create(values, shape)).toFloatArray();
        }
    }
}
