package dev.aimle.api.contract;

import static dev.aimle.api.contract.ContractViolation.require;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.TractableDistribution;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The contract of {@link GradientEstimator} (see its javadoc) as checks: the shapes of the samples
 * ({@code [B*S, ...]}) and of the estimate (theta's), float32 and finite; every array on theta's
 * device and owned by theta's manager; a zero estimate where the MAP state cannot change; the same
 * samples and estimate for the same seed; a state that, restored into a new estimator, continues
 * exactly; padding masks honoured by estimators whose {@link GradientEstimator#supportsMask()} is
 * true and refused by the others; {@link IllegalArgumentException} on NaN scores or a NaN downstream
 * gradient, and on a missing per-sample loss where {@link GradientEstimator#requiresLossPerSample()}.
 *
 * <p>The downstream loss is linear, {@code L(z) = <w, z>} with w drawn per sample, so {@code dL/dz =
 * w} and the per-sample loss is known exactly. Inputs are N(0, 1) scores of {@link #thetaShape()},
 * {@link #samples()} samples per instance; each check draws from {@code seed() + a constant of its
 * own} and names the seed when it fails.
 */
public class GradientEstimatorContract {
    private final Supplier<? extends GradientEstimator> estimators;
    private final MapSolver solver;
    private final NoiseDistribution noise;
    private final NDManager manager;

    /**
     * @param estimators creates a new estimator, in its initial state, on every call
     * @param solver the MAP oracle of the perturbation, exact on instances of {@link #thetaShape()}
     * @param noise the perturbation's noise
     * @param manager owns every array the checks create; the caller closes it
     */
    public GradientEstimatorContract(
            Supplier<? extends GradientEstimator> estimators,
            MapSolver solver,
            NoiseDistribution noise,
            NDManager manager) {
        this.estimators = Objects.requireNonNull(estimators, "estimators");
        this.solver = Objects.requireNonNull(solver, "solver");
        this.noise = Objects.requireNonNull(noise, "noise");
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** The shape of theta, {@code [B, n]}: 3 instances of 6 entries unless overridden. */
    protected Shape thetaShape() {
        return new Shape(3, 6);
    }

    /** S, the samples per instance. */
    protected int samples() {
        return 4;
    }

    /** The base of every check's seed. */
    protected long seed() {
        return 0;
    }

    private Perturbation perturbation() {
        return Perturbation.of(solver, noise, samples());
    }

    private NDArray gaussian(NDManager owner, Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return owner.create(values, shape);
    }

    /** {@code L(z) = <w, z>} per sample: its gradient w and, when asked, its value. */
    private static Downstream linearLoss(NDArray z, NDArray w, boolean withLoss) {
        if (!withLoss) {
            return Downstream.ofGradient(w);
        }
        NDArray loss = z.mul(w).reshape(z.getShape().get(0), -1).sum(new int[] {1});
        return new Downstream(w, loss);
    }

    /** The values of one forward and backward pass. */
    private record Step(float[] z, float[] gradient, Map<String, Double> state) {}

    private Step step(GradientEstimator estimator, Perturbation p, NDArray theta, NDArray mask, long seed) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray t = theta.duplicate();
            t.attach(scope);
            NDArray m = mask == null ? null : mask.duplicate();
            if (m != null) {
                m.attach(scope);
            }
            Sample s = estimator.forward(t, m, p, new SplittableRandom(seed));
            NDArray w = gaussian(scope, s.z().getShape(), seed + 1_000);
            NDArray g = estimator.backward(s, linearLoss(s.z(), w, true));
            return new Step(s.z().toFloatArray(), g.toFloatArray(), estimator.state());
        }
    }

    private String who(GradientEstimator estimator) {
        return "estimator '" + estimator.name() + "'";
    }

    /**
     * The samples are {@code [B*S, ...]} float32 in [0, 1] and carry the perturbation and theta's
     * shape; the estimate has theta's shape, float32, finite.
     */
    public String forwardAndBackwardKeepTheShapes() {
        GradientEstimator estimator = estimators.get();
        long seed = seed() + 1;
        Perturbation p = perturbation();
        NDArray theta = gaussian(manager, thetaShape(), seed);
        Sample s = estimator.forward(theta, p, new SplittableRandom(seed));
        Shape repeated =
                new Shape(thetaShape().get(0) * samples()).addAll(thetaShape().slice(1));
        require(
                repeated.equals(s.z().getShape()),
                who(estimator) + " drew samples of shape " + s.z().getShape() + " for theta " + thetaShape()
                        + " and S = " + samples() + "; expected " + repeated);
        require(DataType.FLOAT32 == s.z().getDataType(), who(estimator) + " drew " + s.z().getDataType() + " samples");
        for (float v : s.z().toFloatArray()) {
            require(
                    v >= 0 && v <= 1,
                    who(estimator) + " drew a sample value " + v + " outside [0, 1] (seed " + seed + ")");
        }
        require(
                s.perturbation().equals(p),
                who(estimator) + "'s sample does not carry the perturbation it was drawn with");
        require(
                thetaShape().equals(s.theta().getShape()),
                who(estimator) + "'s sample holds theta of shape " + s.theta().getShape());
        NDArray g = estimator.backward(s, linearLoss(s.z(), gaussian(manager, repeated, seed + 1_000), true));
        require(
                thetaShape().equals(g.getShape()),
                who(estimator) + " estimated a gradient of shape " + g.getShape() + " for theta " + thetaShape());
        require(DataType.FLOAT32 == g.getDataType(), who(estimator) + " estimated a " + g.getDataType() + " gradient");
        for (float v : g.toFloatArray()) {
            require(Float.isFinite(v), who(estimator) + " estimated a gradient entry " + v + " (seed " + seed + ")");
        }
        return "samples " + repeated + ", gradient " + thetaShape();
    }

    /**
     * Every array of the sample and the estimate is on theta's device and owned by theta's manager:
     * closing that manager releases them all, and the caller's other managers keep no new array.
     */
    public String resultsBelongToThetasManagerAndDevice() {
        GradientEstimator estimator = estimators.get();
        long seed = seed() + 2;
        int before = manager.getManagedArrays().size();
        Sample s;
        NDArray g;
        try (NDManager scope = manager.newSubManager()) {
            NDArray theta = gaussian(scope, thetaShape(), seed);
            s = estimator.forward(theta, perturbation(), new SplittableRandom(seed));
            g = estimator.backward(s, linearLoss(s.z(), gaussian(scope, s.z().getShape(), seed + 1_000), true));
            for (NDArray a : new NDArray[] {s.z(), s.theta(), s.noise(), s.mask(), g}) {
                require(
                        a == null || theta.getDevice().equals(a.getDevice()),
                        who(estimator) + " returned an array on " + (a == null ? null : a.getDevice())
                                + " for theta on " + theta.getDevice());
            }
        }
        String[] names = {"the samples", "the sample's theta", "the sample's noise", "the sample's mask", "the gradient"
        };
        NDArray[] arrays = {s.z(), s.theta(), s.noise(), s.mask(), g};
        for (int i = 0; i < arrays.length; i++) {
            require(
                    arrays[i] == null || arrays[i].isReleased(),
                    who(estimator) + ": " + names[i] + " outlived theta's manager; attach them to it");
        }
        int after = manager.getManagedArrays().size();
        require(
                after == before,
                who(estimator) + " left " + (after - before) + " arrays on a manager other than theta's (seed " + seed
                        + ")");
        return "";
    }

    /**
     * With a solver whose MAP state is the same whatever the scores (the first entry of every
     * instance; its distribution is the point mass there), the estimate is exactly zero: no change
     * of theta changes the state, so its gradient is 0.
     */
    public String zeroWhereTheMapStateCannotChange() {
        GradientEstimator estimator = estimators.get();
        long seed = seed() + 3;
        Perturbation p = Perturbation.of(new ConstantSolver(), noise, samples());
        NDArray theta = gaussian(manager, thetaShape(), seed);
        float[] g = step(estimator, p, theta, null, seed).gradient();
        for (int i = 0; i < g.length; i++) {
            require(
                    g[i] == 0f,
                    who(estimator) + " estimated " + g[i] + " at flat index " + i
                            + " although the MAP state cannot change (seed " + seed + ")");
        }
        return g.length + " entries, all 0";
    }

    /** Two new estimators given the same inputs and the same seed draw the same samples and estimate the same gradient. */
    public String sameSeedGivesSameSamplesAndGradient() {
        long seed = seed() + 4;
        NDArray theta = gaussian(manager, thetaShape(), seed);
        GradientEstimator first = estimators.get();
        Step a = step(first, perturbation(), theta, null, seed);
        Step b = step(estimators.get(), perturbation(), theta, null, seed);
        require(Arrays.equals(a.z(), b.z()), who(first) + ": the same seed " + seed + " drew other samples");
        require(
                Arrays.equals(a.gradient(), b.gradient()),
                who(first) + ": the same seed " + seed + " gave another gradient");
        require(a.state().equals(b.state()), who(first) + ": the same seed " + seed + " left another state");
        return "";
    }

    /**
     * After three steps, the state restored into a new estimator continues exactly as the original
     * (same samples, gradient and state after a fourth step), and a state with a key of another
     * estimator is refused.
     */
    public String stateSurvivesARestoreIntoANewEstimator() {
        long seed = seed() + 5;
        NDArray theta = gaussian(manager, thetaShape(), seed);
        GradientEstimator original = estimators.get();
        for (int i = 0; i < 3; i++) {
            step(original, perturbation(), theta, null, seed + 10 + i);
        }
        Map<String, Double> saved = Map.copyOf(original.state());
        GradientEstimator restored = estimators.get();
        restored.restoreState(saved);
        require(
                restored.state().equals(saved),
                who(original) + " restored " + saved + " but reports " + restored.state());
        Step a = step(original, perturbation(), theta, null, seed + 20);
        Step b = step(restored, perturbation(), theta, null, seed + 20);
        require(
                Arrays.equals(a.z(), b.z()) && Arrays.equals(a.gradient(), b.gradient()),
                who(original) + ": after restoring " + saved + " the next step differs from the original's (seed "
                        + (seed + 20) + ")");
        require(
                a.state().equals(b.state()),
                who(original) + ": after restoring, the state went to " + b.state() + " instead of " + a.state());
        Map<String, Double> foreign = new HashMap<>(saved);
        foreign.put("no-such-state", 1.0);
        try {
            estimators.get().restoreState(foreign);
        } catch (IllegalArgumentException e) {
            return saved.isEmpty() ? "stateless" : "state " + saved.keySet();
        }
        throw new ContractViolation(who(original) + " accepted the state " + foreign + " with a key it does not have");
    }

    /**
     * When {@link GradientEstimator#supportsMask()}: masked positions are never selected and get a
     * zero gradient; otherwise a mask is refused with {@link IllegalArgumentException}.
     */
    public String masksAreHonouredOrRefused() {
        GradientEstimator estimator = estimators.get();
        long seed = seed() + 6;
        NDArray theta = gaussian(manager, thetaShape(), seed);
        long batch = thetaShape().get(0);
        int n = Math.toIntExact(thetaShape().size() / batch);
        boolean[] valid = new boolean[Math.toIntExact(thetaShape().size())];
        for (int i = 0; i < valid.length; i++) {
            // every third position masked, shifted per instance: each instance keeps two thirds
            valid[i] = (i / n + i % n) % 3 != 0;
        }
        NDArray mask = manager.create(valid, thetaShape());
        if (!estimator.supportsMask()) {
            try {
                estimator.forward(theta, mask, perturbation(), new SplittableRandom(seed));
            } catch (IllegalArgumentException e) {
                return "refused: " + e.getMessage();
            }
            throw new ContractViolation(who(estimator) + " does not support masks but accepted one");
        }
        Step s = step(estimator, perturbation(), theta, mask, seed);
        for (int i = 0; i < s.z().length; i++) {
            // sample row r belongs to instance r / S
            int position = (i / n / samples()) * n + i % n;
            require(
                    valid[position] || s.z()[i] == 0f,
                    who(estimator) + " selected the masked flat position " + position + " in sample row " + i / n
                            + " (seed " + seed + ")");
        }
        for (int i = 0; i < valid.length; i++) {
            require(
                    valid[i] || s.gradient()[i] == 0f,
                    who(estimator) + " estimated " + s.gradient()[i] + " at the masked flat position " + i + " (seed "
                            + seed + ")");
        }
        return "every third position masked";
    }

    /** NaN among the scores is refused by the forward pass, NaN in the downstream gradient by the backward pass. */
    public String nanInputsAreRefused() {
        GradientEstimator estimator = estimators.get();
        long seed = seed() + 7;
        NDArray theta = gaussian(manager, thetaShape(), seed);
        float[] values = theta.toFloatArray();
        values[values.length / 2] = Float.NaN;
        NDArray bad = manager.create(values, thetaShape());
        try {
            estimator.forward(bad, perturbation(), new SplittableRandom(seed));
            throw new ContractViolation(who(estimator) + " accepted NaN scores without an IllegalArgumentException");
        } catch (IllegalArgumentException expected) {
            // the forward pass refused them, as it must
        }
        Sample s = estimator.forward(theta, perturbation(), new SplittableRandom(seed));
        float[] w = gaussian(manager, s.z().getShape(), seed + 1_000).toFloatArray();
        w[w.length / 2] = Float.NaN;
        NDArray badGradient = manager.create(w, s.z().getShape());
        try {
            estimator.backward(s, linearLoss(s.z(), badGradient, true));
        } catch (IllegalArgumentException expected) {
            return "";
        }
        throw new ContractViolation(
                who(estimator) + " accepted a NaN downstream gradient without an IllegalArgumentException");
    }

    /**
     * Without the per-sample loss, an estimator that {@link GradientEstimator#requiresLossPerSample()}
     * refuses the backward pass with {@link IllegalArgumentException}; any other gives the same
     * estimate as with it.
     */
    public String theLossPerSampleIsUsedOnlyWhenRequired() {
        long seed = seed() + 8;
        NDArray theta = gaussian(manager, thetaShape(), seed);
        GradientEstimator estimator = estimators.get();
        Sample s = estimator.forward(theta, perturbation(), new SplittableRandom(seed));
        NDArray w = gaussian(manager, s.z().getShape(), seed + 1_000);
        if (estimator.requiresLossPerSample()) {
            try {
                estimator.backward(s, linearLoss(s.z(), w, false));
            } catch (IllegalArgumentException e) {
                return "refused without it: " + e.getMessage();
            }
            throw new ContractViolation(
                    who(estimator) + " requires the loss per sample but estimated a gradient without it");
        }
        float[] with = estimator.backward(s, linearLoss(s.z(), w, true)).toFloatArray();
        GradientEstimator other = estimators.get();
        Sample again = other.forward(theta, perturbation(), new SplittableRandom(seed));
        float[] without = other.backward(again, linearLoss(again.z(), w, false)).toFloatArray();
        require(
                Arrays.equals(with, without),
                who(estimator) + " does not require the loss per sample but its estimate changes with it (seed " + seed
                        + ")");
        return "not required, and ignored";
    }

    /**
     * A solver whose MAP state is the first entry of every instance whatever the scores, with the
     * point mass there as its distribution: nothing theta does changes the state.
     */
    private static final class ConstantSolver implements MapSolver, TractableDistribution {
        @Override
        public String name() {
            return "constant";
        }

        @Override
        public NDArray solve(NDArray theta) {
            long batch = theta.getShape().get(0);
            int n = Math.toIntExact(theta.getShape().size() / Math.max(1, batch));
            float[] z = new float[Math.toIntExact(theta.getShape().size())];
            for (int b = 0; b < batch; b++) {
                z[b * n] = 1f;
            }
            return theta.getManager().create(z, theta.getShape());
        }

        @Override
        public Optional<TractableDistribution> distribution() {
            return Optional.of(this);
        }

        @Override
        public NDArray logPartition(NDArray theta) {
            // log of exp(<z*, theta>) for the one state z*: the first score of each instance
            long batch = theta.getShape().get(0);
            float[] values = theta.toFloatArray();
            int n = Math.toIntExact(values.length / Math.max(1, batch));
            float[] first = new float[Math.toIntExact(batch)];
            for (int b = 0; b < batch; b++) {
                first[b] = values[b * n];
            }
            return theta.getManager().create(first, new Shape(batch));
        }

        @Override
        public NDArray marginals(NDArray theta) {
            return solve(theta);
        }

        @Override
        public NDArray sample(NDArray theta, RandomGenerator random) {
            return solve(theta);
        }
    }
}
