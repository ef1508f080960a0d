package dev.aimle.app.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;

/**
 * Adam (Kingma and Ba 2015) whose state — the moment estimates and the step count of every
 * parameter — can be saved and loaded, so that a run killed between epochs resumes with bit-identical
 * numbers. DJL's {@code Adam} keeps that state in private fields; this class runs the same update
 * kernel ({@code NDArrayEx.adamUpdate}, the same arguments as DJL's Adam, so the two agree
 * bit for bit: tested) and owns its state. Constant learning rate, no weight decay, betas
 * (0.9, 0.999), epsilon 1e-8 unless given.
 *
 * <p>State is keyed by the parameter id DJL passes to {@link #update}; {@link #save} and
 * {@link #load} translate ids to the parameters' paths in the block ({@code block.getParameters()}),
 * which are stable across processes, whereas ids are not.
 */
public final class ResumableAdam extends Optimizer {
    private final IntToDoubleFunction learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    /**
     * @param learningRate the step size, finite and greater than 0
     */
    public ResumableAdam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-8f);
    }

    /** Adam with explicit betas and epsilon. */
    public ResumableAdam(float learningRate, float beta1, float beta2, float epsilon) {
        this(checked(learningRate), beta1, beta2, epsilon);
    }

    /**
     * Adam whose step size is a schedule of the update count t (1 for the first update of a
     * parameter), e.g. a step decay; the count is part of the saved state, so a resumed run follows
     * the same schedule.
     *
     * @param learningRate t to the step size; each value must be finite and above 0
     */
    public ResumableAdam(IntToDoubleFunction learningRate, float beta1, float beta2, float epsilon) {
        super(new Builder());
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    private static IntToDoubleFunction checked(float learningRate) {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate (" + learningRate + ") must be a finite number above 0");
        }
        return t -> learningRate;
    }

    @Override
    public synchronized void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float rate = (float) learningRate.applyAsDouble(t);
        if (!(rate > 0) || Float.isInfinite(rate)) {
            throw new IllegalArgumentException(
                    "the learning rate at update " + t + " (" + rate + ") must be a finite number above 0");
        }
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float biasCorrected = (float) (rate * Math.sqrt(coef2) / coef1);
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, mean, variance),
                        new NDList(weight),
                        rate,
                        biasCorrected,
                        0f,
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        epsilon,
                        true,
                        false);
    }

    /** Whether any parameter has been updated, in this process or in the one whose state {@link #load} read. */
    public synchronized boolean hasUpdated() {
        return !steps.isEmpty();
    }

    /**
     * Writes the state of every parameter of {@code parameters} that has one, by path.
     *
     * @param parameters {@code block.getParameters()}
     */
    public synchronized void save(PairList<String, Parameter> parameters, DataOutputStream out) throws IOException {
        Map<String, String> byPath = new TreeMap<>();
        for (Pair<String, Parameter> p : parameters) {
            if (steps.containsKey(p.getValue().getId())) {
                byPath.put(p.getKey(), p.getValue().getId());
            }
        }
        out.writeInt(byPath.size());
        for (Map.Entry<String, String> e : byPath.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(steps.get(e.getValue()));
            writeArray(out, means.get(e.getValue()));
            writeArray(out, variances.get(e.getValue()));
        }
    }

    /**
     * Reads a state written by {@link #save} into this optimizer, for the same model structure.
     *
     * @throws IOException naming a path the model does not have, or a shape that differs
     */
    public synchronized void load(PairList<String, Parameter> parameters, DataInputStream in) throws IOException {
        Map<String, Parameter> byPath = new HashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            byPath.put(p.getKey(), p.getValue());
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String path = in.readUTF();
            Parameter parameter = byPath.get(path);
            if (parameter == null) {
                throw new IOException(
                        "the optimizer state names parameter '" + path + "', which the model does not have");
            }
            NDArray weight = parameter.getArray();
            int t = in.readInt();
            NDArray mean = readArray(in, weight, path);
            NDArray variance = readArray(in, weight, path);
            String id = parameter.getId();
            steps.put(id, t);
            replace(means, id, mean);
            replace(variances, id, variance);
        }
    }

    private static void replace(Map<String, NDArray> map, String id, NDArray value) {
        NDArray old = map.put(id, value);
        if (old != null) {
            old.close();
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        long[] shape = array.getShape().getShape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        for (float v : array.toFloatArray()) {
            out.writeFloat(v);
        }
    }

    private static NDArray readArray(DataInputStream in, NDArray like, String path) throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > 16) {
            throw new IOException("the optimizer state of '" + path + "' has rank " + rank);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readLong();
        }
        Shape shape = new Shape(dims);
        if (!shape.equals(like.getShape())) {
            throw new IOException("the optimizer state of '" + path + "' has shape " + shape + " but the parameter has "
                    + like.getShape());
        }
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return like.getManager().create(values, shape).toDevice(like.getDevice(), false);
    }

    /** DJL's optimizer base needs a builder; this one holds only the defaults (no rescaling, no clipping). */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
