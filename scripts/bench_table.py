#!/usr/bin/env python3
"""Writes the parser table of benches/README.md and the chart benches/ratios.svg from one run of the
interleaved benchmark (`cargo bench --bench compare`, which leaves target/bench/compare.json).

    python3 scripts/bench_table.py [--run] [--json PATH]
    python3 scripts/bench_table.py --compare BEFORE.json [--json AFTER.json]

--run runs the benchmark first. The table goes between `<!-- bench:start -->` and
`<!-- bench:end -->` in benches/README.md; nothing in it or in the chart is typed by hand. Every ratio
is the median over rounds of the in-round ratio to "serde_json typed" (see benches/compare.rs).
--compare prints a before/after table of two runs (for an issue's note) and writes nothing.
"""
import datetime
import json
import os
import subprocess
import sys
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_JSON = os.path.join(ROOT, "target", "bench", "compare.json")
SVG = os.path.join(ROOT, "benches", "ratios.svg")
BASE = "serde_json typed"
FULL = "tim-callback"
# The chart's bars, in this order, with their colours.
CHART = [
    ("tim-callback", "tim-callback, parse + read every field", "#1f77b4"),
    ("tim-callback parse only", "tim-callback, parse only", "#9ecae1"),
    ("simd-json typed", "simd-json typed", "#ff7f0e"),
    ("sonic-rs typed", "sonic-rs typed", "#2ca02c"),
    ("serde_json tagged", "serde_json tagged", "#bbbbbb"),
]


def load(path):
    with open(path) as f:
        return json.load(f)


def rows_of(w):
    return {r["name"]: r for r in w["rows"]}


def table(data):
    contenders = data["contenders"]
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {data['machine']} with "
        f"`cargo bench --bench compare` ({data['rounds']} interleaved rounds; each cell: the median "
        f"of the in-round ratios to serde_json typed, then throughput); regenerate with "
        f"`python3 scripts/bench_table.py --run`. Chart: [ratios.svg](ratios.svg).",
        "",
        "| workload | bodies, mean size | " + " | ".join(contenders) + " | full read ÷ best of sonic-rs, simd-json |",
        "|---|---|" + "---|" * len(contenders) + "---|",
    ]
    for w in data["workloads"]:
        rows = rows_of(w)
        cells = []
        for c in contenders:
            r = rows.get(c)
            cells.append("–" if r is None else f"{r['ratio']:.2f}× ({r['mbps']:,.0f} MB/s)")
        lead = lead_over_simd(rows)
        mean = w["bytes"] // max(w["bodies"], 1)
        lines.append(f"| {w['name']} | {w['bodies']}, {mean:,} B | " + " | ".join(cells) + f" | {lead:.2f}× |")
    lines.append("")
    lines.extend(targets(data))
    lines.append("")
    lines.append("Workloads (`testkit/src/workloads.rs`):")
    lines.append("")
    for w in data["workloads"]:
        lines.append(f"- **{w['name']}**: {w['about']}")
    lines.append("")
    ex = sorted(e["ratio"] for e in data.get("examples", []))
    if ex:
        lines.append(
            f"- Each of the {len(ex)} corpus examples alone (compact), parse + read every field: "
            f"{ex[0]:.2f}× to {ex[-1]:.2f}× serde_json typed (median {ex[len(ex) // 2]:.2f}×).")
    lines.append(f"- `sniff`, command first: {data['sniff_first_ns']:.1f} ns per body; command "
                 f"elsewhere: {data['sniff_elsewhere_ns']:.1f} ns.")
    return "\n".join(lines)


def lead_over_simd(rows):
    """The full read's ratio to the better of sonic-rs and simd-json."""
    best = max(rows[c]["ratio"] for c in ("sonic-rs typed", "simd-json typed") if c in rows)
    return rows[FULL]["ratio"] / best


def targets(data):
    """Issue 16's targets for the full read, each with the workloads that meet it and those
    that do not, from this run alone."""
    def split(test, workloads=data["workloads"]):
        met = [w["name"] for w in workloads if test(rows_of(w))]
        missed = [w["name"] for w in workloads if not test(rows_of(w))]
        return f"met on {', '.join(met) or 'none'}; not on {', '.join(missed) or 'none'}"

    full = [rows_of(w)[FULL]["ratio"] for w in data["workloads"]]
    leads = [lead_over_simd(rows_of(w)) for w in data["workloads"]]
    keyed = [w for w in data["workloads"] if w["name"] in ("mix/sorted-keys", "mix/random-keys")]
    lines = [
        f"Issue 16's targets for the full read, in this run (it reads {min(full):.2f}× to "
        f"{max(full):.2f}× serde_json typed, and {min(leads):.2f}× to {max(leads):.2f}× the better "
        f"of sonic-rs and simd-json; each verdict below is on the unrounded ratio):",
        "",
        f"- at least 2.5× serde_json typed: {split(lambda r: r[FULL]['ratio'] >= 2.5)};",
        f"- at least 1.5× the better of sonic-rs and simd-json: "
        f"{split(lambda r: lead_over_simd(r) >= 1.5)};",
    ]
    if keyed:
        ahead = split(lambda r: r[FULL]["ratio"] >= 2.0 and lead_over_simd(r) > 1.0, keyed)
        lines.append(f"- sorted and random key order, at least 2× serde_json typed and ahead of "
                     f"both: {ahead}.")
    return lines


def compare(before, after):
    """A before/after table of the full read (and parse_as, parse only) for an issue note."""
    out = ["| workload | full read × serde_json typed, before → after | parse_as | parse only "
           "| full read ÷ best of sonic-rs, simd-json |", "|---|---|---|---|---|"]
    old = {w["name"]: rows_of(w) for w in before["workloads"]}
    for w in after["workloads"]:
        new, prev = rows_of(w), old.get(w["name"])
        if prev is None:
            continue
        cell = lambda c: f"{prev[c]['ratio']:.2f} → {new[c]['ratio']:.2f}"
        out.append(f"| {w['name']} | {cell(FULL)} | {cell('tim-callback parse_as')} | "
                   f"{cell('tim-callback parse only')} | "
                   f"{lead_over_simd(prev):.2f} → {lead_over_simd(new):.2f} |")
    return "\n".join(out)


def chart(data):
    """Grouped horizontal bars: one group per workload, one bar per contender, ratio to
    serde_json typed on a linear axis with the 1× line."""
    workloads = data["workloads"]
    bar, gap, left, right, top = 9, 10, 150, 40, 50
    group = bar * len(CHART) + gap
    vmax = max(r["ratio"] for w in workloads for r in w["rows"])
    vmax = max(1.0, (int(vmax * 2) + 1) / 2)
    width = 760
    plot = width - left - right
    legend_h = 18 * len(CHART) + 10
    height = top + group * len(workloads) + 30 + legend_h
    x = lambda v: left + plot * v / vmax
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="18" font-size="13" font-weight="bold">Throughput ÷ serde_json typed '
        f'(median of {data["rounds"]} interleaved rounds; higher is faster)</text>',
        f'<text x="{left}" y="34" fill="#555">{escape(data["machine"])}, '
        f'{datetime.date.today().isoformat()}: cargo bench --bench compare</text>',
    ]
    step = 0.5
    v = 0.0
    while v <= vmax + 1e-9:
        out.append(f'<line x1="{x(v):.1f}" y1="{top - 4}" x2="{x(v):.1f}" '
                   f'y2="{top + group * len(workloads)}" stroke="{"#333" if v == 1.0 else "#e5e5e5"}"/>')
        out.append(f'<text x="{x(v):.1f}" y="{top + group * len(workloads) + 14}" '
                   f'text-anchor="middle" fill="#555">{v:g}×</text>')
        v += step
    for i, w in enumerate(workloads):
        rows = rows_of(w)
        y0 = top + i * group
        out.append(f'<text x="{left - 6}" y="{y0 + bar * len(CHART) / 2 + 4:.1f}" '
                   f'text-anchor="end">{escape(w["name"])}</text>')
        for k, (name, _, colour) in enumerate(CHART):
            r = rows.get(name)
            if r is None:
                continue
            y = y0 + k * bar
            out.append(f'<rect x="{left}" y="{y}" width="{x(r["ratio"]) - left:.1f}" '
                       f'height="{bar - 1}" fill="{colour}"><title>{escape(w["name"])}, '
                       f'{escape(name)}: {r["ratio"]:.2f}×</title></rect>')
            if name == FULL:
                out.append(f'<text x="{x(r["ratio"]) + 3:.1f}" y="{y + bar - 1}" '
                           f'font-size="9">{r["ratio"]:.2f}×</text>')
    ly = top + group * len(workloads) + 30
    for k, (_, label, colour) in enumerate(CHART):
        out.append(f'<rect x="{left}" y="{ly + 18 * k}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{left + 18}" y="{ly + 18 * k + 10}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    path = args[args.index("--json") + 1] if "--json" in args else DEFAULT_JSON
    if "--compare" in args:
        # Prints a before/after table of two runs' JSON; writes nothing.
        print(compare(load(args[args.index("--compare") + 1]), load(path)))
        return
    if "--run" in args:
        subprocess.run(["cargo", "bench", "--bench", "compare", "--", "--json", path],
                       cwd=ROOT, check=True)
    data = load(path)
    t = table(data)
    readme = os.path.join(ROOT, "benches", "README.md")
    with open(readme) as f:
        text = f.read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text:
        sys.exit("benches/README.md has no bench markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(readme, "w") as f:
        f.write(head + start + "\n" + t + "\n" + end + tail)
    with open(SVG, "w") as f:
        f.write(chart(data))
    print(t)
    print(f"written: benches/README.md, {os.path.relpath(SVG, ROOT)}")


if __name__ == "__main__":
    main()
