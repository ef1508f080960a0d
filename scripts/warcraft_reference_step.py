"""Times one training step of the reference's Warcraft trainer (EdinburghNLP/torch-adaptive-imle,
aaai23/maprop/warcraft_shortest_path/maprop.py, DijkstraMAP) on this CPU, one thread, and prints
the median and the fastest step in wall milliseconds and the median process CPU time (which a loaded
machine inflates less):

    python3 scripts/warcraft_reference_step.py REFERENCE_CHECKOUT [--data DIR] [--mode dbb|imle|aimle|ste]
                                              [--batch 70] [--reps 10] [--warm-up 3] [--central]

The step is the reference's own: its DijkstraMAP trainer built as its settings
(settings/warcraft_shortest_path/12x12_map.json: CombResnet18, Adam 5e-4, lambda 20, 8-grid),
its forward_pass (model, abs, its aimle/ste decorators over its Python Dijkstra, HammingLoss),
then zero_grad, backward and the Adam step. The training loop of the reference also computes its
metrics on every batch (metrics.compute_metrics, a Dijkstra per map for the valid-path check); they
are timed on their own and printed as a second row. Modes: dbb = imle with the standard target,
lambda 20, no noise (Pogancic et al.'s black-box backprop); imle = the same with Gumbel noise;
aimle = the adaptive target (initial beta = lambda, as the reference); ste. The maps come from
--data (the *_maps.npy layout: test_maps.npy etc.; normalised per channel) or are random.

Needs PyTorch and torchvision (Debian: apt-get install python3-torch python3-torchvision, then run
with /usr/bin/python3). The reference imports ray, tensorboardX and pathlib2, which this step does
not use: they are replaced by small stand-ins (ray is "not initialised", so the reference solves the
maps one after another, as it does without ray). Nothing of the reference is copied: its modules
are imported.
"""

import pathlib
import statistics
import sys
import time
import types

import numpy as np
import torch


def stand_ins():
    ray = types.ModuleType("ray")
    ray.is_initialized = lambda: False
    sys.modules.setdefault("ray", ray)
    board = types.ModuleType("tensorboardX")
    board.SummaryWriter = object
    sys.modules.setdefault("tensorboardX", board)
    pathlib2 = types.ModuleType("pathlib2")
    pathlib2.Path = pathlib.Path
    sys.modules.setdefault("pathlib2", pathlib2)


def option(name, default, kind=str):
    return kind(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main():
    checkout = sys.argv[1]
    mode_name = option("--mode", "dbb")
    batch = option("--batch", 70, int)
    reps = option("--reps", 10, int)
    warm_up = option("--warm-up", 3, int)
    data = option("--data", None)
    central = "--central" in sys.argv
    stand_ins()
    sys.path.insert(0, checkout)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    np.random.seed(0)
    from aaai23.maprop.utils import ParamDict
    from aaai23.maprop.warcraft_shortest_path import metrics
    from aaai23.maprop.warcraft_shortest_path.maprop import DijkstraMAP

    modes = {
        "dbb": dict(method="imle", target="standard", noise_distribution="none"),
        "imle": dict(method="imle", target="standard", noise_distribution="gumbel"),
        "aimle": dict(method="imle", target="adaptive", noise_distribution="gumbel", lambda_update_step=1e-3),
        "ste": dict(method="ste", target="standard", noise_distribution="gumbel"),
    }
    mode = dict(modes[mode_name], noise_temperature=1.0, is_symmetric=central, nb_samples=1)
    trainer = DijkstraMAP(
        train_iterator=None,
        test_iterator=None,
        metadata={"output_features": 144, "num_channels": 3},
        use_cuda=False,
        batch_size=batch,
        optimizer_name="Adam",
        optimizer_params={"lr": 5e-4},
        model_params={"model_name": "CombResnet18", "arch_params": {}},
        fast_mode=False,
        neighbourhood_fn="8-grid",
        preload_batch=False,
        lr_milestone_1=30,
        lr_milestone_2=40,
        use_lr_scheduling=True,
        l1_regconst=0.0,
        lambda_val=20.0,
        mode=ParamDict(mode),  # its settings object (recursive_objectify needs Python < 3.10)
    )
    trainer.model.train()
    if data:
        maps = np.load(f"{data}/test_maps.npy")[:batch].astype(np.float32).transpose(0, 3, 1, 2)
        maps = (maps - maps.mean(axis=(0, 2, 3), keepdims=True)) / maps.std(axis=(0, 2, 3), keepdims=True)
        images = torch.from_numpy(np.ascontiguousarray(maps))
        paths = torch.from_numpy(np.load(f"{data}/test_shortest_paths.npy")[:batch].astype(np.float32))
        weights = torch.from_numpy(np.load(f"{data}/test_vertex_weights.npy")[:batch].astype(np.float32))
    else:
        images = torch.randn(batch, 3, 96, 96)
        weights = torch.rand(batch, 12, 12) * 9 + 0.5
        paths = torch.zeros(batch, 12, 12)
        for b in range(batch):
            for i in range(12):
                paths[b, i, i] = 1.0
    used = sum(p.numel() for name, p in trainer.model.named_parameters()
               if name.startswith(("resnet_model.conv1", "resnet_model.bn1", "resnet_model.layer1")))
    total = sum(p.numel() for p in trainer.model.parameters())

    def step():
        loss, _, last = trainer.forward_pass(images, paths, train=True, i=1, true_weights=weights)
        trainer.optimizer.zero_grad()
        loss.backward()
        trainer.optimizer.step()
        return last["suggested_path"]

    def timed(operation):
        """Wall and process CPU milliseconds of each repetition (CPU time is robust to a loaded machine)."""
        for _ in range(warm_up):
            operation()
        wall, cpu = [], []
        for _ in range(reps):
            start, start_cpu = time.perf_counter(), time.process_time()
            operation()
            wall.append((time.perf_counter() - start) * 1e3)
            cpu.append((time.process_time() - start_cpu) * 1e3)
        return statistics.median(wall), min(wall), statistics.median(cpu)

    step_median, step_min, step_cpu = timed(step)
    suggested = step().detach()
    metrics_median, metrics_min, metrics_cpu = timed(
        lambda: metrics.compute_metrics(true_paths=paths, suggested_paths=suggested, true_vertex_costs=weights))
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} thread, batch {batch}, mode {mode_name}"
          f"{' central' if central else ''}, {'data ' + data if data else 'random maps'};"
          f" CombResnet18 parameters: {used} in the layers used, {total} held")
    print("row\tmedian wall ms\tmin wall ms\tmedian cpu ms\trepetitions")
    print(f"step\t{step_median:.1f}\t{step_min:.1f}\t{step_cpu:.1f}\t{reps}")
    print(f"metrics\t{metrics_median:.1f}\t{metrics_min:.1f}\t{metrics_cpu:.1f}\t{reps}")


if __name__ == "__main__":
    main()
