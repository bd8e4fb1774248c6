#!/usr/bin/env python3
"""Writes the mma.sync and mma.sp kernels of tests/conformance/conformance.cu (the block
between the `generated warp-matrix kernels` markers): one kernel per PTX form (and sparsity
selector), whose fragment registers — and mma.sp's metadata register — come from up to 36
input words per lane (see MMA_PARTS there).

Usage: scripts/gen-mma-conformance-kernels.py   (rewrites the block in place)
"""
import re
import sys
from pathlib import Path

# (name suffix, PTX form after "mma.sync.aligned.", dtype, atype, btype, ctype)
# Register counts per lane follow PTX ISA 9.7.14.5 ("Matrix fragments for mma.m*").
BITS = {"f16": 16, "bf16": 16, "tf32": 32, "f32": 32, "f64": 64, "s8": 8, "u8": 8, "s4": 4, "u4": 4,
        "b1": 1, "e4m3": 8, "e5m2": 8, "s32": 32}
CODE = {"f16": 0, "bf16": 1, "tf32": 2, "f32": 3, "f64": 4, "s8": 5, "u8": 6, "s4": 7, "u4": 8, "b1": 9,
        "e4m3": 10, "e5m2": 11, "s32": 12}


def regs(m, n, k, groups, t, which):
    elems = {"a": m * k, "b": k * n, "c": m * n}[which] * groups
    rb = 64 if t == "f64" else 32
    return elems * BITS[t] // (32 * rb)


FORMS = []


def form(shape, layout, d, a, b, c, extra="", pre="", sp=None, sel=0):
    """One mma form; `sp` ("sp" or "sp::ordered_metadata") makes it the sparse mma.sp form with
    sparsity selector `sel` (PTX ISA 9.7.14.6): A holds k/2 columns, plus one metadata register."""
    m, n, k = map(int, re.match(r"m(\d+)n(\d+)k(\d+)", shape).groups())
    groups = 4 if (shape == "m8n8k4" and a == "f16") else 1
    op = f"mma.{sp}" if sp else "mma"
    text = f"{op}.sync.aligned.{shape}.{layout}{pre}.{d}.{a}.{b}.{c}{extra}"
    na = regs(m, n, k, groups, a, "a") // (2 if sp else 1)
    name, meta = text, None
    if sp:
        name = f"{text} sel{sel}"
        # metadata values: 1 any two distinct indices (mma.sp), 2 increasing (::ordered_metadata),
        # 3 tf32's 1:2 (0b0100 or 0b1110)
        meta = (3 if a == "tf32" else 2 if "ordered" in sp else 1, sel, sparse_threads(k, a))
    FORMS.append((name, text, [(d, regs(m, n, k, groups, d, "c")), (a, na),
                               (b, regs(m, n, k, groups, b, "b")), (c, regs(m, n, k, groups, c, "c"))], meta))


def sparse_threads(k, a):
    """Threads of a quad holding metadata: a row of A has k/4 chunks (k/2 for tf32's 1:2, pairs
    for 4-bit types' 4:8) of 4 bits; rows g and g+8 share a quad: 2·(chunks·4) bits / 32."""
    chunks = k // 2 if a == "tf32" else k // 8 if a in ("s4", "u4") else k // 4
    return 2 * chunks * 4 // 32


# m8n8k4 .f16 (four quad-pair products), every layout and accumulator combination
for al in ("row", "col"):
    for bl in ("row", "col"):
        form("m8n8k4", f"{al}.{bl}", "f32", "f16", "f16", "f32")
form("m8n8k4", "row.col", "f16", "f16", "f16", "f16")
form("m8n8k4", "col.row", "f16", "f16", "f16", "f16")
form("m8n8k4", "row.row", "f32", "f16", "f16", "f16")
# f16 / bf16 shapes not covered by the hand-written kernels
form("m16n8k8", "row.col", "f32", "bf16", "bf16", "f32")
form("m16n8k8", "row.col", "f16", "f16", "f16", "f16")
form("m16n8k16", "row.col", "f16", "f16", "f16", "f16")
form("m16n8k16", "row.col", "f32", "f16", "f16", "f32")
form("m16n8k16", "row.col", "f32", "bf16", "bf16", "f32")
# tf32
form("m16n8k4", "row.col", "f32", "tf32", "tf32", "f32")
form("m16n8k8", "row.col", "f32", "tf32", "tf32", "f32")
# 8-bit integers
for a, b in (("s8", "s8"), ("u8", "u8"), ("s8", "u8"), ("u8", "s8")):
    form("m16n8k16", "row.col", "s32", a, b, "s32")
    form("m8n8k16", "row.col", "s32", a, b, "s32")
form("m16n8k16", "row.col", "s32", "s8", "s8", "s32", pre=".satfinite")
form("m16n8k16", "row.col", "s32", "u8", "s8", "s32", pre=".satfinite")
form("m8n8k16", "row.col", "s32", "u8", "u8", "s32", pre=".satfinite")
form("m16n8k32", "row.col", "s32", "u8", "u8", "s32")
form("m16n8k32", "row.col", "s32", "s8", "u8", "s32")
form("m16n8k32", "row.col", "s32", "u8", "u8", "s32", pre=".satfinite")
# 4-bit integers
for shape in ("m8n8k32", "m16n8k32", "m16n8k64"):
    form(shape, "row.col", "s32", "s4", "s4", "s32")
    form(shape, "row.col", "s32", "u4", "s4", "s32")
    form(shape, "row.col", "s32", "u4", "u4", "s32", pre=".satfinite")
# single bit
form("m8n8k128", "row.col", "s32", "b1", "b1", "s32", extra=".xor.popc")
form("m8n8k128", "row.col", "s32", "b1", "b1", "s32", extra=".and.popc")
form("m16n8k128", "row.col", "s32", "b1", "b1", "s32", extra=".xor.popc")
form("m16n8k256", "row.col", "s32", "b1", "b1", "s32", extra=".xor.popc")
form("m16n8k256", "row.col", "s32", "b1", "b1", "s32", extra=".and.popc")
# fp8 (sm_89+)
for a, b in (("e4m3", "e4m3"), ("e5m2", "e5m2"), ("e4m3", "e5m2"), ("e5m2", "e4m3")):
    form("m16n8k32", "row.col", "f32", a, b, "f32")
form("m16n8k16", "row.col", "f32", "e4m3", "e5m2", "f32")
form("m16n8k16", "row.col", "f16", "e5m2", "e4m3", "f16")
form("m16n8k32", "row.col", "f16", "e4m3", "e4m3", "f16")
form("m16n8k32", "row.col", "f16", "e5m2", "e5m2", "f16")
# f64
form("m8n8k4", "row.col", "f64", "f64", "f64", "f64")
for r in ("rn", "rz", "rm", "rp"):
    form("m8n8k4", "row.col", "f64", "f64", "f64", "f64", pre="." + r)
form("m16n8k4", "row.col", "f64", "f64", "f64", "f64")
form("m16n8k8", "row.col", "f64", "f64", "f64", "f64")
form("m16n8k16", "row.col", "f64", "f64", "f64", "f64")

# sparse mma.sp (PTX ISA 9.7.14.6), sm_80+ (fp8: sm_89+); every selector of one form per shape
OM = "sp::ordered_metadata"
for sel in range(4):
    form("m16n8k16", "row.col", "f32", "f16", "f16", "f32", sp=OM, sel=sel)
form("m16n8k16", "row.col", "f16", "f16", "f16", "f16", sp=OM, sel=2)
form("m16n8k16", "row.col", "f32", "bf16", "bf16", "f32", sp=OM, sel=1)
form("m16n8k16", "row.col", "f32", "f16", "f16", "f32", sp="sp", sel=0)
for sel in range(2):
    form("m16n8k32", "row.col", "f32", "f16", "f16", "f32", sp=OM, sel=sel)
form("m16n8k32", "row.col", "f16", "f16", "f16", "f16", sp=OM, sel=1)
form("m16n8k32", "row.col", "f32", "bf16", "bf16", "f32", sp=OM, sel=0)
form("m16n8k32", "row.col", "f32", "bf16", "bf16", "f32", sp="sp", sel=1)
for sel in range(4):
    form("m16n8k8", "row.col", "f32", "tf32", "tf32", "f32", sp=OM, sel=sel)
form("m16n8k8", "row.col", "f32", "tf32", "tf32", "f32", sp="sp", sel=3)
for sel in range(2):
    form("m16n8k16", "row.col", "f32", "tf32", "tf32", "f32", sp=OM, sel=sel)
for a, b in (("s8", "s8"), ("u8", "u8"), ("s8", "u8"), ("u8", "s8")):
    form("m16n8k32", "row.col", "s32", a, b, "s32", sp=OM, sel=1)
    form("m16n8k64", "row.col", "s32", a, b, "s32", sp=OM)
form("m16n8k32", "row.col", "s32", "s8", "s8", "s32", pre=".satfinite", sp=OM, sel=0)
form("m16n8k64", "row.col", "s32", "u8", "s8", "s32", pre=".satfinite", sp=OM)
form("m16n8k32", "row.col", "s32", "u8", "u8", "s32", sp="sp", sel=0)
for a, b in (("s4", "s4"), ("u4", "u4"), ("u4", "s4"), ("s4", "u4")):
    form("m16n8k64", "row.col", "s32", a, b, "s32", sp=OM, sel=0)
    form("m16n8k128", "row.col", "s32", a, b, "s32", sp=OM)
form("m16n8k64", "row.col", "s32", "s4", "s4", "s32", pre=".satfinite", sp=OM, sel=1)
form("m16n8k128", "row.col", "s32", "u4", "u4", "s32", pre=".satfinite", sp=OM)
form("m16n8k64", "row.col", "s32", "s4", "u4", "s32", sp="sp", sel=1)
for a, b in (("e4m3", "e4m3"), ("e5m2", "e5m2"), ("e4m3", "e5m2"), ("e5m2", "e4m3")):
    form("m16n8k64", "row.col", "f32", a, b, "f32", sp=OM)
# (f16 accumulators with sparse fp8 are sm_120's: ptxas 13.5 rejects them for sm_90)


def kernel(idx, name, text, ops, meta):
    (dt, nd), (at, na), (bt, nb), (ct, nc) = ops
    kid = f"mmag_{idx}"
    lines = [f"__global__ void k_{kid} KSIG {{", "  MMA_WORDS;"]
    operands = []
    outs = []
    pos = 0
    slot = 0
    groups = []
    for kind, (t, cnt) in (("d", (dt, nd)), ("a", (at, na)), ("b", (bt, nb)), ("c", (ct, nc))):
        names = []
        for r in range(cnt):
            if kind == "d":
                ty = "u64" if t == "f64" else "u32"
                lines.append(f"  {ty} d{r};")
                outs.append(f'"={"l" if t == "f64" else "r"}"(d{r})')
            else:
                if t == "f64":
                    operands.append(f'"l"((u64)w[{pos}] | (u64)w[{pos + 1}] << 32)')
                    pos += 2
                else:
                    operands.append(f'"r"(w[{pos}])')
                    pos += 1
            names.append(f"%{slot}")
            slot += 1
        groups.append("{" + ",".join(names) + "}")
    if meta:
        # the metadata register follows C's words; the sparsity selector is a constant
        operands.append(f'"r"(w[{pos}])')
        groups.append(f"%{slot}")
        groups.append(str(meta[1]))
        pos += 1
    assert pos <= 36, text
    asm = f'{text} {", ".join(groups)};'
    lines.append(f'  asm volatile("{asm}"')
    lines.append(f"               : {', '.join(outs)}")
    lines.append(f"               : {', '.join(operands)});")
    for r in range(nd):
        lines.append(f"  D[{nd} * i + {r}] = d{r};")
    lines.append("}")
    spec = f"{CODE[at]}, {CODE[bt]}, {CODE[ct]}, {na}, {nb}, {nc}"
    if meta:
        spec += f", {meta[0]}, {meta[1]}, {meta[2]}"
    lines.append(f'static Reg r_{kid}("{name}", k_{kid}, G_MMA_GEN, {nd}, 32);')
    lines.append(f'static MmaSpecReg s_{kid}("{name}", {{{spec}}});')
    return "\n".join(lines)


def main():
    root = Path(__file__).resolve().parent.parent
    path = root / "tests/conformance/conformance.cu"
    src = path.read_text()
    begin = "// ---- generated warp-matrix kernels (scripts/gen-mma-conformance-kernels.py) ----\n"
    end = "// ---- end of generated warp-matrix kernels ----\n"
    body = "\n".join(kernel(i, *f) for i, f in enumerate(FORMS)) + "\n"
    if begin not in src or end not in src:
        sys.exit("markers not found in conformance.cu")
    a = src.index(begin) + len(begin)
    b = src.index(end)
    path.write_text(src[:a] + body + src[b:])
    print(f"{len(FORMS)} mma.sync / mma.sp kernels")


main()
