// wmma self-check (no H100 golden: the fragment layout is opaque in PTX, so this checks that
// load, mma and store agree with each other and with a host reference, for every wmma shape and
// type PTX allows on sm_90, both operand layouts, padded leading dimensions, row- and
// column-major accumulators; plus fill and element-wise fragment code). Inputs are small
// integers, so every sum is exact in every format. Prints PASS/FAIL and one line per failing
// case. Run by tests/conformance.rs (wmma_self_check), and on the GPU by
// scripts/gen-conformance-goldens.sh.
#include <cstdio>
#include <cstring>
#include <vector>
#include <type_traits>
#include <mma.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
using namespace nvcuda;
namespace wex = nvcuda::wmma::experimental;

static int failures = 0;
static void report(const char* what, int bad, cudaError_t e) {
  if (bad || e != cudaSuccess) {
    printf("FAIL %s: %d wrong elements (%s)\n", what, bad, cudaGetErrorString(e));
    failures++;
  }
}

// ---- the original m16n16k16 check: fill, element-wise scaling, f16 and f32 accumulators ----
__global__ void k_basic(const half* a, const half* b, float* c, half* c16, float scale) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> fb;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> fc;
  wmma::fragment<wmma::accumulator, 16, 16, 16, half> fh;
  wmma::load_matrix_sync(fa, a, 16);
  wmma::load_matrix_sync(fb, b, 16);
  wmma::load_matrix_sync(fc, c, 16, wmma::mem_row_major);
  wmma::fill_fragment(fh, __float2half(1.0f));
  wmma::mma_sync(fc, fa, fb, fc);
  wmma::mma_sync(fh, fa, fb, fh);
  for (int i = 0; i < fc.num_elements; i++) fc.x[i] *= scale;
  wmma::store_matrix_sync(c, fc, 16, wmma::mem_col_major);
  wmma::store_matrix_sync(c16, fh, 16, wmma::mem_row_major);
}
static void basic() {
  half ha[256], hb[256]; float hc[256]; float ref[256]; float r16[256];
  for (int i = 0; i < 256; i++) { ha[i] = __float2half((float)((i * 7) % 5 - 2)); hb[i] = __float2half((float)((i * 3) % 7 - 3)); hc[i] = (float)(i % 9); }
  for (int r = 0; r < 16; r++) for (int c = 0; c < 16; c++) { float s = 0; for (int k = 0; k < 16; k++) s += __half2float(ha[r*16+k]) * __half2float(hb[c*16+k]); ref[c*16+r] = (s + hc[r*16+c]) * 2.0f; r16[r*16+c] = s + 1.0f; }
  half *da, *db, *d16; float* dc;
  cudaMalloc(&da, 512); cudaMalloc(&db, 512); cudaMalloc(&dc, 1024); cudaMalloc(&d16, 512);
  cudaMemcpy(da, ha, 512, cudaMemcpyHostToDevice); cudaMemcpy(db, hb, 512, cudaMemcpyHostToDevice); cudaMemcpy(dc, hc, 1024, cudaMemcpyHostToDevice);
  k_basic<<<1, 32>>>(da, db, dc, d16, 2.0f);
  cudaError_t e = cudaDeviceSynchronize();
  float out[256]; half o16[256];
  cudaMemcpy(out, dc, 1024, cudaMemcpyDeviceToHost); cudaMemcpy(o16, d16, 512, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < 256; i++) { if (out[i] != ref[i]) bad++; if (__half2float(o16[i]) != r16[i]) bad++; }
  report("m16n16k16 f16 fill/scale", bad, e);
  cudaFree(da); cudaFree(db); cudaFree(dc); cudaFree(d16);
}

// ---- every shape and type: D = A·B + C with layouts and strides ----
template <typename T> struct Store { typedef T type; };
template <> struct Store<wmma::precision::tf32> { typedef float type; };
template <typename S> static S conv(int v) { return (S)v; }
template <> half conv<half>(int v) { return __float2half((float)v); }
template <> __nv_bfloat16 conv<__nv_bfloat16>(int v) { return __float2bfloat16((float)v); }
template <typename S> static double back(S v) { return (double)v; }
template <> double back<half>(half v) { return (double)__half2float(v); }

template <int M, int N, int K, typename FA, typename TC, typename LA, typename LB, bool SAT>
__global__ void k_mm(const typename Store<FA>::type* a, const typename Store<FA>::type* b, const TC* c, TC* d, unsigned lda,
                     unsigned ldb, unsigned ldc, int c_col, int d_col) {
  wmma::fragment<wmma::matrix_a, M, N, K, FA, LA> fa;
  wmma::fragment<wmma::matrix_b, M, N, K, FA, LB> fb;
  wmma::fragment<wmma::accumulator, M, N, K, TC> fc;
  wmma::load_matrix_sync(fa, a, lda);
  wmma::load_matrix_sync(fb, b, ldb);
  wmma::load_matrix_sync(fc, c, ldc, c_col ? wmma::mem_col_major : wmma::mem_row_major);
  if constexpr (SAT) wmma::mma_sync(fc, fa, fb, fc, true);
  else wmma::mma_sync(fc, fa, fb, fc);
  wmma::store_matrix_sync(d, fc, ldc, d_col ? wmma::mem_col_major : wmma::mem_row_major);
}

template <int M, int N, int K, typename FA, typename TC, typename LA, typename LB, bool SAT = false>
static void case_mm(const char* what, bool is_unsigned, int c_base = 0) {
  typedef typename Store<FA>::type SA;
  const bool a_row = std::is_same<LA, wmma::row_major>::value, b_row = std::is_same<LB, wmma::row_major>::value;
  const unsigned pad = 16;
  const unsigned lda = (a_row ? K : M) + pad, ldb = (b_row ? N : K) + pad;
  for (int variant = 0; variant < 2; variant++) {
    const int c_col = variant, d_col = 1 - variant;
    const unsigned ldc = (c_col || d_col ? (M > N ? M : N) : N) + pad;
    std::vector<int> A(M * K), B(K * N), C(M * N);
    unsigned x = 12345u + variant * 77u + M * 7u + N * 3u + K;
    auto next = [&]() { x = x * 1103515245u + 12345u; return (int)((x >> 16) & 0x7fff); };
    for (int& v : A) v = is_unsigned ? next() % 7 : next() % 7 - 3;
    for (int& v : B) v = is_unsigned ? next() % 7 : next() % 7 - 3;
    for (int& v : C) v = c_base + next() % 17 - 8;
    std::vector<SA> ha(lda * (a_row ? M : K)), hb(ldb * (b_row ? K : N));
    std::vector<TC> hc(ldc * (M > N ? M : N)), hd(hc.size());
    for (int r = 0; r < M; r++) for (int k = 0; k < K; k++) ha[a_row ? r * lda + k : k * lda + r] = conv<SA>(A[r * K + k]);
    for (int k = 0; k < K; k++) for (int n = 0; n < N; n++) hb[b_row ? k * ldb + n : n * ldb + k] = conv<SA>(B[k * N + n]);
    for (int r = 0; r < M; r++) for (int n = 0; n < N; n++) hc[c_col ? n * ldc + r : r * ldc + n] = conv<TC>(C[r * N + n]);
    SA *da, *db; TC *dc, *dd;
    cudaMalloc(&da, ha.size() * sizeof(SA)); cudaMalloc(&db, hb.size() * sizeof(SA));
    cudaMalloc(&dc, hc.size() * sizeof(TC)); cudaMalloc(&dd, hc.size() * sizeof(TC));
    cudaMemcpy(da, ha.data(), ha.size() * sizeof(SA), cudaMemcpyHostToDevice);
    cudaMemcpy(db, hb.data(), hb.size() * sizeof(SA), cudaMemcpyHostToDevice);
    cudaMemcpy(dc, hc.data(), hc.size() * sizeof(TC), cudaMemcpyHostToDevice);
    cudaMemset(dd, 0, hc.size() * sizeof(TC));
    k_mm<M, N, K, FA, TC, LA, LB, SAT><<<1, 32>>>(da, db, dc, dd, lda, ldb, ldc, c_col, d_col);
    cudaError_t e = cudaDeviceSynchronize();
    cudaMemcpy(hd.data(), dd, hd.size() * sizeof(TC), cudaMemcpyDeviceToHost);
    int bad = 0;
    for (int r = 0; r < M; r++)
      for (int n = 0; n < N; n++) {
        long long s = C[r * N + n];
        for (int k = 0; k < K; k++) s += (long long)A[r * K + k] * B[k * N + n];
        if (SAT && s > 2147483647LL) s = 2147483647LL;
        double want = (double)s;
        double got = back<TC>(hd[d_col ? n * ldc + r : r * ldc + n]);
        if (got != want) bad++;
      }
    char name[160];
    snprintf(name, sizeof name, "%s (C %s, D %s)", what, c_col ? "col" : "row", d_col ? "col" : "row");
    report(name, bad, e);
    cudaFree(da); cudaFree(db); cudaFree(dc); cudaFree(dd);
  }
}

// ---- sub-byte types: m8n8k32 s4/u4 and m8n8k128 b1 (A row-major, B column-major) ----
template <typename P, int K, bool AND>
__global__ void k_sub(const void* a, const void* b, const int* c, int* d) {
  wmma::fragment<wmma::matrix_a, 8, 8, K, P, wmma::row_major> fa;
  wmma::fragment<wmma::matrix_b, 8, 8, K, P, wmma::col_major> fb;
  wmma::fragment<wmma::accumulator, 8, 8, K, int> fc;
  wmma::load_matrix_sync(fa, a, K);
  wmma::load_matrix_sync(fb, b, K);
  wmma::load_matrix_sync(fc, c, 8, wmma::mem_row_major);
  if constexpr (K == 128) {
    if (AND) wmma::bmma_sync(fc, fa, fb, fc, wex::bmmaBitOpAND, wex::bmmaAccumulateOpPOPC);
    else wmma::bmma_sync(fc, fa, fb, fc, wex::bmmaBitOpXOR, wex::bmmaAccumulateOpPOPC);
  } else {
    wmma::mma_sync(fc, fa, fb, fc);
  }
  wmma::store_matrix_sync(d, fc, 8, wmma::mem_col_major);
}

template <typename P, int K, bool AND = false>
static void case_sub(const char* what, int bits, bool is_signed) {
  // element j of row r (A) / column n (B) at bit (row * K + j) * bits, low bits first
  std::vector<int> A(8 * K), B(8 * K), C(64);
  unsigned x = 999u + K + bits;
  auto next = [&]() { x = x * 1103515245u + 12345u; return (int)((x >> 16) & 0x7fff); };
  const int range = 1 << bits;
  for (int& v : A) v = is_signed ? next() % range - range / 2 : next() % range;
  for (int& v : B) v = is_signed ? next() % range - range / 2 : next() % range;
  for (int& v : C) v = next() % 100 - 50;
  std::vector<unsigned char> ha(8 * K * bits / 8), hb(8 * K * bits / 8);
  auto put = [&](std::vector<unsigned char>& m, int idx, int v) {
    int bit = idx * bits;
    m[bit / 8] |= (unsigned char)((v & (range - 1)) << (bit % 8));
  };
  for (int r = 0; r < 8; r++) for (int k = 0; k < K; k++) put(ha, r * K + k, A[r * K + k]);
  for (int n = 0; n < 8; n++) for (int k = 0; k < K; k++) put(hb, n * K + k, B[n * K + k]);
  void *da, *db; int *dc, *dd;
  cudaMalloc(&da, ha.size()); cudaMalloc(&db, hb.size()); cudaMalloc(&dc, 256); cudaMalloc(&dd, 256);
  cudaMemcpy(da, ha.data(), ha.size(), cudaMemcpyHostToDevice);
  cudaMemcpy(db, hb.data(), hb.size(), cudaMemcpyHostToDevice);
  cudaMemcpy(dc, C.data(), 256, cudaMemcpyHostToDevice);
  k_sub<P, K, AND><<<1, 32>>>(da, db, dc, dd);
  cudaError_t e = cudaDeviceSynchronize();
  int hd[64];
  cudaMemcpy(hd, dd, 256, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int r = 0; r < 8; r++)
    for (int n = 0; n < 8; n++) {
      int s = C[r * 8 + n];
      for (int k = 0; k < K; k++) {
        int a = A[r * K + k], b = B[n * K + k];
        s += bits == 1 ? (AND ? (a & b) : (a ^ b)) : a * b;
      }
      if (hd[n * 8 + r] != s) bad++;
    }
  report(what, bad, e);
  cudaFree(da); cudaFree(db); cudaFree(dc); cudaFree(dd);
}

int main() {
  typedef wmma::row_major R;
  typedef wmma::col_major Cm;
  basic();
  case_mm<16, 16, 16, half, float, R, Cm>("m16n16k16 f16 row.col f32", false);
  case_mm<16, 16, 16, half, half, Cm, R>("m16n16k16 f16 col.row f16", false);
  case_mm<32, 8, 16, half, float, R, R>("m32n8k16 f16 row.row f32", false);
  case_mm<32, 8, 16, half, half, Cm, Cm>("m32n8k16 f16 col.col f16", false);
  case_mm<8, 32, 16, half, float, Cm, R>("m8n32k16 f16 col.row f32", false);
  case_mm<8, 32, 16, half, half, R, Cm>("m8n32k16 f16 row.col f16", false);
  case_mm<16, 16, 16, __nv_bfloat16, float, R, R>("m16n16k16 bf16 row.row", false);
  case_mm<32, 8, 16, __nv_bfloat16, float, Cm, R>("m32n8k16 bf16 col.row", false);
  case_mm<8, 32, 16, __nv_bfloat16, float, R, Cm>("m8n32k16 bf16 row.col", false);
  case_mm<16, 16, 16, signed char, int, R, Cm>("m16n16k16 s8 row.col", false);
  case_mm<32, 8, 16, signed char, int, Cm, R>("m32n8k16 s8 col.row", false);
  case_mm<8, 32, 16, signed char, int, R, R>("m8n32k16 s8 row.row", false);
  case_mm<16, 16, 16, unsigned char, int, Cm, Cm>("m16n16k16 u8 col.col", true);
  case_mm<32, 8, 16, unsigned char, int, R, Cm>("m32n8k16 u8 row.col", true);
  case_mm<8, 32, 16, unsigned char, int, Cm, R>("m8n32k16 u8 col.row", true);
  case_mm<16, 16, 16, unsigned char, int, R, Cm, true>("m16n16k16 u8 satfinite", true, 2147483647 - 200);
  case_mm<16, 16, 8, wmma::precision::tf32, float, R, Cm>("m16n16k8 tf32 row.col", false);
  case_mm<16, 16, 8, wmma::precision::tf32, float, Cm, R>("m16n16k8 tf32 col.row", false);
  case_mm<8, 8, 4, double, double, R, Cm>("m8n8k4 f64 row.col", false);
  case_mm<8, 8, 4, double, double, Cm, R>("m8n8k4 f64 col.row", false);
  case_sub<wex::precision::s4, 32>("m8n8k32 s4", 4, true);
  case_sub<wex::precision::u4, 32>("m8n8k32 u4", 4, false);
  case_sub<wex::precision::b1, 128>("m8n8k128 b1 xor.popc", 1, false);
  case_sub<wex::precision::b1, 128, true>("m8n8k128 b1 and.popc", 1, false);
  printf("%s (%d failing cases)\n", failures ? "FAIL" : "PASS", failures);
  return failures != 0;
}
