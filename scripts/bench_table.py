#!/usr/bin/env python3
"""Regenerates the README's benchmark table from criterion's output (target/criterion).

Run `cargo bench` first (or let this script run it with --run). The table is written between
the markers `<!-- bench:start -->` and `<!-- bench:end -->` in README.md; nothing in it is typed
by hand. Ratios are against "serde_json typed" in the same run.
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRIT = os.path.join(ROOT, "target", "criterion")
BASE = "serde_json typed"
ORDER = ["tim-callback", "tim-callback parse only", "serde_json typed", "serde_json tagged", "sonic-rs typed", "simd-json typed"]
GROUPS = ["mix/compact", "mix/pretty", "mix/shuffled-keys", "mix/all-escaped", "corpus/compact", "corpus/pretty"]


def slug(s):
    # criterion names directories after ids, with "/" as "_"
    return s.replace("/", "_")


def estimate(group, bench):
    d = os.path.join(CRIT, slug(group), slug(bench), "new")
    try:
        with open(os.path.join(d, "estimates.json")) as f:
            est = json.load(f)
        with open(os.path.join(d, "benchmark.json")) as f:
            meta = json.load(f)
    except FileNotFoundError:
        return None
    ns = est["mean"]["point_estimate"]
    thr = meta.get("throughput") or {}
    nbytes = thr.get("Bytes")
    return ns, nbytes


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, {rustc}"


def table():
    lines = []
    lines.append(f"Measured {datetime.date.today().isoformat()} on {machine()} "
                 f"with `cargo bench` (criterion means); regenerate with `python3 scripts/bench_table.py`.")
    lines.append("")
    lines.append("| workload | " + " | ".join(ORDER) + " |")
    lines.append("|---|" + "---|" * len(ORDER))
    for g in GROUPS:
        base = estimate(g, BASE)
        if base is None:
            continue
        cells = []
        for b in ORDER:
            e = estimate(g, b)
            if e is None:
                cells.append("–")
                continue
            ns, nbytes = e
            mbs = nbytes / ns * 1e3 if nbytes else 0.0
            cells.append(f"{mbs:,.0f} MB/s ({base[0] / ns:.2f}×)")
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    lines.append("")
    for name in ["command first", "command elsewhere"]:
        e = estimate("sniff", name)
        if e:
            lines.append(f"- `sniff`, {name}: {e[0]:.1f} ns per body")
    # Per-example ratios, summarized.
    ratios = []
    if os.path.isdir(os.path.join(CRIT)):
        for d in sorted(os.listdir(CRIT)):
            if d.startswith("example_"):
                t = estimate(d, "tim-callback")
                s = estimate(d, BASE)
                if t and s:
                    ratios.append(s[0] / t[0])
    if ratios:
        ratios.sort()
        lines.append(f"- Each of the {len(ratios)} corpus examples alone (compact): tim-callback is "
                     f"{ratios[0]:.2f}× to {ratios[-1]:.2f}× serde_json typed (median {ratios[len(ratios) // 2]:.2f}×).")
    return "\n".join(lines)


def main():
    if "--run" in sys.argv:
        subprocess.run(["cargo", "bench", "--bench", "compare"], cwd=ROOT, check=True)
    t = table()
    readme = os.path.join(ROOT, "README.md")
    with open(readme) as f:
        text = f.read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text:
        sys.exit("README.md has no bench markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(readme, "w") as f:
        f.write(head + start + "\n" + t + "\n" + end + tail)
    print(t)


if __name__ == "__main__":
    main()
