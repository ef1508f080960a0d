package dev.aimle.solvers.shortestpath;

/**
 * The contract with 8 neighbours, Dijkstra.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class EightNeighbourContractTest extends ShortestPathContractTestBase {
    @Override
    ShortestPathSolver solver() {
        return new ShortestPathSolver(
                Neighbourhood.EIGHT, NegativeCosts.CLIP, ShortestPathSolver.Algorithm.DIJKSTRA, 2);
    }
}
