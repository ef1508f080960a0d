package dev.aimle.app.experiments.warcraft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.api.grid.GridDijkstra;

/**
 * A test-local shortest-path oracle over {@code [B, k, k]} vertex costs (8 neighbours) on {@link
 * GridDijkstra}, the plugin's own implementation (the app's tests do not load plugins; the
 * experiment's solver is the shortest-path plugin, which runs the same class). Negative costs count
 * as 0, as the plugin's default {@code negative=clip}. Not a test itself: MinimisingSignTest and
 * WarcraftSessionTest assert through it.
 */
final class DijkstraSolver implements MapSolver {
    private int calls;

    @Override
    public NDArray solve(NDArray theta) {
        float[] out = solveOnHost(theta.toFloatArray(), theta.getShape(), theta.getManager());
        return HostArrays.create(theta.getManager(), out, theta.getShape());
    }

    @Override
    public synchronized float[] solveOnHost(float[] theta, Shape shape, NDManager scratch) {
        calls++;
        if (shape.dimension() != 3 || shape.get(1) != shape.get(2)) {
            throw new IllegalArgumentException("costs " + shape + " must be [B, k, k]");
        }
        int k = (int) shape.get(1);
        float[] out = new float[theta.length];
        GridDijkstra dijkstra = new GridDijkstra(true);
        for (int b = 0; b < shape.get(0); b++) {
            dijkstra.solve(theta, b * k * k, k, k, out, b * k * k);
        }
        return out;
    }

    synchronized int calls() {
        return calls;
    }

    @Override
    public Sense sense() {
        return Sense.MINIMISE;
    }

    @Override
    public String name() {
        return "test-dijkstra";
    }
}
