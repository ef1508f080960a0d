package dev.aimle.solvers.shortestpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The tie rule is the reference implementation's: on 280 grids of costs in {0, 1, 2} (ties and
 * zero-cost plateaus everywhere; 3x3 to 12x12, 8 and 4 neighbours) the solver returns exactly the
 * path the reference's {@code dijkstra} returned. The expected paths were written by {@code
 * scripts/shortest_path_reference.py CHECKOUT --ties FILE} from the reference's own module (commit
 * 41ec7975 of EdinburghNLP/torch-adaptive-imle).
 */
class ReferenceTiesTest {

    @Test
    void everyPathIsTheReferencesOwn() throws IOException {
        ShortestPathSolver eight = new ShortestPathSolver(
                Neighbourhood.EIGHT, NegativeCosts.REFUSE, ShortestPathSolver.Algorithm.DIJKSTRA, 1);
        ShortestPathSolver four = new ShortestPathSolver(
                Neighbourhood.FOUR, NegativeCosts.REFUSE, ShortestPathSolver.Algorithm.DIJKSTRA, 1);
        int checked = 0;
        try (InputStream in = ReferenceTiesTest.class.getResourceAsStream("reference-ties.txt");
                NDManager manager = NDManager.newBaseManager()) {
            assertNotNull(in, "reference-ties.txt is missing");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\|");
                String[] head = parts[0].trim().split(" ");
                int h = Integer.parseInt(head[0]);
                int w = Integer.parseInt(head[1]);
                String[] cells = parts[1].trim().split(" ");
                float[] costs = new float[h * w];
                for (int i = 0; i < costs.length; i++) {
                    costs[i] = Float.parseFloat(cells[i]);
                }
                float[] expected = new float[h * w];
                for (String i : parts[2].trim().split(" ")) {
                    expected[Integer.parseInt(i)] = 1f;
                }
                ShortestPathSolver solver = head[2].equals("8") ? eight : four;
                float[] got = solver.solveOnHost(costs, new Shape(1, h, w), manager);
                assertArrayEquals(
                        expected,
                        got,
                        0f,
                        "line " + number + " (" + h + "x" + w + ", " + head[2] + " neighbours): "
                                + Arrays.toString(costs));
                checked++;
            }
        }
        assertEquals(280, checked, "instances checked");
    }
}
