package dev.aimle.app.experiments.nri;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;

/**
 * The NRI model of the paper's Table 2 (Kipf et al. 2018, as in the reference code, which follows
 * Paulus et al. 2020): {@code [x] -> [prediction, theta, tree]}: the predicted trajectories after
 * time 0 {@code [B*S, n, T-1, d]}, the edge scores {@code [B, n(n-1)/2]} and the trees {@code [B*S,
 * n(n-1)/2]} (samples in training, the MAP tree in evaluation).
 *
 * <ul>
 *   <li><b>Encoder</b> (factor graph MLP encoder): x {@code [B, n, T, d]} flattened per vertex to
 *       {@code [B, n, T*d]}; node MLP, node-to-edge (sender, receiver concatenated), edge MLP (the
 *       skip), edge-to-node (mean over the n vertices of the incoming edges, the reference's
 *       division by n), node MLP, node-to-edge, concatenated with the skip, edge MLP, dense to one
 *       logit per directed edge {@code [B, n(n-1)]}. Each MLP is dense-ELU-dense-ELU-batch norm.
 *   <li><b>Tree</b>: the logits of the two directions of an edge are averaged (the reference's
 *       symmetrisation) into theta {@code [B, n(n-1)/2]} in the spanning-tree solver's edge order;
 *       the discrete layer samples trees z (training) or gives the MAP tree (evaluation); z is copied
 *       back to both directions.
 *   <li><b>Decoder</b> (MLP decoder, two edge types "no edge" and "edge", one round): per time step,
 *       for every directed edge a message MLP per type (dense-ReLU-dense-ReLU) on [sender, receiver]
 *       weighted by the edge's type indicator, summed over the incoming edges, then dense-ReLU,
 *       dense-ReLU, dense to a position change added to the input. Training predicts {@code
 *       predictionSteps} steps from every {@code predictionSteps}-th time step; evaluation predicts
 *       one step from every time step (teacher forcing), as the reference does.
 * </ul>
 *
 * <p>Initialisation as the reference: encoder dense weights Xavier-normal, biases 0.1; batch norm
 * weight 1, bias 0 (momentum 0.1 in PyTorch's sense); decoder dense layers PyTorch's default,
 * uniform in {@code +-1/sqrt(fan_in)} for weights and biases.
 *
 * <p>One difference from the reference, which gives the same predictions: the reference runs the
 * decoder from {@code ceil(T / steps)} starting points and throws away every prediction past time
 * T-1; this model starts only where a prediction is kept ({@code ceil((T-1) / steps)} points), which
 * halves the decoder's work at T = 10 with 9 prediction steps.
 */
public final class NriModel extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int vertices;
    private final int timesteps;
    private final int dims;
    private final int predictionSteps;
    private final Encoder encoder;
    private final DiscreteBlock tree;
    private final Decoder decoder;

    /**
     * @param layer the discrete layer over undirected edges (the spanning-tree solver)
     * @param vertices n
     * @param timesteps T
     * @param dims d, coordinates per vertex
     * @param hidden units of every hidden layer (256 in the reference)
     * @param predictionSteps steps predicted from each starting point in training (the reference: 9
     *     at T = 10, 10 at T = 20)
     */
    public NriModel(DiscreteLayer layer, int vertices, int timesteps, int dims, int hidden, int predictionSteps) {
        super(VERSION);
        if (vertices < 2 || timesteps < 2 || dims < 1 || hidden < 1) {
            throw new IllegalArgumentException("vertices (" + vertices + ") and time steps (" + timesteps
                    + ") must be at least 2, dims (" + dims + ") and hidden units (" + hidden + ") at least 1");
        }
        if (predictionSteps < 1 || predictionSteps > timesteps - 1) {
            throw new IllegalArgumentException(
                    "prediction steps (" + predictionSteps + ") must be between 1 and T - 1 (" + (timesteps - 1) + ")");
        }
        this.vertices = vertices;
        this.timesteps = timesteps;
        this.dims = dims;
        this.predictionSteps = predictionSteps;
        this.encoder = addChildBlock("encoder", new Encoder(timesteps * dims, hidden, vertices));
        this.tree = addChildBlock("tree", DiscreteBlock.withScores(layer));
        this.decoder = addChildBlock("decoder", new Decoder(dims, hidden, vertices));
    }

    /** The discrete layer. */
    public DiscreteLayer layer() {
        return tree.layer();
    }

    /** Steps predicted from each starting point in training. */
    public int predictionSteps() {
        return predictionSteps;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        if (shape.dimension() != 4 || shape.get(1) != vertices || shape.get(2) != timesteps || shape.get(3) != dims) {
            throw new IllegalArgumentException("the NRI model takes trajectories [B, " + vertices + ", " + timesteps
                    + ", " + dims + "], got " + shape);
        }
        NDManager manager = x.getManager();
        NDArray directions = NriGraph.directions(manager, vertices);
        NDArray logits = encoder.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray theta = Scalars.div(logits.matMul(directions), 2);
        NDList sampled = tree.forward(ps, new NDList(theta), training);
        NDArray z = sampled.get(0).matMul(directions.transpose());
        NDArray states = SampleLayout.repeat(x, (int) (z.getShape().get(0) / shape.get(0)));
        int steps = training ? predictionSteps : 1;
        NDArray prediction = decoder.predict(ps, states, z, steps, training);
        return new NDList(prediction, sampled.get(1), sampled.get(0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {
            new Shape(x.get(0), vertices, timesteps - 1, dims),
            new Shape(x.get(0), NriGraph.undirectedEdges(vertices)),
            new Shape(x.get(0), NriGraph.undirectedEdges(vertices))
        };
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, new Shape(b, vertices, timesteps * dims));
        tree.initialize(manager, dataType, new Shape(b, NriGraph.undirectedEdges(vertices)));
        decoder.initialize(manager, dataType, new Shape(b, 1, vertices, dims));
    }

    /** Dense-ELU-dense-ELU-batch norm over {@code [B, K, in] -> [B, K, out]}. */
    static final class Mlp extends AbstractBlock {
        private final int in;
        private final int hidden;
        private final Linear fc1;
        private final Linear fc2;
        private final BatchNorm norm;

        Mlp(int in, int hidden, int out) {
            this.in = in;
            this.hidden = hidden;
            this.fc1 = addChildBlock("fc1", Linear.builder().setUnits(hidden).build());
            this.fc2 = addChildBlock("fc2", Linear.builder().setUnits(out).build());
            this.norm = addChildBlock(
                    "bn", BatchNorm.builder().optAxis(1).optMomentum(0.9f).build());
            for (Linear fc : new Linear[] {fc1, fc2}) {
                fc.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
                fc.setInitializer(new ConstantInitializer(0.1f), Parameter.Type.BIAS);
            }
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray h = Activation.elu(fc1.forward(ps, new NDList(x), training).singletonOrThrow(), 1f);
            h = Activation.elu(fc2.forward(ps, new NDList(h), training).singletonOrThrow(), 1f);
            Shape s = h.getShape();
            NDArray flat = h.reshape(s.get(0) * s.get(1), s.get(2));
            return new NDList(norm.forward(ps, new NDList(flat), training)
                    .singletonOrThrow()
                    .reshape(s));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return fc2.getOutputShapes(fc1.getOutputShapes(inputShapes));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            fc1.initialize(manager, dataType, new Shape(1, in));
            fc2.initialize(manager, dataType, new Shape(1, hidden));
            norm.initialize(manager, dataType, fc2.getOutputShapes(new Shape[] {new Shape(1, hidden)}));
            // Xavier-normal: std sqrt(2 / (fan_in + fan_out)), set here because it depends on both fans
            xavierNormal(fc1);
            xavierNormal(fc2);
        }

        private static void xavierNormal(Linear fc) {
            NDArray w = fc.getParameters().get("weight").getArray();
            Shape s = w.getShape();
            double std = Math.sqrt(2.0 / (s.get(0) + s.get(1)));
            try (NDManager scope = w.getManager().newSubManager()) {
                NDArray fresh = scope.randomNormal(0, (float) std, s, DataType.FLOAT32, w.getDevice());
                w.set(fresh.toFloatArray());
            }
        }
    }

    /** The factor-graph MLP encoder: {@code [B, n, T*d] -> [B, n(n-1)]} logits. */
    static final class Encoder extends AbstractBlock {
        private final int in;
        private final int hidden;
        private final int vertices;
        private final Mlp mlp1;
        private final Mlp mlp2;
        private final Mlp mlp3;
        private final Mlp mlp4;
        private final Linear out;

        Encoder(int in, int hidden, int vertices) {
            this.in = in;
            this.hidden = hidden;
            this.vertices = vertices;
            this.mlp1 = addChildBlock("mlp1", new Mlp(in, hidden, hidden));
            this.mlp2 = addChildBlock("mlp2", new Mlp(2 * hidden, hidden, hidden));
            this.mlp3 = addChildBlock("mlp3", new Mlp(hidden, hidden, hidden));
            this.mlp4 = addChildBlock("mlp4", new Mlp(3 * hidden, hidden, hidden));
            this.out = addChildBlock("out", Linear.builder().setUnits(1).build());
            out.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
            out.setInitializer(new ConstantInitializer(0.1f), Parameter.Type.BIAS);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Shape s = x.getShape();
            NDManager manager = x.getManager();
            NDArray receivers = NriGraph.receivers(manager, vertices);
            NDArray senders = NriGraph.senders(manager, vertices);
            NDArray h = x.reshape(s.get(0), s.get(1), -1);
            h = run(mlp1, ps, h, training);
            h = run(mlp2, ps, nodeToEdge(h, receivers, senders), training);
            NDArray skip = h;
            h = Scalars.div(receivers.transpose().matMul(h), vertices);
            h = run(mlp3, ps, h, training);
            h = NDArrays.concat(new NDList(nodeToEdge(h, receivers, senders), skip), 2);
            h = run(mlp4, ps, h, training);
            NDArray logits = out.forward(ps, new NDList(h), training).singletonOrThrow();
            return new NDList(logits.reshape(s.get(0), -1));
        }

        private static NDArray nodeToEdge(NDArray h, NDArray receivers, NDArray senders) {
            return NDArrays.concat(new NDList(senders.matMul(h), receivers.matMul(h)), 2);
        }

        private static NDArray run(AbstractBlock block, ParameterStore ps, NDArray x, boolean training) {
            return block.forward(ps, new NDList(x), training).singletonOrThrow();
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), NriGraph.directedEdges(vertices))};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            mlp1.initialize(manager, dataType, new Shape(1, 1, in));
            mlp2.initialize(manager, dataType, new Shape(1, 1, 2 * hidden));
            mlp3.initialize(manager, dataType, new Shape(1, 1, hidden));
            mlp4.initialize(manager, dataType, new Shape(1, 1, 3 * hidden));
            out.initialize(manager, dataType, new Shape(1, hidden));
            Mlp.xavierNormal(out);
        }
    }

    /** The MLP decoder with two edge types. */
    static final class Decoder extends AbstractBlock {
        private final int dims;
        private final int hidden;
        private final int vertices;
        private final Linear messageIn;
        private final Linear messageNoEdge;
        private final Linear messageEdge;
        private final Linear out1;
        private final Linear out2;
        private final Linear out3;

        Decoder(int dims, int hidden, int vertices) {
            this.dims = dims;
            this.hidden = hidden;
            this.vertices = vertices;
            // the first message layers of both types side by side: one matrix product for the two
            this.messageIn = addChildBlock(
                    "msg_fc1", Linear.builder().setUnits(2L * hidden).build());
            this.messageNoEdge = addChildBlock(
                    "msg_fc2_none", Linear.builder().setUnits(hidden).build());
            this.messageEdge = addChildBlock(
                    "msg_fc2_edge", Linear.builder().setUnits(hidden).build());
            this.out1 =
                    addChildBlock("out_fc1", Linear.builder().setUnits(hidden).build());
            this.out2 =
                    addChildBlock("out_fc2", Linear.builder().setUnits(hidden).build());
            this.out3 = addChildBlock("out_fc3", Linear.builder().setUnits(dims).build());
        }

        /**
         * Predicts the trajectories after time 0: {@code [B*S, n, T-1, d]}.
         *
         * @param x {@code [B*S, n, T, d]}
         * @param edges {@code [B*S, n(n-1)]}, 1 on the edges of the graph
         * @param steps steps predicted from each starting point
         */
        NDArray predict(ParameterStore ps, NDArray x, NDArray edges, int steps, boolean training) {
            long t = x.getShape().get(2);
            long kept = t - 1;
            long starts = (kept + steps - 1) / steps;
            // [B, n, T, d] -> [B, T, n, d], every steps-th time step as a starting point
            NDArray states = x.transpose(0, 2, 1, 3);
            NDArray last = states.get(":, 0:{}:{}", starts * steps, steps);
            NDArray type = edges.expandDims(1).expandDims(3); // [B, 1, n(n-1), 1]
            NDList predictions = new NDList();
            for (int step = 0; step < steps; step++) {
                last = step(ps, last, type, training);
                predictions.add(last);
            }
            // [B, starts, steps, n, d] -> timeline [B, starts*steps, n, d], first T-1 kept
            NDArray timeline = NDArrays.stack(predictions, 2);
            Shape s = timeline.getShape();
            timeline = timeline.reshape(s.get(0), starts * steps, s.get(3), s.get(4));
            return timeline.get(":, 0:{}", kept).transpose(0, 2, 1, 3);
        }

        private NDArray step(ParameterStore ps, NDArray inputs, NDArray type, boolean training) {
            NDManager manager = inputs.getManager();
            NDArray receivers = NriGraph.receivers(manager, vertices);
            NDArray senders = NriGraph.senders(manager, vertices);
            NDArray pre = NDArrays.concat(new NDList(senders.matMul(inputs), receivers.matMul(inputs)), -1);
            NDArray h = Activation.relu(linear(messageIn, ps, pre, training));
            NDList halves = h.split(2, 3);
            NDArray none = Activation.relu(linear(messageNoEdge, ps, halves.get(0), training));
            NDArray edge = Activation.relu(linear(messageEdge, ps, halves.get(1), training));
            // none * (1 - type) + edge * type
            NDArray messages = none.add(edge.sub(none).mul(type));
            NDArray aggregated = receivers.transpose().matMul(messages);
            NDArray augmented = NDArrays.concat(new NDList(inputs, aggregated), -1);
            NDArray p = Activation.relu(linear(out1, ps, augmented, training));
            p = Activation.relu(linear(out2, ps, p, training));
            p = linear(out3, ps, p, training);
            return p.add(inputs);
        }

        private static NDArray linear(Linear fc, ParameterStore ps, NDArray x, boolean training) {
            return fc.forward(ps, new NDList(x), training).singletonOrThrow();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("the decoder runs through predict(...)");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Linear[] layers = {messageIn, messageNoEdge, messageEdge, out1, out2, out3};
            long[] fanIn = {2L * dims, hidden, hidden, dims + hidden, hidden, hidden};
            for (int i = 0; i < layers.length; i++) {
                float bound = (float) (1 / Math.sqrt(fanIn[i]));
                layers[i].setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
                layers[i].setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
                layers[i].initialize(manager, dataType, new Shape(1, fanIn[i]));
            }
        }
    }
}
