#!/usr/bin/env python3
"""Design study for issue 23, item 1's second idea: choose IMLE's step lambda from what the S samples
show (their spread estimates the variance, the difference between two lambdas the bias).

Not part of the library: numpy only, on its own random draws (seed base --seed, not the Java
synthetic experiment's streams), so nothing here is tuned on the points the README's tables score.
The problem is the paper's synthetic one (z one-hot, L = E||z - b||^2, theta, b ~ N(0, I), Gumbel
noise, cosine to the exact gradient by enumeration), 32 problems per point, 100 warm-up steps.

It prints, per difference, n and S:
  1. the best fixed IMLE lambda over the README's sweep, and a per-problem oracle (each problem at
     its own best lambda, from --reps repetitions): the most any per-problem choice of lambda can
     gain over one fixed lambda;
  2. design A, "MSE balance": per step, the per-sample differences at alpha * {1/4, 1/2, 1, 2}
     (lambda = alpha ||theta|| / ||dy||, the batch rule); U-statistics over the S samples give the
     signal ||E d||^2, the variance of the mean and the squared bias by Richardson's rule (bias
     ~ lambda^k: ||mu(l) - mu(l/2)||^2 * (2^k / (2^k - 1))^2); their moving averages (gamma) give
     the relative error (bias^2 + variance) / signal at three points, and log alpha moves to the
     parabola's vertex (at most one ladder step, times the gain);
  3. design B, "spread target": the relative variance of the mean, variance / signal, steered to a
     constant rho by the proportional rule (log alpha += gain * log(ratio / rho)); the best rho of
     --rhos at each point is reported (a constant tuned per point: an upper bound for the design).
Both need two samples of an instance to see a spread: at S = 1 they have nothing to go on.

  python3 scripts/lambda_from_samples.py            # about 5 minutes on one core
"""
import argparse

import numpy as np

LAMBDAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5]


def exact(theta, b):
    p = np.exp(theta - theta.max())
    p /= p.sum()
    f = ((np.eye(len(theta)) - b) ** 2).sum(1)
    return p * (f - (p * f).sum())


def differences(theta, b, lam, central, eps):
    """Per-sample IMLE estimates [S, n] for one lambda, with the forward pass's noise eps."""
    one_hot = np.eye(len(theta))
    z = one_hot[np.argmax(theta + eps, 1)]
    dy = 2 * (z - b)
    if central:
        return (one_hot[np.argmax(theta + lam * dy + eps, 1)] - one_hot[np.argmax(theta - lam * dy + eps, 1)]) / (
            2 * lam
        )
    return (z - one_hot[np.argmax(theta - lam * dy + eps, 1)]) / lam


def cosine(a, b):
    na = np.linalg.norm(a)
    return 0.0 if na == 0 else float(a @ b / (na * np.linalg.norm(b)))


def ustat(d):
    """Unbiased ||E d||^2 from S samples (sum over pairs a != b of d_a . d_b), and the mean ||d||^2."""
    s = d.sum(0)
    squares = (d * d).sum()
    count = len(d)
    return (s @ s - squares) / (count * (count - 1)), squares / count


def unit_lambda(theta, b, eps):
    z = np.eye(len(theta))[np.argmax(theta + eps, 1)]
    dy = 2 * (z - b)
    return np.linalg.norm(np.tile(theta, (len(eps), 1))) / max(np.linalg.norm(dy), 1e-12)


def mse_balance(theta, b, samples, rng, central, warmup, gain, gamma):
    k = 2 if central else 1
    richardson = (2**k / (2**k - 1)) ** 2
    log_alpha = 0.0
    average = None
    for step in range(warmup + 1):
        eps = rng.gumbel(size=(samples, len(theta)))
        unit = unit_lambda(theta, b, eps)
        ladder = [differences(theta, b, np.exp(log_alpha) * unit * f, central, eps) for f in (0.25, 0.5, 1, 2)]
        if step == warmup:
            return ladder[2].mean(0)
        stats = []
        for j in (1, 2, 3):
            signal, second = ustat(ladder[j])
            bias, _ = ustat(ladder[j] - ladder[j - 1])
            stats.append([richardson * bias, (second - signal) / samples, signal])
        stats = np.array(stats)
        average = stats if average is None else gamma * average + (1 - gamma) * stats
        y = np.array([np.log(max(bs + v, 1e-300) / u) if u > 0 else 700.0 for bs, v, u in average])
        curvature = y[0] - 2 * y[1] + y[2]
        if curvature > 0:
            vertex = np.clip((y[0] - y[2]) / (2 * curvature), -1, 1)
        else:
            vertex = -1.0 if y[0] < y[2] else 1.0
        log_alpha += gain * vertex * np.log(2)


def spread_target(theta, b, samples, rng, central, warmup, rho, gain, gamma):
    log_alpha = 0.0
    average = None
    for step in range(warmup + 1):
        eps = rng.gumbel(size=(samples, len(theta)))
        d = differences(theta, b, np.exp(log_alpha) * unit_lambda(theta, b, eps), central, eps)
        if step == warmup:
            return d.mean(0)
        signal, second = ustat(d)
        stats = np.array([(second - signal) / samples, signal])
        average = stats if average is None else gamma * average + (1 - gamma) * stats
        # no signal seen yet: the step is too small to change states, or too noisy; a step up either way
        error = np.log(2) / gain if average[1] <= 0 else np.log(average[0] / average[1]) - np.log(rho)
        log_alpha += np.clip(gain * error, -np.log(2), np.log(2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2000)
    parser.add_argument("--n", default="10,50")
    parser.add_argument("--samples", default="1,10,100")
    parser.add_argument("--reps", type=int, default=60, help="repetitions per problem and lambda for the oracle")
    parser.add_argument("--rhos", default="0.1,0.3,1,3")
    parser.add_argument("--gain", type=float, default=0.3)
    parser.add_argument("--gamma", type=float, default=0.9)
    args = parser.parse_args()
    rhos = [float(x) for x in args.rhos.split(",")]
    print("difference n S | best fixed IMLE (lambda) | per-problem oracle (gain) | A: MSE balance (delta) |"
          " B: spread target, best rho (delta)")
    for central in (False, True):
        for n in [int(x) for x in args.n.split(",")]:
            draw = np.random.default_rng(args.seed + n)
            problems = [(draw.normal(size=n), draw.normal(size=n)) for _ in range(32)]
            truth = [exact(t, b) for t, b in problems]
            for samples in [int(x) for x in args.samples.split(",")]:
                rng = np.random.default_rng(args.seed + 1)
                table = np.array([
                    [
                        np.mean([
                            cosine(differences(t, b, lam, central, rng.gumbel(size=(samples, n))).mean(0), g)
                            for _ in range(args.reps)
                        ])
                        for lam in LAMBDAS
                    ]
                    for (t, b), g in zip(problems, truth)
                ])
                fixed = table.mean(0)
                best = fixed.max()
                oracle = table.max(1).mean()
                line = "%s %d %d | %.3f (%s) | %.3f (%+.3f)" % (
                    "central" if central else "forward", n, samples, best, LAMBDAS[int(fixed.argmax())],
                    oracle, oracle - best)
                if samples < 2:
                    print(line + " | - (no spread at S = 1) | -", flush=True)
                    continue
                rng = np.random.default_rng(args.seed + 2)
                a = np.mean([
                    cosine(mse_balance(t, b, samples, rng, central, 100, args.gain, args.gamma), g)
                    for (t, b), g in zip(problems, truth)
                ])
                scores = []
                for rho in rhos:
                    rng = np.random.default_rng(args.seed + 3)
                    scores.append(np.mean([
                        cosine(spread_target(t, b, samples, rng, central, 100, rho, args.gain, args.gamma), g)
                        for (t, b), g in zip(problems, truth)
                    ]))
                j = int(np.argmax(scores))
                print(line + " | %.3f (%+.3f) | %.3f (%+.3f, rho = %s)" % (a, a - best, scores[j], scores[j] - best,
                                                                            rhos[j]), flush=True)


if __name__ == "__main__":
    main()
