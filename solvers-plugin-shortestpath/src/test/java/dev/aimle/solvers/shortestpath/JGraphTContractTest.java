package dev.aimle.solvers.shortestpath;

/**
 * The contract with 8 neighbours through JGraphT's Dijkstra.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class JGraphTContractTest extends ShortestPathContractTestBase {
    @Override
    ShortestPathSolver solver() {
        return new ShortestPathSolver(Neighbourhood.EIGHT, NegativeCosts.CLIP, ShortestPathSolver.Algorithm.JGRAPHT, 2);
    }
}
