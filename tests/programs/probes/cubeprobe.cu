// cubeprobe.cu — a probe of the H100's cubemap filtering near the faces' edges, the data
// src/exec/texture.rs's cubemap rules were fitted to (helper cube; not a test, not in
// tests/programs.rs). A 16 x 16 float4 cubemap with 5 levels; every texel of every face and level in
// turn is set to 1 (four at a time, one per channel) and every job's samples are taken again, so a
// sample's weight for a texel is the channel's output: the whole footprint of each sample. Jobs:
//  L_*   tex.level.cube at levels 0 … 4, 0.5, 1.5: sweeps over face +x's edges and corner, random
//        directions near any edge (clamp, wrap, seamless, point filtering)
//  G1_*  tex.grad.cube, maxAnisotropy 1, isotropic gradients of 1 … 11 texels near the edges
//  GA*   tex.grad.cube, maxAnisotropy 4 and 16, footprints of 1.4 … 45 x 0.7 … 2.8 texels near the
//        edges, major axis along, across or off the face's axes (seamless too)
// Prints "I job idx inputs(10 words)" and "W job idx level face x y weight_hex" (non-zero weights).
// Build: nvcc -arch=sm_90 -o cubeprobe tests/programs/probes/cubeprobe.cu -lcuda -I tests/programs
#define TEX_DUMP_ENV "CUBE_DUMP"
#include "tex_cube.h"
#include <map>

const int W = 16, LEVELS = 5;
// a face-plane move (du, dv in level-0 texels) as a 3D gradient at a direction on face f (ma = 1)
static void fgrad(int f, float du, float dv, float* g) {
  float p0[3], p1[3];
  dir(f, 0, 0, W, p0);
  dir(f, du, dv, W, p1);
  for (int k = 0; k < 3; ++k) g[k] = p1[k] - p0[k];
}
struct Job { const char* name; int cfg; const char* entry; std::vector<R16> in; };

int main(int argc, char** argv) {
  CK(cudaFree(0));
  std::string ents;
  for (auto& e : CUBE_ENTRIES) ents += frame(e[0], e[1]);
  CUmodule m = load("cube", ents);
  if (!m) return 1;
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
  // texture configurations
  struct Cfg { CUfilter_mode f, mip; unsigned an; unsigned flags; CUaddress_mode am; };
  const unsigned N = CU_TRSF_NORMALIZED_COORDINATES, SEAM = 0x40;
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
  // sample sets
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
  // G1: isotropic gradients near edges (random faces), 1 .. 8 texels, any direction
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
    else { float a = rnd_range(0, 6.2831853f); ga[0] = ma * cosf(a); ga[1] = ma * sinf(a); gb[0] = -mi * sinf(a); gb[1] = mi * cosf(a); }
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
  std::vector<Job> jobs = {
      {"L_lin", 0, "lc", L}, {"L_wrap", 5, "lc", L}, {"L_seam", 6, "lc", L}, {"L_ptf", 8, "lc", L},
      {"G1_lin", 0, "gc", G1}, {"G1_pt", 1, "gc", G1}, {"G1_seam", 6, "gc", G1},
      {"GA16_lin", 2, "gc", GA}, {"GA16_pt", 3, "gc", GA}, {"GA4_lin", 4, "gc", GA}, {"GA16_seam", 7, "gc", GA},
      {"GA16_pt_seam", 9, "gc", GA},
  };
  if (argc > 1 && !strcmp(argv[1], "quick")) jobs.resize(1);
  for (size_t j = 0; j < jobs.size(); ++j)
    for (size_t i = 0; i < jobs[j].in.size(); ++i) {
      printf("I %s %zu", jobs[j].name, i);
      for (int w = 0; w < 10; ++w) printf(" %08x", jobs[j].in[i].v[w]);
      printf("\n");
    }
  // device buffers per job
  std::vector<R16*> din(jobs.size()), dout(jobs.size());
  std::vector<std::vector<R16>> out(jobs.size());
  for (size_t j = 0; j < jobs.size(); ++j) {
    size_t n = jobs[j].in.size();
    CK(cudaMalloc(&din[j], n * sizeof(R16)));
    CK(cudaMalloc(&dout[j], n * sizeof(R16)));
    CK(cudaMemcpy(din[j], jobs[j].in.data(), n * sizeof(R16), cudaMemcpyHostToDevice));
    out[j].resize(n);
  }
  CUfunction fn[2];
  DK(cuModuleGetFunction(&fn[0], m, "gc"));
  DK(cuModuleGetFunction(&fn[1], m, "lc"));
  // every texel: (level, face, x, y)
  std::vector<int> tl;
  for (int l = 0; l < LEVELS; ++l)
    for (int f = 0; f < 6; ++f)
      for (int y = 0; y < (W >> l); ++y)
        for (int x = 0; x < (W >> l); ++x) tl.push_back((l << 24) | (f << 16) | (y << 8) | x);
  for (size_t g0 = 0; g0 < tl.size(); g0 += 4) {
    int nt = (int)std::min<size_t>(4, tl.size() - g0);
    for (int c = 0; c < nt; ++c) { int t = tl[g0 + c]; put(t >> 24, (t >> 16) & 255, t & 255, (t >> 8) & 255, c, 1.0f); }
    for (size_t j = 0; j < jobs.size(); ++j) {
      unsigned n = (unsigned)jobs[j].in.size();
      unsigned long long obj = tex[jobs[j].cfg];
      void* args[] = {&obj, &din[j], &dout[j], &n};
      DK(cuLaunchKernel(fn[strcmp(jobs[j].entry, "gc") ? 1 : 0], (n + 63) / 64, 1, 1, 64, 1, 1, 0, nullptr, args, nullptr));
      CK(cudaMemcpy(out[j].data(), dout[j], n * sizeof(R16), cudaMemcpyDeviceToHost));
      for (unsigned i = 0; i < n; ++i)
        for (int c = 0; c < nt; ++c)
          if (out[j][i].v[c]) {
            int t = tl[g0 + c];
            printf("W %s %u %d %d %d %d %08x\n", jobs[j].name, i, t >> 24, (t >> 16) & 255, t & 255, (t >> 8) & 255, out[j][i].v[c]);
          }
    }
    for (int c = 0; c < nt; ++c) { int t = tl[g0 + c]; put(t >> 24, (t >> 16) & 255, t & 255, (t >> 8) & 255, -1, 0); }
  }
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return 0;
}
