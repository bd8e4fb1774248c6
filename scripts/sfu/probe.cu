// Measures the H100's special-function unit (MUFU) through PTX's .approx instructions.
// Run on a real GPU by scripts/sfu/collect.sh; scripts/sfu/pack.py turns what it brings back into
// cuemu's embedded tables and hashes (src/exec/sfu/, used by src/exec/sfu.rs).
//
// Usage: probe OUTDIR [LOG2_STRIDE]
//   LOG2_STRIDE (default 0): sweep every 2^LOG2_STRIDE-th input only (to try the program under
//   cuemu; the H100 run uses 0 = all 2^32 inputs).
//
// Writes to OUTDIR:
//   table-NAME.d8 reduced-domain tables (f32 result bits as byte deltas, see main()):
//                   ex2p: ex2.approx.ftz.f32(k·2^-24), k < 2^24          (x in [0,1))
//                   ex2n: ex2.approx.ftz.f32(-k·2^-24), k < 2^24         (x in (-1,0])
//                   rcp: rcp.approx.ftz.f32(1 + k·2^-23), k < 2^23
//                   rsq: rsqrt.approx.ftz.f32(1 + k·2^-23), then (2 + k·2^-22), k < 2^23
//                   lg2: lg2.approx.ftz.f32(1 + k·2^-23), then (0.5 + k·2^-24), k < 2^23
//   half.bin      every 16-bit input (u16 LE results): ex2.approx.f16, ex2.approx.ftz.bf16,
//                 tanh.approx.f16, tanh.approx.bf16
//   hashes.bin    per f32 function (order: FUNCS below), 2^14 u64 LE: for each block of 2^18
//                 consecutive input bit patterns u, the sum (mod 2^64) of mix64(u << 32 | f(u))
//   lists.bin     mismatch lists (see summary.txt for their order and counts): (u, result) u32 pairs
//   summary.txt   hypothesis tests over every input, with counterexamples
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <vector>
#include <string>
#include <algorithm>
#include <cuda_runtime.h>
#include <cuda_fp16.h>

#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e)); exit(1); } } while (0)

#define F32OP(name, ins) \
  __device__ __forceinline__ unsigned name(unsigned u) { float r; asm(ins " %0, %1;" : "=f"(r) : "f"(__uint_as_float(u))); return __float_as_uint(r); }
F32OP(ex2_ftz, "ex2.approx.ftz.f32")
F32OP(ex2_full, "ex2.approx.f32")
F32OP(rcp_ftz, "rcp.approx.ftz.f32")
F32OP(rcp_full, "rcp.approx.f32")
F32OP(rsq_ftz, "rsqrt.approx.ftz.f32")
F32OP(rsq_full, "rsqrt.approx.f32")
F32OP(lg2_ftz, "lg2.approx.ftz.f32")
F32OP(lg2_full, "lg2.approx.f32")
F32OP(sin_ftz, "sin.approx.ftz.f32")
F32OP(sin_full, "sin.approx.f32")
F32OP(cos_ftz, "cos.approx.ftz.f32")
F32OP(cos_full, "cos.approx.f32")
F32OP(tanh_f32, "tanh.approx.f32")
F32OP(sqrt_ftz, "sqrt.approx.ftz.f32")

#define NFUNCS 14
static const char* FUNCS[NFUNCS] = {"ex2.approx.ftz.f32", "ex2.approx.f32", "rcp.approx.ftz.f32", "rcp.approx.f32",
  "rsqrt.approx.ftz.f32", "rsqrt.approx.f32", "lg2.approx.ftz.f32", "lg2.approx.f32", "sin.approx.ftz.f32",
  "sin.approx.f32", "cos.approx.ftz.f32", "cos.approx.f32", "tanh.approx.f32", "sqrt.approx.ftz.f32"};

__device__ __forceinline__ unsigned eval(int f, unsigned u) {
  switch (f) {
    case 0: return ex2_ftz(u); case 1: return ex2_full(u); case 2: return rcp_ftz(u); case 3: return rcp_full(u);
    case 4: return rsq_ftz(u); case 5: return rsq_full(u); case 6: return lg2_ftz(u); case 7: return lg2_full(u);
    case 8: return sin_ftz(u); case 9: return sin_full(u); case 10: return cos_ftz(u); case 11: return cos_full(u);
    case 12: return tanh_f32(u); default: return sqrt_ftz(u);
  }
}

__host__ __device__ __forceinline__ uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// ---- tables -------------------------------------------------------------------------------
__global__ void k_tables(unsigned* t, unsigned stride) {
  unsigned k = (blockIdx.x * blockDim.x + threadIdx.x) * stride;
  if (k >= (1u << 24)) return;
  t[k] = ex2_ftz(__float_as_uint((float)k * 0x1p-24f));
  t[(1u << 24) + k] = ex2_ftz(__float_as_uint(-(float)k * 0x1p-24f));
  unsigned j = k & ((1u << 23) - 1);
  if (k < (1u << 23)) t[(2u << 24) + k] = rcp_ftz(0x3f800000u | j);
  t[(2u << 24) + (1u << 23) + k] = rsq_ftz((k < (1u << 23) ? 0x3f800000u : 0x40000000u) | j);
  t[(3u << 24) + (1u << 23) + k] = lg2_ftz((k < (1u << 23) ? 0x3f800000u : 0x3f000000u) | j);
}
#define T_EX2P 0u
#define T_EX2N (1u << 24)
#define T_RCP (2u << 24)
#define T_RSQ ((2u << 24) + (1u << 23))
#define T_LG2 ((3u << 24) + (1u << 23))
#define T_TOTAL ((4u << 24) + (1u << 23))

__global__ void k_half(unsigned short* h) {
  unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
  if (k >= 65536) return;
  unsigned short a = (unsigned short)k, r;
  asm("ex2.approx.f16 %0, %1;" : "=h"(r) : "h"(a)); h[k] = r;
  asm("tanh.approx.f16 %0, %1;" : "=h"(r) : "h"(a)); h[2 * 65536 + k] = r;
#ifndef NO_BF16  // (cuemu before the bf16 forms: -DNO_BF16)
  asm("ex2.approx.ftz.bf16 %0, %1;" : "=h"(r) : "h"(a)); h[65536 + k] = r;
  asm("tanh.approx.bf16 %0, %1;" : "=h"(r) : "h"(a)); h[3 * 65536 + k] = r;
#endif
}

// Packed forms against the scalar tables, for every pair of halves.
__global__ void k_half_packed(const unsigned short* h, unsigned long long* bad, unsigned stride) {
  unsigned long long n = 0;
  for (unsigned long long i = (unsigned long long)(blockIdx.x * blockDim.x + threadIdx.x) * stride; i < (1ULL << 32); i += (unsigned long long)gridDim.x * blockDim.x * stride) {
    unsigned u = (unsigned)i, r;
    asm("ex2.approx.f16x2 %0, %1;" : "=r"(r) : "r"(u));
    n += (r & 0xffff) != h[u & 0xffff] || (r >> 16) != h[u >> 16];
    asm("tanh.approx.f16x2 %0, %1;" : "=r"(r) : "r"(u));
    n += ((r & 0xffff) != h[2 * 65536 + (u & 0xffff)] || (r >> 16) != h[2 * 65536 + (u >> 16)]) << 16;
#ifndef NO_BF16
    asm("ex2.approx.ftz.bf16x2 %0, %1;" : "=r"(r) : "r"(u));
    n += ((r & 0xffff) != h[65536 + (u & 0xffff)] || (r >> 16) != h[65536 + (u >> 16)]) << 8;
    asm("tanh.approx.bf16x2 %0, %1;" : "=r"(r) : "r"(u));
    n += ((unsigned long long)((r & 0xffff) != h[3 * 65536 + (u & 0xffff)] || (r >> 16) != h[3 * 65536 + (u >> 16)])) << 24;
#endif
  }
  atomicAdd(bad, n);
}

// ---- block hashes over every input -------------------------------------------------------
// One CUDA block per hash block of 2^18 inputs (256 threads x 1024 inputs).
__global__ void k_hash(int f, unsigned long long* out, unsigned stride) {
  unsigned base = blockIdx.x << 18;
  uint64_t s = 0;
  for (unsigned j = threadIdx.x * stride; j < (1u << 18); j += blockDim.x * stride) {
    unsigned u = base + j;
    s += mix64(((uint64_t)u << 32) | eval(f, u));
  }
  for (int o = 16; o; o >>= 1) s += __shfl_xor_sync(0xffffffff, s, o);
  if ((threadIdx.x & 31) == 0) atomicAdd(out + blockIdx.x, (unsigned long long)s);
}

// ---- hypothesis tests --------------------------------------------------------------------
#define NEX 8
struct Check {
  unsigned long long count[4];    // per class (meaning depends on the check)
  unsigned n_ex;
  unsigned ex[NEX][3];            // input, actual, predicted
};
// Counts go to the thread's own counters (cnt), summed once at the end: billions of atomics on
// one address would take minutes.
__device__ void record_(Check* c, unsigned* cnt, int cls, unsigned u, unsigned got, unsigned want) {
  cnt[cls]++;
  if (*(volatile unsigned*)&c->n_ex >= NEX) return;
  unsigned i = atomicAdd(&c->n_ex, 1u);
  if (i < NEX) { c->ex[i][0] = u; c->ex[i][1] = got; c->ex[i][2] = want; }
}
#define record(cp, cls, u, got, want) record_((cp), cnt[(cp) - c], (cls), (u), (got), (want))
__device__ __forceinline__ bool same(unsigned a, unsigned b) {
  bool na = (a & 0x7fffffff) > 0x7f800000, nb = (b & 0x7fffffff) > 0x7f800000;
  return na || nb ? (na && nb) : a == b;
}

// Scale a table value v (positive normal f32 bits) by 2^i, flushing to zero / infinity.
__device__ __forceinline__ unsigned scale_ftz(unsigned v, long long i) {
  long long e = (long long)((v >> 23) & 0xff) + i;
  if (e >= 255) return 0x7f800000u;
  if (e <= 0) return 0u;
  return (unsigned)((long long)v + (i << 23));
}

// ex2 model: x to fixed point with F fractional bits, mode 0 toward zero, 1 floor, 2 nearest
// even (two's complement: 2^floor * T[frac]); mode 3/4: magnitude toward zero / nearest, then
// 2^-int * Tn[frac] for negative x.
__device__ unsigned ex2_model(unsigned u, int F, int mode, const unsigned* t) {
  float x = __uint_as_float(u);
  if (x != x) return 0x7fffffff;
  if ((u & 0x7f800000) == 0) x = 0.0f;  // ftz input
  double xd = fmin(fmax((double)x, -400.0), 400.0);
  double s = ldexp(xd, F);
  unsigned long long mask = (1ULL << F) - 1;
  if (mode >= 3 && xd < 0) {
    long long q = (long long)(mode == 3 ? trunc(-s) : rint(-s));
    long long i = q >> F, fr = q & mask;
    return scale_ftz(t[T_EX2N + (unsigned)(fr << (24 - F))], -i);
  }
  long long q = (long long)(mode == 0 || mode == 3 ? trunc(s) : mode == 1 ? floor(s) : rint(s));
  long long i = q >> F, fr = q & mask;
  return scale_ftz(t[T_EX2P + (unsigned)(fr << (24 - F))], i);
}
__device__ unsigned rcp_model(unsigned u, const unsigned* t) {
  unsigned a = u & 0x7fffffff, sg = u & 0x80000000;
  if (a > 0x7f800000) return 0x7fffffff;
  if (a < 0x00800000) return sg | 0x7f800000;
  if (a == 0x7f800000) return sg;
  long long e = (long long)(a >> 23) - 127;
  return sg | scale_ftz(t[T_RCP + (a & 0x7fffff)], -e);
}
__device__ unsigned rsq_model(unsigned u, const unsigned* t) {
  unsigned a = u & 0x7fffffff, sg = u & 0x80000000;
  if (a > 0x7f800000) return 0x7fffffff;
  if (a < 0x00800000) return sg | 0x7f800000;
  if (sg) return 0x7fffffff;
  if (a == 0x7f800000) return 0;
  long long e = (long long)(a >> 23) - 127;
  unsigned v = t[T_RSQ + ((e & 1) << 23) + (a & 0x7fffff)];
  return scale_ftz(v, -(e >> 1));
}
// lg2 model: mode 0: RN(E + L1[m]); 1: RZ(E + L1[m]); 2: like 0 but for E <= -1 RN((E+1) + L0[m]).
__device__ unsigned lg2_model(unsigned u, int mode, const unsigned* t) {
  unsigned a = u & 0x7fffffff, sg = u & 0x80000000;
  if (a > 0x7f800000) return 0x7fffffff;
  if (a < 0x00800000) return 0xff800000u;
  if (sg) return 0x7fffffff;
  if (a == 0x7f800000) return 0x7f800000;
  int e = (int)(a >> 23) - 127;
  unsigned m = a & 0x7fffff;
  double s;
  if (mode == 2 && e <= -1) s = (double)(e + 1) + (double)__uint_as_float(t[T_LG2 + (1u << 23) + m]);
  else s = (double)e + (double)__uint_as_float(t[T_LG2 + m]);
  float r = mode == 1 ? __double2float_rz(s) : __double2float_rn(s);
  return __float_as_uint(r);
}
__device__ int lg2_class(unsigned u) {
  int e = (int)((u >> 23) & 0xff) - 127;
  return e == 0 ? 0 : e == -1 ? 1 : e > 0 ? 2 : 3;
}

struct Lists { unsigned cap; unsigned n[8]; unsigned* data; };  // data: 8 lists of cap (u, r) pairs
__device__ void list_add(Lists* L, int l, unsigned u, unsigned r) {
  if (*(volatile unsigned*)&L->n[l] >= L->cap) return;
  unsigned i = atomicAdd(&L->n[l], 1u);
  if (i < L->cap) { L->data[((size_t)l * L->cap + i) * 2] = u; L->data[((size_t)l * L->cap + i) * 2 + 1] = r; }
}

#define NCHK 40
// checks: 0..14 ex2 F in {22,23,24} x mode 0..4 (class 0: x >= 0, 1: x < 0)
//         15 rcp.ftz model; 16 rsqrt.ftz model; 17..19 lg2.ftz models (class by exponent)
//         20..23 non-ftz vs ftz (ex2, rcp, rsqrt, lg2) where they differ (class 0: input normal,
//         ftz result normal; 1: otherwise); 24..35 tanh: f(u) != f(u with low k bits cleared),
//         k = 1..12; 36: sqrt.approx.ftz vs RN sqrt
__global__ void k_check(const unsigned* t, Check* c, Lists* L, unsigned stride, unsigned long long* tanh_or) {
  unsigned long long orr = 0;
  unsigned cnt[NCHK][4];
  for (int k = 0; k < NCHK; k++) for (int j = 0; j < 4; j++) cnt[k][j] = 0;
  for (unsigned long long i = (unsigned long long)(blockIdx.x * blockDim.x + threadIdx.x) * stride; i < (1ULL << 32); i += (unsigned long long)gridDim.x * blockDim.x * stride) {
    unsigned u = (unsigned)i;
    unsigned r = ex2_ftz(u);
    for (int F = 22; F <= 24; F++)
      for (int m = 0; m < 5; m++) {
        unsigned p = ex2_model(u, F, m, t);
        if (!same(r, p)) record(&c[(F - 22) * 5 + m], u >> 31, u, r, p);
      }
    unsigned rc = rcp_ftz(u), p = rcp_model(u, t);
    if (!same(rc, p)) record(&c[15], u >> 31, u, rc, p);
    unsigned rs = rsq_ftz(u); p = rsq_model(u, t);
    if (!same(rs, p)) record(&c[16], u >> 31, u, rs, p);
    unsigned rl = lg2_ftz(u);
    for (int m = 0; m < 3; m++) {
      p = lg2_model(u, m, t);
      if (!same(rl, p)) { record(&c[17 + m], lg2_class(u), u, rl, p); if (m == 0) list_add(L, 4, u, rl); }
    }
    unsigned fz[4] = {r, rc, rs, rl};
    unsigned fu[4] = {ex2_full(u), rcp_full(u), rsq_full(u), lg2_full(u)};
    for (int k = 0; k < 4; k++)
      if (!same(fz[k], fu[k])) {
        bool normal = (u & 0x7f800000) != 0 && (fz[k] & 0x7f800000) != 0 && (fz[k] & 0x7f800000) != 0x7f800000;
        record(&c[20 + k], normal ? 0 : 1, u, fu[k], fz[k]);
        list_add(L, k, u, fu[k]);
      }
    unsigned th = tanh_f32(u);
    orr |= th;
    for (int k = 1; k <= 12; k++) {
      unsigned v = u & ~((1u << k) - 1);
      unsigned tv = tanh_f32(v);
      if (!same(th, tv)) record(&c[23 + k], u >> 31, u, th, tv);
    }
    unsigned sq = sqrt_ftz(u);
    float xf = __uint_as_float(u);
    if ((u & 0x7f800000) == 0) xf = copysignf(0.0f, xf);
    unsigned sr = __float_as_uint(__fsqrt_rn(xf));
    if (!same(sq, sr)) { record(&c[36], u >> 31, u, sq, sr); list_add(L, 5, u, sq); }
  }
  for (int o = 16; o; o >>= 1) orr |= __shfl_xor_sync(0xffffffff, orr, o);
  if ((threadIdx.x & 31) == 0) atomicOr(tanh_or, orr);
  for (int k = 0; k < NCHK; k++)
    for (int j = 0; j < 4; j++)
      if (cnt[k][j]) atomicAdd(&c[k].count[j], (unsigned long long)cnt[k][j]);
}

static const char* check_name(int i) {
  static char b[96];
  static const char* modes[5] = {"2c-trunc", "2c-floor", "2c-rne", "sm-trunc", "sm-rne"};
  if (i < 15) { snprintf(b, sizeof b, "ex2.ftz fixed F=%d %s (class0 x>=0, class1 x<0)", 22 + i / 5, modes[i % 5]); return b; }
  switch (i) {
    case 15: return "rcp.ftz model (class: sign)";
    case 16: return "rsqrt.ftz model (class: sign)";
    case 17: return "lg2.ftz RN(E+L1[m]) (class E=0, E=-1, E>0, E<-1) [list 4]";
    case 18: return "lg2.ftz RZ(E+L1[m])";
    case 19: return "lg2.ftz RN with L0 table for E<=-1";
    case 20: return "ex2.approx.f32 != ftz (class0: input & ftz result normal) [list 0]";
    case 21: return "rcp.approx.f32 != ftz [list 1]";
    case 22: return "rsqrt.approx.f32 != ftz [list 2]";
    case 23: return "lg2.approx.f32 != ftz [list 3]";
    case 36: return "sqrt.approx.ftz.f32 != RN sqrt [list 5]";
  }
  if (i >= 24 && i <= 35) { snprintf(b, sizeof b, "tanh(u) != tanh(u & ~(2^%d-1))", i - 23); return b; }
  return "unused";
}

static void write_file(const std::string& path, const void* p, size_t n) {
  FILE* f = fopen(path.c_str(), "wb");
  if (!f || fwrite(p, 1, n, f) != n) { perror(path.c_str()); exit(1); }
  fclose(f);
}

int main(int argc, char** argv) {
  if (argc < 2) { fprintf(stderr, "usage: probe OUTDIR [LOG2_STRIDE]\n"); return 2; }
  std::string dir = argv[1];
  unsigned stride = 1u << (argc > 2 ? atoi(argv[2]) : 0);
  FILE* sum = fopen((dir + "/summary.txt").c_str(), "w");
  cudaDeviceProp prop; CK(cudaGetDeviceProperties(&prop, 0));
  int drv = 0; cudaDriverGetVersion(&drv);
  fprintf(sum, "device: %s, sm_%d%d, driver API %d, stride %u\n", prop.name, prop.major, prop.minor, drv, stride);
  fprintf(sum, "hash order:");
  for (int f = 0; f < NFUNCS; f++) fprintf(sum, " %s", FUNCS[f]);
  fprintf(sum, "\n");

  unsigned* t; CK(cudaMalloc(&t, (size_t)T_TOTAL * 4));
  CK(cudaMemset(t, 0, (size_t)T_TOTAL * 4));
  k_tables<<<(1 << 24) / 256 / stride + 1, 256>>>(t, stride);
  CK(cudaDeviceSynchronize());
  std::vector<unsigned> ht(T_TOTAL);
  CK(cudaMemcpy(ht.data(), t, (size_t)T_TOTAL * 4, cudaMemcpyDeviceToHost));
  // Each table as deltas of consecutive result bits: one signed byte, or 0x80 and the 4 bytes
  // of the value (compresses to ~1 bit an entry where a raw u32 table would not).
  const char* tnames[5] = {"ex2p", "ex2n", "rcp", "rsq", "lg2"};
  const unsigned tstart[6] = {T_EX2P, T_EX2N, T_RCP, T_RSQ, T_LG2, T_TOTAL};
  for (int k = 0; k < 5; k++) {
    std::vector<unsigned char> d;
    unsigned prev = 0;
    for (unsigned i = tstart[k]; i < tstart[k + 1]; i++) {
      int dd = (int)(ht[i] - prev);
      if (dd >= -127 && dd <= 127) d.push_back((unsigned char)(signed char)dd);
      else { d.push_back(0x80); for (int b = 0; b < 4; b++) d.push_back((unsigned char)(ht[i] >> (8 * b))); }
      prev = ht[i];
    }
    write_file(dir + "/table-" + tnames[k] + ".d8", d.data(), d.size());
  }

  unsigned short* h; CK(cudaMalloc(&h, 4 * 65536 * 2));
  k_half<<<256, 256>>>(h);
  CK(cudaDeviceSynchronize());
  std::vector<unsigned short> hh(4 * 65536);
  CK(cudaMemcpy(hh.data(), h, hh.size() * 2, cudaMemcpyDeviceToHost));
  write_file(dir + "/half.bin", hh.data(), hh.size() * 2);
  unsigned long long* bad; CK(cudaMalloc(&bad, 8)); CK(cudaMemset(bad, 0, 8));
  k_half_packed<<<std::max(1u, 1024u / stride), 256>>>(h, bad, stride);
  CK(cudaDeviceSynchronize());
  unsigned long long hb; CK(cudaMemcpy(&hb, bad, 8, cudaMemcpyDeviceToHost));
  fprintf(sum, "packed x2 forms != scalar tables (bytes: ex2.f16x2, ex2.bf16x2, tanh.f16x2, tanh.bf16x2): %016llx\n", hb);

  unsigned long long* hs; CK(cudaMalloc(&hs, (size_t)NFUNCS * 16384 * 8));
  CK(cudaMemset(hs, 0, (size_t)NFUNCS * 16384 * 8));
  if (stride == 1)  // (a sampled run under cuemu skips them: millions of threads)
    for (int f = 0; f < NFUNCS; f++) k_hash<<<16384, 256>>>(f, hs + (size_t)f * 16384, stride);
  CK(cudaDeviceSynchronize());
  std::vector<unsigned long long> hhs((size_t)NFUNCS * 16384);
  CK(cudaMemcpy(hhs.data(), hs, hhs.size() * 8, cudaMemcpyDeviceToHost));
  write_file(dir + "/hashes.bin", hhs.data(), hhs.size() * 8);

  Check* c; CK(cudaMalloc(&c, NCHK * sizeof(Check))); CK(cudaMemset(c, 0, NCHK * sizeof(Check)));
  const unsigned cap = 1u << 20;
  Lists hl; memset(&hl, 0, sizeof hl); hl.cap = cap;
  CK(cudaMalloc(&hl.data, (size_t)8 * cap * 8));
  Lists* L; CK(cudaMalloc(&L, sizeof(Lists))); CK(cudaMemcpy(L, &hl, sizeof hl, cudaMemcpyHostToDevice));
  unsigned long long* tor; CK(cudaMalloc(&tor, 8)); CK(cudaMemset(tor, 0, 8));
  k_check<<<std::max(1u, 4096u / stride), 256>>>(t, c, L, stride, tor);
  CK(cudaDeviceSynchronize());
  std::vector<Check> hc(NCHK);
  CK(cudaMemcpy(hc.data(), c, NCHK * sizeof(Check), cudaMemcpyDeviceToHost));
  CK(cudaMemcpy(&hl, L, sizeof hl, cudaMemcpyDeviceToHost));
  unsigned long long ho; CK(cudaMemcpy(&ho, tor, 8, cudaMemcpyDeviceToHost));
  for (int i = 0; i < NCHK; i++) {
    if (i > 36) break;
    fprintf(sum, "check %d: %s: %llu %llu %llu %llu\n", i, check_name(i), hc[i].count[0], hc[i].count[1], hc[i].count[2], hc[i].count[3]);
    for (unsigned k = 0; k < std::min(hc[i].n_ex, (unsigned)NEX); k++)
      fprintf(sum, "    x=%08x got=%08x model=%08x\n", hc[i].ex[k][0], hc[i].ex[k][1], hc[i].ex[k][2]);
  }
  fprintf(sum, "tanh result bits OR: %08llx\n", ho);
  std::vector<unsigned> ld((size_t)8 * cap * 2);
  CK(cudaMemcpy(ld.data(), hl.data, ld.size() * 4, cudaMemcpyDeviceToHost));
  FILE* lf = fopen((dir + "/lists.bin").c_str(), "wb");
  for (int l = 0; l < 8; l++) {
    unsigned n = std::min(hl.n[l], cap);
    fprintf(sum, "list %d: %u entries (%u kept)\n", l, hl.n[l], n);
    std::vector<std::pair<unsigned, unsigned>> v(n);
    for (unsigned k = 0; k < n; k++) v[k] = {ld[((size_t)l * cap + k) * 2], ld[((size_t)l * cap + k) * 2 + 1]};
    std::sort(v.begin(), v.end());
    fwrite(&n, 4, 1, lf);
    for (auto& p : v) { fwrite(&p.first, 4, 1, lf); fwrite(&p.second, 4, 1, lf); }
  }
  fclose(lf);
  fclose(sum);
  return 0;
}
