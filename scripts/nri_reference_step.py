"""Times one NRI training iteration of the PyTorch reference (EdinburghNLP/torch-adaptive-imle,
cli/nri-cli.py, its AIMLE configuration) on random trajectories, one thread, and prints the median:

    python3 scripts/nri_reference_step.py REFERENCE_CHECKOUT [--anomaly] [--reps 5] [--central]

The step is the reference's own: its MLPEncoder and MLPDecoder (hidden 256, two edge types), the
symmetrised logits, its aimle decorator with Sum-of-Gamma noise (k = 10) over its batched PyTorch
Kruskal, nll_gaussian + kl_gumbel, Adam. Batch 128, T = 10, 9 prediction steps. Autograd anomaly
detection is off unless --anomaly (the reference's script switches it on). Compare with
`./aimle bench --only nri` (the same step here). Needs PyTorch (Debian: apt-get install
python3-torch); cvxpy, which the reference imports for a relaxation this step does not use, is
replaced by an empty module. Nothing of the reference is copied: its modules are imported.
"""

import statistics
import sys
import time
import types

import numpy as np
import torch


def main():
    checkout = sys.argv[1]
    anomaly = "--anomaly" in sys.argv
    central = "--central" in sys.argv
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 5
    for name in ("cvxpy", "cvxpylayers", "cvxpylayers.torch"):
        module = types.ModuleType(name)
        module.CvxpyLayer = None
        sys.modules.setdefault(name, module)
    sys.path.insert(0, checkout)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    from imle.aimle import aimle
    from imle.noise import SumOfGammaNoiseDistribution
    from imle.target import AdaptiveTargetDistribution
    from nri.modules import MLPDecoder, MLPEncoder
    from nri.utils import encode_onehot, kl_gumbel, map_estimator, maybe_make_logits_symmetric, nll_gaussian

    torch.autograd.set_detect_anomaly(anomaly)
    n, t, dims, batch, steps, var = 10, 10, 2, 128, 9, 5e-5
    off_diag = np.ones([n, n]) - np.eye(n)
    rel_rec = torch.FloatTensor(np.array(encode_onehot(np.where(off_diag)[0]), dtype=np.float32))
    rel_send = torch.FloatTensor(np.array(encode_onehot(np.where(off_diag)[1]), dtype=np.float32))
    encoder = MLPEncoder(t * dims, 256, 1, 0.0, True, False, num_edges=n * (n - 1), n=n,
                         num_timesteps=t, num_dims=dims)
    decoder = MLPDecoder(n_in_node=dims, edge_types=2, msg_hid=256, msg_out=256, n_hid=256,
                         do_prob=0.0, skip_first=False, num_rounds=1)
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=5e-4)
    target = AdaptiveTargetDistribution(initial_alpha=1.0, initial_beta=0.0, beta_update_step=1e-3)
    noise = SumOfGammaNoiseDistribution(k=n, nb_iterations=10)

    @aimle(target_distribution=target, noise_distribution=noise, nb_samples=1,
           theta_noise_temperature=1.0, target_noise_temperature=1.0, symmetric_perturbation=central)
    def tree(logits):
        return map_estimator(logits, False)

    data = torch.rand(batch, n, t, dims) * 2 - 1

    def step():
        optimizer.zero_grad()
        logits, _ = encoder(data, rel_rec, rel_send)
        logits = maybe_make_logits_symmetric(logits, True)
        edges = tree(logits)
        edges = torch.cat((1.0 - edges, edges), dim=2)
        output = decoder(data, edges, rel_rec, rel_send, steps)
        loss_nll = nll_gaussian(output, data[:, :, 1:, :], var)
        loss = (loss_nll + kl_gumbel(logits, n)).sum() / batch
        loss.backward()
        optimizer.step()

    for _ in range(2):
        step()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)
    print(f"reference NRI step (AIMLE {'central' if central else 'forward'}, B=128, T=10, 1 thread,"
          f" anomaly detection {'on' if anomaly else 'off'}): median {statistics.median(times):.0f} ms,"
          f" min {min(times):.0f} ms over {reps}")


if __name__ == "__main__":
    main()
