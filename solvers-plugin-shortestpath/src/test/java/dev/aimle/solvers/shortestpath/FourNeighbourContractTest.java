package dev.aimle.solvers.shortestpath;

/** The contract with 4 neighbours, Dijkstra, negative costs refused. */
class FourNeighbourContractTest extends ShortestPathContractTestBase {
    @Override
    ShortestPathSolver solver() {
        return new ShortestPathSolver(
                Neighbourhood.FOUR, NegativeCosts.REFUSE, ShortestPathSolver.Algorithm.DIJKSTRA, 2);
    }
}
