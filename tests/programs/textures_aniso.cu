// textures_aniso.cu — anisotropic filtering (texture objects with maxAnisotropy > 1 sampled by
// tex.grad): the level of detail the probes take (axis-aligned ellipses, maxAnisotropy 1 .. 16),
// the weights a footprint gives each texel (impulse textures), and filtered textures with content
// (float, 8-bit unsigned normalized, half texels; linear and point mipmap filtering; 1D and 2D),
// magnified footprints, and 3D textures (whose probes stay isotropic).
// Results are printed as hex bits: the golden file records what an H100 returns, bit for bit.
// With TEXTURES_ANISO_DENSE=1 the program runs many more cases (rotated footprints among them)
// and prints each case's inputs with its outputs: the data the rule in src/exec/texture.rs was
// fitted to, not a test.
//
// Build: nvcc -o textures_aniso textures_aniso.cu -lcuda
#define TEX_DUMP_ENV "TEXTURES_ANISO_DUMP"
#include <algorithm>
#include "tex_common.h"

// ---------------------------------------------------------------- PTX entries
static const char* ENTRIES[][2] = {
    {"grad1", "tex.grad.1d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10}], {%f12}, {%f13};\n"
              "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"grad2", "tex.grad.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}], {%f12, %f13}, {%f14, %f15};\n"
              "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    // a direction (1, y, z) on face +x and gradients without an x component: y, z, dPdx.yz, dPdy.yz
    {"gradc", "mov.f32 %f31, 0f3F800000; mov.f32 %f32, 0f00000000;\n"
              "  tex.grad.cube.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f31, %f10, %f11, %f11}], {%f32, %f12, %f13, %f13}, "
              "{%f32, %f14, %f15, %f15};\n"
              "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    // 3D: in = x, y, z, dPdx (3), dPdy.x, dPdy.y (dPdy.z = 0)
    {"grad3", "mov.f32 %f31, 0f00000000;\n"
              "  tex.grad.3d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11, %f12, %f12}], {%f13, %f14, %f15, %f15}, "
              "{%f16, %f17, %f31, %f31};\n"
              "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
};

// A 2D record: position and gradients in texels of a w x h texture
static Rec rec2(float x, float y, float ax, float ay, float bx, float by, float w, float h) {
  return recf(x / w, y / h, ax / w, ay / h, bx / w, by / h);
}

// ---------------------------------------------------------------- level of detail
// Level L of a 1024 x 1024 texture holds L; linear filtering between levels: the result is the
// level of detail (L + f/256) the probes sample at.
static void lod_tests(CUmodule m) {
  printf("== level of detail\n");
  CUmipmappedArray c2 = const_mip(1024, 1024, 0, 11);
  CUmipmappedArray c1 = const_mip(4096, 0, 0, 13);
  for (unsigned an : {1u, 2u, 3u, 4u, 5u, 8u, 16u}) {
    if (!g_dense && (an == 3 || an == 5)) continue;
    CUtexObject t = make_tex(c2, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, an);
    std::vector<Rec> in;
    // axis-aligned ellipses: minor 8 * 2^(j/16), ratio 2^(k/16); major along x (dPdx) or along y
    int jn = g_dense ? 16 : 4, kstep = g_dense ? 1 : 4;
    for (int j = 0; j < jn; ++j)
      for (int k = 0; k <= 96; k += kstep)
        for (int o = 0; o < (g_dense ? 3 : 1); ++o) {
          float mi = 8 * exp2f((g_dense ? j : j * 4 + 1) / 16.0f), ma = mi * exp2f(k / 16.0f);
          if (o == 0) in.push_back(rec2(512.5f, 512.5f, ma, 0, 0, mi, 1024, 1024));
          if (o == 1) in.push_back(rec2(512.5f, 512.5f, mi, 0, 0, ma, 1024, 1024));
          if (o == 2) in.push_back(rec2(512.5f, 512.5f, 0, -mi, ma, 0, 1024, 1024));
        }
    std::string l = "lod_axis" + std::to_string(an);
    print_recs(l.c_str(), in, run(m, "grad2", t, in), 6, 1, 8);
    if (g_dense) {
      // any direction: a major vector and a roughly perpendicular minor one
      std::vector<Rec> r;
      for (int i = 0; i < 4096; ++i) {
        float len = exp2f(rnd_range(2, 9)), ratio = exp2f(rnd_range(0, 5.5f)), ang = rnd_range(0, 6.2831853f);
        float tw = (i % 4 == 0) ? rnd_range(-0.5f, 0.5f) : 0.0f;
        float ax = len * cosf(ang), ay = len * sinf(ang);
        float bx = (-ay + tw * ax) / ratio, by = (ax + tw * ay) / ratio;
        if (i % 2) r.push_back(rec2(512.5f, 512.5f, ax, ay, bx, by, 1024, 1024));
        else r.push_back(rec2(512.5f, 512.5f, bx, by, ax, ay, 1024, 1024));
      }
      l = "lod_rot" + std::to_string(an);
      print_recs(l.c_str(), r, run(m, "grad2", t, r), 6, 1, 8);
    }
    DK(cuTexObjectDestroy(t));
    // 1D: dPdx and dPdy are both along the axis
    CUtexObject t1 = make_tex(c1, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, an);
    std::vector<Rec> in1;
    for (int i = 0; i < (g_dense ? 1024 : 64); ++i) {
      float a = exp2f(rnd_range(1, 10)), b = a * exp2f(-rnd_range(0, 5));
      if (rnd() & 1) a = -a;
      if (i % 8 == 0) b = 0;
      if (rnd() & 1) in1.push_back(recf(0.5f, 0, a / 4096, b / 4096));
      else in1.push_back(recf(0.5f, 0, b / 4096, a / 4096));
    }
    l = "lod_1d" + std::to_string(an);
    print_recs(l.c_str(), in1, run(m, "grad1", t1, in1), 4, 1, 8);
    DK(cuTexObjectDestroy(t1));
  }
  DK(cuMipmappedArrayDestroy(c2));
  DK(cuMipmappedArrayDestroy(c1));
}

// ---------------------------------------------------------------- impulse responses
// A 64 x 64 float4 texture, 7 levels: channel c is 1 at the centre texel of level c
// ((32 >> c, 32 >> c)) and 0 elsewhere: a sample's channel c is the weight its footprint gives
// that texel.
static CUmipmappedArray impulse_mip(int dims) {
  return mip_array(64, dims == 2 ? 64 : 0, 0, CU_AD_FORMAT_FLOAT, 4, 7,
                   [dims](unsigned l, std::vector<unsigned char>& b, size_t w, size_t, size_t) {
                     memset(b.data(), 0, b.size());
                     if (l < 4) {
                       float one = 1.0f;
                       size_t c = 32 >> l;
                       size_t idx = dims == 2 ? c * w + c : c;
                       memcpy(&b[(idx * 4 + l) * 4], &one, 4);
                     }
                   });
}

struct KCase {
  float A, m;      // major and minor axis lengths (texels)
  float ang;       // direction of the major axis (degrees)
  unsigned an;     // maxAnisotropy
  bool mlin;       // linear mipmap filtering
  int grid;        // 0: a sweep along the major axis; else a square grid of this many steps a texel
  bool swap;       // the major axis is dPdy
};

static void kernels(CUmodule m) {
  printf("== impulse responses\n");
  CUmipmappedArray d = impulse_mip(2);
  std::vector<KCase> cs;
  if (!g_dense) {
    for (float A : {1.5f, 2.0f, 3.0f, 4.0f, 6.0f}) cs.push_back({A, 1, 0, 16, false, 0, false});
    cs.push_back({3, 1, 90, 16, false, 0, true});
    cs.push_back({6, 1, 0, 2, false, 0, false});
    cs.push_back({5, 1.25f, 0, 16, true, 0, false});
  } else {
    for (float A : {1.0f, 1.0625f, 1.125f, 1.25f, 1.375f, 1.5f, 1.625f, 1.75f, 1.875f, 2.0f, 2.25f, 2.5f, 2.75f, 3.0f, 3.25f,
                    3.5f, 3.75f, 4.0f, 4.5f, 5.0f, 5.5f, 6.0f, 7.0f, 8.0f, 10.0f, 12.0f, 14.0f, 16.0f, 20.0f, 24.0f})
      cs.push_back({A, 1, 0, 16, false, 0, false});
    for (unsigned an : {2u, 3u, 4u, 6u, 8u})
      for (float A : {1.5f, 2.0f, 3.0f, 4.0f, 6.0f, 8.0f, 12.0f, 16.0f, 24.0f}) cs.push_back({A, 1, 0, an, false, 0, false});
    for (unsigned an : {2u, 4u, 16u})
      for (float A : {2.5f, 3.0f, 5.0f, 6.0f, 12.0f}) cs.push_back({A, 1, 0, an, true, 0, false});
    for (float mi : {1.25f, 1.5f, 2.0f, 3.0f})
      for (float r : {1.5f, 2.0f, 3.0f, 4.0f, 6.0f}) {
        cs.push_back({mi * r, mi, 0, 16, false, 0, false});
        cs.push_back({mi * r, mi, 0, 16, true, 0, false});
      }
    for (float A : {1.5f, 3.0f, 4.0f, 6.0f}) {
      cs.push_back({A, 1, 90, 16, false, 0, false});
      cs.push_back({A, 1, 0, 16, false, 0, true});
      cs.push_back({A, 1, 180, 16, false, 0, false});
    }
    for (float ang : {45.0f, 30.0f, 10.0f, 60.0f})
      for (float A : {1.5f, 2.0f, 3.0f, 4.0f, 8.0f}) cs.push_back({A, 1, ang, 16, false, 8, false});
    cs.push_back({3, 1.5f, 30, 16, true, 8, false});
    cs.push_back({6, 1.25f, 45, 4, true, 8, false});
  }
  for (size_t ci = 0; ci < cs.size(); ++ci) {
    const KCase& c = cs[ci];
    CUtexObject t = make_tex(d, nullptr, CU_TR_FILTER_MODE_LINEAR, c.mlin ? CU_TR_FILTER_MODE_LINEAR : CU_TR_FILTER_MODE_POINT,
                             c.an);
    double a = c.ang * M_PI / 180;
    float ux = (float)cos(a), uy = (float)sin(a);
    if (c.ang == 90) ux = 0, uy = 1;
    if (c.ang == 180) ux = -1, uy = 0;
    float ax = c.A * ux, ay = c.A * uy, bx = -c.m * uy, by = c.m * ux;
    std::vector<Rec> in;
    float ext = c.A / 2 + 2.5f;
    if (!c.grid) {
      int steps = g_dense ? 32 : 8;
      int n = (int)ceilf(ext * steps);
      for (int s = -n; s <= n; ++s) {
        float o = (float)s / steps;
        float x = 32.5f + o * ux, y = 32.5f + o * uy;
        if (c.swap) in.push_back(rec2(x, y, bx, by, ax, ay, 64, 64));
        else in.push_back(rec2(x, y, ax, ay, bx, by, 64, 64));
      }
    } else {
      int n = (int)ceilf(ext * c.grid);
      for (int j = -n; j <= n; ++j)
        for (int i = -n; i <= n; ++i) {
          float x = 32.5f + (float)i / c.grid, y = 32.5f + (float)j / c.grid;
          in.push_back(rec2(x, y, ax, ay, bx, by, 64, 64));
        }
    }
    char l[64];
    snprintf(l, sizeof l, "k%zu_A%g_m%g_ang%g_an%u_%s%s%s", ci, c.A, c.m, c.ang, c.an, c.mlin ? "lin" : "pt",
             c.grid ? "_grid" : "", c.swap ? "_swap" : "");
    print_recs(l, in, run(m, "grad2", t, in), 6, 4, 4);
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(d));
  // 1D
  CUmipmappedArray d1 = impulse_mip(1);
  for (float A : {1.5f, 2.0f, 3.0f, 4.0f, 6.0f}) {
    if (!g_dense && A != 3.0f) continue;
    CUtexObject t = make_tex(d1, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, 16);
    std::vector<Rec> in;
    int steps = g_dense ? 32 : 8;
    int n = (int)ceilf((A / 2 + 2.5f) * steps);
    for (int s = -n; s <= n; ++s) in.push_back(recf((32.5f + (float)s / steps) / 64, 0, A / 64, 1.0f / 64));
    char l[64];
    snprintf(l, sizeof l, "k1d_A%g", A);
    print_recs(l, in, run(m, "grad1", t, in), 4, 4, 4);
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(d1));
}

// ---------------------------------------------------------------- textures with content
// A 1D footprint at texel x of a 64-texel texture: a major axis of ma texels, either way, and a
// minor one of mi, which of dPdx and dPdy holds which at random
static Rec rec1d(float x, float ma, float mi) {
  float a = ma * ((rnd() & 1) ? 1 : -1), b = mi;
  return (rnd() & 1) ? recf(x / 64, 0, a / 64, b / 64) : recf(x / 64, 0, b / 64, a / 64);
}

static void content(CUmodule m) {
  printf("== content\n");
  struct T {
    const char* name;
    CUarray_format f;
    int dims;
  } ts[] = {{"f32", CU_AD_FORMAT_FLOAT, 2}, {"u8", CU_AD_FORMAT_UNSIGNED_INT8, 2}, {"f16", CU_AD_FORMAT_HALF, 2},
            {"f32_1d", CU_AD_FORMAT_FLOAT, 1}};
  for (auto& tc : ts) {
    CUmipmappedArray mm;
    if (tc.f == CU_AD_FORMAT_FLOAT) mm = mip_array(64, tc.dims == 2 ? 64 : 0, 0, tc.f, 4, 7, fill_rand_f4);
    else mm = mip_array(64, tc.dims == 2 ? 64 : 0, 0, tc.f, 4, 7, fill_rand_bytes);
    for (int mode = 0; mode < 3; ++mode) {
      // mode 0: axis-aligned footprints, linear mipmap filtering; 1: the same, point mipmap
      // filtering; 2: any direction, linear mipmap filtering
      if (!g_dense && mode == 2) continue;
      if (tc.dims == 1 && mode == 2) continue;
      for (unsigned an : {2u, 4u, 8u, 16u}) {
        CUtexObject t = make_tex(mm, nullptr, CU_TR_FILTER_MODE_LINEAR,
                                 mode == 1 ? CU_TR_FILTER_MODE_POINT : CU_TR_FILTER_MODE_LINEAR, an,
                                 CU_TRSF_NORMALIZED_COORDINATES, CU_TR_ADDRESS_MODE_WRAP);
        std::vector<Rec> in;
        for (int i = 0; i < (g_dense ? 1024 : 32); ++i) {
          float mi = exp2f(rnd_range(-1, 3)), ma = mi * exp2f(rnd_range(0, 5));
          float x = rnd_range(0, 64), y = rnd_range(0, 64);
          if (tc.dims == 1) {
            in.push_back(rec1d(x, ma, mi));
            continue;
          }
          float ux = 1, uy = 0;
          if (mode == 2) {
            float ang = rnd_range(0, 6.2831853f);
            ux = cosf(ang), uy = sinf(ang);
          } else {
            int q = rnd() % 4;
            ux = q == 0 ? 1 : q == 1 ? -1 : 0;
            uy = q == 2 ? 1 : q == 3 ? -1 : 0;
          }
          float ax = ma * ux, ay = ma * uy, bx = -mi * uy, by = mi * ux;
          if (rnd() & 1) in.push_back(rec2(x, y, ax, ay, bx, by, 64, 64));
          else in.push_back(rec2(x, y, bx, by, ax, ay, 64, 64));
        }
        std::string l = std::string("c.") + tc.name + "." + std::to_string(mode) + ".an" + std::to_string(an);
        print_recs(l.c_str(), in, run(m, tc.dims == 1 ? "grad1" : "grad2", t, in), 6, 4, 2);
        DK(cuTexObjectDestroy(t));
      }
    }
    DK(cuMipmappedArrayDestroy(mm));
  }
}

// ---------------------------------------------------------------- the checked cases
// What cuemu matches bit for bit (see src/exec/texture.rs): footprints along the axes; point
// mipmap filtering; linear mipmap filtering at integral levels of detail (minor axis a power of
// two); probe counts that are powers of two (or footprints of 1 .. 2 texels and the impulse
// kernels listed); not magnified (level of detail >= 0).
static void golden_lod(CUmodule m) {
  printf("== level of detail\n");
  CUmipmappedArray c2 = const_mip(1024, 1024, 0, 11);
  // 6, 7, 10, 12, 17: maxAnisotropy that is not a power of two (log2 on a 1/16 grid; 7 acts as
  // 6, 17 as 16)
  for (unsigned an : {1u, 2u, 3u, 4u, 5u, 8u, 16u, 6u, 7u, 10u, 12u, 17u}) {
    CUtexObject t = make_tex(c2, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, an);
    std::vector<Rec> in;
    for (float mi : {4.0f, 8.0f, 32.0f})
      for (int k = 0; k <= 7; ++k) {
        float ma = mi * (float)(1 << k);
        in.push_back(rec2(512.5f, 512.5f, ma, 0, 0, mi, 1024, 1024));
        in.push_back(rec2(512.5f, 512.5f, 0, -mi, ma, 0, 1024, 1024));
      }
    std::string l = "lod" + std::to_string(an);
    print_recs(l.c_str(), in, run(m, "grad2", t, in), 6, 1, 8);
    // ellipses in any direction, ratios 1 .. 24 and lengths that are not powers of two (exact
    // since the footprint area is the unit's product, 02c03c7); after the axis-aligned ones
    std::vector<Rec> rot;
    for (int i = 0; i < 48; ++i) {
      float ang = 0.1309f * (float)i, len = 5.0f + 3.7f * (float)(i % 7), ratio = 1.0f + 0.5f * (float)(i % 47);
      float ax = len * cosf(ang), ay = len * sinf(ang), bx = -ay / ratio, by = ax / ratio;
      if (i % 2) rot.push_back(rec2(512.5f, 512.5f, ax, ay, bx, by, 1024, 1024));
      else rot.push_back(rec2(512.5f, 512.5f, bx, by, ax, ay, 1024, 1024));
    }
    l = "lod_rot" + std::to_string(an);
    print_recs(l.c_str(), rot, run(m, "grad2", t, rot), 6, 1, 8);
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(c2));
}

static void golden_kernels(CUmodule m) {
  printf("== impulse responses\n");
  CUmipmappedArray d = impulse_mip(2);
  std::vector<KCase> cs;
  for (float A : {1.0f, 1.25f, 1.5f, 1.75f, 2.0f, 2.25f, 2.75f, 3.0f, 3.5f, 4.0f, 4.5f, 6.0f, 7.0f, 8.0f, 10.0f, 12.0f, 14.0f,
                  16.0f, 20.0f})
    cs.push_back({A, 1, 0, 16, false, 0, false});
  for (float A : {1.5f, 3.0f}) {
    cs.push_back({A, 1, 90, 16, false, 0, false});
    cs.push_back({A, 1, 180, 16, false, 0, false});
    cs.push_back({A, 1, 0, 16, false, 0, true});
  }
  for (unsigned an : {2u, 3u, 4u, 8u})
    for (float A : {3.0f, 6.0f, 16.0f, 24.0f}) cs.push_back({A, 1, 0, an, false, 0, false});
  for (float A : {2.5f, 3.0f, 6.0f, 12.0f}) cs.push_back({A, 1, 0, 2, true, 0, false});
  for (float A : {3.0f, 6.0f, 12.0f}) cs.push_back({A, 1, 0, 16, true, 0, false});
  cs.push_back({2.25f, 1.5f, 0, 16, false, 0, false});
  cs.push_back({4.5f, 1.5f, 0, 16, false, 0, false});
  cs.push_back({9, 1.5f, 0, 16, false, 0, false});
  for (float A : {3.0f, 4.0f, 6.0f, 8.0f, 12.0f}) {
    cs.push_back({A, 2, 0, 16, false, 0, false});
    cs.push_back({A, 2, 0, 16, true, 0, false});
  }
  for (float A : {4.5f, 9.0f, 18.0f}) cs.push_back({A, 3, 0, 16, false, 0, false});
  // exact since the ratio is taken on the level of detail's log grid (8e1fc9a): ratios 2.5
  // and 5, maxAnisotropy 6, a minor axis of 1.25
  for (float A : {2.5f, 5.0f}) cs.push_back({A, 1, 0, 16, false, 0, false});
  for (float A : {2.5f, 5.0f}) cs.push_back({A, 1, 0, 16, true, 0, false});
  for (float A : {2.5f, 3.0f}) cs.push_back({A, 1, 0, 4, true, 0, false});
  for (float A : {1.5f, 2.0f, 3.0f, 4.0f}) cs.push_back({A, 1, 0, 6, false, 0, false});
  for (float A : {1.875f, 2.5f, 3.75f, 5.0f, 7.5f}) cs.push_back({A, 1.25f, 0, 16, false, 0, false});
  cs.push_back({1.875f, 1.25f, 0, 16, true, 0, false});
  // exact since the lower level of a linear mipmap blend takes its own spacing (775c3dd): a
  // fractional level of detail
  cs.push_back({5, 1, 0, 2, true, 0, false});
  for (float A : {5.0f, 6.0f, 12.0f}) cs.push_back({A, 1, 0, 4, true, 0, false});
  for (float A : {2.5f, 3.75f, 5.0f, 7.5f}) cs.push_back({A, 1.25f, 0, 16, true, 0, false});
  for (float A : {2.25f, 3.0f, 4.5f, 6.0f, 9.0f}) cs.push_back({A, 1.5f, 0, 16, true, 0, false});
  for (float A : {4.5f, 6.0f, 9.0f, 12.0f, 18.0f}) cs.push_back({A, 3, 0, 16, true, 0, false});
  // exact since maxAnisotropy 6, 10, 12 and the probe weight 1/n were measured (an6: 5a61012,
  // a77dc13): maxAnisotropy that is not a power of two, ratios 9 and 13, 8 and 10 at 1.25
  for (unsigned an : {6u, 7u, 10u, 12u, 13u, 17u, 32u})
    for (float A : {8.0f, 24.0f}) cs.push_back({A, 1, 0, an, false, 0, false});
  for (float A : {9.0f, 13.0f}) cs.push_back({A, 1, 0, 16, false, 0, false});
  for (float A : {10.0f, 12.5f}) cs.push_back({A, 1.25f, 0, 16, false, 0, false});
  for (float A : {12.0f, 14.0f, 24.0f}) cs.push_back({A, 1, 0, 6, true, 0, false});
  cs.push_back({13.75f, 1.25f, 0, 6, true, 0, false});
  for (unsigned an : {10u, 12u}) {
    cs.push_back({20, 1, 0, an, true, 0, false});
    cs.push_back({40, 1.25f, 0, an, true, 0, false});
  }
  // exact since rotated footprints probe along the quantized direction (aro: 8c2d81b ..
  // 9a46eff): footprints off the axes
  for (float A : {1.5f, 2.0f, 3.0f}) cs.push_back({A, 1, 45, 16, false, 0, false});
  for (float ang : {10.0f, 30.0f, 60.0f})
    for (float A : {2.0f, 4.0f}) cs.push_back({A, 1, ang, 16, false, 0, false});
  for (float ang : {30.0f, 60.0f}) cs.push_back({8, 1, ang, 16, false, 0, false});
  for (size_t ci = 0; ci < cs.size(); ++ci) {
    const KCase& c = cs[ci];
    CUtexObject t = make_tex(d, nullptr, CU_TR_FILTER_MODE_LINEAR, c.mlin ? CU_TR_FILTER_MODE_LINEAR : CU_TR_FILTER_MODE_POINT,
                             c.an);
    float ux = 1, uy = 0;
    if (c.ang == 90) ux = 0, uy = 1;
    if (c.ang == 180) ux = -1, uy = 0;
    if (c.ang != 0 && c.ang != 90 && c.ang != 180) ux = (float)cos(c.ang * M_PI / 180), uy = (float)sin(c.ang * M_PI / 180);
    float ax = c.A * ux, ay = c.A * uy, bx = -c.m * uy, by = c.m * ux;
    std::vector<Rec> in;
    int steps = 8, n = (int)ceilf((c.A / 2 + 2.5f) * steps);
    for (int s = -n; s <= n; ++s) {
      float o = (float)s / steps;
      float x = 32.5f + o * ux + 0.03125f * (s & 3), y = 32.5f + o * uy + 0.25f * ((s >> 2) & 1);
      if (c.swap) in.push_back(rec2(x, y, bx, by, ax, ay, 64, 64));
      else in.push_back(rec2(x, y, ax, ay, bx, by, 64, 64));
    }
    char l[64];
    snprintf(l, sizeof l, "k_A%g_m%g_ang%g_an%u_%s%s", c.A, c.m, c.ang, c.an, c.mlin ? "lin" : "pt", c.swap ? "_swap" : "");
    print_recs(l, in, run(m, "grad2", t, in), 6, 4, 4);
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(d));
  CUmipmappedArray d1 = impulse_mip(1);
  for (float A : {1.5f, 2.0f, 3.0f, 4.0f, 6.0f}) {
    CUtexObject t = make_tex(d1, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, 16);
    std::vector<Rec> in;
    int steps = 8, n = (int)ceilf((A / 2 + 2.5f) * steps);
    for (int s = -n; s <= n; ++s) in.push_back(recf((32.5f + (float)s / steps + 0.03125f * (s & 3)) / 64, 0, A / 64, 1.0f / 64));
    char l[64];
    snprintf(l, sizeof l, "k1d_A%g", A);
    print_recs(l, in, run(m, "grad1", t, in), 4, 4, 4);
    DK(cuTexObjectDestroy(t));
  }
  for (unsigned an : {6u, 10u, 12u})
    for (float A : {6.0f, 24.0f}) {
      CUtexObject t = make_tex(d1, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, an);
      std::vector<Rec> in;
      int steps = 8, n = (int)ceilf((A / 2 + 2.5f) * steps);
      for (int s = -n; s <= n; ++s) in.push_back(recf((32.5f + (float)s / steps + 0.03125f * (s & 3)) / 64, 0, A / 64, 1.0f / 64));
      char l[64];
      snprintf(l, sizeof l, "k1d_A%g_an%u", A, an);
      print_recs(l, in, run(m, "grad1", t, in), 4, 4, 4);
      DK(cuTexObjectDestroy(t));
    }
  DK(cuMipmappedArrayDestroy(d1));
}

// `extra`: maxAnisotropy 6, 10, 12 with point mipmap filtering, float and 8-bit texels (exact
// since an6's fits); else 2, 4, 8, 16 with both mipmap filters and every format
static void golden_content(CUmodule m, bool extra) {
  printf(extra ? "== content, maxAnisotropy 6, 10, 12\n" : "== content\n");
  struct T {
    const char* name;
    CUarray_format f;
    int dims;
  } ts[] = {{"f32", CU_AD_FORMAT_FLOAT, 2},    {"u8", CU_AD_FORMAT_UNSIGNED_INT8, 2},    {"f16", CU_AD_FORMAT_HALF, 2},
            {"f32_1d", CU_AD_FORMAT_FLOAT, 1}, {"u8_1d", CU_AD_FORMAT_UNSIGNED_INT8, 1}};
  for (auto& tc : ts) {
    if (extra && (tc.dims == 1 || tc.f == CU_AD_FORMAT_HALF)) continue;
    CUmipmappedArray mm;
    if (tc.f == CU_AD_FORMAT_FLOAT) mm = mip_array(64, tc.dims == 2 ? 64 : 0, 0, tc.f, 4, 7, fill_rand_f4);
    else if (tc.f == CU_AD_FORMAT_HALF) mm = mip_array(64, tc.dims == 2 ? 64 : 0, 0, tc.f, 4, 7, fill_rand_h4);
    else mm = mip_array(64, tc.dims == 2 ? 64 : 0, 0, tc.f, 4, 7, fill_rand_bytes);
    for (int mode = 0; mode < 2; ++mode) {
      // mode 0: linear mipmap filtering; 1: point mipmap filtering (1D float texels: linear
      // only here; their point mipmap filtering is replayed below, c.f32_1d.1.an16)
      if (tc.dims == 1 && tc.f == CU_AD_FORMAT_FLOAT && mode == 1) continue;
      if (extra && mode == 0) continue;
      for (unsigned an : extra ? std::vector<unsigned>{6, 10, 12} : std::vector<unsigned>{2, 4, 8, 16}) {
        CUtexObject t = make_tex(mm, nullptr, CU_TR_FILTER_MODE_LINEAR,
                                 mode == 1 ? CU_TR_FILTER_MODE_POINT : CU_TR_FILTER_MODE_LINEAR, an,
                                 CU_TRSF_NORMALIZED_COORDINATES, CU_TR_ADDRESS_MODE_WRAP);
        std::vector<Rec> in;
        while (in.size() < 48) {
          // a minor axis of 1 .. 8 texels: a power of two, or (point mipmap filtering, the ratio
          // above maxAnisotropy) any length away from the halfway rounding
          bool any = mode == 1 && (in.size() & 1);
          float mi = any ? exp2f(rnd_range(0, 3)) : exp2f((float)(rnd() % 4));
          float fr = log2f(mi) - floorf(log2f(mi));
          if (fabsf(fr - 0.5f) < 0.03f) continue;
          int k = rnd() % 6;  // ratio 1 .. 32
          if (any && (1u << k) <= an) continue;
          if (tc.dims == 1 && k < 2) k += 2;  // 1D: the major axis of ratios below 2.2 is longer
          float ma = mi * (float)(1 << k);
          float x = rnd_range(0, 64), y = rnd_range(0, 64);
          if (tc.dims == 1) {
            in.push_back(rec1d(x, ma, mi));
            continue;
          }
          int q = rnd() % 4;
          float ux = q == 0 ? 1 : q == 1 ? -1 : 0, uy = q == 2 ? 1 : q == 3 ? -1 : 0;
          float ax = ma * ux, ay = ma * uy, bx = -mi * uy, by = mi * ux;
          if (rnd() & 1) in.push_back(rec2(x, y, ax, ay, bx, by, 64, 64));
          else in.push_back(rec2(x, y, bx, by, ax, ay, 64, 64));
        }
        std::string l = std::string("c.") + tc.name + (mode == 0 ? ".lin" : ".pt") + ".an" + std::to_string(an);
        print_recs(l.c_str(), in, run(m, tc.dims == 1 ? "grad1" : "grad2", t, in), 6, 4, 2);
        DK(cuTexObjectDestroy(t));
      }
    }
    DK(cuMipmappedArrayDestroy(mm));
  }
}

// Magnified footprints (level of detail below 0: minor axis under a texel): probes 2^(level of
// detail) apart along the axes (exact since helper amg's fit; the majors 2.5 and 5 were not).
static void golden_magnified(CUmodule m) {
  printf("== magnified impulse responses\n");
  CUmipmappedArray d = impulse_mip(2);
  std::vector<KCase> cs = {{2.5f, 0.5f, 0, 16, false, 0, false}, {5, 0.5f, 0, 16, false, 0, false},
                           {5, 0.75f, 0, 8, false, 0, false},    {12, 0.75f, 0, 16, false, 0, false},
                           {1.5f, 0.25f, 0, 16, false, 0, false}, {3, 0.625f, 0, 16, false, 0, false},
                           {5, 0.5f, 0, 16, true, 0, false},      {5, 0.75f, 0, 16, false, 0, true}};
  for (const KCase& c : cs) {
    CUtexObject t = make_tex(d, nullptr, CU_TR_FILTER_MODE_LINEAR, c.mlin ? CU_TR_FILTER_MODE_LINEAR : CU_TR_FILTER_MODE_POINT,
                             c.an);
    std::vector<Rec> in;
    int steps = 8, n = (int)ceilf((c.A / 2 + 2.5f) * steps);
    for (int s = -n; s <= n; ++s) {
      float x = 32.5f + (float)s / steps + 0.03125f * (s & 3), y = 32.5f + 0.25f * ((s >> 2) & 1);
      if (c.swap) in.push_back(rec2(x, y, 0, c.m, c.A, 0, 64, 64));
      else in.push_back(rec2(x, y, c.A, 0, 0, c.m, 64, 64));
    }
    char l[64];
    snprintf(l, sizeof l, "km_A%g_m%g_an%u_%s%s", c.A, c.m, c.an, c.mlin ? "lin" : "pt", c.swap ? "_swap" : "");
    print_recs(l, in, run(m, "grad2", t, in), 6, 4, 4);
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(d));
}

// 3D textures (measured by helper amg): maxAnisotropy > 1 keeps the probes and the level of
// detail isotropic but narrows a linear mipmap blend as 2D anisotropic filtering does. Footprints
// along the axes (gradients off the axes meet the 3D level of detail's unfitted term).
static Rec rec3(float x, float y, float z, float ax, float ay, float az, float bx, float by, float w) {
  return rec(fbits(x / w), fbits(y / w), fbits(z / w), fbits(ax / w), fbits(ay / w), fbits(az / w), fbits(bx / w),
             fbits(by / w));
}

static void golden_3d(CUmodule m) {
  printf("== 3D\n");
  // impulse: a 32^3 float4 texture, channel c is 1 at the centre texel (16 >> c)^3 of level c
  CUmipmappedArray imp = mip_array(32, 32, 32, CU_AD_FORMAT_FLOAT, 4, 6,
                                   [](unsigned l, std::vector<unsigned char>& b, size_t w, size_t h, size_t) {
                                     memset(b.data(), 0, b.size());
                                     if (l < 4) {
                                       float one = 1.0f;
                                       size_t c = 16 >> l;
                                       memcpy(&b[(((c * h + c) * w + c) * 4 + l) * 4], &one, 4);
                                     }
                                   });
  for (int mlin = 0; mlin < 2; ++mlin) {
    CUtexObject t = make_tex(imp, nullptr, CU_TR_FILTER_MODE_LINEAR, mlin ? CU_TR_FILTER_MODE_LINEAR : CU_TR_FILTER_MODE_POINT, 16);
    for (float A : {3.0f, 6.0f})
      for (int ax = 0; ax < 3; ++ax) {
        int bx = ax == 0 ? 1 : 0;  // the minor axis (dPdy has no z component here)
        std::vector<Rec> in;
        int steps = 8, n = (int)ceilf((A / 2 + 2.5f) * steps);
        for (int s = -n; s <= n; ++s) {
          float p[3] = {16.5f, 16.5f, 16.5f}, g[3] = {0, 0, 0}, h[3] = {0, 0, 0};
          p[ax] += (float)s / steps + 0.03125f * (s & 3);
          p[bx] += 0.25f * ((s >> 2) & 1);
          g[ax] = A;
          h[bx] = 1;
          in.push_back(rec3(p[0], p[1], p[2], g[0], g[1], g[2], h[0], h[1], 32));
        }
        char l[64];
        snprintf(l, sizeof l, "k3_A%g_ax%d_an16_%s", A, ax, mlin ? "lin" : "pt");
        print_recs(l, in, run(m, "grad3", t, in), 8, 4, 4);
      }
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(imp));
  // level L of a 128^3 texture holds L: the level of detail and the narrowed blend
  CUmipmappedArray c3 = const_mip(128, 128, 128, 8);
  for (unsigned an : {1u, 2u, 4u, 16u}) {
    CUtexObject t = make_tex(c3, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, an);
    std::vector<Rec> in;
    for (float mi : {1.5f, 4.0f, 8.0f})
      for (int k = 0; k < 6; ++k)
        for (int o = 0; o < 3; ++o) {
          float ma = mi * exp2f(0.8f * k);
          int ax = o, bx = o == 0 ? 1 : 0;
          float g[3] = {0, 0, 0}, h[3] = {0, 0, 0};
          g[ax] = o == 1 ? -ma : ma;
          h[bx] = mi;
          in.push_back(rec3(64, 64, 64, g[0], g[1], g[2], h[0], h[1], 128));
        }
    std::string l = "lod3_an" + std::to_string(an);
    print_recs(l.c_str(), in, run(m, "grad3", t, in), 8, 1, 8);
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(c3));
  // 8-bit content, 32^3
  CUmipmappedArray cb = mip_array(32, 32, 32, CU_AD_FORMAT_UNSIGNED_INT8, 4, 6, fill_rand_bytes);
  for (int mlin = 0; mlin < 2; ++mlin) {
    CUtexObject t = make_tex(cb, nullptr, CU_TR_FILTER_MODE_LINEAR, mlin ? CU_TR_FILTER_MODE_LINEAR : CU_TR_FILTER_MODE_POINT, 16,
                             CU_TRSF_NORMALIZED_COORDINATES, CU_TR_ADDRESS_MODE_WRAP);
    std::vector<Rec> in;
    for (int i = 0; i < 48; ++i) {
      float mi = exp2f(rnd_range(-1, 3)), ma = mi * exp2f(rnd_range(0, 5));
      int ax = rnd() % 3, bx = ax == 0 ? 1 : (ax == 1 ? 0 : rnd() % 2);
      float g[3] = {0, 0, 0}, h[3] = {0, 0, 0};
      g[ax] = (rnd() & 1) ? ma : -ma;
      h[bx] = mi;
      in.push_back(rec3(rnd_range(0, 32), rnd_range(0, 32), rnd_range(0, 32), g[0], g[1], g[2], h[0], h[1], 32));
    }
    std::string l = std::string("c3.u8.") + (mlin ? "lin" : "pt") + ".an16";
    print_recs(l.c_str(), in, run(m, "grad3", t, in), 8, 4, 2);
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(cb));
}

// Cubemaps (tex.grad.cube, maxAnisotropy 1; exact since acube's fits, 51a5898 .. a992551): a
// 32 x 32 float4 impulse cubemap, 6 levels, channel c 1 at the centre texel of face +x's level c;
// elongated footprints along the face's s or t axis swept past it in 1/16 texel steps, point and
// linear mipmap filtering (the level of detail from the gradients as moves on the face).
static void golden_cube(CUmodule m) {
  printf("== cubemaps\n");
  const int W = 32;
  CUmipmappedArray imp = mip_array(
      W, W, 6, CU_AD_FORMAT_FLOAT, 4, 6,
      [](unsigned l, std::vector<unsigned char>& b, size_t w, size_t, size_t) {
        memset(b.data(), 0, b.size());
        if (l < 4) {
          float one = 1.0f;
          size_t c = 16 >> l;
          memcpy(&b[((c * w + c) * 4 + l) * 4], &one, 4);  // face 0 (+x)
        }
      },
      CUDA_ARRAY3D_CUBEMAP);
  for (int mlin = 0; mlin < 2; ++mlin) {
    CUtexObject t = make_tex(imp, nullptr, CU_TR_FILTER_MODE_LINEAR, mlin ? CU_TR_FILTER_MODE_LINEAR : CU_TR_FILTER_MODE_POINT, 1);
    for (float A : {3.0f, 6.0f, 12.0f})
      for (float mi : {1.0f, 2.0f})
        for (int ax = 1; ax < 3; ++ax) {  // the major axis along y (t) or z (s)
          if (mi == 2 && A == 3) continue;
          int bx = 3 - ax;
          std::vector<Rec> in;
          int steps = 16, n = (int)ceilf((A / 2 + 2.5f) * steps);
          for (int s = -n; s <= n; ++s) {
            // texel coordinate u = 16.5 + o along the axis: direction component 1 - 2u/W
            float u[3] = {0, 16.5f, 16.5f};
            u[ax] += (float)s / steps;
            u[bx] += 0.125f * (s & 1);
            float g[3] = {0, 0, 0}, h[3] = {0, 0, 0};
            g[ax] = 2 * A / W;
            h[bx] = 2 * mi / W;
            in.push_back(recf(1 - 2 * u[1] / W, 1 - 2 * u[2] / W, g[1], g[2], h[1], h[2]));
          }
          char l[80];
          snprintf(l, sizeof l, "cube_A%g_m%g_ax%d_%s", A, mi, ax, mlin ? "lin" : "pt");
          print_recs(l, in, run(m, "gradc", t, in), 6, 4, 4);
        }
    DK(cuTexObjectDestroy(t));
  }
  DK(cuMipmappedArrayDestroy(imp));
}

// ---------------------------------------------------------------- dense cases replayed
// Labels of the dense mode (TEXTURES_ANISO_DENSE=1, the data the rules were fitted to) that
// cuemu now matches but for the listed cases: the dense run is replayed from the start (its
// random inputs depend on everything before them) and only these labels' cases print, without
// their inputs. Impulse kernels on a grid print every 16th case. The skip lists are where
// cuemu and the H100's dense output differ (scripts/aniso-replay-skips.py writes them
// from a comparison).
struct Replayed {
  const char* label;
  int every;
  std::vector<int> skip;
};
// BEGIN GENERATED SKIPS
static const Replayed REPLAYED[] = {
    {"k149_A3_m1_ang30_an16_pt_grid", 16, {}},
    {"k156_A8_m1_ang10_an16_pt_grid", 16, {}},
    {"k159_A3_m1_ang60_an16_pt_grid", 16, {}},
    {"c.f32.0.an16", 1, {}},
    {"c.u8.0.an8", 1, {}},
    {"c.u8.0.an16", 1, {}},
    {"c.f32.1.an16", 1, {}},
    {"c.u8.1.an16", 1, {}},
    {"c.f16.1.an16", 1, {131, 554}},
    {"c.f32_1d.0.an16", 1, {}},
    {"k163_A6_m1.25_ang45_an4_lin_grid", 16, {}},
    {"c.u8.2.an2", 1, {}},
    {"c.u8.2.an4", 1, {}},
    {"c.f32.2.an16", 1, {}},
    {"k147_A1.5_m1_ang30_an16_pt_grid", 16, {}},
    {"k152_A1.5_m1_ang10_an16_pt_grid", 16, {}},
    {"k154_A3_m1_ang10_an16_pt_grid", 16, {}},
    {"c.u8.0.an4", 1, {}},
    {"c.f16.0.an16", 1, {191, 556, 878, 894}},
    {"c.f16.2.an16", 1, {382, 877}},
    {"c.f32_1d.1.an16", 1, {}},
};
// END GENERATED SKIPS

static bool replay_keep(const char* label, size_t i) {
  for (const Replayed& r : REPLAYED)
    if (!strcmp(r.label, label))
      return i % r.every == 0 && !std::count(r.skip.begin(), r.skip.end(), (int)i);
  return false;
}

static void golden_replay(CUmodule m) {
  printf("== dense cases replayed\n");
  unsigned rng = g_rng;
  g_rng = 0x12345678u;
  g_dense = true;
  g_keep = replay_keep;
  lod_tests(m);
  kernels(m);
  content(m);
  g_keep = nullptr;
  g_dense = false;
  g_rng = rng;
}

int main() {
  g_dense = getenv("TEXTURES_ANISO_DENSE") != nullptr;
  CK(cudaFree(0));  // the primary context, current for the driver API calls too
  std::string ents;
  for (auto& e : ENTRIES) ents += entry(e[0], e[1]);
  CUmodule m = load("aniso", ents);
  if (g_dense) {
    lod_tests(m);
    kernels(m);
    content(m);
  } else {
    golden_lod(m);
    golden_kernels(m);
    golden_content(m, false);
    golden_content(m, true);
    golden_magnified(m);
    golden_3d(m);
    golden_cube(m);
    golden_replay(m);
  }
  if (m) DK(cuModuleUnload(m));
  cudaError_t e = cudaDeviceSynchronize();
  printf("final: %s\n", cudaGetErrorName(e));
  if (e != cudaSuccess) ++g_failures;
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
