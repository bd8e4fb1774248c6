// tex_common.h — what the driver-API texture programs share (textures_grad.cu, textures_aniso.cu,
// textures_norm.cu, textures_mip.cu): error checks that count failures, a float to half
// conversion, the fixed pseudo-random generator their cases come from, the PTX frame their
// kernels are written in and the helpers that load, run and print it, texture objects over CUDA
// arrays and mipmapped arrays, and mipmapped arrays filled with constant or random texels.
//
// Not check.h's CHECK: that one exits at the first failure, these programs print a FAIL line,
// count it in g_failures and go on, so that one failure does not hide the rest of the output
// (main prints PASS or FAIL from g_failures at the end).
//
// A program defines before including it:
//   TEX_DUMP_ENV    the environment variable naming a folder where load() writes each module's
//                   PTX (for checking it with ptxas), e.g. "TEXTURES_NORM_DUMP"
//   TEX_FRAME_WIDE  (optional) entry()'s frame sets %rd10 = {%r10,%r11}, %rd11 = {%r12,%r13}
//                   instead of declaring %h0..%h7 and setting %f30 = 0.5
#pragma once
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <string>
#include <vector>
#include <cuda.h>
#include <cuda_runtime.h>

#ifndef TEX_DUMP_ENV
#error "define TEX_DUMP_ENV (the PTX dump folder's environment variable) before including tex_common.h"
#endif

static int g_failures = 0;
// dense mode (programs that have one set it from their environment variable): print_recs prints
// each case's inputs with its outputs
static bool g_dense = false;
#define CK(call)                                                                        \
  do {                                                                                  \
    cudaError_t e_ = (call);                                                            \
    if (e_ != cudaSuccess) {                                                            \
      printf("FAIL %s at line %d -> %s\n", #call, __LINE__, cudaGetErrorName(e_));      \
      ++g_failures;                                                                     \
    }                                                                                   \
  } while (0)
#define DK(call)                                                                        \
  do {                                                                                  \
    CUresult r_ = (call);                                                               \
    if (r_ != CUDA_SUCCESS) {                                                           \
      const char* n_ = "?";                                                             \
      cuGetErrorName(r_, &n_);                                                          \
      printf("FAIL %s at line %d -> %s\n", #call, __LINE__, n_);                        \
      ++g_failures;                                                                     \
    }                                                                                   \
  } while (0)

static const char* cu_name(CUresult r) {
  const char* n = "?";
  if (cuGetErrorName(r, &n) != CUDA_SUCCESS) return "unknown";
  return n;
}
static unsigned fbits(float f) {
  unsigned u;
  memcpy(&u, &f, 4);
  return u;
}

static unsigned short f2h(float f) {  // round to nearest even, finite inputs
  unsigned u = fbits(f);
  unsigned sign = (u >> 16) & 0x8000;
  int e = ((u >> 23) & 0xff) - 127 + 15;
  unsigned mant = u & 0x7fffff;
  if (e <= 0) return sign;
  unsigned h = (e << 10) | (mant >> 13);
  unsigned rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) ++h;
  return sign | h;
}

// xorshift32: the same cases on every machine
static unsigned g_rng = 0x12345678u;
static unsigned rnd() {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}
static float rndf() { return (rnd() >> 8) * (1.0f / 16777216.0f); }  // [0, 1)
static float rnd_range(float a, float b) { return a + (b - a) * rndf(); }

// ---------------------------------------------------------------- PTX modules
// Every entry has the same frame: thread i reads eight words in[8i..8i+8] into %r10..%r17
// (also as floats %f10..%f17), the body writes %r20..%r27, which go to out[8i..8i+8]. %rd1 is
// the texture or surface object; %f30 is 0.5 (with TEX_FRAME_WIDE instead %rd10 = {%r10,%r11},
// %rd11 = {%r12,%r13}).
struct Rec {
  unsigned v[8];
};

static std::string entry(const char* name, const std::string& body) {
  std::string s = ".visible .entry ";
  s += name;
  s += R"((.param .u64 obj, .param .u64 in, .param .u64 out, .param .u32 n)
{
  .reg .b32 %r<40>;
  .reg .f32 %f<40>;
  .reg .b64 %rd<20>;
  .reg .pred %p<4>;
)";
#ifndef TEX_FRAME_WIDE
  s += "  .reg .b16 %h<8>;\n";
#endif
  s += R"(  ld.param.u64 %rd1, [obj];
  ld.param.u64 %rd2, [in];
  ld.param.u64 %rd3, [out];
  ld.param.u32 %r1, [n];
  mov.u32 %r2, %tid.x;
  mov.u32 %r3, %ctaid.x;
  mov.u32 %r4, %ntid.x;
  mad.lo.u32 %r2, %r3, %r4, %r2;
  setp.ge.u32 %p1, %r2, %r1;
  @%p1 bra DONE;
  mul.wide.u32 %rd4, %r2, 32;
  add.s64 %rd5, %rd2, %rd4;
  add.s64 %rd6, %rd3, %rd4;
  ld.global.v4.b32 {%r10, %r11, %r12, %r13}, [%rd5];
  ld.global.v4.b32 {%r14, %r15, %r16, %r17}, [%rd5+16];
  mov.b32 %f10, %r10; mov.b32 %f11, %r11; mov.b32 %f12, %r12; mov.b32 %f13, %r13;
  mov.b32 %f14, %r14; mov.b32 %f15, %r15; mov.b32 %f16, %r16; mov.b32 %f17, %r17;
)";
#ifdef TEX_FRAME_WIDE
  s += "  mov.b64 %rd10, {%r10, %r11};\n  mov.b64 %rd11, {%r12, %r13};\n";
#else
  s += "  mov.f32 %f30, 0f3F000000;\n";
#endif
  s += R"(  mov.u32 %r20, 0; mov.u32 %r21, 0; mov.u32 %r22, 0; mov.u32 %r23, 0;
  mov.u32 %r24, 0; mov.u32 %r25, 0; mov.u32 %r26, 0; mov.u32 %r27, 0;
)";
  s += body;
  s += R"(
  st.global.v4.b32 [%rd6], {%r20, %r21, %r22, %r23};
  st.global.v4.b32 [%rd6+16], {%r24, %r25, %r26, %r27};
DONE:
  ret;
}
)";
  return s;
}

static std::string module_text(const std::string& entries) {
  return std::string(".version 8.1\n.target sm_75\n.address_size 64\n\n") + entries;
}

// Loads a module; prints the result code (a refusal is an answer, not a failure).
static CUmodule load(const char* what, const std::string& entries) {
  std::string text = module_text(entries);
  if (const char* dir = getenv(TEX_DUMP_ENV)) {  // for checking the PTX with ptxas
    std::string path = std::string(dir) + "/" + what + ".ptx";
    if (FILE* f = fopen(path.c_str(), "w")) {
      fputs(text.c_str(), f);
      fclose(f);
    }
  }
  CUmodule m = nullptr;
  CUresult r = cuModuleLoadData(&m, text.c_str());
  printf("load %s: %s\n", what, cu_name(r));
  return r == CUDA_SUCCESS ? m : nullptr;
}

// Runs entry `name` of `m` over `in`; returns the outputs (zeros if the launch fails, whose
// result code is printed and, with `res`, returned there).
static std::vector<Rec> run(CUmodule m, const char* name, unsigned long long obj, const std::vector<Rec>& in,
                            CUresult* res = nullptr) {
  std::vector<Rec> out(in.size());
  memset(out.data(), 0, out.size() * sizeof(Rec));
  if (!m || in.empty()) return out;
  CUfunction f;
  CUresult r = cuModuleGetFunction(&f, m, name);
  if (r != CUDA_SUCCESS) {
    printf("FAIL get %s -> %s\n", name, cu_name(r));
    ++g_failures;
    return out;
  }
  Rec *din, *dout;
  CK(cudaMalloc(&din, in.size() * sizeof(Rec)));
  CK(cudaMalloc(&dout, in.size() * sizeof(Rec)));
  CK(cudaMemcpy(din, in.data(), in.size() * sizeof(Rec), cudaMemcpyHostToDevice));
  CK(cudaMemset(dout, 0, in.size() * sizeof(Rec)));
  unsigned n = (unsigned)in.size();
  void* args[] = {&obj, &din, &dout, &n};
  r = cuLaunchKernel(f, (n + 63) / 64, 1, 1, 64, 1, 1, 0, nullptr, args, nullptr);
  if (r == CUDA_SUCCESS) r = cuCtxSynchronize();
  if (res) *res = r;
  if (r != CUDA_SUCCESS) {
    printf("launch %s: %s\n", name, cu_name(r));
  } else {
    CK(cudaMemcpy(out.data(), dout, in.size() * sizeof(Rec), cudaMemcpyDeviceToHost));
  }
  CK(cudaFree(din));
  CK(cudaFree(dout));
  return out;
}

static Rec rec(unsigned a = 0, unsigned b = 0, unsigned c = 0, unsigned d = 0, unsigned e = 0, unsigned f = 0,
               unsigned g = 0, unsigned h = 0) {
  Rec r = {{a, b, c, d, e, f, g, h}};
  return r;
}
static Rec recf(float a, float b = 0, float c = 0, float d = 0, float e = 0, float f = 0) {
  return rec(fbits(a), fbits(b), fbits(c), fbits(d), fbits(e), fbits(f));
}

// prints `k` output words of each record, `per_line` records a line
static void print_recs(const char* label, const std::vector<Rec>& out, int k, int per_line) {
  for (size_t i = 0; i < out.size(); i += per_line) {
    printf("%s[%zu]", label, i);
    for (size_t j = i; j < out.size() && j < i + per_line; ++j) {
      printf(" ");
      for (int w = 0; w < k; ++w) printf("%s%08x", w ? "." : "", out[j].v[w]);
    }
    printf("\n");
  }
}

// In dense mode, when set: which cases print_recs prints (then without their inputs) —
// textures_aniso.cu replays chosen cases of its dense mode as checked ones.
static bool (*g_keep)(const char* label, size_t i) = nullptr;

// the same, but in dense mode one case a line with its `nin` input words first
static void print_recs(const char* label, const std::vector<Rec>& in, const std::vector<Rec>& out, int nin, int k,
                       int per_line) {
  if (!g_dense) {
    print_recs(label, out, k, per_line);
    return;
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (g_keep && !g_keep(label, i)) continue;
    printf("D %s %zu", label, i);
    for (int w = 0; w < nin && !g_keep; ++w) printf(" %08x", in[i].v[w]);
    printf(" :");
    for (int w = 0; w < k; ++w) printf(" %08x", out[i].v[w]);
    printf("\n");
  }
}

// ---------------------------------------------------------------- objects
// A texture over mipmapped array `mm`, or over array `arr` when `mm` is null. A creation error is
// returned in `res`, or without it printed as a FAIL line and counted.
static CUtexObject make_tex(CUmipmappedArray mm, CUarray arr, CUfilter_mode filter, CUfilter_mode mip, unsigned aniso,
                            unsigned flags = CU_TRSF_NORMALIZED_COORDINATES, CUaddress_mode am = CU_TR_ADDRESS_MODE_CLAMP,
                            CUresult* res = nullptr, float max_level_clamp = 100, float bias = 0) {
  CUDA_RESOURCE_DESC rd;
  memset(&rd, 0, sizeof rd);
  if (mm) {
    rd.resType = CU_RESOURCE_TYPE_MIPMAPPED_ARRAY;
    rd.res.mipmap.hMipmappedArray = mm;
  } else {
    rd.resType = CU_RESOURCE_TYPE_ARRAY;
    rd.res.array.hArray = arr;
  }
  CUDA_TEXTURE_DESC td;
  memset(&td, 0, sizeof td);
  td.addressMode[0] = td.addressMode[1] = td.addressMode[2] = am;
  td.filterMode = filter;
  td.flags = flags;
  td.mipmapFilterMode = mip;
  td.maxMipmapLevelClamp = max_level_clamp;
  td.maxAnisotropy = aniso;
  td.mipmapLevelBias = bias;
  CUtexObject t = 0;
  CUresult r = cuTexObjectCreate(&t, &rd, &td, nullptr);
  if (res) {
    *res = r;
  } else if (r != CUDA_SUCCESS) {
    printf("FAIL cuTexObjectCreate -> %s\n", cu_name(r));
    ++g_failures;
  }
  return t;
}

// A mipmapped array (depth 0 for 2D, height and depth 0 for 1D; a cubemap with `flags`
// CUDA_ARRAY3D_CUBEMAP and depth 6) of `levels` levels; the bytes of level L come from
// fill(L, bytes, w, h, d).
template <class F>
static CUmipmappedArray mip_array(size_t w, size_t h, size_t d, CUarray_format f, unsigned ch, unsigned levels, F fill,
                                  unsigned flags = 0) {
  CUDA_ARRAY3D_DESCRIPTOR ad;
  memset(&ad, 0, sizeof ad);
  ad.Width = w;
  ad.Height = h;
  ad.Depth = d;
  ad.Format = f;
  ad.NumChannels = ch;
  ad.Flags = flags;
  CUmipmappedArray mm = nullptr;
  DK(cuMipmappedArrayCreate(&mm, &ad, levels));
  unsigned esz = (f == CU_AD_FORMAT_FLOAT ? 4 : f == CU_AD_FORMAT_HALF ? 2 : 1) * ch;
  for (unsigned l = 0; l < levels && mm; ++l) {
    CUarray a = nullptr;
    DK(cuMipmappedArrayGetLevel(&a, mm, l));
    size_t lw = w >> l ? w >> l : 1, lh = h ? (h >> l ? h >> l : 1) : 1, ld = d ? (d >> l ? d >> l : 1) : 1;
    if (flags & CUDA_ARRAY3D_CUBEMAP) ld = 6;
    std::vector<unsigned char> bytes(lw * lh * ld * esz);
    fill(l, bytes, lw, lh, ld);
    CUDA_MEMCPY3D c;
    memset(&c, 0, sizeof c);
    c.srcMemoryType = CU_MEMORYTYPE_HOST;
    c.srcHost = bytes.data();
    c.srcPitch = lw * esz;
    c.srcHeight = lh;
    c.dstMemoryType = CU_MEMORYTYPE_ARRAY;
    c.dstArray = a;
    c.WidthInBytes = lw * esz;
    c.Height = lh;
    c.Depth = ld;
    DK(cuMemcpy3D(&c));
  }
  return mm;
}

// level L holds L (float, one channel)
static CUmipmappedArray const_mip(size_t w, size_t h, size_t d, unsigned levels) {
  return mip_array(w, h, d, CU_AD_FORMAT_FLOAT, 1, levels,
                   [](unsigned l, std::vector<unsigned char>& b, size_t, size_t, size_t) {
                     float v = (float)l;
                     for (size_t i = 0; i < b.size(); i += 4) memcpy(&b[i], &v, 4);
                   });
}

// mip_array fillers with random texels, from rnd(): float4 texels whose channel k is in [0,1),
// signed with exponents -4..4, integers 0..255, [1,2); half4 texels of the same values; bytes.
static void fill_rand_f4(unsigned, std::vector<unsigned char>& b, size_t, size_t, size_t) {
  for (size_t i = 0; i + 16 <= b.size(); i += 16) {
    float v[4] = {rndf(), ldexpf(rnd_range(1, 2), (int)(rnd() % 9) - 4) * ((rnd() & 1) ? 1 : -1), (float)(rnd() % 256),
                  1 + rndf()};
    memcpy(&b[i], v, 16);
  }
}
static void fill_rand_h4(unsigned, std::vector<unsigned char>& b, size_t, size_t, size_t) {
  for (size_t i = 0; i + 8 <= b.size(); i += 8) {
    unsigned short v[4] = {f2h(rndf()), f2h(ldexpf(rnd_range(1, 2), (int)(rnd() % 9) - 4) * ((rnd() & 1) ? 1 : -1)),
                           f2h((float)(rnd() % 256)), f2h(1 + rndf())};
    memcpy(&b[i], v, 8);
  }
}
static void fill_rand_bytes(unsigned, std::vector<unsigned char>& b, size_t, size_t, size_t) {
  for (auto& x : b) x = (unsigned char)rnd();
}
