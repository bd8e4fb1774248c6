#!/usr/bin/env python3
"""Turns what scripts/sfu/collect.sh brought back from the GPU into cuemu's embedded SFU data
(src/exec/sfu/): the tables on the grids the models index (ex2 on 2^-23, the measured fixed-point
resolution), the 16-bit tables, and the block hashes summed to 256 per instruction.

Usage: scripts/sfu/pack.py DIR_WITH_COLLECT_OUTPUT [GPU_DESCRIPTION]
Needs the zstd command-line tool."""
import struct, subprocess, sys, tarfile, lzma, io, os

src = sys.argv[1]
desc = sys.argv[2] if len(sys.argv) > 2 else "H100 80GB HBM3, driver 580.159.04, nvcc 13.0"
dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "exec", "sfu")


def d8dec(b):
    out, prev, i = [], 0, 0
    while i < len(b):
        if b[i] == 0x80:
            v = struct.unpack_from("<I", b, i + 1)[0]
            i += 5
        else:
            v = (prev + (b[i] - 256 if b[i] > 127 else b[i])) & 0xFFFFFFFF
            i += 1
        out.append(v)
        prev = v
    return out


def d8enc(vals):
    out, prev = bytearray(), 0
    for v in vals:
        d = (v - prev) & 0xFFFFFFFF
        d = d - (1 << 32) if d >= 0x80000000 else d
        if -127 <= d <= 127:
            out.append(d & 0xFF)
        else:
            out.append(0x80)
            out += struct.pack("<I", v)
        prev = v
    return bytes(out)


def write(name, vals):
    path = os.path.join(dst, name)
    subprocess.run(["zstd", "-q", "-19", "--long=27", "-f", "-o", path], input=d8enc(vals), check=True)


def table(name):
    return d8dec(lzma.decompress(open(os.path.join(src, f"table-{name}.d8.xz"), "rb").read()))


misc = tarfile.open(fileobj=io.BytesIO(lzma.decompress(open(os.path.join(src, "misc.tar.xz"), "rb").read())))
get = lambda n: misc.extractfile(n).read()
write("ex2-pos.d8.zst", table("ex2p")[0::2])  # MUFU.EX2 reads 23 fraction bits
write("ex2-neg.d8.zst", table("ex2n")[0::2])
write("rcp.d8.zst", table("rcp"))
write("rsqrt.d8.zst", table("rsq"))
write("lg2.d8.zst", table("lg2"))
h = get("half.bin")
hv = struct.unpack("<%dH" % (len(h) // 2), h)
for k, n in enumerate(["ex2f16", "ex2bf16", "tanhf16", "tanhbf16"]):
    write(f"{n}.d8.zst", hv[k * 65536 : (k + 1) * 65536])
names = get("summary.txt").decode().split("\n")[1].split(":")[1].split()
hb = get("hashes.bin")
v = struct.unpack("<%dQ" % (len(hb) // 8), hb)
with open(os.path.join(dst, "h100-hashes.txt"), "w") as f:
    f.write(f"# {desc} (scripts/sfu/probe.cu): per instruction, 256 sums mod 2^64\n")
    f.write("# of mix64(u << 32 | result(u)) over the 2^24 inputs u whose top 8 bits are the line's index\n")
    for k, n in enumerate(names):
        blk = v[k * 16384 : (k + 1) * 16384]
        f.write(n + "\n")
        for c in range(256):
            f.write("%016x\n" % (sum(blk[c * 64 : (c + 1) * 64]) & ((1 << 64) - 1)))
