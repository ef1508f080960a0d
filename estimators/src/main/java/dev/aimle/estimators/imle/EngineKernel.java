package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;

/**
 * {@link Kernel} over DJL arrays: any device, any float type, padding masks (every solver call
 * masked, masked positions left out of the norms). Every array it creates belongs to the manager
 * of the arrays it is given, which the caller scopes ({@link PerturbAndMapEstimator}).
 */
final class EngineKernel implements Kernel<NDArray> {
    private final MapSolver solver;
    private final NDArray theta;
    private final NDArray noise;
    private final NDArray mask;
    private final NDArray z;
    private final NDArray dy;
    private final int samples;
    private NDArray thetaRepeated;

    /**
     * @param theta theta {@code [B, ...]}
     * @param noise the forward noise eps {@code [B*S, ...]}, or null
     * @param mask the padding mask repeated S times, or null
     * @param z the states, or null in the forward pass
     * @param dy dL/dz, zero at masked positions, or null in the forward pass
     */
    EngineKernel(MapSolver solver, NDArray theta, NDArray noise, NDArray mask, NDArray z, NDArray dy, int samples) {
        this.solver = solver;
        this.theta = theta;
        this.noise = noise;
        this.mask = mask;
        this.z = z;
        this.dy = dy;
        this.samples = samples;
    }

    /** theta repeated S times, {@code [B*S, ...]}, made when first needed (STE never needs it). */
    private NDArray thetaRepeated() {
        if (thetaRepeated == null) {
            thetaRepeated = SampleLayout.repeat(theta, samples);
        }
        return thetaRepeated;
    }

    @Override
    public NDArray perturbed(double tau) {
        return thetaRepeated().add(Scalars.mul(noise, tau));
    }

    @Override
    public NDArray centre(double tau) {
        return tau == 0 || noise == null ? thetaRepeated() : perturbed(tau);
    }

    @Override
    public NDArray targets(double tau, Lambda<NDArray> lambda, int sign, boolean central) {
        NDArray step = lambda instanceof RowLambda<NDArray> rows
                ? dy.mul(rows.rows())
                : Scalars.mul(dy, ((BatchLambda<NDArray>) lambda).value());
        NDArray signedStep = sign > 0 ? step : step.neg();
        NDArray base = centre(tau);
        if (!central) {
            return base.sub(signedStep);
        }
        return NDArrays.concat(new NDList(base.add(signedStep), base.sub(signedStep)), 0);
    }

    @Override
    public NDArray solve(NDArray scores, boolean stacked) {
        if (!stacked) {
            return MapStates.solve(solver, scores, mask);
        }
        if (scores.getShape().get(0) == 0) {
            return scores.zerosLike(); // an empty batch: nothing to solve
        }
        return MapStates.solve(solver, scores, mask == null ? null : NDArrays.concat(new NDList(mask, mask), 0));
    }

    @Override
    public Halves<NDArray> halves(NDArray stacked) {
        if (stacked.getShape().get(0) == 0) {
            return new Halves<>(stacked, stacked); // splitting an empty array in two would fail
        }
        NDList halves = stacked.split(2, 0);
        return new Halves<>(halves.get(0), halves.get(1));
    }

    @Override
    public NDArray z() {
        return z;
    }

    @Override
    public Difference<NDArray> difference(NDArray upper, NDArray lower, Lambda<NDArray> lambda, double factor) {
        NDArray d = upper.sub(lower);
        long nonZeros = d.countNonzero().getLong();
        if (lambda instanceof RowLambda<NDArray> rows) {
            // Where lambda = 0 the two targets coincide, so D = 0 and 0 / tiny = 0, not NaN.
            return new Difference<>(
                    d.div(Scalars.mul(Scalars.maximum(rows.rows(), Float.MIN_NORMAL), factor)), nonZeros);
        }
        return new Difference<>(Scalars.div(d, factor * ((BatchLambda<NDArray>) lambda).value()), nonZeros);
    }

    @Override
    public float thetaNorm() {
        return maskedTheta().norm().getFloat();
    }

    @Override
    public float dyNorm() {
        return dy.norm().getFloat();
    }

    @Override
    public long dyNonZeros() {
        return dy.countNonzero().getLong();
    }

    private NDArray maskedTheta() {
        return mask == null ? thetaRepeated() : thetaRepeated().mul(mask.toType(DataType.FLOAT32, false));
    }

    @Override
    public Lambda<NDArray> perInputLambda(double alpha) {
        long rows = dy.getShape().get(0);
        NDArray thetaNorms = maskedTheta().reshape(rows, -1).norm(new int[] {1});
        NDArray dyNorms = dy.reshape(rows, -1).norm(new int[] {1});
        // Divide by 1 where ||dy_i|| = 0 and leave the sample out: a tiny divisor would overflow.
        NDArray nonZero = dyNorms.gt(0).toType(DataType.FLOAT32, false);
        NDArray ratios = thetaNorms.div(dyNorms.add(nonZero.neg().add(1))).mul(nonZero);
        NDArray sums = ratios.reshape(rows / samples, samples).sum(new int[] {1});
        NDArray counts = nonZero.reshape(rows / samples, samples).sum(new int[] {1});
        NDArray perInput = Scalars.mul(sums.div(Scalars.maximum(counts, 1)), alpha);
        Shape broadcast = new Shape(rows);
        for (int i = 1; i < dy.getShape().dimension(); i++) {
            broadcast = broadcast.add(1);
        }
        NDArray lambda = SampleLayout.repeat(perInput, samples).reshape(broadcast);
        return new RowLambda<>(lambda, lambda.mean().getFloat());
    }

    @Override
    public NDArray signedDy(int sign) {
        return sign > 0 ? dy.duplicate() : dy.neg();
    }

    @Override
    public NDArray zeros() {
        return dy.zerosLike();
    }
}
