#!/usr/bin/env python3
"""dlrun's reports on a real plan and real digits, checked from the outside.

  dlrun-report.py DLC DLRUN MODEL.dl DATA_DIR

Compiles MODEL with dlc, trains it a few epochs with --metrics (CSV, then
JSON) and --plot, and checks that: the metrics files hold exactly the printed
epoch lines; the JSON file is valid JSON at every moment of a run and after a
kill; the SVG is well-formed XML naming the four curves and the model; no
control character reaches a non-terminal; --eval-only --load reproduces the
last epoch's test loss and accuracy; bad --metrics/--plot use is one line of
error. Exit status 0 when all hold.
"""
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

dlc, dlrun, model, data = sys.argv[1:5]
work = tempfile.mkdtemp(prefix="dlrun-report.")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(*args, env=None):
    p = subprocess.run([dlrun, *args], capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


LINE = re.compile(r"Epoch (\d+)\. Loss: (\d+\.\d{4}), Train acc (\d\.\d{4}), "
                  r"Test loss (\d+\.\d{4}), Test acc (\d\.\d{4}), "
                  r"Time (\d+\.\d{3}) s")


def epoch_lines(out):
    lines = []
    for text in out.splitlines():
        m = LINE.fullmatch(text)
        check(m is not None, f"epoch line format: {text!r}")
        if m:
            lines.append(m.groups())
    return lines


def as_printed(epoch, train_loss, train_acc, test_loss, test_acc, seconds):
    return (str(int(epoch)), f"{float(train_loss):.4f}",
            f"{float(train_acc):.4f}", f"{float(test_loss):.4f}",
            f"{float(test_acc):.4f}", f"{float(seconds):.3f}")


def no_control_characters(text):
    return not any((ord(c) < 0x20 and c != "\n") or ord(c) == 0x7F
                   for c in text)


def one_line_error(result, part):
    rc, out, err = result
    check(rc == 1, f"exit status 1 for {part!r}, got {rc}")
    check(err.startswith("dlrun: error: ") and err.count("\n") == 1,
          f"one error line for {part!r}: {err!r}")
    check(part in err, f"{part!r} in {err!r}")


try:
    plan = os.path.join(work, "model.plan")
    subprocess.run([dlc, model, "-o", plan], check=True)
    model_name = re.search(r"^model (\w+)", open(model).read(), re.M).group(1)
    common = [plan, "--data", data, "--epochs", "4", "--limit-train", "2048",
              "--seed", "3"]
    have_gnuplot = shutil.which("gnuplot") is not None

    # CSV metrics, plot, saved parameters.
    svg = os.path.join(work, "curves.svg")
    params = os.path.join(work, "p.params")
    rc, out, err = run(*common, "--metrics", os.path.join(work, "m.csv"),
                       "--save", params,
                       *(["--plot", svg] if have_gnuplot else []))
    check(rc == 0, f"training run: {err}")
    check(err == "", f"nothing on stderr: {err!r}")
    check(no_control_characters(out), "no control characters on stdout")
    lines = epoch_lines(out)
    check(len(lines) == 4, f"4 epoch lines, got {len(lines)}")
    with open(os.path.join(work, "m.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    check(list(rows[0].keys()) == ["epoch", "train_loss", "train_acc",
                                   "test_loss", "test_acc", "seconds",
                                   "examples_per_s"], "CSV header")
    check([as_printed(r["epoch"], r["train_loss"], r["train_acc"],
                      r["test_loss"], r["test_acc"], r["seconds"])
           for r in rows] == lines, "CSV rows == epoch lines")
    check(all(float(r["examples_per_s"]) > 0 for r in rows), "examples/s")

    if have_gnuplot:
        root = ET.parse(svg).getroot()  # raises on malformed XML
        check(root.tag.endswith("svg"), f"an <svg> root, got {root.tag}")
        text = " ".join(t.strip() for t in root.itertext() if t.strip())
        for part in ["train loss", "test loss", "train acc", "test acc",
                     "epoch", "loss", "accuracy",
                     f"{model_name}: lr ", "weight decay", "momentum",
                     "batch", "limit-train 2048"]:
            check(part in text, f"{part!r} in the SVG's text")
        curves = [e for e in root.iter() if e.tag.endswith("path")
                  and len(e.get("d", "")) > 20]
        check(len(curves) >= 4, f"at least 4 curves, found {len(curves)}")
    else:
        print("gnuplot not installed: plot checks skipped")

    # JSON metrics: the same run (deterministic), the same numbers.
    jpath = os.path.join(work, "m.json")
    rc, out2, err = run(*common, "--metrics", jpath)
    check(rc == 0, f"JSON run: {err}")
    lines2 = epoch_lines(out2)
    check([l[:5] for l in lines2] == [l[:5] for l in lines],
          "same epochs in both runs")
    doc = json.load(open(jpath))
    check(doc["model"] == model_name, f"model {doc['model']}")
    check(doc["limit_train"] == 2048 and doc["planned_epochs"] == 4
          and doc["seed"] == 3, "run fields")
    check([as_printed(e["epoch"], e["train_loss"], e["train_acc"],
                      e["test_loss"], e["test_acc"], e["seconds"])
           for e in doc["epochs"]] == lines2, "JSON epochs == epoch lines")

    # Valid JSON at every moment of a run, and after it is killed.
    live = os.path.join(work, "live.json")
    proc = subprocess.Popen([dlrun, plan, "--data", data, "--epochs", "1000",
                             "--limit-train", "512", "--metrics", live],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    stop = threading.Event()
    reads, bad = [0], []

    def poll():
        while not stop.is_set():
            try:
                text = open(live).read()
            except FileNotFoundError:
                continue
            reads[0] += 1
            try:
                json.loads(text)
            except ValueError as e:
                bad.append(f"{e}: {text[-200:]!r}")

    poller = threading.Thread(target=poll)
    poller.start()
    for k in range(1, 6):
        line = proc.stdout.readline()
        check(LINE.fullmatch(line.rstrip("\n")) is not None, f"line {line!r}")
        doc = json.load(open(live))
        check(len(doc["epochs"]) >= k, f"epoch {k} in the file when printed")
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    stop.set()
    poller.join()
    check(not bad, f"every read of the live JSON parses: {bad[:1]}")
    check(reads[0] > 0, "the live JSON was read")
    check(len(json.load(open(live))["epochs"]) >= 5, "history kept after kill")

    # --eval-only --load: the last epoch's test loss and accuracy.
    rc, out, err = run(plan, "--data", data, "--eval-only", "--load", params)
    check(rc == 0 and err == "", f"eval-only: {err}")
    check(out == f"Test loss {lines[-1][3]}, Test acc {lines[-1][4]}\n",
          f"eval-only output {out!r} vs last epoch {lines[-1]}")

    # Errors.
    one_line_error(run(plan, "--data", data, "--metrics",
                       os.path.join(work, "m.txt")),
                   "unknown extension '.txt'; name a .csv or .json file")
    one_line_error(run(plan, "--data", data, "--eval-only"),
                   "--eval-only needs --load FILE")
    empty = os.path.join(work, "emptybin")
    os.mkdir(empty)
    one_line_error(run(plan, "--data", data, "--plot", svg,
                       env={**os.environ, "PATH": empty}),
                   "--plot needs gnuplot, which is not installed")
finally:
    if "proc" in globals() and proc.poll() is None:
        proc.kill()
        proc.wait()
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all dlrun report checks passed")
