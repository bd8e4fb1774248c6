// warp_shuffle.cu — warp-level primitives: __shfl_{down,up,xor,}_sync with full and
// sub-warp widths (8, 16), broadcasts, arbitrary permutations and out-of-range source
// lanes, partial masks, 64-bit and floating-point shuffles; __ballot_sync, __any_sync,
// __all_sync, __activemask (also inside a divergent branch), __match_{any,all}_sync;
// warp and block reductions; and a block whose last warp is only partially populated.
// Expected values come from a host model of the PTX shfl.sync semantics.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_runtime.h>

#include "check.h"

#define FULL 0xffffffffu

static int g_failures = 0;
static int g_checks = 0;
static void report(bool ok, const char* what) {
  ++g_checks;
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

enum Mode { UP = 0, DOWN = 1, XOR = 2, IDX = 3 };

// Source-lane patterns for IDX.
__host__ __device__ inline int idx_src(int pattern, int lane, int arg) {
  switch (pattern) {
    case 0: return arg;                    // broadcast
    case 1: return 31 - lane;              // reversal
    case 2: return (lane * 7 + 3) & 31;    // permutation
    case 3: return lane + 37;              // out of range: only the low bits count
    case 4: return (lane * 13 + 5) & 31;   // permutation
    case 5: return lane * 3 + 1;           // out of range for sub-warp widths
    default: return lane ^ arg;
  }
}

// Host model of shfl.sync (PTX ISA): returns the source lane, or the own lane when the
// source is out of the segment.
static int model_src(int mode, int lane, int b, int width) {
  int segmask = (32 - width) & 31;
  int cval = mode == UP ? 0 : 31;
  int maxLane = (lane & segmask) | (cval & ~segmask);
  int minLane = lane & segmask;
  int j;
  bool ok;
  b &= 31;
  switch (mode) {
    case UP: j = lane - b; ok = j >= maxLane; break;
    case DOWN: j = lane + b; ok = j <= maxLane; break;
    case XOR: j = lane ^ b; ok = j <= maxLane; break;
    default: j = minLane | (b & ~segmask); ok = j <= maxLane; break;
  }
  return ok ? j : lane;
}

template <int MODE, int WIDTH>
__global__ void k_shfl(const int* in, int* out, int arg, int pattern) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31;
  int v = in[g];
  int r;
  if (MODE == UP) r = __shfl_up_sync(FULL, v, arg, WIDTH);
  else if (MODE == DOWN) r = __shfl_down_sync(FULL, v, arg, WIDTH);
  else if (MODE == XOR) r = __shfl_xor_sync(FULL, v, arg, WIDTH);
  else r = __shfl_sync(FULL, v, idx_src(pattern, lane, arg), WIDTH);
  out[g] = r;
}

// Same with a width only known at run time.
__global__ void k_shfl_rt(const int* in, int* out, int mode, int arg, int width) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int v = in[g];
  int r;
  switch (mode) {
    case UP: r = __shfl_up_sync(FULL, v, arg, width); break;
    case DOWN: r = __shfl_down_sync(FULL, v, arg, width); break;
    case XOR: r = __shfl_xor_sync(FULL, v, arg, width); break;
    default: r = __shfl_sync(FULL, v, arg, width); break;
  }
  out[g] = r;
}

// Typed shuffles: float, double, long long, unsigned long long.
__global__ void k_typed(const int* in, float* of, double* od, long long* ol, unsigned long long* ou) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31;
  int v = in[g];
  float f = v * 0.5f;
  double d = v * 0.25 + 1e10;
  long long l = (long long)v * 8589934592LL + v;  // v * 2^33 + v
  unsigned long long u = 0xF00000000000000Full ^ (unsigned long long)(unsigned)v;
  of[g] = __shfl_xor_sync(FULL, f, 5);
  od[g] = __shfl_sync(FULL, d, (lane * 7 + 3) & 31);
  ol[g] = __shfl_down_sync(FULL, l, 3, 16);
  ou[g] = __shfl_up_sync(FULL, u, 1, 8);
}

// Partial masks: only the named lanes call the shuffle; sources are inside the mask.
__global__ void k_partial_mask(const int* in, int* out) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31;
  int v = in[g];
  int* o = out + 3 * g;
  o[0] = o[1] = o[2] = -1;
  if ((lane & 1) == 0) o[0] = __shfl_sync(0x55555555u, v, (lane + 2) & 31);
  if (lane < 16) {
    o[1] = __shfl_down_sync(0x0000ffffu, v, 4, 16);
    o[2] = __shfl_xor_sync(0x0000ffffu, v, 3, 16);
  } else {
    o[2] = __shfl_up_sync(0xffff0000u, v, 2, 16);
  }
}

#define NVOTE 16
__global__ void k_vote(const int* in, const int* parity, unsigned* out) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31;
  int v = in[g];
  unsigned* o = out + NVOTE * g;
  o[0] = __ballot_sync(FULL, lane % 3 == 0);
  o[1] = __ballot_sync(FULL, (v >> 2) & 1);
  o[2] = __any_sync(FULL, lane == 17);
  o[3] = __any_sync(FULL, v == 123456789);
  o[4] = __all_sync(FULL, v > -100000);
  o[5] = __all_sync(FULL, lane < 31);
  o[6] = __activemask();
  // Divergent branch on data loaded from memory (odd lanes / even lanes).
  if (parity[g] & 1) {
    unsigned am = __activemask();
    o[7] = am;
    o[8] = __ballot_sync(am, lane > 10);
    o[9] = __any_sync(am, lane == 4);
    o[10] = __all_sync(am, lane & 1);
  } else {
    unsigned am = __activemask();
    o[7] = am;
    o[8] = __ballot_sync(am, lane < 6);
    o[9] = __any_sync(am, lane == 4);
    o[10] = __all_sync(am, lane < 20);
  }
  // After reconvergence: the whole warp votes again.
  o[11] = __ballot_sync(FULL, o[8] != 0 && (lane & 2));
  if (lane < 16) {
    o[12] = __ballot_sync(0x0000ffffu, lane & 4);
    o[13] = __all_sync(0x0000ffffu, v < 1000000);
  } else {
    o[12] = __ballot_sync(0xffff0000u, lane & 4);
    o[13] = __any_sync(0xffff0000u, lane == 16);
  }
  o[14] = __match_any_sync(FULL, (v >> 3) & 3);
  int pred = -1;
  o[15] = __match_all_sync(FULL, blockIdx.x * 3 + 1, &pred) ^ (pred ? 0u : 0x12345678u);
}

// Warp sums (down-reduction to lane 0, xor butterfly to all lanes), sums over segments of 8,
// and a block sum combining per-warp results through shared memory.
__global__ void k_sums(const int* in, int* down0, int* xall, int* seg8, float* fsum, int* block_sum) {
  __shared__ int warp_sums[32];
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  int v = in[g];
  int s = v;
  for (int off = 16; off > 0; off >>= 1) s += __shfl_down_sync(FULL, s, off);
  if (lane == 0) down0[g >> 5] = s;
  int x = v;
  for (int m = 1; m < 32; m <<= 1) x += __shfl_xor_sync(FULL, x, m);
  xall[g] = x;
  int q = v;
  for (int m = 4; m > 0; m >>= 1) q += __shfl_xor_sync(FULL, q, m, 8);
  seg8[g] = q;
  float f = (float)v;
  for (int off = 16; off > 0; off >>= 1) f += __shfl_down_sync(FULL, f, off);
  if (lane == 0) fsum[g >> 5] = f;
  if (lane == 0) warp_sums[warp] = s;
  __syncthreads();
  if (warp == 0) {
    int nw = (blockDim.x + 31) >> 5;
    int t = lane < nw ? warp_sums[lane] : 0;
    for (int off = 16; off > 0; off >>= 1) t += __shfl_down_sync(FULL, t, off);
    if (lane == 0) block_sum[blockIdx.x] = t;
  }
}

// Block of 48 threads: warp 1 has only 16 lanes, so it must name exactly those lanes.
__global__ void k_partial_warp(const int* in, int* out) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  int present = (int)blockDim.x - warp * 32;
  unsigned mask = present >= 32 ? FULL : ((1u << present) - 1u);
  int v = in[g];
  int* o = out + 5 * g;
  o[0] = (int)__activemask();
  o[1] = (int)__ballot_sync(mask, lane & 1);
  o[2] = __shfl_xor_sync(mask, v, 1, 16);
  o[3] = __shfl_down_sync(mask, v, 2, 16);
  int s = v;
  for (int m = 8; m > 0; m >>= 1) s += __shfl_xor_sync(mask, s, m, 16);
  o[4] = s;
}

static const int BLOCK = 128, GRID = 2, N = BLOCK * GRID;
static int h_in[N];
static int *d_in, *d_out;

static bool check_model(const int* got, int mode, int arg, int width, int pattern) {
  for (int g = 0; g < N; ++g) {
    int lane = g & 31, base = g & ~31;
    int b = mode == IDX ? idx_src(pattern, lane, arg) : arg;
    int want = h_in[base + model_src(mode, lane, b, width)];
    if (got[g] != want) {
      printf("  mismatch at thread %d: got %d want %d\n", g, got[g], want);
      return false;
    }
  }
  return true;
}

static const char* mode_name(int m) {
  return m == UP ? "up" : m == DOWN ? "down" : m == XOR ? "xor" : "idx";
}

template <int MODE, int WIDTH>
static void t_shfl(int arg, int pattern = 0) {
  CHECK(cudaMemset(d_out, 0, N * sizeof(int)));
  k_shfl<MODE, WIDTH><<<GRID, BLOCK>>>(d_in, d_out, arg, pattern);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  int got[N];
  CHECK(cudaMemcpy(got, d_out, sizeof got, cudaMemcpyDeviceToHost));
  char what[160];
  if (MODE == IDX)
    snprintf(what, sizeof what, "shfl_%s width=%d pattern=%d arg=%d", mode_name(MODE), WIDTH, pattern, arg);
  else
    snprintf(what, sizeof what, "shfl_%s width=%d arg=%d", mode_name(MODE), WIDTH, arg);
  report(check_model(got, MODE, arg, WIDTH, pattern), what);
}

static void t_shfl_rt(int mode, int arg, int width) {
  CHECK(cudaMemset(d_out, 0, N * sizeof(int)));
  k_shfl_rt<<<GRID, BLOCK>>>(d_in, d_out, mode, arg, width);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  int got[N];
  CHECK(cudaMemcpy(got, d_out, sizeof got, cudaMemcpyDeviceToHost));
  char what[160];
  snprintf(what, sizeof what, "shfl_%s runtime width=%d arg=%d", mode_name(mode), width, arg);
  // IDX with the runtime kernel is a plain srcLane=arg broadcast (pattern 0).
  report(check_model(got, mode, arg, width, 0), what);
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  for (int g = 0; g < N; ++g) h_in[g] = g * 7 - 1000;
  CHECK(cudaMalloc(&d_in, N * sizeof(int)));
  CHECK(cudaMalloc(&d_out, 16 * N * sizeof(unsigned)));
  CHECK(cudaMemcpy(d_in, h_in, sizeof h_in, cudaMemcpyHostToDevice));

  // Full-width shuffles.
  for (int d : {0, 1, 2, 3, 4, 8, 16, 31}) t_shfl<DOWN, 32>(d);
  for (int d : {1, 2, 5, 16, 31}) t_shfl<UP, 32>(d);
  for (int m : {1, 2, 4, 5, 8, 16, 31}) t_shfl<XOR, 32>(m);
  t_shfl<IDX, 32>(0, 0);
  t_shfl<IDX, 32>(5, 0);
  t_shfl<IDX, 32>(31, 0);
  for (int p = 1; p <= 5; ++p) t_shfl<IDX, 32>(0, p);
  t_shfl<IDX, 32>(9, 6);
  // Sub-warp widths.
  for (int d : {1, 3, 7}) t_shfl<DOWN, 8>(d);
  for (int d : {1, 4, 15}) t_shfl<DOWN, 16>(d);
  for (int d : {2, 7}) t_shfl<UP, 8>(d);
  for (int d : {1, 5}) t_shfl<UP, 16>(d);
  for (int m : {1, 4, 7, 8, 16}) t_shfl<XOR, 8>(m);  // 8 and 16 reach other segments
  for (int m : {3, 8, 15, 16}) t_shfl<XOR, 16>(m);
  for (int p = 0; p <= 5; ++p) t_shfl<IDX, 8>(3, p);
  for (int p = 0; p <= 5; ++p) t_shfl<IDX, 16>(11, p);
  t_shfl<DOWN, 2>(1);
  t_shfl<XOR, 4>(2);
  t_shfl<IDX, 1>(0, 2);
  // Runtime widths.
  t_shfl_rt(DOWN, 2, 8);
  t_shfl_rt(UP, 3, 16);
  t_shfl_rt(XOR, 6, 8);
  t_shfl_rt(IDX, 13, 16);
  t_shfl_rt(IDX, 4, 4);

  // Typed shuffles.
  {
    float* df;
    double* dd;
    long long* dl;
    unsigned long long* du;
    CHECK(cudaMalloc(&df, N * sizeof(float)));
    CHECK(cudaMalloc(&dd, N * sizeof(double)));
    CHECK(cudaMalloc(&dl, N * sizeof(long long)));
    CHECK(cudaMalloc(&du, N * sizeof(unsigned long long)));
    k_typed<<<GRID, BLOCK>>>(d_in, df, dd, dl, du);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    static float hf[N];
    static double hd[N];
    static long long hl[N];
    static unsigned long long hu[N];
    CHECK(cudaMemcpy(hf, df, sizeof hf, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hd, dd, sizeof hd, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hl, dl, sizeof hl, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hu, du, sizeof hu, cudaMemcpyDeviceToHost));
    bool okf = true, okd = true, okl = true, oku = true;
    for (int g = 0; g < N; ++g) {
      int lane = g & 31, base = g & ~31;
      int vf = h_in[base + model_src(XOR, lane, 5, 32)];
      int vd = h_in[base + model_src(IDX, lane, (lane * 7 + 3) & 31, 32)];
      int vl = h_in[base + model_src(DOWN, lane, 3, 16)];
      int vu = h_in[base + model_src(UP, lane, 1, 8)];
      if (hf[g] != vf * 0.5f) okf = false;
      if (hd[g] != vd * 0.25 + 1e10) okd = false;
      if (hl[g] != (long long)vl * 8589934592LL + vl) okl = false;
      if (hu[g] != (0xF00000000000000Full ^ (unsigned long long)(unsigned)vu)) oku = false;
    }
    report(okf, "shfl_xor float");
    report(okd, "shfl idx double (permutation)");
    report(okl, "shfl_down long long width=16");
    report(oku, "shfl_up unsigned long long width=8");
    CHECK(cudaFree(df));
    CHECK(cudaFree(dd));
    CHECK(cudaFree(dl));
    CHECK(cudaFree(du));
  }

  // Partial masks.
  {
    k_partial_mask<<<GRID, BLOCK>>>(d_in, d_out);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    static int got[3 * N];
    CHECK(cudaMemcpy(got, d_out, sizeof got, cudaMemcpyDeviceToHost));
    bool ok0 = true, ok1 = true, ok2 = true;
    for (int g = 0; g < N; ++g) {
      int lane = g & 31, base = g & ~31;
      int w0 = (lane & 1) == 0 ? h_in[base + ((lane + 2) & 31)] : -1;
      int w1 = lane < 16 ? h_in[base + model_src(DOWN, lane, 4, 16)] : -1;
      int w2 = lane < 16 ? h_in[base + model_src(XOR, lane, 3, 16)]
                         : h_in[base + model_src(UP, lane, 2, 16)];
      if (got[3 * g] != w0) ok0 = false;
      if (got[3 * g + 1] != w1) ok1 = false;
      if (got[3 * g + 2] != w2) ok2 = false;
    }
    report(ok0, "shfl idx with mask 0x55555555 (even lanes only)");
    report(ok1, "shfl_down with mask 0x0000ffff width=16");
    report(ok2, "shfl_xor/up with half-warp masks width=16");
  }

  // Votes.
  {
    static int parity[N];
    for (int g = 0; g < N; ++g) parity[g] = (g & 31) & 1 ? 3 : 10;
    int* dpar;
    CHECK(cudaMalloc(&dpar, sizeof parity));
    CHECK(cudaMemcpy(dpar, parity, sizeof parity, cudaMemcpyHostToDevice));
    k_vote<<<GRID, BLOCK>>>(d_in, dpar, (unsigned*)d_out);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    static unsigned got[NVOTE * N];
    CHECK(cudaMemcpy(got, d_out, sizeof got, cudaMemcpyDeviceToHost));
    const char* names[NVOTE] = {
        "ballot(lane%3==0)", "ballot(data bit)", "any(lane==17)", "any(never)",
        "all(always)", "all(lane<31)", "activemask converged",
        "activemask in divergent branch", "ballot(activemask) in divergent branch",
        "any(activemask) in divergent branch", "all(activemask) in divergent branch",
        "ballot after reconvergence", "ballot with half-warp masks",
        "all/any with half-warp masks", "match_any_sync", "match_all_sync"};
    bool ok[NVOTE];
    for (int k = 0; k < NVOTE; ++k) ok[k] = true;
    for (int w = 0; w < N / 32; ++w) {
      unsigned b_data = 0, m_groups[4] = {0, 0, 0, 0};
      for (int l = 0; l < 32; ++l) {
        int v = h_in[w * 32 + l];
        if ((v >> 2) & 1) b_data |= 1u << l;
        m_groups[(v >> 3) & 3] |= 1u << l;
      }
      for (int l = 0; l < 32; ++l) {
        int g = w * 32 + l;
        int v = h_in[g];
        bool odd = l & 1;
        unsigned am = odd ? 0xAAAAAAAAu : 0x55555555u;
        unsigned want[NVOTE];
        want[0] = 0x49249249u;
        want[1] = b_data;
        want[2] = 1;
        want[3] = 0;
        want[4] = 1;
        want[5] = 0;
        want[6] = FULL;
        want[7] = am;
        want[8] = odd ? (am & 0xFFFFF800u) : (am & 0x3Fu);
        want[9] = odd ? 0 : 1;
        want[10] = odd ? 1 : 0;
        want[11] = 0xCCCCCCCCu;
        want[12] = l < 16 ? 0x0000F0F0u : 0xF0F00000u;
        want[13] = 1;
        want[14] = m_groups[(v >> 3) & 3];
        want[15] = FULL;
        for (int k = 0; k < NVOTE; ++k) {
          unsigned gotv = got[NVOTE * g + k];
          bool good = k >= 2 && k <= 5 ? ((gotv != 0) == (want[k] != 0)) : gotv == want[k];
          if (k == 9 || k == 10 || k == 13) good = (gotv != 0) == (want[k] != 0);
          if (!good) {
            if (ok[k]) printf("  %s: thread %d got 0x%08x want 0x%08x\n", names[k], g, gotv, want[k]);
            ok[k] = false;
          }
        }
      }
    }
    for (int k = 0; k < NVOTE; ++k) report(ok[k], names[k]);
    CHECK(cudaFree(dpar));
  }

  // Reductions.
  {
    int *ddown, *dx, *dseg, *dblock;
    float* dfs;
    CHECK(cudaMalloc(&ddown, N / 32 * sizeof(int)));
    CHECK(cudaMalloc(&dx, N * sizeof(int)));
    CHECK(cudaMalloc(&dseg, N * sizeof(int)));
    CHECK(cudaMalloc(&dfs, N / 32 * sizeof(float)));
    CHECK(cudaMalloc(&dblock, GRID * sizeof(int)));
    k_sums<<<GRID, BLOCK>>>(d_in, ddown, dx, dseg, dfs, dblock);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    int hdown[N / 32], hx[N], hseg[N], hblock[GRID];
    float hfs[N / 32];
    CHECK(cudaMemcpy(hdown, ddown, sizeof hdown, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hx, dx, sizeof hx, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hseg, dseg, sizeof hseg, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hfs, dfs, sizeof hfs, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hblock, dblock, sizeof hblock, cudaMemcpyDeviceToHost));
    bool okd = true, okx = true, oks = true, okf = true, okb = true;
    for (int w = 0; w < N / 32; ++w) {
      int ws = 0;
      for (int l = 0; l < 32; ++l) ws += h_in[w * 32 + l];
      if (hdown[w] != ws) okd = false;
      if (hfs[w] != (float)ws) okf = false;
      for (int l = 0; l < 32; ++l) {
        if (hx[w * 32 + l] != ws) okx = false;
        int ss = 0;
        for (int k = 0; k < 8; ++k) ss += h_in[w * 32 + (l & ~7) + k];
        if (hseg[w * 32 + l] != ss) oks = false;
      }
    }
    int total = 0;
    for (int b = 0; b < GRID; ++b) {
      int bs = 0;
      for (int t = 0; t < BLOCK; ++t) bs += h_in[b * BLOCK + t];
      if (hblock[b] != bs) okb = false;
      total += hblock[b];
    }
    char what[120];
    report(okd, "warp sum via shfl_down (lane 0)");
    report(okx, "warp sum via shfl_xor butterfly (all lanes)");
    report(oks, "segment-of-8 sums via shfl_xor width=8");
    report(okf, "float warp sum via shfl_down");
    snprintf(what, sizeof what, "block sums through shared memory, total=%d", total);
    report(okb, what);
    CHECK(cudaFree(ddown));
    CHECK(cudaFree(dx));
    CHECK(cudaFree(dseg));
    CHECK(cudaFree(dfs));
    CHECK(cudaFree(dblock));
  }

  // Partially populated last warp (48-thread blocks).
  {
    const int pb = 48, pg = 3, pn = pb * pg;
    k_partial_warp<<<pg, pb>>>(d_in, d_out);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    static int got[5 * 48 * 3];
    CHECK(cudaMemcpy(got, d_out, sizeof got, cudaMemcpyDeviceToHost));
    bool ok[5] = {true, true, true, true, true};
    for (int g = 0; g < pn; ++g) {
      int t = g % pb, lane = t & 31, warp = t >> 5;
      int wbase = g - lane;
      int present = pb - warp * 32;
      unsigned mask = present >= 32 ? FULL : ((1u << present) - 1u);
      int want[5];
      want[0] = (int)mask;
      want[1] = (int)(mask & 0xAAAAAAAAu);
      want[2] = h_in[wbase + model_src(XOR, lane, 1, 16)];
      want[3] = h_in[wbase + model_src(DOWN, lane, 2, 16)];
      int s = 0;
      for (int k = 0; k < 16; ++k) s += h_in[wbase + (lane & 16) + k];
      want[4] = s;
      for (int k = 0; k < 5; ++k)
        if (got[5 * g + k] != want[k]) ok[k] = false;
    }
    report(ok[0], "partial warp: activemask");
    report(ok[1], "partial warp: ballot");
    report(ok[2], "partial warp: shfl_xor width=16");
    report(ok[3], "partial warp: shfl_down width=16");
    report(ok[4], "partial warp: half-warp sums");
  }

  CHECK(cudaFree(d_in));
  CHECK(cudaFree(d_out));
  printf("warp_shuffle: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
