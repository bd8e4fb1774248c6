// cubelod.cu — a probe of the H100's level of detail of tex.grad.cube where p + dPdx lies on
// another face (helper cube; not a test, not in tests/programs.rs): constant-level float cubemaps of
// 256² and 16² (level L holds L), linear mipmap filtering, maxAnisotropy 1, so the output is the
// level of detail (l + f/256). A: p near face +x's edge, p + dPdx on face +z 0.25 … 200 texels past
// it, scaled 0.7, 1, 1.5; B: the same inside the face; C: random directions near any edge and
// random neighbouring points. Prints "D label idx inputs(9 words) : outputs(4 words)".
// Build: nvcc -arch=sm_90 -o cubelod tests/programs/probes/cubelod.cu -lcuda -I tests/programs
#define TEX_DUMP_ENV "CUBE_DUMP"
#include "tex_cube.h"
static void go(CUmodule m, unsigned long long obj, const char* label, const std::vector<R16>& in) {
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
  for (size_t i = 0; i < in.size(); ++i) {
    printf("D %s %zu", label, i);
    for (int w = 0; w < 9; ++w) printf(" %08x", in[i].v[w]);
    printf(" :");
    for (int w = 0; w < 4; ++w) printf(" %08x", out[i].v[w]);
    printf("\n");
  }
}
static float W;
int main() {
  CK(cudaFree(0));
  CUmodule m = load("cube2", frame(CUBE_ENTRIES[0][0], CUBE_ENTRIES[0][1]));  // gc: tex.grad.cube
  if (!m) return 1;
  for (int size : {256, 16}) {
    W = (float)size;
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
      int w = size >> l;
      std::vector<float> b(w * w * 6, (float)l);
      CUDA_MEMCPY3D c; memset(&c, 0, sizeof c);
      c.srcMemoryType = CU_MEMORYTYPE_HOST; c.srcHost = b.data(); c.srcPitch = w * 4; c.srcHeight = w;
      c.dstMemoryType = CU_MEMORYTYPE_ARRAY; c.dstArray = a; c.WidthInBytes = w * 4; c.Height = w; c.Depth = 6;
      DK(cuMemcpy3D(&c));
    }
    CUtexObject t = make_tex(mm, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 1);
    float S = size / 256.0f;
    // A: p on face 0 at u0 texels from its s = 0 edge, q = lam * (a point of face 4 e texels past that
    // edge, or of face 0 e texels inside it), dPdy = 0
    std::vector<R16> A, B, C;
    float p[3], q[3], g[3];
    for (float u0 : {0.5f, 1.0f, 2.0f, 4.0f, 8.0f, 16.0f, 32.0f, 64.0f, 100.0f})
      for (float e : {0.25f, 0.5f, 1.0f, 2.0f, 4.0f, 8.0f, 16.0f, 32.0f, 64.0f, 128.0f, 200.0f})
        for (float lam : {1.0f, 0.7f, 1.5f})
          for (float dv : {0.0f, 32.0f, 72.0f, 122.0f}) {
            dir(0, u0 * S, 128 * S, W, p);
            dir(4, W - e * S, (128 + dv) * S, W, q);
            for (int k = 0; k < 3; ++k) g[k] = lam * q[k] - p[k];
            A.push_back(r16(p[0], p[1], p[2], g[0], g[1], g[2], 0, 0, 0));
          }
    // B: the same inside face 0 (control)
    for (float u0 : {0.5f, 4.0f, 32.0f})
      for (float e : {0.25f, 1.0f, 4.0f, 16.0f, 64.0f})
        for (float lam : {1.0f, 0.7f, 1.5f})
          for (float dv : {0.0f, 32.0f}) {
            dir(0, u0 * S, 128 * S, W, p);
            dir(0, (u0 + e) * S, (128 + dv) * S, W, q);
            for (int k = 0; k < 3; ++k) g[k] = lam * q[k] - p[k];
            B.push_back(r16(p[0], p[1], p[2], g[0], g[1], g[2], 0, 0, 0));
          }
    // C: random: any face, p within 24 texels (of 256) of an edge, q on a random neighbouring point,
    // dPdy = 0 or small
    g_rng = 0x5eed0000u + size;
    for (int i = 0; i < 600; ++i) {
      int f = rnd() % 6;
      float u = rnd_range(0, 24) * S, v = rnd_range(0, W);
      if (rnd() & 1) u = W - u;
      if (rnd() & 1) std::swap(u, v);
      dir(f, u, v, W, p);
      float pv[3] = {p[0], p[1], p[2]};
      int f2 = rnd() % 6;
      float u2 = rnd_range(-0.2f, 1.2f) * W, v2 = rnd_range(-0.2f, 1.2f) * W;
      if (i % 2) { u2 = u + rnd_range(-60, 60) * S; v2 = v + rnd_range(-60, 60) * S; f2 = f; }
      dir(f2, u2, v2, W, q);
      float lam = exp2f(rnd_range(-1, 1));
      for (int k = 0; k < 3; ++k) g[k] = lam * q[k] - pv[k];
      float h[3] = {0, 0, 0};
      if (i % 3 == 0) for (int k = 0; k < 3; ++k) h[k] = rnd_range(-0.1f, 0.1f) / size;
      C.push_back(r16(pv[0], pv[1], pv[2], g[0], g[1], g[2], h[0], h[1], h[2]));
    }
    char l[40];
    snprintf(l, sizeof l, "A%d", size); go(m, t, l, A);
    snprintf(l, sizeof l, "B%d", size); go(m, t, l, B);
    snprintf(l, sizeof l, "C%d", size); go(m, t, l, C);
    DK(cuTexObjectDestroy(t));
    DK(cuMipmappedArrayDestroy(mm));
  }
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return 0;
}
