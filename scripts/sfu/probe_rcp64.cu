// probe_rcp64.cu — rcp.approx.ftz.f64 (MUFU.RCP64H) and rsqrt.approx.ftz.f64 (MUFU.RSQ64H) over
// every high word, and rsqrt.approx.f64 (MUFU.RSQ64H + ptxas's Newton step) over every high word
// with a low word derived from it, on the GPU.
// For each of the 2^32 high words u, x = u << 32 | low(u): the result's high word enters a
// block hash (256 blocks of 2^24 inputs, sum of mix64(u << 32 | hi(r)), the scheme of
// probe.cu), and the probe counts results whose low word is not zero and high words whose
// result changes with the low word (low(u) vs 0 and vs all ones).
// Output (stdout): "rcp.approx.ftz.f64.hi" and 256 hex lines, as src/exec/sfu/h100-hashes.txt
// has them, then a "# low-word-nonzero N, depends-on-low-word M" line.
// Build: nvcc -arch=sm_90 -O3 -o probe_rcp64 probe_rcp64.cu
#include <cstdio>
#include <cstdint>

__host__ __device__ __forceinline__ uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

__device__ __forceinline__ uint64_t rcp64(uint64_t x) {
  double d = __longlong_as_double((long long)x), r;
  asm("rcp.approx.ftz.f64 %0, %1;" : "=d"(r) : "d"(d));
  return (uint64_t)__double_as_longlong(r);
}

__device__ __forceinline__ uint64_t rsq64(uint64_t x) {
  double d = __longlong_as_double((long long)x), r;
  asm("rsqrt.approx.ftz.f64 %0, %1;" : "=d"(r) : "d"(d));
  return (uint64_t)__double_as_longlong(r);
}

__device__ __forceinline__ uint64_t rsqrt64(uint64_t x) {
  double d = __longlong_as_double((long long)x), r;
  asm("rsqrt.approx.f64 %0, %1;" : "=d"(r) : "d"(d));
  return (uint64_t)__double_as_longlong(r);
}

// f = 1: rsqrt.approx.ftz.f64 high words (as k's rcp hashes); f = 2: rsqrt.approx.f64 of
// x = u << 32 | (u * 0x9e3779b9 | 1), hashed as mix64(x ^ mix64(r)).
__global__ void k2(int f, unsigned long long* hash, unsigned long long* counts) {
  unsigned base = blockIdx.x << 16;
  uint64_t s = 0;
  unsigned long long nz = 0, dep = 0;
  for (unsigned j = threadIdx.x; j < (1u << 16); j += blockDim.x) {
    unsigned u = base | j;
    uint64_t low = (uint32_t)(u * 0x9e3779b9u) | 1;
    uint64_t x = (uint64_t)u << 32 | low;
    if (f == 1) {
      uint64_t r = rsq64(x), r0 = rsq64((uint64_t)u << 32);
      nz += (r & 0xffffffffu) != 0;
      dep += (r >> 32) != (r0 >> 32);
      s += mix64((uint64_t)u << 32 | (r >> 32));
    } else {
      s += mix64(x ^ mix64(rsqrt64(x)));
    }
  }
  atomicAdd(hash + (blockIdx.x >> 8), (unsigned long long)s);
  atomicAdd(counts, nz);
  atomicAdd(counts + 1, dep);
}

__global__ void k(unsigned long long* hash, unsigned long long* counts) {
  unsigned base = blockIdx.x << 16;  // 2^16 blocks of 2^16 high words
  uint64_t s = 0;
  unsigned long long nz = 0, dep = 0;
  for (unsigned j = threadIdx.x; j < (1u << 16); j += blockDim.x) {
    unsigned u = base | j;
    uint64_t low = (uint32_t)(u * 0x9e3779b9u) | 1;
    uint64_t r = rcp64((uint64_t)u << 32 | low);
    uint64_t r0 = rcp64((uint64_t)u << 32);
    uint64_t r1 = rcp64((uint64_t)u << 32 | 0xffffffffu);
    nz += (r & 0xffffffffu) != 0;
    dep += (r >> 32) != (r0 >> 32) || (r >> 32) != (r1 >> 32);
    s += mix64((uint64_t)u << 32 | (r >> 32));
  }
  atomicAdd(hash + (blockIdx.x >> 8), (unsigned long long)s);
  atomicAdd(counts, nz);
  atomicAdd(counts + 1, dep);
}

int main() {
  unsigned long long *h, *c, hh[256], cc[2];
  cudaMalloc(&h, sizeof hh);
  cudaMalloc(&c, sizeof cc);
  cudaMemset(h, 0, sizeof hh);
  cudaMemset(c, 0, sizeof cc);
  k<<<1 << 16, 256>>>(h, c);
  cudaError_t e = cudaDeviceSynchronize();
  if (e != cudaSuccess) { printf("# error %s\n", cudaGetErrorString(e)); return 1; }
  cudaMemcpy(hh, h, sizeof hh, cudaMemcpyDeviceToHost);
  cudaMemcpy(cc, c, sizeof cc, cudaMemcpyDeviceToHost);
  printf("rcp.approx.ftz.f64.hi\n");
  for (int i = 0; i < 256; i++) printf("%016llx\n", hh[i]);
  printf("# low-word-nonzero %llu, depends-on-low-word %llu\n", cc[0], cc[1]);
  const char* names[] = {"", "rsqrt.approx.ftz.f64.hi", "rsqrt.approx.f64.mixed"};
  for (int f = 1; f <= 2; f++) {
    cudaMemset(h, 0, sizeof hh);
    cudaMemset(c, 0, sizeof cc);
    k2<<<1 << 16, 256>>>(f, h, c);
    if (cudaDeviceSynchronize() != cudaSuccess) { printf("# error\n"); return 1; }
    cudaMemcpy(hh, h, sizeof hh, cudaMemcpyDeviceToHost);
    cudaMemcpy(cc, c, sizeof cc, cudaMemcpyDeviceToHost);
    printf("%s\n", names[f]);
    for (int i = 0; i < 256; i++) printf("%016llx\n", hh[i]);
    printf("# %s: low-word-nonzero %llu, depends-on-low-word %llu\n", names[f], cc[0], cc[1]);
  }
  return 0;
}
