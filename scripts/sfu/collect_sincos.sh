#!/usr/bin/env bash
# Runs scripts/sfu/probe_sincos.cu on the machine's GPU; results (xz) into $OUT.
set -eu
D=$(mktemp -d)
nvcc -arch=sm_90 -O3 -o "$D/p" scripts/sfu/probe_sincos.cu
mkdir "$D/o"
time "$D/p" "$D/o"
cp "$D/o/summary.txt" "$OUT/"
cd "$D/o"
for f in *.d8; do
  python3 -c "import lzma,sys; open(sys.argv[2],'wb').write(lzma.compress(open(sys.argv[1],'rb').read(), preset=6))" "$f" "$OUT/$f.xz" &
done
wait
ls -la "$OUT"
