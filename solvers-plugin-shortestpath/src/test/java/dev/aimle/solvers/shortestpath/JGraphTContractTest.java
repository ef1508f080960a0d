package dev.aimle.solvers.shortestpath;

/** The contract with 8 neighbours through JGraphT's Dijkstra. */
class JGraphTContractTest extends ShortestPathContractTestBase {
    @Override
    ShortestPathSolver solver() {
        return new ShortestPathSolver(Neighbourhood.EIGHT, NegativeCosts.CLIP, ShortestPathSolver.Algorithm.JGRAPHT, 2);
    }
}
