"""Times the PyTorch reference implementation (EdinburghNLP/torch-adaptive-imle) on the cases of
`aimle bench --only estimators`, one thread, and prints one tab-separated row per figure:

    case <TAB> variant <TAB> median ms <TAB> min ms <TAB> repetitions

Used by scripts/bench-vs-reference, which alternates it with our bench; it imports the reference's
own modules (imle.aimle, imle.target, imle.noise, imle.solvers) from the checkout given as the first
argument and copies none of its code.
"""

import statistics
import sys
import time

import torch

CASES = [
    # label as printed by `aimle bench`, shape, k, noises
    ("B=128 n=400 k=10", (128, 400), 10, ("gumbel", "sum-of-gamma")),
    ("2560x20 k=10 (DVAE)", (2560, 20), 10, ("gumbel", "sum-of-gamma")),
    ("B=128 n=50 k=1", (128, 50), 1, ("gumbel",)),
]


def timed(operation, warm_up, repetitions, prepare=lambda: None):
    """Median and fastest of `repetitions` calls after `warm_up`; `prepare` runs untimed before each."""
    for _ in range(warm_up):
        prepare()
        operation()
    times = []
    for _ in range(repetitions):
        prepare()
        start = time.perf_counter()
        operation()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times), repetitions


def main():
    checkout = sys.argv[1]
    quick = len(sys.argv) > 2 and sys.argv[2] == "--quick"
    sys.path.insert(0, checkout)
    from imle.aimle import aimle
    from imle.noise import GumbelNoiseDistribution, SumOfGammaNoiseDistribution
    from imle.solvers import mathias_select_k
    from imle.target import AdaptiveTargetDistribution

    torch.set_num_threads(1)
    torch.manual_seed(42)
    warm_up, repetitions = (3, 5) if quick else (30, 200)
    rows = []
    for label, shape, k, noises in CASES:
        theta0 = torch.randn(*shape)
        dy = torch.randn(*shape)

        def solve(t, k=k):
            return mathias_select_k(t, k)

        # fresh scores before every call, as in a step and as `aimle bench` times its MAP rows
        for variant, rows_of in (("MAP [B, n]", shape[0]), ("MAP [2B, n]", 2 * shape[0])):
            scores = torch.empty(rows_of, shape[1])
            rows.append((label, variant, *timed(lambda s=scores: solve(s), warm_up, repetitions,
                                                prepare=scores.normal_)))
        for noise_name in noises:
            noise = (GumbelNoiseDistribution() if noise_name == "gumbel"
                     else SumOfGammaNoiseDistribution(k=k, nb_iterations=10))
            rows.append((label, "noise " + noise_name,
                         *timed(lambda: noise.sample(torch.Size(shape)), warm_up, repetitions)))
            for central in (True, False):
                # the reference's AIMLE: adaptive lambda with its initial beta (our alpha0) = 1, S = 1
                target = AdaptiveTargetDistribution(initial_alpha=1.0, initial_beta=1.0)
                layer = aimle(solve, target_distribution=target, noise_distribution=noise,
                              nb_samples=1, symmetric_perturbation=central)

                # theta arrives as a fresh leaf, copied untimed before each step, as `aimle bench`
                # copies its inputs untimed
                fresh = {}

                def copy_inputs():
                    fresh["theta"] = theta0.clone().requires_grad_(True)

                def step():
                    z = layer(fresh["theta"])
                    z.backward(dy)

                name = "AIMLE " + ("central" if central else "forward") + " step, " + noise_name
                rows.append((label, name, *timed(step, warm_up, repetitions, prepare=copy_inputs)))
    print("# torch " + torch.__version__ + ", threads " + str(torch.get_num_threads()))
    for label, variant, median, fastest, reps in rows:
        print("%s\t%s\t%.4f\t%.4f\t%d" % (label, variant, median, fastest, reps))


if __name__ == "__main__":
    main()
