package dev.aimle.solvers.ilp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of {@link IlpSolver} on the k-subset problem {@code sum z == k} (n = 50, k = 10 and a
 * batch of 128 by default), sequential (parallelism 1) and parallel (one chunk per processor),
 * next to a plain sort-based top-k on the host over the same scores, which is the same MAP. It
 * prints figures and asserts nothing about time; it does check that the ILP's answers equal the
 * top-k's.
 *
 * <p>Run it with a DJL engine on the class path, e.g. from the repository root:
 *
 * <pre>{@code
 * mvn -o -q test-compile dependency:build-classpath -pl solvers-plugin-ilp \
 *     -Dmdep.outputFile=/tmp/ilp-cp.txt -Dmdep.includeScope=test
 * DJL_OFFLINE=true OPT_OUT_TRACKING=true java \
 *     -cp solvers-plugin-ilp/target/classes:$(cat /tmp/ilp-cp.txt) \
 *     dev.aimle.solvers.ilp.IlpBenchmark backend=cp-sat batches=10
 * }</pre>
 */
public final class IlpBenchmark {
    /** The top-k pass is repeated this many times, as one pass is too short to time. */
    private static final int TOPK_REPETITIONS = 20;

    private IlpBenchmark() {}

    /**
     * What to measure.
     *
     * @param backend the OR-Tools backend
     * @param n variables per instance
     * @param k the cardinality
     * @param batch instances per {@code solve} call (B)
     * @param batches timed {@code solve} calls per variant (after one warm-up call)
     * @param parallelism the parallel variant's parallelism
     * @param seed the seed of the uniform(-1, 1) scores
     */
    public record Options(IlpSolver.Backend backend, int n, int k, int batch, int batches, int parallelism, long seed) {
        /** Validates. */
        public Options {
            if (n < 1 || k < 0 || k > n || batch < 1 || batches < 1 || parallelism < 1) {
                throw new IllegalArgumentException(
                        "benchmark options need n >= 1, 0 <= k <= n, batch, batches and parallelism >= 1; got " + this);
            }
        }

        /** n = 50, k = 10, B = 128, 10 batches, CP-SAT, parallelism = processors, seed 1. */
        public static Options defaults() {
            return new Options(
                    IlpSolver.Backend.CP_SAT,
                    50,
                    10,
                    128,
                    10,
                    Runtime.getRuntime().availableProcessors(),
                    1);
        }
    }

    /**
     * The figures.
     *
     * @param options what was measured
     * @param sequentialSolvesPerSecond instances per second with parallelism 1
     * @param parallelSolvesPerSecond instances per second with {@code options.parallelism()}
     * @param sortTopKSolvesPerSecond instances per second of the host sort-based top-k
     * @param agreesWithTopK whether every ILP answer equalled the top-k answer
     */
    public record Result(
            Options options,
            double sequentialSolvesPerSecond,
            double parallelSolvesPerSecond,
            double sortTopKSolvesPerSecond,
            boolean agreesWithTopK) {

        /** One line per figure. */
        public String describe() {
            Options o = options;
            return String.format(
                    Locale.ROOT,
                    "ilp (%s) n=%d k=%d B=%d, %d batches%n"
                            + "  sequential       %10.1f solves/s%n"
                            + "  parallel (%d)     %10.1f solves/s%n"
                            + "  sort-based top-k %10.1f solves/s%n"
                            + "  ILP == top-k: %s",
                    o.backend().id(),
                    o.n(),
                    o.k(),
                    o.batch(),
                    o.batches(),
                    sequentialSolvesPerSecond,
                    o.parallelism(),
                    parallelSolvesPerSecond,
                    sortTopKSolvesPerSecond,
                    agreesWithTopK);
        }
    }

    /**
     * Measures. The arrays are created in a sub-manager of {@code manager} and closed before
     * returning.
     */
    public static Result run(NDManager manager, Options options) {
        int n = options.n();
        int batch = options.batch();
        IlpProblem problem = IlpProblem.cardinality(n, options.k());
        IlpSolver sequential = IlpSolver.builder(problem)
                .optBackend(options.backend())
                .optParallelism(1)
                .build();
        IlpSolver parallel = IlpSolver.builder(problem)
                .optBackend(options.backend())
                .optParallelism(options.parallelism())
                .build();
        SplittableRandom random = new SplittableRandom(options.seed());
        float[][] inputs = new float[options.batches()][batch * n];
        for (float[] input : inputs) {
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextDouble(-1, 1);
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray[] thetas = new NDArray[inputs.length];
            for (int b = 0; b < inputs.length; b++) {
                thetas[b] = scope.create(inputs[b], new Shape(batch, n));
                if (thetas[b].getDataType() != DataType.FLOAT32) {
                    throw new IllegalStateException("expected float32 scores, got " + thetas[b].getDataType());
                }
            }
            boolean agrees = true;
            float[][] topK = new float[inputs.length][];
            for (int b = 0; b < inputs.length; b++) {
                topK[b] = sortTopK(inputs[b], n, options.k()); // warm-up, and the reference answers
            }
            long t0 = System.nanoTime();
            for (int rep = 0; rep < TOPK_REPETITIONS; rep++) {
                for (int b = 0; b < inputs.length; b++) {
                    topK[b] = sortTopK(inputs[b], n, options.k());
                }
            }
            double topKSeconds = (System.nanoTime() - t0) / 1e9 / TOPK_REPETITIONS;
            sequential.solve(thetas[0]).close(); // warm-up: natives, JIT, the thread's model
            parallel.solve(thetas[0]).close();
            t0 = System.nanoTime();
            for (int b = 0; b < thetas.length; b++) {
                try (NDArray z = sequential.solve(thetas[b])) {
                    agrees &= Arrays.equals(topK[b], z.toFloatArray());
                }
            }
            double sequentialSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            for (int b = 0; b < thetas.length; b++) {
                try (NDArray z = parallel.solve(thetas[b])) {
                    agrees &= Arrays.equals(topK[b], z.toFloatArray());
                }
            }
            double parallelSeconds = (System.nanoTime() - t0) / 1e9;
            double solves = (double) batch * inputs.length;
            return new Result(
                    options,
                    solves / sequentialSeconds,
                    solves / parallelSeconds,
                    solves / Math.max(topKSeconds, 1e-9),
                    agrees);
        }
    }

    /**
     * Top-k of every row of {@code flat} ({@code [rows, n]}) by one sort per row of keys that order
     * by descending score, then ascending index (the same tie rule as {@link IlpSolver}).
     */
    static float[] sortTopK(float[] flat, int n, int k) {
        float[] z = new float[flat.length];
        long[] keys = new long[n];
        for (int row = 0; row < flat.length / n; row++) {
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToIntBits(flat[row * n + i] + 0f);
                int ordered = bits < 0 ? ~bits : bits | Integer.MIN_VALUE; // monotone in the score, unsigned
                long descending = ~ordered & 0xFFFFFFFFL;
                keys[i] = (descending << 32 | i) ^ Long.MIN_VALUE; // signed order == unsigned order
            }
            Arrays.sort(keys);
            for (int r = 0; r < k; r++) {
                z[row * n + (int) (keys[r] & 0x7FFFFFFFL)] = 1f;
            }
        }
        return z;
    }

    /**
     * Prints the figures. Arguments are {@code key=value}: {@code backend} (cp-sat|scip), {@code n},
     * {@code k}, {@code batch}, {@code batches}, {@code parallelism}, {@code seed}.
     */
    public static void main(String[] args) {
        Options d = Options.defaults();
        IlpSolver.Backend backend = d.backend();
        int n = d.n();
        int k = d.k();
        int batch = d.batch();
        int batches = d.batches();
        int parallelism = d.parallelism();
        long seed = d.seed();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("argument '" + arg + "' must be key=value");
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            switch (key) {
                case "backend" -> backend = IlpSolver.Backend.fromId(value);
                case "n" -> n = Integer.parseInt(value);
                case "k" -> k = Integer.parseInt(value);
                case "batch" -> batch = Integer.parseInt(value);
                case "batches" -> batches = Integer.parseInt(value);
                case "parallelism" -> parallelism = Integer.parseInt(value);
                case "seed" -> seed = Long.parseLong(value);
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument '" + key + "'; known: backend, n, k, batch, batches, parallelism, seed");
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            System.out.println(run(manager, new Options(backend, n, k, batch, batches, parallelism, seed))
                    .describe());
        }
    }
}
