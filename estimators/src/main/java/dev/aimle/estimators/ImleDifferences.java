package dev.aimle.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;

/**
 * The unscaled finite difference of two MAP states that IMLE and AIMLE share (AAAI-23 paper, Eq. 2
 * and Algorithm 1). With {@code eps} the forward noise reused, {@code tau} the target temperature
 * and {@code step = lambda * dy}:
 *
 * <ul>
 *   <li>forward: {@code D = MAP(theta + tau_in*eps) - MAP(theta - step + tau*eps)}; the first term is
 *       the forward sample itself when {@code tau_in == tau}, so one solver call suffices;
 *   <li>central: {@code D = MAP(theta + step + tau*eps) - MAP(theta - step + tau*eps)}, both targets
 *       solved in one batched call of {@code 2*B*S} instances.
 * </ul>
 *
 * The caller divides D by {@code lambda} (forward) or {@code 2*lambda} (central).
 */
public final class ImleDifferences {
    private ImleDifferences() {}

    /**
     * Computes D.
     *
     * @param thetaRepeated theta repeated to {@code [B*S, ...]}
     * @param step {@code lambda * dy}, {@code [B*S, ...]}
     * @return D, {@code [B*S, ...]}, values in {-1, 0, 1}, attached to thetaRepeated's manager
     */
    public static NDArray difference(
            Sample sample,
            Perturbation perturbation,
            NDArray thetaRepeated,
            NDArray step,
            FiniteDifference kind) {
        MapSolver solver = perturbation.solver();
        NDArray base =
                perturbation.targetTemperature() == 0 || sample.noise() == null
                        ? thetaRepeated
                        : thetaRepeated.add(sample.noise().mul(perturbation.targetTemperature()));
        if (kind == FiniteDifference.FORWARD) {
            NDArray upper =
                    perturbation.inputTemperature() == perturbation.targetTemperature()
                            ? sample.z()
                            : solver.solve(base);
            return upper.sub(solver.solve(base.sub(step)));
        }
        NDArray both = solver.solve(NDArrays.concat(new NDList(base.add(step), base.sub(step)), 0));
        NDList halves = both.split(2, 0);
        return halves.get(0).sub(halves.get(1));
    }
}
