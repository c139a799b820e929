#!/usr/bin/env python3
"""Checks the core's module graph: no import cycle may join modules of different folders.

    python3 scripts/module_cycles.py [--graph]

A module depends on another when its code (not its comments, not its `#[cfg(test)]` tests)
names a path into it: `crate::read::List`, `use crate::{json, read::Source}`, `super::shared`,
or `$crate::…` in a macro it defines. The crate root (`lib.rs`) is the public facade: its
re-exports are not dependencies, and no module may depend on it. Strongly connected components
of the graph are cycles; one is allowed only when all its modules live in one folder below
`src/` (a folder, with its subfolders, owns one job, e.g. `read/`, the two-pass reading).
Files directly in `src/` must not form cycles at all. Exits 1 and names the cycle when one breaks the rule.
--graph prints every module's dependencies.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")


MODULES = set()


def module_of(path):
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib"):
        rel = rel[:-1]
    return tuple(rel)


def folder_of(path):
    """The folder directly below `src/` that holds the file (its subfolders belong to it), or
    `src` for a file directly in it."""
    parts = os.path.relpath(path, SRC).split(os.sep)
    return os.path.join("src", parts[0]) if len(parts) > 1 else "src"


def code_of(text):
    """The text without comments and without the `#[cfg(test)] mod …` blocks."""
    text = re.sub(r"(?m)//.*$", "", text)
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
    text = re.sub(r"'(?:[^'\\\n]|\\.[^']*)'", "' '", text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s*)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def expand_group(prefix, body):
    """`a::{b, c::{d, e}}` as the paths a::b, a::c::d, a::c::e."""
    paths, depth, start = [], 0, 0
    parts = []
    for k, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:k])
            start = k + 1
    parts.append(body[start:])
    for part in parts:
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([\w:]*?)::\{(.*)\}$", part, re.S)
        if m:
            paths.extend(expand_group(prefix + [s for s in m.group(1).split("::") if s], m.group(2)))
        else:
            paths.append(prefix + [s for s in part.split(" as ")[0].split("::") if s])
    return paths


def references(code, me):
    paths = []

    def group(m):
        """The text of the `{…}` group that the match `m` opens."""
        depth, j = 1, m.end()
        while depth and j < len(code):
            depth += {"{": 1, "}": -1}.get(code[j], 0)
            j += 1
        return code[m.end():j - 1]

    def up(ups, rest):
        """The module `ups` levels up; one level less when that names no module with `rest`
        (an inline module, `mod sse2 { use super::super::x }`, adds a level)."""
        base = list(me[: len(me) - ups]) if ups <= len(me) else []
        segs = base + rest
        if not any(tuple(segs[:k]) in MODULES for k in range(1, len(segs) + 1)):
            base = list(me[: len(me) - ups + 1])
        return base

    for m in re.finditer(r"\b(?:\$?crate)::\{", code):
        paths.extend(expand_group([], group(m)))
    for m in re.finditer(r"\b(?:\$?crate)((?:::\w+)+)(::\{)?", code):
        segs = [s for s in m.group(1).split("::") if s]
        paths.extend(expand_group(segs, group(m)) if m.group(2) else [segs])
    for m in re.finditer(r"(?<![\w:])((?:super::)+)(\w+(?:::\w+)*)?(::)?(\{)?", code):
        rest = m.group(2).split("::") if m.group(2) else []
        segs = up(m.group(1).count("super::"), rest) + rest
        paths.extend(expand_group(segs, group(m)) if m.group(4) else [segs])
    children = set(re.findall(r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", code))
    for m in re.finditer(r"(?<![\w:$])(\w+)((?:::\w+)*)(::\{|::\*)?", code):
        if m.group(1) in children and (m.group(2) or m.group(3)):
            paths.append(list(me) + [m.group(1)])
    return paths


def main():
    files = {}
    for dirpath, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(dirpath, name)
                files[module_of(path)] = path
    modules = set(files)
    MODULES.update(modules)
    deps = {m: set() for m in modules}
    root_users = []
    for me, path in files.items():
        if me == ():
            continue
        with open(path, encoding="utf-8") as f:
            code = code_of(f.read())
        for segs in references(code, me):
            # The longest prefix that is a module; a path into the root alone is the facade's.
            target = ()
            for k in range(len(segs), 0, -1):
                if tuple(segs[:k]) in modules:
                    target = tuple(segs[:k])
                    break
            if target == ():
                if segs and segs[0] not in ("self",):
                    root_users.append((me, "::".join(segs)))
                continue
            # A module's own submodules and itself are not edges of interest for cycles
            # across folders; they stay in the graph (same folder) all the same.
            if target != me:
                deps[me].add(target)

    def name(m):
        return "::".join(m) or "crate"

    if "--graph" in sys.argv:
        for m in sorted(modules):
            print(f"{name(m)}: {', '.join(sorted(name(d) for d in deps[m]))}")

    # Tarjan's strongly connected components.
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in deps[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(modules):
        if v not in index:
            visit(v)

    bad = False
    for me, path in root_users:
        print(f"{name(me)} names the crate root ({path}): use the owning module's path")
        bad = True
    for comp in sccs:
        if len(comp) < 2:
            continue
        folders = {folder_of(files[m]) for m in comp}
        if len(folders) > 1 or folders == {"src"}:
            print("cycle across folders: " + ", ".join(f"{name(m)} ({folder_of(files[m])})" for m in sorted(comp)))
            bad = True
    cycles = [c for c in sccs if len(c) > 1]
    print(f"{len(modules)} modules, {sum(len(d) for d in deps.values())} dependencies, "
          f"{len(cycles)} cycle(s), each inside one folder: {'no' if bad else 'yes'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
