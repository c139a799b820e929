#!/usr/bin/env python3
"""The gateway benchmark: `tim-callback serve` against the HTTP floor (axum answering a
constant without parsing, `axum/examples/floor.rs`), both loaded by `tim-callback send` on
loopback, in one run with the contenders interleaved round by round (medians).

Per contender: callbacks per second, p50 and p99 latency (as `send` measures them), and the
server's own CPU time per callback (from /proc, so the load generator's CPU does not count).
The overhead of parsing, checking and answering is the gateway's CPU per callback over the
floor's. With --readme the table is written between `<!-- gateway:start -->` and
`<!-- gateway:end -->` in README.md.

    python3 scripts/bench_gateway.py [--rounds 5] [--count 20000] [--concurrency 32] [--readme]
"""
import argparse
import datetime
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REL = os.path.join(ROOT, "target", "release")
BIN = os.path.join(REL, "tim-callback")
FLOOR = os.path.join(REL, "examples", "floor")
SAMPLES = [os.path.join(ROOT, "samples", n) for n in (
    "c2c_before_send_msg.json", "group_after_send_msg.json", "state_change.json", "friend_add.json")]
APP = "888888"
TOKEN = "bench-token"


def start(cmd, env=None):
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                         env=None if env is None else {**os.environ, **env})
    for line in p.stderr:
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            # Keep draining the log so that the server never blocks on a full pipe.
            drain = subprocess.Popen(["cat"], stdin=p.stderr, stdout=subprocess.DEVNULL)
            return p, m.group(1), drain
    raise SystemExit(f"{cmd[0]} did not start")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick  # utime + stime


def load(url, args, signed):
    cmd = [BIN, "send", "--url", url + "/tim", "--app-id", APP, "--count", str(args.count),
           "--concurrency", str(args.concurrency), "--json", *SAMPLES]
    if signed:
        cmd += ["--token", TOKEN]
    out = subprocess.run(cmd, capture_output=True, text=True)
    summary = json.loads(out.stdout)
    if summary["statuses"] != {"200": args.count}:
        raise SystemExit(f"not every answer was 200: {summary}")
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--readme", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "tim-callback-cli"], cwd=ROOT, check=True)
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "tim-callback-axum", "--example", "floor"],
                       cwd=ROOT, check=True)

    serve = [BIN, "serve", "--listen", "127.0.0.1:0", "--app-id", APP]
    contenders = [
        ("HTTP floor (constant answer, no parse)", [FLOOR, "127.0.0.1:0"], False, None),
        ("tim-callback serve", serve, False, None),
        ("tim-callback serve --token (signed)", serve + ["--token", TOKEN], True, None),
        ("tim-callback serve, log lines off (RUST_LOG=off)", serve, False, {"RUST_LOG": "off"}),
    ]
    servers = [start(cmd, env) for _, cmd, _, env in contenders]
    results = {name: [] for name, _, _, _ in contenders}
    try:
        for (_, url, _), (name, _, signed, _) in zip(servers, contenders):
            load(url, argparse.Namespace(count=2000, concurrency=args.concurrency), signed)  # warm-up
        for r in range(args.rounds):
            for (proc, url, _), (name, _, signed, _) in zip(servers, contenders):
                before = cpu_seconds(proc.pid)
                s = load(url, args, signed)
                s["cpu_us"] = (cpu_seconds(proc.pid) - before) * 1e6 / args.count
                results[name].append(s)
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for proc, _, drain in servers:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
            drain.wait(timeout=10)

    med = lambda name, key: statistics.median(s[key] for s in results[name])
    floor = contenders[0][0]
    lines = [
        f"| server | callbacks/s | p50 | p99 | server CPU per callback | CPU over the floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, _, _, _ in contenders:
        over = med(name, "cpu_us") - med(floor, "cpu_us")
        lines.append(
            f"| {name} | {med(name, 'per_second'):,.0f} | {med(name, 'p50_us'):,.0f} µs | "
            f"{med(name, 'p99_us'):,.0f} µs | {med(name, 'cpu_us'):.1f} µs | "
            + ("—" if name == floor else f"+{over:.1f} µs ({over / med(floor, 'cpu_us') * 100:+.0f} %)")
            + " |")
    note = (f"Medians of {args.rounds} interleaved rounds of {args.count:,} callbacks each "
            f"(the four `samples/*.json` bodies in turn), {args.concurrency} in flight, "
            f"`tim-callback send` on the same machine ({os.cpu_count()} cores, {platform.machine()}), "
            f"{datetime.date.today()}; `python3 scripts/bench_gateway.py`.")
    table = "\n".join(lines) + "\n\n" + note
    print(table)
    if args.readme:
        path = os.path.join(ROOT, "README.md")
        text = open(path).read()
        new, n = re.subn(r"(<!-- gateway:start -->\n).*?(<!-- gateway:end -->)",
                         lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
        if n != 1:
            raise SystemExit("README.md has no gateway markers")
        open(path, "w").write(new)


if __name__ == "__main__":
    main()
