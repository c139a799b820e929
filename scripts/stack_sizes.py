#!/usr/bin/env python3
"""The stack that `parse` needs on thumbv7em-none-eabihf, from the compiler's own frame sizes.

Builds the core (no default features, release) for thumbv7em-none-eabihf with nightly's
`-Z emit-stack-sizes`, reads every function's frame with `llvm-readobj --stack-sizes` and the
calls between them with `llvm-objdump -dr`, and walks the call graph from `parse` and
`parse_as`:

- the recursion: typed decoding has one cycle (a `MsgBody` list and a relay's content decode
  each other), which is entered once per relay level, five nesting levels each;
- the deepest path into the cycle, its last round and the deepest path out of it, and the
  deepest path that never enters it (the script fails if `parse` can reach an indirect call,
  which it could not follow).

Prints the bytes per relay level and per nesting level, and the whole stack at a few depth
limits. With `--check BYTES_PER_LEVEL BASE`, fails unless the figures are within the bound docs/SAFETY.md gives.

Needs: the nightly toolchain with the thumbv7em-none-eabihf target and the llvm-tools component.
"""

import glob
import os
import re
import subprocess
import sys
from functools import lru_cache

TOOLCHAIN = os.environ.get("NIGHTLY", "nightly")
TARGET = "thumbv7em-none-eabihf"
ROOTS = ("tim_callback::parse::Parser>::parse", "tim_callback::parse::Parser>::parse_as")


def tool(name):
    sysroot = subprocess.check_output(
        ["rustc", f"+{TOOLCHAIN}", "--print", "sysroot"], text=True
    ).strip()
    found = glob.glob(f"{sysroot}/lib/rustlib/*/bin/{name}")
    if not found:
        sys.exit(f"{name} not found: rustup component add --toolchain {TOOLCHAIN} llvm-tools")
    return found[0]


def build(target_dir):
    subprocess.check_call(
        ["cargo", f"+{TOOLCHAIN}", "rustc", "--quiet", "--lib", "--release",
         "--target", TARGET, "--no-default-features", "--features", "all-commands", "--",
         "-Z", "emit-stack-sizes", "--emit=obj", "-C", "codegen-units=1"],
        env={**os.environ, "CARGO_TARGET_DIR": target_dir},
    )
    objs = glob.glob(f"{target_dir}/{TARGET}/release/deps/tim_callback-*.o")
    objs.sort(key=os.path.getmtime)
    return objs[-1]


def frames(obj):
    out = subprocess.check_output(
        [tool("llvm-readobj"), "--stack-sizes", "--demangle", obj], text=True
    )
    sizes = {}
    for name, size in re.findall(r"Functions: \[(.*)\]\s*\n\s*Size: (0x[0-9A-Fa-f]+)", out):
        sizes[name] = max(sizes.get(name, 0), int(size, 16))
    return sizes


def calls(obj):
    out = subprocess.check_output(
        [tool("llvm-objdump"), "-dr", "--demangle", obj], text=True
    )
    graph, current = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m:
            current = m.group(1)
            graph.setdefault(current, set())
            continue
        m = re.search(r"R_ARM_THM_(?:CALL|JUMP24)\s+(.*)$", line)
        if m and current:
            graph[current].add(m.group(1).strip())
        # An indirect call or jump (not a return): a callee this walk cannot see.
        if current and re.search(r"\t(blx|bx)\t(r[0-9]+|r1[0-2]|ip)\b", line):
            graph[current].add(INDIRECT)
    return graph


INDIRECT = "<indirect call>"


def analyse(sizes, graph):
    # Strongly connected components (Tarjan), to find the recursion.
    index, low, on, stack, comps, counter = {}, {}, set(), [], [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.remove(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                comps.append(comp)

    sys.setrecursionlimit(100000)
    roots = [f for f in graph if any(r in f for r in ROOTS)]
    if not roots:
        sys.exit(f"none of {ROOTS} in the object")
    for r in roots:
        if r not in index:
            strong(r)
    if len(comps) != 1:
        sys.exit(f"expected one recursion reachable from parse, found {len(comps)}: {comps}")
    seen, todo = set(), list(roots)
    while todo:
        f = todo.pop()
        if f not in seen:
            seen.add(f)
            todo.extend(graph.get(f, ()))
    if INDIRECT in seen:
        users = sorted(f for f in seen if INDIRECT in graph.get(f, ()))
        sys.exit(f"an indirect call is reachable from parse, in {users}: the walk would miss it")
    cycle = comps[0]
    per_level = sum(sizes.get(f, 0) for f in cycle)

    @lru_cache(maxsize=None)
    def deepest(f):
        """The deepest stack from entering `f`, not entering the cycle."""
        return sizes.get(f, 0) + max(
            (deepest(g) for g in graph.get(f, ()) if g not in cycle), default=0
        )

    @lru_cache(maxsize=None)
    def into(f):
        """The deepest stack from entering `f` to entering the cycle (None: never enters it)."""
        if f in cycle:
            return 0
        best = None
        for g in graph.get(f, ()):
            d = into(g)
            if d is not None:
                best = d if best is None else max(best, d)
        return None if best is None else sizes.get(f, 0) + best

    root = max(into(r) or 0 for r in roots)
    # The last round, counted whole (an upper bound), and the deepest way out of it: any cycle
    # function's callees outside the cycle.
    leaf = max(deepest(g) for f in cycle for g in graph.get(f, ()) if g not in cycle)
    # Paths that never enter the recursion (other commands, errors) may go deeper still.
    flat = max(deepest(r) for r in roots)
    return cycle, per_level, root, per_level + leaf, flat


def main():
    target_dir = os.environ.get("STACK_TARGET_DIR", "target/stack-sizes")
    obj = build(target_dir)
    sizes, graph = frames(obj), calls(obj)
    cycle, per_relay, root, tail, flat = analyse(sizes, graph)
    print(f"{TARGET}, release, no default features (frames from -Z emit-stack-sizes)")
    for f in sorted(cycle):
        print(f"  recursion: {sizes.get(f, 0):>5} B  {f}")
    per_level = -(-per_relay // 5)
    print(f"  {per_relay} B per relay level (five nesting levels): {per_level} B per nesting level")
    print(f"  into the recursion from parse: {root} B; its last round and the deepest way out: "
          f"{tail} B; the deepest path that never enters it: {flat} B")
    totals = {}
    for limit in (8, 32, 64, 127):
        levels = max(0, (limit - 4) // 5)
        totals[limit] = max(flat, root + levels * per_relay + tail)
        print(f"  depth limit {limit:>3}: {levels:>2} relay levels, {totals[limit]:>6} B of stack")
    if "--check" in sys.argv:
        i = sys.argv.index("--check")
        doc_per_level, doc_base = int(sys.argv[i + 1]), int(sys.argv[i + 2])
        for limit, total in totals.items():
            if total > doc_base + doc_per_level * limit:
                sys.exit(f"depth {limit}: {total} B exceeds the bound of docs/SAFETY.md "
                         f"{doc_base} + {doc_per_level} × {limit}")
        print(f"  within docs/SAFETY.md's {doc_base} B + {doc_per_level} B per nesting level")


if __name__ == "__main__":
    main()
