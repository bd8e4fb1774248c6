#!/usr/bin/env python3
"""Writes the skip lists of textures_aniso.cu's replayed dense cases.

Usage: scripts/aniso-replay-skips.py H100_DENSE CUEMU_DENSE [--check GOLDEN]

H100_DENSE is `TEXTURES_ANISO_DENSE=1 ./textures_aniso` run on an H100, CUEMU_DENSE the same
run on cuemu. For each label in REPLAY below, the cases whose outputs differ become that
label's skip list in the generated block of tests/programs/textures_aniso.cu. With --check, it
instead prints the replayed lines the H100's dense output implies (what the golden's replay
section must hold) and compares them with GOLDEN's.
"""
import collections
import re
import sys

# (label, every): the labels replayed as checked cases, every n-th case of impulse grids.
REPLAY = [
    ("k149_A3_m1_ang30_an16_pt_grid", 16),
    ("k156_A8_m1_ang10_an16_pt_grid", 16),
    ("k159_A3_m1_ang60_an16_pt_grid", 16),
    ("c.f32.0.an16", 1),
    ("c.u8.0.an8", 1),
    ("c.u8.0.an16", 1),
    ("c.f32.1.an16", 1),
    ("c.u8.1.an16", 1),
    ("c.f16.1.an16", 1),
    ("c.f32_1d.0.an16", 1),
    ("k163_A6_m1.25_ang45_an4_lin_grid", 16),
    ("c.u8.2.an2", 1),
    ("c.u8.2.an4", 1),
    ("c.f32.2.an16", 1),
    ("k147_A1.5_m1_ang30_an16_pt_grid", 16),
    ("k152_A1.5_m1_ang10_an16_pt_grid", 16),
    ("k154_A3_m1_ang10_an16_pt_grid", 16),
    ("c.u8.0.an4", 1),
    ("c.f16.0.an16", 1),
    ("c.f16.2.an16", 1),
    ("c.f32_1d.1.an16", 1),
]
SOURCE = "tests/programs/textures_aniso.cu"


def load(fn):
    d = collections.OrderedDict()
    for line in open(fn, errors="replace"):
        p = line.split()
        if not p or p[0] != "D":
            continue
        i = p.index(":")
        d.setdefault(p[1], []).append(p[i + 1:])
    return d


def main():
    h = load(sys.argv[1])
    e = load(sys.argv[2])
    skips = {}
    for lab, every in REPLAY:
        skips[lab] = [i for i, (a, b) in enumerate(zip(h[lab], e[lab])) if i % every == 0 and a != b]
        skips[lab] += [i for i in range(len(e[lab]), len(h[lab])) if i % every == 0]
    if len(sys.argv) > 4 and sys.argv[3] == "--check":
        want = []
        for lab in h:  # in the dense run's order
            every = dict(REPLAY).get(lab)
            if every is None:
                continue
            want += ["D %s %d : %s" % (lab, i, " ".join(o)) for i, o in enumerate(h[lab])
                     if i % every == 0 and i not in skips[lab]]
        lines = open(sys.argv[4]).read().splitlines()
        got = [l for l in lines[lines.index("== dense cases replayed"):] if l.startswith("D ")]
        print("replayed lines: want %d, golden has %d, equal: %s" % (len(want), len(got), want == got))
        return 0 if want == got else 1
    block = ["static const Replayed REPLAYED[] = {"]
    for lab, every in REPLAY:
        body = ", ".join(str(i) for i in skips[lab])
        line = '    {"%s", %d, {%s}},' % (lab, every, body)
        # wrap at 110 columns
        while len(line) > 110:
            cut = line.rfind(", ", 0, 109) + 1
            block.append(line[:cut])
            line = "     " + line[cut:]
        block.append(line)
        print("%-32s every %-2d %4d skipped of %d" % (lab, every, len(skips[lab]), (len(h[lab]) + every - 1) // every))
    block.append("};")
    src = open(SOURCE).read()
    src = re.sub(r"(// BEGIN GENERATED SKIPS\n).*?(// END GENERATED SKIPS)", lambda m: m.group(1) + "\n".join(block) + "\n" + m.group(2),
                 src, flags=re.S)
    open(SOURCE, "w").write(src)
    return 0


if __name__ == "__main__":
    sys.exit(main())
