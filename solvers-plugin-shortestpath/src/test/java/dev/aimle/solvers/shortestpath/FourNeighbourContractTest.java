package dev.aimle.solvers.shortestpath;

/**
 * The contract with 4 neighbours, Dijkstra, negative costs refused.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class FourNeighbourContractTest extends ShortestPathContractTestBase {
    @Override
    ShortestPathSolver solver() {
        return new ShortestPathSolver(
                Neighbourhood.FOUR, NegativeCosts.REFUSE, ShortestPathSolver.Algorithm.DIJKSTRA, 2);
    }
}
