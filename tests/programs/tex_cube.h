// tex_cube.h — what the cubemap programs share (textures_cube.cu and the probes its cases come
// from, probes/cubeprobe.cu and probes/cubelod.cu): a kernel frame whose thread reads one 64-byte
// sample and writes a float4, the tex.grad.cube / tex.level.cube entries, directions on a face.
// Include it instead of tex_common.h (after defining TEX_DUMP_ENV).
#pragma once
#include "tex_common.h"

// One sample's inputs: direction (x, y, z), dPdx (3), dPdy (3), level; 16 words = 64 bytes a thread.
struct R16 { unsigned v[16]; };
static std::string frame(const char* name, const char* body) {
  std::string s = ".visible .entry ";
  s += name;
  s += R"((.param .u64 obj, .param .u64 in, .param .u64 out, .param .u32 n)
{
  .reg .b32 %r<40>;
  .reg .f32 %f<40>;
  .reg .b64 %rd<20>;
  .reg .pred %p<4>;
  ld.param.u64 %rd1, [obj];
  ld.param.u64 %rd2, [in];
  ld.param.u64 %rd3, [out];
  ld.param.u32 %r1, [n];
  mov.u32 %r2, %tid.x;
  mov.u32 %r3, %ctaid.x;
  mov.u32 %r4, %ntid.x;
  mad.lo.u32 %r2, %r3, %r4, %r2;
  setp.ge.u32 %p1, %r2, %r1;
  @%p1 bra DONE;
  mul.wide.u32 %rd4, %r2, 64;
  add.s64 %rd5, %rd2, %rd4;
  add.s64 %rd6, %rd3, %rd4;
  ld.global.v4.f32 {%f0, %f1, %f2, %f3}, [%rd5];
  ld.global.v4.f32 {%f4, %f5, %f6, %f7}, [%rd5+16];
  ld.global.v4.f32 {%f8, %f9, %f10, %f11}, [%rd5+32];
)";
  s += body;
  s += R"(
  st.global.v4.f32 [%rd6], {%f20, %f21, %f22, %f23};
DONE:
  ret;
}
)";
  return s;
}
static const char* CUBE_ENTRIES[][2] = {
    {"gc", "  tex.grad.cube.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f0, %f1, %f2, %f2}], "
           "{%f3, %f4, %f5, %f5}, {%f6, %f7, %f8, %f8};"},
    {"lc", "  tex.level.cube.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f0, %f1, %f2, %f2}], %f9;"},
};
static R16 r16(float x, float y, float z, float ax, float ay, float az, float bx, float by, float bz,
               float lod = 0) {
  R16 r;
  memset(&r, 0, sizeof r);
  float v[10] = {x, y, z, ax, ay, az, bx, by, bz, lod};
  memcpy(r.v, v, sizeof v);
  return r;
}

// A direction on face f at face texel coordinates (u, v) of a w-texel level (u, v may leave 0..w):
// cube_face's s = (sc / ma + 1) / 2 with ma = 1.
static void dir(int f, float u, float v, float w, float* p) {
  float sc = 2 * u / w - 1, tc = 2 * v / w - 1;
  float x = 0, y = 0, z = 0;
  switch (f) {
    case 0: x = 1; z = -sc; y = -tc; break;
    case 1: x = -1; z = sc; y = -tc; break;
    case 2: y = 1; x = sc; z = tc; break;
    case 3: y = -1; x = sc; z = -tc; break;
    case 4: z = 1; x = sc; y = -tc; break;
    default: z = -1; x = -sc; y = -tc; break;
  }
  p[0] = x; p[1] = y; p[2] = z;
}
