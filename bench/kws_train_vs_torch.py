#!/usr/bin/env python3
"""Training speed: mote's C++ trainer vs PyTorch on the same DS-CNN.

  bench/kws_train_vs_torch.py --mote build/mote [--samples 2000] [--epochs 3] [--threads 2]

The MLPerf Tiny KWS DS-CNN (examples/kws/model.json: Conv2D 64 10x4 /2 + BN +
ReLU, 4 x [DepthwiseConv2D 3x3 + BN + ReLU, Conv2D 64 1x1 + BN + ReLU],
AveragePool 25x5, Dense 12, softmax; dropout as in the model), input
49x10x1, batch 100, Adam, sparse categorical cross-entropy, both on the same
random inputs and labels, `--threads` threads each (mote --threads,
torch.set_num_threads + interop threads). Training samples/s is the mean over
the epochs after the first (the first warms caches and thread pools); mote's
per-epoch seconds come from `mote train --json` (no validation data, so an
epoch is forward + backward + Adam only). CPU seconds per sample (user + sys
over all epochs) are printed too: on a shared machine they move less than wall
time. Prints one JSON object.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "examples", "kws", "model.json")


def torch_rate(x, y, epochs, threads, batch):
    import torch
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(threads)
    except RuntimeError:
        pass
    torch.manual_seed(1)
    nn = torch.nn

    def dw_block():
        return [nn.Conv2d(64, 64, 3, padding=1, groups=64), nn.BatchNorm2d(64), nn.ReLU(),
                nn.Conv2d(64, 64, 1), nn.BatchNorm2d(64), nn.ReLU()]

    layers = [nn.ZeroPad2d((1, 1, 4, 5)),  # Keras "same" for kernel (10, 4), stride 2 on 49 x 10
              nn.Conv2d(1, 64, (10, 4), stride=2), nn.BatchNorm2d(64), nn.ReLU(), nn.Dropout(0.2)]
    for _ in range(4):
        layers += dw_block()
    layers += [nn.Dropout(0.4), nn.AvgPool2d((25, 5)), nn.Flatten(), nn.Linear(64, 12)]
    model = nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()  # softmax + NLL, as Keras softmax + sparse CE
    xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy())  # NHWC -> NCHW
    yt = torch.from_numpy(y.astype(np.int64).reshape(-1))
    n = len(x)
    out = model(xt[:2])
    assert tuple(out.shape) == (2, 12), out.shape
    times = []
    model.train()
    cpu0 = time.process_time()
    for _ in range(epochs):
        perm = torch.randperm(n)
        t0 = time.perf_counter()
        for b in range(0, n, batch):
            idx = perm[b:b + batch]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    return times, torch.__version__, time.process_time() - cpu0


def mote_rate(mote, x, y, epochs, threads, batch, tmp):
    with open(MODEL) as f:
        spec = json.load(f)
    spec["fit"] = {"epochs": epochs, "batch_size": batch, "validation_split": 0.0}
    mpath = os.path.join(tmp, "model.json")
    with open(mpath, "w") as f:
        json.dump(spec, f)
    np.save(os.path.join(tmp, "x.npy"), x)
    np.save(os.path.join(tmp, "y.npy"), y.astype(np.int32))
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([mote, "train", "-m", mpath, "-d", os.path.join(tmp, "x.npy"),
                        "-l", os.path.join(tmp, "y.npy"), "-o", os.path.join(tmp, "w.bin"),
                        "--threads", str(threads), "--json"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("mote train failed: " + r.stderr)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    times = [json.loads(l)["seconds"] for l in r.stdout.splitlines() if '"epoch"' in l]
    return times, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mote", default="build/mote")
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--skip-torch", action="store_true")
    a = ap.parse_args()
    if a.epochs < 2:
        sys.exit("--epochs must be >= 2 (the first epoch is a warm-up)")
    rng = np.random.default_rng(1)
    x = rng.standard_normal((a.samples, 49, 10, 1)).astype(np.float32)
    y = rng.integers(0, 12, size=(a.samples, 1)).astype(np.int32)
    res = {"model": "DS-CNN 64 channels (examples/kws/model.json)", "input": [49, 10, 1],
           "samples": a.samples, "batch": a.batch, "threads": a.threads, "epochs": a.epochs}
    with tempfile.TemporaryDirectory() as tmp:
        mt, mcpu = mote_rate(a.mote, x, y, a.epochs, a.threads, a.batch, tmp)
    res["mote_epoch_seconds"] = mt
    # CPU seconds of the whole `mote train` process (all epochs, data loading):
    # less sensitive than wall time to other jobs on a shared machine.
    res["mote_cpu_seconds_per_sample"] = mcpu / (a.samples * a.epochs)
    res["mote_samples_per_s"] = a.samples / (sum(mt[1:]) / len(mt[1:]))
    if not a.skip_torch:
        tt, ver, tcpu = torch_rate(x, y, a.epochs, a.threads, a.batch)
        res["torch_cpu_seconds_per_sample"] = tcpu / (a.samples * a.epochs)
        res["torch_version"] = ver
        res["torch_epoch_seconds"] = tt
        res["torch_samples_per_s"] = a.samples / (sum(tt[1:]) / len(tt[1:]))
        res["mote_over_torch"] = res["mote_samples_per_s"] / res["torch_samples_per_s"]
    print(json.dumps(res))


if __name__ == "__main__":
    main()
