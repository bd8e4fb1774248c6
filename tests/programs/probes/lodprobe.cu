// lodprobe.cu — a probe of the H100's level of detail, the data src/exec/texture.rs's anisotropic
// level of detail and footprint area were fitted to (not a test, not in tests/programs.rs):
//  A  anisotropic (maxAnisotropy 16) axis-aligned grids: dPdx = (B, 0), dPdy = (0, m) texels with B, m
//     exact 10-bit values, m = 8 (1 + j/512), B = 2^eB (1 + i/512), eB in {3, 4, 5, 6}; two textures
//     with mip bias 0 and 0.5 (so every fraction of the level of detail shows through the brilinear
//     blend)
//  B  anisotropic random pairs dPdx = (B, t), dPdy = (s, m), 10-bit values: one product (t or s is
//     0) or two
//  C  isotropic 3D single vectors dPdx = (a, b, c), dPdy = 0
//  D  isotropic 3D random pairs (three non-zero components each)
// Outputs are binary little-endian u32 files under argv[1]: A: per case the two outputs (bias 0,
// 0.5); B: the six input words and the two outputs; C: the output; D: the six input words, the
// output and a 0.
// Build: nvcc -arch=sm_90 -o lodprobe tests/programs/probes/lodprobe.cu -lcuda -I tests/programs
#define TEX_DUMP_ENV "LODPROBE_DUMP"
#include "tex_common.h"

static const char* ENTRIES[][2] = {
    {"grad2", "tex.grad.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}], {%f12, %f13}, {%f14, %f15};\n"
              "  mov.b32 %r20, %f20;"},
    {"grad3", "tex.grad.3d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f30, %f30, %f30, %f30}], {%f10, %f11, %f12, %f12}, "
              "{%f13, %f14, %f15, %f15};\n"
              "  mov.b32 %r20, %f20;"},
};

// linear filtering in and between levels, normalized coordinates, clamped, a level of detail bias
static CUtexObject tex_bias(CUmipmappedArray mm, unsigned aniso, float bias) {
  return make_tex(mm, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, aniso, CU_TRSF_NORMALIZED_COORDINATES,
                  CU_TR_ADDRESS_MODE_CLAMP, nullptr, 100, bias);
}

static void save(const char* dir, const char* name, const void* p, size_t n) {
  std::string path = std::string(dir) + "/" + name;
  FILE* f = fopen(path.c_str(), "wb");
  if (!f) {
    printf("FAIL open %s\n", path.c_str());
    ++g_failures;
    return;
  }
  fwrite(p, 1, n, f);
  fclose(f);
  printf("wrote %s (%zu bytes)\n", path.c_str(), n);
}

static float v10(int e, int i) { return ldexpf(1.0f + i / 512.0f, e); }  // an exact 10-bit value
static float r10(float lo_e, float hi_e) {                              // a random 10-bit value, 2^lo_e .. 2^hi_e
  int e = (int)floorf(rnd_range(lo_e, hi_e));
  return v10(e, rnd() % 512);
}

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : ".";
  g_dense = true;
  CK(cudaFree(0));
  std::string ents;
  for (auto& e : ENTRIES) ents += entry(e[0], e[1]);
  CUmodule m = load("lodprobe", ents);
  CUmipmappedArray c2 = const_mip(1024, 1024, 0, 11);
  CUtexObject tb[2] = {tex_bias(c2, 16, 0.0f), tex_bias(c2, 16, 0.5f)};
  const float S = 1024.0f;
  // A: axis grids
  {
    std::vector<Rec> in;
    for (int eB : {3, 4, 5, 6})
      for (int i = 0; i < 512; ++i)
        for (int j = 0; j < 512; ++j) in.push_back(recf(0.5f, 0.5f, v10(eB, i) / S, 0, 0, v10(3, j) / S));
    std::vector<unsigned> outw(in.size() * 2);
    for (int b = 0; b < 2; ++b) {
      std::vector<Rec> o = run(m, "grad2", tb[b], in);
      for (size_t k = 0; k < in.size(); ++k) outw[2 * k + b] = o[k].v[0];
    }
    save(dir, "A.bin", outw.data(), outw.size() * 4);
  }
  // B: random pairs, 10-bit components; kinds: t = 0 (one product, dPdy has two components),
  // both products of either sign
  {
    std::vector<Rec> in;
    for (int k = 0; k < 196608; ++k) {
      int kind = k % 3;
      float B = r10(4, 8), mm = B * exp2f(-rnd_range(0.05f, 3.9f));
      mm = v10((int)floorf(log2f(mm)), rnd() % 512);
      float t = 0, s = 0;
      if (kind >= 0) s = r10(-2, log2f(mm) - 1.5f) * ((rnd() & 1) ? 1 : -1);
      if (kind >= 1) t = r10(-2, log2f(B) - 1.5f) * ((rnd() & 1) ? 1 : -1);
      if (kind == 2) { s = 0; }
      if (rnd() & 1) B = -B;
      if (rnd() & 1) mm = -mm;
      in.push_back(recf(0.5f, 0.5f, B / S, t / S, s / S, mm / S));
    }
    std::vector<unsigned> outw(in.size() * 8);
    for (size_t k = 0; k < in.size(); ++k)
      for (int w = 0; w < 6; ++w) outw[8 * k + w] = in[k].v[w];
    for (int b = 0; b < 2; ++b) {
      std::vector<Rec> o = run(m, "grad2", tb[b], in);
      for (size_t k = 0; k < in.size(); ++k) outw[8 * k + 6 + b] = o[k].v[0];
    }
    save(dir, "B.bin", outw.data(), outw.size() * 4);
  }
  DK(cuTexObjectDestroy(tb[0]));
  DK(cuTexObjectDestroy(tb[1]));
  // C, D: 3D, 128^3, 8 levels, isotropic
  CUmipmappedArray c3 = const_mip(128, 128, 128, 8);
  CUtexObject t3 = make_tex(c3, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, 1);
  {
    // C: dPdx = (a, b, c): a = 16 (1 + i/512), i = 0, 16, ..; b = 2^eb (1 + j/512), j = 0, 32, ..,
    // eb in {2, 3}; c = 2^ec (1 + k/512), every k, ec in {0, 1, 2, 3}; the three in every order
    // is not needed (sorted by magnitude in the unit); the largest along x
    std::vector<Rec> in;
    for (int i = 0; i < 512; i += 16)
      for (int eb : {2, 3})
        for (int j = 0; j < 512; j += 32)
          for (int ec : {0, 1, 2, 3})
            for (int k = 0; k < 512; ++k) {
              float a = v10(4, i), b = v10(eb, j), c = v10(ec, k);
              in.push_back(recf(a / 128, b / 128, c / 128, 0, 0, 0));
            }
    std::vector<Rec> o = run(m, "grad3", t3, in);
    std::vector<unsigned> outw(in.size());
    for (size_t k = 0; k < in.size(); ++k) outw[k] = o[k].v[0];
    save(dir, "C.bin", outw.data(), outw.size() * 4);
  }
  {
    // D: random pairs of 3D vectors, 10-bit components, all non-zero, any signs
    std::vector<Rec> in;
    for (int k = 0; k < 131072; ++k) {
      float v[6];
      for (int w = 0; w < 6; ++w) v[w] = r10(-1, 6) * ((rnd() & 1) ? 1 : -1);
      in.push_back(recf(v[0] / 128, v[1] / 128, v[2] / 128, v[3] / 128, v[4] / 128, v[5] / 128));
    }
    std::vector<Rec> o = run(m, "grad3", t3, in);
    std::vector<unsigned> outw(in.size() * 8);
    for (size_t k = 0; k < in.size(); ++k) {
      for (int w = 0; w < 6; ++w) outw[8 * k + w] = in[k].v[w];
      outw[8 * k + 6] = o[k].v[0];
    }
    save(dir, "D.bin", outw.data(), outw.size() * 4);
  }
  DK(cuTexObjectDestroy(t3));
  if (m) DK(cuModuleUnload(m));
  cudaError_t e = cudaDeviceSynchronize();
  printf("final: %s\n", cudaGetErrorName(e));
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
