// textures_cube.cu — cubemap sampling near the faces' edges and corners, the rules
// src/exec/texture.rs's module doc records (fitted by helper cube with the probes
// tests/programs/probes/cubeprobe.cu and cubelod.cu, whose cases and inputs this program repeats):
// which face a direction reads, the clamp and wrap address modes on the face, point filtering,
// CU_TRSF_SEAMLESS_CUBEMAP (linear filtering reading the neighbouring faces' texels), tex.grad.cube's
// gradients turned into moves on the face (the level of detail of gradients that leave the face) and
// anisotropic footprints that leave the face.
//
// Part 1, weights: a 16 x 16 float4 cubemap with 5 levels, all zero but for one texel per channel set
// to 1, four texels at a time over every texel of every face and level; a sample's output channel
// is then the weight its footprint gives that texel. Each sample prints one line with, per texture
// configuration, the texels it reads and their weights: `lfxy:w` (level, face, x, y as hex digits,
// the weight's f32 bits). Sample sets:
//  L   tex.level.cube at levels 0 … 4, 0.5, 1.5 (1467 samples): sweeps over face +x's left edge,
//      top edge and corner at texel centres and off them, and random directions near any edge or
//      corner of any face; configurations lin (linear filtering, linear mipmap filtering, clamp),
//      wrap (the same with wrap), seam (clamp with CU_TRSF_SEAMLESS_CUBEMAP), ptf (point filtering)
//  G1  tex.grad.cube, maxAnisotropy 1 (400 samples): isotropic gradients of 1 … 11 texels near the
//      edges, moves on the face or random 3D gradients; lin (linear mipmap filtering), pt (point
//      mipmap filtering), seam (linear, seamless)
//  GA  tex.grad.cube, anisotropic (500 samples): footprints of 1.4 … 45 x 0.7 … 2.8 texels near the
//      edges, the major axis across the edge (index % 3 == 0), along it (1) or in any direction (2);
//      an16 (maxAnisotropy 16, linear mipmap filtering), an16pt (point mipmap filtering), an4
//      (maxAnisotropy 4, linear), an16seam and an16ptseam (the same with the seamless flag)
// Part 2, level of detail: constant-level float cubemaps of 256² and 16² (level L holds L), linear
// mipmap filtering, maxAnisotropy 1, tex.grad.cube: the output is the level of detail (L + f/256).
// A: p near face +x's edge, p + dPdx on face +z 0.25 … 200 texels past it, scaled by 0.7, 1, 1.5;
// B: the same within the face; C: random directions near any edge, random neighbouring points.
// Printed as the output's x bits, 16 samples a line (y, z, w appended as /y/z/w if not all zero).
//
// Left out (printed as `-`): the anisotropic samples cuemu does not match yet, listed in *_SKIP
// per configuration: with the seamless flag two footprints whose probes reach deep past a corner
// (365, 431, in an16seam and an16ptseam). Everything else the probes measured is here; cuemu
// matched it bit for bit (checked against the probes' H100 outputs before this program's golden
// was recorded). Until 2026-11-27 46 of the 500 were left out (30, 5, 29, 32, 7 per
// configuration: rotated footprints and linear-mipmap blends 1/1024 off in a few weights); the
// 2D rules fitted that day (rotated pairs from the reciprocal table, the clamp address mode on
// every probe, the weight unit, the running grid of float sums) made all of them exact.
//
// Results are printed as hex bits: the golden file records what an H100 returns, bit for bit.
// With TEXTURES_CUBE_INPUTS=1 each sample's inputs are printed first (lines `I set idx` + the 10
// words of direction, dPdx, dPdy, level; not part of the golden).
//
// Build: nvcc -o textures_cube textures_cube.cu -lcuda
#define TEX_DUMP_ENV "TEXTURES_CUBE_DUMP"
#include "tex_cube.h"
#include <algorithm>

static bool g_inputs = false;
static void print_inputs(const char* set, const std::vector<R16>& in) {
  if (!g_inputs) return;
  for (size_t i = 0; i < in.size(); ++i) {
    printf("I %s %zu", set, i);
    for (int w = 0; w < 10; ++w) printf(" %08x", in[i].v[w]);
    printf("\n");
  }
}

// ---------------------------------------------------------------- part 1: weights
const int W = 16, LEVELS = 5;
// a face-plane move (du, dv in level-0 texels) as a 3D gradient at a direction on face f (ma = 1)
static void fgrad(int f, float du, float dv, float* g) {
  float p0[3], p1[3];
  dir(f, 0, 0, W, p0);
  dir(f, du, dv, W, p1);
  for (int k = 0; k < 3; ++k) g[k] = p1[k] - p0[k];
}
struct Job { const char* name; int cfg; const char* entry; const std::vector<int>* skip; };
// the anisotropic samples cuemu does not match yet (see the header), per configuration
static const std::vector<int> GA16_LIN_SKIP = {};
static const std::vector<int> GA16_PT_SKIP = {};
static const std::vector<int> GA4_LIN_SKIP = {};
static const std::vector<int> GA16_SEAM_SKIP = {365, 431};
static const std::vector<int> GA16_PT_SEAM_SKIP = {365, 431};

static void weight_tests(CUmodule m) {
  printf("== weights\n");
  CUDA_ARRAY3D_DESCRIPTOR ad;
  memset(&ad, 0, sizeof ad);
  ad.Width = W; ad.Height = W; ad.Depth = 6; ad.Format = CU_AD_FORMAT_FLOAT; ad.NumChannels = 4;
  ad.Flags = CUDA_ARRAY3D_CUBEMAP;
  CUmipmappedArray mm = nullptr;
  DK(cuMipmappedArrayCreate(&mm, &ad, LEVELS));
  CUarray lv[LEVELS];
  for (int l = 0; l < LEVELS; ++l) {
    DK(cuMipmappedArrayGetLevel(&lv[l], mm, l));
    int w = W >> l;
    std::vector<float> z(w * w * 6 * 4, 0.0f);
    CUDA_MEMCPY3D c; memset(&c, 0, sizeof c);
    c.srcMemoryType = CU_MEMORYTYPE_HOST; c.srcHost = z.data(); c.srcPitch = w * 16; c.srcHeight = w;
    c.dstMemoryType = CU_MEMORYTYPE_ARRAY; c.dstArray = lv[l]; c.WidthInBytes = w * 16; c.Height = w; c.Depth = 6;
    DK(cuMemcpy3D(&c));
  }
  auto put = [&](int l, int f, int x, int y, int ch, float val) {
    float e[4] = {0, 0, 0, 0};
    if (ch >= 0) e[ch] = val;
    CUDA_MEMCPY3D c; memset(&c, 0, sizeof c);
    c.srcMemoryType = CU_MEMORYTYPE_HOST; c.srcHost = e; c.srcPitch = 16; c.srcHeight = 1;
    c.dstMemoryType = CU_MEMORYTYPE_ARRAY; c.dstArray = lv[l]; c.dstXInBytes = x * 16; c.dstY = y; c.dstZ = f;
    c.WidthInBytes = 16; c.Height = 1; c.Depth = 1;
    DK(cuMemcpy3D(&c));
  };
  struct Cfg { CUfilter_mode f, mip; unsigned an; unsigned flags; CUaddress_mode am; };
  const unsigned N = CU_TRSF_NORMALIZED_COORDINATES, SEAM = CU_TRSF_SEAMLESS_CUBEMAP;
  Cfg cfgs[] = {
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 1, N, CU_TR_ADDRESS_MODE_CLAMP},         // 0
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, 1, N, CU_TR_ADDRESS_MODE_CLAMP},          // 1
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 16, N, CU_TR_ADDRESS_MODE_CLAMP},        // 2
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, 16, N, CU_TR_ADDRESS_MODE_CLAMP},         // 3
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 4, N, CU_TR_ADDRESS_MODE_CLAMP},         // 4
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 1, N, CU_TR_ADDRESS_MODE_WRAP},          // 5
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 1, N | SEAM, CU_TR_ADDRESS_MODE_CLAMP},  // 6
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 16, N | SEAM, CU_TR_ADDRESS_MODE_CLAMP}, // 7
      {CU_TR_FILTER_MODE_POINT, CU_TR_FILTER_MODE_LINEAR, 1, N, CU_TR_ADDRESS_MODE_CLAMP},          // 8
      {CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_POINT, 16, N | SEAM, CU_TR_ADDRESS_MODE_CLAMP},  // 9
  };
  const int NC = sizeof cfgs / sizeof cfgs[0];
  CUtexObject tex[NC];
  for (int i = 0; i < NC; ++i) {
    CUresult r;
    tex[i] = make_tex(mm, nullptr, cfgs[i].f, cfgs[i].mip, cfgs[i].an, cfgs[i].flags, cfgs[i].am, &r);
    printf("cfg %d -> %s\n", i, cu_name(r));
  }
  // sample sets (the same as cubeprobe.cu's, in the same order from the same generator)
  std::vector<R16> L, G1, GA;
  float p[3], g[3], h[3];
  // L: tex.level at levels 0..4 (and 0.5, 1.5): sweeps across face 0's left edge (u = 0, into face 4),
  // its top edge (v = 0, into face 2), the corner (0, 0), at texel centres and off them
  float lods[] = {0, 1, 2, 3, 4, 0.5f, 1.5f};
  for (float lod : lods) {
    float t = exp2f(floorf(lod));  // the level's texel in level-0 texels
    for (int s = -12; s <= 12; ++s)
      for (float off : {0.5f, 0.3f}) {
        dir(0, s * t / 8, (5 + off) * t, W, p); L.push_back(r16(p[0], p[1], p[2], 0, 0, 0, 0, 0, 0, lod));
        dir(0, (5 + off) * t, s * t / 8, W, p); L.push_back(r16(p[0], p[1], p[2], 0, 0, 0, 0, 0, 0, lod));
      }
    for (int a = -4; a <= 4; ++a)
      for (int b = -4; b <= 4; ++b) {
        dir(0, a * t / 4 + 0.01f * t, b * t / 4 + 0.02f * t, W, p);
        L.push_back(r16(p[0], p[1], p[2], 0, 0, 0, 0, 0, 0, lod));
      }
  }
  g_rng = 0xcbcbcbcbu;
  for (int i = 0; i < 200; ++i) {  // random faces, near an edge or a corner
    int f = rnd() % 6;
    float u = rnd_range(-1.5f, 1.5f), v = rnd_range(0, W);
    if (rnd() & 1) u = W - u;
    if (i % 4 == 0) v = rnd_range(-1.5f, 1.5f);
    if (rnd() & 1) std::swap(u, v);
    dir(f, u, v, W, p);
    float lod = (rnd() % 5) + (i % 3 == 0 ? rndf() : 0);
    L.push_back(r16(p[0], p[1], p[2], 0, 0, 0, 0, 0, 0, lod));
  }
  // G1: isotropic gradients near edges (random faces), 1 .. 11 texels, any direction
  for (int i = 0; i < 400; ++i) {
    int f = rnd() % 6;
    float u = rnd_range(-2.0f, 4.0f), v = rnd_range(0, W);
    if (rnd() & 1) u = W - u;
    if (i % 4 == 0) v = rnd_range(-2.0f, 4.0f);
    if (rnd() & 1) std::swap(u, v);
    dir(f, u, v, W, p);
    float len = exp2f(rnd_range(0, 3.5f)), a = rnd_range(0, 6.2831853f);
    float r2 = rnd_range(0.6f, 1.0f);
    fgrad(f, len * cosf(a), len * sinf(a), g);
    fgrad(f, -len * r2 * sinf(a), len * r2 * cosf(a), h);
    if (i % 3 == 2)
      for (int k = 0; k < 3; ++k) g[k] = rnd_range(-1, 1) * len * 2 / W, h[k] = rnd_range(-1, 1) * len * 2 / W;
    G1.push_back(r16(p[0], p[1], p[2], g[0], g[1], g[2], h[0], h[1], h[2]));
  }
  // GA: anisotropic footprints near edges: major along or across the edge (or any direction)
  for (int i = 0; i < 500; ++i) {
    int f = (i < 200) ? 0 : rnd() % 6;
    float d = rnd_range(-1.0f, 6.0f), v = rnd_range(2, W - 2);
    float mi = exp2f(rnd_range(-0.5f, 1.5f)), ma = mi * exp2f(rnd_range(1, 4));
    int kind = i % 3;  // 0: major across the edge, 1: along it, 2: any direction
    float u = d;
    float ga[2], gb[2];
    if (kind == 0) { ga[0] = ma; ga[1] = 0; gb[0] = 0; gb[1] = mi; }
    else if (kind == 1) { ga[0] = 0; ga[1] = ma; gb[0] = mi; gb[1] = 0; }
    else {
      float a = rnd_range(0, 6.2831853f);
      ga[0] = ma * cosf(a); ga[1] = ma * sinf(a); gb[0] = -mi * sinf(a); gb[1] = mi * cosf(a);
    }
    if (i >= 200) {  // any of the four edges of the face
      int e = rnd() % 4;
      if (e & 1) u = W - u;
      if (e & 2) { std::swap(u, v); std::swap(ga[0], ga[1]); std::swap(gb[0], gb[1]); }
    }
    if (rnd() & 1) std::swap(ga, gb);
    dir(f, u, v, W, p);
    fgrad(f, ga[0], ga[1], g);
    fgrad(f, gb[0], gb[1], h);
    GA.push_back(r16(p[0], p[1], p[2], g[0], g[1], g[2], h[0], h[1], h[2]));
  }
  print_inputs("L", L);
  print_inputs("G1", G1);
  print_inputs("GA", GA);
  struct Set { const char* name; const std::vector<R16>* in; std::vector<Job> jobs; };
  std::vector<Set> sets = {
      {"L", &L, {{"lin", 0, "lc", nullptr}, {"wrap", 5, "lc", nullptr}, {"seam", 6, "lc", nullptr},
                 {"ptf", 8, "lc", nullptr}}},
      {"G1", &G1, {{"lin", 0, "gc", nullptr}, {"pt", 1, "gc", nullptr}, {"seam", 6, "gc", nullptr}}},
      {"GA", &GA, {{"an16", 2, "gc", &GA16_LIN_SKIP}, {"an16pt", 3, "gc", &GA16_PT_SKIP}, {"an4", 4, "gc", &GA4_LIN_SKIP},
                   {"an16seam", 7, "gc", &GA16_SEAM_SKIP}, {"an16ptseam", 9, "gc", &GA16_PT_SEAM_SKIP}}},
  };
  // per set, job and sample: the texels read, in the order (level, face, y, x), and their weights
  std::vector<std::vector<std::vector<std::string>>> wt(sets.size());
  std::vector<R16*> din(sets.size());
  R16* dout = nullptr;
  size_t maxn = 0;
  for (size_t s = 0; s < sets.size(); ++s) {
    size_t n = sets[s].in->size();
    maxn = std::max(maxn, n);
    CK(cudaMalloc(&din[s], n * sizeof(R16)));
    CK(cudaMemcpy(din[s], sets[s].in->data(), n * sizeof(R16), cudaMemcpyHostToDevice));
    wt[s].assign(sets[s].jobs.size(), std::vector<std::string>(n));
  }
  CK(cudaMalloc(&dout, maxn * sizeof(R16)));
  std::vector<R16> out(maxn);
  CUfunction fgc, flc;
  DK(cuModuleGetFunction(&fgc, m, "gc"));
  DK(cuModuleGetFunction(&flc, m, "lc"));
  // every texel: (level, face, x, y)
  std::vector<int> tl;
  for (int l = 0; l < LEVELS; ++l)
    for (int f = 0; f < 6; ++f)
      for (int y = 0; y < (W >> l); ++y)
        for (int x = 0; x < (W >> l); ++x) tl.push_back((l << 24) | (f << 16) | (y << 8) | x);
  char buf[40];
  for (size_t g0 = 0; g0 < tl.size(); g0 += 4) {
    int nt = (int)std::min<size_t>(4, tl.size() - g0);
    for (int c = 0; c < nt; ++c) { int t = tl[g0 + c]; put(t >> 24, (t >> 16) & 255, t & 255, (t >> 8) & 255, c, 1.0f); }
    for (size_t s = 0; s < sets.size(); ++s)
      for (size_t j = 0; j < sets[s].jobs.size(); ++j) {
        const Job& job = sets[s].jobs[j];
        unsigned n = (unsigned)sets[s].in->size();
        unsigned long long obj = tex[job.cfg];
        void* args[] = {&obj, &din[s], &dout, &n};
        CUfunction fn = strcmp(job.entry, "gc") ? flc : fgc;
        DK(cuLaunchKernel(fn, (n + 63) / 64, 1, 1, 64, 1, 1, 0, nullptr, args, nullptr));
        CK(cudaMemcpy(out.data(), dout, n * sizeof(R16), cudaMemcpyDeviceToHost));
        for (unsigned i = 0; i < n; ++i)
          for (int c = 0; c < nt; ++c)
            if (out[i].v[c]) {
              int t = tl[g0 + c];
              snprintf(buf, sizeof buf, " %x%x%x%x:%08x", t >> 24, (t >> 16) & 255, t & 255, (t >> 8) & 255,
                       out[i].v[c]);
              wt[s][j][i] += buf;
            }
      }
    for (int c = 0; c < nt; ++c) { int t = tl[g0 + c]; put(t >> 24, (t >> 16) & 255, t & 255, (t >> 8) & 255, -1, 0); }
  }
  for (size_t s = 0; s < sets.size(); ++s) {
    printf("-- %s:", sets[s].name);
    for (const Job& job : sets[s].jobs) printf(" %s", job.name);
    printf("\n");
    for (size_t i = 0; i < sets[s].in->size(); ++i) {
      printf("%s %zu", sets[s].name, i);
      for (size_t j = 0; j < sets[s].jobs.size(); ++j) {
        const Job& job = sets[s].jobs[j];
        bool skip = job.skip && std::count(job.skip->begin(), job.skip->end(), (int)i);
        printf("%s %s%s", j ? " |" : "", job.name, skip ? " -" : wt[s][j][i].c_str());
      }
      printf("\n");
    }
    CK(cudaFree(din[s]));
  }
  CK(cudaFree(dout));
  for (int i = 0; i < NC; ++i) DK(cuTexObjectDestroy(tex[i]));
  DK(cuMipmappedArrayDestroy(mm));
}

// ---------------------------------------------------------------- part 2: level of detail
static R16 r16(const float* p, const float* g, const float* h) {
  return r16(p[0], p[1], p[2], g[0], g[1], g[2], h[0], h[1], h[2]);
}
static void lod_run(CUmodule m, unsigned long long obj, const char* label, const std::vector<R16>& in) {
  print_inputs(label, in);
  std::vector<R16> out(in.size());
  CUfunction f;
  DK(cuModuleGetFunction(&f, m, "gc"));
  R16 *din, *dout;
  CK(cudaMalloc(&din, in.size() * sizeof(R16)));
  CK(cudaMalloc(&dout, in.size() * sizeof(R16)));
  CK(cudaMemcpy(din, in.data(), in.size() * sizeof(R16), cudaMemcpyHostToDevice));
  unsigned n = (unsigned)in.size();
  void* args[] = {&obj, &din, &dout, &n};
  DK(cuLaunchKernel(f, (n + 63) / 64, 1, 1, 64, 1, 1, 0, nullptr, args, nullptr));
  DK(cuCtxSynchronize());
  CK(cudaMemcpy(out.data(), dout, in.size() * sizeof(R16), cudaMemcpyDeviceToHost));
  CK(cudaFree(din));
  CK(cudaFree(dout));
  for (size_t i = 0; i < in.size(); i += 16) {
    printf("%s[%zu]", label, i);
    for (size_t j = i; j < in.size() && j < i + 16; ++j) {
      printf(" %08x", out[j].v[0]);
      if (out[j].v[1] || out[j].v[2] || out[j].v[3])
        printf("/%08x/%08x/%08x", out[j].v[1], out[j].v[2], out[j].v[3]);
    }
    printf("\n");
  }
}
static void lod_tests(CUmodule m) {
  printf("== level of detail\n");
  const float zero[3] = {0, 0, 0};
  for (int size : {256, 16}) {
    float w = (float)size;
    unsigned levels = size == 256 ? 9 : 5;
    CUDA_ARRAY3D_DESCRIPTOR ad;
    memset(&ad, 0, sizeof ad);
    ad.Width = size; ad.Height = size; ad.Depth = 6; ad.Format = CU_AD_FORMAT_FLOAT; ad.NumChannels = 1;
    ad.Flags = CUDA_ARRAY3D_CUBEMAP;
    CUmipmappedArray mm = nullptr;
    DK(cuMipmappedArrayCreate(&mm, &ad, levels));
    for (unsigned l = 0; l < levels; ++l) {
      CUarray a;
      DK(cuMipmappedArrayGetLevel(&a, mm, l));
      int lw = size >> l;
      std::vector<float> b(lw * lw * 6, (float)l);
      CUDA_MEMCPY3D c; memset(&c, 0, sizeof c);
      c.srcMemoryType = CU_MEMORYTYPE_HOST; c.srcHost = b.data(); c.srcPitch = lw * 4; c.srcHeight = lw;
      c.dstMemoryType = CU_MEMORYTYPE_ARRAY; c.dstArray = a; c.WidthInBytes = lw * 4; c.Height = lw; c.Depth = 6;
      DK(cuMemcpy3D(&c));
    }
    CUtexObject t = make_tex(mm, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 1);
    float S = size / 256.0f;
    // A: p on face 0 at u0 texels from its s = 0 edge, q = lam * (a point of face 4 e texels past that
    // edge), dPdx = q - p, dPdy = 0 (texel counts of the 256² cubemap, scaled for 16²)
    std::vector<R16> A, B, C;
    float p[3], q[3], g[3];
    for (float u0 : {0.5f, 1.0f, 2.0f, 4.0f, 8.0f, 16.0f, 32.0f, 64.0f, 100.0f})
      for (float e : {0.25f, 0.5f, 1.0f, 2.0f, 4.0f, 8.0f, 16.0f, 32.0f, 64.0f, 128.0f, 200.0f})
        for (float lam : {1.0f, 0.7f, 1.5f})
          for (float dv : {0.0f, 32.0f, 72.0f, 122.0f}) {
            dir(0, u0 * S, 128 * S, w, p);
            dir(4, w - e * S, (128 + dv) * S, w, q);
            for (int k = 0; k < 3; ++k) g[k] = lam * q[k] - p[k];
            A.push_back(r16(p, g, zero));
          }
    // B: the same within face 0
    for (float u0 : {0.5f, 4.0f, 32.0f})
      for (float e : {0.25f, 1.0f, 4.0f, 16.0f, 64.0f})
        for (float lam : {1.0f, 0.7f, 1.5f})
          for (float dv : {0.0f, 32.0f}) {
            dir(0, u0 * S, 128 * S, w, p);
            dir(0, (u0 + e) * S, (128 + dv) * S, w, q);
            for (int k = 0; k < 3; ++k) g[k] = lam * q[k] - p[k];
            B.push_back(r16(p, g, zero));
          }
    // C: any face, p within 24 texels (of 256) of an edge, q a random neighbouring point, dPdy = 0 or
    // small
    g_rng = 0x5eed0000u + size;
    for (int i = 0; i < 600; ++i) {
      int f = rnd() % 6;
      float u = rnd_range(0, 24) * S, v = rnd_range(0, w);
      if (rnd() & 1) u = w - u;
      if (rnd() & 1) std::swap(u, v);
      dir(f, u, v, w, p);
      float pv[3] = {p[0], p[1], p[2]};
      int f2 = rnd() % 6;
      float u2 = rnd_range(-0.2f, 1.2f) * w, v2 = rnd_range(-0.2f, 1.2f) * w;
      if (i % 2) { u2 = u + rnd_range(-60, 60) * S; v2 = v + rnd_range(-60, 60) * S; f2 = f; }
      dir(f2, u2, v2, w, q);
      float lam = exp2f(rnd_range(-1, 1));
      for (int k = 0; k < 3; ++k) g[k] = lam * q[k] - pv[k];
      float h[3] = {0, 0, 0};
      if (i % 3 == 0) for (int k = 0; k < 3; ++k) h[k] = rnd_range(-0.1f, 0.1f) / size;
      C.push_back(r16(pv, g, h));
    }
    char l[40];
    snprintf(l, sizeof l, "A%d", size); lod_run(m, t, l, A);
    snprintf(l, sizeof l, "B%d", size); lod_run(m, t, l, B);
    snprintf(l, sizeof l, "C%d", size); lod_run(m, t, l, C);
    DK(cuTexObjectDestroy(t));
    DK(cuMipmappedArrayDestroy(mm));
  }
}

int main() {
  g_inputs = getenv("TEXTURES_CUBE_INPUTS") != nullptr;
  CK(cudaFree(0));
  std::string ents;
  for (auto& e : CUBE_ENTRIES) ents += frame(e[0], e[1]);
  CUmodule m = load("cube", ents);
  if (!m) {
    printf("FAIL\n");
    return 1;
  }
  weight_tests(m);
  lod_tests(m);
  DK(cuModuleUnload(m));
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return 0;
}
