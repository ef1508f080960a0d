package dev.aimle.app.experiments.nri;

import java.util.Arrays;

/**
 * One example of the NRI graph-layout data: a spanning tree over {@link NriGenerator#VERTICES}
 * vertices and the trajectory of its vertices under the layout iterations.
 *
 * @param timesteps T, the number of recorded positions per vertex
 * @param trajectory {@code [T, 2, 10]} row-major: {@code trajectory[(t * 2 + d) * 10 + v]} is
 *     coordinate d (0 = x, 1 = y) of vertex v after layout call t + 1 (the SST file's axis order)
 * @param treeEdges 45 indicators, 1 for the edges of the tree, in row-major upper-triangle order
 *     (0,1), (0,2), ..., (0,9), (1,2), ..., (8,9): the spanning-tree solver's edge order
 */
public record NriExample(int timesteps, double[] trajectory, int[] treeEdges) {
    /** Validates the lengths and copies the arrays. */
    public NriExample {
        if (timesteps < 1) {
            throw new IllegalArgumentException("timesteps (" + timesteps + ") must be at least 1");
        }
        if (trajectory.length != timesteps * NriGenerator.DIMS * NriGenerator.VERTICES) {
            throw new IllegalArgumentException("trajectory holds " + trajectory.length + " values; [T, 2, 10] with T = "
                    + timesteps + " holds " + timesteps * NriGenerator.DIMS * NriGenerator.VERTICES);
        }
        if (treeEdges.length != NriGenerator.EDGES) {
            throw new IllegalArgumentException(
                    "treeEdges holds " + treeEdges.length + " values; expected " + NriGenerator.EDGES);
        }
        trajectory = trajectory.clone();
        treeEdges = treeEdges.clone();
    }

    /** The trajectory (a copy). */
    @Override
    public double[] trajectory() {
        return trajectory.clone();
    }

    /** The tree's edge indicators (a copy). */
    @Override
    public int[] treeEdges() {
        return treeEdges.clone();
    }

    /** The tree as a symmetric {@code 10 x 10} 0/1 adjacency matrix, row-major, zero diagonal. */
    public float[] adjacency() {
        return NriGenerator.adjacency(treeEdges);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NriExample e
                && timesteps == e.timesteps
                && Arrays.equals(trajectory, e.trajectory)
                && Arrays.equals(treeEdges, e.treeEdges);
    }

    @Override
    public int hashCode() {
        return (31 * timesteps + Arrays.hashCode(trajectory)) * 31 + Arrays.hashCode(treeEdges);
    }

    @Override
    public String toString() {
        return "NriExample[T=" + timesteps + ", tree " + Arrays.toString(treeEdges) + "]";
    }
}
