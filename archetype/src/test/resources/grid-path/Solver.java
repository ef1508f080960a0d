package com.example.grid;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.PerInstanceMapSolver;
import dev.aimle.api.ScoreDomain;
import java.util.Arrays;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * What a plugin author writes in place of the archetype's argmax (the end-to-end test copies this
 * file over the generated one): the cheapest path from the top-left to the bottom-right cell of an
 * {@code [H, W]} grid of non-negative vertex costs, moving to the 4 neighbours, every cell on the
 * path counted (the start too). Dijkstra with ties broken by the lower cell index, so the answer is
 * deterministic. A minimising solver over the whole instance: {@code sense() == MINIMISE}, costs
 * {@code NON_NEGATIVE}, AIMLE's target counts per {@code INSTANCE}.
 */
final class Solver extends PerInstanceMapSolver {

    Solver(int parallelism) {
        super(parallelism);
    }

    @Override
    public String name() {
        return SolverProvider.NAME;
    }

    @Override
    public Sense sense() {
        return Sense.MINIMISE;
    }

    @Override
    public ScoreDomain scoreDomain() {
        return ScoreDomain.NON_NEGATIVE;
    }

    @Override
    public Unit naturalUnit() {
        return Unit.INSTANCE;
    }

    @Override
    protected void validateInstanceShape(Shape instance) {
        if (instance.dimension() != 2) {
            throw new IllegalArgumentException(
                    "solver '" + name() + "' expects theta [B, H, W], got instances of shape " + instance);
        }
        validateInstanceSize((int) instance.size());
    }

    @Override
    protected void validateInstanceSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("grid size (" + size + ") must be at least 1");
        }
    }

    /** 3 x 3: 512 candidate cell sets, few enough to check optimality by enumeration. */
    @Override
    public Optional<Shape> exampleInstanceShape() {
        return Optional.of(new Shape(3, 3));
    }

    /** C: the cell sets that are exactly the cells of one simple 4-neighbour path corner to corner. */
    @Override
    public Optional<FeasibleSet> feasibleSet() {
        return Optional.of((z, shape) -> {
            int w = (int) shape.get(1);
            int n = z.length;
            if (z[0] != 1f || z[n - 1] != 1f) {
                return false;
            }
            int cells = 0;
            for (float v : z) {
                cells += v == 1f ? 1 : 0;
            }
            return n == 1 || walks(z, w, 0, new boolean[n], 1, cells);
        });
    }

    /** Whether a simple path from {@code at} to the last cell visits exactly the {@code cells} ones of z. */
    private static boolean walks(float[] z, int w, int at, boolean[] seen, int visited, int cells) {
        if (at == z.length - 1) {
            return visited == cells;
        }
        seen[at] = true;
        for (int next : neighbours(at, w, z.length)) {
            if (next >= 0 && z[next] == 1f && !seen[next] && walks(z, w, next, seen, visited + 1, cells)) {
                seen[at] = false;
                return true;
            }
        }
        seen[at] = false;
        return false;
    }

    private static int[] neighbours(int cell, int w, int n) {
        int row = cell / w;
        int col = cell % w;
        return new int[] {
            row > 0 ? cell - w : -1,
            col > 0 ? cell - 1 : -1,
            col < w - 1 ? cell + 1 : -1,
            cell + w < n ? cell + w : -1
        };
    }

    @Override
    protected void solveInstance(float[] costs, Shape instanceShape, float[] solution) {
        int w = (int) instanceShape.get(1);
        int n = costs.length;
        double[] distance = new double[n];
        int[] previous = new int[n];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        Arrays.fill(previous, -1);
        distance[0] = costs[0];
        // (distance, cell) in lexicographic order: equal distances settle the lower cell first
        PriorityQueue<double[]> queue =
                new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        queue.add(new double[] {distance[0], 0});
        boolean[] settled = new boolean[n];
        while (!queue.isEmpty()) {
            int cell = (int) queue.poll()[1];
            if (settled[cell]) {
                continue;
            }
            settled[cell] = true;
            for (int next : neighbours(cell, w, n)) {
                if (next >= 0 && !settled[next] && distance[cell] + costs[next] < distance[next]) {
                    distance[next] = distance[cell] + costs[next];
                    previous[next] = cell;
                    queue.add(new double[] {distance[next], next});
                }
            }
        }
        for (int cell = n - 1; cell >= 0; cell = previous[cell]) {
            solution[cell] = 1f;
        }
    }
}
