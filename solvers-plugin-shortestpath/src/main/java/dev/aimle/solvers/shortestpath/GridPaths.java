package dev.aimle.solvers.shortestpath;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.FeasibleSet;

/**
 * The feasible set of the shortest-path solver: the cell sets of simple paths from the top-left to
 * the bottom-right cell of an {@code [h, w]} grid, each step to a neighbouring cell. With costs at
 * least 0 the cheapest walk's cells include the cells of a simple path that costs no more, so the
 * minimum of {@code <theta, z>} over this set is the shortest-path cost, and every answer of the
 * solver (a path read back through Dijkstra's predecessors) is in it.
 */
final class GridPaths implements FeasibleSet {
    private final Neighbourhood neighbourhood;

    GridPaths(Neighbourhood neighbourhood) {
        this.neighbourhood = neighbourhood;
    }

    @Override
    public boolean contains(float[] z, Shape instanceShape) {
        if (instanceShape.dimension() != 2 || z.length != instanceShape.size()) {
            return false;
        }
        int w = (int) instanceShape.get(1);
        return isPath(z, w, neighbourhood);
    }

    /**
     * Whether the ones of {@code z} (row-major, {@code width} columns) are the cells of a simple path
     * from cell 0 to the last cell: a depth-first search for a path through exactly those cells.
     * Exponential in the worst case; meant for the small grids of enumeration and tests.
     */
    static boolean isPath(float[] z, int width, Neighbourhood neighbourhood) {
        int n = z.length;
        int ones = 0;
        for (float v : z) {
            if (v == 1f) {
                ones++;
            } else if (v != 0f) {
                return false;
            }
        }
        if (n == 0 || z[0] != 1f || z[n - 1] != 1f) {
            return false;
        }
        if (n == 1) {
            return true;
        }
        // a path's ends have a chosen neighbour, its inner cells two
        int[] cells = new int[ones];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (z[i] == 1f) {
                cells[k++] = i;
            }
        }
        for (int a : cells) {
            int degree = 0;
            for (int b : cells) {
                if (a != b && neighbourhood.adjacent(a, b, width)) {
                    degree++;
                }
            }
            if (degree < (a == 0 || a == n - 1 ? 1 : 2)) {
                return false;
            }
        }
        boolean[] visited = new boolean[n];
        visited[0] = true;
        return extend(0, 1, ones, z, visited, width, neighbourhood);
    }

    private static boolean extend(
            int at, int length, int ones, float[] z, boolean[] visited, int width, Neighbourhood neighbourhood) {
        int goal = z.length - 1;
        if (at == goal) {
            return length == ones;
        }
        int height = z.length / width;
        int r0 = at / width;
        int c0 = at % width;
        for (int k = 0; k < neighbourhood.size(); k++) {
            int r = r0 + neighbourhood.rowOffset(k);
            int c = c0 + neighbourhood.columnOffset(k);
            if (r < 0 || r >= height || c < 0 || c >= width) {
                continue;
            }
            int next = r * width + c;
            if (z[next] == 1f && !visited[next]) {
                visited[next] = true;
                if (extend(next, length + 1, ones, z, visited, width, neighbourhood)) {
                    return true;
                }
                visited[next] = false;
            }
        }
        return false;
    }
}
