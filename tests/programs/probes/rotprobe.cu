// Anisotropic filtering probe (helper rot, session 2026-11-26): probe positions of rotated footprints with
// LINEAR mipmap filtering, read through "V" textures whose even levels hold (|i-c|, |j-c|, 0, 0) and odd
// levels (0, 0, |i-c|, |j-c|), c = 32 >> l: a sample at level l's kink (32 + 2^(l-1) level-0 texels, plus an
// offset) reads each level's probes' weighted mean |distance| from it, the two levels of a blend in separate
// channels. R_an*: random footprints like textures_aniso.cu's content mode 2, 15 samples each; W_an*: kink
// sweeps in 1/128 steps. Output: D lines as textures_aniso.cu prints them. What it measured: see
// src/exec/texture.rs, sample_aniso (offsets off the axes on 1/128 of the level's texel).
// Build: nvcc -arch=sm_90 -o rotprobe tests/programs/probes/rotprobe.cu -lcuda -I tests/programs
#define TEX_DUMP_ENV "ROT_DUMP"
#include "tex_common.h"
#include "tex_rot.h"
int main() { return rot_run(1); }
