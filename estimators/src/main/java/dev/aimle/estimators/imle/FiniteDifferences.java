package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.MapStates;

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
                : thetaRepeated.add(sample.noise().mul(perturbation.targetTemperature()));
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
}
