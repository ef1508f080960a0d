package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.SolverDeadlineException;
import dev.aimle.runtime.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's loader over the plugin jars this build produced (app/target/plugins): each loads without
 * problems from its own class loader, with its bundled third-party libraries (JGraphT, OR-Tools and
 * its natives), and solves exactly (compared with enumeration on small instances).
 */
class BuiltPluginsIT {
    private static Discovery discovery;
    private static NDManager manager;

    @BeforeAll
    static void load() {
        String dir = System.getProperty("aimle.plugins.built");
        assertNotNull(dir, "system property aimle.plugins.built (set by failsafe in app/pom.xml)");
        discovery = PluginLoader.forApp().load(Path.of(dir));
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
        discovery.close();
    }

    private static float[] gaussian(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void everyPluginStartsWithoutProblemsAndLabelsItsSolvers() {
        String problems =
                discovery.problems().stream().map(LoadProblem::message).collect(Collectors.joining("\n"));
        assertEquals(List.of(), discovery.problems(), problems);
        Map<String, String> sources = discovery.solvers().entries().stream()
                .collect(Collectors.toMap(e -> e.provider().name(), ProviderRegistry.Entry::source));
        String version = System.getProperty("aimle.project.version");
        assertEquals("aimle-topk@" + version, sources.get("topk"), sources.toString());
        assertEquals("aimle-ilp@" + version, sources.get("ilp"), sources.toString());
        assertTrue(sources.containsValue("aimle-spanningtree@" + version), sources.toString());
        assertEquals("aimle-shortestpath@" + version, sources.get("shortest-path"), sources.toString());
        discovery.plugins().forEach(p -> assertEquals("STARTED", p.state(), p.label()));
    }

    @Test
    void topkFromItsPluginSolvesExactly() {
        int batch = 6;
        int n = 9;
        int k = 4;
        long seed = 5;
        float[] scores = gaussian(seed, batch * n);
        MapSolver solver = discovery.solvers().get("topk").create(Config.of("k", k));
        float[] z = solver.solve(manager.create(scores, new Shape(batch, n))).toFloatArray();
        assertArrayEquals(Enumeration.best(scores, batch, n, s -> Enumeration.ones(s) == k), z, 0f, "seed " + seed);
    }

    @Test
    void spanningTreeFromItsPluginSolvesExactlyWithBundledJGraphT() {
        String name = discovery.solvers().names().stream()
                .filter(s -> s.startsWith("spanning"))
                .findFirst()
                .orElseThrow();
        int nodes = 5;
        int edges = nodes * (nodes - 1) / 2;
        int batch = 4;
        long seed = 8;
        float[] scores = gaussian(seed, batch * edges);
        MapSolver solver = discovery.solvers().get(name).create(Config.of("algorithm", "jgrapht-kruskal"));
        float[] z =
                solver.solve(manager.create(scores, new Shape(batch, edges))).toFloatArray();
        assertArrayEquals(
                Enumeration.best(scores, batch, edges, s -> Enumeration.isSpanningTree(s, nodes)),
                z,
                0f,
                "seed " + seed);
    }

    @Test
    void ilpFromItsPluginLoadsOrToolsNativesAndSolvesExactly(@TempDir Path temp) throws IOException {
        int n = 7;
        Path problem = Files.writeString(
                temp.resolve("at-most-3.json"),
                "{\"name\": \"at-most-3\", \"variables\": " + n + ", \"constraints\": [{\"coefficients\": "
                        + "[1, 1, 1, 1, 1, 1, 1], \"sense\": \"<=\", \"rhs\": 3}]}");
        int batch = 3;
        long seed = 13;
        float[] scores = gaussian(seed, batch * n);
        MapSolver solver = discovery.solvers().get("ilp").create(Config.of(Map.of("problem", problem.toString())));
        float[] z = solver.solve(manager.create(scores, new Shape(batch, n))).toFloatArray();
        assertArrayEquals(Enumeration.best(scores, batch, n, s -> Enumeration.ones(s) <= 3), z, 0f, "seed " + seed);
    }

    /**
     * The ILP plugin's own time limit surfaces as the SPI's {@link SolverDeadlineException}, caught
     * here by type although the plugin's classes come from its own class loader: the exception class
     * is the one the app loaded. The problem is a 400-variable, 40-constraint multi-knapsack that no
     * backend proves optimal within 1 ms (the plugin's own test uses the same construction).
     */
    @Test
    void ilpTimeLimitIsTheSpisDeadlineExceptionAcrossThePluginClassLoader(@TempDir Path temp) throws IOException {
        int n = 400;
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder constraints = new StringBuilder();
        for (int j = 0; j < 40; j++) {
            long total = 0;
            StringBuilder weights = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int w = 1 + random.nextInt(1000);
                total += w;
                weights.append(i == 0 ? "" : ", ").append(w);
            }
            constraints
                    .append(j == 0 ? "" : ", ")
                    .append("{\"coefficients\": [")
                    .append(weights)
                    .append("], \"sense\": \"<=\", \"rhs\": ")
                    .append(total / 4)
                    .append('}');
        }
        Path problem = Files.writeString(
                temp.resolve("knapsack.json"),
                "{\"name\": \"knapsack-400x40\", \"variables\": " + n + ", \"constraints\": [" + constraints + "]}");
        MapSolver solver = discovery
                .solvers()
                .get("ilp")
                .create(Config.of(Map.of("problem", problem.toString(), "timeLimitMs", "1", "parallelism", "1")));
        NDArray theta = manager.create(gaussian(42, n), new Shape(1, n));
        SolverDeadlineException e = assertThrows(SolverDeadlineException.class, () -> solver.solve(theta), "seed 42");
        assertSame(SolverDeadlineException.class, e.getClass(), "the app's class, not a copy from the plugin");
        assertNotSame(
                SolverDeadlineException.class.getClassLoader(),
                solver.getClass().getClassLoader(),
                "the solver should come from the plugin's class loader");
        assertEquals(Duration.ofMillis(1), e.limit());
        assertTrue(e.getMessage().contains("'knapsack-400x40'"), e.getMessage());
    }

    /** Brute force over all binary states of small instances. */
    static final class Enumeration {
        interface Feasible {
            boolean test(float[] state);
        }

        static float[] best(float[] scores, int batch, int n, Feasible feasible) {
            float[] out = new float[batch * n];
            float[] state = new float[n];
            for (int r = 0; r < batch; r++) {
                double best = Double.NEGATIVE_INFINITY;
                long bestMask = -1;
                for (long mask = 0; mask < (1L << n); mask++) {
                    for (int i = 0; i < n; i++) {
                        state[i] = (mask >>> i & 1) == 1 ? 1f : 0f;
                    }
                    if (feasible.test(state)) {
                        double value = 0;
                        for (int i = 0; i < n; i++) {
                            value += state[i] * scores[r * n + i];
                        }
                        if (value > best) {
                            best = value;
                            bestMask = mask;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    out[r * n + i] = (bestMask >>> i & 1) == 1 ? 1f : 0f;
                }
            }
            return out;
        }

        static int ones(float[] state) {
            int c = 0;
            for (float v : state) {
                c += v == 1f ? 1 : 0;
            }
            return c;
        }

        /** Whether the chosen edges (row-major upper triangle) form a spanning tree of {@code nodes}. */
        static boolean isSpanningTree(float[] state, int nodes) {
            if (ones(state) != nodes - 1) {
                return false;
            }
            int[] parent = new int[nodes];
            for (int i = 0; i < nodes; i++) {
                parent[i] = i;
            }
            int e = 0;
            for (int u = 0; u < nodes; u++) {
                for (int v = u + 1; v < nodes; v++, e++) {
                    if (state[e] == 1f) {
                        int a = find(parent, u);
                        int b = find(parent, v);
                        if (a == b) {
                            return false;
                        }
                        parent[a] = b;
                    }
                }
            }
            return true;
        }

        private static int find(int[] parent, int x) {
            while (parent[x] != x) {
                x = parent[x];
            }
            return x;
        }
    }
}
