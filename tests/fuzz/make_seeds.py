#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into seeds/.

Plans: real plans of three models for the CPU and CUDA, compiled by dlc and
shrunk through flatc's JSON form (a 16-byte code object, the PTX cut to its
entry declarations, no cubin) so that mutations land on the fields the
runtime reads. IDX, parameter and model seeds are small valid files; .mlir
seeds are dlc's dumps of the stages in the dl dialect; pass seeds are
dumps of every stage a dl pass takes, some made by dl-opt.
Usage: make_seeds.py BUILD_DIR (with bin/dlc and bin/dl-opt built).
"""
import gzip
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCHEMA = os.path.join(ROOT, "schemas", "plan.fbs")
HEADER = 24  # runtime/abi/PlanFormat.h


def write(kind, name, data):
    os.makedirs(os.path.join(HERE, "seeds", kind), exist_ok=True)
    with open(os.path.join(HERE, "seeds", kind, name), "wb") as f:
        f.write(data)


def minimal_ptx(ptx):
    head = "\n".join(l for l in ptx.splitlines()
                     if l.startswith((".version", ".target", ".address_size")))
    entries = re.findall(r"\.visible \.entry [^{]*", ptx)
    return head + "\n\n" + "".join(e + "{\n\tret;\n}\n\n" for e in entries)


def plan_seed(dlc, model, target, tmp):
    plan = os.path.join(tmp, "p.plan")
    subprocess.run([dlc, os.path.join(ROOT, "models", model + ".dl"),
                    "--target=" + target, "-o", plan], check=True)
    payload = os.path.join(tmp, "p.bin")
    with open(plan, "rb") as f, open(payload, "wb") as out:
        out.write(f.read()[HEADER:])
    subprocess.run(["flatc", "--json", "--raw-binary", "--strict-json",
                    "-o", tmp, SCHEMA, "--", payload], check=True)
    with open(os.path.join(tmp, "p.json")) as f:
        plan_json = json.load(f)
    plan_json["compiler_options"] = model + ".dl"
    # The build machine's CPU would make the seeds differ between machines.
    plan_json["cpu_features"] = "+avx2,+fma"
    if target == "cpu":
        plan_json["cpu"] = "x86-64-v3"
        plan_json["code"] = list(range(16))
    else:
        plan_json["ptx"] = minimal_ptx(plan_json["ptx"])
        plan_json.pop("cubin", None)
    with open(os.path.join(tmp, "s.json"), "w") as f:
        json.dump(plan_json, f)
    subprocess.run(["flatc", "--binary", "-o", tmp, SCHEMA,
                    os.path.join(tmp, "s.json")], check=True)
    with open(os.path.join(tmp, "s.plan"), "rb") as f:  # schema file_extension
        write("plan", f"{model}.{target}", f.read())


def idx_seeds():
    images = struct.pack(">IIII", 0x803, 3, 2, 2) + bytes(range(0, 240, 20))
    labels = struct.pack(">II", 0x801, 3) + bytes([0, 9, 4])
    # The first byte picks raw (even) or gzip-compressed by the target (odd).
    write("idx", "images", b"\0" + images)
    write("idx", "images.compressed-by-target", b"\1" + images)
    write("idx", "labels", b"\0" + labels)
    write("idx", "labels.compressed-by-target", b"\1" + labels)
    # A gzip file as is, inflated by the reader.
    write("idx", "images.gz", b"\0" + gzip.compress(images, mtime=0))


def param_seeds():
    def tensor(name, shape, values):
        data = struct.pack("<I", len(name)) + name.encode()
        data += struct.pack("<I", len(shape)) + b"".join(
            struct.pack("<q", d) for d in shape)
        return data + b"".join(struct.pack("<f", v) for v in values)
    body = b"DLCPARAM" + struct.pack("<II", 1, 2)
    body += tensor("w", [3, 4], [i / 8 - 0.5 for i in range(12)])
    body += tensor("b", [4], [0.25, -1.0, 3.5, 0.0])
    write("param", "w_b", body)  # the target appends the crc32


def model_seeds():
    models = os.path.join(ROOT, "models")
    for name in sorted(os.listdir(models)):
        with open(os.path.join(models, name), "rb") as f:
            write("model", name, f.read())


def mlir_seeds(dlc):
    # Dumps of the stages in the dl dialect, as fed back to dlc.
    for model in ("mlp", "lenet_relu", "cnn_wd"):
        for stage in ("graph", "train-graph", "fused"):
            # Relative to the root, so that the locations name no machine.
            dump = subprocess.run(
                [os.path.abspath(dlc), os.path.join("models", model + ".dl"),
                 "--emit=" + stage], cwd=ROOT, check=True,
                capture_output=True).stdout
            write("mlir", f"{model}.{stage}.mlir", dump)


# dl::buildBufferizeKernelsPipeline as dlc runs it on the kernels module:
# bufferization, then the slices for the CPU (dynamic, phases) or for the
# CUDA target.
BUFFERIZE = ("one-shot-bufferize{bufferize-function-boundaries "
             "function-boundary-type-conversion=identity-layout-map},"
             "canonicalize,drop-equivalent-buffer-results,canonicalize,cse,"
             "canonicalize")
DISTRIBUTE = {"cpu": "phases=true",
              "cuda": "threads=256 outputs-per-thread=4"}


def run_on_kernels(dl_opt, module, passes):
    pipeline = "builtin.module(builtin.module(%s))" % passes
    return subprocess.run(
        [os.path.abspath(dl_opt), "--pass-pipeline=" + pipeline],
        input=module, cwd=ROOT, check=True, capture_output=True).stdout


def dump(dlc, model, *flags):
    # Relative to the root, so that the locations name no machine.
    return subprocess.run(
        [os.path.abspath(dlc), os.path.join("models", model + ".dl")] +
        list(flags), cwd=ROOT, check=True, capture_output=True).stdout


def pass_seeds(dlc, dl_opt):
    # A small model at every stage, larger ones where the kernel passes
    # have more to do (convolutions, pooling, phased products).
    small = "softmax_regression"
    for stage in ("graph", "train-graph", "fused", "linalg", "loops"):
        write("pass", f"{small}.{stage}.mlir",
              dump(dlc, small, "--emit=" + stage))
    write("pass", f"{small}.gpu.mlir",
          dump(dlc, small, "--target=cuda", "--batch=8", "--emit=gpu"))
    for model in (small, "mlp", "lenet_relu"):
        for target in ("cpu", "cuda"):
            linalg = dump(dlc, model, "--target=" + target, "--emit=linalg")
            bufferized = run_on_kernels(dl_opt, linalg, BUFFERIZE)
            if model != "lenet_relu":
                write("pass", f"{model}.{target}-bufferized.mlir", bufferized)
            distributed = run_on_kernels(
                dl_opt, bufferized, "dl-distribute-workgroups{%s},"
                "dl-sort-globals" % DISTRIBUTE[target])
            write("pass", f"{model}.{target}-distributed.mlir", distributed)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dlc = os.path.join(sys.argv[1], "bin", "dlc")
    with tempfile.TemporaryDirectory() as tmp:
        for model in ("mlp", "lenet_relu", "cnn_wd"):
            for target in ("cpu", "cuda"):
                plan_seed(dlc, model, target, tmp)
    idx_seeds()
    param_seeds()
    model_seeds()
    mlir_seeds(dlc)
    pass_seeds(dlc, os.path.join(sys.argv[1], "bin", "dl-opt"))


if __name__ == "__main__":
    main()
