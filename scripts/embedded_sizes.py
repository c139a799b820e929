#!/usr/bin/env python3
"""Builds the embedded programs (embedded/) and measures them: flash and stack per program,
opt-level and core, and the WebAssembly size of the same parse. Writes the table into
docs/EMBEDDED.md between `<!-- sizes:start -->` and `<!-- sizes:end -->`; nothing in it is
typed by hand.

    python3 scripts/embedded_sizes.py [--write] [--check] [--quick]

--check fails when a program is over its budget (BUDGETS, on the Cortex-M4F): its flash at
opt-level `z`, and its flash at opt-level `s` against `S_OVER_Z` times that. --quick measures
opt-level `z` and `s` on the Cortex-M4F only (what --check needs). Needs qemu-system-arm and
flip-link (see .ci/run).

Flash is what a device must hold: the sections `.vector_table`, `.text`, `.rodata` and `.data`
of the ELF file (the two sample bodies included, about 1 KB). Stack is measured by painting (see
embedded/src/lib.rs): the most any of the program's bodies used.
"""
import os
import re
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMBEDDED = os.path.join(ROOT, "embedded")
DOC = os.path.join(ROOT, "docs", "EMBEDDED.md")

CORES = {
    "thumbv7em-none-eabihf": ("Cortex-M4F", ["-cpu", "cortex-m4", "-machine", "mps2-an386"]),
    "thumbv7m-none-eabi": ("Cortex-M3", ["-cpu", "cortex-m3", "-machine", "mps2-an385"]),
}

# (program, what it does, cargo arguments). Built without the `checks` feature: the two
# sample bodies, and the values each program checks by hand.
PROGRAMS = [
    ("all", "`parse` with every command family (`all-commands`): two bodies parsed, values and answers checked",
     ["--bin", "all", "--no-default-features", "--features", "all-commands"]),
    ("all, perf", "`all` with the `perf` feature, as a server builds it: faster, and larger",
     ["--bin", "all", "--no-default-features", "--features", "all-commands,perf"]),
    ("family", "`parse` with one family (`c2c`): the same two bodies (the group one comes back `Unknown`)",
     ["--bin", "family", "--no-default-features", "--features", "c2c"]),
    ("c2c", "`parse_event::<C2cBeforeSendMsg>`: one command end to end (parse, iterate `MsgBody`, masked answer written and compared)",
     ["--bin", "c2c", "--no-default-features"]),
    ("serde-json-core", "for scale: serde-json-core reads the C2C sample's scalar fields into a borrowed struct; it does not decode escapes (fields with one fail), read `MsgBody` or validate what it skips",
     ["--bin", "sjc", "--no-default-features", "--features", "sjc"]),
]

# Flash at opt-level `z` on the Cortex-M4F, in bytes, and how much larger opt-level `s` may be:
# the budgets --check enforces.
BUDGETS = {"all": 96 * 1024, "c2c": 40 * 1024}
S_OVER_Z = 1.5


def sections(path):
    """The sizes of an ELF32 file's sections, by name."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x7fELF" and data[4] == 1, f"{path}: not ELF32"
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    headers = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    strtab = headers[shstrndx]
    names = data[strtab[4]:strtab[4] + strtab[5]]
    return {names[h[0]:names.index(b"\0", h[0])].decode(): h[5] for h in headers}


def build(target, opt, args):
    # Builds with `perf` apart, so that the two `all` programs do not rebuild each other.
    perf = "-perf" if any("perf" in a for a in args) else ""
    env = {**os.environ, "CARGO_PROFILE_RELEASE_OPT_LEVEL": opt,
           "CARGO_TARGET_DIR": os.path.join(EMBEDDED, "target", f"size-{opt}{perf}")}
    subprocess.check_call(["cargo", "build", "--quiet", "--release", "--target", target, *args],
                          cwd=EMBEDDED, env=env)
    binary = args[args.index("--bin") + 1]
    return os.path.join(env["CARGO_TARGET_DIR"], target, "release", binary)


def run(target, elf):
    """Runs `elf` under QEMU; returns the deepest stack it printed (fails if it failed)."""
    out = subprocess.run(
        ["timeout", "120", "qemu-system-arm", *CORES[target][1], "-nographic",
         "-semihosting-config", "enable=on,target=native", "-kernel", elf],
        capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{elf} failed under QEMU ({out.returncode}):\n{out.stdout}{out.stderr}")
    m = re.search(r"deepest stack: (\d+) B", out.stdout)
    return int(m.group(1)) if m else None


def wasm_sizes(opt):
    """The .wasm sizes of the same parses (embedded/wasm), per program."""
    wasm = os.path.join(EMBEDDED, "wasm")
    out = {}
    for name, features in [("all", "all-commands"), ("family", "c2c"), ("c2c", "")]:
        env = {**os.environ, "CARGO_PROFILE_RELEASE_OPT_LEVEL": opt,
               "CARGO_TARGET_DIR": os.path.join(EMBEDDED, "target", f"wasm-{name}-{opt}")}
        args = ["cargo", "build", "--quiet", "--release", "--target", "wasm32-unknown-unknown"]
        if features:
            args += ["--features", features]
        subprocess.check_call(args, cwd=wasm, env=env)
        path = os.path.join(env["CARGO_TARGET_DIR"], "wasm32-unknown-unknown", "release",
                            "tim_callback_wasm.wasm")
        out[name] = os.path.getsize(path)
    return out


def kb(n):
    return f"{n / 1024:.1f} KB"


def main():
    quick = "--quick" in sys.argv
    opts = ["z", "s"] if quick else ["z", "s", "3"]
    targets = ["thumbv7em-none-eabihf"] if quick else list(CORES)
    flash, stack = {}, {}
    for target in targets:
        for opt in opts:
            for name, _, args in PROGRAMS:
                if quick and name not in BUDGETS:
                    continue
                elf = build(target, opt, args)
                s = sections(elf)
                flash[name, target, opt] = sum(s.get(k, 0) for k in (".vector_table", ".text", ".rodata", ".data"))
                stack[name, target, opt] = run(target, elf)
                print(f"{name:16} {target:24} opt {opt}: flash {flash[name, target, opt]:7} B, "
                      f"stack {stack[name, target, opt]} B", flush=True)
    # The deepest body the default depth limit allows, in the checked build of `all`.
    deepest = {}
    for opt in opts:
        elf = build("thumbv7em-none-eabihf", opt, ["--bin", "all", "--features", "all-commands"])
        deepest[opt] = run("thumbv7em-none-eabihf", elf)
        print(f"deepest relay, all bodies checked, opt {opt}: stack {deepest[opt]} B", flush=True)
    wasm = {} if quick else {opt: wasm_sizes(opt) for opt in opts}

    failures = []
    for name, budget in BUDGETS.items():
        z = flash[name, "thumbv7em-none-eabihf", "z"]
        s = flash[name, "thumbv7em-none-eabihf", "s"]
        if z > budget:
            failures.append(f"{name}: {kb(z)} at opt-level z, over its budget of {kb(budget)}")
        if s > S_OVER_Z * z:
            failures.append(f"{name}: {kb(s)} at opt-level s, over {S_OVER_Z}× its {kb(z)} at z")

    if "--write" in sys.argv:
        lines = ["| program | core | " + " | ".join(f"flash, opt-level `{o}`" for o in opts)
                 + " | stack (its bodies) |",
                 "|---|---|" + "---|" * len(opts) + "---|"]
        for name, about, _ in PROGRAMS:
            for target in targets:
                cells = [kb(flash[name, target, o]) for o in opts]
                budget = BUDGETS.get(name)
                if budget and target == "thumbv7em-none-eabihf":
                    z = flash[name, target, "z"]
                    mark = "within" if z <= budget else "over"
                    cells[0] += f" ({mark} the {kb(budget)} budget)"
                    if "s" in opts:
                        cells[1] += f" ({flash[name, target, 's'] / z:.2f}× `z`)"
                st = stack[name, target, opts[0]]
                lines.append(f"| `{name}` | {CORES[target][0]} | " + " | ".join(cells)
                             + f" | {st if st is not None else '–'} B |")
        lines.append("")
        lines.append("Programs (`embedded/src/bin/`, built without the `checks` feature):")
        lines.append("")
        for name, about, _ in PROGRAMS:
            lines.append(f"- `{name}`: {about}.")
        lines.append("")
        lines.append("Stack of the deepest relay the default depth limit lets through (24 levels; "
                     "`all` with every body checked, Cortex-M4F): "
                     + ", ".join(f"{deepest[o]:,} B at opt-level `{o}`" for o in opts) + ".")
        if wasm:
            lines.append("")
            lines.append("WebAssembly (`embedded/wasm`, `wasm32-unknown-unknown`, the same parses "
                         "exported as functions; the .wasm file): "
                         + "; ".join(f"opt-level `{o}`: " + ", ".join(f"`{n}` {kb(v)}" for n, v in wasm[o].items())
                                     for o in opts) + ".")
        table = "\n".join(lines)
        with open(DOC) as f:
            doc = f.read()
        start, end = "<!-- sizes:start -->", "<!-- sizes:end -->"
        a, b = doc.index(start) + len(start), doc.index(end)
        with open(DOC, "w") as f:
            f.write(doc[:a] + "\n" + table + "\n" + doc[b:])
        print(f"wrote {DOC}")

    if "--check" in sys.argv and failures:
        sys.exit("\n".join(failures))
    for f in failures:
        print("over its budget:", f)


if __name__ == "__main__":
    main()
