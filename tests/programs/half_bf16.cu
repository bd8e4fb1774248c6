// half_bf16.cu — cuda_fp16.h and cuda_bf16.h on the device: __half and __nv_bfloat16
// arithmetic (add, sub, mul, div, fma, neg, abs, min/max incl. the NaN-propagating forms,
// saturating and relu forms), comparisons, conversions from and to float, double and integers
// in every rounding mode, and the packed half2/bfloat162 intrinsics (arithmetic, compares,
// packing, lane moves, a warp shuffle of a half2). Inputs include signed zeros, subnormals,
// the largest finite values, infinities and NaN.
//
// Every result is printed as hex bits (the GPU's output is the golden); add, sub, mul, div
// and fma are also checked against a host reference computed in float/double and rounded by
// the headers' host conversions.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "check.h"

enum { N = 64 };

// Results per input index; one slot per operation.
enum {
  H_ADD, H_SUB, H_MUL, H_DIV, H_FMA, H_NEG, H_ABS, H_MAX, H_MIN, H_MAXNAN, H_ADDSAT, H_FMARELU,
  H_LT, H_GE, H_EQU, H_ISNAN, H_ISINF,
  C_F2H_RN, C_F2H_RZ, C_F2H_RD, C_F2H_RU, C_H2F, C_H2I_RN, C_H2I_RZ, C_I2H_RN, C_H2S_RZ, C_US2H,
  C_D2H, C_F2B_RN, C_F2B_RZ, C_F2B_RD, C_F2B_RU, C_B2F, C_D2B,
  B_ADD, B_SUB, B_MUL, B_DIV, B_FMA, B_NEG, B_MAX, B_MIN, B_LT,
  P_ADD2, P_MUL2, P_FMA2, P_DIV2, P_MAX2, P_NEG2, P_ABS2, P_ADDSAT2, P_LT2, P_BEQ2, P_LOWHIGH,
  P_F22H2, P_LOW2F, P_SHFL,
  Q_ADD2, Q_MUL2, Q_FMA2, Q_MAX2, Q_F22B2,
  NOPS
};
static const char* op_names[NOPS] = {
    "hadd", "hsub", "hmul", "hdiv", "hfma", "hneg", "habs", "hmax", "hmin", "hmax_nan", "hadd_sat", "hfma_relu",
    "hlt", "hge", "hequ", "hisnan", "hisinf",
    "float2half_rn", "float2half_rz", "float2half_rd", "float2half_ru", "half2float", "half2int_rn",
    "half2int_rz", "int2half_rn", "half2short_rz", "ushort2half_rn", "double2half",
    "float2bfloat16_rn", "float2bfloat16_rz", "float2bfloat16_rd", "float2bfloat16_ru", "bfloat162float",
    "double2bfloat16",
    "bf16_add", "bf16_sub", "bf16_mul", "bf16_div", "bf16_mul_add", "bf16_neg", "bf16_max", "bf16_min", "bf16_lt",
    "hadd2", "hmul2", "hfma2", "h2div", "hmax2", "hneg2", "habs2", "hadd2_sat", "hlt2", "hbeq2", "lowhigh2highlow",
    "float22half2_rn", "low2float", "shfl_xor_half2",
    "bf162_add2", "bf162_mul2", "bf162_mul_add2", "bf162_max2", "float22bfloat162_rn",
};

__device__ __forceinline__ uint32_t hb(__half h) { return __half_as_ushort(h); }
__device__ __forceinline__ uint32_t bb(__nv_bfloat16 h) { return __bfloat16_as_ushort(h); }
__device__ __forceinline__ uint32_t h2b(__half2 h) {
  return (uint32_t)__half_as_ushort(__low2half(h)) | ((uint32_t)__half_as_ushort(__high2half(h)) << 16);
}
__device__ __forceinline__ uint32_t b2b(__nv_bfloat162 h) {
  return (uint32_t)__bfloat16_as_ushort(__low2bfloat16(h)) | ((uint32_t)__bfloat16_as_ushort(__high2bfloat16(h)) << 16);
}

__global__ void ops(const uint16_t* ha, const uint16_t* hbv, const uint16_t* hc, uint32_t* out) {
  int i = threadIdx.x;
  __half a = __ushort_as_half(ha[i]), b = __ushort_as_half(hbv[i]), c = __ushort_as_half(hc[i]);
  uint32_t* o = out + i * NOPS;
  o[H_ADD] = hb(__hadd(a, b));
  o[H_SUB] = hb(__hsub(a, b));
  o[H_MUL] = hb(__hmul(a, b));
  o[H_DIV] = hb(__hdiv(a, b));
  o[H_FMA] = hb(__hfma(a, b, c));
  o[H_NEG] = hb(__hneg(a));
  o[H_ABS] = hb(__habs(a));
  o[H_MAX] = hb(__hmax(a, b));
  o[H_MIN] = hb(__hmin(a, b));
  o[H_MAXNAN] = hb(__hmax_nan(a, b));
  o[H_ADDSAT] = hb(__hadd_sat(a, b));
  o[H_FMARELU] = hb(__hfma_relu(a, b, c));
  o[H_LT] = __hlt(a, b);
  o[H_GE] = __hge(a, b);
  o[H_EQU] = __hequ(a, b);
  o[H_ISNAN] = __hisnan(a);
  o[H_ISINF] = __hisinf(a);
}

// Three kernels rather than one: smaller kernels compile faster on the CPU.
__global__ void conversions(const uint16_t* ha, const uint16_t* hbv, const uint16_t* hc, const float* fx, const double* dx,
                            const int* ix, uint32_t* out) {
  int i = threadIdx.x;
  __half a = __ushort_as_half(ha[i]);
  uint32_t* o = out + i * NOPS;
  float f = fx[i];
  o[C_F2H_RN] = hb(__float2half_rn(f));
  o[C_F2H_RZ] = hb(__float2half_rz(f));
  o[C_F2H_RD] = hb(__float2half_rd(f));
  o[C_F2H_RU] = hb(__float2half_ru(f));
  float back = __half2float(a);
  memcpy(&o[C_H2F], &back, 4);
  o[C_H2I_RN] = (uint32_t)__half2int_rn(a);
  o[C_H2I_RZ] = (uint32_t)__half2int_rz(a);
  o[C_I2H_RN] = hb(__int2half_rn(ix[i]));
  o[C_H2S_RZ] = (uint16_t)__half2short_rz(a);
  o[C_US2H] = hb(__ushort2half_rn((unsigned short)ix[i]));
  o[C_D2H] = hb(__double2half(dx[i]));
  o[C_F2B_RN] = bb(__float2bfloat16_rn(f));
  o[C_F2B_RZ] = bb(__float2bfloat16_rz(f));
  o[C_F2B_RD] = bb(__float2bfloat16_rd(f));
  o[C_F2B_RU] = bb(__float2bfloat16_ru(f));
  __nv_bfloat16 ba = __ushort_as_bfloat16(ha[i]), bbv = __ushort_as_bfloat16(hbv[i]), bc = __ushort_as_bfloat16(hc[i]);
  float bback = __bfloat162float(ba);
  memcpy(&o[C_B2F], &bback, 4);
  o[C_D2B] = bb(__double2bfloat16(dx[i]));

  o[B_ADD] = bb(__hadd(ba, bbv));
  o[B_SUB] = bb(__hsub(ba, bbv));
  o[B_MUL] = bb(__hmul(ba, bbv));
  o[B_DIV] = bb(__hdiv(ba, bbv));
  o[B_FMA] = bb(__hadd(__hmul(ba, bbv), bc));  // bf16 __hfma needs sm_80; the default target is sm_75
  o[B_NEG] = bb(__hneg(ba));
  o[B_MAX] = bb(__hmax(ba, bbv));
  o[B_MIN] = bb(__hmin(ba, bbv));
  o[B_LT] = __hlt(ba, bbv);
}

__global__ void packed(const uint16_t* ha, const uint16_t* hbv, const uint16_t* hc, const float* fx, uint32_t* out) {
  int i = threadIdx.x;
  __half a = __ushort_as_half(ha[i]), b = __ushort_as_half(hbv[i]), c = __ushort_as_half(hc[i]);
  __nv_bfloat16 ba = __ushort_as_bfloat16(ha[i]), bbv = __ushort_as_bfloat16(hbv[i]), bc = __ushort_as_bfloat16(hc[i]);
  uint32_t* o = out + i * NOPS;
  float f = fx[i];
  __half2 p = __halves2half2(a, b), q = __halves2half2(c, a), r = __halves2half2(b, c);
  o[P_ADD2] = h2b(__hadd2(p, q));
  o[P_MUL2] = h2b(__hmul2(p, q));
  o[P_FMA2] = h2b(__hfma2(p, q, r));
  o[P_DIV2] = h2b(__h2div(p, q));
  o[P_MAX2] = h2b(__hmax2(p, q));
  o[P_NEG2] = h2b(__hneg2(p));
  o[P_ABS2] = h2b(__habs2(p));
  o[P_ADDSAT2] = h2b(__hadd2_sat(p, q));
  o[P_LT2] = h2b(__hlt2(p, q));
  o[P_BEQ2] = __hbeq2(p, q);
  o[P_LOWHIGH] = h2b(__lowhigh2highlow(p));
  o[P_F22H2] = h2b(__float22half2_rn(make_float2(f, -f * 0.5f)));
  float lf = __low2float(q);
  memcpy(&o[P_LOW2F], &lf, 4);
  o[P_SHFL] = h2b(__shfl_xor_sync(0xffffffffu, p, 5));

  __nv_bfloat162 bp = __halves2bfloat162(ba, bbv), bq = __halves2bfloat162(bc, ba), br = __halves2bfloat162(bbv, bc);
  o[Q_ADD2] = b2b(__hadd2(bp, bq));
  o[Q_MUL2] = b2b(__hmul2(bp, bq));
  o[Q_FMA2] = b2b(__hadd2(__hmul2(bp, bq), br));
  o[Q_MAX2] = b2b(__hmax2(bp, bq));
  o[Q_F22B2] = b2b(__float22bfloat162_rn(make_float2(f, -f * 0.5f)));
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t next_u32() {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng >> 32);
}
static bool hnan(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff); }
static bool bnan(uint16_t h) { return (h & 0x7f80) == 0x7f80 && (h & 0x7f); }

int main() {
  uint16_t ha[N], hbv[N], hc[N];
  float fx[N];
  double dx[N];
  int ix[N];
  // Edge cases as half bit patterns (bfloat16 reads the same bits as its own values).
  const uint16_t special[] = {0x0000, 0x8000, 0x3c00, 0xbc00, 0x7bff, 0xfbff, 0x0001, 0x8001, 0x03ff, 0x0400,
                              0x7c00, 0xfc00, 0x7e00, 0x7d01, 0x3555, 0x4248, 0x5640, 0xd640, 0x3800, 0x3bff};
  const int ns = sizeof(special) / sizeof(special[0]);
  for (int i = 0; i < N; i++) {
    ha[i] = i < ns ? special[i] : (uint16_t)next_u32();
    hbv[i] = i < ns ? special[(i * 7 + 3) % ns] : (uint16_t)next_u32();
    hc[i] = (uint16_t)(next_u32() & 0xbfff);  // finite-ish addends
    uint32_t fb = next_u32();
    if (i % 4 == 0) fb = (fb & 0x807fffff) | ((uint32_t)(100 + next_u32() % 50) << 23);  // near half range
    if (i == 1) fb = 0x477fefff;                                                           // just below 65520
    if (i == 2) fb = 0x477ff000;                                                           // rounds to inf
    if (i == 3) fb = 0x33000001;                                                           // just above 2^-25
    if (i == 5) fb = 0x7fc00001;                                                           // NaN
    memcpy(&fx[i], &fb, 4);
    dx[i] = (double)fx[i] * (1.0 + ldexp((double)(next_u32() & 0xffff), -40));
    ix[i] = (int)next_u32() >> (next_u32() % 31);
  }

  uint16_t *da, *db, *dc;
  float* dfx;
  double* ddx;
  int* dix;
  uint32_t* dout;
  CHECK(cudaMalloc(&da, sizeof(ha)));
  CHECK(cudaMalloc(&db, sizeof(hbv)));
  CHECK(cudaMalloc(&dc, sizeof(hc)));
  CHECK(cudaMalloc(&dfx, sizeof(fx)));
  CHECK(cudaMalloc(&ddx, sizeof(dx)));
  CHECK(cudaMalloc(&dix, sizeof(ix)));
  CHECK(cudaMalloc(&dout, sizeof(uint32_t) * N * NOPS));
  CHECK(cudaMemcpy(da, ha, sizeof(ha), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(db, hbv, sizeof(hbv), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dc, hc, sizeof(hc), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dfx, fx, sizeof(fx), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(ddx, dx, sizeof(dx), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dix, ix, sizeof(ix), cudaMemcpyHostToDevice));
  ops<<<1, N>>>(da, db, dc, dout);
  CHECK(cudaGetLastError());
  conversions<<<1, N>>>(da, db, dc, dfx, ddx, dix, dout);
  CHECK(cudaGetLastError());
  packed<<<1, N>>>(da, db, dc, dfx, dout);
  CHECK(cudaGetLastError());
  static uint32_t out[N * NOPS];
  CHECK(cudaMemcpy(out, dout, sizeof(out), cudaMemcpyDeviceToHost));

  int failures = 0;
  // Host reference for the correctly rounded operations.
  for (int i = 0; i < N; i++) {
    __half a = __ushort_as_half(ha[i]), b = __ushort_as_half(hbv[i]), c = __ushort_as_half(hc[i]);
    double x = __half2float(a), y = __half2float(b), z = __half2float(c);
    uint16_t want[5] = {__half_as_ushort(__double2half(x + y)), __half_as_ushort(__double2half(x - y)),
                        __half_as_ushort(__double2half(x * y)), __half_as_ushort(__double2half(x / y)),
                        __half_as_ushort(__double2half(fma(x, y, z)))};
    for (int k = 0; k < 5; k++) {
      uint16_t got = (uint16_t)out[i * NOPS + H_ADD + k];
      if (got != want[k] && !(hnan(got) && hnan(want[k]))) {
        failures++;
        printf("FAIL %s(%04x, %04x, %04x) = %04x, host reference %04x\n", op_names[H_ADD + k], ha[i], hbv[i], hc[i], got, want[k]);
      }
    }
    __nv_bfloat16 ba = __ushort_as_bfloat16(ha[i]), bv = __ushort_as_bfloat16(hbv[i]), bc = __ushort_as_bfloat16(hc[i]);
    double bx = __bfloat162float(ba), by = __bfloat162float(bv), bz = __bfloat162float(bc);
    uint16_t bwant[5] = {__bfloat16_as_ushort(__double2bfloat16(bx + by)), __bfloat16_as_ushort(__double2bfloat16(bx - by)),
                         __bfloat16_as_ushort(__double2bfloat16(bx * by)), __bfloat16_as_ushort(__double2bfloat16(bx / by)),
                         __bfloat16_as_ushort(__double2bfloat16(fma(bx, by, bz)))};
    for (int k = 0; k < 5; k++) {
      if (k >= 3) continue;  // division: reciprocal-based; "fma": two roundings on sm_75
      uint16_t got = (uint16_t)out[i * NOPS + B_ADD + k];
      if (got != bwant[k] && !(bnan(got) && bnan(bwant[k]))) {
        failures++;
        printf("FAIL %s(%04x, %04x, %04x) = %04x, host reference %04x\n", op_names[B_ADD + k], ha[i], hbv[i], hc[i], got, bwant[k]);
      }
    }
  }
  for (int op = 0; op < NOPS; op++) {
    for (int i = 0; i < N; i += 16) {
      printf("%s %02d:", op_names[op], i);
      for (int k = 0; k < 16; k++) printf(" %x", out[(i + k) * NOPS + op]);
      printf("\n");
    }
  }
  CHECK(cudaFree(da));
  CHECK(cudaFree(db));
  CHECK(cudaFree(dc));
  CHECK(cudaFree(dfx));
  CHECK(cudaFree(ddx));
  CHECK(cudaFree(dix));
  CHECK(cudaFree(dout));
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
