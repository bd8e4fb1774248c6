// reduce_shared.cu — block tree reductions in shared memory: dynamic shared memory
// (extern __shared__) for block sizes 32..1024, a static __shared__ variant, a dynamic
// buffer split into two typed arrays, a >48 KiB dynamic allocation (opt-in attribute),
// and a two-pass reduction finished on the device. __syncthreads() inside loops throughout.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_runtime.h>

#include "check.h"

static int g_failures = 0;
static int g_checks = 0;
static void report(bool ok, const char* what) {
  ++g_checks;
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

// Dynamic shared memory, any power-of-two block size. Each block writes one partial sum.
template <typename T>
__global__ void reduce_dyn(const T* in, T* partial, int n) {
  extern __shared__ __align__(16) unsigned char smem_raw[];
  T* sdata = reinterpret_cast<T*>(smem_raw);
  unsigned tid = threadIdx.x;
  T acc = 0;
  for (int i = blockIdx.x * blockDim.x + tid; i < n; i += blockDim.x * gridDim.x) acc += in[i];
  sdata[tid] = acc;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) sdata[tid] += sdata[tid + s];
    __syncthreads();
  }
  if (tid == 0) partial[blockIdx.x] = sdata[0];
}

// Static shared memory, fixed block size 256, interleaved-addressing variant.
#define STATIC_BLOCK 256
__global__ void reduce_static(const int* in, int* partial, int n) {
  __shared__ int sdata[STATIC_BLOCK];
  __shared__ int block_max[STATIC_BLOCK];
  unsigned tid = threadIdx.x;
  int acc = 0, mx = -2147483647 - 1;
  for (int i = blockIdx.x * blockDim.x + tid; i < n; i += blockDim.x * gridDim.x) {
    acc += in[i];
    mx = max(mx, in[i]);
  }
  sdata[tid] = acc;
  block_max[tid] = mx;
  __syncthreads();
  for (unsigned s = 1; s < blockDim.x; s *= 2) {
    if (tid % (2 * s) == 0) {
      sdata[tid] += sdata[tid + s];
      block_max[tid] = max(block_max[tid], block_max[tid + s]);
    }
    __syncthreads();
  }
  if (tid == 0) {
    partial[2 * blockIdx.x] = sdata[0];
    partial[2 * blockIdx.x + 1] = block_max[0];
  }
}

// One dynamic buffer carved into a double array followed by an int array.
__global__ void reduce_split(const int* in, double* dsum, int* cnt, int n, int threshold) {
  extern __shared__ double smem_d[];
  double* sd = smem_d;
  int* sc = reinterpret_cast<int*>(smem_d + blockDim.x);
  unsigned tid = threadIdx.x;
  double a = 0;
  int c = 0;
  for (int i = blockIdx.x * blockDim.x + tid; i < n; i += blockDim.x * gridDim.x) {
    a += in[i] * 0.5;
    c += in[i] > threshold;
  }
  sd[tid] = a;
  sc[tid] = c;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) {
      sd[tid] += sd[tid + s];
      sc[tid] += sc[tid + s];
    }
    __syncthreads();
  }
  if (tid == 0) {
    dsum[blockIdx.x] = sd[0];
    cnt[blockIdx.x] = sc[0];
  }
}

// Large dynamic shared memory: every thread owns `per` consecutive ints of the buffer.
__global__ void reduce_big(const int* in, long long* out, int n, int per) {
  extern __shared__ int big[];
  unsigned tid = threadIdx.x;
  for (int k = 0; k < per; ++k) big[tid * per + k] = 0;
  __syncthreads();
  int total = blockDim.x * per;
  for (int i = blockIdx.x * total + tid; i < n; i += gridDim.x * total) {
    // thread tid handles elements i, i+blockDim.x, ... inside this chunk
    for (int j = 0; j < per && i + j * (int)blockDim.x < n; ++j)
      big[tid + j * blockDim.x] += in[i + j * blockDim.x];
  }
  __syncthreads();
  // tree over the whole buffer, halving the active region each round
  for (int s = total / 2; s > 0; s >>= 1) {
    for (int k = tid; k < s; k += blockDim.x) big[k] += big[k + s];
    __syncthreads();
  }
  if (tid == 0) atomicAdd((unsigned long long*)out, (unsigned long long)(long long)big[0]);
}

static int input_value(int i) { return (i * 7) % 101 - 50; }

template <typename T>
static void test_dyn(const char* tname, const T* din, const T* hin, int n, int block, int grid) {
  T* dpart;
  CHECK(cudaMalloc(&dpart, grid * sizeof(T)));
  CHECK(cudaMemset(dpart, 0xff, grid * sizeof(T)));
  reduce_dyn<T><<<grid, block, block * sizeof(T)>>>(din, dpart, n);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  T* hpart = (T*)malloc(grid * sizeof(T));
  CHECK(cudaMemcpy(hpart, dpart, grid * sizeof(T), cudaMemcpyDeviceToHost));
  // Per-block expected partials: each block's threads cover a fixed set of indices.
  bool ok = true;
  T total = 0, want_total = 0;
  for (int b = 0; b < grid; ++b) {
    T want = 0;
    for (int base = b * block; base < n; base += block * grid)
      for (int t = 0; t < block && base + t < n; ++t) want += hin[base + t];
    if (hpart[b] != want) ok = false;
    total += hpart[b];
  }
  for (int i = 0; i < n; ++i) want_total += hin[i];
  if (total != want_total) ok = false;
  char what[200];
  snprintf(what, sizeof what, "reduce_dyn<%s> n=%d block=%d grid=%d shmem=%d total=%lld", tname, n,
           block, grid, (int)(block * sizeof(T)), (long long)want_total);
  report(ok, what);
  free(hpart);
  CHECK(cudaFree(dpart));
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  const int n = 123457;
  int* hin = (int*)malloc(n * sizeof(int));
  float* hinf = (float*)malloc(n * sizeof(float));
  long long want = 0;
  int want_max = -1000;
  for (int i = 0; i < n; ++i) {
    hin[i] = input_value(i);
    hinf[i] = (float)hin[i];
    want += hin[i];
    if (hin[i] > want_max) want_max = hin[i];
  }
  int* din;
  float* dinf;
  CHECK(cudaMalloc(&din, n * sizeof(int)));
  CHECK(cudaMalloc(&dinf, n * sizeof(float)));
  CHECK(cudaMemcpy(din, hin, n * sizeof(int), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dinf, hinf, n * sizeof(float), cudaMemcpyHostToDevice));

  const int blocks[] = {32, 64, 128, 256, 512, 1024};
  for (int b = 0; b < 6; ++b) test_dyn<int>("int", din, hin, n, blocks[b], 37);
  for (int b = 0; b < 6; ++b) test_dyn<float>("float", dinf, hinf, n, blocks[b], 19);
  test_dyn<int>("int", din, hin, 1000, 1024, 1);  // most threads hold zero
  test_dyn<int>("int", din, hin, 1, 32, 3);       // blocks with no input at all

  // Static shared memory variant.
  {
    const int grid = 45;
    int* dpart;
    CHECK(cudaMalloc(&dpart, 2 * grid * sizeof(int)));
    reduce_static<<<grid, STATIC_BLOCK>>>(din, dpart, n);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    int hpart[2 * grid];
    CHECK(cudaMemcpy(hpart, dpart, sizeof hpart, cudaMemcpyDeviceToHost));
    long long s = 0;
    int m = -2147483647 - 1;
    for (int b = 0; b < grid; ++b) {
      s += hpart[2 * b];
      if (hpart[2 * b + 1] > m) m = hpart[2 * b + 1];
    }
    char what[200];
    snprintf(what, sizeof what, "reduce_static block=%d grid=%d sum=%lld max=%d", STATIC_BLOCK,
             grid, s, m);
    report(s == want && m == want_max, what);
    CHECK(cudaFree(dpart));
  }

  // Split dynamic buffer: double sum of halves and a count above a threshold.
  {
    const int grid = 23, block = 128;
    double* dd;
    int* dc;
    CHECK(cudaMalloc(&dd, grid * sizeof(double)));
    CHECK(cudaMalloc(&dc, grid * sizeof(int)));
    reduce_split<<<grid, block, block * (sizeof(double) + sizeof(int))>>>(din, dd, dc, n, 17);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    double hd[grid];
    int hc[grid];
    CHECK(cudaMemcpy(hd, dd, sizeof hd, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hc, dc, sizeof hc, cudaMemcpyDeviceToHost));
    double ds = 0;
    long long cs = 0, want_c = 0;
    for (int b = 0; b < grid; ++b) {
      ds += hd[b];
      cs += hc[b];
    }
    for (int i = 0; i < n; ++i) want_c += hin[i] > 17;
    char what[200];
    snprintf(what, sizeof what, "reduce_split double+int dynamic shmem sum*2=%lld count=%lld",
             (long long)(ds * 2), cs);
    report(ds * 2 == (double)want && cs == want_c, what);
    CHECK(cudaFree(dd));
    CHECK(cudaFree(dc));
  }

  // 64 KiB of dynamic shared memory (needs the opt-in attribute above 48 KiB).
  {
    const int block = 1024, per = 16;
    const int bytes = block * per * sizeof(int);
    CHECK(cudaFuncSetAttribute(reduce_big, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes));
    long long* dout;
    CHECK(cudaMalloc(&dout, sizeof(long long)));
    CHECK(cudaMemset(dout, 0, sizeof(long long)));
    reduce_big<<<3, block, bytes>>>(din, dout, n, per);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    long long got;
    CHECK(cudaMemcpy(&got, dout, sizeof got, cudaMemcpyDeviceToHost));
    char what[200];
    snprintf(what, sizeof what, "reduce_big dynamic shmem=%d bytes sum=%lld", bytes, got);
    report(got == want, what);
    CHECK(cudaFree(dout));
  }

  // Two passes, both on the device.
  {
    const int block = 256, grid = 96;
    int *dpart, *dfinal;
    CHECK(cudaMalloc(&dpart, grid * sizeof(int)));
    CHECK(cudaMalloc(&dfinal, sizeof(int)));
    reduce_dyn<int><<<grid, block, block * sizeof(int)>>>(din, dpart, n);
    CHECK(cudaGetLastError());
    reduce_dyn<int><<<1, 128, 128 * sizeof(int)>>>(dpart, dfinal, grid);
    CHECK(cudaGetLastError());
    int got;
    CHECK(cudaMemcpy(&got, dfinal, sizeof got, cudaMemcpyDeviceToHost));
    char what[200];
    snprintf(what, sizeof what, "two-pass device reduction sum=%d", got);
    report(got == want, what);
    CHECK(cudaFree(dpart));
    CHECK(cudaFree(dfinal));
  }

  CHECK(cudaFree(din));
  CHECK(cudaFree(dinf));
  free(hin);
  free(hinf);
  printf("reduce_shared: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
