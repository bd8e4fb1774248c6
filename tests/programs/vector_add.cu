// vector_add.cu — grid-stride vector add over several element types and launch shapes.
// n is deliberately not a multiple of any block size; inputs are integer-valued so the
// results are exact on every device.
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

template <typename T>
__global__ void vadd(const T* __restrict__ a, const T* __restrict__ b, T* __restrict__ c, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    c[i] = a[i] + b[i];
}

// Same thing with a 64-bit index and a stride computed from 2D grid/block shapes.
__global__ void vadd2d(const float* a, const float* b, float* c, long long n) {
  long long tid = (long long)(blockIdx.y * gridDim.x + blockIdx.x) * (blockDim.x * blockDim.y) +
                  threadIdx.y * blockDim.x + threadIdx.x;
  long long stride = (long long)gridDim.x * gridDim.y * blockDim.x * blockDim.y;
  for (long long i = tid; i < n; i += stride) c[i] = a[i] + b[i];
}

template <typename T>
static int check_result(const T* a, const T* b, const T* c, int n, char* msg, size_t msglen) {
  for (int i = 0; i < n; ++i) {
    T want = a[i] + b[i];
    if (!(c[i] == want)) {
      snprintf(msg, msglen, " (first mismatch at %d: got %.17g want %.17g)", i, (double)c[i],
               (double)want);
      return 0;
    }
  }
  msg[0] = 0;
  return 1;
}

template <typename T>
static void run_type(const char* tname, int n, const int (*shapes)[2], int nshapes) {
  size_t bytes = (size_t)n * sizeof(T);
  T* ha = (T*)malloc(bytes ? bytes : 1);
  T* hb = (T*)malloc(bytes ? bytes : 1);
  T* hc = (T*)malloc(bytes ? bytes : 1);
  for (int i = 0; i < n; ++i) {
    ha[i] = (T)(i % 1000);
    hb[i] = (T)(2 * (i % 777) - 500);
  }
  T *da, *db, *dc;
  CHECK(cudaMalloc(&da, bytes ? bytes : 1));
  CHECK(cudaMalloc(&db, bytes ? bytes : 1));
  CHECK(cudaMalloc(&dc, bytes ? bytes : 1));
  if (n) {
    CHECK(cudaMemcpy(da, ha, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(db, hb, bytes, cudaMemcpyHostToDevice));
  }
  for (int s = 0; s < nshapes; ++s) {
    int grid = shapes[s][0], block = shapes[s][1];
    if (n) CHECK(cudaMemset(dc, 0xff, bytes));  // NaN / -1 sentinel
    vadd<T><<<grid, block>>>(da, db, dc, n);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    if (n) CHECK(cudaMemcpy(hc, dc, bytes, cudaMemcpyDeviceToHost));
    char msg[160];
    int ok = check_result(ha, hb, hc, n, msg, sizeof msg);
    char what[256];
    snprintf(what, sizeof what, "vadd<%s> n=%d grid=%d block=%d%s", tname, n, grid, block, msg);
    report(ok, what);
  }
  CHECK(cudaFree(da));
  CHECK(cudaFree(db));
  CHECK(cudaFree(dc));
  free(ha);
  free(hb);
  free(hc);
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  static const int shapes[][2] = {{1, 1},   {1, 32},   {1, 1024}, {7, 33},   {13, 100},
                                  {3, 257}, {64, 128}, {391, 256}, {1024, 96}, {2000, 64}};
  const int nshapes = sizeof shapes / sizeof shapes[0];
  run_type<float>("float", 100003, shapes, nshapes);
  run_type<int>("int", 77777, shapes + 2, 5);
  run_type<double>("double", 50001, shapes + 4, 4);
  run_type<unsigned char>("uchar", 4099, shapes + 3, 3);
  run_type<float>("float", 1, shapes, 3);
  run_type<float>("float", 0, shapes + 5, 2);

  // 2D grid and 2D block shapes driving a flat grid-stride loop.
  {
    const long long n = 123457;
    size_t bytes = n * sizeof(float);
    float* ha = (float*)malloc(bytes);
    float* hb = (float*)malloc(bytes);
    float* hc = (float*)malloc(bytes);
    for (long long i = 0; i < n; ++i) {
      ha[i] = (float)(i % 4096);
      hb[i] = (float)(-(i % 3001));
    }
    float *da, *db, *dc;
    CHECK(cudaMalloc(&da, bytes));
    CHECK(cudaMalloc(&db, bytes));
    CHECK(cudaMalloc(&dc, bytes));
    CHECK(cudaMemcpy(da, ha, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(db, hb, bytes, cudaMemcpyHostToDevice));
    const dim3 grids[] = {dim3(1, 1), dim3(5, 3), dim3(17, 9), dim3(2, 40)};
    const dim3 blocks[] = {dim3(32, 1), dim3(16, 8), dim3(7, 9), dim3(32, 32)};
    for (int s = 0; s < 4; ++s) {
      CHECK(cudaMemset(dc, 0xff, bytes));
      vadd2d<<<grids[s], blocks[s]>>>(da, db, dc, n);
      CHECK(cudaGetLastError());
      CHECK(cudaDeviceSynchronize());
      CHECK(cudaMemcpy(hc, dc, bytes, cudaMemcpyDeviceToHost));
      char msg[160];
      int ok = check_result(ha, hb, hc, (int)n, msg, sizeof msg);
      char what[256];
      snprintf(what, sizeof what, "vadd2d n=%lld grid=(%u,%u) block=(%u,%u)%s", n, grids[s].x,
               grids[s].y, blocks[s].x, blocks[s].y, msg);
      report(ok, what);
    }
    CHECK(cudaFree(da));
    CHECK(cudaFree(db));
    CHECK(cudaFree(dc));
    free(ha);
    free(hb);
    free(hc);
  }

  printf("vector_add: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
