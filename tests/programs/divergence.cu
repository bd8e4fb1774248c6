// divergence.cu — control flow that splits warps: nested if/else on lane-dependent data,
// loops with per-lane trip counts and break/continue, a many-case switch, per-lane
// recursion depth, early return from some threads (with votes among the survivors using a
// mask computed before the exit), a warp vote after reconvergence, and __syncthreads()
// after block-uniform early exits and in loops whose trip counts are block-uniform.
// The device code and the host reference share the same __host__ __device__ functions.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
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

__host__ __device__ unsigned nested(unsigned x) {
  unsigned r;
  if (x & 1) {
    if (x % 3 == 0) {
      r = x * 5u + 1u;
    } else if (x % 7 == 2) {
      r = x ^ 0xdeadbeefu;
    } else {
      if (x > 1000) r = x / 3u; else r = x * x;
    }
  } else {
    if ((x >> 3) & 1) {
      r = ~x;
    } else {
      r = x + 12345u;
      if (r & 16) r <<= 2; else r >>= 1;
    }
  }
  return r;
}

__host__ __device__ unsigned loops(unsigned x) {
  unsigned acc = x;
  unsigned trips = x % 37;
  for (unsigned k = 0; k < trips; ++k) {
    if (k % 5 == 3) continue;
    acc = acc * 31u + k;
    if ((acc & 0xff) == 0x5a) break;
    unsigned j = 0;
    while (j < (k & 3)) {
      acc ^= acc >> 7;
      ++j;
    }
  }
  // do-while with a data-dependent exit
  unsigned m = x | 1u;
  do {
    m = (m & 1) ? 3u * m + 1u : m / 2u;
  } while (m != 1u && m < 100000u);
  return acc + m;
}

__host__ __device__ int many_cases(int x) {
  switch (x % 19) {
    case 0: return x + 100;
    case 1: return x * 2;
    case 2: return -x;
    case 3: return x ^ 0x55;
    case 4: return x - 7;
    case 5:
    case 6: return x * 3 + 1;
    case 7: return x >> 1;
    case 8: return x << 2;
    case 9: return x % 11;
    case 10: return 42;
    case 11: { int s = 0; for (int i = 0; i < (x & 15); ++i) s += i; return s; }
    case 12: return x & 0xf0f;
    case 13: return x | 0x1000;
    case 14: return 1000 - x;
    case 15: return x / 5;
    case 16: return (x % 1009) * (x % 1009) % 1009;
    case 17: return (x & 1) ? 17 : -17;
    default: return -1;
  }
}

// Recursion with a per-lane depth.
__host__ __device__ __noinline__ int rec(int depth, int x) {
  if (depth <= 0) return x & 0xff;
  if (depth & 1) return rec(depth - 1, x * 3 + depth) + 1;
  return rec(depth - 2 > 0 ? depth - 2 : 0, x ^ depth) + rec(depth - 1, x + 1) % 7;
}

#define NOUT 8
__global__ void divergent(const unsigned* in, int* out, int n) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31;
  // Every thread of the (full) warps computes; inputs beyond n use a dummy value so the
  // warp stays complete for the votes below.
  unsigned x = g < n ? in[g] : 0u;
  unsigned a = nested(x);
  unsigned b = loops(x);
  int c = many_cases((int)(x & 0x7fffffff));
  int d = rec((int)(x % 9), (int)(x & 0xffff));
  // Reconverged: whole-warp vote on per-lane results.
  unsigned vote = __ballot_sync(FULL, (a ^ b) & 1);
  unsigned anyv = __any_sync(FULL, c == 42);
  if (g < n) {
    int* o = out + NOUT * g;
    o[0] = (int)a;
    o[1] = (int)b;
    o[2] = c;
    o[3] = d;
    o[4] = (int)vote;
    o[5] = (int)anyv;
    o[6] = lane;
  }
}

// Some threads return early; the survivors vote with a mask computed before the exit.
__global__ void early_exit(const unsigned* in, int* out) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x & 31;
  unsigned x = in[g];
  bool leave = (x % 5 == 0) || lane == 31;
  unsigned stay = __ballot_sync(FULL, !leave);
  out[2 * g] = -7;
  out[2 * g + 1] = -7;
  if (leave) return;
  unsigned v = __ballot_sync(stay, x & 2);
  int s = (int)(x & 0xff);
  // Sum over surviving lanes via a shuffle from the next surviving lane (circularly).
  unsigned higher = stay & ~((2u << lane) - 1u);
  int next = higher ? __ffs(higher) - 1 : __ffs(stay) - 1;
  int r = __shfl_sync(stay, s, next);
  out[2 * g] = (int)v;
  out[2 * g + 1] = r;
}

// Block-uniform early exit followed by __syncthreads() among the remaining blocks, and a
// loop whose trip count is uniform per block but differs between blocks.
__global__ void uniform_exit_sync(const int* in, int* out, int active_blocks) {
  __shared__ int buf[256];
  if (blockIdx.x >= active_blocks) return;  // whole blocks leave: the barrier stays valid
  int t = threadIdx.x;
  buf[t] = in[blockIdx.x * blockDim.x + t];
  __syncthreads();
  int rounds = 1 + blockIdx.x % 4;
  for (int r = 0; r < rounds; ++r) {
    int left = buf[(t + blockDim.x - 1) % blockDim.x];
    int right = buf[(t + 1) % blockDim.x];
    __syncthreads();
    buf[t] = (left + right + buf[t]) % 1000003;
    __syncthreads();
  }
  // Divergent work between barriers: odd threads do more, everyone reaches the barrier.
  int extra = 0;
  if (t & 1) {
    for (int k = 0; k < t % 13; ++k) extra += buf[(t + k) % blockDim.x] & 7;
  } else {
    extra = -buf[t] % 5;
  }
  __syncthreads();
  out[blockIdx.x * blockDim.x + t] = buf[t] + extra;
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  // ---- divergent compute ----
  const int n = 4000;  // not a multiple of the block size: the last warp has dummy lanes
  std::vector<unsigned> hin(n);
  unsigned st = 2463534242u;
  for (int i = 0; i < n; ++i) {
    st ^= st << 13; st ^= st >> 17; st ^= st << 5;
    hin[i] = (i % 3 == 0) ? (unsigned)i : st % 100000u;
  }
  unsigned* din;
  int* dout;
  const int grid = (n + 127) / 128;
  CHECK(cudaMalloc(&din, grid * 128 * sizeof(unsigned)));
  CHECK(cudaMemset(din, 0, grid * 128 * sizeof(unsigned)));
  CHECK(cudaMemcpy(din, hin.data(), n * sizeof(unsigned), cudaMemcpyHostToDevice));
  CHECK(cudaMalloc(&dout, NOUT * grid * 128 * sizeof(int)));
  divergent<<<grid, 128>>>(din, dout, n);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  std::vector<int> got(NOUT * n);
  CHECK(cudaMemcpy(got.data(), dout, NOUT * n * sizeof(int), cudaMemcpyDeviceToHost));
  {
    bool ok[7] = {true, true, true, true, true, true, true};
    for (int w = 0; w * 32 < n; ++w) {
      unsigned vote = 0;
      bool anyv = false;
      for (int l = 0; l < 32; ++l) {
        int g = w * 32 + l;
        unsigned x = g < n ? hin[g] : 0u;
        if ((nested(x) ^ loops(x)) & 1) vote |= 1u << l;
        if (many_cases((int)(x & 0x7fffffff)) == 42) anyv = true;
      }
      for (int l = 0; l < 32 && w * 32 + l < n; ++l) {
        int g = w * 32 + l;
        unsigned x = hin[g];
        const int* o = &got[NOUT * g];
        if (o[0] != (int)nested(x)) ok[0] = false;
        if (o[1] != (int)loops(x)) ok[1] = false;
        if (o[2] != many_cases((int)(x & 0x7fffffff))) ok[2] = false;
        if (o[3] != rec((int)(x % 9), (int)(x & 0xffff))) ok[3] = false;
        if (o[4] != (int)vote) ok[4] = false;
        if ((o[5] != 0) != anyv) ok[5] = false;
        if (o[6] != l) ok[6] = false;
      }
    }
    report(ok[0], "nested if/else on lane data");
    report(ok[1], "loops with per-lane trip counts, break/continue, do-while");
    report(ok[2], "switch with 19 cases");
    report(ok[3], "recursion with per-lane depth");
    report(ok[4], "ballot after reconvergence");
    report(ok[5], "any after reconvergence");
    report(ok[6], "lane ids");
  }

  // ---- early exit ----
  {
    const int ne = 1024;
    std::vector<unsigned> e(ne);
    for (int i = 0; i < ne; ++i) e[i] = (unsigned)((i * 37 + 11) % 1013);
    unsigned* de;
    int* deo;
    CHECK(cudaMalloc(&de, ne * sizeof(unsigned)));
    CHECK(cudaMalloc(&deo, 2 * ne * sizeof(int)));
    CHECK(cudaMemcpy(de, e.data(), ne * sizeof(unsigned), cudaMemcpyHostToDevice));
    early_exit<<<ne / 256, 256>>>(de, deo);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<int> eo(2 * ne);
    CHECK(cudaMemcpy(eo.data(), deo, 2 * ne * sizeof(int), cudaMemcpyDeviceToHost));
    bool okv = true, oks = true, okl = true;
    int leavers = 0;
    for (int w = 0; w < ne / 32; ++w) {
      unsigned stay = 0, v = 0;
      for (int l = 0; l < 32; ++l) {
        unsigned x = e[w * 32 + l];
        bool leave = (x % 5 == 0) || l == 31;
        if (!leave) {
          stay |= 1u << l;
          if (x & 2) v |= 1u << l;
        }
      }
      for (int l = 0; l < 32; ++l) {
        int g = w * 32 + l;
        if (!(stay >> l & 1)) {
          ++leavers;
          if (eo[2 * g] != -7 || eo[2 * g + 1] != -7) okl = false;
          continue;
        }
        unsigned higher = stay & ~((2u << l) - 1u);
        int next = higher ? __builtin_ctz(higher) : __builtin_ctz(stay);
        if (eo[2 * g] != (int)v) okv = false;
        if (eo[2 * g + 1] != (int)(e[w * 32 + next] & 0xff)) oks = false;
      }
    }
    char what[120];
    snprintf(what, sizeof what, "early return: %d threads left, their outputs untouched", leavers);
    report(okl, what);
    report(okv, "ballot among survivors with pre-exit mask");
    report(oks, "shuffle among survivors with pre-exit mask");
    CHECK(cudaFree(de));
    CHECK(cudaFree(deo));
  }

  // ---- block-uniform exit + barriers ----
  {
    const int blocks = 9, active = 6, bs = 256;
    std::vector<int> u(blocks * bs);
    for (int i = 0; i < blocks * bs; ++i) u[i] = (i * 7919) % 10007;
    int *du, *duo;
    CHECK(cudaMalloc(&du, u.size() * sizeof(int)));
    CHECK(cudaMalloc(&duo, u.size() * sizeof(int)));
    CHECK(cudaMemcpy(du, u.data(), u.size() * sizeof(int), cudaMemcpyHostToDevice));
    CHECK(cudaMemset(duo, 0xff, u.size() * sizeof(int)));
    uniform_exit_sync<<<blocks, bs>>>(du, duo, active);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<int> uo(u.size());
    CHECK(cudaMemcpy(uo.data(), duo, u.size() * sizeof(int), cudaMemcpyDeviceToHost));
    bool ok = true, okidle = true;
    for (int b = 0; b < blocks; ++b) {
      if (b >= active) {
        for (int t = 0; t < bs; ++t)
          if (uo[b * bs + t] != -1) okidle = false;
        continue;
      }
      std::vector<int> buf(u.begin() + b * bs, u.begin() + (b + 1) * bs), nb(bs);
      for (int r = 0; r < 1 + b % 4; ++r) {
        for (int t = 0; t < bs; ++t)
          nb[t] = (buf[(t + bs - 1) % bs] + buf[(t + 1) % bs] + buf[t]) % 1000003;
        buf = nb;
      }
      for (int t = 0; t < bs; ++t) {
        int extra = 0;
        if (t & 1) {
          for (int k = 0; k < t % 13; ++k) extra += buf[(t + k) % bs] & 7;
        } else {
          extra = -buf[t] % 5;
        }
        if (uo[b * bs + t] != buf[t] + extra) ok = false;
      }
    }
    report(ok, "__syncthreads in block-uniform loops after block-uniform early exit");
    report(okidle, "exited blocks wrote nothing");
    CHECK(cudaFree(du));
    CHECK(cudaFree(duo));
  }

  CHECK(cudaFree(din));
  CHECK(cudaFree(dout));
  printf("divergence: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
