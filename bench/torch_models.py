#!/usr/bin/python3
"""PyTorch peers of models/*.dl for bench/run.sh.

Same architectures, initialisers, SGD learning rates, batch (256) and data
(Fashion-MNIST, full batches only) as the dlc models. Each timed epoch is what
a dlrun epoch is: one pass over 60000 // 256 shuffled full batches of training,
then one evaluation of the whole 10000-image test set (batches of 256, the last
one partial) under torch.no_grad().

  torch_models.py --info [--threads T]
      prints the torch version, the BLAS library it loaded and OpenBLAS's
      config and core type, as `key: value` lines.
  torch_models.py MODEL [--threads T] [--epochs E] [--data DIR] [--device D]
      trains 1 warm-up + E timed epochs and prints, per epoch, a line like
      dlrun's, then `RESULT model=M median_ms=X epochs_ms=a,b,...`. With
      --device cuda the model and the whole dataset live on the GPU (eager
      mode, as a user would write it) and each epoch ends with a
      synchronisation before its time is read.

Needs Debian's python3-torch: run it with /usr/bin/python3.
"""
import argparse
import ctypes
import gzip
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

BATCH = 256

# Learning rates from the models' `train sgd(lr=...)` lines.
LR = {"mlp": 0.5, "softmax_regression": 0.1, "lenet": 0.9, "lenet_relu": 0.1}


def normal_init(layer, std):
    nn.init.normal_(layer.weight, 0.0, std)
    nn.init.zeros_(layer.bias)
    return layer


def glorot_init(layer):
    # dlc's default: glorot_uniform() weights, zeros() bias.
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def build(name):
    if name == "mlp":  # models/mlp.dl
        return nn.Sequential(
            nn.Flatten(),
            normal_init(nn.Linear(784, 256), 0.01), nn.ReLU(),
            normal_init(nn.Linear(256, 10), 0.01))
    if name == "softmax_regression":  # models/softmax_regression.dl
        return nn.Sequential(nn.Flatten(), normal_init(nn.Linear(784, 10), 0.01))
    if name in ("lenet", "lenet_relu"):  # models/lenet.dl, models/lenet_relu.dl
        act = nn.Sigmoid if name == "lenet" else nn.ReLU
        pool = ((lambda: nn.AvgPool2d(2, 2)) if name == "lenet"
                else (lambda: nn.MaxPool2d(2, 2)))
        return nn.Sequential(
            glorot_init(nn.Conv2d(1, 6, 5, padding=2)), act(), pool(),
            glorot_init(nn.Conv2d(6, 16, 5)), act(), pool(),
            nn.Flatten(),
            glorot_init(nn.Linear(16 * 5 * 5, 120)), act(),
            glorot_init(nn.Linear(120, 84)), act(),
            glorot_init(nn.Linear(84, 10)))
    raise SystemExit(f"torch_models.py: unknown model '{name}' "
                     f"(known: {', '.join(LR)})")


def read_idx(data, stem):
    """Reads DIR/STEM or DIR/STEM.gz (IDX format) into a numpy array."""
    path = os.path.join(data, stem)
    if os.path.exists(path):
        raw = open(path, "rb").read()
    elif os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            raw = f.read()
    else:
        raise SystemExit(f"torch_models.py: missing {path}[.gz]")
    ndim = raw[3]
    dims = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4).astype(int)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data, prefix):
    x = read_idx(data, f"{prefix}-images-idx3-ubyte")
    y = read_idx(data, f"{prefix}-labels-idx1-ubyte")
    x = torch.from_numpy(x.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    return x.contiguous(), torch.from_numpy(y.astype(np.int64))


def blas_info():
    """The BLAS shared objects mapped after a matmul, and OpenBLAS's config."""
    a = torch.ones(64, 64)
    (a @ a).sum().item()
    info = {}
    libs = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            base = os.path.basename(path)
            if ("blas" in base or "mkl" in base) and path not in libs:
                libs.append(path)
    info["blas_libraries"] = " ".join(libs) or "none found"
    real = [os.path.realpath(p) for p in libs]
    if any("openblas" in p for p in real):
        kind = "OpenBLAS"
    elif any("mkl" in p for p in real):
        kind = "MKL"
    elif any(p.endswith("/blas/libblas.so.3") or "libblas.so" in p
             for p in real):
        kind = "REFERENCE (netlib) BLAS"
    else:
        kind = "unknown"
    info["blas"] = kind
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            get_config = lib.openblas_get_config
        except (OSError, AttributeError):
            continue
        get_config.restype = ctypes.c_char_p
        info["openblas_config"] = get_config().decode()
        try:
            core = lib.openblas_get_corename
            core.restype = ctypes.c_char_p
            info["openblas_core"] = core().decode()
            info["openblas_threads"] = str(lib.openblas_get_num_threads())
        except AttributeError:
            pass
        break
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", nargs="?")
    ap.add_argument("--info", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3,
                    help="timed epochs, after one warm-up epoch")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    if args.info:
        print(f"torch: {torch.__version__} ({torch.__file__})")
        print(f"torch_threads: {torch.get_num_threads()}")
        cap = [l.strip() for l in torch.__config__.show().splitlines()
               if "CPU capability" in l or "BLAS_INFO" in l]
        print("torch_config: " + " | ".join(
            c if "BLAS_INFO" not in c else
            ", ".join(p.strip() for p in c.split(",")
                      if "BLAS_INFO" in p or "LAPACK_INFO" in p)
            for c in cap))
        for k, v in blas_info().items():
            print(f"{k}: {v}")
        return
    if not args.model:
        ap.error("give a MODEL or --info")
    if args.epochs < 1:
        ap.error("--epochs must be >= 1")

    torch.manual_seed(args.seed)
    dev = torch.device(args.device)
    model = build(args.model).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=LR[args.model])
    loss_fn = nn.CrossEntropyLoss()  # mean over the batch, as softmax_ce
    x_train, y_train = (t.to(dev) for t in load(args.data, "train"))
    x_test, y_test = (t.to(dev) for t in load(args.data, "t10k"))
    if dev.type == "cuda":
        print(f"device: {torch.cuda.get_device_name(dev)}", flush=True)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    steps = x_train.shape[0] // BATCH  # dlrun drops the partial batch too

    times = []
    for epoch in range(1 + args.epochs):
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(x_train.shape[0], device=dev)
        total_loss = torch.zeros((), device=dev)
        correct = torch.zeros((), dtype=torch.int64, device=dev)
        for s in range(steps):
            idx = perm[s * BATCH:(s + 1) * BATCH]
            x, y = x_train[idx], y_train[idx]
            logits = model(x)
            loss = loss_fn(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                total_loss += loss.detach()
                correct += (logits.argmax(1) == y).sum()
        model.eval()
        test_correct = torch.zeros((), dtype=torch.int64, device=dev)
        with torch.no_grad():
            for s in range(0, x_test.shape[0], BATCH):
                logits = model(x_test[s:s + BATCH])
                test_correct += (logits.argmax(1) == y_test[s:s + BATCH]).sum()
        test_correct = int(test_correct)
        sync()
        dt = time.perf_counter() - t0
        if epoch > 0:
            times.append(dt)
        print(f"{'Warm-up' if epoch == 0 else 'Epoch ' + str(epoch)}. "
              f"Loss: {total_loss.item() / steps:.4f}, "
              f"Train acc {correct.item() / (steps * BATCH):.4f}, "
              f"Test acc {test_correct / x_test.shape[0]:.4f}, "
              f"Time {dt:.3f} s", flush=True)
    print(f"RESULT model={args.model} "
          f"median_ms={statistics.median(times) * 1e3:.1f} "
          f"epochs_ms={','.join(f'{t * 1e3:.1f}' for t in times)}")


if __name__ == "__main__":
    main()
