// textures_grad.cu — what textures_mip.cu leaves out: the level of detail tex.grad computes from
// gradients (1D, 2D, 3D), trilinear filtering (linear inside two levels and linear between them:
// 1D, 2D, 3D; float, half, 8/16-bit normalized and 8-bit signed normalized texels), bilinear
// filtering without mipmaps at weights where rounding the products of the per-axis weights would
// not sum to 1 and, in the dense mode only, the data on rotated gradients and anisotropic
// filtering (maxAnisotropy > 1) that cuemu does not match bit for bit yet.
//
// Levels of detail are read from textures whose level L holds the constant L, sampled with
// point filtering inside the level and linear filtering between levels: the result is the level
// of detail itself in 1/256 (L + f/256). Cases come from a fixed pseudo-random generator.
// Results are printed as hex bits: the golden file records what an H100 returns, bit for bit.
// With TEXTURES_GRAD_DENSE=1 the program runs many more cases, among them ones cuemu only
// approximates (anisotropic filtering), and prints each case's inputs with its outputs: the
// data the rules in src/exec/texture.rs were fitted to, not a test.
//
// Build: nvcc -o textures_grad textures_grad.cu -lcuda
#define TEX_DUMP_ENV "TEXTURES_GRAD_DUMP"
#include "tex_common.h"

// ---------------------------------------------------------------- level of detail
static const char* GRAD_ENTRIES[][2] = {
    {"grad1", "tex.grad.1d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10}], {%f12}, {%f13};\n"
              "  mov.b32 %r20, %f20;"},
    {"grad2", "tex.grad.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}], {%f12, %f13}, {%f14, %f15};\n"
              "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"grad3", "tex.grad.3d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f30, %f30, %f30, %f30}], {%f10, %f11, %f12, %f12}, "
              "{%f13, %f14, %f15, %f15};\n"
              "  mov.b32 %r20, %f20;"},
    {"lvl1", "tex.level.1d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10}], %f12;\n"
             "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"lvl2", "tex.level.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}], %f12;\n"
             "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"lvl3", "tex.level.3d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11, %f12, %f12}], %f13;\n"
             "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"tex2", "tex.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}];\n"
             "  mov.b32 %r20, %f20;"},
};

// a random texel-space vector of length in [lo, hi] (log-uniform), any direction
static void rnd_vec(float lo, float hi, int dims, float* v) {
  float len = exp2f(rnd_range(log2f(lo), log2f(hi)));
  if (dims == 1) {
    v[0] = (rnd() & 1) ? len : -len;
    return;
  }
  float n = 0;
  do {
    n = 0;
    for (int k = 0; k < dims; ++k) {
      v[k] = rnd_range(-1, 1);
      n += v[k] * v[k];
    }
  } while (n < 0.01f || n > 1);
  n = sqrtf(n);
  for (int k = 0; k < dims; ++k) v[k] = v[k] / n * len;
  if (rnd() % 8 == 0) v[rnd() % dims] = 0;  // some on a plane or an axis
}

static void lod_tests(CUmodule m) {
  printf("== level of detail\n");
  int scale = g_dense ? 8 : 1;
  // 2D: 1024 x 1024, 11 levels; gradients given in texels / 1024
  CUmipmappedArray c2 = const_mip(1024, 1024, 0, 11);
  CUmipmappedArray c2r = const_mip(1024, 256, 0, 11);
  CUtexObject t2 = make_tex(c2, nullptr, CU_TR_FILTER_MODE_POINT, CU_TR_FILTER_MODE_LINEAR, 0);
  CUtexObject t2r = make_tex(c2r, nullptr, CU_TR_FILTER_MODE_POINT, CU_TR_FILTER_MODE_LINEAR, 0);
  const float s2 = 1.0f / 1024;
  CUmipmappedArray c1 = const_mip(4096, 0, 0, 13);
  CUtexObject t1 = make_tex(c1, nullptr, CU_TR_FILTER_MODE_POINT, CU_TR_FILTER_MODE_LINEAR, 0);
  CUmipmappedArray c3 = const_mip(128, 128, 128, 8);
  CUtexObject t3 = make_tex(c3, nullptr, CU_TR_FILTER_MODE_POINT, CU_TR_FILTER_MODE_LINEAR, 0);
  {
    // the log2 table: one 1D gradient at the start and in the middle of each of the 256
    // mantissa intervals of 1/256, at two exponents
    std::vector<Rec> in;
    for (int e : {4, 9})
      for (int k = 0; k < 256; ++k)
        for (float h : {0.0f, 0.5f}) in.push_back(recf(0.5f, 0, ldexpf(1 + (k + h) / 256, e) / 4096, 0));
    print_recs("tab", in, run(m, "grad1", t1, in), 4, 1, 8);
  }
  {
    // axis-aligned pairs: dPdx along x, dPdy along y, each 1 .. 256 texels (2D, and the same on
    // 1024 x 256 where y counts a quarter); 3D: one gradient along each axis
    std::vector<Rec> in;
    for (int i = 0; i < 96; ++i) {
      float p = exp2f(rnd_range(0, 8)), q = exp2f(rnd_range(0, 8));
      if (i % 3 == 0) q = p * (1 + (rnd() % 64) / 512.0f);
      in.push_back(recf(0.5f, 0.5f, p * s2, 0, 0, q * s2));
    }
    print_recs("orth", in, run(m, "grad2", t2, in), 6, 1, 8);
    print_recs("orth1024x256", in, run(m, "grad2", t2r, in), 6, 1, 8);
    std::vector<Rec> in3;
    for (int i = 0; i < 48; ++i) {
      float v[3] = {0, 0, 0}, w[3] = {0, 0, 0};
      v[i % 3] = exp2f(rnd_range(0, 6)) / 128;
      w[(i % 3 + 1 + (i / 3) % 2) % 3] = exp2f(rnd_range(0, 6)) / 128;  // another axis
      in3.push_back(recf(v[0], v[1], v[2], w[0], w[1], w[2]));
    }
    print_recs("axis3d", in3, run(m, "grad3", t3, in3), 6, 1, 8);
  }
  {
    // 1D pairs a, b whose footprint diagonal 11/16 (|a| + |b|) is longer than both or close
    // (the components' 10-bit truncation and the (11 m + 4) / 16 rounding decide the last
    // 1/256), single 2D vectors in any direction (max + 11/32 mid on 10-bit components) and
    // pairs of them
    std::vector<Rec> in;
    for (int i = 0; i < 96; ++i) {
      float a = exp2f(rnd_range(1, 11)), b = a * rnd_range(0.3f, 1.0f);
      if (rnd() & 1) a = -a;
      if (rnd() & 1) b = -b;
      if (i % 2) std::swap(a, b);
      in.push_back(recf(0.5f, 0, a / 4096, b / 4096));
    }
    print_recs("sum1d", in, run(m, "grad1", t1, in), 4, 1, 8);
    std::vector<Rec> in2;
    for (int i = 0; i < 96; ++i) {
      float v[2];
      rnd_vec(1, 512, 2, v);
      if (i % 2) in2.push_back(recf(0.5f, 0.5f, v[0] * s2, v[1] * s2, 0, 0));
      else in2.push_back(recf(0.5f, 0.5f, 0, 0, v[0] * s2, v[1] * s2));
    }
    print_recs("vec2d", in2, run(m, "grad2", t2, in2), 6, 1, 8);
    // pairs of 2D vectors in any direction (the diagonals' 11/16 max + 121/512 mid), also on
    // 1024 x 256
    std::vector<Rec> in3;
    for (int i = 0; i < 96; ++i) {
      float a[2], b[2];
      rnd_vec(2, 512, 2, a);
      rnd_vec(2, 512, 2, b);
      in3.push_back(recf(0.5f, 0.5f, a[0] * s2, a[1] * s2, b[0] * s2, b[1] * s2));
    }
    print_recs("pairs2d", in3, run(m, "grad2", t2, in3), 6, 1, 8);
    print_recs("pairs2d_1024x256", in3, run(m, "grad2", t2r, in3), 6, 1, 8);
  }
  if (g_dense) {
    {
      // one vector of 16 texels turning through a quarter circle (dy 0, then dy the vector and dx 0)
      std::vector<Rec> in;
      int steps = 64 * scale;
      for (int k = 0; k <= steps; ++k) {
        double a = k * (M_PI / 2) / steps;
        float x = (float)(16 * cos(a)), y = (float)(16 * sin(a));
        in.push_back(recf(0.5f, 0.5f, x * s2, y * s2, 0, 0));
        in.push_back(recf(0.5f, 0.5f, 0, 0, -y * s2, x * s2));
      }
      print_recs("circle16", in, run(m, "grad2", t2, in), 6, 1, 8);
    }
    {
      // components on a grid: x = 16 (1 + i/n), y = x * j/32
      std::vector<Rec> in;
      int n = 128;
      for (int i = 0; i < n; ++i)
        for (int j = 0; j <= 32; ++j) {
          float x = 16.0f * (1.0f + (float)i / n);
          float y = x * j / 32.0f;
          in.push_back(recf(0.5f, 0.5f, x * s2, y * s2, 0, 0));
        }
      print_recs("grid", in, run(m, "grad2", t2, in), 6, 1, 8);
    }
    {
      // dPdy at angle phi from dPdx = (16, 0), r times as long; then the pair turned by 30 degrees
      std::vector<Rec> in;
      for (int rot = 0; rot < 2; ++rot)
        for (float r : {1.0f, 0.75f, 0.5f, 0.25f})
          for (int deg = 0; deg <= 180; ++deg) {
            double ph = deg * M_PI / 180, ps = rot * M_PI / 6;
            float x0 = (float)(16 * cos(ps)), y0 = (float)(16 * sin(ps));
            float x1 = (float)(16 * r * cos(ph + ps)), y1 = (float)(16 * r * sin(ph + ps));
            in.push_back(recf(0.5f, 0.5f, x0 * s2, y0 * s2, x1 * s2, y1 * s2));
          }
      print_recs("ang", in, run(m, "grad2", t2, in), 6, 1, 8);
    }
    {
      // random pairs of vectors in any direction, 2 .. 512 texels
      std::vector<Rec> in;
      for (int i = 0; i < 512 * scale; ++i) {
        float a[2], b[2];
        rnd_vec(2, 512, 2, a);
        if (rnd() % 2)
          rnd_vec(2, 512, 2, b);
        else
          rnd_vec(2, 8, 2, b);
        in.push_back(recf(0.5f, 0.5f, a[0] * s2, a[1] * s2, b[0] * s2, b[1] * s2));
      }
      print_recs("pairs", in, run(m, "grad2", t2, in), 6, 1, 8);
      // the same on a 1024 x 256 texture (its y gradients count a quarter)
      print_recs("pairs1024x256", in, run(m, "grad2", t2r, in), 6, 1, 8);
    }
    {
      // 1D: 4096 wide, 13 levels
      std::vector<Rec> in;
      for (int i = 0; i < 256 * scale; ++i) {
        float a, b;
        rnd_vec(2, 2048, 1, &a);
        rnd_vec(2, 2048, 1, &b);
        if (i % 4 == 0) b = 0;
        in.push_back(recf(0.5f, 0, a / 4096, b / 4096));
      }
      print_recs("grad1d", in, run(m, "grad1", t1, in), 4, 1, 8);
    }
    {
      // 3D: 128^3, 8 levels
      std::vector<Rec> in;
      for (int i = 0; i < 512 * scale; ++i) {
        float a[3], b[3];
        rnd_vec(2, 64, 3, a);
        if (rnd() % 2)
          rnd_vec(2, 64, 3, b);
        else
          b[0] = b[1] = b[2] = 0;
        in.push_back(recf(a[0] / 128, a[1] / 128, a[2] / 128, b[0] / 128, b[1] / 128, b[2] / 128));
      }
      print_recs("grad3d", in, run(m, "grad3", t3, in), 6, 1, 8);
    }
    // anisotropic filtering: the level of detail for maxAnisotropy 1 .. 16
    for (unsigned an : {1u, 2u, 4u, 8u, 16u}) {
      CUtexObject ta = make_tex(c2, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, an);
      std::vector<Rec> in;
      for (int i = 0; i < 256 * scale; ++i) {
        float a[2], b[2];
        rnd_vec(8, 512, 2, a);
        float ratio = exp2f(rnd_range(0, 6));
        float len = sqrtf(a[0] * a[0] + a[1] * a[1]) / ratio;
        // b roughly perpendicular to a, shorter by the ratio
        float tw = rnd_range(-0.3f, 0.3f);
        b[0] = (-a[1] + tw * a[0]) / sqrtf(a[0] * a[0] + a[1] * a[1]) * len;
        b[1] = (a[0] + tw * a[1]) / sqrtf(a[0] * a[0] + a[1] * a[1]) * len;
        if (i % 2) in.push_back(recf(0.5f, 0.5f, a[0] * s2, a[1] * s2, b[0] * s2, b[1] * s2));
        else in.push_back(recf(0.5f, 0.5f, b[0] * s2, b[1] * s2, a[0] * s2, a[1] * s2));
      }
      // axis-aligned and 30-degree ellipses of ratio 2^(k/16), minor axis 16 texels
      for (int rot = 0; rot < 2; ++rot)
        for (int k = 0; k <= 96; ++k) {
          double ps = rot * M_PI / 6;
          float A = 16 * exp2f(k / 16.0f);
          in.push_back(recf(0.5f, 0.5f, (float)(A * cos(ps)) * s2, (float)(A * sin(ps)) * s2, (float)(-16 * sin(ps)) * s2,
                            (float)(16 * cos(ps)) * s2));
        }
      std::string l = "aniso" + std::to_string(an);
      print_recs(l.c_str(), in, run(m, "grad2", ta, in), 6, 1, 8);
      DK(cuTexObjectDestroy(ta));
    }
  }
  DK(cuTexObjectDestroy(t1));
  DK(cuMipmappedArrayDestroy(c1));
  DK(cuTexObjectDestroy(t3));
  DK(cuMipmappedArrayDestroy(c3));
  DK(cuTexObjectDestroy(t2));
  DK(cuTexObjectDestroy(t2r));
  DK(cuMipmappedArrayDestroy(c2));
  DK(cuMipmappedArrayDestroy(c2r));
}

// ---------------------------------------------------------------- anisotropic probes
// Level 0 of a 64 x 64 float texture is 0 except texel (32, 32) = 1 (other levels 0): a sample's
// value is the weight the footprint gives that texel.
static void aniso_probes(CUmodule m) {
  printf("== anisotropic footprint\n");
  CUmipmappedArray d = mip_array(64, 64, 0, CU_AD_FORMAT_FLOAT, 1, 7,
                                 [](unsigned l, std::vector<unsigned char>& b, size_t w, size_t, size_t) {
                                   memset(b.data(), 0, b.size());
                                   if (l == 0) {
                                     float one = 1.0f;
                                     memcpy(&b[(32 * w + 32) * 4], &one, 4);
                                   }
                                 });
  CUtexObject t = make_tex(d, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, 16);
  const float majors_dense[] = {1.5f, 2, 3, 4, 6, 8, 16};
  const float majors[] = {2, 4};
  int nmaj = g_dense ? 7 : 2;
  int span = g_dense ? 160 : 48;  // positions ±span/16 texels
  for (int diag = 0; diag < 2; ++diag)
    for (int mi = 0; mi < nmaj; ++mi) {
      float A = g_dense ? majors_dense[mi] : majors[mi];
      std::vector<Rec> in;
      for (int t4 = 0; t4 < (g_dense ? 3 : 1); ++t4)
        for (int s = -span; s <= span; ++s) {
          float o = s / 16.0f, p = t4 / 4.0f;
          float x, y, dx0, dx1, dy0, dy1;
          if (!diag) {
            x = 32.5f + o, y = 32.5f + p;
            dx0 = A, dx1 = 0, dy0 = 0, dy1 = 1;
          } else {
            x = 32.5f + o * 0.70710678f - p * 0.70710678f, y = 32.5f + o * 0.70710678f + p * 0.70710678f;
            dx0 = A * 0.70710678f, dx1 = A * 0.70710678f, dy0 = -0.70710678f, dy1 = 0.70710678f;
          }
          in.push_back(recf(x / 64, y / 64, dx0 / 64, dx1 / 64, dy0 / 64, dy1 / 64));
        }
      std::string l = std::string(diag ? "diag" : "axis") + std::to_string((int)(A * 2)) + "h";
      print_recs(l.c_str(), in, run(m, "grad2", t, in), 6, 1, 8);
    }
  DK(cuTexObjectDestroy(t));
  DK(cuMipmappedArrayDestroy(d));
}

// ---------------------------------------------------------------- trilinear
static void trilinear(CUmodule m) {
  printf("== trilinear\n");
  // texels from fill_rand_f4, fill_rand_h4, fill_rand_bytes (tex_common.h)
  struct T {
    const char* name;
    int dims;
    CUarray_format f;
    unsigned levels;
  } ts[] = {
      {"f32_2d", 2, CU_AD_FORMAT_FLOAT, 7},          {"f16_2d", 2, CU_AD_FORMAT_HALF, 7},
      {"u8_2d", 2, CU_AD_FORMAT_UNSIGNED_INT8, 7},   {"s8_2d", 2, CU_AD_FORMAT_SIGNED_INT8, 7},
      {"u16_2d", 2, CU_AD_FORMAT_UNSIGNED_INT16, 7}, {"f32_1d", 1, CU_AD_FORMAT_FLOAT, 7},
      {"u8_1d", 1, CU_AD_FORMAT_UNSIGNED_INT8, 7},   {"f32_3d", 3, CU_AD_FORMAT_FLOAT, 5},
      {"u8_3d", 3, CU_AD_FORMAT_UNSIGNED_INT8, 5},
  };
  for (auto& tc : ts) {
    size_t w = 64, h = tc.dims >= 2 ? (tc.dims == 3 ? 16 : 64) : 0, dd = tc.dims == 3 ? 16 : 0;
    if (tc.dims == 3) w = 16;
    CUmipmappedArray mm;
    if (tc.f == CU_AD_FORMAT_FLOAT)
      mm = mip_array(w, h, dd, tc.f, 4, tc.levels, fill_rand_f4);
    else if (tc.f == CU_AD_FORMAT_HALF)
      mm = mip_array(w, h, dd, tc.f, 4, tc.levels, fill_rand_h4);
    else if (tc.f == CU_AD_FORMAT_UNSIGNED_INT16 )
      mm = mip_array(w, h, dd, tc.f, 2, tc.levels, fill_rand_bytes);
    else
      mm = mip_array(w, h, dd, tc.f, 4, tc.levels, fill_rand_bytes);
    CUtexObject t = make_tex(mm, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 0,
                             CU_TRSF_NORMALIZED_COORDINATES, CU_TR_ADDRESS_MODE_WRAP);
    std::vector<Rec> in;
    for (int i = 0; i < (g_dense ? 2048 : 128); ++i) {
      float lod = rnd_range(-0.25f, tc.levels - 0.75f);
      if (i % 16 == 0) lod = floorf(lod);
      float x = rnd_range(-0.2f, 1.2f), y = rnd_range(-0.2f, 1.2f), z = rnd_range(-0.2f, 1.2f);
      if (tc.dims == 1)
        in.push_back(recf(x, 0, lod));
      else if (tc.dims == 2)
        in.push_back(recf(x, y, lod));
      else
        in.push_back(recf(x, y, z, lod));
    }
    const char* e = tc.dims == 1 ? "lvl1" : tc.dims == 2 ? "lvl2" : "lvl3";
    print_recs((std::string("tri.") + tc.name).c_str(), in, run(m, e, t, in), 4, 4, 2);
    DK(cuTexObjectDestroy(t));
    // the same texture through the texel data (dense mode: for fitting)
    if (g_dense) {
      for (unsigned l = 0; l < tc.levels; ++l) {
        CUarray a = nullptr;
        DK(cuMipmappedArrayGetLevel(&a, mm, l));
        CUDA_ARRAY3D_DESCRIPTOR q;
        DK(cuArray3DGetDescriptor(&q, a));
        unsigned esz = (tc.f == CU_AD_FORMAT_FLOAT ? 4 : tc.f == CU_AD_FORMAT_HALF ? 2 : tc.f == CU_AD_FORMAT_UNSIGNED_INT16 ? 2 : 1) *
                       q.NumChannels;
        size_t lh = q.Height ? q.Height : 1, ld = q.Depth ? q.Depth : 1;
        std::vector<unsigned char> b(q.Width * lh * ld * esz);
        CUDA_MEMCPY3D c;
        memset(&c, 0, sizeof c);
        c.srcMemoryType = CU_MEMORYTYPE_ARRAY;
        c.srcArray = a;
        c.dstMemoryType = CU_MEMORYTYPE_HOST;
        c.dstHost = b.data();
        c.dstPitch = q.Width * esz;
        c.dstHeight = lh;
        c.WidthInBytes = q.Width * esz;
        c.Height = lh;
        c.Depth = ld;
        DK(cuMemcpy3D(&c));
        printf("T %s %u %zu %zu %zu %u", tc.name, l, (size_t)q.Width, lh, ld, esz);
        for (size_t i = 0; i < b.size(); ++i) printf("%s%02x", i % esz ? "" : " ", b[i]);
        printf("\n");
      }
    }
    DK(cuMipmappedArrayDestroy(mm));
  }
}

// ---------------------------------------------------------------- bilinear
// 2D linear filtering without mipmaps of 8-bit signed, 8-bit unsigned and float texels (32 x 32,
// one channel, unnormalized coordinates) at chosen weights: one third of the samples have the
// x weight 128/256 and an odd y weight, where rounding each product of per-axis weights would
// give four ties and 258/256 in all; the H100 splits 256 as its trilinear tree does.
static void bilinear(CUmodule m) {
  printf("== bilinear\n");
  struct F {
    const char* name;
    CUarray_format f;
    unsigned bytes;
  } fs[] = {{"s8", CU_AD_FORMAT_SIGNED_INT8, 1}, {"u8", CU_AD_FORMAT_UNSIGNED_INT8, 1}, {"f32", CU_AD_FORMAT_FLOAT, 4}};
  for (auto& fc : fs) {
    CUDA_ARRAY_DESCRIPTOR ad;
    memset(&ad, 0, sizeof ad);
    ad.Width = 32;
    ad.Height = 32;
    ad.Format = fc.f;
    ad.NumChannels = 1;
    CUarray arr = nullptr;
    DK(cuArrayCreate(&arr, &ad));
    std::vector<unsigned char> b(32 * 32 * fc.bytes);
    for (size_t i = 0; i < b.size(); i += fc.bytes) {
      if (fc.f == CU_AD_FORMAT_FLOAT) {
        float v = rnd_range(-1, 1);
        memcpy(&b[i], &v, 4);
      } else {
        b[i] = (unsigned char)rnd();
      }
    }
    CUDA_MEMCPY2D c;
    memset(&c, 0, sizeof c);
    c.srcMemoryType = CU_MEMORYTYPE_HOST;
    c.srcHost = b.data();
    c.srcPitch = 32 * fc.bytes;
    c.dstMemoryType = CU_MEMORYTYPE_ARRAY;
    c.dstArray = arr;
    c.WidthInBytes = 32 * fc.bytes;
    c.Height = 32;
    if (arr) DK(cuMemcpy2D(&c));
    CUtexObject t = make_tex(nullptr, arr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, 0, 0);
    std::vector<Rec> in;
    for (int i = 0; i < 192; ++i) {
      unsigned wx = rnd() % 256, wy = rnd() % 256;
      if (i % 3 == 0) wx = 128, wy = 2 * (rnd() % 128) + 1;
      float x = 1 + rnd() % 30 + 0.5f + wx / 256.0f, y = 1 + rnd() % 30 + 0.5f + wy / 256.0f;
      in.push_back(recf(x, y));
    }
    print_recs((std::string("bil.") + fc.name).c_str(), in, run(m, "tex2", t, in), 2, 1, 8);
    DK(cuTexObjectDestroy(t));
    if (arr) DK(cuArrayDestroy(arr));
  }
}

int main() {
  g_dense = getenv("TEXTURES_GRAD_DENSE") != nullptr;
  CK(cudaFree(0));  // the primary context, current for the driver API calls too
  std::string ents;
  for (auto& e : GRAD_ENTRIES) ents += entry(e[0], e[1]);
  CUmodule m = load("grad", ents);
  lod_tests(m);
  if (g_dense) aniso_probes(m);
  trilinear(m);
  bilinear(m);
  if (m) DK(cuModuleUnload(m));
  cudaError_t e = cudaDeviceSynchronize();
  printf("final: %s\n", cudaGetErrorName(e));
  if (e != cudaSuccess) ++g_failures;
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
