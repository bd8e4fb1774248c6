// wmma m16n16k16 self-check (no H100 golden: the fragment layout is opaque in PTX, so this checks
// load/mma/store/fill/element-wise agreement and the arithmetic against a host reference).
// Run by tests/conformance.rs (wmma_self_check).
#include <cstdio>
#include <mma.h>
#include <cuda_fp16.h>
using namespace nvcuda;
__global__ void k(const half* a, const half* b, float* c, half* c16, float scale) {
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
int main() {
  half ha[256], hb[256]; float hc[256]; float ref[256]; float r16[256];
  for (int i = 0; i < 256; i++) { ha[i] = __float2half((float)((i * 7) % 5 - 2)); hb[i] = __float2half((float)((i * 3) % 7 - 3)); hc[i] = (float)(i % 9); }
  for (int r = 0; r < 16; r++) for (int c = 0; c < 16; c++) { float s = 0; for (int k = 0; k < 16; k++) s += __half2float(ha[r*16+k]) * __half2float(hb[c*16+k]); ref[c*16+r] = (s + hc[r*16+c]) * 2.0f; r16[r*16+c] = s + 1.0f; }
  half *da, *db, *d16; float* dc;
  cudaMalloc(&da, 512); cudaMalloc(&db, 512); cudaMalloc(&dc, 1024); cudaMalloc(&d16, 512);
  cudaMemcpy(da, ha, 512, cudaMemcpyHostToDevice); cudaMemcpy(db, hb, 512, cudaMemcpyHostToDevice); cudaMemcpy(dc, hc, 1024, cudaMemcpyHostToDevice);
  k<<<1, 32>>>(da, db, dc, d16, 2.0f);
  cudaError_t e = cudaDeviceSynchronize();
  float out[256]; half o16[256];
  cudaMemcpy(out, dc, 1024, cudaMemcpyDeviceToHost); cudaMemcpy(o16, d16, 512, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < 256; i++) { if (out[i] != ref[i]) bad++; if (__half2float(o16[i]) != r16[i]) bad++; }
  printf("%s err=%s bad=%d\n", bad ? "FAIL" : "PASS", cudaGetErrorString(e), bad);
  return bad != 0;
}
