package dev.aimle.app.experiments.nri;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;

/**
 * The negative ELBO of the NRI experiment, per example, as the reference computes it:
 *
 * <pre>
 *   nll = sum_{vertex, t >= 1, coordinate} (prediction - x)^2 / (2 variance) / n
 *   kl  = sum_{directed edges} (u + exp(-u) - 1) / n       (KL of Gumbel(u, 1) to Gumbel(0, 1))
 *   loss = mean over the B*S samples of nll + mean over the B inputs of kl
 * </pre>
 *
 * where u are the symmetrised logits of the directed edges, i.e. each undirected score theta counted
 * for both directions. The Gaussian constant is left out, as in the reference. Labels are the
 * trajectories {@code [B, n, T, d]}; predictions are the model's {@code [prediction, theta, tree]}.
 */
public final class NriLoss extends Loss {
    private final double variance;

    /** @param variance the fixed output variance (5e-5 in the reference) */
    public NriLoss(double variance) {
        super("negative_elbo");
        if (!(variance > 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("the variance (" + variance + ") must be a finite number above 0");
        }
        this.variance = variance;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.get(0);
        NDArray theta = predictions.get(1);
        return nll(labels.get(0), prediction).mean().add(kl(theta).mean());
    }

    /** The reconstruction term per sample, {@code [B*S]}. */
    public NDArray nll(NDArray x, NDArray prediction) {
        long n = x.getShape().get(1);
        long t = x.getShape().get(2);
        NDArray target = SampleLayout.repeatLike(x.get(":, :, 1:{}", t), prediction);
        return Scalars.div(prediction.sub(target).square().sum(new int[] {1, 2, 3}), 2 * variance * n);
    }

    /** The KL term per input, {@code [B]}, from the undirected scores. */
    public static NDArray kl(NDArray theta) {
        long undirected = theta.getShape().get(1);
        long n = Math.round((1 + Math.sqrt(1 + 8.0 * undirected)) / 2);
        return Scalars.mul(theta.add(theta.neg().exp()).sub(1).sum(new int[] {1}), 2.0 / n);
    }
}
