// wmma_gemm.cu — a tensor-core GEMM through the WMMA API (mma.h): C = A·B + C with
// m16n16k16 fragments of half inputs and float accumulators, one warp per 16×16 tile of C,
// A row-major and B col-major or row-major; and a half-accumulator variant.
//
// Two input sets: small multiples of 1/8 (every product and partial sum is exact in float
// and in half, so any summation order gives the same bits: the results are printed), and
// values in [-1, 1) checked against a host GEMM in double within 1e-3 relative to the sum
// of |a·b| (the order in which the tensor cores add is not specified).
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <cstdio>
#include <cstdlib>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <mma.h>

using namespace nvcuda;

#include "check.h"

enum { M = 64, N = 48, K = 64 };

// A: M×K row-major; B: K×N, col-major (ldb = K) or row-major (ldb = N); C: M×N row-major.
template <typename BLayout>
__global__ void gemm_f32(const half* a, const half* b, float* c) {
  int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  int tm = warp / (N / 16), tn = warp % (N / 16);
  if (tm >= M / 16) return;
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, half, BLayout> fb;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
  wmma::load_matrix_sync(acc, c + tm * 16 * N + tn * 16, N, wmma::mem_row_major);
  for (int k = 0; k < K; k += 16) {
    wmma::load_matrix_sync(fa, a + tm * 16 * K + k, K);
    if (std::is_same<BLayout, wmma::col_major>::value)
      wmma::load_matrix_sync(fb, b + tn * 16 * K + k, K);
    else
      wmma::load_matrix_sync(fb, b + k * N + tn * 16, N);
    wmma::mma_sync(acc, fa, fb, acc);
  }
  wmma::store_matrix_sync(c + tm * 16 * N + tn * 16, acc, N, wmma::mem_row_major);
}

__global__ void gemm_f16(const half* a, const half* b, half* c) {
  int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  int tm = warp / (N / 16), tn = warp % (N / 16);
  if (tm >= M / 16) return;
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> fb;
  wmma::fragment<wmma::accumulator, 16, 16, 16, half> acc;
  wmma::fill_fragment(acc, __float2half(0.5f));
  for (int k = 0; k < K; k += 16) {
    wmma::load_matrix_sync(fa, a + tm * 16 * K + k, K);
    wmma::load_matrix_sync(fb, b + tn * 16 * K + k, K);
    wmma::mma_sync(acc, fa, fb, acc);
  }
  wmma::store_matrix_sync(c + tm * 16 * N + tn * 16, acc, N, wmma::mem_row_major);
}

static uint64_t rng = 0xda3e39cb94b95bdbull;
static uint32_t next_u32() {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng >> 32);
}

static unsigned fnv(const void* p, size_t n) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ ((const unsigned char*)p)[i]) * 16777619u;
  return h;
}

int main() {
  static half ha[M * K], hbc[K * N], hbr[K * N];
  static float fa[M * K], fb[K * N], c0[M * N], out[M * N];
  static half outh[M * N];
  half *da, *db, *dch;
  float* dc;
  CHECK(cudaMalloc(&da, sizeof(ha)));
  CHECK(cudaMalloc(&db, sizeof(hbc)));
  CHECK(cudaMalloc(&dc, sizeof(out)));
  CHECK(cudaMalloc(&dch, sizeof(outh)));
  int failures = 0;
  const int warps = (M / 16) * (N / 16);
  for (int set = 0; set < 2; set++) {
    bool exact = set == 0;
    for (int i = 0; i < M * K; i++) {
      fa[i] = exact ? (float)((int)(next_u32() % 17) - 8) / 8.0f : (float)((int)(next_u32() % 2048) - 1024) / 1024.0f;
      ha[i] = __float2half(fa[i]);
      fa[i] = __half2float(ha[i]);
    }
    for (int k = 0; k < K; k++)
      for (int n = 0; n < N; n++) {
        float v = exact ? (float)((int)(next_u32() % 9) - 4) / 4.0f : (float)((int)(next_u32() % 2048) - 1024) / 1024.0f;
        half h = __float2half(v);
        fb[k * N + n] = __half2float(h);
        hbr[k * N + n] = h;
        hbc[n * K + k] = h;
      }
    for (int i = 0; i < M * N; i++) c0[i] = exact ? (float)(i % 7) : (float)(i % 7) * 0.125f;
    CHECK(cudaMemcpy(da, ha, sizeof(ha), cudaMemcpyHostToDevice));
    for (int layout = 0; layout < 2; layout++) {
      CHECK(cudaMemcpy(db, layout == 0 ? hbc : hbr, sizeof(hbc), cudaMemcpyHostToDevice));
      CHECK(cudaMemcpy(dc, c0, sizeof(c0), cudaMemcpyHostToDevice));
      if (layout == 0)
        gemm_f32<wmma::col_major><<<warps / 4, 128>>>(da, db, dc);
      else
        gemm_f32<wmma::row_major><<<warps / 4, 128>>>(da, db, dc);
      CHECK(cudaGetLastError());
      CHECK(cudaMemcpy(out, dc, sizeof(out), cudaMemcpyDeviceToHost));
      double worst = 0;
      for (int m = 0; m < M; m++)
        for (int n = 0; n < N; n++) {
          double s = c0[m * N + n], mag = fabs(s);
          for (int k = 0; k < K; k++) {
            s += (double)fa[m * K + k] * fb[k * N + n];
            mag += fabs((double)fa[m * K + k] * fb[k * N + n]);
          }
          double err = fabs(out[m * N + n] - s) / (mag > 0 ? mag : 1);
          if (exact) err = out[m * N + n] == (float)s ? 0 : 1;
          if (err > worst) worst = err;
        }
      bool ok = exact ? worst == 0 : worst <= 1e-3;
      failures += !ok;
      printf("%s f32 accumulate, B %s, %s inputs: %s\n", ok ? "PASS" : "FAIL", layout == 0 ? "col-major" : "row-major",
             exact ? "exact" : "random", exact ? "bit-exact vs host" : "within 1e-3 of host");
      if (exact) {
        printf("  C fnv1a %08x; row 0:", fnv(out, sizeof(out)));
        for (int n = 0; n < 16; n++) printf(" %g", out[n]);
        printf("\n");
      }
    }
    if (exact) {
      CHECK(cudaMemcpy(db, hbc, sizeof(hbc), cudaMemcpyHostToDevice));
      gemm_f16<<<warps / 4, 128>>>(da, db, dch);
      CHECK(cudaGetLastError());
      CHECK(cudaMemcpy(outh, dch, sizeof(outh), cudaMemcpyDeviceToHost));
      int bad = 0;
      for (int m = 0; m < M; m++)
        for (int n = 0; n < N; n++) {
          double s = 0.5;
          for (int k = 0; k < K; k++) s += (double)fa[m * K + k] * fb[k * N + n];
          if (__half2float(outh[m * N + n]) != (float)s) bad++;
        }
      failures += bad != 0;
      printf("%s f16 accumulate, exact inputs: %d of %d differ from host; C fnv1a %08x\n", bad ? "FAIL" : "PASS", bad, M * N,
             fnv(outh, sizeof(outh)));
    }
  }
  CHECK(cudaFree(da));
  CHECK(cudaFree(db));
  CHECK(cudaFree(dc));
  CHECK(cudaFree(dch));
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
