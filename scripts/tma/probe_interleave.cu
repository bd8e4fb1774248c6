// probe_interleave.cu — what the H100's TMA does with interleaved tensor maps
// (CU_TENSOR_MAP_INTERLEAVE_16B / _32B): the driver's encode checks, where each byte of a
// tile / im2col load lands in shared memory (with every swizzle), the mbarrier transaction
// bytes a load completes, the OOB fill (zero, NaN), stores and reductions.
//
// Global memory holds the word 0x40000000 | (byte offset / 4) at every 4-byte word, so each
// word in shared memory names its source; shared memory is pre-filled with 0xEE. A load's
// transaction bytes: arrive.expect_tx(E = 65536), the copy, a pause, then complete_tx(1) one at
// a time until the phase completes (bytes = E - steps). Stores: shared words 0x50000000 | index
// into global pre-filled with 0xDD; reductions (add u32): global pre-filled with 0x01000000.
// Output: per case the encode result, then runs "[from,to) SRC" in bytes of the shared buffer
// (or of the global buffer for stores), SRC = g<offset>(c0,c1,..) decoded with the map's
// strides, 0 (zero), nan (0x7ff77ff7), -- (untouched), or raw words.
//
// A kernel fault ends the CUDA context: the program prints "@N" before case N and takes the
// first case as argv[1] ("count" prints the number of cases), so a loop restarts it after a
// fault. As run on the H100 (device run tool; the log is read by hand, and cuemu's output for
// the same cases was diffed against it: identical but for the raw mbarrier words, which the
// H100 reads as 0 through a generic load):
//   nvcc -arch=sm_90 -o /tmp/p probe_interleave.cu; n=$(/tmp/p count); i=0; : >log
//   while [ $i -lt $n ]; do timeout 60 /tmp/p $i >>log 2>&1; grep -q '^@end' log && break
//     i=$(( $(grep -o '^@[0-9]*' log | tail -1 | tr -d @) + 1 )); done
// Cases 0..309 came first, 310..345 ("r2") after reading them.
// Build: nvcc -arch=sm_90 -o probe probe_interleave.cu
#include <cuda.h>
#include <cuda_runtime.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#define CK(x)                                                                      \
  do {                                                                             \
    cudaError_t e_ = (x);                                                          \
    if (e_ != cudaSuccess) {                                                       \
      printf("  CUDA error %s (line %d)\n", cudaGetErrorName(e_), __LINE__);       \
      fflush(stdout);                                                              \
      exit(3);                                                                     \
    }                                                                              \
  } while (0)

typedef CUresult (*EncodeTiledFn)(CUtensorMap*, CUtensorMapDataType, cuuint32_t, void*, const cuuint64_t*,
                                  const cuuint64_t*, const cuuint32_t*, const cuuint32_t*, CUtensorMapInterleave,
                                  CUtensorMapSwizzle, CUtensorMapL2promotion, CUtensorMapFloatOOBfill);
typedef CUresult (*EncodeIm2colFn)(CUtensorMap*, CUtensorMapDataType, cuuint32_t, void*, const cuuint64_t*,
                                   const cuuint64_t*, const int*, const int*, cuuint32_t, cuuint32_t,
                                   const cuuint32_t*, CUtensorMapInterleave, CUtensorMapSwizzle,
                                   CUtensorMapL2promotion, CUtensorMapFloatOOBfill);
static EncodeTiledFn encode_tiled;
static EncodeIm2colFn encode_im2col;

enum { BUF = 32768, E_TX = 65536 };

struct V5 {
  int c[5];
};

__device__ __forceinline__ uint32_t saddr(const void* p) { return (uint32_t)__cvta_generic_to_shared(p); }

__device__ bool test_wait(uint32_t b) {
  uint32_t ok;
  asm volatile("{ .reg .pred p; mbarrier.test_wait.parity.shared::cta.b64 p, [%1], 0; selp.u32 %0, 1, 0, p; }"
               : "=r"(ok) : "r"(b) : "memory");
  return ok;
}

// res[0]: transaction bytes (E_TX - steps; 0xffffffff: never completed), res[1]: the raw
// mbarrier word after the copy, res[2]/[3]: before.
__global__ void k_load(const __grid_constant__ CUtensorMap tm, int rank, int im2col, V5 co, V5 off, int soff,
                       uint8_t* out, uint32_t* res) {
  extern __shared__ uint8_t dyn[];
  __shared__ alignas(8) uint64_t bar;
  uint8_t* buf = dyn + ((1024 - (saddr(dyn) & 1023)) & 1023);
  for (int i = threadIdx.x; i < BUF; i += blockDim.x) buf[i] = 0xEE;
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t b = saddr(&bar), d = saddr(buf + soff);
    const int* c = co.c;
    const int* o = off.c;
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(b));
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(b), "r"(E_TX) : "memory");
    uint64_t before = bar;
    if (!im2col) {
      if (rank == 3)
        asm volatile("cp.async.bulk.tensor.3d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4}], [%5];"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(b) : "memory");
      else if (rank == 4)
        asm volatile("cp.async.bulk.tensor.4d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5}], [%6];"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(b) : "memory");
      else
        asm volatile("cp.async.bulk.tensor.5d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5, %6}], [%7];"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(b) : "memory");
    } else {
      if (rank == 3)
        asm volatile("cp.async.bulk.tensor.3d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4}], [%5], {%6};"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(b), "h"((unsigned short)o[0]) : "memory");
      else if (rank == 4)
        asm volatile("cp.async.bulk.tensor.4d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5}], [%6], {%7, %8};"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(b), "h"((unsigned short)o[0]),
                     "h"((unsigned short)o[1]) : "memory");
      else
        asm volatile("cp.async.bulk.tensor.5d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5, %6}], [%7], {%8, %9, %10};"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(b),
                     "h"((unsigned short)o[0]), "h"((unsigned short)o[1]), "h"((unsigned short)o[2]) : "memory");
    }
    long long t0 = clock64();
    while (clock64() - t0 < 400000) {
    }
    uint64_t after = bar;
    uint32_t bytes = 0xffffffffu;
    if (test_wait(b)) {
      bytes = E_TX;
    } else {
      for (uint32_t k = 1; k <= E_TX; ++k) {
        asm volatile("mbarrier.complete_tx.shared::cta.b64 [%0], 1;" ::"r"(b) : "memory");
        if (test_wait(b)) {
          bytes = E_TX - k;
          break;
        }
      }
    }
    res[0] = bytes;
    res[1] = (uint32_t)after;
    res[2] = (uint32_t)(after >> 32);
    res[3] = (uint32_t)(before >> 32);
  }
  __syncthreads();
  for (int i = threadIdx.x; i < BUF; i += blockDim.x) out[i] = buf[i];
}

// op 1: store, 2: reduction add (u32 maps)
__global__ void k_store(const __grid_constant__ CUtensorMap tm, int rank, int op, V5 co, int soff) {
  extern __shared__ uint8_t dyn[];
  uint8_t* buf = dyn + ((1024 - (saddr(dyn) & 1023)) & 1023);
  uint32_t* w = (uint32_t*)buf;
  for (int i = threadIdx.x; i < BUF / 4; i += blockDim.x) w[i] = 0x50000000u | (uint32_t)(i * 4 - soff) / 4;
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t s = saddr(buf + soff);
    const int* c = co.c;
    if (op == 1) {
      if (rank == 3)
        asm volatile("cp.async.bulk.tensor.3d.global.shared::cta.tile.bulk_group [%0, {%1, %2, %3}], [%4];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(s) : "memory");
      else if (rank == 4)
        asm volatile("cp.async.bulk.tensor.4d.global.shared::cta.tile.bulk_group [%0, {%1, %2, %3, %4}], [%5];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(s) : "memory");
      else
        asm volatile("cp.async.bulk.tensor.5d.global.shared::cta.tile.bulk_group [%0, {%1, %2, %3, %4, %5}], [%6];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(s) : "memory");
    } else {
      if (rank == 3)
        asm volatile("cp.reduce.async.bulk.tensor.3d.global.shared::cta.add.tile.bulk_group [%0, {%1, %2, %3}], [%4];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(s) : "memory");
      else if (rank == 4)
        asm volatile("cp.reduce.async.bulk.tensor.4d.global.shared::cta.add.tile.bulk_group [%0, {%1, %2, %3, %4}], [%5];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(s) : "memory");
      else
        asm volatile("cp.reduce.async.bulk.tensor.5d.global.shared::cta.add.tile.bulk_group [%0, {%1, %2, %3, %4, %5}], [%6];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(s) : "memory");
    }
    asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
  }
  __syncthreads();
}

struct Case {
  std::string name;
  int op = 0;  // 0 load, 1 store, 2 reduce add, 3 encode only
  int im2col = 0;
  int dt = 7, rank = 3;
  cuuint64_t d[5] = {64, 24, 4, 1, 1};
  cuuint64_t s[4] = {256, 6144, 24576, 24576};
  cuuint32_t b[5] = {4, 8, 2, 1, 1};
  cuuint32_t es[5] = {1, 1, 1, 1, 1};
  int il = 1, sw = 0, fill = 0;
  int co[5] = {0, 0, 0, 0, 0};
  int off[3] = {0, 0, 0};
  int lo[3] = {-1, -1, -1}, hi[3] = {-1, -1, -1};
  int cpp = 4, ppc = 8;
  int soff = 0;
};

static std::vector<Case> cases;

static const int esize[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};

static void decode(const Case& c, uint64_t o, char* out) {
  int n = sprintf(out, "g%llu(", (unsigned long long)o);
  uint64_t rest = o;
  uint64_t cc[5] = {0};
  for (int d = c.rank - 1; d >= 1; --d) {
    uint64_t st = c.s[d - 1];
    cc[d] = st ? rest / st : 0;
    rest -= cc[d] * st;
  }
  int e = esize[c.dt];
  cc[0] = rest / e;
  for (int d = 0; d < c.rank; ++d) n += sprintf(out + n, d ? ",%llu" : "%llu", (unsigned long long)cc[d]);
  if (rest % e) n += sprintf(out + n, "+%llu", (unsigned long long)(rest % e));
  sprintf(out + n, ")");
}

// words: runs of sources; mark: the pattern's marker (0x40 global words for loads)
static void print_runs(const Case& c, const uint32_t* w, int nw, uint32_t sent, bool load) {
  int runs = 0, i = 0, last = -1;
  for (int k = 0; k < nw; ++k)
    if (w[k] != sent) last = k;
  while (i <= last) {
    int j = i + 1;
    uint32_t a = w[i];
    int cls;
    if (a == sent) cls = 0;
    else if (a == 0) cls = 1;
    else if (a == 0x7ff77ff7u) cls = 2;
    else if ((a >> 24) == (load ? 0x40u : 0x50u)) cls = 3;
    else if (!load && (a >> 24) == 0x51u) cls = 5;
    else cls = 4;
    if (cls == 4) {
      j = i + 1;
    } else {
      while (j <= last && w[j] == (cls >= 3 ? a + (uint32_t)(j - i) : a)) ++j;
    }
    char src[96];
    switch (cls) {
      case 0: sprintf(src, "--"); break;
      case 1: sprintf(src, "0"); break;
      case 2: sprintf(src, "nan"); break;
      case 3:
        if (load) decode(c, (uint64_t)(a & 0xffffff) * 4, src);
        else sprintf(src, "s%u", (a & 0xffffff) * 4);
        break;
      case 5: sprintf(src, "+s%u", (a & 0xffffff) * 4); break;
      default: sprintf(src, "raw %08x", a);
    }
    if (load) printf(" [%d,%d)%s", i * 4, j * 4, src);
    else {
      char g[96];
      decode(c, (uint64_t)i * 4, g);
      printf(" [%s..+%d)%s", g, (j - i) * 4, src);
    }
    if (++runs >= 400) {
      printf(" ...");
      break;
    }
    i = j;
  }
  printf(" | last=%d\n", last >= 0 ? last * 4 + 3 : -1);
}

static CUresult encode(const Case& c, void* g, CUtensorMap* tm) {
  if (c.im2col)
    return encode_im2col(tm, (CUtensorMapDataType)c.dt, c.rank, g, c.d, c.s, c.lo, c.hi, c.cpp, c.ppc, c.es,
                         (CUtensorMapInterleave)c.il, (CUtensorMapSwizzle)c.sw, CU_TENSOR_MAP_L2_PROMOTION_NONE,
                         (CUtensorMapFloatOOBfill)c.fill);
  return encode_tiled(tm, (CUtensorMapDataType)c.dt, c.rank, g, c.d, c.s, c.b, c.es, (CUtensorMapInterleave)c.il,
                      (CUtensorMapSwizzle)c.sw, CU_TENSOR_MAP_L2_PROMOTION_NONE, (CUtensorMapFloatOOBfill)c.fill);
}

// ---- the cases
static Case L(const char* n) {
  Case c;
  c.name = n;
  return c;
}

static void build() {
  // -- encode rules: u8 tensor 256 x 16 x 4 (pitch 512), box0 in bytes; f32 for es0
  {
    const int il_[] = {1, 2}, sw_[] = {0, 1, 2, 3};
    const int box0[] = {1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 160, 256};
    for (int il : il_)
      for (int sw : sw_)
        for (int b0 : box0) {
          Case c = L("enc u8");
          c.op = 3;
          c.dt = 0;
          c.d[0] = 256; c.d[1] = 16; c.d[2] = 4;
          c.s[0] = 512; c.s[1] = 8192;
          c.b[0] = b0; c.b[1] = 4; c.b[2] = 2;
          c.il = il; c.sw = sw;
          c.name = "enc u8 il" + std::to_string(il) + " sw" + std::to_string(sw) + " box0 " + std::to_string(b0);
          cases.push_back(c);
        }
    for (int il : il_)
      for (int e0 = 1; e0 <= 9; ++e0) {
        Case c = L("");
        c.op = 3;
        c.b[0] = 8; c.es[0] = e0; c.il = il; c.sw = il == 2 ? 1 : 0;
        c.name = "enc f32 il" + std::to_string(il) + " box0 8 es0 " + std::to_string(e0);
        cases.push_back(c);
      }
    // tensor dim 0 not filling the interleave chunk, strides, ranks
    struct { const char* n; int il, sw, dt; cuuint64_t d0, s0; cuuint32_t b0; int rank; } x[] = {
        {"enc il1 f32 d0 3 s0 16", 1, 0, 7, 3, 16, 4, 3},
        {"enc il1 f32 d0 3 s0 16 box0 3", 1, 0, 7, 3, 16, 3, 3},
        {"enc il1 f32 d0 4 s0 16", 1, 0, 7, 4, 16, 4, 3},
        {"enc il1 f32 d0 1 s0 16", 1, 0, 7, 1, 16, 4, 3},
        {"enc il1 f32 d0 64 s0 16", 1, 0, 7, 64, 16, 4, 3},
        {"enc il1 f32 d0 64 s0 0", 1, 0, 7, 64, 0, 4, 3},
        {"enc il2 f32 d0 8 s0 32", 2, 1, 7, 8, 32, 8, 3},
        {"enc il2 f32 d0 4 s0 32", 2, 1, 7, 4, 32, 8, 3},
        {"enc il2 f32 d0 64 s0 48", 2, 1, 7, 64, 48, 8, 3},
        {"enc il1 f64 box0 1", 1, 0, 8, 64, 512, 1, 3},
        {"enc il1 f64 box0 2", 1, 0, 8, 64, 512, 2, 3},
        {"enc il2 f64 box0 2", 2, 1, 8, 64, 512, 2, 3},
        {"enc il1 rank4", 1, 0, 7, 64, 256, 4, 4},
        {"enc il1 rank5", 1, 0, 7, 64, 256, 4, 5},
        {"enc il2 rank 2", 2, 1, 7, 64, 256, 8, 2},
        {"enc il1 rank 1", 1, 0, 7, 64, 256, 4, 1},
    };
    for (auto& y : x) {
      Case c = L(y.n);
      c.op = 3; c.il = y.il; c.sw = y.sw; c.dt = y.dt; c.d[0] = y.d0; c.s[0] = y.s0; c.s[1] = y.s0 * 24;
      c.s[2] = c.s[1] * 4; c.s[3] = c.s[2]; c.b[0] = y.b0; c.rank = y.rank;
      cases.push_back(c);
    }
    // im2col encode: u8 NWC C=256 W=16 N=4, channels in bytes
    const int cpp_[] = {1, 4, 8, 16, 24, 32, 48, 64, 128, 256};
    for (int il : il_)
      for (int sw : sw_)
        for (int cp : cpp_) {
          Case c = L("");
          c.op = 3; c.im2col = 1; c.dt = 0;
          c.d[0] = 256; c.d[1] = 16; c.d[2] = 4; c.s[0] = 256; c.s[1] = 4096;
          c.cpp = cp; c.ppc = 8; c.il = il; c.sw = sw;
          c.name = "enc im2col u8 il" + std::to_string(il) + " sw" + std::to_string(sw) + " cpp " + std::to_string(cp);
          cases.push_back(c);
        }
  }
  // -- tile loads, f32 64 x 24 x 4 (pitches 256, 6144) unless said
  auto T = [](const char* n, int il, int sw, std::initializer_list<int> box, std::initializer_list<int> co) {
    Case c = L(n);
    c.il = il; c.sw = sw;
    int i = 0;
    for (int v : box) c.b[i++] = v;
    i = 0;
    for (int v : co) c.co[i++] = v;
    return c;
  };
  cases.push_back(T("il16 box 4x8x2", 1, 0, {4, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 box 8x8x2", 1, 0, {8, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 box 16x4x2", 1, 0, {16, 4, 2}, {0, 0, 0}));
  cases.push_back(T("il16 box 32x2x2", 1, 0, {32, 2, 2}, {0, 0, 0}));
  cases.push_back(T("il16 box 64x2x1", 1, 0, {64, 2, 1}, {0, 0, 0}));
  cases.push_back(T("il16 box 4x8x2 (4,3,1)", 1, 0, {4, 8, 2}, {4, 3, 1}));
  cases.push_back(T("il16 box 8x8x2 (4,3,1)", 1, 0, {8, 8, 2}, {4, 3, 1}));
  cases.push_back(T("il16 box 4x8x2 (60,20,3)", 1, 0, {4, 8, 2}, {60, 20, 3}));
  cases.push_back(T("il16 box 8x8x2 (60,0,0)", 1, 0, {8, 8, 2}, {60, 0, 0}));
  cases.push_back(T("il16 box 8x8x2 (-4,-2,-1)", 1, 0, {8, 8, 2}, {-4, -2, -1}));
  cases.push_back(T("il16 box 4x24x4", 1, 0, {4, 24, 4}, {8, 0, 0}));
  cases.push_back(T("il16 box 4x8x2 (2,0,0)", 1, 0, {4, 8, 2}, {2, 0, 0}));
  cases.push_back(T("il16 box 4x8x2 (1,0,0)", 1, 0, {4, 8, 2}, {1, 0, 0}));
  {
    Case c = T("il16 box 8x8x2 es 2,1,1", 1, 0, {8, 8, 2}, {0, 0, 0});
    c.es[0] = 2;
    cases.push_back(c);
    c = T("il16 box 16x4x2 es 4,1,1", 1, 0, {16, 4, 2}, {0, 0, 0});
    c.es[0] = 4;
    cases.push_back(c);
    c = T("il16 box 4x8x2 es 1,2,1", 1, 0, {4, 8, 2}, {0, 1, 0});
    c.es[1] = 2;
    cases.push_back(c);
    c = T("il16 box 12x8x2 es 3,1,1 (4,0,0)", 1, 0, {12, 8, 2}, {4, 0, 0});
    c.es[0] = 3;
    cases.push_back(c);
  }
  cases.push_back(T("il16 sw32 box 8x8x2", 1, 1, {8, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw32 box 4x8x2", 1, 1, {4, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw32 box 16x8x2", 1, 1, {16, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw64 box 16x8x2", 1, 2, {16, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw64 box 4x8x2", 1, 2, {4, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw64 box 8x8x2", 1, 2, {8, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw128 box 32x8x2", 1, 3, {32, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw128 box 4x16x2", 1, 3, {4, 16, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw128 box 8x16x2", 1, 3, {8, 16, 2}, {0, 0, 0}));
  cases.push_back(T("il16 sw128 box 64x4x1", 1, 3, {64, 4, 1}, {0, 0, 0}));
  cases.push_back(T("il32 sw32 box 8x8x2", 2, 1, {8, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il32 sw32 box 4x8x2", 2, 1, {4, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il32 sw32 box 16x8x2", 2, 1, {16, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il32 sw32 box 8x8x2 (8,3,1)", 2, 1, {8, 8, 2}, {8, 3, 1}));
  cases.push_back(T("il32 sw32 box 8x8x2 (4,3,1)", 2, 1, {8, 8, 2}, {4, 3, 1}));
  cases.push_back(T("il32 sw32 box 8x8x2 (56,20,3)", 2, 1, {8, 8, 2}, {56, 20, 3}));
  cases.push_back(T("il32 sw0 box 8x8x2", 2, 0, {8, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il32 sw0 box 16x4x2", 2, 0, {16, 4, 2}, {0, 0, 0}));
  cases.push_back(T("il32 sw64 box 8x8x2", 2, 2, {8, 8, 2}, {0, 0, 0}));
  cases.push_back(T("il32 sw128 box 8x8x2", 2, 3, {8, 8, 2}, {0, 0, 0}));
  {
    Case c = T("il16 nan box 8x8x2 (60,22,3)", 1, 0, {8, 8, 2}, {60, 22, 3});
    c.fill = 1;
    cases.push_back(c);
    c = T("il32 sw32 nan box 8x8x2 (60,22,3)", 2, 1, {8, 8, 2}, {60, 22, 3});
    c.fill = 1;
    cases.push_back(c);
    c = T("il16 sw128 nan box 32x8x2 (48,-2,0)", 1, 3, {32, 8, 2}, {48, -2, 0});
    c.fill = 1;
    cases.push_back(c);
  }
  // other element sizes
  {
    Case c = T("il16 u16 box 8x8x2", 1, 0, {8, 8, 2}, {8, 1, 1});
    c.dt = 1; c.d[0] = 128;
    cases.push_back(c);
    c = T("il16 u16 box 4x8x2", 1, 0, {4, 8, 2}, {8, 1, 1});
    c.dt = 1; c.d[0] = 128;
    cases.push_back(c);
    c = T("il16 f16 nan box 8x8x2 (124,22,3)", 1, 0, {8, 8, 2}, {124, 22, 3});
    c.dt = 6; c.d[0] = 128; c.fill = 1;
    cases.push_back(c);
    c = T("il16 u8 box 16x8x2", 1, 0, {16, 8, 2}, {16, 1, 1});
    c.dt = 0; c.d[0] = 256;
    cases.push_back(c);
    c = T("il16 u8 box 8x8x2", 1, 0, {8, 8, 2}, {16, 1, 1});
    c.dt = 0; c.d[0] = 256;
    cases.push_back(c);
    c = T("il16 u8 box 16x8x2 (248,0,0)", 1, 0, {16, 8, 2}, {248, 0, 0});
    c.dt = 0; c.d[0] = 250;
    cases.push_back(c);
    c = T("il16 f64 box 2x8x2", 1, 0, {2, 8, 2}, {2, 1, 1});
    c.dt = 8; c.d[0] = 32;
    cases.push_back(c);
    c = T("il32 sw32 f64 box 4x8x2", 2, 1, {4, 8, 2}, {4, 1, 1});
    c.dt = 8; c.d[0] = 32;
    cases.push_back(c);
  }
  // tensors whose dimension 0 is one interleave chunk (NC/xHWx), or less
  {
    Case c = T("il16 d {4,40,6} s {16,640} box 4x8x2 (0,5,1)", 1, 0, {4, 8, 2}, {0, 5, 1});
    c.d[0] = 4; c.d[1] = 40; c.d[2] = 6; c.s[0] = 16; c.s[1] = 640;
    cases.push_back(c);
    c = T("il16 d {4,40,6} s {16,640} box 8x8x2 (0,5,1)", 1, 0, {8, 8, 2}, {0, 5, 1});
    c.d[0] = 4; c.d[1] = 40; c.d[2] = 6; c.s[0] = 16; c.s[1] = 640;
    cases.push_back(c);
    c = T("il16 d {6,40,6} s {32,1280} box 4x8x2 (4,0,0)", 1, 0, {4, 8, 2}, {4, 0, 0});
    c.d[0] = 6; c.d[1] = 40; c.d[2] = 6; c.s[0] = 32; c.s[1] = 1280;
    cases.push_back(c);
    c = T("il16 d {3,40,6} s {16,640} box 4x8x2", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.d[0] = 3; c.d[1] = 40; c.d[2] = 6; c.s[0] = 16; c.s[1] = 640;
    cases.push_back(c);
    c = T("il32 sw32 d {8,40,6} s {32,1280} box 8x8x2 (0,5,1)", 2, 1, {8, 8, 2}, {0, 5, 1});
    c.d[0] = 8; c.d[1] = 40; c.d[2] = 6; c.s[0] = 32; c.s[1] = 1280;
    cases.push_back(c);
    c = T("il32 sw32 d {5,40,6} s {32,1280} box 8x8x2", 2, 1, {8, 8, 2}, {0, 0, 0});
    c.d[0] = 5; c.d[1] = 40; c.d[2] = 6; c.s[0] = 32; c.s[1] = 1280;
    cases.push_back(c);
  }
  // ranks 4, 5
  {
    Case c = T("il16 4d box 8x4x2x2", 1, 0, {8, 4, 2, 2}, {0, 0, 0, 0});
    c.rank = 4; c.d[0] = 64; c.d[1] = 12; c.d[2] = 4; c.d[3] = 3; c.s[0] = 256; c.s[1] = 3072; c.s[2] = 12288;
    cases.push_back(c);
    c.name = "il16 4d box 8x4x2x2 (60,10,3,2)";
    c.co[0] = 60; c.co[1] = 10; c.co[2] = 3; c.co[3] = 2;
    cases.push_back(c);
    c = T("il16 5d box 8x4x2x2x2", 1, 0, {8, 4, 2, 2, 2}, {8, 1, 1, 1, 1});
    c.rank = 5; c.d[0] = 32; c.d[1] = 6; c.d[2] = 4; c.d[3] = 3; c.d[4] = 2;
    c.s[0] = 128; c.s[1] = 768; c.s[2] = 3072; c.s[3] = 9216;
    cases.push_back(c);
    c = T("il32 sw32 5d box 8x2x2x2x2", 2, 1, {8, 2, 2, 2, 2}, {8, 5, 3, 2, 1});
    c.rank = 5; c.d[0] = 32; c.d[1] = 6; c.d[2] = 4; c.d[3] = 3; c.d[4] = 2;
    c.s[0] = 128; c.s[1] = 768; c.s[2] = 3072; c.s[3] = 9216;
    cases.push_back(c);
  }
  // shared destination not 1024-aligned
  {
    Case c = T("il16 sw32 box 8x8x2 smem+128", 1, 1, {8, 8, 2}, {0, 0, 0});
    c.soff = 128;
    cases.push_back(c);
    c = T("il16 sw128 box 8x16x2 smem+256", 1, 3, {8, 16, 2}, {0, 0, 0});
    c.soff = 256;
    cases.push_back(c);
    c = T("il32 sw32 box 8x8x2 smem+32", 2, 1, {8, 8, 2}, {0, 0, 0});
    c.soff = 32;
    cases.push_back(c);
    c = T("il16 box 4x8x2 smem+16", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.soff = 16;
    cases.push_back(c);
  }
  // -- im2col: f32 NWC C=64 W=20 N=2 (pitches 256, 5120); NHWC C=32 W=6 H=5 N=2
  {
    auto I = [&](const char* n, int il, int sw, int cpp, int ppc, int c0, int w, int nn, int off) {
      Case c = L(n);
      c.im2col = 1; c.il = il; c.sw = sw; c.cpp = cpp; c.ppc = ppc;
      c.d[0] = 64; c.d[1] = 20; c.d[2] = 2; c.s[0] = 256; c.s[1] = 5120;
      c.co[0] = c0; c.co[1] = w; c.co[2] = nn; c.off[0] = off;
      return c;
    };
    cases.push_back(I("im2col il16 cpp 4 ppc 8", 1, 0, 4, 8, 0, 3, 0, 1));
    cases.push_back(I("im2col il16 cpp 8 ppc 8", 1, 0, 8, 8, 0, 3, 0, 1));
    cases.push_back(I("im2col il16 cpp 8 ppc 8 (4,..)", 1, 0, 8, 8, 4, 3, 0, 1));
    cases.push_back(I("im2col il16 cpp 16 ppc 24 wrap", 1, 0, 16, 24, 8, 10, 0, 2));
    cases.push_back(I("im2col il32 sw32 cpp 8 ppc 8", 2, 1, 8, 8, 0, 3, 0, 1));
    cases.push_back(I("im2col il16 sw128 cpp 32 ppc 8", 1, 3, 32, 8, 0, 3, 0, 1));
    cases.push_back(I("im2col il16 sw32 cpp 4 ppc 8", 1, 1, 4, 8, 0, 3, 0, 1));
    cases.push_back(I("im2col il16 cpp 4 ppc 8 oob c", 1, 0, 4, 8, 62, -1, 0, 0));
    Case c = I("im2col il16 4d cpp 8 ppc 12", 1, 0, 8, 12, 0, -1, -1, 0);
    c.rank = 4; c.d[0] = 32; c.d[1] = 6; c.d[2] = 5; c.d[3] = 2; c.s[0] = 128; c.s[1] = 768; c.s[2] = 3840;
    c.co[3] = 0; c.off[0] = 1; c.off[1] = 2;
    cases.push_back(c);
  }
  // -- stores and reductions (u32)
  {
    auto S = [&](const char* n, int op, int il, int sw, std::initializer_list<int> box, std::initializer_list<int> co) {
      Case c = T(n, il, sw, box, co);
      c.op = op; c.dt = 2;
      return c;
    };
    cases.push_back(S("store il16 box 4x8x2", 1, 1, 0, {4, 8, 2}, {0, 0, 0}));
    cases.push_back(S("store il16 box 8x8x2 (4,2,1)", 1, 1, 0, {8, 8, 2}, {4, 2, 1}));
    cases.push_back(S("store il16 box 8x8x2 (60,20,3)", 1, 1, 0, {8, 8, 2}, {60, 20, 3}));
    cases.push_back(S("store il16 sw32 box 8x8x2", 1, 1, 1, {8, 8, 2}, {0, 0, 0}));
    cases.push_back(S("store il16 sw128 box 32x8x2", 1, 1, 3, {32, 8, 2}, {0, 0, 0}));
    cases.push_back(S("store il16 sw128 box 4x16x2", 1, 1, 3, {4, 16, 2}, {0, 0, 0}));
    cases.push_back(S("store il32 sw32 box 8x8x2", 1, 2, 1, {8, 8, 2}, {0, 0, 0}));
    cases.push_back(S("store il32 sw32 box 16x8x2 (56,20,3)", 1, 2, 1, {16, 8, 2}, {56, 20, 3}));
    cases.push_back(S("store il32 sw0 box 8x8x2", 1, 2, 0, {8, 8, 2}, {0, 0, 0}));
    Case c = S("store il16 box 8x8x2 es 2,1,1", 1, 1, 0, {8, 8, 2}, {0, 0, 0});
    c.es[0] = 2;
    cases.push_back(c);
    cases.push_back(S("red.add il16 box 8x8x2 (4,2,1)", 2, 1, 0, {8, 8, 2}, {4, 2, 1}));
    cases.push_back(S("red.add il32 sw32 box 8x8x2 (60,20,3)", 2, 2, 1, {8, 8, 2}, {60, 20, 3}));
    cases.push_back(S("red.add il16 sw64 box 16x8x2", 2, 1, 2, {16, 8, 2}, {0, 0, 0}));
  }

  // ---- round 2: the dimension rank - 2 (its box, element stride, bounds), the im2col walk,
  // shared-memory alignment
  {
    Case c = T("r2 il16 box 4x1x2", 1, 0, {4, 1, 2}, {0, 3, 1});
    cases.push_back(c);
    c = T("r2 il16 box 4x256x2", 1, 0, {4, 256, 2}, {0, 3, 1});
    cases.push_back(c);
    c = T("r2 il16 box 4x8x2 es 1,3,1", 1, 0, {4, 8, 2}, {0, 1, 0});
    c.es[1] = 3;
    cases.push_back(c);
    c = T("r2 il16 box 4x8x2 es 1,1,2", 1, 0, {4, 8, 4}, {0, 1, 0});
    c.es[2] = 2;
    cases.push_back(c);
    cases.push_back(T("r2 il16 box 4x8x2 (0,24,0)", 1, 0, {4, 8, 2}, {0, 24, 0}));
    cases.push_back(T("r2 il16 box 4x8x2 (0,-1,0)", 1, 0, {4, 8, 2}, {0, -1, 0}));
    cases.push_back(T("r2 il16 box 4x8x2 (0,23,0)", 1, 0, {4, 8, 2}, {0, 23, 0}));
    cases.push_back(T("r2 il16 box 4x8x2 (-2,0,0)", 1, 0, {4, 8, 2}, {-2, 0, 0}));
    c = T("r2 il16 4d box 4x2x8x2 es 1,1,2,1", 1, 0, {4, 2, 8, 2}, {0, 1, 1, 0});
    c.rank = 4; c.d[0] = 64; c.d[1] = 12; c.d[2] = 4; c.d[3] = 3; c.s[0] = 256; c.s[1] = 3072; c.s[2] = 12288;
    c.es[2] = 2;
    cases.push_back(c);
    c.name = "r2 il16 4d box 4x2x8x2 (0,1,4,0)";
    c.es[2] = 1; c.co[2] = 4;
    cases.push_back(c);
    c.name = "r2 il16 4d box 4x2x1x2 es 1,2,1,1 (0,1,3,1)";
    c.b[2] = 1; c.es[1] = 2; c.co[2] = 3; c.co[3] = 1;
    cases.push_back(c);
    c = T("r2 il16 5d box 2x2x2x4x2", 1, 0, {2, 2, 2, 4, 2}, {0, 1, 1, 1, 0});
    c.rank = 5; c.d[0] = 8; c.d[1] = 4; c.d[2] = 3; c.d[3] = 5; c.d[4] = 2;
    c.s[0] = 128; c.s[1] = 512; c.s[2] = 1536; c.s[3] = 7680;
    cases.push_back(c);
    c.name = "r2 il16 5d box 2x2x2x4x2 (0,3,2,5,1)";
    c.co[1] = 3; c.co[2] = 2; c.co[3] = 5; c.co[4] = 1;
    cases.push_back(c);
  }
  {
    auto I3 = [&](const char* n, int il, int sw, int ppc, int w, int sl, int nn, int off) {
      Case c = L(n);
      c.im2col = 1; c.il = il; c.sw = sw; c.cpp = 4; c.ppc = ppc;
      c.d[0] = 10; c.d[1] = 3; c.d[2] = 2; c.s[0] = 160; c.s[1] = 480;
      if (il == 2) { c.s[0] = 320; c.s[1] = 960; }
      c.co[0] = w; c.co[1] = sl; c.co[2] = nn; c.off[0] = off;
      return c;
    };
    cases.push_back(I3("r2 im2col 3d il16 ppc 24 (-1,1,0) off 1", 1, 0, 24, -1, 1, 0, 1));
    cases.push_back(I3("r2 im2col 3d il16 ppc 24 (5,1,0) off 0", 1, 0, 24, 5, 1, 0, 0));
    cases.push_back(I3("r2 im2col 3d il16 ppc 16 (3,3,0) off 0", 1, 0, 16, 3, 3, 0, 0));
    cases.push_back(I3("r2 im2col 3d il16 ppc 16 (-3,0,0) off 2", 1, 0, 16, -3, 0, 0, 2));
    Case c = I3("r2 im2col 3d il16 es 2 ppc 16 (-1,2,0) off 1", 1, 0, 16, -1, 2, 0, 1);
    c.es[0] = 2;
    cases.push_back(c);
    c = I3("r2 im2col 3d il16 lo 0 hi 0 ppc 16 (0,0,0) off 0", 1, 0, 16, 0, 0, 0, 0);
    c.lo[0] = 0; c.hi[0] = 0;
    cases.push_back(c);
    c = I3("r2 im2col 3d il16 lo -2 hi 1 ppc 16 (-2,0,0) off 0", 1, 0, 16, -2, 0, 0, 0);
    c.lo[0] = -2; c.hi[0] = 1;
    cases.push_back(c);
    c = I3("r2 im2col 3d il16 nan ppc 24 (5,1,1) off 1", 1, 0, 24, 5, 1, 1, 1);
    c.fill = 1;
    cases.push_back(c);
    cases.push_back(I3("r2 im2col 3d il32 sw32 ppc 16 (4,1,0) off 1", 2, 1, 16, 4, 1, 0, 1));
    cases.push_back(I3("r2 im2col 3d il16 sw64 ppc 16 (4,1,0) off 1", 1, 2, 16, 4, 1, 0, 1));
    auto I4 = [&](const char* n, std::initializer_list<int> co, int o0, int o1, int ppc) {
      Case c = L(n);
      c.im2col = 1; c.il = 1; c.rank = 4; c.cpp = 4; c.ppc = ppc;
      c.d[0] = 6; c.d[1] = 5; c.d[2] = 2; c.d[3] = 2; c.s[0] = 96; c.s[1] = 480; c.s[2] = 960;
      c.lo[0] = -1; c.lo[1] = -1; c.hi[0] = -2; c.hi[1] = -2;
      int i = 0;
      for (int v : co) c.co[i++] = v;
      c.off[0] = o0; c.off[1] = o1;
      return c;
    };
    cases.push_back(I4("r2 im2col 4d il16 ppc 20 (-1,-1,1,0) off 1,2", {-1, -1, 1, 0}, 1, 2, 20));
    cases.push_back(I4("r2 im2col 4d il16 ppc 24 (2,1,0,0) off 0,0", {2, 1, 0, 0}, 0, 0, 24));
    c = I4("r2 im2col 4d il16 es 2,2 ppc 12 (-1,-1,0,0) off 1,1", {-1, -1, 0, 0}, 1, 1, 12);
    c.es[0] = 2; c.es[1] = 2;
    cases.push_back(c);
    c = I4("r2 im2col 4d il16 es 1,1,3,1 ppc 12 (-1,-1,0,0)", {-1, -1, 0, 0}, 0, 0, 12);
    c.es[2] = 3;
    cases.push_back(c);
    c = L("r2 im2col 5d il16 ppc 30 (-1,-1,-1,1,0) off 1,1,1");
    c.im2col = 1; c.il = 1; c.rank = 5; c.cpp = 4; c.ppc = 30;
    c.d[0] = 4; c.d[1] = 3; c.d[2] = 3; c.d[3] = 2; c.d[4] = 2; c.s[0] = 64; c.s[1] = 192; c.s[2] = 576; c.s[3] = 1152;
    c.co[0] = -1; c.co[1] = -1; c.co[2] = -1; c.co[3] = 1; c.co[4] = 0;
    c.off[0] = 1; c.off[1] = 1; c.off[2] = 1;
    cases.push_back(c);
  }
  {
    Case c = T("r2 il16 box 4x8x2 smem+64", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.soff = 64;
    cases.push_back(c);
    c = T("r2 il16 box 4x8x2 smem+32", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.soff = 32;
    cases.push_back(c);
    c = T("r2 il32 sw32 box 8x8x2 smem+64", 2, 1, {8, 8, 2}, {0, 0, 0});
    c.soff = 64;
    cases.push_back(c);
    c = T("r2 none box 4x8x2 smem+16", 0, 0, {4, 8, 2}, {0, 0, 0});
    c.soff = 16;
    cases.push_back(c);
    c = T("r2 none box 4x8x2 smem+64", 0, 0, {4, 8, 2}, {0, 0, 0});
    c.soff = 64;
    cases.push_back(c);
    c = T("r2 im2col il16 smem+16", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.im2col = 1; c.d[0] = 10; c.d[1] = 3; c.d[2] = 2; c.s[0] = 160; c.s[1] = 480; c.soff = 16;
    cases.push_back(c);
    c = T("r2 store il16 box 4x8x2 smem+16", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.op = 1; c.dt = 2; c.soff = 16;
    cases.push_back(c);
    c = T("r2 store il16 box 4x8x2 smem+64", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.op = 1; c.dt = 2; c.soff = 64;
    cases.push_back(c);
  }
}

int main(int argc, char** argv) {
  build();
  if (argc > 1 && !strcmp(argv[1], "count")) {
    printf("%zu\n", cases.size());
    return 0;
  }
  size_t first = argc > 1 ? (size_t)atoi(argv[1]) : 0;
  cudaDriverEntryPointQueryResult q;
  CK(cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", (void**)&encode_tiled, 12000, cudaEnableDefault, &q));
  CK(cudaGetDriverEntryPointByVersion("cuTensorMapEncodeIm2col", (void**)&encode_im2col, 12000, cudaEnableDefault, &q));
  CK(cudaFuncSetAttribute(k_load, cudaFuncAttributeMaxDynamicSharedMemorySize, BUF + 1024));
  CK(cudaFuncSetAttribute(k_store, cudaFuncAttributeMaxDynamicSharedMemorySize, BUF + 1024));
  const size_t G = 1 << 20;
  uint8_t *g, *gs, *out;
  uint32_t* res;
  CK(cudaMalloc(&g, G));
  CK(cudaMalloc(&gs, G));
  CK(cudaMalloc(&out, BUF));
  CK(cudaMalloc(&res, 16));
  std::vector<uint32_t> host(G / 4), back(G / 4);
  for (size_t i = 0; i < G / 4; ++i) host[i] = 0x40000000u | (uint32_t)i;
  CK(cudaMemcpy(g, host.data(), G, cudaMemcpyHostToDevice));
  FILE* raw = getenv("PROBE_RAW") ? fopen(getenv("PROBE_RAW"), "ab") : nullptr;
  for (size_t k = first; k < cases.size(); ++k) {
    const Case& c = cases[k];
    printf("@%zu %s:", k, c.name.c_str());
    fflush(stdout);
    alignas(64) CUtensorMap tm;
    void* base = c.op == 0 || c.op == 3 ? (void*)g : (void*)gs;
    CUresult r = encode(c, base, &tm);
    printf(" enc=%d", (int)r);
    if (r != CUDA_SUCCESS || c.op == 3) {
      printf("\n");
      continue;
    }
    V5 co, off;
    memcpy(co.c, c.co, sizeof co.c);
    memset(off.c, 0, sizeof off.c);
    memcpy(off.c, c.off, sizeof c.off);
    if (c.op == 0) {
      CK(cudaMemset(res, 0, 16));
      k_load<<<1, 128, BUF + 1024>>>(tm, c.rank, c.im2col, co, off, c.soff, out, res);
      CK(cudaGetLastError());
      CK(cudaDeviceSynchronize());
      uint32_t rr[4];
      std::vector<uint32_t> s(BUF / 4);
      CK(cudaMemcpy(rr, res, 16, cudaMemcpyDeviceToHost));
      CK(cudaMemcpy(s.data(), out, BUF, cudaMemcpyDeviceToHost));
      printf(" tx=%d bar=%08x:%08x pre=%08x\n ", (int)rr[0], rr[2], rr[1], rr[3]);
      print_runs(c, s.data(), BUF / 4, 0xEEEEEEEEu, true);
      if (raw) {
        fprintf(raw, "@%zu %s\n", k, c.name.c_str());
        fwrite(s.data(), 1, BUF, raw);
      }
    } else {
      std::vector<uint32_t> init(G / 4, c.op == 1 ? 0xDDDDDDDDu : 0x01000000u);
      CK(cudaMemcpy(gs, init.data(), G, cudaMemcpyHostToDevice));
      k_store<<<1, 128, BUF + 1024>>>(tm, c.rank, c.op, co, c.soff);
      CK(cudaGetLastError());
      CK(cudaDeviceSynchronize());
      CK(cudaMemcpy(back.data(), gs, G, cudaMemcpyDeviceToHost));
      printf("\n ");
      print_runs(c, back.data(), G / 4, init[0], false);
    }
    fflush(stdout);
  }
  printf("@end\n");
  return 0;
}
