"""Times the reference implementation's Dijkstra (EdinburghNLP/torch-adaptive-imle,
aaai23/maprop/blackbox/dijkstra.py) per instance on the costs `aimle bench --only shortest-path`
uses, and prints one tab-separated row per case:

    case <TAB> variant <TAB> median ms <TAB> min ms <TAB> calls <TAB> paths digest

The costs are the same on both sides without a file: splitmix64 from seed 42, each cost the top 24
bits of a draw divided by 2^24 (uniform in [0, 1), exact in float32), instances drawn one after the
other, row-major. The digest sums, over instances b and path cells i, (b * 1009 + i * 7919) mod
1000003: equal digests mean equal paths (up to a hash collision). `aimle bench` prints its own.

    shortest_path_reference.py CHECKOUT [--quick]          the timings
    shortest_path_reference.py CHECKOUT --ties FILE        writes tie-heavy instances (costs 0, 1, 2)
                                                           and the reference's paths, for the tests

The reference's dijkstra module is imported from CHECKOUT unchanged; its only import this script
replaces is aaai23.maprop.utils (which needs ray and pathlib2), by a module whose maybe_parallelize
maps sequentially, which is what the reference's does when ray is not initialised. None of the
reference's code is copied.
"""

import statistics
import sys
import time
import types

import numpy as np

MASK = (1 << 64) - 1
SEED = 42
# case label as printed by `aimle bench`, side, neighbourhood, instances (full, quick)
CASES = [
    ("12x12", 12, "8-grid", 200, 20),
    ("12x12", 12, "4-grid", 200, 20),
    ("30x30", 30, "8-grid", 40, 5),
]


def splitmix(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def costs(seed, count, h, w):
    draws = splitmix(seed)
    values = np.empty(count * h * w, dtype=np.float32)
    for i in range(values.size):
        values[i] = (next(draws) >> 40) / 16777216.0
    return values.reshape(count, h, w)


def digest(paths):
    total = 0
    for b, path in enumerate(paths):
        for i in np.flatnonzero(np.asarray(path).reshape(-1)):
            total += (b * 1009 + int(i) * 7919) % 1000003
    return total


def load(checkout):
    sys.path.insert(0, checkout)
    utils = types.ModuleType("aaai23.maprop.utils")
    utils.maybe_parallelize = lambda function, arg_list: [function(arg) for arg in arg_list]
    sys.modules["aaai23.maprop.utils"] = utils
    from aaai23.maprop.blackbox.dijkstra import dijkstra

    return dijkstra


def timings(dijkstra, quick):
    for label, side, neighbourhood, full, small in CASES:
        count = small if quick else full
        matrices = costs(SEED, count, side, side)
        paths = [dijkstra(m, neighbourhood).shortest_path for m in matrices]  # also the warm-up
        times = []
        for _ in range(1 if quick else 3):
            for m in matrices:
                start = time.perf_counter()
                dijkstra(m, neighbourhood)
                times.append((time.perf_counter() - start) * 1e3)
        print("%s\tdijkstra per instance %s\t%.4f\t%.4f\t%d\t%d"
              % (label, neighbourhood, statistics.median(times), min(times), len(times), digest(paths)))


def ties(dijkstra, out):
    draws = splitmix(7)
    with open(out, "w") as f:
        f.write("# h w neighbourhood | costs row-major | the reference dijkstra's path cells (flat indices)\n")
        for h, w, count in ((3, 3, 20), (4, 6, 40), (7, 5, 40), (12, 12, 40)):
            for neighbourhood in ("8-grid", "4-grid"):
                for _ in range(count):
                    m = np.array([(next(draws) >> 40) % 3 for _ in range(h * w)], dtype=np.float32).reshape(h, w)
                    path = np.flatnonzero(dijkstra(m, neighbourhood).shortest_path.reshape(-1))
                    f.write("%d %d %s | %s | %s\n" % (h, w, neighbourhood[0], " ".join("%d" % c for c in m.reshape(-1)),
                                                    " ".join(str(i) for i in path)))


def main():
    dijkstra = load(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--ties":
        ties(dijkstra, sys.argv[3])
    else:
        timings(dijkstra, len(sys.argv) > 2 and sys.argv[2] == "--quick")


if __name__ == "__main__":
    main()
