// atomics_histogram.cu — a 256-bin histogram (shared-memory atomicAdd, then global
// atomicAdd), and every atomic flavour with order-independent expected results:
// atomicAdd (int returning tickets, unsigned long long with carries, float, double),
// atomicSub, atomicMax/Min (int, unsigned, long long, in global and shared memory),
// atomicExch, atomicAnd/Or/Xor, atomicInc/Dec with wrap-around, atomicCAS (32- and 64-bit)
// including a CAS loop implementing a float atomic max, and atomicAdd_block.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <cuda_runtime.h>

#include "check.h"

static int g_failures = 0;
static int g_checks = 0;
static void report(bool ok, const char* what) {
  ++g_checks;
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

#define BINS 256
__global__ void histogram(const unsigned char* data, int n, unsigned* hist) {
  __shared__ unsigned local[BINS];
  for (int b = threadIdx.x; b < BINS; b += blockDim.x) local[b] = 0;
  __syncthreads();
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    atomicAdd(&local[data[i]], 1u);
  __syncthreads();
  for (int b = threadIdx.x; b < BINS; b += blockDim.x)
    if (local[b]) atomicAdd(&hist[b], local[b]);
}

// Global-only histogram for comparison (heavy contention on few bins).
__global__ void histogram_global(const unsigned char* data, int n, unsigned* hist) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    atomicAdd(&hist[data[i] & 7], 1u);
}

struct Scalars {
  int tickets_counter;
  int imax, imin;
  unsigned umax, umin;
  long long llmax, llmin;
  int exch;
  unsigned and_v, or_v, xor_v;
  unsigned inc_v, dec_v;
  int sub_v;
  unsigned long long u64sum;
  float fsum;
  double dsum;
  float fmax_cas;
  unsigned long long cas64;
  int cas32_count;
  int shared_max_out, shared_min_out;
  int block_add_out;
};

__device__ float atomicMaxFloat(float* addr, float val) {
  int* a = reinterpret_cast<int*>(addr);
  int old = *a, assumed;
  do {
    assumed = old;
    if (__int_as_float(assumed) >= val) break;
    old = atomicCAS(a, assumed, __float_as_int(val));
  } while (assumed != old);
  return __int_as_float(old);
}

__host__ __device__ inline int sval(int t) { return ((t * 7919) % 20011) - 10005; }
__host__ __device__ inline float fval(int t) { return (float)(((t * 131) % 4099) - 2049) * 0.125f; }

__global__ void atomics(Scalars* s, int* tickets, int* exch_old, unsigned* inc_old, unsigned* dec_old,
                        unsigned inc_limit, unsigned dec_limit, int n) {
  __shared__ int smax, smin, sadd;
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  if (threadIdx.x == 0) {
    smax = -2147483647 - 1;
    smin = 2147483647;
    sadd = 0;
  }
  __syncthreads();
  if (t < n) {
    int v = sval(t);
    tickets[t] = atomicAdd(&s->tickets_counter, 1);
    atomicMax(&s->imax, v);
    atomicMin(&s->imin, v);
    atomicMax(&s->umax, (unsigned)v);  // negative values become large unsigned ones
    atomicMin(&s->umin, (unsigned)(v + 20000));
    atomicMax(&s->llmax, (long long)v * 1000000007LL);
    atomicMin(&s->llmin, (long long)v * 1000000007LL);
    exch_old[t] = atomicExch(&s->exch, t);
    atomicAnd(&s->and_v, ~(1u << (t % 29)));
    atomicOr(&s->or_v, 1u << (t % 23));
    atomicXor(&s->xor_v, (unsigned)t * 2654435761u);
    inc_old[t] = atomicInc(&s->inc_v, inc_limit);
    dec_old[t] = atomicDec(&s->dec_v, dec_limit);
    atomicSub(&s->sub_v, t % 1000);
    atomicAdd(&s->u64sum, (1ull << 32) + (unsigned long long)t * 3ull);
    atomicAdd(&s->fsum, (float)(t % 64));
    atomicAdd(&s->dsum, (double)(t % 1000) * 0.5);
    atomicMaxFloat(&s->fmax_cas, fval(t));
    // 64-bit CAS loop: add t to the high 32 bits and 1 to the low 32 bits
    unsigned long long old = s->cas64, assumed;
    do {
      assumed = old;
      unsigned long long next = assumed + ((unsigned long long)t << 32) + 1ull;
      old = atomicCAS(&s->cas64, assumed, next);
    } while (old != assumed);
    // 32-bit CAS that only one thread can win per value
    if (atomicCAS(&s->cas32_count, 0, t + 1) == 0) atomicAdd(&s->block_add_out, 0);
    atomicMax(&smax, v);
    atomicMin(&smin, v);
    atomicAdd_block(&sadd, 1);
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    atomicMax(&s->shared_max_out, smax);
    atomicMin(&s->shared_min_out, smin);
    atomicAdd(&s->block_add_out, sadd);
  }
}

static unsigned lcg(unsigned& state) {
  state = state * 1664525u + 1013904223u;
  return state >> 24;
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  // ---- histogram ----
  {
    const int n = 500001;
    std::vector<unsigned char> data(n);
    unsigned st = 12345;
    for (int i = 0; i < n; ++i) {
      unsigned r = lcg(st);
      data[i] = (unsigned char)(i % 5 == 0 ? 42 : r);  // one hot bin plus noise
    }
    unsigned want[BINS] = {0};
    for (int i = 0; i < n; ++i) want[data[i]]++;
    unsigned char* dd;
    unsigned* dh;
    CHECK(cudaMalloc(&dd, n));
    CHECK(cudaMalloc(&dh, BINS * sizeof(unsigned)));
    CHECK(cudaMemcpy(dd, data.data(), n, cudaMemcpyHostToDevice));
    const int shapes[][2] = {{1, 256}, {64, 256}, {30, 100}, {200, 1024}, {7, 32}};
    for (auto& sh : shapes) {
      CHECK(cudaMemset(dh, 0, BINS * sizeof(unsigned)));
      histogram<<<sh[0], sh[1]>>>(dd, n, dh);
      CHECK(cudaGetLastError());
      CHECK(cudaDeviceSynchronize());
      unsigned got[BINS];
      CHECK(cudaMemcpy(got, dh, sizeof got, cudaMemcpyDeviceToHost));
      char what[160];
      snprintf(what, sizeof what, "histogram shared+global n=%d grid=%d block=%d bin42=%u", n,
               sh[0], sh[1], got[42]);
      report(memcmp(got, want, sizeof want) == 0, what);
    }
    CHECK(cudaMemset(dh, 0, BINS * sizeof(unsigned)));
    histogram_global<<<128, 256>>>(dd, n, dh);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    unsigned got[8];
    CHECK(cudaMemcpy(got, dh, sizeof got, cudaMemcpyDeviceToHost));
    unsigned want8[8] = {0};
    for (int i = 0; i < n; ++i) want8[data[i] & 7]++;
    report(memcmp(got, want8, sizeof want8) == 0, "histogram global-only 8 bins");
    CHECK(cudaFree(dd));
    CHECK(cudaFree(dh));
  }

  // ---- scalar atomics ----
  const int n = 50000, block = 256, grid = (n + block - 1) / block;
  const unsigned inc_limit = 997, dec_limit = 613;
  Scalars init;
  memset(&init, 0, sizeof init);
  init.imax = -2147483647 - 1;
  init.imin = 2147483647;
  init.umax = 0;
  init.umin = 0xffffffffu;
  init.llmax = -(1LL << 62);
  init.llmin = 1LL << 62;
  init.exch = -1;
  init.and_v = 0xffffffffu;
  init.or_v = 0x80000000u;
  init.xor_v = 0x5a5a5a5au;
  init.sub_v = 1000000000;
  init.u64sum = 7;
  init.fmax_cas = -1e30f;
  init.shared_max_out = -2147483647 - 1;
  init.shared_min_out = 2147483647;
  Scalars* ds;
  int *dtickets, *dexch;
  unsigned *dinc, *ddec;
  CHECK(cudaMalloc(&ds, sizeof(Scalars)));
  CHECK(cudaMalloc(&dtickets, n * sizeof(int)));
  CHECK(cudaMalloc(&dexch, n * sizeof(int)));
  CHECK(cudaMalloc(&dinc, n * sizeof(unsigned)));
  CHECK(cudaMalloc(&ddec, n * sizeof(unsigned)));
  CHECK(cudaMemcpy(ds, &init, sizeof init, cudaMemcpyHostToDevice));
  atomics<<<grid, block>>>(ds, dtickets, dexch, dinc, ddec, inc_limit, dec_limit, n);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  Scalars s;
  CHECK(cudaMemcpy(&s, ds, sizeof s, cudaMemcpyDeviceToHost));
  std::vector<int> tickets(n), exch(n);
  std::vector<unsigned> inc(n), dec(n);
  CHECK(cudaMemcpy(tickets.data(), dtickets, n * sizeof(int), cudaMemcpyDeviceToHost));
  CHECK(cudaMemcpy(exch.data(), dexch, n * sizeof(int), cudaMemcpyDeviceToHost));
  CHECK(cudaMemcpy(inc.data(), dinc, n * sizeof(unsigned), cudaMemcpyDeviceToHost));
  CHECK(cudaMemcpy(dec.data(), ddec, n * sizeof(unsigned), cudaMemcpyDeviceToHost));

  // Host expectations.
  int imax = -2147483647 - 1, imin = 2147483647;
  unsigned umax = 0, umin = 0xffffffffu, and_v = 0xffffffffu, or_v = 0x80000000u, xor_v = 0x5a5a5a5au;
  long long llmax = -(1LL << 62), llmin = 1LL << 62;
  int sub_v = 1000000000;
  unsigned long long u64 = 7, cas64 = 0;
  double fsum = 0, dsum = 0;
  float fmax = -1e30f;
  for (int t = 0; t < n; ++t) {
    int v = sval(t);
    imax = std::max(imax, v);
    imin = std::min(imin, v);
    umax = std::max(umax, (unsigned)v);
    umin = std::min(umin, (unsigned)(v + 20000));
    llmax = std::max(llmax, (long long)v * 1000000007LL);
    llmin = std::min(llmin, (long long)v * 1000000007LL);
    and_v &= ~(1u << (t % 29));
    or_v |= 1u << (t % 23);
    xor_v ^= (unsigned)t * 2654435761u;
    sub_v -= t % 1000;
    u64 += (1ull << 32) + (unsigned long long)t * 3ull;
    fsum += t % 64;
    dsum += (t % 1000) * 0.5;
    fmax = std::max(fmax, fval(t));
    cas64 += ((unsigned long long)t << 32) + 1ull;
  }
  char what[200];
  {
    std::vector<int> sorted(tickets);
    std::sort(sorted.begin(), sorted.end());
    bool ok = s.tickets_counter == n;
    for (int i = 0; i < n; ++i) ok = ok && sorted[i] == i;
    snprintf(what, sizeof what, "atomicAdd int returns unique tickets 0..%d", n - 1);
    report(ok, what);
  }
  snprintf(what, sizeof what, "atomicMax/Min int max=%d min=%d", s.imax, s.imin);
  report(s.imax == imax && s.imin == imin, what);
  snprintf(what, sizeof what, "atomicMax/Min unsigned max=%u min=%u", s.umax, s.umin);
  report(s.umax == umax && s.umin == umin, what);
  snprintf(what, sizeof what, "atomicMax/Min long long max=%lld min=%lld", s.llmax, s.llmin);
  report(s.llmax == llmax && s.llmin == llmin, what);
  {
    // The old values plus the final value are a permutation of {-1, 0..n-1}.
    std::vector<int> all(exch);
    all.push_back(s.exch);
    std::sort(all.begin(), all.end());
    bool ok = all[0] == -1;
    for (int i = 0; i < n; ++i) ok = ok && all[i + 1] == i;
    report(ok, "atomicExch old values form a chain over all threads");
  }
  snprintf(what, sizeof what, "atomicAnd/Or/Xor and=0x%08x or=0x%08x xor=0x%08x", s.and_v, s.or_v, s.xor_v);
  report(s.and_v == and_v && s.or_v == or_v && s.xor_v == xor_v, what);
  {
    // After k increments from 0 with wrap at limit the value is k mod (limit+1); the old
    // values returned are exactly {k mod (limit+1) : k < n} as a multiset.
    std::vector<int> cnt(inc_limit + 1, 0), want(inc_limit + 1, 0);
    bool ok = s.inc_v == n % (inc_limit + 1);
    for (int t = 0; t < n; ++t) {
      if (inc[t] > inc_limit) ok = false; else cnt[inc[t]]++;
      want[t % (inc_limit + 1)]++;
    }
    ok = ok && cnt == want;
    snprintf(what, sizeof what, "atomicInc limit=%u final=%u", inc_limit, s.inc_v);
    report(ok, what);
  }
  {
    // Decrement from 0 wraps to the limit: after k decrements the value is (-k) mod (limit+1).
    std::vector<int> cnt(dec_limit + 1, 0), want(dec_limit + 1, 0);
    unsigned m = dec_limit + 1;
    bool ok = s.dec_v == (m - n % m) % m;
    for (int t = 0; t < n; ++t) {
      if (dec[t] > dec_limit) ok = false; else cnt[dec[t]]++;
      want[(m - t % m) % m]++;
    }
    ok = ok && cnt == want;
    snprintf(what, sizeof what, "atomicDec limit=%u final=%u", dec_limit, s.dec_v);
    report(ok, what);
  }
  snprintf(what, sizeof what, "atomicSub int final=%d", s.sub_v);
  report(s.sub_v == sub_v, what);
  snprintf(what, sizeof what, "atomicAdd unsigned long long (carries) final=%llu", s.u64sum);
  report(s.u64sum == u64, what);
  snprintf(what, sizeof what, "atomicAdd float final=%.1f", s.fsum);
  report(s.fsum == (float)fsum, what);
  snprintf(what, sizeof what, "atomicAdd double final=%.1f", s.dsum);
  report(s.dsum == dsum, what);
  snprintf(what, sizeof what, "atomicCAS loop float max=%.3f", s.fmax_cas);
  report(s.fmax_cas == fmax, what);
  snprintf(what, sizeof what, "atomicCAS 64-bit loop final=0x%016llx", s.cas64);
  report(s.cas64 == cas64, what);
  report(s.cas32_count >= 1 && s.cas32_count <= n, "atomicCAS 32-bit single winner");
  snprintf(what, sizeof what, "shared atomicMax/Min max=%d min=%d", s.shared_max_out, s.shared_min_out);
  report(s.shared_max_out == imax && s.shared_min_out == imin, what);
  snprintf(what, sizeof what, "atomicAdd_block in shared, summed over blocks=%d", s.block_add_out);
  report(s.block_add_out == n, what);

  CHECK(cudaFree(ds));
  CHECK(cudaFree(dtickets));
  CHECK(cudaFree(dexch));
  CHECK(cudaFree(dinc));
  CHECK(cudaFree(ddec));
  printf("atomics_histogram: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
