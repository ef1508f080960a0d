/**
 * Algorithms on grids of vertex costs that both a solver plugin and the host need: {@link
 * dev.aimle.api.grid.GridDijkstra}, the cheapest corner-to-corner path (the shortest-path plugin's
 * solver and the Warcraft generator's true paths use this one implementation).
 */
package dev.aimle.api.grid;
