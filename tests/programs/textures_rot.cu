// textures_rot.cu — anisotropic filtering of rotated footprints read through "V" textures: the
// golden subset (every 61st case of each label) of tests/programs/probes/rotprobe.cu's sweeps
// (tests/programs/tex_rot.h): random rotated footprints at the kinks of levels 0 … 4 and kink
// sweeps in 1/128 steps of twelve fixed footprints, maxAnisotropy 2, 4, 8, 16, linear mipmap
// filtering, clamp address mode. Each output channel pair is one level's probes' weighted mean
// distance from a texel centre, so the probes' positions, weights and the two levels' blend all
// show. Results are printed as hex bits: the golden file records what an H100 returns, bit for bit.
//
// Build: nvcc -o textures_rot textures_rot.cu -lcuda
#define TEX_DUMP_ENV "TEXTURES_ROT_DUMP"
#include "tex_common.h"
#include "tex_rot.h"
int main() { return rot_run(61); }
