#!/usr/bin/env python3
"""The gateway benchmark: `tim-callback serve` against the HTTP floor (axum answering a
constant without parsing, `axum/examples/floor.rs`), both loaded by `tim-callback send` on
loopback, in one run with the contenders interleaved round by round (medians).

Per contender: callbacks per second, p50 and p99 latency (as `send` measures them), and the
server's own CPU time per callback (from /proc, so the load generator's CPU does not count).
The overhead of parsing, checking and answering is the gateway's CPU per callback over the
floor's. The gateways with `--nats` publish to a nats-server started here (JetStream, a
temporary store, loopback), or to a 3-node cluster started here with a replicated stream; the
brokers' CPU per callback is reported beside theirs, and for `--spool` its fsyncs per second. Before
each load, every process started here must be idle (a spool still draining or a worker still
consuming would share the cores with the next contender), and each round starts one contender
further on than the last (the same binary measured 0.5 to 1.5 µs apart in two places of a
fixed order); each round's CPU per callback is printed as it is measured. With --readme the
table is written between `<!-- gateway:start -->` and `<!-- gateway:end -->` in
benches/README.md.

    python3 scripts/bench_gateway.py [--rounds 9] [--count 50000] [--concurrency 32] [--readme]
                                     [--compare OTHER_BUILD/tim-callback]
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
import shutil
import socket
import sys
import tempfile
import time

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
    raise SystemExit(f"{' '.join(cmd)} did not start")


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


def start_nats():
    server = shutil.which("nats-server") or "/usr/sbin/nats-server"
    store = tempfile.mkdtemp(prefix="tim-bench-nats-")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([server, "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", store],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    return proc, f"nats://127.0.0.1:{port}", store


def wait_for(port):
    """Waits until a server takes connections on `port` (at most 5 s)."""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)


def start_cluster(size=3):
    """`size` nats-servers routed to one another, JetStream on each; returns (procs, urls, dir)."""
    server = shutil.which("nats-server") or "/usr/sbin/nats-server"
    base = tempfile.mkdtemp(prefix="tim-bench-cluster-")

    def free_port():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    ports = [free_port() for _ in range(size)]
    routes = [free_port() for _ in range(size)]
    procs = []
    for i in range(size):
        others = ", ".join(f'"nats-route://127.0.0.1:{routes[j]}"' for j in range(size) if j != i)
        conf = os.path.join(base, f"n{i}.conf")
        with open(conf, "w") as f:
            f.write(f'server_name: n{i}\nlisten: "127.0.0.1:{ports[i]}"\n'
                    f'jetstream {{ store_dir: "{base}/n{i}" }}\n'
                    f'cluster {{ name: bench, listen: "127.0.0.1:{routes[i]}", routes: [{others}] }}\n')
        procs.append(subprocess.Popen([server, "-c", conf], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    for port in ports:
        wait_for(port)
    return procs, ",".join(f"nats://127.0.0.1:{p}" for p in ports), base


def settle(procs, longest=10.0):
    """Waits until `procs` together use at most one clock tick (10 ms) of CPU in 300 ms (at most `longest`
    seconds): a spool still draining, a worker still consuming or a cluster still replicating
    after the last contender's load would otherwise share the cores with the next one's."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(p.pid) for p in procs)
        time.sleep(0.3)
        if sum(cpu_seconds(p.pid) for p in procs) - before <= 1.5 / os.sysconf("SC_CLK_TCK"):
            return


def metric(url, name):
    """A counter's value in a gateway's /metrics (0 when absent)."""
    import urllib.request
    try:
        text = urllib.request.urlopen(url + "/metrics", timeout=5).read().decode()
    except OSError:  # the floor has no /metrics
        return 0.0
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    # /proc counts CPU time in 10 ms ticks: over 50,000 callbacks a tick is 0.2 µs per callback.
    ap.add_argument("--count", type=int, default=50000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--readme", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--compare", metavar="BIN",
                    help="another build of tim-callback: its serve --nats runs beside this one's")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "tim-callback-cli"], cwd=ROOT, check=True)
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "tim-callback-axum", "--example", "floor"],
                       cwd=ROOT, check=True)

    nats, nats_url, store = start_nats()
    cluster, cluster_urls, cluster_dir = start_cluster()
    spools = tempfile.mkdtemp(prefix="tim-bench-spool-")
    worker = subprocess.Popen([BIN, "worker", "--nats", nats_url, "--prefix", "decided", "--stream", "DECIDED",
                               "--decide"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serve = [BIN, "serve", "--listen", "127.0.0.1:0", "--app-id", APP]
    published = serve + ["--nats", nats_url, "--nats-prefix", "bench", "--nats-stream", "BENCH"]
    decided = serve + ["--nats", nats_url, "--nats-prefix", "decided", "--nats-stream", "DECIDED",
                       "--decide", "nats"]
    contenders = [
        ("HTTP floor (constant answer, no parse)", [FLOOR, "127.0.0.1:0"], False, None),
        ("tim-callback serve", serve, False, None),
        ("tim-callback serve --token (signed)", serve + ["--token", TOKEN], True, None),
        ("tim-callback serve, log lines off (RUST_LOG=off)", serve, False, {"RUST_LOG": "off"}),
        ("tim-callback serve --nats (after-callbacks into JetStream)", published, False, None),
        ("tim-callback serve --nats --decide nats (+ a deciding worker)", decided, False, None),
        ("tim-callback serve --nats --spool (events synced to disk before the answer)",
         serve + ["--nats", nats_url, "--nats-prefix", "spooled", "--nats-stream", "SPOOLED",
                  "--spool", os.path.join(spools, "one")], False, None),
        ("tim-callback serve --nats, a 3-node cluster, --nats-replicas 3",
         serve + ["--nats", cluster_urls, "--nats-replicas", "3", "--nats-prefix", "r3",
                  "--nats-stream", "R3"], False, None),
        ("tim-callback serve --nats --spool, a 3-node cluster, --nats-replicas 3",
         serve + ["--nats", cluster_urls, "--nats-replicas", "3", "--nats-prefix", "r3s",
                  "--nats-stream", "R3S", "--spool", os.path.join(spools, "r3")], False, None),
    ]
    if args.compare:
        other = [args.compare] + serve[1:] + ["--nats", nats_url, "--nats-prefix", "cmp",
                                              "--nats-stream", "CMP"]
        contenders.insert(5, (f"{args.compare} serve --nats", other, False, None))
    servers = []
    results = {name: [] for name, _, _, _ in contenders}
    try:
        for _, cmd, _, env in contenders:
            servers.append(start(cmd, env))
        for (_, url, _), (name, _, signed, _) in zip(servers, contenders):
            load(url, argparse.Namespace(count=2000, concurrency=args.concurrency), signed)  # warm-up
        pairs = list(zip(servers, contenders))
        for r in range(args.rounds):
            # Each round starts one contender further on: what runs just before a load (a
            # broker left busy, caches) changes the CPU it measures by up to 1.5 µs, so no
            # contender always follows the same one.
            for (proc, url, _), (name, _, signed, _) in pairs[r % len(pairs):] + pairs[:r % len(pairs)]:
                brokers = cluster if "cluster" in name else [nats]
                settle([p for p, _, _ in servers] + [worker, nats, *cluster])
                before = cpu_seconds(proc.pid)
                broker_before = sum(cpu_seconds(b.pid) for b in brokers)
                commits = metric(url, "tim_nats_spool_commits_total")
                s = load(url, args, signed)
                s["cpu_us"] = (cpu_seconds(proc.pid) - before) * 1e6 / args.count
                s["broker_us"] = (sum(cpu_seconds(b.pid) for b in brokers) - broker_before) * 1e6 / args.count
                s["fsyncs"] = (metric(url, "tim_nats_spool_commits_total") - commits) / s["seconds"]
                results[name].append(s)
                print(f"  {name[:60]}: {s['cpu_us']:.1f} µs", file=sys.stderr)
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for proc, _, drain in servers:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
            drain.wait(timeout=10)
        for proc in (worker, nats, *cluster):
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
        for d in (store, cluster_dir, spools):
            shutil.rmtree(d, ignore_errors=True)

    med = lambda name, key: statistics.median(s[key] for s in results[name])
    floor = contenders[0][0]
    lines = [
        f"| server | callbacks/s | p50 | p99 | server CPU per callback | CPU over the floor | nats-server CPU per callback | spool fsyncs/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _, _, _ in contenders:
        over = med(name, "cpu_us") - med(floor, "cpu_us")
        lines.append(
            f"| {name} | {med(name, 'per_second'):,.0f} | {med(name, 'p50_us'):,.0f} µs | "
            f"{med(name, 'p99_us'):,.0f} µs | {med(name, 'cpu_us'):.1f} µs | "
            + ("—" if name == floor else f"+{over:.1f} µs ({over / med(floor, 'cpu_us') * 100:+.0f} %)")
            + " | " + (f"{med(name, 'broker_us'):.1f} µs" if "--nats" in name else "—")
            + " | " + (f"{med(name, 'fsyncs'):,.0f}" if "--spool" in name else "—") + " |")
    note = (f"Medians of {args.rounds} interleaved rounds of {args.count:,} callbacks each "
            f"(the four `samples/*.json` bodies in turn: three after-callbacks, one before-callback), "
            f"{args.concurrency} in flight, "
            f"`tim-callback send` on the same machine ({os.cpu_count()} cores, {platform.machine()}), "
            f"{datetime.date.today()}; `python3 scripts/bench_gateway.py`. With `--nats`, each "
            f"after-callback is answered once JetStream acknowledged it (one nats-server on the same "
            f"machine, file storage); with `--decide nats`, the before-callback waits for a worker's "
            f"reply over NATS (that worker also consumes the events, on the same 2 cores); with "
            f"`--spool`, once the event is synced to the spool's disk (one fsync per commit, "
            f"a commit for all events that arrived during the last), published from there; "
            f"the cluster rows use three nats-servers on the same machine, routed on loopback "
            f"(nats-server CPU: the three together).")
    table = "\n".join(lines) + "\n\n" + note
    print(table)
    if args.readme:
        path = os.path.join(ROOT, "benches", "README.md")
        text = open(path).read()
        new, n = re.subn(r"(<!-- gateway:start -->\n).*?(<!-- gateway:end -->)",
                         lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
        if n != 1:
            raise SystemExit("benches/README.md has no gateway markers")
        open(path, "w").write(new)


if __name__ == "__main__":
    main()
