// sgemm_tiled.cu — C = alpha * A * B + beta * C with 16x16 shared-memory tiles, for sizes that
// are not multiples of the tile, compared to a host GEMM. Two input sets: quarter-integer
// values (every partial sum is exactly representable, so the result must match exactly
// whatever the summation order or FMA contraction), and fractional values compared with a
// relative tolerance. Also a transposed-B variant and a naive kernel as a cross-check.
#include <cmath>
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

#define TILE 16

// Row-major A (M x K), B (K x N) or, with TRANS_B, B stored as N x K; C (M x N).
template <bool TRANS_B>
__global__ void sgemm_tiled(int M, int N, int K, float alpha, const float* __restrict__ A,
                            const float* __restrict__ B, float beta, float* __restrict__ C) {
  __shared__ float As[TILE][TILE];
  __shared__ float Bs[TILE][TILE + 1];  // padded against bank conflicts
  int tx = threadIdx.x, ty = threadIdx.y;
  int row = blockIdx.y * TILE + ty;
  int col = blockIdx.x * TILE + tx;
  float acc = 0.0f;
  for (int t = 0; t < (K + TILE - 1) / TILE; ++t) {
    int ak = t * TILE + tx;
    int bk = t * TILE + ty;
    As[ty][tx] = (row < M && ak < K) ? A[row * K + ak] : 0.0f;
    if (TRANS_B)
      Bs[ty][tx] = (col < N && bk < K) ? B[col * K + bk] : 0.0f;
    else
      Bs[ty][tx] = (bk < K && col < N) ? B[bk * N + col] : 0.0f;
    __syncthreads();
#pragma unroll
    for (int k = 0; k < TILE; ++k) acc += As[ty][k] * Bs[k][tx];
    __syncthreads();
  }
  if (row < M && col < N) C[row * N + col] = alpha * acc + beta * C[row * N + col];
}

__global__ void sgemm_naive(int M, int N, int K, const float* A, const float* B, float* C) {
  int row = blockIdx.y * blockDim.y + threadIdx.y;
  int col = blockIdx.x * blockDim.x + threadIdx.x;
  if (row >= M || col >= N) return;
  float acc = 0.0f;
  for (int k = 0; k < K; ++k) acc = fmaf(A[row * K + k], B[k * N + col], acc);
  C[row * N + col] = acc;
}

static void host_gemm(int M, int N, int K, float alpha, const std::vector<float>& A,
                      const std::vector<float>& B, bool transB, float beta, std::vector<float>& C) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double acc = 0;
      for (int k = 0; k < K; ++k)
        acc += (double)A[i * K + k] * (double)(transB ? B[j * K + k] : B[k * N + j]);
      C[i * N + j] = (float)(alpha * acc + beta * (double)C[i * N + j]);
    }
}

static void run_case(int M, int N, int K, bool exact, bool transB, float alpha, float beta) {
  std::vector<float> A(M * K), B(K * N), C(M * N), ref;
  unsigned st = 1234567u + M * 31 + N * 17 + K;
  auto next = [&]() { st = st * 1103515245u + 12345u; return (st >> 16) & 0x7fff; };
  for (auto& a : A) a = exact ? (float)((int)(next() % 9) - 4) * 0.25f : (float)next() / 32768.0f - 0.5f;
  for (auto& b : B) b = exact ? (float)((int)(next() % 7) - 3) * 0.5f : (float)next() / 16384.0f - 1.0f;
  for (auto& c : C) c = exact ? (float)((int)(next() % 5) - 2) : (float)next() / 32768.0f;
  ref = C;
  host_gemm(M, N, K, alpha, A, B, transB, beta, ref);

  float *dA, *dB, *dC;
  CHECK(cudaMalloc(&dA, A.size() * sizeof(float)));
  CHECK(cudaMalloc(&dB, B.size() * sizeof(float)));
  CHECK(cudaMalloc(&dC, C.size() * sizeof(float)));
  CHECK(cudaMemcpy(dA, A.data(), A.size() * sizeof(float), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dB, B.data(), B.size() * sizeof(float), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dC, C.data(), C.size() * sizeof(float), cudaMemcpyHostToDevice));
  dim3 block(TILE, TILE), grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);
  if (transB)
    sgemm_tiled<true><<<grid, block>>>(M, N, K, alpha, dA, dB, beta, dC);
  else
    sgemm_tiled<false><<<grid, block>>>(M, N, K, alpha, dA, dB, beta, dC);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  std::vector<float> got(M * N);
  CHECK(cudaMemcpy(got.data(), dC, got.size() * sizeof(float), cudaMemcpyDeviceToHost));

  bool ok = true;
  int bad = -1;
  for (int i = 0; i < M * N && ok; ++i) {
    if (exact) {
      if (got[i] != ref[i]) { ok = false; bad = i; }
    } else {
      float tol = 1e-5f * K + 1e-5f * fabsf(ref[i]);
      if (!(fabsf(got[i] - ref[i]) <= tol)) { ok = false; bad = i; }
    }
  }
  char what[200];
  snprintf(what, sizeof what, "sgemm_tiled%s %s M=%d N=%d K=%d alpha=%g beta=%g", transB ? "<transB>" : "",
           exact ? "exact" : "tolerance", M, N, K, alpha, beta);
  report(ok, what);
  if (!ok) printf("  first mismatch at (%d,%d): got %.9g want %.9g\n", bad / N, bad % N, got[bad], ref[bad]);

  // Cross-check the tiled result against the naive kernel on exact inputs.
  if (exact && !transB && alpha == 1.0f && beta == 0.0f) {
    CHECK(cudaMemset(dC, 0xff, C.size() * sizeof(float)));
    dim3 nb(32, 8), ng((N + 31) / 32, (M + 7) / 8);
    sgemm_naive<<<ng, nb>>>(M, N, K, dA, dB, dC);
    CHECK(cudaGetLastError());
    std::vector<float> naive(M * N);
    CHECK(cudaMemcpy(naive.data(), dC, naive.size() * sizeof(float), cudaMemcpyDeviceToHost));
    snprintf(what, sizeof what, "sgemm_naive matches tiled M=%d N=%d K=%d", M, N, K);
    bool same = true;
    for (size_t i = 0; i < got.size(); ++i) same = same && naive[i] == got[i];
    report(same, what);
  }
  CHECK(cudaFree(dA));
  CHECK(cudaFree(dB));
  CHECK(cudaFree(dC));
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  const int sizes[][3] = {{1, 1, 1}, {16, 16, 16}, {17, 15, 33}, {100, 77, 130},
                          {64, 128, 48}, {33, 1, 65}, {1, 50, 3}, {129, 131, 127}};
  for (auto& s : sizes) run_case(s[0], s[1], s[2], true, false, 1.0f, 0.0f);
  for (auto& s : sizes) run_case(s[0], s[1], s[2], true, false, 2.0f, -0.5f);
  for (auto& s : sizes) run_case(s[0], s[1], s[2], false, false, 1.5f, 0.25f);
  run_case(100, 77, 130, true, true, 1.0f, 1.0f);
  run_case(45, 61, 200, false, true, 0.75f, 0.0f);
  run_case(200, 180, 256, false, false, 1.0f, 0.0f);
  printf("sgemm_tiled: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
