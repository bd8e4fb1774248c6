// PTX instruction conformance kernels (issue 4).
//
// Every test is one kernel wrapping one PTX instruction form in inline assembly, so the PTX
// that cuemu sees contains that exact instruction. The host feeds it edge-case inputs (signed
// zeros, NaNs with payloads, infinities, denormals, overflow, ties, shift counts >= width,
// every prmt selector, partial warps ...) and prints one line per thread:
//
//     @<test name> <outputs per thread>
//     <a> <b> <c> > <d0> [<d1> ...]          (hex, no padding)
//
// tests/conformance/golden/h100.txt holds this program's output on an NVIDIA H100
// (scripts/gen-conformance-goldens.sh); tests/conformance.rs runs it on cuemu and compares.
// A test whose kernel fails prints `@<name> ERROR <message>` and the program carries on.
//
// Build: nvcc -arch=sm_90 -o conformance conformance.cu   (SASS for the H100, PTX for cuemu)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <vector>
#include <string>
#include <map>

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;

#define KSIG (const u64* __restrict__ A, const u64* __restrict__ B, const u64* __restrict__ C, u64* __restrict__ D, int n)
#define IDX                                              \
  const int i = blockIdx.x * blockDim.x + threadIdx.x;   \
  if (i >= n) return;
typedef void (*KFn) KSIG;

enum Gen {
  G_I32_1, G_I32_2, G_I32_3, G_I64_1, G_I64_2, G_I64_3, G_I16_1, G_I16_2, G_I16_3,
  G_SH32, G_SH64, G_SH16, G_SHF, G_BFE32, G_BFE64, G_BFI32, G_BFI64, G_PRMT, G_PRMTM, G_FNS,
  G_DP, G_BMSK, G_SZEXT, G_MIX64,
  G_F32_1, G_F32_2, G_F32_3, G_F64_1, G_F64_2, G_F64_3,
  G_F16_1, G_F16_2, G_F16_3, G_F16X2_1, G_F16X2_2, G_F16X2_3,
  G_BF16_1, G_BF16_2, G_BF16_3, G_BF16X2_1, G_BF16X2_2, G_BF16X2_3,
  G_F32PAIR, G_E4M3X2, G_F32I, G_F64I,
  G_WARP_SHFL, G_WARP_SHFL_PART, G_WARP_PRED, G_WARP_VAL, G_BARRED,
  G_MMA_INT, G_MMA_RAND, G_MMA_S8, G_LDM, G_LOP3, G_MMA_GEN, G_STM, G_MOVM, G_VIDEO,
  G_I2H, G_F16X2_FP8, G_SW_ONE, G_SW_MBAR, G_SW_BULK, G_SW_MALLOC, G_SW_RED,
};

struct Test {
  const char* name;
  KFn k;
  Gen gen;
  int outs;
  int block;
};
static std::vector<Test>& registry() {
  static std::vector<Test> r;
  return r;
}
struct Reg {
  Reg(const char* name, KFn k, Gen g, int outs = 1, int block = 128) { registry().push_back({name, k, g, outs, block}); }
};

// ---------------------------------------------------------------------------------------------
// Kernel shapes: d = ins a[, b[, c]] with operand types (C type, asm constraint).
#define K1(ID, TD, CD, TA, CA, INS, G)                                                     \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    TA a = (TA)A[i];                                                                     \
    TD d;                                                                                \
    asm volatile(INS " %0, %1;" : "=" CD(d) : CA(a));                                    \
    D[i] = (u64)d;                                                                       \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);
#define K2(ID, TD, CD, TA, CA, TB, CB, INS, G)                                             \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    TA a = (TA)A[i];                                                                     \
    TB b = (TB)B[i];                                                                     \
    TD d;                                                                                \
    asm volatile(INS " %0, %1, %2;" : "=" CD(d) : CA(a), CB(b));                         \
    D[i] = (u64)d;                                                                       \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);
#define K3(ID, TD, CD, TA, CA, TB, CB, TC, CC, INS, G)                                     \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    TA a = (TA)A[i];                                                                     \
    TB b = (TB)B[i];                                                                     \
    TC c = (TC)C[i];                                                                     \
    TD d;                                                                                \
    asm volatile(INS " %0, %1, %2, %3;" : "=" CD(d) : CA(a), CB(b), CC(c));              \
    D[i] = (u64)d;                                                                       \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);
// predicate results (as 0/1)
#define KP1(ID, TA, CA, INS, G)                                                            \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    TA a = (TA)A[i];                                                                     \
    u32 d;                                                                               \
    asm volatile("{ .reg .pred p; " INS " p, %1; selp.u32 %0, 1, 0, p; }" : "=r"(d) : CA(a)); \
    D[i] = d;                                                                            \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);
#define KP2(ID, TA, CA, INS, G)                                                            \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    TA a = (TA)A[i];                                                                     \
    TA b = (TA)B[i];                                                                     \
    u32 d;                                                                               \
    asm volatile("{ .reg .pred p; " INS " p, %1, %2; selp.u32 %0, 1, 0, p; }" : "=r"(d) : CA(a), CA(b)); \
    D[i] = d;                                                                            \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);
// setp with both destinations p|q
#define KPQ2(ID, TA, CA, INS, G)                                                           \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    TA a = (TA)A[i];                                                                     \
    TA b = (TA)B[i];                                                                     \
    u32 d;                                                                               \
    asm volatile("{ .reg .pred p, q; " INS " p|q, %1, %2; selp.u32 %0, 1, 0, p; @q add.u32 %0, %0, 2; }" : "=r"(d) : CA(a), CA(b)); \
    D[i] = d;                                                                            \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);

#define I1_32(ID, INS, G) K1(ID, u32, "r", u32, "r", INS, G)
#define I2_32(ID, INS, G) K2(ID, u32, "r", u32, "r", u32, "r", INS, G)
#define I3_32(ID, INS, G) K3(ID, u32, "r", u32, "r", u32, "r", u32, "r", INS, G)
#define I1_64(ID, INS, G) K1(ID, u64, "l", u64, "l", INS, G)
#define I2_64(ID, INS, G) K2(ID, u64, "l", u64, "l", u64, "l", INS, G)
#define I3_64(ID, INS, G) K3(ID, u64, "l", u64, "l", u64, "l", u64, "l", INS, G)
#define I1_16(ID, INS, G) K1(ID, u16, "h", u16, "h", INS, G)
#define I2_16(ID, INS, G) K2(ID, u16, "h", u16, "h", u16, "h", INS, G)
#define I3_16(ID, INS, G) K3(ID, u16, "h", u16, "h", u16, "h", u16, "h", INS, G)

// ================================ integer arithmetic (PTX ISA 9.7.1) ==========================
I2_32(add_s32, "add.s32", G_I32_2)
I2_32(add_sat_s32, "add.sat.s32", G_I32_2)
I2_32(sub_s32, "sub.s32", G_I32_2)
I2_32(sub_sat_s32, "sub.sat.s32", G_I32_2)
I2_16(add_u16, "add.u16", G_I16_2)
I2_64(sub_s64, "sub.s64", G_I64_2)
I2_32(mul_lo_s32, "mul.lo.s32", G_I32_2)
I2_32(mul_hi_s32, "mul.hi.s32", G_I32_2)
I2_32(mul_hi_u32, "mul.hi.u32", G_I32_2)
K2(mul_wide_s32, u64, "l", u32, "r", u32, "r", "mul.wide.s32", G_I32_2)
K2(mul_wide_u32, u64, "l", u32, "r", u32, "r", "mul.wide.u32", G_I32_2)
K2(mul_wide_s16, u32, "r", u16, "h", u16, "h", "mul.wide.s16", G_I16_2)
K2(mul_wide_u16, u32, "r", u16, "h", u16, "h", "mul.wide.u16", G_I16_2)
I2_16(mul_hi_s16, "mul.hi.s16", G_I16_2)
I2_64(mul_lo_u64, "mul.lo.u64", G_I64_2)
I2_64(mul_hi_s64, "mul.hi.s64", G_I64_2)
I2_64(mul_hi_u64, "mul.hi.u64", G_I64_2)
I3_32(mad_lo_s32, "mad.lo.s32", G_I32_3)
I3_32(mad_hi_s32, "mad.hi.s32", G_I32_3)
I3_32(mad_hi_u32, "mad.hi.u32", G_I32_3)
I3_32(mad_hi_sat_s32, "mad.hi.sat.s32", G_I32_3)
K3(mad_wide_s32, u64, "l", u32, "r", u32, "r", u64, "l", "mad.wide.s32", G_I32_3)
K3(mad_wide_u32, u64, "l", u32, "r", u32, "r", u64, "l", "mad.wide.u32", G_I32_3)
I3_64(mad_hi_u64, "mad.hi.u64", G_I64_3)
I2_32(mul24_lo_s32, "mul24.lo.s32", G_I32_2)
I2_32(mul24_lo_u32, "mul24.lo.u32", G_I32_2)
I2_32(mul24_hi_s32, "mul24.hi.s32", G_I32_2)
I2_32(mul24_hi_u32, "mul24.hi.u32", G_I32_2)
I3_32(mad24_lo_s32, "mad24.lo.s32", G_I32_3)
I3_32(mad24_hi_u32, "mad24.hi.u32", G_I32_3)
I2_32(div_s32, "div.s32", G_I32_2)
I2_32(div_u32, "div.u32", G_I32_2)
I2_32(rem_s32, "rem.s32", G_I32_2)
I2_32(rem_u32, "rem.u32", G_I32_2)
I2_64(div_s64, "div.s64", G_I64_2)
I2_64(div_u64, "div.u64", G_I64_2)
I2_64(rem_s64, "rem.s64", G_I64_2)
I2_64(rem_u64, "rem.u64", G_I64_2)
I2_16(div_s16, "div.s16", G_I16_2)
I2_16(rem_u16, "rem.u16", G_I16_2)
I1_32(abs_s32, "abs.s32", G_I32_1)
I1_32(neg_s32, "neg.s32", G_I32_1)
I1_64(abs_s64, "abs.s64", G_I64_1)
I1_16(abs_s16, "abs.s16", G_I16_1)
I1_16(neg_s16, "neg.s16", G_I16_1)
I2_32(min_s32, "min.s32", G_I32_2)
I2_32(min_u32, "min.u32", G_I32_2)
I2_32(max_s32, "max.s32", G_I32_2)
I2_32(max_u32, "max.u32", G_I32_2)
I2_64(min_s64, "min.s64", G_I64_2)
I2_64(max_u64, "max.u64", G_I64_2)
I2_16(min_s16, "min.s16", G_I16_2)
I2_16(max_u16, "max.u16", G_I16_2)
I2_32(min_relu_s32, "min.relu.s32", G_I32_2)
I2_32(max_relu_s32, "max.relu.s32", G_I32_2)
I2_32(min_s16x2, "min.s16x2", G_I32_2)
I2_32(add_s16x2, "add.s16x2", G_I32_2)
I2_32(add_u16x2, "add.u16x2", G_I32_2)
I2_32(max_u16x2, "max.u16x2", G_I32_2)
I2_32(max_relu_s16x2, "max.relu.s16x2", G_I32_2)
I3_32(sad_u32, "sad.u32", G_I32_3)
I3_32(sad_s32, "sad.s32", G_I32_3)
// extended precision (PTX ISA 9.7.2): 64-bit add/sub/mad through 32-bit carry chains
#define CARRY(ID, BODY)                                                                    \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 al = (u32)A[i], ah = (u32)(A[i] >> 32), bl = (u32)B[i], bh = (u32)(B[i] >> 32); \
    u32 c = (u32)C[i];                                                                   \
    u32 lo, hi, cy;                                                                      \
    asm volatile(BODY : "=r"(lo), "=r"(hi), "=r"(cy) : "r"(al), "r"(ah), "r"(bl), "r"(bh), "r"(c)); \
    D[2 * i] = ((u64)hi << 32) | lo;                                                     \
    D[2 * i + 1] = cy;                                                                   \
  }                                                                                      \
  static Reg r_##ID(#ID, k_##ID, G_MIX64, 2);
CARRY(add_cc_addc, "add.cc.u32 %0, %3, %5; addc.cc.u32 %1, %4, %6; addc.u32 %2, 0, 0;")
CARRY(sub_cc_subc, "sub.cc.u32 %0, %3, %5; subc.cc.u32 %1, %4, %6; subc.u32 %2, 0, 0;")
CARRY(mad_cc_madc, "mad.lo.cc.u32 %0, %3, %5, %7; madc.hi.cc.u32 %1, %3, %5, %4; addc.u32 %2, 0, 0;")
CARRY(addc_chain_s32, "add.cc.s32 %0, %3, %5; addc.cc.s32 %1, %4, %6; addc.s32 %2, %7, 0;")

// ================================ bit manipulation (PTX ISA 9.7.1, 9.7.7) =====================
I1_32(popc_b32, "popc.b32", G_I32_1)
K1(popc_b64, u32, "r", u64, "l", "popc.b64", G_I64_1)
I1_32(clz_b32, "clz.b32", G_I32_1)
K1(clz_b64, u32, "r", u64, "l", "clz.b64", G_I64_1)
I1_32(brev_b32, "brev.b32", G_I32_1)
I1_64(brev_b64, "brev.b64", G_I64_1)
I1_32(bfind_u32, "bfind.u32", G_I32_1)
I1_32(bfind_s32, "bfind.s32", G_I32_1)
I1_32(bfind_shiftamt_u32, "bfind.shiftamt.u32", G_I32_1)
I1_32(bfind_shiftamt_s32, "bfind.shiftamt.s32", G_I32_1)
K1(bfind_u64, u32, "r", u64, "l", "bfind.u64", G_I64_1)
K1(bfind_s64, u32, "r", u64, "l", "bfind.s64", G_I64_1)
I3_32(fns_b32, "fns.b32", G_FNS)
I3_32(bfe_u32, "bfe.u32", G_BFE32)
I3_32(bfe_s32, "bfe.s32", G_BFE32)
K3(bfe_u64, u64, "l", u64, "l", u32, "r", u32, "r", "bfe.u64", G_BFE64)
K3(bfe_s64, u64, "l", u64, "l", u32, "r", u32, "r", "bfe.s64", G_BFE64)
#define BFI(ID, T, CON, INS, G)                                                            \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    T a = (T)A[i], b = (T)B[i], d;                                                       \
    u32 pos = (u32)C[i], len = (u32)(C[i] >> 32);                                        \
    asm volatile(INS " %0, %1, %2, %3, %4;" : "=" CON(d) : CON(a), CON(b), "r"(pos), "r"(len)); \
    D[i] = (u64)d;                                                                       \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);
BFI(bfi_b32, u32, "r", "bfi.b32", G_BFI32)
BFI(bfi_b64, u64, "l", "bfi.b64", G_BFI64)
I3_32(prmt_b32, "prmt.b32", G_PRMT)
I3_32(prmt_f4e, "prmt.b32.f4e", G_PRMTM)
I3_32(prmt_b4e, "prmt.b32.b4e", G_PRMTM)
I3_32(prmt_rc8, "prmt.b32.rc8", G_PRMTM)
I3_32(prmt_ecl, "prmt.b32.ecl", G_PRMTM)
I3_32(prmt_ecr, "prmt.b32.ecr", G_PRMTM)
I3_32(prmt_rc16, "prmt.b32.rc16", G_PRMTM)
I2_32(shl_b32, "shl.b32", G_SH32)
I2_32(shr_u32, "shr.u32", G_SH32)
I2_32(shr_s32, "shr.s32", G_SH32)
K2(shl_b64, u64, "l", u64, "l", u32, "r", "shl.b64", G_SH64)
K2(shr_u64, u64, "l", u64, "l", u32, "r", "shr.u64", G_SH64)
K2(shr_s64, u64, "l", u64, "l", u32, "r", "shr.s64", G_SH64)
K2(shl_b16, u16, "h", u16, "h", u32, "r", "shl.b16", G_SH16)
K2(shr_s16, u16, "h", u16, "h", u32, "r", "shr.s16", G_SH16)
K2(shr_u16, u16, "h", u16, "h", u32, "r", "shr.u16", G_SH16)
I3_32(shf_l_wrap, "shf.l.wrap.b32", G_SHF)
I3_32(shf_r_wrap, "shf.r.wrap.b32", G_SHF)
I3_32(shf_l_clamp, "shf.l.clamp.b32", G_SHF)
I3_32(shf_r_clamp, "shf.r.clamp.b32", G_SHF)
#define LOP3(ID, LUT)                                                                      \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a = (u32)A[i], b = (u32)B[i], c = (u32)C[i], d;                                  \
    asm volatile("lop3.b32 %0, %1, %2, %3, " #LUT ";" : "=r"(d) : "r"(a), "r"(b), "r"(c)); \
    D[i] = d;                                                                            \
  }                                                                                      \
  static Reg r_##ID("lop3.b32 " #LUT, k_##ID, G_LOP3);
LOP3(lop3_96, 0x96)
LOP3(lop3_e8, 0xe8)
LOP3(lop3_ca, 0xca)
LOP3(lop3_1b, 0x1b)
LOP3(lop3_00, 0x00)
LOP3(lop3_ff, 0xff)
LOP3(lop3_80, 0x80)
LOP3(lop3_6a, 0x6a)
I2_32(and_b32, "and.b32", G_I32_2)
I2_32(or_b32, "or.b32", G_I32_2)
I2_32(xor_b32, "xor.b32", G_I32_2)
I1_32(not_b32, "not.b32", G_I32_1)
I1_32(cnot_b32, "cnot.b32", G_I32_1)
I3_32(dp4a_u32_u32, "dp4a.u32.u32", G_DP)
I3_32(dp4a_s32_s32, "dp4a.s32.s32", G_DP)
I3_32(dp4a_s32_u32, "dp4a.s32.u32", G_DP)
I3_32(dp4a_u32_s32, "dp4a.u32.s32", G_DP)
I3_32(dp2a_lo_u32_u32, "dp2a.lo.u32.u32", G_DP)
I3_32(dp2a_hi_u32_u32, "dp2a.hi.u32.u32", G_DP)
I3_32(dp2a_lo_s32_s32, "dp2a.lo.s32.s32", G_DP)
I3_32(dp2a_hi_s32_s32, "dp2a.hi.s32.s32", G_DP)
I3_32(dp2a_lo_s32_u32, "dp2a.lo.s32.u32", G_DP)
I3_32(dp2a_hi_u32_s32, "dp2a.hi.u32.s32", G_DP)
I2_32(bmsk_clamp, "bmsk.clamp.b32", G_BMSK)
I2_32(bmsk_wrap, "bmsk.wrap.b32", G_BMSK)
I2_32(szext_clamp_s32, "szext.clamp.s32", G_SZEXT)
I2_32(szext_wrap_s32, "szext.wrap.s32", G_SZEXT)
I2_32(szext_clamp_u32, "szext.clamp.u32", G_SZEXT)
I2_32(szext_wrap_u32, "szext.wrap.u32", G_SZEXT)
KP2(setp_lt_s32, u32, "r", "setp.lt.s32", G_I32_2)
KP2(setp_lo_u32, u32, "r", "setp.lo.u32", G_I32_2)
KP2(setp_ge_s64, u64, "l", "setp.ge.s64", G_I64_2)
KP2(setp_hs_u16, u16, "h", "setp.hs.u16", G_I16_2)

// ================================ f32 (PTX ISA 9.7.3) =========================================
#define F2(ID, INS, G) I2_32(ID, INS, G)
F2(add_f32, "add.f32", G_F32_2)
F2(add_rn_f32, "add.rn.f32", G_F32_2)
F2(add_rz_f32, "add.rz.f32", G_F32_2)
F2(add_rm_f32, "add.rm.f32", G_F32_2)
F2(add_rp_f32, "add.rp.f32", G_F32_2)
F2(add_ftz_f32, "add.ftz.f32", G_F32_2)
F2(add_sat_f32, "add.sat.f32", G_F32_2)
F2(sub_rn_f32, "sub.rn.f32", G_F32_2)
F2(sub_rz_ftz_f32, "sub.rz.ftz.f32", G_F32_2)
F2(mul_rn_f32, "mul.rn.f32", G_F32_2)
F2(mul_rz_f32, "mul.rz.f32", G_F32_2)
F2(mul_rm_f32, "mul.rm.f32", G_F32_2)
F2(mul_rp_f32, "mul.rp.f32", G_F32_2)
F2(mul_ftz_f32, "mul.ftz.f32", G_F32_2)
F2(mul_sat_f32, "mul.sat.f32", G_F32_2)
I3_32(fma_rn_f32, "fma.rn.f32", G_F32_3)
I3_32(fma_rz_f32, "fma.rz.f32", G_F32_3)
I3_32(fma_rm_f32, "fma.rm.f32", G_F32_3)
I3_32(fma_rp_f32, "fma.rp.f32", G_F32_3)
I3_32(fma_rn_ftz_f32, "fma.rn.ftz.f32", G_F32_3)
I3_32(fma_rn_sat_f32, "fma.rn.sat.f32", G_F32_3)
I3_32(mad_rn_f32, "mad.rn.f32", G_F32_3)
F2(min_f32, "min.f32", G_F32_2)
F2(max_f32, "max.f32", G_F32_2)
F2(min_ftz_f32, "min.ftz.f32", G_F32_2)
F2(min_nan_f32, "min.NaN.f32", G_F32_2)
F2(max_nan_f32, "max.NaN.f32", G_F32_2)
F2(min_xorsign_f32, "min.xorsign.abs.f32", G_F32_2)
F2(max_xorsign_f32, "max.xorsign.abs.f32", G_F32_2)
F2(div_rn_f32, "div.rn.f32", G_F32_2)
F2(div_rz_f32, "div.rz.f32", G_F32_2)
F2(div_rm_f32, "div.rm.f32", G_F32_2)
F2(div_rp_f32, "div.rp.f32", G_F32_2)
F2(div_rn_ftz_f32, "div.rn.ftz.f32", G_F32_2)
F2(div_full_f32, "div.full.f32", G_F32_2)
F2(div_approx_f32, "div.approx.f32", G_F32_2)
F2(copysign_f32, "copysign.f32", G_F32_2)
I1_32(neg_f32, "neg.f32", G_F32_1)
I1_32(abs_f32, "abs.f32", G_F32_1)
I1_32(neg_ftz_f32, "neg.ftz.f32", G_F32_1)
I1_32(abs_ftz_f32, "abs.ftz.f32", G_F32_1)
I1_32(rcp_rn_f32, "rcp.rn.f32", G_F32_1)
I1_32(rcp_rz_f32, "rcp.rz.f32", G_F32_1)
I1_32(rcp_rn_ftz_f32, "rcp.rn.ftz.f32", G_F32_1)
I1_32(rcp_approx_f32, "rcp.approx.f32", G_F32_1)
I1_32(rcp_approx_ftz_f32, "rcp.approx.ftz.f32", G_F32_1)
I1_32(sqrt_rn_f32, "sqrt.rn.f32", G_F32_1)
I1_32(sqrt_rz_f32, "sqrt.rz.f32", G_F32_1)
I1_32(sqrt_approx_f32, "sqrt.approx.f32", G_F32_1)
I1_32(rsqrt_approx_f32, "rsqrt.approx.f32", G_F32_1)
I1_32(rsqrt_approx_ftz_f32, "rsqrt.approx.ftz.f32", G_F32_1)
I1_32(ex2_approx_f32, "ex2.approx.f32", G_F32_1)
I1_32(ex2_approx_ftz_f32, "ex2.approx.ftz.f32", G_F32_1)
I1_32(lg2_approx_f32, "lg2.approx.f32", G_F32_1)
I1_32(lg2_approx_ftz_f32, "lg2.approx.ftz.f32", G_F32_1)
I1_32(sin_approx_f32, "sin.approx.f32", G_F32_1)
I1_32(cos_approx_f32, "cos.approx.f32", G_F32_1)
I1_32(tanh_approx_f32, "tanh.approx.f32", G_F32_1)
KP1(testp_finite_f32, u32, "r", "testp.finite.f32", G_F32_1)
KP1(testp_infinite_f32, u32, "r", "testp.infinite.f32", G_F32_1)
KP1(testp_number_f32, u32, "r", "testp.number.f32", G_F32_1)
KP1(testp_notanumber_f32, u32, "r", "testp.notanumber.f32", G_F32_1)
KP1(testp_normal_f32, u32, "r", "testp.normal.f32", G_F32_1)
KP1(testp_subnormal_f32, u32, "r", "testp.subnormal.f32", G_F32_1)
#define SETPF(ID, CMP) KPQ2(setp_##ID##_f32, u32, "r", "setp." #CMP ".f32", G_F32_2)
SETPF(eq, eq) SETPF(ne, ne) SETPF(lt, lt) SETPF(le, le) SETPF(gt, gt) SETPF(ge, ge)
SETPF(equ, equ) SETPF(neu, neu) SETPF(ltu, ltu) SETPF(leu, leu) SETPF(gtu, gtu) SETPF(geu, geu)
SETPF(num, num) SETPF(nan, nan)
KP2(setp_lt_ftz_f32, u32, "r", "setp.lt.ftz.f32", G_F32_2)
I2_32(set_lt_u32_f32, "set.lt.u32.f32", G_F32_2)
I2_32(set_gtu_f32_f32, "set.gtu.f32.f32", G_F32_2)
I3_32(slct_s32_f32, "slct.s32.f32", G_F32_3)

// ================================ f64 (PTX ISA 9.7.4) =========================================
I2_64(add_rn_f64, "add.rn.f64", G_F64_2)
I2_64(add_rz_f64, "add.rz.f64", G_F64_2)
I2_64(add_rm_f64, "add.rm.f64", G_F64_2)
I2_64(add_rp_f64, "add.rp.f64", G_F64_2)
I2_64(mul_rn_f64, "mul.rn.f64", G_F64_2)
I2_64(mul_rz_f64, "mul.rz.f64", G_F64_2)
I3_64(fma_rn_f64, "fma.rn.f64", G_F64_3)
I3_64(fma_rz_f64, "fma.rz.f64", G_F64_3)
I2_64(div_rn_f64, "div.rn.f64", G_F64_2)
I2_64(div_rz_f64, "div.rz.f64", G_F64_2)
I1_64(rcp_rn_f64, "rcp.rn.f64", G_F64_1)
I1_64(rcp_approx_ftz_f64, "rcp.approx.ftz.f64", G_F64_1)
I1_64(sqrt_rn_f64, "sqrt.rn.f64", G_F64_1)
I1_64(rsqrt_approx_f64, "rsqrt.approx.f64", G_F64_1)
I2_64(min_f64, "min.f64", G_F64_2)
I2_64(max_f64, "max.f64", G_F64_2)
I1_64(neg_f64, "neg.f64", G_F64_1)
I1_64(abs_f64, "abs.f64", G_F64_1)
KPQ2(setp_lt_f64, u64, "l", "setp.lt.f64", G_F64_2)
KPQ2(setp_neu_f64, u64, "l", "setp.neu.f64", G_F64_2)
KP1(testp_subnormal_f64, u64, "l", "testp.subnormal.f64", G_F64_1)

// ================================ f16 / bf16 (PTX ISA 9.7.4.x half precision) =================
I2_16(add_f16, "add.f16", G_F16_2)
I2_16(add_rn_f16, "add.rn.f16", G_F16_2)
I2_16(add_ftz_f16, "add.ftz.f16", G_F16_2)
I2_16(add_sat_f16, "add.sat.f16", G_F16_2)
I2_16(sub_f16, "sub.f16", G_F16_2)
I2_16(mul_f16, "mul.f16", G_F16_2)
I2_16(mul_ftz_sat_f16, "mul.ftz.sat.f16", G_F16_2)
I3_16(fma_rn_f16, "fma.rn.f16", G_F16_3)
I3_16(fma_rn_sat_f16, "fma.rn.sat.f16", G_F16_3)
I3_16(fma_rn_relu_f16, "fma.rn.relu.f16", G_F16_3)
I3_16(fma_rn_ftz_f16, "fma.rn.ftz.f16", G_F16_3)
I1_16(neg_f16, "neg.f16", G_F16_1)
I1_16(abs_f16, "abs.f16", G_F16_1)
I2_16(min_f16, "min.f16", G_F16_2)
I2_16(max_f16, "max.f16", G_F16_2)
I2_16(min_nan_f16, "min.NaN.f16", G_F16_2)
I2_16(max_nan_f16, "max.NaN.f16", G_F16_2)
I1_16(ex2_approx_f16, "ex2.approx.f16", G_F16_1)
I1_16(tanh_approx_f16, "tanh.approx.f16", G_F16_1)
KP2(setp_lt_f16, u16, "h", "setp.lt.f16", G_F16_2)
KP2(setp_neu_f16, u16, "h", "setp.neu.f16", G_F16_2)
I2_32(add_f16x2, "add.f16x2", G_F16X2_2)
I2_32(add_rn_ftz_f16x2, "add.rn.ftz.f16x2", G_F16X2_2)
I2_32(sub_sat_f16x2, "sub.sat.f16x2", G_F16X2_2)
I2_32(mul_f16x2, "mul.f16x2", G_F16X2_2)
I3_32(fma_rn_f16x2, "fma.rn.f16x2", G_F16X2_3)
I3_32(fma_rn_sat_f16x2, "fma.rn.sat.f16x2", G_F16X2_3)
I3_32(fma_rn_relu_f16x2, "fma.rn.relu.f16x2", G_F16X2_3)
I1_32(neg_f16x2, "neg.f16x2", G_F16X2_1)
I1_32(abs_f16x2, "abs.f16x2", G_F16X2_1)
I2_32(min_f16x2, "min.f16x2", G_F16X2_2)
I2_32(max_f16x2, "max.f16x2", G_F16X2_2)
I2_32(max_nan_f16x2, "max.NaN.f16x2", G_F16X2_2)
I1_32(ex2_approx_f16x2, "ex2.approx.f16x2", G_F16X2_1)
// the SFU's 16-bit forms not covered above (recorded as part h100-sfu16.txt.gz)
I1_32(tanh_approx_f16x2, "tanh.approx.f16x2", G_F16X2_1)
I1_16(ex2_approx_ftz_bf16, "ex2.approx.ftz.bf16", G_BF16_1)
I1_32(ex2_approx_ftz_bf16x2, "ex2.approx.ftz.bf16x2", G_BF16X2_1)
I1_16(tanh_approx_bf16, "tanh.approx.bf16", G_BF16_1)
I1_32(tanh_approx_bf16x2, "tanh.approx.bf16x2", G_BF16X2_1)
#define SETPX2(ID, INS, G)                                                                 \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a = (u32)A[i], b = (u32)B[i], d;                                                 \
    asm volatile("{ .reg .pred p, q; " INS " p|q, %1, %2; selp.u32 %0, 1, 0, p; @q add.u32 %0, %0, 2; }" : "=r"(d) : "r"(a), "r"(b)); \
    D[i] = d;                                                                            \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G);
SETPX2(setp_lt_f16x2, "setp.lt.f16x2", G_F16X2_2)
SETPX2(setp_geu_f16x2, "setp.geu.f16x2", G_F16X2_2)
I2_32(set_lt_u32_f16x2, "set.lt.u32.f16x2", G_F16X2_2)
I2_16(add_bf16, "add.bf16", G_BF16_2)
I2_16(add_rn_bf16, "add.rn.bf16", G_BF16_2)
I2_16(sub_bf16, "sub.bf16", G_BF16_2)
I2_16(mul_bf16, "mul.bf16", G_BF16_2)
I3_16(fma_rn_bf16, "fma.rn.bf16", G_BF16_3)
I3_16(fma_rn_relu_bf16, "fma.rn.relu.bf16", G_BF16_3)
I1_16(neg_bf16, "neg.bf16", G_BF16_1)
I1_16(abs_bf16, "abs.bf16", G_BF16_1)
I2_16(min_bf16, "min.bf16", G_BF16_2)
I2_16(max_bf16, "max.bf16", G_BF16_2)
I2_16(min_nan_bf16, "min.NaN.bf16", G_BF16_2)
KP2(setp_lt_bf16, u16, "h", "setp.lt.bf16", G_BF16_2)
I2_32(add_rn_bf16x2, "add.rn.bf16x2", G_BF16X2_2)
I2_32(mul_rn_bf16x2, "mul.rn.bf16x2", G_BF16X2_2)
I3_32(fma_rn_bf16x2, "fma.rn.bf16x2", G_BF16X2_3)
I1_32(neg_bf16x2, "neg.bf16x2", G_BF16X2_1)
I1_32(abs_bf16x2, "abs.bf16x2", G_BF16X2_1)
I2_32(min_bf16x2, "min.bf16x2", G_BF16X2_2)
I2_32(max_nan_bf16x2, "max.NaN.bf16x2", G_BF16X2_2)

// ================================ cvt (PTX ISA 9.7.9.21) ======================================
K1(cvt_rn_f16_f32, u16, "h", u32, "r", "cvt.rn.f16.f32", G_F32_1)
// f32 → tf32 (a .b32 holding an f32 with the low 13 bits clear): .rna from sm_80, .rn/.rz (.relu) from sm_90
I1_32(cvt_rna_tf32_f32, "cvt.rna.tf32.f32", G_F32_1)
I1_32(cvt_rna_satfinite_tf32_f32, "cvt.rna.satfinite.tf32.f32", G_F32_1)
I1_32(cvt_rn_tf32_f32, "cvt.rn.tf32.f32", G_F32_1)
I1_32(cvt_rz_tf32_f32, "cvt.rz.tf32.f32", G_F32_1)
I1_32(cvt_rn_relu_tf32_f32, "cvt.rn.relu.tf32.f32", G_F32_1)
I1_32(cvt_rz_relu_tf32_f32, "cvt.rz.relu.tf32.f32", G_F32_1)
K1(cvt_rz_f16_f32, u16, "h", u32, "r", "cvt.rz.f16.f32", G_F32_1)
K1(cvt_rm_f16_f32, u16, "h", u32, "r", "cvt.rm.f16.f32", G_F32_1)
K1(cvt_rp_f16_f32, u16, "h", u32, "r", "cvt.rp.f16.f32", G_F32_1)
K1(cvt_rn_relu_f16_f32, u16, "h", u32, "r", "cvt.rn.relu.f16.f32", G_F32_1)
K1(cvt_rn_sat_f16_f32, u16, "h", u32, "r", "cvt.rn.sat.f16.f32", G_F32_1)
K1(cvt_rn_ftz_f16_f32, u16, "h", u32, "r", "cvt.rn.ftz.f16.f32", G_F32_1)
K1(cvt_f32_f16, u32, "r", u16, "h", "cvt.f32.f16", G_F16_1)
K1(cvt_rn_f16_f64, u16, "h", u64, "l", "cvt.rn.f16.f64", G_F64_1)
K1(cvt_f64_f16, u64, "l", u16, "h", "cvt.f64.f16", G_F16_1)
K1(cvt_rn_bf16_f32, u16, "h", u32, "r", "cvt.rn.bf16.f32", G_F32_1)
K1(cvt_rz_bf16_f32, u16, "h", u32, "r", "cvt.rz.bf16.f32", G_F32_1)
K1(cvt_rm_bf16_f32, u16, "h", u32, "r", "cvt.rm.bf16.f32", G_F32_1)
K1(cvt_rp_bf16_f32, u16, "h", u32, "r", "cvt.rp.bf16.f32", G_F32_1)
K1(cvt_rn_relu_bf16_f32, u16, "h", u32, "r", "cvt.rn.relu.bf16.f32", G_F32_1)
K1(cvt_f32_bf16, u32, "r", u16, "h", "cvt.f32.bf16", G_BF16_1)
K2(cvt_rn_f16x2_f32, u32, "r", u32, "r", u32, "r", "cvt.rn.f16x2.f32", G_F32PAIR)
K2(cvt_rz_f16x2_f32, u32, "r", u32, "r", u32, "r", "cvt.rz.f16x2.f32", G_F32PAIR)
K2(cvt_rn_relu_f16x2_f32, u32, "r", u32, "r", u32, "r", "cvt.rn.relu.f16x2.f32", G_F32PAIR)
K2(cvt_rn_bf16x2_f32, u32, "r", u32, "r", u32, "r", "cvt.rn.bf16x2.f32", G_F32PAIR)
K2(cvt_rz_relu_bf16x2_f32, u32, "r", u32, "r", u32, "r", "cvt.rz.relu.bf16x2.f32", G_F32PAIR)
K2(cvt_e4m3x2_f32, u16, "h", u32, "r", u32, "r", "cvt.rn.satfinite.e4m3x2.f32", G_F32PAIR)
K2(cvt_e5m2x2_f32, u16, "h", u32, "r", u32, "r", "cvt.rn.satfinite.e5m2x2.f32", G_F32PAIR)
K1(cvt_f16x2_e4m3x2, u32, "r", u16, "h", "cvt.rn.f16x2.e4m3x2", G_E4M3X2)
K1(cvt_f16x2_e5m2x2, u32, "r", u16, "h", "cvt.rn.f16x2.e5m2x2", G_E4M3X2)
K1(cvt_rn_f32_f64, u32, "r", u64, "l", "cvt.rn.f32.f64", G_F64_1)
K1(cvt_rz_f32_f64, u32, "r", u64, "l", "cvt.rz.f32.f64", G_F64_1)
K1(cvt_rm_f32_f64, u32, "r", u64, "l", "cvt.rm.f32.f64", G_F64_1)
K1(cvt_rp_f32_f64, u32, "r", u64, "l", "cvt.rp.f32.f64", G_F64_1)
K1(cvt_rn_ftz_f32_f64, u32, "r", u64, "l", "cvt.rn.ftz.f32.f64", G_F64_1)
K1(cvt_f64_f32, u64, "l", u32, "r", "cvt.f64.f32", G_F32_1)
K1(cvt_ftz_f64_f32, u64, "l", u32, "r", "cvt.ftz.f64.f32", G_F32_1)
I1_32(cvt_rni_f32_f32, "cvt.rni.f32.f32", G_F32_1)
I1_32(cvt_rzi_f32_f32, "cvt.rzi.f32.f32", G_F32_1)
I1_32(cvt_rmi_f32_f32, "cvt.rmi.f32.f32", G_F32_1)
I1_32(cvt_rpi_f32_f32, "cvt.rpi.f32.f32", G_F32_1)
I1_32(cvt_rni_ftz_f32_f32, "cvt.rni.ftz.f32.f32", G_F32_1)
I1_32(cvt_ftz_sat_f32_f32, "cvt.ftz.sat.f32.f32", G_F32_1)
I1_64(cvt_rni_f64_f64, "cvt.rni.f64.f64", G_F64_1)
I1_32(cvt_rni_s32_f32, "cvt.rni.s32.f32", G_F32I)
I1_32(cvt_rzi_s32_f32, "cvt.rzi.s32.f32", G_F32I)
I1_32(cvt_rmi_s32_f32, "cvt.rmi.s32.f32", G_F32I)
I1_32(cvt_rpi_s32_f32, "cvt.rpi.s32.f32", G_F32I)
I1_32(cvt_rzi_u32_f32, "cvt.rzi.u32.f32", G_F32I)
I1_32(cvt_rni_u32_f32, "cvt.rni.u32.f32", G_F32I)
K1(cvt_rni_s64_f32, u64, "l", u32, "r", "cvt.rni.s64.f32", G_F32I)
K1(cvt_rzi_u64_f32, u64, "l", u32, "r", "cvt.rzi.u64.f32", G_F32I)
K1(cvt_rzi_s16_f32, u16, "h", u32, "r", "cvt.rzi.s16.f32", G_F32I)
K1(cvt_rni_u8_f32, u16, "h", u32, "r", "cvt.rni.u8.f32", G_F32I)
K1(cvt_rzi_s32_f64, u32, "r", u64, "l", "cvt.rzi.s32.f64", G_F64I)
K1(cvt_rni_s64_f64, u64, "l", u64, "l", "cvt.rni.s64.f64", G_F64I)
K1(cvt_rzi_u64_f64, u64, "l", u64, "l", "cvt.rzi.u64.f64", G_F64I)
K1(cvt_rni_s32_f16, u32, "r", u16, "h", "cvt.rni.s32.f16", G_F16_1)
K1(cvt_rn_f32_s32, u32, "r", u32, "r", "cvt.rn.f32.s32", G_I32_1)
K1(cvt_rz_f32_s32, u32, "r", u32, "r", "cvt.rz.f32.s32", G_I32_1)
K1(cvt_rm_f32_u32, u32, "r", u32, "r", "cvt.rm.f32.u32", G_I32_1)
K1(cvt_rp_f32_u32, u32, "r", u32, "r", "cvt.rp.f32.u32", G_I32_1)
K1(cvt_rn_f32_s64, u32, "r", u64, "l", "cvt.rn.f32.s64", G_I64_1)
K1(cvt_rz_f32_u64, u32, "r", u64, "l", "cvt.rz.f32.u64", G_I64_1)
K1(cvt_rn_f64_s64, u64, "l", u64, "l", "cvt.rn.f64.s64", G_I64_1)
K1(cvt_rz_f64_u64, u64, "l", u64, "l", "cvt.rz.f64.u64", G_I64_1)
K1(cvt_rn_f16_s32, u16, "h", u32, "r", "cvt.rn.f16.s32", G_I32_1)
K1(cvt_rn_f16_u16, u16, "h", u16, "h", "cvt.rn.f16.u16", G_I16_1)
K1(cvt_s8_s32, u32, "r", u32, "r", "cvt.s8.s32", G_I32_1)
K1(cvt_sat_s8_s32, u32, "r", u32, "r", "cvt.sat.s8.s32", G_I32_1)
K1(cvt_u8_s32, u32, "r", u32, "r", "cvt.u8.s32", G_I32_1)
K1(cvt_sat_u8_s32, u32, "r", u32, "r", "cvt.sat.u8.s32", G_I32_1)
K1(cvt_s16_s32, u16, "h", u32, "r", "cvt.s16.s32", G_I32_1)
K1(cvt_sat_s16_s32, u16, "h", u32, "r", "cvt.sat.s16.s32", G_I32_1)
K1(cvt_sat_u16_s32, u16, "h", u32, "r", "cvt.sat.u16.s32", G_I32_1)
K1(cvt_s32_s8, u32, "r", u32, "r", "cvt.s32.s8", G_I32_1)
K1(cvt_s32_s16, u32, "r", u16, "h", "cvt.s32.s16", G_I16_1)
K1(cvt_u32_s16, u32, "r", u16, "h", "cvt.u32.s16", G_I16_1)
K1(cvt_sat_s32_u32, u32, "r", u32, "r", "cvt.sat.s32.u32", G_I32_1)
K1(cvt_sat_u32_s32, u32, "r", u32, "r", "cvt.sat.u32.s32", G_I32_1)
K1(cvt_s64_s32, u64, "l", u32, "r", "cvt.s64.s32", G_I32_1)
K1(cvt_u64_s32, u64, "l", u32, "r", "cvt.u64.s32", G_I32_1)
K1(cvt_sat_s32_s64, u32, "r", u64, "l", "cvt.sat.s32.s64", G_I64_1)
K1(cvt_sat_u32_s64, u32, "r", u64, "l", "cvt.sat.u32.s64", G_I64_1)
K1(cvt_sat_u32_u64, u32, "r", u64, "l", "cvt.sat.u32.u64", G_I64_1)
K3(cvt_pack_sat_s8, u32, "r", u32, "r", u32, "r", u32, "r", "cvt.pack.sat.s8.s32.b32", G_I32_3)
K3(cvt_pack_sat_u8, u32, "r", u32, "r", u32, "r", u32, "r", "cvt.pack.sat.u8.s32.b32", G_I32_3)
K2(cvt_pack_sat_s16, u32, "r", u32, "r", u32, "r", "cvt.pack.sat.s16.s32", G_I32_2)
K2(cvt_pack_sat_u16, u32, "r", u32, "r", u32, "r", "cvt.pack.sat.u16.s32", G_I32_2)

// ================================ warp level (PTX ISA 9.7.8) ==================================
// shfl.sync with register b and c, full warp: outputs value and predicate.
#define SHFL(ID, MODE)                                                                     \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a = (u32)A[i], b = (u32)B[i], c = (u32)C[i], d, p;                              \
    asm volatile("{ .reg .pred q; shfl.sync." MODE ".b32 %0|q, %2, %3, %4, 0xffffffff; selp.u32 %1, 1, 0, q; }" \
                 : "=r"(d), "=r"(p) : "r"(a), "r"(b), "r"(c));                          \
    D[2 * i] = d;                                                                        \
    D[2 * i + 1] = p;                                                                    \
  }                                                                                      \
  static Reg r_##ID("shfl.sync." MODE ".b32", k_##ID, G_WARP_SHFL, 2);
SHFL(shfl_idx, "idx")
SHFL(shfl_up, "up")
SHFL(shfl_down, "down")
SHFL(shfl_bfly, "bfly")
// Constant operands (the in-register permute path).
#define SHFLC(ID, TEXT)                                                                    \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a = (u32)A[i], d, p;                                                             \
    asm volatile("{ .reg .pred q; " TEXT "; selp.u32 %1, 1, 0, q; }" : "=r"(d), "=r"(p) : "r"(a)); \
    D[2 * i] = d;                                                                        \
    D[2 * i + 1] = p;                                                                    \
  }                                                                                      \
  static Reg r_##ID(TEXT, k_##ID, G_WARP_VAL, 2);
SHFLC(shflc_bfly1, "shfl.sync.bfly.b32 %0|q, %2, 1, 0x1f, 0xffffffff")
SHFLC(shflc_bfly16_w8, "shfl.sync.bfly.b32 %0|q, %2, 16, 0x181f, 0xffffffff")
SHFLC(shflc_down3_w8, "shfl.sync.down.b32 %0|q, %2, 3, 0x181f, 0xffffffff")
SHFLC(shflc_up5, "shfl.sync.up.b32 %0|q, %2, 5, 0, 0xffffffff")
SHFLC(shflc_up2_w4, "shfl.sync.up.b32 %0|q, %2, 2, 0x1c00, 0xffffffff")
SHFLC(shflc_idx7_w16, "shfl.sync.idx.b32 %0|q, %2, 7, 0x101f, 0xffffffff")
SHFLC(shflc_idx40, "shfl.sync.idx.b32 %0|q, %2, 40, 0x1f, 0xffffffff")
SHFLC(shflc_down1_clamp9, "shfl.sync.down.b32 %0|q, %2, 1, 9, 0xffffffff")
// Partial warp: lanes with B&1 leave before the shuffle; membermask = the lanes that stay.
#define SHFLP(ID, MODE)                                                                    \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a = (u32)A[i], b = (u32)(B[i] >> 1), c = (u32)C[i], d, p;                       \
    D[2 * i] = 0xeeeeeeee;                                                               \
    D[2 * i + 1] = 0xeeeeeeee;                                                           \
    if (B[i] & 1) return;                                                                \
    u32 m = __activemask();                                                              \
    asm volatile("{ .reg .pred q; shfl.sync." MODE ".b32 %0|q, %2, %3, %4, %5; selp.u32 %1, 1, 0, q; }" \
                 : "=r"(d), "=r"(p) : "r"(a), "r"(b), "r"(c), "r"(m));                  \
    D[2 * i] = d;                                                                        \
    D[2 * i + 1] = p;                                                                    \
  }                                                                                      \
  static Reg r_##ID("shfl.sync." MODE ".b32 partial", k_##ID, G_WARP_SHFL_PART, 2);
SHFLP(shflp_idx, "idx")
SHFLP(shflp_up, "up")
SHFLP(shflp_down, "down")
SHFLP(shflp_bfly, "bfly")
// vote / ballot / activemask / redux / match / elect: lanes with B&1 leave first; pred = A&1.
#define WARPK(ID, NAME, OUTS, BODY)                                                        \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    for (int k = 0; k < OUTS; k++) D[OUTS * i + k] = 0xeeeeeeee;                         \
    if (B[i] & 1) return;                                                                \
    u32 a = (u32)A[i], m = __activemask(), d0 = 0, d1 = 0;                               \
    BODY;                                                                                \
    D[OUTS * i] = d0;                                                                    \
    if (OUTS > 1) D[OUTS * i + 1] = d1;                                                  \
  }                                                                                      \
  static Reg r_##ID(NAME, k_##ID, G_WARP_PRED, OUTS);
WARPK(vote_all, "vote.sync.all.pred", 1,
      asm volatile("{ .reg .pred p, q; setp.ne.u32 p, %1, 0; vote.sync.all.pred q, p, %2; selp.u32 %0, 1, 0, q; }" : "=r"(d0) : "r"(a & 1), "r"(m)))
WARPK(vote_any, "vote.sync.any.pred", 1,
      asm volatile("{ .reg .pred p, q; setp.ne.u32 p, %1, 0; vote.sync.any.pred q, p, %2; selp.u32 %0, 1, 0, q; }" : "=r"(d0) : "r"(a & 1), "r"(m)))
WARPK(vote_uni, "vote.sync.uni.pred", 1,
      asm volatile("{ .reg .pred p, q; setp.ne.u32 p, %1, 0; vote.sync.uni.pred q, p, %2; selp.u32 %0, 1, 0, q; }" : "=r"(d0) : "r"(a & 1), "r"(m)))
WARPK(vote_ballot, "vote.sync.ballot.b32", 1,
      asm volatile("{ .reg .pred p; setp.ne.u32 p, %1, 0; vote.sync.ballot.b32 %0, p, %2; }" : "=r"(d0) : "r"(a & 1), "r"(m)))
WARPK(vote_ballot_notp, "vote.sync.ballot.b32 !p", 1,
      asm volatile("{ .reg .pred p; setp.ne.u32 p, %1, 0; vote.sync.ballot.b32 %0, !p, %2; }" : "=r"(d0) : "r"(a & 1), "r"(m)))
WARPK(activemask, "activemask.b32", 1, asm volatile("activemask.b32 %0;" : "=r"(d0)))
WARPK(redux_add_u32, "redux.sync.add.u32", 1, asm volatile("redux.sync.add.u32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(redux_min_s32, "redux.sync.min.s32", 1, asm volatile("redux.sync.min.s32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(redux_max_s32, "redux.sync.max.s32", 1, asm volatile("redux.sync.max.s32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(redux_min_u32, "redux.sync.min.u32", 1, asm volatile("redux.sync.min.u32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(redux_max_u32, "redux.sync.max.u32", 1, asm volatile("redux.sync.max.u32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(redux_and_b32, "redux.sync.and.b32", 1, asm volatile("redux.sync.and.b32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(redux_or_b32, "redux.sync.or.b32", 1, asm volatile("redux.sync.or.b32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(redux_xor_b32, "redux.sync.xor.b32", 1, asm volatile("redux.sync.xor.b32 %0, %1, %2;" : "=r"(d0) : "r"(a), "r"(m)))
WARPK(match_any_b32, "match.any.sync.b32", 1, asm volatile("match.any.sync.b32 %0, %1, %2;" : "=r"(d0) : "r"(a & 3), "r"(m)))
WARPK(match_all_b32, "match.all.sync.b32", 2,
      asm volatile("{ .reg .pred p; match.all.sync.b32 %0|p, %2, %3; selp.u32 %1, 1, 0, p; }" : "=r"(d0), "=r"(d1) : "r"(a & 0x10), "r"(m)))
WARPK(match_any_b64, "match.any.sync.b64", 1,
      asm volatile("match.any.sync.b64 %0, %1, %2;" : "=r"(d0) : "l"((u64)(a & 3) << 40), "r"(m)))
WARPK(elect_sync, "elect.sync", 2,
      asm volatile("{ .reg .pred p; elect.sync %0|p, %2; selp.u32 %1, 1, 0, p; }" : "=r"(d0), "=r"(d1) : "r"(0), "r"(m)))
WARPK(laneid_lanemask, "laneid/lanemask_lt", 2,
      asm volatile("mov.u32 %0, %%laneid; mov.u32 %1, %%lanemask_lt;" : "=r"(d0), "=r"(d1)))
// bar.red (PTX ISA 9.7.13.1): blocks of 64 threads, predicate = A&1.
#define BARRED(ID, TEXT)                                                                   \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a = (u32)A[i] & 1, d;                                                            \
    asm volatile("{ .reg .pred p, q; setp.ne.u32 p, %1, 0; " TEXT "; }" : "=r"(d) : "r"(a)); \
    D[i] = d;                                                                            \
  }                                                                                      \
  static Reg r_##ID(TEXT, k_##ID, G_BARRED, 1, 64);
BARRED(bar_red_popc, "bar.red.popc.u32 %0, 0, p")
BARRED(bar_red_and, "bar.red.and.pred q, 1, p; selp.u32 %0, 1, 0, q")
BARRED(bar_red_or, "bar.red.or.pred q, 2, !p; selp.u32 %0, 1, 0, q")
BARRED(barrier_red_popc, "barrier.red.popc.u32 %0, 3, p")

// ================================ warp matrix (PTX ISA 9.7.14) ================================
// Per lane: A = a0|a1<<32, B = a2|a3<<32, C = b0|b1<<32 (fragment registers as PTX lays them out).
#define MMA_F32(ID, SHAPE_TYPES, G)                                                        \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a0 = (u32)A[i], a1 = (u32)(A[i] >> 32), a2 = (u32)B[i], a3 = (u32)(B[i] >> 32);  \
    u32 b0 = (u32)C[i], b1 = (u32)(C[i] >> 32);                                          \
    float c0 = (float)(threadIdx.x & 31), c1 = -0.5f, c2 = 0.25f, c3 = (float)(i & 7);   \
    float d0, d1, d2, d3;                                                                \
    asm volatile("mma.sync.aligned." SHAPE_TYPES " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};" \
                 : "=f"(d0), "=f"(d1), "=f"(d2), "=f"(d3)                                \
                 : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1), "f"(c0), "f"(c1), "f"(c2), "f"(c3)); \
    D[4 * i] = __float_as_uint(d0);                                                      \
    D[4 * i + 1] = __float_as_uint(d1);                                                  \
    D[4 * i + 2] = __float_as_uint(d2);                                                  \
    D[4 * i + 3] = __float_as_uint(d3);                                                  \
  }                                                                                      \
  static Reg r_##ID(SHAPE_TYPES #G, k_##ID, G, 4, 32);
MMA_F32(mma_f16_int, "m16n8k16.row.col.f32.f16.f16.f32", G_MMA_INT)
MMA_F32(mma_f16_rand, "m16n8k16.row.col.f32.f16.f16.f32", G_MMA_RAND)
MMA_F32(mma_bf16_int, "m16n8k16.row.col.f32.bf16.bf16.f32", G_MMA_INT)
MMA_F32(mma_bf16_rand, "m16n8k16.row.col.f32.bf16.bf16.f32", G_MMA_RAND)
__global__ void k_mma_f16_f16 KSIG {
  IDX;
  u32 a0 = (u32)A[i], a1 = (u32)(A[i] >> 32), a2 = (u32)B[i], a3 = (u32)(B[i] >> 32);
  u32 b0 = (u32)C[i], b1 = (u32)(C[i] >> 32), c0 = 0x3c00bc00, c1 = 0x00003800, d0, d1;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%8,%9};"
               : "=r"(d0), "=r"(d1) : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1), "r"(c0), "r"(c1));
  D[2 * i] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mma_f16_f16("m16n8k16.row.col.f16.f16.f16.f16", k_mma_f16_f16, G_MMA_INT, 2, 32);
__global__ void k_mma_m16n8k8_f16 KSIG {
  IDX;
  u32 a0 = (u32)A[i], a1 = (u32)(A[i] >> 32), b0 = (u32)C[i];
  float c0 = 1.0f, c1 = 2.0f, c2 = -3.0f, c3 = (float)(threadIdx.x & 31), d0, d1, d2, d3;
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=f"(d0), "=f"(d1), "=f"(d2), "=f"(d3) : "r"(a0), "r"(a1), "r"(b0), "f"(c0), "f"(c1), "f"(c2), "f"(c3));
  D[4 * i] = __float_as_uint(d0);
  D[4 * i + 1] = __float_as_uint(d1);
  D[4 * i + 2] = __float_as_uint(d2);
  D[4 * i + 3] = __float_as_uint(d3);
}
static Reg r_mma_m16n8k8_f16("m16n8k8.row.col.f32.f16.f16.f32", k_mma_m16n8k8_f16, G_MMA_INT, 4, 32);
#define MMA_S8(ID, TYPES)                                                                  \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a0 = (u32)A[i], a1 = (u32)(A[i] >> 32), a2 = (u32)B[i], a3 = (u32)(B[i] >> 32);  \
    u32 b0 = (u32)C[i], b1 = (u32)(C[i] >> 32);                                          \
    int c0 = (int)(threadIdx.x & 31), c1 = -7, c2 = 0x7ffffff0, c3 = (int)0x80000005, d0, d1, d2, d3; \
    asm volatile("mma.sync.aligned.m16n8k32.row.col" TYPES " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};" \
                 : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)                                \
                 : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1), "r"(c0), "r"(c1), "r"(c2), "r"(c3)); \
    D[4 * i] = (u32)d0;                                                                  \
    D[4 * i + 1] = (u32)d1;                                                              \
    D[4 * i + 2] = (u32)d2;                                                              \
    D[4 * i + 3] = (u32)d3;                                                              \
  }                                                                                      \
  static Reg r_##ID("m16n8k32.row.col" TYPES, k_##ID, G_MMA_S8, 4, 32);
MMA_S8(mma_s8, ".s32.s8.s8.s32")
MMA_S8(mma_s8_sat, ".satfinite.s32.s8.s8.s32")
MMA_S8(mma_u8s8, ".s32.u8.s8.s32")
// ldmatrix (PTX ISA 9.7.14.5.15): shared tile of 32 rows x 16 b16, word k = A-derived pattern.
#define LDM(ID, TEXT, NREG)                                                                \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    __shared__ __align__(16) u16 tile[32 * 16];                                          \
    int lane = threadIdx.x & 31;                                                         \
    for (int k = lane; k < 32 * 16; k += 32) tile[k] = (u16)(k * 0x0101 + (u16)A[i - lane]); \
    __syncwarp();                                                                        \
    u32 addr = (u32)__cvta_generic_to_shared(&tile[lane * 16 + (lane >> 3 & 1) * 8]);  \
    u32 r[4] = {0, 0, 0, 0};                                                             \
    if (NREG == 1) asm volatile(TEXT " {%0}, [%1];" : "=r"(r[0]) : "r"(addr));          \
    if (NREG == 2) asm volatile(TEXT " {%0,%1}, [%2];" : "=r"(r[0]), "=r"(r[1]) : "r"(addr)); \
    if (NREG == 4) asm volatile(TEXT " {%0,%1,%2,%3}, [%4];" : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(addr)); \
    for (int k = 0; k < 4; k++) D[4 * i + k] = r[k];                                     \
  }                                                                                      \
  static Reg r_##ID(TEXT, k_##ID, G_LDM, 4, 32);
LDM(ldm_x1, "ldmatrix.sync.aligned.m8n8.x1.shared.b16", 1)
LDM(ldm_x2, "ldmatrix.sync.aligned.m8n8.x2.shared.b16", 2)
LDM(ldm_x4, "ldmatrix.sync.aligned.m8n8.x4.shared.b16", 4)
LDM(ldm_x4_trans, "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16", 4)
LDM(ldm_x2_trans, "ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16", 2)
// stmatrix (PTX ISA 9.7.14.5.16): registers from the inputs, stored to a 32 x 16 b16 tile
// (row addresses as for ldmatrix), the whole tile read back: 8 words per lane.
#define STM(ID, TEXT, NREG)                                                                \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    __shared__ __align__(16) u32 tile[32 * 8];                                           \
    int lane = threadIdx.x & 31;                                                         \
    for (int k = lane; k < 32 * 8; k += 32) tile[k] = 0xeeeeeeeeu;                       \
    __syncwarp();                                                                        \
    u32 addr = (u32)__cvta_generic_to_shared((u16*)tile + lane * 16 + (lane >> 3 & 1) * 8); \
    u32 r[4] = {(u32)A[i], (u32)(A[i] >> 32), (u32)B[i], (u32)(B[i] >> 32)};             \
    if (NREG == 1) asm volatile(TEXT " [%0], {%1};" :: "r"(addr), "r"(r[0]) : "memory"); \
    if (NREG == 2) asm volatile(TEXT " [%0], {%1,%2};" :: "r"(addr), "r"(r[0]), "r"(r[1]) : "memory"); \
    if (NREG == 4) asm volatile(TEXT " [%0], {%1,%2,%3,%4};" :: "r"(addr), "r"(r[0]), "r"(r[1]), "r"(r[2]), "r"(r[3]) : "memory"); \
    __syncwarp();                                                                        \
    for (int k = 0; k < 8; k++) D[8 * i + k] = tile[lane * 8 + k];                       \
  }                                                                                      \
  static Reg r_##ID(TEXT, k_##ID, G_STM, 8, 32);
STM(stm_x1, "stmatrix.sync.aligned.m8n8.x1.shared.b16", 1)
STM(stm_x2, "stmatrix.sync.aligned.m8n8.x2.shared.b16", 2)
STM(stm_x4, "stmatrix.sync.aligned.m8n8.x4.shared.b16", 4)
STM(stm_x1_trans, "stmatrix.sync.aligned.m8n8.x1.trans.shared.b16", 1)
STM(stm_x2_trans, "stmatrix.sync.aligned.m8n8.x2.trans.shared::cta.b16", 2)
STM(stm_x4_trans, "stmatrix.sync.aligned.m8n8.x4.trans.shared.b16", 4)
// movmatrix (PTX ISA 9.7.14.5.17)
__global__ void k_movmatrix KSIG {
  IDX;
  u32 a = (u32)A[i], d;
  asm volatile("movmatrix.sync.aligned.m8n8.trans.b16 %0, %1;" : "=r"(d) : "r"(a));
  D[i] = d;
}
static Reg r_movmatrix("movmatrix.sync.aligned.m8n8.trans.b16", k_movmatrix, G_MOVM, 1, 32);

// mma.sync forms with generated inputs. Lane i of a warp reads its fragment registers from up
// to 36 words: rows i + p*h (p < MMA_PARTS, h = n / MMA_PARTS) of A, B, C; threads of rows
// >= h only supply data. MmaSpec says which element types the generator makes for A, B, C
// (codes as in src/exec/matrix.rs) and how many registers each has; warp 0 gets small exact
// values, warp 1 random ones, warp 2 edge cases (NaN, infinities, -0, subnormals, extremes).
// Every word is its own volatile 32-bit load: ptxas 13.0 and 13.5 miscompile
// mma.m16n8k8.f16.f16.f16.f16 when B and C's first register are the two halves of one 64-bit
// load (`LDG.E.64 R2; MOV R14, R2; HMMA.1688.F16 R12, R12, R2, R14`: C0 gets B's half).
#define MMA_PARTS 6
#define MMA_WORDS                                                                          \
  const int i = blockIdx.x * blockDim.x + threadIdx.x;                                    \
  const int h = n / MMA_PARTS;                                                            \
  if (i >= h) return;                                                                     \
  u32 w[6 * MMA_PARTS];                                                                   \
  const volatile u32 *A32 = (const volatile u32*)A, *B32 = (const volatile u32*)B,       \
                     *C32 = (const volatile u32*)C;                                       \
  for (int p = 0; p < MMA_PARTS; p++) {                                                   \
    const int r = 2 * (i + p * h);                                                        \
    w[6 * p] = A32[r]; w[6 * p + 1] = A32[r + 1];                                         \
    w[6 * p + 2] = B32[r]; w[6 * p + 3] = B32[r + 1];                                     \
    w[6 * p + 4] = C32[r]; w[6 * p + 5] = C32[r + 1];                                     \
  }
// Sparse mma.sp forms also give their metadata values (meta: 1 two distinct 2-bit indices per
// 4-bit chunk, 2 increasing ones (::ordered_metadata), 3 tf32's 0b0100/0b1110), the sparsity
// selector and how many threads of each quad hold metadata; the metadata word follows C's.
struct MmaSpec {
  int a, b, c, na, nb, nc, meta, sel, meta_threads;
};
static std::map<std::string, MmaSpec>& mma_specs() {
  static std::map<std::string, MmaSpec> m;
  return m;
}
struct MmaSpecReg {
  MmaSpecReg(const char* name, MmaSpec s) { mma_specs()[name] = s; }
};
// ---- generated warp-matrix kernels (scripts/gen-mma-conformance-kernels.py) ----
__global__ void k_mmag_0 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  u32 d4;
  u32 d5;
  u32 d6;
  u32 d7;
  asm volatile("mma.sync.aligned.m8n8k4.row.row.f32.f16.f16.f32 {%0,%1,%2,%3,%4,%5,%6,%7}, {%8,%9}, {%10,%11}, {%12,%13,%14,%15,%16,%17,%18,%19};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3), "=r"(d4), "=r"(d5), "=r"(d6), "=r"(d7)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]));
  D[8 * i + 0] = d0;
  D[8 * i + 1] = d1;
  D[8 * i + 2] = d2;
  D[8 * i + 3] = d3;
  D[8 * i + 4] = d4;
  D[8 * i + 5] = d5;
  D[8 * i + 6] = d6;
  D[8 * i + 7] = d7;
}
static Reg r_mmag_0("mma.sync.aligned.m8n8k4.row.row.f32.f16.f16.f32", k_mmag_0, G_MMA_GEN, 8, 32);
static MmaSpecReg s_mmag_0("mma.sync.aligned.m8n8k4.row.row.f32.f16.f16.f32", {0, 0, 3, 2, 2, 8});
__global__ void k_mmag_1 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  u32 d4;
  u32 d5;
  u32 d6;
  u32 d7;
  asm volatile("mma.sync.aligned.m8n8k4.row.col.f32.f16.f16.f32 {%0,%1,%2,%3,%4,%5,%6,%7}, {%8,%9}, {%10,%11}, {%12,%13,%14,%15,%16,%17,%18,%19};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3), "=r"(d4), "=r"(d5), "=r"(d6), "=r"(d7)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]));
  D[8 * i + 0] = d0;
  D[8 * i + 1] = d1;
  D[8 * i + 2] = d2;
  D[8 * i + 3] = d3;
  D[8 * i + 4] = d4;
  D[8 * i + 5] = d5;
  D[8 * i + 6] = d6;
  D[8 * i + 7] = d7;
}
static Reg r_mmag_1("mma.sync.aligned.m8n8k4.row.col.f32.f16.f16.f32", k_mmag_1, G_MMA_GEN, 8, 32);
static MmaSpecReg s_mmag_1("mma.sync.aligned.m8n8k4.row.col.f32.f16.f16.f32", {0, 0, 3, 2, 2, 8});
__global__ void k_mmag_2 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  u32 d4;
  u32 d5;
  u32 d6;
  u32 d7;
  asm volatile("mma.sync.aligned.m8n8k4.col.row.f32.f16.f16.f32 {%0,%1,%2,%3,%4,%5,%6,%7}, {%8,%9}, {%10,%11}, {%12,%13,%14,%15,%16,%17,%18,%19};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3), "=r"(d4), "=r"(d5), "=r"(d6), "=r"(d7)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]));
  D[8 * i + 0] = d0;
  D[8 * i + 1] = d1;
  D[8 * i + 2] = d2;
  D[8 * i + 3] = d3;
  D[8 * i + 4] = d4;
  D[8 * i + 5] = d5;
  D[8 * i + 6] = d6;
  D[8 * i + 7] = d7;
}
static Reg r_mmag_2("mma.sync.aligned.m8n8k4.col.row.f32.f16.f16.f32", k_mmag_2, G_MMA_GEN, 8, 32);
static MmaSpecReg s_mmag_2("mma.sync.aligned.m8n8k4.col.row.f32.f16.f16.f32", {0, 0, 3, 2, 2, 8});
__global__ void k_mmag_3 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  u32 d4;
  u32 d5;
  u32 d6;
  u32 d7;
  asm volatile("mma.sync.aligned.m8n8k4.col.col.f32.f16.f16.f32 {%0,%1,%2,%3,%4,%5,%6,%7}, {%8,%9}, {%10,%11}, {%12,%13,%14,%15,%16,%17,%18,%19};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3), "=r"(d4), "=r"(d5), "=r"(d6), "=r"(d7)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]));
  D[8 * i + 0] = d0;
  D[8 * i + 1] = d1;
  D[8 * i + 2] = d2;
  D[8 * i + 3] = d3;
  D[8 * i + 4] = d4;
  D[8 * i + 5] = d5;
  D[8 * i + 6] = d6;
  D[8 * i + 7] = d7;
}
static Reg r_mmag_3("mma.sync.aligned.m8n8k4.col.col.f32.f16.f16.f32", k_mmag_3, G_MMA_GEN, 8, 32);
static MmaSpecReg s_mmag_3("mma.sync.aligned.m8n8k4.col.col.f32.f16.f16.f32", {0, 0, 3, 2, 2, 8});
__global__ void k_mmag_4 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m8n8k4.row.col.f16.f16.f16.f16 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_4("mma.sync.aligned.m8n8k4.row.col.f16.f16.f16.f16", k_mmag_4, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_4("mma.sync.aligned.m8n8k4.row.col.f16.f16.f16.f16", {0, 0, 0, 2, 2, 4});
__global__ void k_mmag_5 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m8n8k4.col.row.f16.f16.f16.f16 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_5("mma.sync.aligned.m8n8k4.col.row.f16.f16.f16.f16", k_mmag_5, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_5("mma.sync.aligned.m8n8k4.col.row.f16.f16.f16.f16", {0, 0, 0, 2, 2, 4});
__global__ void k_mmag_6 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  u32 d4;
  u32 d5;
  u32 d6;
  u32 d7;
  asm volatile("mma.sync.aligned.m8n8k4.row.row.f32.f16.f16.f16 {%0,%1,%2,%3,%4,%5,%6,%7}, {%8,%9}, {%10,%11}, {%12,%13,%14,%15};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3), "=r"(d4), "=r"(d5), "=r"(d6), "=r"(d7)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]));
  D[8 * i + 0] = d0;
  D[8 * i + 1] = d1;
  D[8 * i + 2] = d2;
  D[8 * i + 3] = d3;
  D[8 * i + 4] = d4;
  D[8 * i + 5] = d5;
  D[8 * i + 6] = d6;
  D[8 * i + 7] = d7;
}
static Reg r_mmag_6("mma.sync.aligned.m8n8k4.row.row.f32.f16.f16.f16", k_mmag_6, G_MMA_GEN, 8, 32);
static MmaSpecReg s_mmag_6("mma.sync.aligned.m8n8k4.row.row.f32.f16.f16.f16", {0, 0, 0, 2, 2, 4});
__global__ void k_mmag_7 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_7("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32", k_mmag_7, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_7("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32", {1, 1, 3, 2, 1, 4});
__global__ void k_mmag_8 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f16.f16.f16.f16 {%0,%1}, {%2,%3}, {%4}, {%5,%6};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_8("mma.sync.aligned.m16n8k8.row.col.f16.f16.f16.f16", k_mmag_8, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_8("mma.sync.aligned.m16n8k8.row.col.f16.f16.f16.f16", {0, 0, 0, 2, 1, 2});
__global__ void k_mmag_9 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%8,%9};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_9("mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16", k_mmag_9, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_9("mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16", {0, 0, 0, 4, 2, 2});
__global__ void k_mmag_10 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_10("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32", k_mmag_10, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_10("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32", {0, 0, 3, 4, 2, 4});
__global__ void k_mmag_11 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_11("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32", k_mmag_11, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_11("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32", {1, 1, 3, 4, 2, 4});
__global__ void k_mmag_12 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k4.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_12("mma.sync.aligned.m16n8k4.row.col.f32.tf32.tf32.f32", k_mmag_12, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_12("mma.sync.aligned.m16n8k4.row.col.f32.tf32.tf32.f32", {2, 2, 3, 2, 1, 4});
__global__ void k_mmag_13 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_13("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32", k_mmag_13, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_13("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32", {2, 2, 3, 4, 2, 4});
__global__ void k_mmag_14 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_14("mma.sync.aligned.m16n8k16.row.col.s32.s8.s8.s32", k_mmag_14, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_14("mma.sync.aligned.m16n8k16.row.col.s32.s8.s8.s32", {5, 5, 12, 2, 1, 4});
__global__ void k_mmag_15 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k16.row.col.s32.s8.s8.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_15("mma.sync.aligned.m8n8k16.row.col.s32.s8.s8.s32", k_mmag_15, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_15("mma.sync.aligned.m8n8k16.row.col.s32.s8.s8.s32", {5, 5, 12, 1, 1, 2});
__global__ void k_mmag_16 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.s32.u8.u8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_16("mma.sync.aligned.m16n8k16.row.col.s32.u8.u8.s32", k_mmag_16, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_16("mma.sync.aligned.m16n8k16.row.col.s32.u8.u8.s32", {6, 6, 12, 2, 1, 4});
__global__ void k_mmag_17 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k16.row.col.s32.u8.u8.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_17("mma.sync.aligned.m8n8k16.row.col.s32.u8.u8.s32", k_mmag_17, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_17("mma.sync.aligned.m8n8k16.row.col.s32.u8.u8.s32", {6, 6, 12, 1, 1, 2});
__global__ void k_mmag_18 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.s32.s8.u8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_18("mma.sync.aligned.m16n8k16.row.col.s32.s8.u8.s32", k_mmag_18, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_18("mma.sync.aligned.m16n8k16.row.col.s32.s8.u8.s32", {5, 6, 12, 2, 1, 4});
__global__ void k_mmag_19 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k16.row.col.s32.s8.u8.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_19("mma.sync.aligned.m8n8k16.row.col.s32.s8.u8.s32", k_mmag_19, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_19("mma.sync.aligned.m8n8k16.row.col.s32.s8.u8.s32", {5, 6, 12, 1, 1, 2});
__global__ void k_mmag_20 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.s32.u8.s8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_20("mma.sync.aligned.m16n8k16.row.col.s32.u8.s8.s32", k_mmag_20, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_20("mma.sync.aligned.m16n8k16.row.col.s32.u8.s8.s32", {6, 5, 12, 2, 1, 4});
__global__ void k_mmag_21 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k16.row.col.s32.u8.s8.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_21("mma.sync.aligned.m8n8k16.row.col.s32.u8.s8.s32", k_mmag_21, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_21("mma.sync.aligned.m8n8k16.row.col.s32.u8.s8.s32", {6, 5, 12, 1, 1, 2});
__global__ void k_mmag_22 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.satfinite.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_22("mma.sync.aligned.m16n8k16.row.col.satfinite.s32.s8.s8.s32", k_mmag_22, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_22("mma.sync.aligned.m16n8k16.row.col.satfinite.s32.s8.s8.s32", {5, 5, 12, 2, 1, 4});
__global__ void k_mmag_23 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.satfinite.s32.u8.s8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_23("mma.sync.aligned.m16n8k16.row.col.satfinite.s32.u8.s8.s32", k_mmag_23, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_23("mma.sync.aligned.m16n8k16.row.col.satfinite.s32.u8.s8.s32", {6, 5, 12, 2, 1, 4});
__global__ void k_mmag_24 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k16.row.col.satfinite.s32.u8.u8.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_24("mma.sync.aligned.m8n8k16.row.col.satfinite.s32.u8.u8.s32", k_mmag_24, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_24("mma.sync.aligned.m8n8k16.row.col.satfinite.s32.u8.u8.s32", {6, 6, 12, 1, 1, 2});
__global__ void k_mmag_25 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_25("mma.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32", k_mmag_25, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_25("mma.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32", {6, 6, 12, 4, 2, 4});
__global__ void k_mmag_26 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.s8.u8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_26("mma.sync.aligned.m16n8k32.row.col.s32.s8.u8.s32", k_mmag_26, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_26("mma.sync.aligned.m16n8k32.row.col.s32.s8.u8.s32", {5, 6, 12, 4, 2, 4});
__global__ void k_mmag_27 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.u8.u8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_27("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.u8.u8.s32", k_mmag_27, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_27("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.u8.u8.s32", {6, 6, 12, 4, 2, 4});
__global__ void k_mmag_28 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k32.row.col.s32.s4.s4.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_28("mma.sync.aligned.m8n8k32.row.col.s32.s4.s4.s32", k_mmag_28, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_28("mma.sync.aligned.m8n8k32.row.col.s32.s4.s4.s32", {7, 7, 12, 1, 1, 2});
__global__ void k_mmag_29 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k32.row.col.s32.u4.s4.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_29("mma.sync.aligned.m8n8k32.row.col.s32.u4.s4.s32", k_mmag_29, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_29("mma.sync.aligned.m8n8k32.row.col.s32.u4.s4.s32", {8, 7, 12, 1, 1, 2});
__global__ void k_mmag_30 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k32.row.col.satfinite.s32.u4.u4.s32 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_30("mma.sync.aligned.m8n8k32.row.col.satfinite.s32.u4.u4.s32", k_mmag_30, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_30("mma.sync.aligned.m8n8k32.row.col.satfinite.s32.u4.u4.s32", {8, 8, 12, 1, 1, 2});
__global__ void k_mmag_31 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.s4.s4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_31("mma.sync.aligned.m16n8k32.row.col.s32.s4.s4.s32", k_mmag_31, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_31("mma.sync.aligned.m16n8k32.row.col.s32.s4.s4.s32", {7, 7, 12, 2, 1, 4});
__global__ void k_mmag_32 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.u4.s4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_32("mma.sync.aligned.m16n8k32.row.col.s32.u4.s4.s32", k_mmag_32, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_32("mma.sync.aligned.m16n8k32.row.col.s32.u4.s4.s32", {8, 7, 12, 2, 1, 4});
__global__ void k_mmag_33 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.u4.u4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_33("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.u4.u4.s32", k_mmag_33, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_33("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.u4.u4.s32", {8, 8, 12, 2, 1, 4});
__global__ void k_mmag_34 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k64.row.col.s32.s4.s4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_34("mma.sync.aligned.m16n8k64.row.col.s32.s4.s4.s32", k_mmag_34, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_34("mma.sync.aligned.m16n8k64.row.col.s32.s4.s4.s32", {7, 7, 12, 4, 2, 4});
__global__ void k_mmag_35 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k64.row.col.s32.u4.s4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_35("mma.sync.aligned.m16n8k64.row.col.s32.u4.s4.s32", k_mmag_35, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_35("mma.sync.aligned.m16n8k64.row.col.s32.u4.s4.s32", {8, 7, 12, 4, 2, 4});
__global__ void k_mmag_36 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k64.row.col.satfinite.s32.u4.u4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_36("mma.sync.aligned.m16n8k64.row.col.satfinite.s32.u4.u4.s32", k_mmag_36, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_36("mma.sync.aligned.m16n8k64.row.col.satfinite.s32.u4.u4.s32", {8, 8, 12, 4, 2, 4});
__global__ void k_mmag_37 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k128.row.col.s32.b1.b1.s32.xor.popc {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_37("mma.sync.aligned.m8n8k128.row.col.s32.b1.b1.s32.xor.popc", k_mmag_37, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_37("mma.sync.aligned.m8n8k128.row.col.s32.b1.b1.s32.xor.popc", {9, 9, 12, 1, 1, 2});
__global__ void k_mmag_38 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m8n8k128.row.col.s32.b1.b1.s32.and.popc {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_38("mma.sync.aligned.m8n8k128.row.col.s32.b1.b1.s32.and.popc", k_mmag_38, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_38("mma.sync.aligned.m8n8k128.row.col.s32.b1.b1.s32.and.popc", {9, 9, 12, 1, 1, 2});
__global__ void k_mmag_39 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k128.row.col.s32.b1.b1.s32.xor.popc {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_39("mma.sync.aligned.m16n8k128.row.col.s32.b1.b1.s32.xor.popc", k_mmag_39, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_39("mma.sync.aligned.m16n8k128.row.col.s32.b1.b1.s32.xor.popc", {9, 9, 12, 2, 1, 4});
__global__ void k_mmag_40 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k256.row.col.s32.b1.b1.s32.xor.popc {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_40("mma.sync.aligned.m16n8k256.row.col.s32.b1.b1.s32.xor.popc", k_mmag_40, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_40("mma.sync.aligned.m16n8k256.row.col.s32.b1.b1.s32.xor.popc", {9, 9, 12, 4, 2, 4});
__global__ void k_mmag_41 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k256.row.col.s32.b1.b1.s32.and.popc {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_41("mma.sync.aligned.m16n8k256.row.col.s32.b1.b1.s32.and.popc", k_mmag_41, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_41("mma.sync.aligned.m16n8k256.row.col.s32.b1.b1.s32.and.popc", {9, 9, 12, 4, 2, 4});
__global__ void k_mmag_42 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_42("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32", k_mmag_42, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_42("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32", {10, 10, 3, 4, 2, 4});
__global__ void k_mmag_43 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f32.e5m2.e5m2.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_43("mma.sync.aligned.m16n8k32.row.col.f32.e5m2.e5m2.f32", k_mmag_43, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_43("mma.sync.aligned.m16n8k32.row.col.f32.e5m2.e5m2.f32", {11, 11, 3, 4, 2, 4});
__global__ void k_mmag_44 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e5m2.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_44("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e5m2.f32", k_mmag_44, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_44("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e5m2.f32", {10, 11, 3, 4, 2, 4});
__global__ void k_mmag_45 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f32.e5m2.e4m3.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_45("mma.sync.aligned.m16n8k32.row.col.f32.e5m2.e4m3.f32", k_mmag_45, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_45("mma.sync.aligned.m16n8k32.row.col.f32.e5m2.e4m3.f32", {11, 10, 3, 4, 2, 4});
__global__ void k_mmag_46 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.e4m3.e5m2.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_46("mma.sync.aligned.m16n8k16.row.col.f32.e4m3.e5m2.f32", k_mmag_46, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_46("mma.sync.aligned.m16n8k16.row.col.f32.e4m3.e5m2.f32", {10, 11, 3, 2, 1, 4});
__global__ void k_mmag_47 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f16.e5m2.e4m3.f16 {%0,%1}, {%2,%3}, {%4}, {%5,%6};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_47("mma.sync.aligned.m16n8k16.row.col.f16.e5m2.e4m3.f16", k_mmag_47, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_47("mma.sync.aligned.m16n8k16.row.col.f16.e5m2.e4m3.f16", {11, 10, 0, 2, 1, 2});
__global__ void k_mmag_48 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16 {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%8,%9};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_48("mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16", k_mmag_48, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_48("mma.sync.aligned.m16n8k32.row.col.f16.e4m3.e4m3.f16", {10, 10, 0, 4, 2, 2});
__global__ void k_mmag_49 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sync.aligned.m16n8k32.row.col.f16.e5m2.e5m2.f16 {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%8,%9};"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_49("mma.sync.aligned.m16n8k32.row.col.f16.e5m2.e5m2.f16", k_mmag_49, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_49("mma.sync.aligned.m16n8k32.row.col.f16.e5m2.e5m2.f16", {11, 11, 0, 4, 2, 2});
__global__ void k_mmag_50 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  asm volatile("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=l"(d0), "=l"(d1)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_50("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64", k_mmag_50, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_50("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64", {4, 4, 4, 1, 1, 2});
__global__ void k_mmag_51 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  asm volatile("mma.sync.aligned.m8n8k4.row.col.rn.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=l"(d0), "=l"(d1)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_51("mma.sync.aligned.m8n8k4.row.col.rn.f64.f64.f64.f64", k_mmag_51, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_51("mma.sync.aligned.m8n8k4.row.col.rn.f64.f64.f64.f64", {4, 4, 4, 1, 1, 2});
__global__ void k_mmag_52 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  asm volatile("mma.sync.aligned.m8n8k4.row.col.rz.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=l"(d0), "=l"(d1)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_52("mma.sync.aligned.m8n8k4.row.col.rz.f64.f64.f64.f64", k_mmag_52, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_52("mma.sync.aligned.m8n8k4.row.col.rz.f64.f64.f64.f64", {4, 4, 4, 1, 1, 2});
__global__ void k_mmag_53 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  asm volatile("mma.sync.aligned.m8n8k4.row.col.rm.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=l"(d0), "=l"(d1)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_53("mma.sync.aligned.m8n8k4.row.col.rm.f64.f64.f64.f64", k_mmag_53, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_53("mma.sync.aligned.m8n8k4.row.col.rm.f64.f64.f64.f64", {4, 4, 4, 1, 1, 2});
__global__ void k_mmag_54 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  asm volatile("mma.sync.aligned.m8n8k4.row.col.rp.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%4,%5};"
               : "=l"(d0), "=l"(d1)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_54("mma.sync.aligned.m8n8k4.row.col.rp.f64.f64.f64.f64", k_mmag_54, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_54("mma.sync.aligned.m8n8k4.row.col.rp.f64.f64.f64.f64", {4, 4, 4, 1, 1, 2});
__global__ void k_mmag_55 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  u64 d2;
  u64 d3;
  asm volatile("mma.sync.aligned.m16n8k4.row.col.f64.f64.f64.f64 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%7,%8,%9,%10};"
               : "=l"(d0), "=l"(d1), "=l"(d2), "=l"(d3)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32), "l"((u64)w[8] | (u64)w[9] << 32), "l"((u64)w[10] | (u64)w[11] << 32), "l"((u64)w[12] | (u64)w[13] << 32));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_55("mma.sync.aligned.m16n8k4.row.col.f64.f64.f64.f64", k_mmag_55, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_55("mma.sync.aligned.m16n8k4.row.col.f64.f64.f64.f64", {4, 4, 4, 2, 1, 4});
__global__ void k_mmag_56 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  u64 d2;
  u64 d3;
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f64.f64.f64.f64 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
               : "=l"(d0), "=l"(d1), "=l"(d2), "=l"(d3)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32), "l"((u64)w[8] | (u64)w[9] << 32), "l"((u64)w[10] | (u64)w[11] << 32), "l"((u64)w[12] | (u64)w[13] << 32), "l"((u64)w[14] | (u64)w[15] << 32), "l"((u64)w[16] | (u64)w[17] << 32), "l"((u64)w[18] | (u64)w[19] << 32));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_56("mma.sync.aligned.m16n8k8.row.col.f64.f64.f64.f64", k_mmag_56, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_56("mma.sync.aligned.m16n8k8.row.col.f64.f64.f64.f64", {4, 4, 4, 4, 2, 4});
__global__ void k_mmag_57 KSIG {
  MMA_WORDS;
  u64 d0;
  u64 d1;
  u64 d2;
  u64 d3;
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f64.f64.f64.f64 {%0,%1,%2,%3}, {%4,%5,%6,%7,%8,%9,%10,%11}, {%12,%13,%14,%15}, {%16,%17,%18,%19};"
               : "=l"(d0), "=l"(d1), "=l"(d2), "=l"(d3)
               : "l"((u64)w[0] | (u64)w[1] << 32), "l"((u64)w[2] | (u64)w[3] << 32), "l"((u64)w[4] | (u64)w[5] << 32), "l"((u64)w[6] | (u64)w[7] << 32), "l"((u64)w[8] | (u64)w[9] << 32), "l"((u64)w[10] | (u64)w[11] << 32), "l"((u64)w[12] | (u64)w[13] << 32), "l"((u64)w[14] | (u64)w[15] << 32), "l"((u64)w[16] | (u64)w[17] << 32), "l"((u64)w[18] | (u64)w[19] << 32), "l"((u64)w[20] | (u64)w[21] << 32), "l"((u64)w[22] | (u64)w[23] << 32), "l"((u64)w[24] | (u64)w[25] << 32), "l"((u64)w[26] | (u64)w[27] << 32), "l"((u64)w[28] | (u64)w[29] << 32), "l"((u64)w[30] | (u64)w[31] << 32));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_57("mma.sync.aligned.m16n8k16.row.col.f64.f64.f64.f64", k_mmag_57, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_57("mma.sync.aligned.m16n8k16.row.col.f64.f64.f64.f64", {4, 4, 4, 8, 4, 4});
__global__ void k_mmag_58 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_58("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel0", k_mmag_58, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_58("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel0", {0, 0, 3, 2, 2, 4, 2, 0, 1});
__global__ void k_mmag_59 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_59("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel1", k_mmag_59, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_59("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel1", {0, 0, 3, 2, 2, 4, 2, 1, 1});
__global__ void k_mmag_60 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 2;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_60("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel2", k_mmag_60, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_60("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel2", {0, 0, 3, 2, 2, 4, 2, 2, 1});
__global__ void k_mmag_61 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 3;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_61("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel3", k_mmag_61, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_61("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel3", {0, 0, 3, 2, 2, 4, 2, 3, 1});
__global__ void k_mmag_62 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 {%0,%1}, {%2,%3}, {%4,%5}, {%6,%7}, %8, 2;"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_62("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 sel2", k_mmag_62, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_62("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 sel2", {0, 0, 0, 2, 2, 2, 2, 2, 1});
__global__ void k_mmag_63 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_63("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 sel1", k_mmag_63, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_63("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 sel1", {1, 1, 3, 2, 2, 4, 2, 1, 1});
__global__ void k_mmag_64 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_64("mma.sp.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel0", k_mmag_64, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_64("mma.sp.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 sel0", {0, 0, 3, 2, 2, 4, 1, 0, 1});
__global__ void k_mmag_65 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_65("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32 sel0", k_mmag_65, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_65("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32 sel0", {0, 0, 3, 4, 4, 4, 2, 0, 2});
__global__ void k_mmag_66 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_66("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32 sel1", k_mmag_66, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_66("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32 sel1", {0, 0, 3, 4, 4, 4, 2, 1, 2});
__global__ void k_mmag_67 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f16.f16.f16.f16 {%0,%1}, {%2,%3,%4,%5}, {%6,%7,%8,%9}, {%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]));
  D[2 * i + 0] = d0;
  D[2 * i + 1] = d1;
}
static Reg r_mmag_67("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f16.f16.f16.f16 sel1", k_mmag_67, G_MMA_GEN, 2, 32);
static MmaSpecReg s_mmag_67("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f16.f16.f16.f16 sel1", {0, 0, 0, 4, 4, 2, 2, 1, 2});
__global__ void k_mmag_68 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_68("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32 sel0", k_mmag_68, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_68("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32 sel0", {1, 1, 3, 4, 4, 4, 2, 0, 2});
__global__ void k_mmag_69 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_69("mma.sp.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32 sel1", k_mmag_69, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_69("mma.sp.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32 sel1", {1, 1, 3, 4, 4, 4, 1, 1, 2});
__global__ void k_mmag_70 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_70("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel0", k_mmag_70, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_70("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel0", {2, 2, 3, 2, 2, 4, 3, 0, 1});
__global__ void k_mmag_71 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_71("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel1", k_mmag_71, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_71("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel1", {2, 2, 3, 2, 2, 4, 3, 1, 1});
__global__ void k_mmag_72 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 2;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_72("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel2", k_mmag_72, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_72("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel2", {2, 2, 3, 2, 2, 4, 3, 2, 1});
__global__ void k_mmag_73 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 3;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_73("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel3", k_mmag_73, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_73("mma.sp::ordered_metadata.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel3", {2, 2, 3, 2, 2, 4, 3, 3, 1});
__global__ void k_mmag_74 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 3;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_74("mma.sp.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel3", k_mmag_74, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_74("mma.sp.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 sel3", {2, 2, 3, 2, 2, 4, 3, 3, 1});
__global__ void k_mmag_75 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_75("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.tf32.tf32.f32 sel0", k_mmag_75, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_75("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.tf32.tf32.f32 sel0", {2, 2, 3, 4, 4, 4, 3, 0, 2});
__global__ void k_mmag_76 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_76("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.tf32.tf32.f32 sel1", k_mmag_76, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_76("mma.sp::ordered_metadata.sync.aligned.m16n8k16.row.col.f32.tf32.tf32.f32 sel1", {2, 2, 3, 4, 4, 4, 3, 1, 2});
__global__ void k_mmag_77 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_77("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 sel1", k_mmag_77, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_77("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 sel1", {5, 5, 12, 2, 2, 4, 2, 1, 2});
__global__ void k_mmag_78 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_78("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s8.s8.s32 sel0", k_mmag_78, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_78("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s8.s8.s32 sel0", {5, 5, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_79 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_79("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32 sel1", k_mmag_79, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_79("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32 sel1", {6, 6, 12, 2, 2, 4, 2, 1, 2});
__global__ void k_mmag_80 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u8.u8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_80("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u8.u8.s32 sel0", k_mmag_80, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_80("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u8.u8.s32 sel0", {6, 6, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_81 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.s8.u8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_81("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.s8.u8.s32 sel1", k_mmag_81, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_81("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.s8.u8.s32 sel1", {5, 6, 12, 2, 2, 4, 2, 1, 2});
__global__ void k_mmag_82 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s8.u8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_82("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s8.u8.s32 sel0", k_mmag_82, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_82("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s8.u8.s32 sel0", {5, 6, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_83 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.u8.s8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_83("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.u8.s8.s32 sel1", k_mmag_83, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_83("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.s32.u8.s8.s32 sel1", {6, 5, 12, 2, 2, 4, 2, 1, 2});
__global__ void k_mmag_84 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_84("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u8.s8.s32 sel0", k_mmag_84, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_84("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u8.s8.s32 sel0", {6, 5, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_85 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_85("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32 sel0", k_mmag_85, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_85("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32 sel0", {5, 5, 12, 2, 2, 4, 2, 0, 2});
__global__ void k_mmag_86 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.satfinite.s32.u8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_86("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.satfinite.s32.u8.s8.s32 sel0", k_mmag_86, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_86("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.satfinite.s32.u8.s8.s32 sel0", {6, 5, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_87 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_87("mma.sp.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32 sel0", k_mmag_87, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_87("mma.sp.sync.aligned.m16n8k32.row.col.s32.u8.u8.s32 sel0", {6, 6, 12, 2, 2, 4, 1, 0, 2});
__global__ void k_mmag_88 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s4.s4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_88("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s4.s4.s32 sel0", k_mmag_88, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_88("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s4.s4.s32 sel0", {7, 7, 12, 2, 2, 4, 2, 0, 2});
__global__ void k_mmag_89 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.s4.s4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_89("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.s4.s4.s32 sel0", k_mmag_89, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_89("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.s4.s4.s32 sel0", {7, 7, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_90 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u4.u4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_90("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u4.u4.s32 sel0", k_mmag_90, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_90("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u4.u4.s32 sel0", {8, 8, 12, 2, 2, 4, 2, 0, 2});
__global__ void k_mmag_91 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.u4.u4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_91("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.u4.u4.s32 sel0", k_mmag_91, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_91("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.u4.u4.s32 sel0", {8, 8, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_92 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u4.s4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_92("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u4.s4.s32 sel0", k_mmag_92, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_92("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.u4.s4.s32 sel0", {8, 7, 12, 2, 2, 4, 2, 0, 2});
__global__ void k_mmag_93 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.u4.s4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_93("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.u4.s4.s32 sel0", k_mmag_93, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_93("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.u4.s4.s32 sel0", {8, 7, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_94 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s4.u4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_94("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s4.u4.s32 sel0", k_mmag_94, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_94("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.s32.s4.u4.s32 sel0", {7, 8, 12, 2, 2, 4, 2, 0, 2});
__global__ void k_mmag_95 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.s4.u4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_95("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.s4.u4.s32 sel0", k_mmag_95, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_95("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.s32.s4.u4.s32 sel0", {7, 8, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_96 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.satfinite.s32.s4.s4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_96("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.satfinite.s32.s4.s4.s32 sel1", k_mmag_96, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_96("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.satfinite.s32.s4.s4.s32 sel1", {7, 7, 12, 2, 2, 4, 2, 1, 2});
__global__ void k_mmag_97 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.satfinite.s32.u4.u4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_97("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.satfinite.s32.u4.u4.s32 sel0", k_mmag_97, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_97("mma.sp::ordered_metadata.sync.aligned.m16n8k128.row.col.satfinite.s32.u4.u4.s32 sel0", {8, 8, 12, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_98 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp.sync.aligned.m16n8k64.row.col.s32.s4.u4.s32 {%0,%1,%2,%3}, {%4,%5}, {%6,%7}, {%8,%9,%10,%11}, %12, 1;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_98("mma.sp.sync.aligned.m16n8k64.row.col.s32.s4.u4.s32 sel1", k_mmag_98, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_98("mma.sp.sync.aligned.m16n8k64.row.col.s32.s4.u4.s32 sel1", {7, 8, 12, 2, 2, 4, 1, 1, 2});
__global__ void k_mmag_99 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e4m3.e4m3.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_99("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e4m3.e4m3.f32 sel0", k_mmag_99, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_99("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e4m3.e4m3.f32 sel0", {10, 10, 3, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_100 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e5m2.e5m2.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_100("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e5m2.e5m2.f32 sel0", k_mmag_100, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_100("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e5m2.e5m2.f32 sel0", {11, 11, 3, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_101 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e4m3.e5m2.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_101("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e4m3.e5m2.f32 sel0", k_mmag_101, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_101("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e4m3.e5m2.f32 sel0", {10, 11, 3, 4, 4, 4, 2, 0, 4});
__global__ void k_mmag_102 KSIG {
  MMA_WORDS;
  u32 d0;
  u32 d1;
  u32 d2;
  u32 d3;
  asm volatile("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e5m2.e4m3.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%12,%13,%14,%15}, %16, 0;"
               : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
               : "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]), "r"(w[7]), "r"(w[8]), "r"(w[9]), "r"(w[10]), "r"(w[11]), "r"(w[12]));
  D[4 * i + 0] = d0;
  D[4 * i + 1] = d1;
  D[4 * i + 2] = d2;
  D[4 * i + 3] = d3;
}
static Reg r_mmag_102("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e5m2.e4m3.f32 sel0", k_mmag_102, G_MMA_GEN, 4, 32);
static MmaSpecReg s_mmag_102("mma.sp::ordered_metadata.sync.aligned.m16n8k64.row.col.f32.e5m2.e4m3.f32 sel0", {11, 10, 3, 4, 4, 4, 2, 0, 4});
// ---- end of generated warp-matrix kernels ----

// ================================ atomics (PTX ISA 9.7.13.5/6) ================================
#include "atomics.cuh"

// ================================ video (PTX ISA 9.7.10) ======================================
// d = op(a, b, c); the instruction text carries the operand selectors, masks and negations.
#define KV(ID, TEXT)                                                                       \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    u32 a = (u32)A[i], b = (u32)B[i], c = (u32)C[i], d;                                  \
    asm volatile(TEXT : "=r"(d) : "r"(a), "r"(b), "r"(c));                               \
    D[i] = (u64)d;                                                                       \
  }                                                                                      \
  static Reg r_##ID(TEXT, k_##ID, G_VIDEO);
// BEGIN VIDEO (generated by scripts/gen-video-conformance-kernels.py; do not edit)
KV(video_0, "vadd2.u32.u32.u32 %0, %1, %2, %3;")
KV(video_1, "vadd2.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_2, "vadd2.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_3, "vadd2.s32.s32.s32 %0, %1, %2, %3;")
KV(video_4, "vadd2.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_5, "vadd2.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_6, "vadd2.s32.u32.s32 %0, %1, %2, %3;")
KV(video_7, "vadd2.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_8, "vadd2.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_9, "vsub2.u32.u32.u32 %0, %1, %2, %3;")
KV(video_10, "vsub2.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_11, "vsub2.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_12, "vsub2.s32.s32.s32 %0, %1, %2, %3;")
KV(video_13, "vsub2.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_14, "vsub2.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_15, "vsub2.s32.u32.s32 %0, %1, %2, %3;")
KV(video_16, "vsub2.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_17, "vsub2.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_18, "vavrg2.u32.u32.u32 %0, %1, %2, %3;")
KV(video_19, "vavrg2.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_20, "vavrg2.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_21, "vavrg2.s32.s32.s32 %0, %1, %2, %3;")
KV(video_22, "vavrg2.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_23, "vavrg2.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_24, "vavrg2.s32.u32.s32 %0, %1, %2, %3;")
KV(video_25, "vavrg2.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_26, "vavrg2.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_27, "vabsdiff2.u32.u32.u32 %0, %1, %2, %3;")
KV(video_28, "vabsdiff2.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_29, "vabsdiff2.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_30, "vabsdiff2.s32.s32.s32 %0, %1, %2, %3;")
KV(video_31, "vabsdiff2.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_32, "vabsdiff2.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_33, "vabsdiff2.s32.u32.s32 %0, %1, %2, %3;")
KV(video_34, "vabsdiff2.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_35, "vabsdiff2.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_36, "vmin2.u32.u32.u32 %0, %1, %2, %3;")
KV(video_37, "vmin2.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_38, "vmin2.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_39, "vmin2.s32.s32.s32 %0, %1, %2, %3;")
KV(video_40, "vmin2.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_41, "vmin2.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_42, "vmin2.s32.u32.s32 %0, %1, %2, %3;")
KV(video_43, "vmin2.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_44, "vmin2.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_45, "vmax2.u32.u32.u32 %0, %1, %2, %3;")
KV(video_46, "vmax2.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_47, "vmax2.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_48, "vmax2.s32.s32.s32 %0, %1, %2, %3;")
KV(video_49, "vmax2.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_50, "vmax2.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_51, "vmax2.s32.u32.s32 %0, %1, %2, %3;")
KV(video_52, "vmax2.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_53, "vmax2.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_54, "vadd2.s32.s32.s32.sat %0.h0, %1, %2, %3;")
KV(video_55, "vadd2.s32.s32.s32.sat %0.h1, %1, %2, %3;")
KV(video_56, "vadd2.s32.s32.s32.sat %0.h1, %1.h01, %2.h23, %3;")
KV(video_57, "vadd2.s32.s32.s32.sat %0.h1, %1.h22, %2.h00, %3;")
KV(video_58, "vadd2.s32.s32.s32.sat %0.h1, %1.h31, %2.h02, %3;")
KV(video_59, "vabsdiff2.u32.u32.u32.add %0.h0, %1, %2, %3;")
KV(video_60, "vabsdiff2.u32.u32.u32.add %0.h1, %1, %2, %3;")
KV(video_61, "vabsdiff2.u32.u32.u32.add %0.h1, %1.h01, %2.h23, %3;")
KV(video_62, "vabsdiff2.u32.u32.u32.add %0.h1, %1.h22, %2.h00, %3;")
KV(video_63, "vabsdiff2.u32.u32.u32.add %0.h1, %1.h31, %2.h02, %3;")
KV(video_64, "vmax2.s32.u32.s32 %0.h0, %1, %2, %3;")
KV(video_65, "vmax2.s32.u32.s32 %0.h1, %1, %2, %3;")
KV(video_66, "vmax2.s32.u32.s32 %0.h1, %1.h01, %2.h23, %3;")
KV(video_67, "vmax2.s32.u32.s32 %0.h1, %1.h22, %2.h00, %3;")
KV(video_68, "vmax2.s32.u32.s32 %0.h1, %1.h31, %2.h02, %3;")
KV(video_69, "vsub2.u32.s32.s32.add %0.h0, %1, %2, %3;")
KV(video_70, "vsub2.u32.s32.s32.add %0.h1, %1, %2, %3;")
KV(video_71, "vsub2.u32.s32.s32.add %0.h1, %1.h01, %2.h23, %3;")
KV(video_72, "vsub2.u32.s32.s32.add %0.h1, %1.h22, %2.h00, %3;")
KV(video_73, "vsub2.u32.s32.s32.add %0.h1, %1.h31, %2.h02, %3;")
KV(video_74, "vset2.u32.u32.eq %0, %1, %2, %3;")
KV(video_75, "vset2.u32.u32.eq.add %0, %1, %2, %3;")
KV(video_76, "vset2.s32.s32.eq %0, %1, %2, %3;")
KV(video_77, "vset2.s32.s32.eq.add %0, %1, %2, %3;")
KV(video_78, "vset2.s32.u32.eq %0, %1, %2, %3;")
KV(video_79, "vset2.s32.u32.eq.add %0, %1, %2, %3;")
KV(video_80, "vset2.u32.u32.ne %0, %1, %2, %3;")
KV(video_81, "vset2.u32.u32.ne.add %0, %1, %2, %3;")
KV(video_82, "vset2.s32.s32.ne %0, %1, %2, %3;")
KV(video_83, "vset2.s32.s32.ne.add %0, %1, %2, %3;")
KV(video_84, "vset2.s32.u32.ne %0, %1, %2, %3;")
KV(video_85, "vset2.s32.u32.ne.add %0, %1, %2, %3;")
KV(video_86, "vset2.u32.u32.lt %0, %1, %2, %3;")
KV(video_87, "vset2.u32.u32.lt.add %0, %1, %2, %3;")
KV(video_88, "vset2.s32.s32.lt %0, %1, %2, %3;")
KV(video_89, "vset2.s32.s32.lt.add %0, %1, %2, %3;")
KV(video_90, "vset2.s32.u32.lt %0, %1, %2, %3;")
KV(video_91, "vset2.s32.u32.lt.add %0, %1, %2, %3;")
KV(video_92, "vset2.u32.u32.le %0, %1, %2, %3;")
KV(video_93, "vset2.u32.u32.le.add %0, %1, %2, %3;")
KV(video_94, "vset2.s32.s32.le %0, %1, %2, %3;")
KV(video_95, "vset2.s32.s32.le.add %0, %1, %2, %3;")
KV(video_96, "vset2.s32.u32.le %0, %1, %2, %3;")
KV(video_97, "vset2.s32.u32.le.add %0, %1, %2, %3;")
KV(video_98, "vset2.u32.u32.gt %0, %1, %2, %3;")
KV(video_99, "vset2.u32.u32.gt.add %0, %1, %2, %3;")
KV(video_100, "vset2.s32.s32.gt %0, %1, %2, %3;")
KV(video_101, "vset2.s32.s32.gt.add %0, %1, %2, %3;")
KV(video_102, "vset2.s32.u32.gt %0, %1, %2, %3;")
KV(video_103, "vset2.s32.u32.gt.add %0, %1, %2, %3;")
KV(video_104, "vset2.u32.u32.ge %0, %1, %2, %3;")
KV(video_105, "vset2.u32.u32.ge.add %0, %1, %2, %3;")
KV(video_106, "vset2.s32.s32.ge %0, %1, %2, %3;")
KV(video_107, "vset2.s32.s32.ge.add %0, %1, %2, %3;")
KV(video_108, "vset2.s32.u32.ge %0, %1, %2, %3;")
KV(video_109, "vset2.s32.u32.ge.add %0, %1, %2, %3;")
KV(video_110, "vset2.s32.u32.lt %0.h0, %1.h01, %2.h23, %3;")
KV(video_111, "vset2.u32.u32.ge.add %0.h0, %1.h01, %2.h23, %3;")
KV(video_112, "vset2.s32.u32.lt %0.h1, %1.h22, %2.h00, %3;")
KV(video_113, "vset2.u32.u32.ge.add %0.h1, %1.h22, %2.h00, %3;")
KV(video_114, "vadd4.u32.u32.u32 %0, %1, %2, %3;")
KV(video_115, "vadd4.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_116, "vadd4.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_117, "vadd4.s32.s32.s32 %0, %1, %2, %3;")
KV(video_118, "vadd4.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_119, "vadd4.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_120, "vadd4.s32.u32.s32 %0, %1, %2, %3;")
KV(video_121, "vadd4.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_122, "vadd4.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_123, "vsub4.u32.u32.u32 %0, %1, %2, %3;")
KV(video_124, "vsub4.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_125, "vsub4.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_126, "vsub4.s32.s32.s32 %0, %1, %2, %3;")
KV(video_127, "vsub4.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_128, "vsub4.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_129, "vsub4.s32.u32.s32 %0, %1, %2, %3;")
KV(video_130, "vsub4.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_131, "vsub4.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_132, "vavrg4.u32.u32.u32 %0, %1, %2, %3;")
KV(video_133, "vavrg4.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_134, "vavrg4.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_135, "vavrg4.s32.s32.s32 %0, %1, %2, %3;")
KV(video_136, "vavrg4.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_137, "vavrg4.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_138, "vavrg4.s32.u32.s32 %0, %1, %2, %3;")
KV(video_139, "vavrg4.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_140, "vavrg4.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_141, "vabsdiff4.u32.u32.u32 %0, %1, %2, %3;")
KV(video_142, "vabsdiff4.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_143, "vabsdiff4.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_144, "vabsdiff4.s32.s32.s32 %0, %1, %2, %3;")
KV(video_145, "vabsdiff4.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_146, "vabsdiff4.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_147, "vabsdiff4.s32.u32.s32 %0, %1, %2, %3;")
KV(video_148, "vabsdiff4.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_149, "vabsdiff4.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_150, "vmin4.u32.u32.u32 %0, %1, %2, %3;")
KV(video_151, "vmin4.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_152, "vmin4.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_153, "vmin4.s32.s32.s32 %0, %1, %2, %3;")
KV(video_154, "vmin4.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_155, "vmin4.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_156, "vmin4.s32.u32.s32 %0, %1, %2, %3;")
KV(video_157, "vmin4.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_158, "vmin4.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_159, "vmax4.u32.u32.u32 %0, %1, %2, %3;")
KV(video_160, "vmax4.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_161, "vmax4.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_162, "vmax4.s32.s32.s32 %0, %1, %2, %3;")
KV(video_163, "vmax4.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_164, "vmax4.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_165, "vmax4.s32.u32.s32 %0, %1, %2, %3;")
KV(video_166, "vmax4.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_167, "vmax4.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_168, "vadd4.s32.s32.s32.sat %0.b0, %1, %2, %3;")
KV(video_169, "vadd4.s32.s32.s32.sat %0.b21, %1, %2, %3;")
KV(video_170, "vadd4.s32.s32.s32.sat %0.b310, %1, %2, %3;")
KV(video_171, "vadd4.s32.s32.s32.sat %0.b310, %1.b0123, %2.b4567, %3;")
KV(video_172, "vadd4.s32.s32.s32.sat %0.b310, %1.b7654, %2.b3210, %3;")
KV(video_173, "vadd4.s32.s32.s32.sat %0.b310, %1.b2200, %2.b5151, %3;")
KV(video_174, "vabsdiff4.u32.u32.u32.add %0.b0, %1, %2, %3;")
KV(video_175, "vabsdiff4.u32.u32.u32.add %0.b21, %1, %2, %3;")
KV(video_176, "vabsdiff4.u32.u32.u32.add %0.b310, %1, %2, %3;")
KV(video_177, "vabsdiff4.u32.u32.u32.add %0.b310, %1.b0123, %2.b4567, %3;")
KV(video_178, "vabsdiff4.u32.u32.u32.add %0.b310, %1.b7654, %2.b3210, %3;")
KV(video_179, "vabsdiff4.u32.u32.u32.add %0.b310, %1.b2200, %2.b5151, %3;")
KV(video_180, "vmax4.s32.u32.s32 %0.b0, %1, %2, %3;")
KV(video_181, "vmax4.s32.u32.s32 %0.b21, %1, %2, %3;")
KV(video_182, "vmax4.s32.u32.s32 %0.b310, %1, %2, %3;")
KV(video_183, "vmax4.s32.u32.s32 %0.b310, %1.b0123, %2.b4567, %3;")
KV(video_184, "vmax4.s32.u32.s32 %0.b310, %1.b7654, %2.b3210, %3;")
KV(video_185, "vmax4.s32.u32.s32 %0.b310, %1.b2200, %2.b5151, %3;")
KV(video_186, "vsub4.u32.s32.s32.add %0.b0, %1, %2, %3;")
KV(video_187, "vsub4.u32.s32.s32.add %0.b21, %1, %2, %3;")
KV(video_188, "vsub4.u32.s32.s32.add %0.b310, %1, %2, %3;")
KV(video_189, "vsub4.u32.s32.s32.add %0.b310, %1.b0123, %2.b4567, %3;")
KV(video_190, "vsub4.u32.s32.s32.add %0.b310, %1.b7654, %2.b3210, %3;")
KV(video_191, "vsub4.u32.s32.s32.add %0.b310, %1.b2200, %2.b5151, %3;")
KV(video_192, "vset4.u32.u32.eq %0, %1, %2, %3;")
KV(video_193, "vset4.u32.u32.eq.add %0, %1, %2, %3;")
KV(video_194, "vset4.s32.s32.eq %0, %1, %2, %3;")
KV(video_195, "vset4.s32.s32.eq.add %0, %1, %2, %3;")
KV(video_196, "vset4.s32.u32.eq %0, %1, %2, %3;")
KV(video_197, "vset4.s32.u32.eq.add %0, %1, %2, %3;")
KV(video_198, "vset4.u32.u32.ne %0, %1, %2, %3;")
KV(video_199, "vset4.u32.u32.ne.add %0, %1, %2, %3;")
KV(video_200, "vset4.s32.s32.ne %0, %1, %2, %3;")
KV(video_201, "vset4.s32.s32.ne.add %0, %1, %2, %3;")
KV(video_202, "vset4.s32.u32.ne %0, %1, %2, %3;")
KV(video_203, "vset4.s32.u32.ne.add %0, %1, %2, %3;")
KV(video_204, "vset4.u32.u32.lt %0, %1, %2, %3;")
KV(video_205, "vset4.u32.u32.lt.add %0, %1, %2, %3;")
KV(video_206, "vset4.s32.s32.lt %0, %1, %2, %3;")
KV(video_207, "vset4.s32.s32.lt.add %0, %1, %2, %3;")
KV(video_208, "vset4.s32.u32.lt %0, %1, %2, %3;")
KV(video_209, "vset4.s32.u32.lt.add %0, %1, %2, %3;")
KV(video_210, "vset4.u32.u32.le %0, %1, %2, %3;")
KV(video_211, "vset4.u32.u32.le.add %0, %1, %2, %3;")
KV(video_212, "vset4.s32.s32.le %0, %1, %2, %3;")
KV(video_213, "vset4.s32.s32.le.add %0, %1, %2, %3;")
KV(video_214, "vset4.s32.u32.le %0, %1, %2, %3;")
KV(video_215, "vset4.s32.u32.le.add %0, %1, %2, %3;")
KV(video_216, "vset4.u32.u32.gt %0, %1, %2, %3;")
KV(video_217, "vset4.u32.u32.gt.add %0, %1, %2, %3;")
KV(video_218, "vset4.s32.s32.gt %0, %1, %2, %3;")
KV(video_219, "vset4.s32.s32.gt.add %0, %1, %2, %3;")
KV(video_220, "vset4.s32.u32.gt %0, %1, %2, %3;")
KV(video_221, "vset4.s32.u32.gt.add %0, %1, %2, %3;")
KV(video_222, "vset4.u32.u32.ge %0, %1, %2, %3;")
KV(video_223, "vset4.u32.u32.ge.add %0, %1, %2, %3;")
KV(video_224, "vset4.s32.s32.ge %0, %1, %2, %3;")
KV(video_225, "vset4.s32.s32.ge.add %0, %1, %2, %3;")
KV(video_226, "vset4.s32.u32.ge %0, %1, %2, %3;")
KV(video_227, "vset4.s32.u32.ge.add %0, %1, %2, %3;")
KV(video_228, "vset4.s32.u32.lt %0.b0, %1.b0123, %2.b4567, %3;")
KV(video_229, "vset4.u32.u32.ge.add %0.b0, %1.b0123, %2.b4567, %3;")
KV(video_230, "vset4.s32.u32.lt %0.b21, %1.b7654, %2.b3210, %3;")
KV(video_231, "vset4.u32.u32.ge.add %0.b21, %1.b7654, %2.b3210, %3;")
KV(video_232, "vset4.s32.u32.lt %0.b310, %1.b2200, %2.b5151, %3;")
KV(video_233, "vset4.u32.u32.ge.add %0.b310, %1.b2200, %2.b5151, %3;")
KV(video_234, "vadd.u32.u32.u32 %0, %1, %2;")
KV(video_235, "vadd.u32.u32.u32.sat %0, %1, %2;")
KV(video_236, "vadd.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_237, "vadd.u32.u32.u32.min %0, %1, %2, %3;")
KV(video_238, "vadd.u32.u32.u32.max %0, %1, %2, %3;")
KV(video_239, "vadd.u32.u32.u32.sat.add %0, %1, %2, %3;")
KV(video_240, "vadd.u32.u32.u32 %0.b1, %1, %2, %3;")
KV(video_241, "vadd.u32.u32.u32.sat %0.h0, %1, %2, %3;")
KV(video_242, "vadd.u32.u32.u32.sat %0.b3, %1, %2, %3;")
KV(video_243, "vadd.s32.s32.s32 %0, %1, %2;")
KV(video_244, "vadd.s32.s32.s32.sat %0, %1, %2;")
KV(video_245, "vadd.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_246, "vadd.s32.s32.s32.min %0, %1, %2, %3;")
KV(video_247, "vadd.s32.s32.s32.max %0, %1, %2, %3;")
KV(video_248, "vadd.s32.s32.s32.sat.add %0, %1, %2, %3;")
KV(video_249, "vadd.s32.s32.s32 %0.b1, %1, %2, %3;")
KV(video_250, "vadd.s32.s32.s32.sat %0.h0, %1, %2, %3;")
KV(video_251, "vadd.s32.s32.s32.sat %0.b3, %1, %2, %3;")
KV(video_252, "vadd.s32.u32.s32 %0, %1, %2;")
KV(video_253, "vadd.s32.u32.s32.sat %0, %1, %2;")
KV(video_254, "vadd.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_255, "vadd.s32.u32.s32.min %0, %1, %2, %3;")
KV(video_256, "vadd.s32.u32.s32.max %0, %1, %2, %3;")
KV(video_257, "vadd.s32.u32.s32.sat.add %0, %1, %2, %3;")
KV(video_258, "vadd.s32.u32.s32 %0.b1, %1, %2, %3;")
KV(video_259, "vadd.s32.u32.s32.sat %0.h0, %1, %2, %3;")
KV(video_260, "vadd.s32.u32.s32.sat %0.b3, %1, %2, %3;")
KV(video_261, "vadd.s32.s32.s32 %0, %1.b0, %2.b3;")
KV(video_262, "vadd.s32.s32.s32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_263, "vadd.s32.s32.s32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_264, "vadd.s32.s32.s32.add %0, %1.b3, %2.h1, %3;")
KV(video_265, "vadd.u32.u32.u32 %0, %1.b0, %2.b3;")
KV(video_266, "vadd.u32.u32.u32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_267, "vadd.u32.u32.u32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_268, "vadd.u32.u32.u32.add %0, %1.b3, %2.h1, %3;")
KV(video_269, "vsub.u32.u32.u32 %0, %1, %2;")
KV(video_270, "vsub.u32.u32.u32.sat %0, %1, %2;")
KV(video_271, "vsub.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_272, "vsub.u32.u32.u32.min %0, %1, %2, %3;")
KV(video_273, "vsub.u32.u32.u32.max %0, %1, %2, %3;")
KV(video_274, "vsub.u32.u32.u32.sat.add %0, %1, %2, %3;")
KV(video_275, "vsub.u32.u32.u32 %0.b1, %1, %2, %3;")
KV(video_276, "vsub.u32.u32.u32.sat %0.h0, %1, %2, %3;")
KV(video_277, "vsub.u32.u32.u32.sat %0.b3, %1, %2, %3;")
KV(video_278, "vsub.s32.s32.s32 %0, %1, %2;")
KV(video_279, "vsub.s32.s32.s32.sat %0, %1, %2;")
KV(video_280, "vsub.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_281, "vsub.s32.s32.s32.min %0, %1, %2, %3;")
KV(video_282, "vsub.s32.s32.s32.max %0, %1, %2, %3;")
KV(video_283, "vsub.s32.s32.s32.sat.add %0, %1, %2, %3;")
KV(video_284, "vsub.s32.s32.s32 %0.b1, %1, %2, %3;")
KV(video_285, "vsub.s32.s32.s32.sat %0.h0, %1, %2, %3;")
KV(video_286, "vsub.s32.s32.s32.sat %0.b3, %1, %2, %3;")
KV(video_287, "vsub.s32.u32.s32 %0, %1, %2;")
KV(video_288, "vsub.s32.u32.s32.sat %0, %1, %2;")
KV(video_289, "vsub.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_290, "vsub.s32.u32.s32.min %0, %1, %2, %3;")
KV(video_291, "vsub.s32.u32.s32.max %0, %1, %2, %3;")
KV(video_292, "vsub.s32.u32.s32.sat.add %0, %1, %2, %3;")
KV(video_293, "vsub.s32.u32.s32 %0.b1, %1, %2, %3;")
KV(video_294, "vsub.s32.u32.s32.sat %0.h0, %1, %2, %3;")
KV(video_295, "vsub.s32.u32.s32.sat %0.b3, %1, %2, %3;")
KV(video_296, "vsub.s32.s32.s32 %0, %1.b0, %2.b3;")
KV(video_297, "vsub.s32.s32.s32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_298, "vsub.s32.s32.s32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_299, "vsub.s32.s32.s32.add %0, %1.b3, %2.h1, %3;")
KV(video_300, "vsub.u32.u32.u32 %0, %1.b0, %2.b3;")
KV(video_301, "vsub.u32.u32.u32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_302, "vsub.u32.u32.u32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_303, "vsub.u32.u32.u32.add %0, %1.b3, %2.h1, %3;")
KV(video_304, "vabsdiff.u32.u32.u32 %0, %1, %2;")
KV(video_305, "vabsdiff.u32.u32.u32.sat %0, %1, %2;")
KV(video_306, "vabsdiff.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_307, "vabsdiff.u32.u32.u32.min %0, %1, %2, %3;")
KV(video_308, "vabsdiff.u32.u32.u32.max %0, %1, %2, %3;")
KV(video_309, "vabsdiff.u32.u32.u32.sat.add %0, %1, %2, %3;")
KV(video_310, "vabsdiff.u32.u32.u32 %0.b1, %1, %2, %3;")
KV(video_311, "vabsdiff.u32.u32.u32.sat %0.h0, %1, %2, %3;")
KV(video_312, "vabsdiff.u32.u32.u32.sat %0.b3, %1, %2, %3;")
KV(video_313, "vabsdiff.s32.s32.s32 %0, %1, %2;")
KV(video_314, "vabsdiff.s32.s32.s32.sat %0, %1, %2;")
KV(video_315, "vabsdiff.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_316, "vabsdiff.s32.s32.s32.min %0, %1, %2, %3;")
KV(video_317, "vabsdiff.s32.s32.s32.max %0, %1, %2, %3;")
KV(video_318, "vabsdiff.s32.s32.s32.sat.add %0, %1, %2, %3;")
KV(video_319, "vabsdiff.s32.s32.s32 %0.b1, %1, %2, %3;")
KV(video_320, "vabsdiff.s32.s32.s32.sat %0.h0, %1, %2, %3;")
KV(video_321, "vabsdiff.s32.s32.s32.sat %0.b3, %1, %2, %3;")
KV(video_322, "vabsdiff.s32.u32.s32 %0, %1, %2;")
KV(video_323, "vabsdiff.s32.u32.s32.sat %0, %1, %2;")
KV(video_324, "vabsdiff.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_325, "vabsdiff.s32.u32.s32.min %0, %1, %2, %3;")
KV(video_326, "vabsdiff.s32.u32.s32.max %0, %1, %2, %3;")
KV(video_327, "vabsdiff.s32.u32.s32.sat.add %0, %1, %2, %3;")
KV(video_328, "vabsdiff.s32.u32.s32 %0.b1, %1, %2, %3;")
KV(video_329, "vabsdiff.s32.u32.s32.sat %0.h0, %1, %2, %3;")
KV(video_330, "vabsdiff.s32.u32.s32.sat %0.b3, %1, %2, %3;")
KV(video_331, "vabsdiff.s32.s32.s32 %0, %1.b0, %2.b3;")
KV(video_332, "vabsdiff.s32.s32.s32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_333, "vabsdiff.s32.s32.s32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_334, "vabsdiff.s32.s32.s32.add %0, %1.b3, %2.h1, %3;")
KV(video_335, "vabsdiff.u32.u32.u32 %0, %1.b0, %2.b3;")
KV(video_336, "vabsdiff.u32.u32.u32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_337, "vabsdiff.u32.u32.u32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_338, "vabsdiff.u32.u32.u32.add %0, %1.b3, %2.h1, %3;")
KV(video_339, "vmin.u32.u32.u32 %0, %1, %2;")
KV(video_340, "vmin.u32.u32.u32.sat %0, %1, %2;")
KV(video_341, "vmin.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_342, "vmin.u32.u32.u32.min %0, %1, %2, %3;")
KV(video_343, "vmin.u32.u32.u32.max %0, %1, %2, %3;")
KV(video_344, "vmin.u32.u32.u32.sat.add %0, %1, %2, %3;")
KV(video_345, "vmin.u32.u32.u32 %0.b1, %1, %2, %3;")
KV(video_346, "vmin.u32.u32.u32.sat %0.h0, %1, %2, %3;")
KV(video_347, "vmin.u32.u32.u32.sat %0.b3, %1, %2, %3;")
KV(video_348, "vmin.s32.s32.s32 %0, %1, %2;")
KV(video_349, "vmin.s32.s32.s32.sat %0, %1, %2;")
KV(video_350, "vmin.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_351, "vmin.s32.s32.s32.min %0, %1, %2, %3;")
KV(video_352, "vmin.s32.s32.s32.max %0, %1, %2, %3;")
KV(video_353, "vmin.s32.s32.s32.sat.add %0, %1, %2, %3;")
KV(video_354, "vmin.s32.s32.s32 %0.b1, %1, %2, %3;")
KV(video_355, "vmin.s32.s32.s32.sat %0.h0, %1, %2, %3;")
KV(video_356, "vmin.s32.s32.s32.sat %0.b3, %1, %2, %3;")
KV(video_357, "vmin.s32.u32.s32 %0, %1, %2;")
KV(video_358, "vmin.s32.u32.s32.sat %0, %1, %2;")
KV(video_359, "vmin.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_360, "vmin.s32.u32.s32.min %0, %1, %2, %3;")
KV(video_361, "vmin.s32.u32.s32.max %0, %1, %2, %3;")
KV(video_362, "vmin.s32.u32.s32.sat.add %0, %1, %2, %3;")
KV(video_363, "vmin.s32.u32.s32 %0.b1, %1, %2, %3;")
KV(video_364, "vmin.s32.u32.s32.sat %0.h0, %1, %2, %3;")
KV(video_365, "vmin.s32.u32.s32.sat %0.b3, %1, %2, %3;")
KV(video_366, "vmin.s32.s32.s32 %0, %1.b0, %2.b3;")
KV(video_367, "vmin.s32.s32.s32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_368, "vmin.s32.s32.s32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_369, "vmin.s32.s32.s32.add %0, %1.b3, %2.h1, %3;")
KV(video_370, "vmin.u32.u32.u32 %0, %1.b0, %2.b3;")
KV(video_371, "vmin.u32.u32.u32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_372, "vmin.u32.u32.u32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_373, "vmin.u32.u32.u32.add %0, %1.b3, %2.h1, %3;")
KV(video_374, "vmax.u32.u32.u32 %0, %1, %2;")
KV(video_375, "vmax.u32.u32.u32.sat %0, %1, %2;")
KV(video_376, "vmax.u32.u32.u32.add %0, %1, %2, %3;")
KV(video_377, "vmax.u32.u32.u32.min %0, %1, %2, %3;")
KV(video_378, "vmax.u32.u32.u32.max %0, %1, %2, %3;")
KV(video_379, "vmax.u32.u32.u32.sat.add %0, %1, %2, %3;")
KV(video_380, "vmax.u32.u32.u32 %0.b1, %1, %2, %3;")
KV(video_381, "vmax.u32.u32.u32.sat %0.h0, %1, %2, %3;")
KV(video_382, "vmax.u32.u32.u32.sat %0.b3, %1, %2, %3;")
KV(video_383, "vmax.s32.s32.s32 %0, %1, %2;")
KV(video_384, "vmax.s32.s32.s32.sat %0, %1, %2;")
KV(video_385, "vmax.s32.s32.s32.add %0, %1, %2, %3;")
KV(video_386, "vmax.s32.s32.s32.min %0, %1, %2, %3;")
KV(video_387, "vmax.s32.s32.s32.max %0, %1, %2, %3;")
KV(video_388, "vmax.s32.s32.s32.sat.add %0, %1, %2, %3;")
KV(video_389, "vmax.s32.s32.s32 %0.b1, %1, %2, %3;")
KV(video_390, "vmax.s32.s32.s32.sat %0.h0, %1, %2, %3;")
KV(video_391, "vmax.s32.s32.s32.sat %0.b3, %1, %2, %3;")
KV(video_392, "vmax.s32.u32.s32 %0, %1, %2;")
KV(video_393, "vmax.s32.u32.s32.sat %0, %1, %2;")
KV(video_394, "vmax.s32.u32.s32.add %0, %1, %2, %3;")
KV(video_395, "vmax.s32.u32.s32.min %0, %1, %2, %3;")
KV(video_396, "vmax.s32.u32.s32.max %0, %1, %2, %3;")
KV(video_397, "vmax.s32.u32.s32.sat.add %0, %1, %2, %3;")
KV(video_398, "vmax.s32.u32.s32 %0.b1, %1, %2, %3;")
KV(video_399, "vmax.s32.u32.s32.sat %0.h0, %1, %2, %3;")
KV(video_400, "vmax.s32.u32.s32.sat %0.b3, %1, %2, %3;")
KV(video_401, "vmax.s32.s32.s32 %0, %1.b0, %2.b3;")
KV(video_402, "vmax.s32.s32.s32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_403, "vmax.s32.s32.s32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_404, "vmax.s32.s32.s32.add %0, %1.b3, %2.h1, %3;")
KV(video_405, "vmax.u32.u32.u32 %0, %1.b0, %2.b3;")
KV(video_406, "vmax.u32.u32.u32.sat.min %0, %1.h1, %2.b2, %3;")
KV(video_407, "vmax.u32.u32.u32.sat %0.b2, %1.b1, %2.h0, %3;")
KV(video_408, "vmax.u32.u32.u32.add %0, %1.b3, %2.h1, %3;")
KV(video_409, "vshl.u32.u32.u32.clamp %0, %1, %2;")
KV(video_410, "vshl.u32.u32.u32.sat.clamp %0, %1, %2;")
KV(video_411, "vshl.u32.u32.u32.wrap %0, %1, %2;")
KV(video_412, "vshl.u32.u32.u32.sat.wrap %0, %1, %2;")
KV(video_413, "vshl.u32.u32.u32.clamp.add %0, %1, %2, %3;")
KV(video_414, "vshl.u32.u32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_415, "vshl.s32.s32.u32.clamp %0, %1, %2;")
KV(video_416, "vshl.s32.s32.u32.sat.clamp %0, %1, %2;")
KV(video_417, "vshl.s32.s32.u32.wrap %0, %1, %2;")
KV(video_418, "vshl.s32.s32.u32.sat.wrap %0, %1, %2;")
KV(video_419, "vshl.s32.s32.u32.clamp.add %0, %1, %2, %3;")
KV(video_420, "vshl.s32.s32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_421, "vshl.s32.u32.u32.clamp %0, %1, %2;")
KV(video_422, "vshl.s32.u32.u32.sat.clamp %0, %1, %2;")
KV(video_423, "vshl.s32.u32.u32.wrap %0, %1, %2;")
KV(video_424, "vshl.s32.u32.u32.sat.wrap %0, %1, %2;")
KV(video_425, "vshl.s32.u32.u32.clamp.add %0, %1, %2, %3;")
KV(video_426, "vshl.s32.u32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_427, "vshl.u32.s32.u32.clamp %0, %1, %2;")
KV(video_428, "vshl.u32.s32.u32.sat.clamp %0, %1, %2;")
KV(video_429, "vshl.u32.s32.u32.wrap %0, %1, %2;")
KV(video_430, "vshl.u32.s32.u32.sat.wrap %0, %1, %2;")
KV(video_431, "vshl.u32.s32.u32.clamp.add %0, %1, %2, %3;")
KV(video_432, "vshl.u32.s32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_433, "vshl.s32.s32.u32.clamp %0, %1.b0, %2.b3;")
KV(video_434, "vshl.u32.u32.u32.wrap.max %0, %1.b0, %2.b3, %3;")
KV(video_435, "vshl.s32.s32.u32.clamp %0, %1.h1, %2.b2;")
KV(video_436, "vshl.u32.u32.u32.wrap.max %0, %1.h1, %2.b2, %3;")
KV(video_437, "vshl.s32.s32.u32.clamp %0, %1.b1, %2.h0;")
KV(video_438, "vshl.u32.u32.u32.wrap.max %0, %1.b1, %2.h0, %3;")
KV(video_439, "vshl.s32.s32.u32.clamp %0, %1.b3, %2.h1;")
KV(video_440, "vshl.u32.u32.u32.wrap.max %0, %1.b3, %2.h1, %3;")
KV(video_441, "vshr.u32.u32.u32.clamp %0, %1, %2;")
KV(video_442, "vshr.u32.u32.u32.sat.clamp %0, %1, %2;")
KV(video_443, "vshr.u32.u32.u32.wrap %0, %1, %2;")
KV(video_444, "vshr.u32.u32.u32.sat.wrap %0, %1, %2;")
KV(video_445, "vshr.u32.u32.u32.clamp.add %0, %1, %2, %3;")
KV(video_446, "vshr.u32.u32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_447, "vshr.s32.s32.u32.clamp %0, %1, %2;")
KV(video_448, "vshr.s32.s32.u32.sat.clamp %0, %1, %2;")
KV(video_449, "vshr.s32.s32.u32.wrap %0, %1, %2;")
KV(video_450, "vshr.s32.s32.u32.sat.wrap %0, %1, %2;")
KV(video_451, "vshr.s32.s32.u32.clamp.add %0, %1, %2, %3;")
KV(video_452, "vshr.s32.s32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_453, "vshr.s32.u32.u32.clamp %0, %1, %2;")
KV(video_454, "vshr.s32.u32.u32.sat.clamp %0, %1, %2;")
KV(video_455, "vshr.s32.u32.u32.wrap %0, %1, %2;")
KV(video_456, "vshr.s32.u32.u32.sat.wrap %0, %1, %2;")
KV(video_457, "vshr.s32.u32.u32.clamp.add %0, %1, %2, %3;")
KV(video_458, "vshr.s32.u32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_459, "vshr.u32.s32.u32.clamp %0, %1, %2;")
KV(video_460, "vshr.u32.s32.u32.sat.clamp %0, %1, %2;")
KV(video_461, "vshr.u32.s32.u32.wrap %0, %1, %2;")
KV(video_462, "vshr.u32.s32.u32.sat.wrap %0, %1, %2;")
KV(video_463, "vshr.u32.s32.u32.clamp.add %0, %1, %2, %3;")
KV(video_464, "vshr.u32.s32.u32.wrap %0.h1, %1, %2, %3;")
KV(video_465, "vshr.s32.s32.u32.clamp %0, %1.b0, %2.b3;")
KV(video_466, "vshr.u32.u32.u32.wrap.max %0, %1.b0, %2.b3, %3;")
KV(video_467, "vshr.s32.s32.u32.clamp %0, %1.h1, %2.b2;")
KV(video_468, "vshr.u32.u32.u32.wrap.max %0, %1.h1, %2.b2, %3;")
KV(video_469, "vshr.s32.s32.u32.clamp %0, %1.b1, %2.h0;")
KV(video_470, "vshr.u32.u32.u32.wrap.max %0, %1.b1, %2.h0, %3;")
KV(video_471, "vshr.s32.s32.u32.clamp %0, %1.b3, %2.h1;")
KV(video_472, "vshr.u32.u32.u32.wrap.max %0, %1.b3, %2.h1, %3;")
KV(video_473, "vmad.u32.u32.u32 %0, %1, %2, %3;")
KV(video_474, "vmad.u32.u32.u32.sat %0, %1, %2, %3;")
KV(video_475, "vmad.u32.u32.u32.po %0, %1, %2, %3;")
KV(video_476, "vmad.u32.u32.u32.shr7 %0, %1, %2, %3;")
KV(video_477, "vmad.u32.u32.u32.sat.shr15 %0, %1, %2, %3;")
KV(video_478, "vmad.u32.u32.u32 %0, -%1, %2, %3;")
KV(video_479, "vmad.u32.u32.u32.sat %0, %1, %2, -%3;")
KV(video_480, "vmad.u32.u32.u32 %0, %1.h1, %2.b2, %3;")
KV(video_481, "vmad.u32.u32.u32.po.sat.shr7 %0, %1.b0, %2.h0, %3;")
KV(video_482, "vmad.s32.s32.s32 %0, %1, %2, %3;")
KV(video_483, "vmad.s32.s32.s32.sat %0, %1, %2, %3;")
KV(video_484, "vmad.s32.s32.s32.po %0, %1, %2, %3;")
KV(video_485, "vmad.s32.s32.s32.shr7 %0, %1, %2, %3;")
KV(video_486, "vmad.s32.s32.s32.sat.shr15 %0, %1, %2, %3;")
KV(video_487, "vmad.s32.s32.s32 %0, -%1, %2, %3;")
KV(video_488, "vmad.s32.s32.s32.sat %0, %1, %2, -%3;")
KV(video_489, "vmad.s32.s32.s32 %0, %1.h1, %2.b2, %3;")
KV(video_490, "vmad.s32.s32.s32.po.sat.shr7 %0, %1.b0, %2.h0, %3;")
KV(video_491, "vmad.s32.u32.s32 %0, %1, %2, %3;")
KV(video_492, "vmad.s32.u32.s32.sat %0, %1, %2, %3;")
KV(video_493, "vmad.s32.u32.s32.po %0, %1, %2, %3;")
KV(video_494, "vmad.s32.u32.s32.shr7 %0, %1, %2, %3;")
KV(video_495, "vmad.s32.u32.s32.sat.shr15 %0, %1, %2, %3;")
KV(video_496, "vmad.s32.u32.s32 %0, -%1, %2, %3;")
KV(video_497, "vmad.s32.u32.s32.sat %0, %1, %2, -%3;")
KV(video_498, "vmad.s32.u32.s32 %0, %1.h1, %2.b2, %3;")
KV(video_499, "vmad.s32.u32.s32.po.sat.shr7 %0, %1.b0, %2.h0, %3;")
KV(video_500, "vmad.u32.s32.u32 %0, %1, %2, %3;")
KV(video_501, "vmad.u32.s32.u32.sat %0, %1, %2, %3;")
KV(video_502, "vmad.u32.s32.u32.po %0, %1, %2, %3;")
KV(video_503, "vmad.u32.s32.u32.shr7 %0, %1, %2, %3;")
KV(video_504, "vmad.u32.s32.u32.sat.shr15 %0, %1, %2, %3;")
KV(video_505, "vmad.u32.s32.u32 %0, -%1, %2, %3;")
KV(video_506, "vmad.u32.s32.u32.sat %0, %1, %2, -%3;")
KV(video_507, "vmad.u32.s32.u32 %0, %1.h1, %2.b2, %3;")
KV(video_508, "vmad.u32.s32.u32.po.sat.shr7 %0, %1.b0, %2.h0, %3;")
KV(video_509, "vset.u32.u32.eq %0, %1, %2;")
KV(video_510, "vset.s32.s32.eq %0, %1, %2;")
KV(video_511, "vset.s32.u32.eq %0, %1, %2;")
KV(video_512, "vset.u32.s32.eq %0, %1, %2;")
KV(video_513, "vset.u32.u32.ne %0, %1, %2;")
KV(video_514, "vset.s32.s32.ne %0, %1, %2;")
KV(video_515, "vset.s32.u32.ne %0, %1, %2;")
KV(video_516, "vset.u32.s32.ne %0, %1, %2;")
KV(video_517, "vset.u32.u32.lt %0, %1, %2;")
KV(video_518, "vset.s32.s32.lt %0, %1, %2;")
KV(video_519, "vset.s32.u32.lt %0, %1, %2;")
KV(video_520, "vset.u32.s32.lt %0, %1, %2;")
KV(video_521, "vset.u32.u32.le %0, %1, %2;")
KV(video_522, "vset.s32.s32.le %0, %1, %2;")
KV(video_523, "vset.s32.u32.le %0, %1, %2;")
KV(video_524, "vset.u32.s32.le %0, %1, %2;")
KV(video_525, "vset.u32.u32.gt %0, %1, %2;")
KV(video_526, "vset.s32.s32.gt %0, %1, %2;")
KV(video_527, "vset.s32.u32.gt %0, %1, %2;")
KV(video_528, "vset.u32.s32.gt %0, %1, %2;")
KV(video_529, "vset.u32.u32.ge %0, %1, %2;")
KV(video_530, "vset.s32.s32.ge %0, %1, %2;")
KV(video_531, "vset.s32.u32.ge %0, %1, %2;")
KV(video_532, "vset.u32.s32.ge %0, %1, %2;")
KV(video_533, "vset.u32.u32.lt.add %0, %1, %2, %3;")
KV(video_534, "vset.u32.u32.lt.min %0, %1, %2, %3;")
KV(video_535, "vset.u32.u32.lt.max %0, %1, %2, %3;")
KV(video_536, "vset.u32.u32.ge %0.b2, %1, %2, %3;")
KV(video_537, "vset.u32.u32.gt %0, %1.b0, %2.b3;")
KV(video_538, "vset.u32.u32.gt %0, %1.h1, %2.b2;")
KV(video_539, "vset.u32.u32.gt %0, %1.b1, %2.h0;")
KV(video_540, "vset.u32.u32.gt %0, %1.b3, %2.h1;")
KV(video_541, "vset.s32.s32.lt.add %0, %1, %2, %3;")
KV(video_542, "vset.s32.s32.lt.min %0, %1, %2, %3;")
KV(video_543, "vset.s32.s32.lt.max %0, %1, %2, %3;")
KV(video_544, "vset.s32.s32.ge %0.b2, %1, %2, %3;")
KV(video_545, "vset.s32.s32.gt %0, %1.b0, %2.b3;")
KV(video_546, "vset.s32.s32.gt %0, %1.h1, %2.b2;")
KV(video_547, "vset.s32.s32.gt %0, %1.b1, %2.h0;")
KV(video_548, "vset.s32.s32.gt %0, %1.b3, %2.h1;")
// END VIDEO
// END OF KERNELS

// ================================ sweep additions (tests/sweeps) =============================
// Forms the header sweeps (tests/sweeps) found unsupported; golden part h100-sweep.txt.gz
// (CONFORMANCE_FILTER='^sweep'). Names start with "sweep ".
#define SW1(ID, TD, CD, TA, CA, INS, G)                                                    \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    TA a = (TA)A[i];                                                                     \
    TD d;                                                                                \
    asm volatile(INS " %0, %1;" : "=" CD(d) : CA(a));                                    \
    D[i] = (u64)d;                                                                       \
  }                                                                                      \
  static Reg r_##ID("sweep " INS, k_##ID, G);
// cvt from 64-bit integers to f16/bf16, every rounding mode (cuda_fp16.h __ll2half_rn ...).
SW1(sw_cvt_rn_f16_s64, u16, "h", u64, "l", "cvt.rn.f16.s64", G_I2H)
SW1(sw_cvt_rz_f16_s64, u16, "h", u64, "l", "cvt.rz.f16.s64", G_I2H)
SW1(sw_cvt_rm_f16_s64, u16, "h", u64, "l", "cvt.rm.f16.s64", G_I2H)
SW1(sw_cvt_rp_f16_s64, u16, "h", u64, "l", "cvt.rp.f16.s64", G_I2H)
SW1(sw_cvt_rn_f16_u64, u16, "h", u64, "l", "cvt.rn.f16.u64", G_I2H)
SW1(sw_cvt_rz_f16_u64, u16, "h", u64, "l", "cvt.rz.f16.u64", G_I2H)
SW1(sw_cvt_rm_f16_u64, u16, "h", u64, "l", "cvt.rm.f16.u64", G_I2H)
SW1(sw_cvt_rp_f16_u64, u16, "h", u64, "l", "cvt.rp.f16.u64", G_I2H)
SW1(sw_cvt_rn_bf16_s64, u16, "h", u64, "l", "cvt.rn.bf16.s64", G_I2H)
SW1(sw_cvt_rz_bf16_s64, u16, "h", u64, "l", "cvt.rz.bf16.s64", G_I2H)
SW1(sw_cvt_rm_bf16_s64, u16, "h", u64, "l", "cvt.rm.bf16.s64", G_I2H)
SW1(sw_cvt_rp_bf16_s64, u16, "h", u64, "l", "cvt.rp.bf16.s64", G_I2H)
SW1(sw_cvt_rn_bf16_u64, u16, "h", u64, "l", "cvt.rn.bf16.u64", G_I2H)
SW1(sw_cvt_rz_bf16_u64, u16, "h", u64, "l", "cvt.rz.bf16.u64", G_I2H)
SW1(sw_cvt_rm_bf16_u64, u16, "h", u64, "l", "cvt.rm.bf16.u64", G_I2H)
SW1(sw_cvt_rp_bf16_u64, u16, "h", u64, "l", "cvt.rp.bf16.u64", G_I2H)
// f16x2 → e4m3x2/e5m2x2 (sm_89+, one packed source; cuda_fp8.h __nv_cvt_halfraw2_to_fp8x2).
SW1(sw_cvt_e4m3x2_f16x2, u16, "h", u32, "r", "cvt.rn.satfinite.e4m3x2.f16x2", G_F16X2_FP8)
SW1(sw_cvt_relu_e4m3x2_f16x2, u16, "h", u32, "r", "cvt.rn.satfinite.relu.e4m3x2.f16x2", G_F16X2_FP8)
SW1(sw_cvt_e5m2x2_f16x2, u16, "h", u32, "r", "cvt.rn.satfinite.e5m2x2.f16x2", G_F16X2_FP8)
SW1(sw_cvt_relu_e5m2x2_f16x2, u16, "h", u32, "r", "cvt.rn.satfinite.relu.e5m2x2.f16x2", G_F16X2_FP8)

// Special registers cuda::ptx::get_sreg reads that describe the launch, with 1200 and 1100
// bytes of static shared memory: %total_smem_size, %aggr_smem_size, %dynamic_smem_size,
// %reserved_smem_offset_begin/_end/_cap/_0/_1, %current_graph_exec, and whether %clock_hi is
// the high word of %clock64 read just before it. (Shared addresses are compared in
// tests/programs/intrinsics_misc.cu: variables start at 0x400, after the reserved region.)
#define SREGS(ID, WORDS)                                                                   \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    __shared__ u32 buf[WORDS];                                                           \
    buf[threadIdx.x] = (u32)A[i];                                                        \
    u32 r[8];                                                                            \
    u64 g, c64;                                                                          \
    u32 hi;                                                                              \
    asm volatile("mov.u32 %0, %%total_smem_size;" : "=r"(r[0]));                         \
    asm volatile("mov.u32 %0, %%aggr_smem_size;" : "=r"(r[1]));                          \
    asm volatile("mov.u32 %0, %%dynamic_smem_size;" : "=r"(r[2]));                       \
    asm volatile("mov.u32 %0, %%reserved_smem_offset_begin;" : "=r"(r[3]));              \
    asm volatile("mov.u32 %0, %%reserved_smem_offset_end;" : "=r"(r[4]));                \
    asm volatile("mov.u32 %0, %%reserved_smem_offset_cap;" : "=r"(r[5]));                \
    asm volatile("mov.u32 %0, %%reserved_smem_offset_0;" : "=r"(r[6]));                  \
    asm volatile("mov.u32 %0, %%reserved_smem_offset_1;" : "=r"(r[7]));                  \
    asm volatile("mov.u64 %0, %%current_graph_exec;" : "=l"(g));                         \
    asm volatile("mov.u64 %0, %%clock64; mov.u32 %1, %%clock_hi;" : "=l"(c64), "=r"(hi)); \
    __syncthreads();                                                                     \
    for (int k = 0; k < 8; k++) D[11 * i + k] = r[k];                                    \
    D[11 * i + 8] = g;                                                                   \
    D[11 * i + 9] = (hi - (u32)(c64 >> 32)) <= 1;                                        \
    D[11 * i + 10] = buf[threadIdx.x ^ 1];                                               \
  }                                                                                      \
  static Reg r_##ID("sweep special registers " #WORDS " words", k_##ID, G_SW_ONE, 11, 32);
SREGS(sw_sregs300, 300)
SREGS(sw_sregs275, 275)

// mbarrier.{test,try}_wait{.parity}.phase_type::primary (PTX ISA 9.4, sm_90) with and without
// the reportValue operand, and mbarrier.arrive_drop.expect_tx. Each thread owns a barrier:
// expected count 1 + (A&1); it arrives once (completing the phase when the count is 1), then
// waits on the state and on parity 0 and 1; then arrive_drop.expect_tx with B&0xff bytes and a
// complete_tx of them. Outputs: the predicate pairs and report values as bits.
__global__ void k_sw_mbar_phase KSIG {
  IDX;
  __shared__ u64 bars[128];
  u32 bar = (u32)__cvta_generic_to_shared(&bars[threadIdx.x]);
  u32 count = 1 + (u32)(A[i] & 1), tx = (u32)(B[i] & 0xff);
  u32 w[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  u64 st;
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(bar), "r"(count));
  asm volatile("mbarrier.arrive.shared::cta.b64 %0, [%1];" : "=l"(st) : "r"(bar));
  asm volatile(
      "{ .reg .pred p, q; mbarrier.test_wait.phase_type::primary.acquire.cta.shared::cta.b64 p|q, [%2], %3;"
      " selp.u32 %0, 1, 0, p; selp.u32 %1, 1, 0, q; }"
      : "=r"(w[0]), "=r"(w[1]) : "r"(bar), "l"(st));
  asm volatile(
      "{ .reg .pred p, q; .reg .b8 rv; mbarrier.test_wait.phase_type::primary.relaxed.cta.shared::cta.b64 p|q, rv, [%3], %4;"
      " selp.u32 %0, 1, 0, p; selp.u32 %1, 1, 0, q; cvt.u32.u8 %2, rv; }"
      : "=r"(w[2]), "=r"(w[3]), "=r"(w[4]) : "r"(bar), "l"(st));
  for (u32 par = 0; par < 2; par++) {
    u32 p, q, rv;
    asm volatile(
        "{ .reg .pred p, q; mbarrier.test_wait.parity.phase_type::primary.acquire.cluster.shared::cta.b64 p|q, [%2], %3;"
        " selp.u32 %0, 1, 0, p; selp.u32 %1, 1, 0, q; }"
        : "=r"(p), "=r"(q) : "r"(bar), "r"(par));
    w[5] |= (p | q << 1) << (8 * par);
    asm volatile(
        "{ .reg .pred p, q; .reg .b8 rv; mbarrier.try_wait.parity.phase_type::primary.relaxed.cta.shared::cta.b64 p|q, rv, [%3], %4;"
        " selp.u32 %0, 1, 0, p; selp.u32 %1, 1, 0, q; cvt.u32.u8 %2, rv; }"
        : "=r"(p), "=r"(q), "=r"(rv) : "r"(bar), "r"(par));
    w[5] |= (p | q << 1 | rv << 2) << (8 * par + 16);
  }
  {
    u32 p, q, rv;
    asm volatile(
        "{ .reg .pred p, q; .reg .b8 rv; mbarrier.try_wait.phase_type::primary.acquire.cluster.shared::cta.b64 p|q, rv, [%3], %4;"
        " selp.u32 %0, 1, 0, p; selp.u32 %1, 1, 0, q; cvt.u32.u8 %2, rv; }"
        : "=r"(p), "=r"(q), "=r"(rv) : "r"(bar), "l"(st));
    w[6] = p | q << 1 | rv << 2;
  }
  // A fresh phase: arrive_drop.expect_tx (drops this thread from the count too), then
  // complete_tx of the bytes.
  asm volatile("mbarrier.inval.shared::cta.b64 [%0];" ::"r"(bar));
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(bar), "r"(count));
  asm volatile("{ .reg .b64 st2; mbarrier.arrive_drop.expect_tx.release.cta.shared::cta.b64 st2, [%0], %1; }" ::"r"(bar), "r"(tx));
  u32 done0, done1;
  asm volatile("{ .reg .pred p; mbarrier.test_wait.parity.shared::cta.b64 p, [%1], 0; selp.u32 %0, 1, 0, p; }" : "=r"(done0) : "r"(bar));
  asm volatile("mbarrier.complete_tx.relaxed.cta.shared::cta.b64 [%0], %1;" ::"r"(bar), "r"(tx));
  asm volatile("{ .reg .pred p; mbarrier.test_wait.parity.shared::cta.b64 p, [%1], 0; selp.u32 %0, 1, 0, p; }" : "=r"(done1) : "r"(bar));
  w[7] = done0 | done1 << 1;
  for (int k = 0; k < 8; k++) D[8 * i + k] = w[k];
}
static Reg r_sw_mbar_phase("sweep mbarrier phase_type / arrive_drop.expect_tx", k_sw_mbar_phase, G_SW_MBAR, 8);

// __nv_aligned_device_malloc (call __cuda_syscall_aligned_malloc): A = alignment, B = size;
// outputs whether it returned NULL and the pointer's offset from the alignment (from 16 when
// the alignment is not a power of two); the block is freed again.
__global__ void k_sw_aligned_malloc KSIG {
  IDX;
  size_t al = (size_t)A[i], size = (size_t)B[i];
  void* p = __nv_aligned_device_malloc(size, al);
  size_t m = (al && !(al & (al - 1))) ? al : 16;
  D[2 * i] = p == nullptr;
  D[2 * i + 1] = (u64)((size_t)p % m);
  free(p);
}
static Reg r_sw_aligned_malloc("sweep __nv_aligned_device_malloc", k_sw_aligned_malloc, G_SW_MALLOC, 2, 32);

// red.async / st.async (PTX ISA 9.7.13.7, 9.7.9.12; sm_90) on the own CTA's shared memory
// through a shared::cluster address, in a cluster of one CTA (__cluster_dims__): each thread owns a word (A) and an mbarrier expecting the
// operation's bytes; the reduction with B (st.async: the store of B, B+1, ...); outputs
// whether the phase completed within the polls and the word(s) after it.
#define RED_ASYNC(ID, TYPE, CT, CC) RED_ASYNC_(ID, TYPE, CT, CC, __cluster_dims__(1, 1, 1), "sweep")
#define RED_ASYNC_(ID, TYPE, CT, CC, ATTR, PREFIX)                                         \
  __global__ void ATTR k_##ID KSIG {                                                     \
    IDX;                                                                                 \
    __shared__ u64 words[128], bars[128];                                                \
    CT* w = (CT*)&words[threadIdx.x];                                                    \
    *w = (CT)A[i];                                                                       \
    u32 wa = (u32)__cvta_generic_to_shared(w), ba = (u32)__cvta_generic_to_shared(&bars[threadIdx.x]); \
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(ba));                     \
    asm volatile("fence.proxy.async.shared::cta;");                                      \
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(ba), "r"((u32)sizeof(CT))); \
    asm volatile("red.async.relaxed.cluster.shared::cluster.mbarrier::complete_tx::bytes" TYPE " [%0], %1, [%2];" \
                 ::"r"(wa), CC((CT)B[i]), "r"(ba) : "memory");                          \
    u32 done = 0;                                                                        \
    for (int k = 0; k < 16 && !done; k++)                                              \
      asm volatile("{ .reg .pred p; mbarrier.try_wait.parity.shared::cta.b64 p, [%1], 0, 1000; selp.u32 %0, 1, 0, p; }" \
                   : "=r"(done) : "r"(ba));                                             \
    D[2 * i] = done;                                                                     \
    D[2 * i + 1] = (u64)*w;                                                              \
  }                                                                                      \
  static Reg r_##ID(PREFIX " red.async" TYPE, k_##ID, G_SW_RED, 2);
RED_ASYNC(sw_red_async_inc_u32, ".inc.u32", u32, "r")
RED_ASYNC(sw_red_async_dec_u32, ".dec.u32", u32, "r")
RED_ASYNC(sw_red_async_min_u32, ".min.u32", u32, "r")
RED_ASYNC(sw_red_async_max_u32, ".max.u32", u32, "r")
RED_ASYNC(sw_red_async_add_u32, ".add.u32", u32, "r")
RED_ASYNC(sw_red_async_min_s32, ".min.s32", u32, "r")
RED_ASYNC(sw_red_async_max_s32, ".max.s32", u32, "r")
RED_ASYNC(sw_red_async_add_s32, ".add.s32", u32, "r")
RED_ASYNC(sw_red_async_and_b32, ".and.b32", u32, "r")
RED_ASYNC(sw_red_async_or_b32, ".or.b32", u32, "r")
RED_ASYNC(sw_red_async_xor_b32, ".xor.b32", u32, "r")
RED_ASYNC(sw_red_async_add_u64, ".add.u64", u64, "l")
#define ST_ASYNC(ID, TYPE, CT, CC, N, OPS) ST_ASYNC_(ID, TYPE, CT, CC, N, OPS, __cluster_dims__(1, 1, 1), "sweep")
#define ST_ASYNC_(ID, TYPE, CT, CC, N, OPS, ATTR, PREFIX)                                  \
  __global__ void ATTR k_##ID KSIG {                                                     \
    IDX;                                                                                 \
    __shared__ __align__(16) u64 words[128][2];                                          \
    __shared__ u64 bars[128];                                                            \
    words[threadIdx.x][0] = words[threadIdx.x][1] = 0xdddddddddddddddd;                  \
    CT b0 = (CT)B[i], b1 = b0 + 1, b2 = b0 + 2, b3 = b0 + 3;                              \
    (void)b1; (void)b2; (void)b3;                                                        \
    u32 wa = (u32)__cvta_generic_to_shared(words[threadIdx.x]), ba = (u32)__cvta_generic_to_shared(&bars[threadIdx.x]); \
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(ba));                     \
    asm volatile("fence.proxy.async.shared::cta;");                                      \
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(ba), "r"((u32)(N * sizeof(CT)))); \
    asm volatile("st.async.weak.shared::cluster.mbarrier::complete_tx::bytes" TYPE " [%0], " OPS ", [%1];" \
                 ::"r"(wa), "r"(ba), CC(b0), CC(b1), CC(b2), CC(b3) : "memory");         \
    u32 done = 0;                                                                        \
    for (int k = 0; k < 16 && !done; k++)                                              \
      asm volatile("{ .reg .pred p; mbarrier.try_wait.parity.shared::cta.b64 p, [%1], 0, 1000; selp.u32 %0, 1, 0, p; }" \
                   : "=r"(done) : "r"(ba));                                             \
    D[3 * i] = done;                                                                     \
    D[3 * i + 1] = words[threadIdx.x][0];                                                \
    D[3 * i + 2] = words[threadIdx.x][1];                                                \
  }                                                                                      \
  static Reg r_##ID(PREFIX " st.async" TYPE, k_##ID, G_SW_RED, 3);
ST_ASYNC(sw_st_async_b32, ".b32", u32, "r", 1, "%2")
ST_ASYNC(sw_st_async_b64, ".b64", u64, "l", 1, "%2")
ST_ASYNC(sw_st_async_v2_b32, ".v2.b32", u32, "r", 2, "{%2, %3}")
ST_ASYNC(sw_st_async_v4_b32, ".v4.b32", u32, "r", 4, "{%2, %3, %4, %5}")
ST_ASYNC(sw_st_async_v2_b64, ".v2.b64", u64, "l", 2, "{%2, %3}")
// Without an explicit cluster launch (no __cluster_dims__) both stop the H100 with an illegal
// instruction (probed when the golden was recorded, as RED_ASYNC_/ST_ASYNC_ with an empty ATTR);
// cuemu raises the same launch failure (a sticky error, so no test here).

// mbarrier.init.layout::v0/v1 and mbarrier.check_layout (PTX ISA 9.4, sm_90): each thread
// initializes its barrier plainly (A%3 == 0), with layout::v0 (1) or layout::v1 (2), with an
// expected count of 1 + (A/3 & 1); outputs check_layout v0 | v1 << 1, then after one arrive
// whether the phase completed (<< 2), then check_layout again after the phase (<< 4).
__global__ void k_sw_mbar_layout KSIG {
  IDX;
  __shared__ u64 bars[128];
  u32 bar = (u32)__cvta_generic_to_shared(&bars[threadIdx.x]);
  u32 kind = (u32)(A[i] % 3), count = 1 + (u32)(A[i] / 3 & 1), c0, c1, c2, c3, done;
  if (kind == 0) asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(bar), "r"(count));
  if (kind == 1) asm volatile("mbarrier.init.layout::v0.shared.b64 [%0], %1;" ::"r"(bar), "r"(count));
  if (kind == 2) asm volatile("mbarrier.init.layout::v1.shared.b64 [%0], %1;" ::"r"(bar), "r"(count));
  asm volatile("{ .reg .pred p; mbarrier.check_layout.layout::v0.shared::cta.b64 p, [%1]; selp.u32 %0, 1, 0, p; }" : "=r"(c0) : "r"(bar));
  asm volatile("{ .reg .pred p; mbarrier.check_layout.layout::v1.shared::cta.b64 p, [%1]; selp.u32 %0, 1, 0, p; }" : "=r"(c1) : "r"(bar));
  asm volatile("{ .reg .b64 st; mbarrier.arrive.shared::cta.b64 st, [%0]; }" ::"r"(bar));
  asm volatile("{ .reg .pred p; mbarrier.test_wait.parity.shared::cta.b64 p, [%1], 0; selp.u32 %0, 1, 0, p; }" : "=r"(done) : "r"(bar));
  asm volatile("{ .reg .pred p; mbarrier.check_layout.layout::v0.shared::cta.b64 p, [%1]; selp.u32 %0, 1, 0, p; }" : "=r"(c2) : "r"(bar));
  asm volatile("{ .reg .pred p; mbarrier.check_layout.layout::v1.shared::cta.b64 p, [%1]; selp.u32 %0, 1, 0, p; }" : "=r"(c3) : "r"(bar));
  D[i] = c0 | c1 << 1 | done << 2 | c2 << 4 | c3 << 5;
}
static Reg r_sw_mbar_layout("sweep mbarrier.init.layout / check_layout", k_sw_mbar_layout, G_SW_ONE, 1, 32);

// cp.async.bulk.shared::cta.global.mbarrier::complete_tx::bytes.ignore_oob (PTX ISA 9.2,
// sm_90): one thread per block; A = size | ignoreBytesLeft << 8 | ignoreBytesRight << 16 |
// src offset (in 16 bytes) << 24; the source is the C array (a byte pattern); the destination
// 96 shared bytes pre-filled with 0xdd. The barrier expects `size` bytes (B = 0) or
// size - left - right (B = 1). Outputs: whether the phase completed within the polls, then
// the 96 destination bytes.
__global__ void k_sw_bulk_ignore_oob KSIG {
  IDX;
  __shared__ __align__(128) unsigned char dst[96];
  __shared__ u64 bar;
  u32 size = (u32)(A[i] & 0xff), left = (u32)(A[i] >> 8 & 0xff), right = (u32)(A[i] >> 16 & 0xff);
  const char* src = (const char*)C + 16 * (A[i] >> 24 & 0xff);
  for (int k = 0; k < 96; k++) dst[k] = 0xdd;
  u32 b = (u32)__cvta_generic_to_shared(&bar), d = (u32)__cvta_generic_to_shared(dst);
  u32 expect = B[i] ? size - left - right : size;
  asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(b));
  asm volatile("fence.proxy.async.shared::cta;");
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(b), "r"(expect));
  asm volatile("cp.async.bulk.shared::cta.global.mbarrier::complete_tx::bytes.ignore_oob [%0], [%1], %2, %3, %4, [%5];"
               ::"r"(d), "l"(src), "r"(size), "r"(left), "r"(right), "r"(b) : "memory");
  u32 done = 0;
  for (int k = 0; k < 16 && !done; k++)
    asm volatile("{ .reg .pred p; mbarrier.try_wait.parity.shared::cta.b64 p, [%1], 0, 1000; selp.u32 %0, 1, 0, p; }"
                 : "=r"(done) : "r"(b));
  if (!done) __nanosleep(100000);  // (the H100's copy has landed by then)
  D[13 * i] = done;
  for (int k = 0; k < 12; k++) {
    u64 v;
    memcpy(&v, dst + 8 * k, 8);
    D[13 * i + 1 + k] = v;
  }
}
static Reg r_sw_bulk_ignore_oob("sweep cp.async.bulk.ignore_oob", k_sw_bulk_ignore_oob, G_SW_BULK, 13, 1);

// ================================ inputs =====================================================
static const u32 I32[] = {0, 1, 2, 3, 7, 31, 32, 33, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
                          0x12345678, 0x7fffffff, 0x80000000, 0x80000001, 0xdeadbeef, 0x00ff00ff, 0xf0f0f0f0,
                          0xfffffff0, 0xfffffffe, 0xffffffff};
static const u64 I64[] = {0, 1, 2, 3, 10, 63, 64, 0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull,
                          0x123456789abcdef0ull, 0xdeadbeefcafebabeull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                          0x8000000000000001ull, 0xffffffff00000000ull, 0xfffffffffffffffeull, 0xffffffffffffffffull};
static const u16 I16[] = {0, 1, 2, 15, 16, 17, 0x7f, 0x80, 0xff, 0x1234, 0x7fff, 0x8000, 0x8001, 0xbeef, 0xfffe, 0xffff};
static const u32 SH[] = {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 255, 256, 0x80000000, 0xffffffff};
static const u32 F32[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3eaaaaab,
    0x40490fdb, 0x3f800001, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000,
    0x7fc00000, 0x7fc12345, 0x7f800001, 0xffc00000, 0x4b000000, 0x477fe000, 0x477ff000, 0x33800000, 0x4f000000,
    0xcf000000, 0x3dcccccd, 0x1e3ce508, 0x7e967699, 0x3effffff};
// F32 subsets for binary / ternary ops (the full list for unary ones).
static const u32 F32B[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0x3eaaaaab,
                           0x3f800001, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x7f800000,
                           0xff800000, 0x7fc12345, 0x7f800001, 0xffc00000, 0x4b000000, 0x33800000, 0x1e3ce508, 0x3dcccccd};
static const u32 F32C[] = {0x00000000, 0x80000000, 0xbf800000, 0x33800000, 0x00800000, 0x7f800000, 0x7fc00000};
static const u32 F32I[] = {0x00000000, 0x80000000, 0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, 0xc0200000,
                           0x3f7fffff, 0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f800000, 0x4f7fffff,
                           0x5f000000, 0xdf000000, 0x5f800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc12345,
                           0x00000001, 0x437f0000, 0x43800000, 0x477fff00, 0xc7000000, 0xc7000080, 0x4b000001,
                           0x3f800000, 0xbfc00000, 0x40600000, 0x46fffe00};
static const u64 F64[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3ff8000000000000ull,
    0x4004000000000000ull, 0x3fd5555555555555ull, 0x3ff0000000000001ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0x7ff8000000012345ull, 0x7ff0000000000001ull, 0x36a0000000000000ull, 0x47efffffe0000000ull,
    0x47effffff0000000ull, 0x3810000000000000ull, 0x380fffffffffffffull, 0x3e70000000000000ull, 0x40f0000100000001ull,
    0x3fefffffffffffffull};
static const u64 F64I[] = {0, 0x8000000000000000ull, 0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3ff8000000000000ull,
                           0x4004000000000000ull, 0xc004000000000000ull, 0x41dfffffffc00000ull, 0x41e0000000000000ull,
                           0xc1e0000000000000ull, 0xc1e0000000200000ull, 0x41f0000000000000ull, 0x43e0000000000000ull,
                           0xc3e0000000000000ull, 0x43f0000000000000ull, 0x7ff0000000000000ull, 0xfff8000000000000ull,
                           0x4330000000000001ull, 0x0000000000000001ull};
static const u16 F16[] = {0x0000, 0x8000, 0x3c00, 0xbc00, 0x3800, 0x3e00, 0x4100, 0xc100, 0x3555, 0x3c01, 0x0001,
                          0x83ff, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7e55, 0x7c01, 0xfe00, 0x5bff, 0x1400};
static const u16 BF16[] = {0x0000, 0x8000, 0x3f80, 0xbf80, 0x3f00, 0x3fc0, 0x4020, 0xc020, 0x3eab, 0x3f81, 0x0001,
                           0x807f, 0x0080, 0x7f7f, 0xff7f, 0x7f80, 0xff80, 0x7fc0, 0x7fc5, 0x7f81, 0xffc0, 0x4b00, 0x3380};

template <class T, size_t N> static std::vector<u64> V(const T (&a)[N]) { return std::vector<u64>(a, a + N); }

struct Inputs {
  std::vector<u64> a, b, c;
};
static void pairs(Inputs& in, const std::vector<u64>& x, const std::vector<u64>& y) {
  for (u64 p : x)
    for (u64 q : y) {
      in.a.push_back(p);
      in.b.push_back(q);
      in.c.push_back(0);
    }
}
static void triples(Inputs& in, const std::vector<u64>& x, const std::vector<u64>& y, const std::vector<u64>& z) {
  for (u64 r : z)
    for (u64 p : x)
      for (u64 q : y) {
        in.a.push_back(p);
        in.b.push_back(q);
        in.c.push_back(r);
      }
}
static void singles(Inputs& in, const std::vector<u64>& x) {
  for (u64 p : x) {
    in.a.push_back(p);
    in.b.push_back(0);
    in.c.push_back(0);
  }
}
static u64 rng_state = 0x9e3779b97f4a7c15ull;
static u64 rnd() {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}
// packed pairs: element k of the list in the low half, element k+5 (mod n) in the high half
static std::vector<u64> x2(const std::vector<u64>& v) {
  std::vector<u64> r;
  for (size_t k = 0; k < v.size(); k++) r.push_back(v[k] | (v[(k + 5) % v.size()] << 16));
  return r;
}
static std::vector<u64> first(const std::vector<u64>& v, size_t n) { return std::vector<u64>(v.begin(), v.begin() + (n < v.size() ? n : v.size())); }
// small-integer halves/bf16 for exact mma results
static u16 small_f16(int x) {
  static const u16 t[] = {0x0000, 0x3c00, 0x4000, 0x4200, 0x4400, 0xbc00, 0xc000, 0xc200, 0x3800, 0xb800, 0x4500, 0x8000};
  return t[x % 12];
}
static u16 small_bf16(int x) {
  static const u16 t[] = {0x0000, 0x3f80, 0x4000, 0x4040, 0x4080, 0xbf80, 0xc000, 0xc040, 0x3f00, 0xbf00, 0x40a0, 0x8000};
  return t[x % 12];
}

// Element generators for the generated mma kernels; type codes as in src/exec/matrix.rs.
enum { MT_F16, MT_BF16, MT_TF32, MT_F32, MT_F64, MT_S8, MT_U8, MT_S4, MT_U4, MT_B1, MT_E4M3, MT_E5M2, MT_S32 };
static u64 mma_rng = 1;
static u64 mr() {
  mma_rng ^= mma_rng << 13;
  mma_rng ^= mma_rng >> 7;
  mma_rng ^= mma_rng << 17;
  return mma_rng;
}
template <size_t N>
static u64 pick(const u64 (&t)[N]) { return t[mr() % N]; }
// one element's bits: mode 0 small exact values, 1 random moderate values, 2 edge cases
static u32 mma_elem(int ty, int mode) {
  u32 s = (u32)(mr() & 1);
  switch (ty) {
    case MT_F16: {
      static const u64 sp[] = {0x7c00, 0xfc00, 0x7e00, 0x7d55, 0x8000, 0x0001, 0x03ff, 0x7bff, 0xfbff, 0x0000};
      if (mode == 0) return small_f16((int)(mr() % 12));
      if (mode == 1 || mr() % 4) return s << 15 | (u32)(mode == 1 ? 0x3400 + mr() % 0xc00 : mr() % 0x7c00);
      return (u32)pick(sp);
    }
    case MT_BF16: {
      static const u64 sp[] = {0x7f80, 0xff80, 0x7fc0, 0x7fa5, 0x8000, 0x0001, 0x007f, 0x7f7f, 0xff7f, 0x0000};
      if (mode == 0) return small_bf16((int)(mr() % 12));
      if (mode == 1 || mr() % 4) return s << 15 | (u32)(mode == 1 ? 0x3e00 + mr() % 0x180 : 0x3000 + mr() % 0x1800);
      return (u32)pick(sp);
    }
    case MT_TF32: {
      // low 13 bits set at random: the tensor cores ignore them
      static const u64 sm[] = {0x00000000, 0x3f800000, 0x40000000, 0x40400000, 0x40800000, 0xbf800000,
                               0xc0000000, 0xc0400000, 0x3f000000, 0xbf000000, 0x40a00000, 0x80000000};
      static const u64 sp[] = {0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x7f801000, 0x80000000,
                               0x00000001, 0x00400000, 0x7f7fffff, 0x7f7fe000, 0xff7fffff};
      if (mode == 0) return (u32)pick(sm) | (u32)(mr() & 0x1fff);
      if (mode == 1 || mr() % 4) return s << 31 | (u32)(mode == 1 ? 0x3f000000 + mr() % 0x1000000 : 0x30000000 + mr() % 0x1c000000);
      return (u32)pick(sp);
    }
    case MT_F32: {
      static const u64 sp[] = {0x7fc00000, 0x7fa00000, 0xffc12345, 0x7f800000, 0xff800000, 0x80000000,
                               0x7f7fffff, 0xff7fffff, 0x00000001, 0x00800000, 0x4b800000};
      if (mode == 0) {
        float f = (float)((int)(mr() % 17) - 8);
        u32 b;
        memcpy(&b, &f, 4);
        return b;
      }
      if (mode == 1 || mr() % 3) return s << 31 | (u32)(0x3e800000 + mr() % 0x1800000);
      return (u32)pick(sp);
    }
    case MT_E4M3: {
      static const u64 sm[] = {0x00, 0x38, 0x40, 0x44, 0x30, 0xb8, 0xc0, 0x48, 0x80, 0xb0};
      if (mode == 0) return (u32)pick(sm);
      u32 b = (u32)(mr() & 0xff);
      if (mode == 1 && (b & 0x7f) == 0x7f) b ^= 1;
      return b;
    }
    case MT_E5M2: {
      static const u64 sm[] = {0x00, 0x3c, 0x40, 0x42, 0x38, 0xbc, 0xc0, 0x44, 0x80, 0xb8};
      if (mode == 0) return (u32)pick(sm);
      u32 b = (u32)(mr() & 0xff);
      if (mode == 1 && (b & 0x7c) == 0x7c) b ^= 0x40;
      return b;
    }
    case MT_S32: {
      static const u64 sp[] = {0x7fffffff, 0x80000000, 0x7ffffff0, 0x80000005, 0x7fff0000, 0x80010000};
      if (mode == 0) return (u32)((int)(mr() % 201) - 100);
      if (mode == 1 || mr() % 2) return (u32)mr();
      return (u32)pick(sp);
    }
  }
  return 0;
}
static const int MT_BITS[] = {16, 16, 32, 32, 64, 8, 8, 4, 4, 1, 8, 8, 32};
static u32 mma_word(int ty, int mode) {
  if (ty == MT_S8 || ty == MT_U8 || ty == MT_S4 || ty == MT_U4 || ty == MT_B1) {
    static const u64 sp[] = {0x7f7f7f7f, 0x80808080, 0xffffffff, 0x77777777, 0x88888888, 0x7f7f8080};
    if (mode < 2 || mr() % 3 == 0) return (u32)mr();
    return (u32)pick(sp);
  }
  int bits = MT_BITS[ty];
  u32 w = 0;
  for (int j = 0; j < 32 / bits; j++) w |= mma_elem(ty, mode) << (j * bits);
  return w;
}
static u64 mma_f64(int mode) {
  static const u64 sp[] = {0x7ff8000000000000ull, 0x7ff4000000000001ull, 0xfff8000000000123ull, 0x7ff0000000000000ull,
                           0xfff0000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x000fffffffffffffull,
                           0x7fefffffffffffffull, 0x7e37e43c8800759cull, 0x01a56e1fc2f8f359ull};
  u64 s = mr() & 1;
  if (mode == 0) {
    double d = (double)((int)(mr() % 9) - 4) * ((mr() & 1) ? 0.5 : 1.0);
    u64 b;
    memcpy(&b, &d, 8);
    return b;
  }
  if (mode == 1) return s << 63 | (0x3fe0000000000000ull + mr() % 0x0020000000000000ull);
  if (mr() % 4 == 0) return pick(sp);
  return s << 63 | (900 + mr() % 250) << 52 | (mr() & 0xfffffffffffffull);
}

// The metadata word of `lane` for a sparse form: valid chunk values in the lanes the selector
// names, anything (also the values PTX calls invalid) in the others, which the H100 ignores.
static u32 mma_metadata(const MmaSpec& sp, int lane) {
  int q = lane % 4;
  bool holds = sp.meta_threads == 4 || (sp.meta_threads == 2 ? q / 2 == sp.sel : q == sp.sel);
  if (!holds) return (u32)mr();
  static const u64 any[] = {0x4, 0x8, 0xc, 0x9, 0xd, 0xe, 0x1, 0x2, 0x3, 0x6, 0x7, 0xb};
  static const u64 inc[] = {0x4, 0x8, 0xc, 0x9, 0xd, 0xe};
  static const u64 tf32[] = {0x4, 0xe};
  u32 w = 0;
  for (int j = 0; j < 8; j++) w |= (u32)(sp.meta == 1 ? pick(any) : sp.meta == 2 ? pick(inc) : pick(tf32)) << (4 * j);
  return w;
}

static Inputs make_inputs(const Test& t) {
  Inputs in;
  std::vector<u64> i32 = V(I32), i64 = V(I64), i16 = V(I16), sh = V(SH), f32 = V(F32), f32b = V(F32B), f32c = V(F32C),
                   f64 = V(F64), f16 = V(F16), bf16 = V(BF16);
  std::string name = t.name;
  bool is_bf = name.find("bf16") != std::string::npos;
  switch (t.gen) {
    case G_I32_1: singles(in, i32); break;
    case G_I32_2: pairs(in, i32, i32); break;
    case G_I32_3: {
      std::vector<u64> t = {0, 1, 2, 7, 0x80, 0xffff, 0x10000, 0x12345678, 0x7fffffff, 0x80000000, 0x80000001, 0xdeadbeef,
                            0xfffffff0, 0xfffffffe, 0xffffffff};
      triples(in, t, t, {0, 1, 0x7fffffff, 0x80000000, 0xffffffff});
      break;
    }
    case G_I64_1: singles(in, i64); break;
    case G_I64_2: pairs(in, i64, i64); break;
    case G_I64_3: triples(in, i64, i64, {0, 1, 0xffffffffffffffffull}); break;
    case G_I16_1: singles(in, i16); break;
    case G_I16_2: pairs(in, i16, i16); break;
    case G_I16_3: triples(in, i16, i16, {0, 1, 0xffff}); break;
    case G_SH32: pairs(in, {1, 0x80000000, 0xdeadbeef, 0x7fffffff, 0xffffffff}, sh); break;
    case G_SH64: pairs(in, {1, 0x8000000000000000ull, 0xdeadbeefcafebabeull, 0xffffffffffffffffull}, sh); break;
    case G_SH16: pairs(in, {1, 0x8000, 0xbeef, 0x7fff}, sh); break;
    case G_SHF: triples(in, {0x89abcdef, 0xffffffff}, {0x01234567, 0x80000000}, sh); break;
    case G_BFE32:
      triples(in, {0xdeadbeef, 0x7edcba98, 0xffffffff, 0x80000000, 0x00000001}, {0, 1, 4, 8, 15, 31, 32, 33, 255, 256, 0x101},
              {0, 1, 4, 8, 16, 17, 31, 32, 33, 255, 256, 0x108});
      break;
    case G_BFE64:
      triples(in, {0xdeadbeefcafebabeull, 0x8000000000000000ull, 1}, {0, 1, 8, 31, 32, 33, 63, 64, 65, 255, 256},
              {0, 1, 8, 32, 33, 63, 64, 65, 255, 256});
      break;
    case G_BFI32:
    case G_BFI64: {
      std::vector<u64> pl;
      for (u64 p : {0, 1, 4, 8, 16, 31, 32, 33, 63, 64, 255, 256})
        for (u64 l : {0, 1, 4, 8, 16, 31, 32, 33, 64, 255, 256}) pl.push_back(p | (l << 32));
      if (t.gen == G_BFI32) triples(in, {0xdeadbeef, 0xffffffff}, {0x01234567}, pl);
      else triples(in, {0xdeadbeefcafebabeull}, {0x0123456789abcdefull, 0}, pl);
      break;
    }
    case G_PRMT: {
      std::vector<u64> sel;
      for (u64 s = 0; s < 16; s++) sel.push_back(s * 0x1111);
      for (u64 s = 0; s < 16; s++) sel.push_back(s | ((s + 3) % 16) << 4 | ((s + 7) % 16) << 8 | ((s + 12) % 16) << 12 | 0xabcd0000);
      for (int k = 0; k < 16; k++) sel.push_back(rnd() & 0xffffffff);
      triples(in, {0x83028100, 0x33221100}, {0x87068504, 0xf7f6f5f4}, sel);
      break;
    }
    case G_PRMTM: {
      std::vector<u64> sel;
      for (u64 s = 0; s < 8; s++) sel.push_back(s);
      for (u64 s = 0; s < 8; s++) sel.push_back(s | 0x12345670);
      triples(in, {0x83028100, 0x33221100}, {0x87068504, 0xf7f6f5f4}, sel);
      break;
    }
    case G_FNS: {
      std::vector<u64> off;
      for (int o : {0, 1, 2, 3, 5, 16, 31, 32, 33, -1, -2, -3, -32, -33}) off.push_back((u32)o);
      triples(in, {0, 0xffffffff, 0x80000001, 0x12345678, 0xaaaaaaaa}, {0, 1, 5, 16, 31, 32, 0xffffffff}, off);
      break;
    }
    case G_DP: {
      std::vector<u64> v = {0, 0x01020304, 0x7f7f7f7f, 0x80808080, 0xffffffff, 0x8001ff7f, 0x12345678, 0xfedcba98};
      triples(in, v, v, {0, 1, 0x7fffffff, 0x80000000, 0xffffffff});
      break;
    }
    case G_BMSK: pairs(in, {0, 1, 5, 16, 31, 32, 33, 255, 0xffffffff}, {0, 1, 3, 16, 31, 32, 33, 64, 255, 0x80000000}); break;
    case G_SZEXT: pairs(in, {0xdeadbeef, 0x00000080, 0x7fffffff, 0x80000000, 0xffffffff, 0x5}, {0, 1, 3, 4, 8, 16, 31, 32, 33, 63, 64, 255}); break;
    case G_MIX64: {
      std::vector<u64> v = {0, 1, 0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                            0xffffffffffffffffull, 0xdeadbeefcafebabeull, 0x00000001ffffffffull};
      triples(in, v, v, {0, 0xffffffff, 0x12345678});
      break;
    }
    case G_F32_1: singles(in, f32); break;
    case G_F32_2: pairs(in, f32b, f32b); break;
    case G_F32_3: triples(in, first(f32b, 16), first(f32b, 16), f32c); break;
    case G_F32I: singles(in, V(F32I)); break;
    case G_F64_1: singles(in, f64); break;
    case G_F64_2: pairs(in, f64, f64); break;
    case G_F64_3: triples(in, first(f64, 16), first(f64, 16), {0, 0x8000000000000000ull, 0xbff0000000000000ull, 0x3ca0000000000000ull, 0x7ff0000000000000ull}); break;
    case G_F64I: singles(in, V(F64I)); break;
    case G_F16_1: singles(in, f16); break;
    case G_F16_2: pairs(in, f16, f16); break;
    case G_F16_3: triples(in, first(f16, 16), first(f16, 16), {0x0000, 0x8000, 0xbc00, 0x0001, 0x7c00, 0x7e00}); break;
    case G_F16X2_1: singles(in, x2(f16)); break;
    case G_F16X2_2: pairs(in, x2(f16), x2(f16)); break;
    case G_F16X2_3: triples(in, first(x2(f16), 16), first(x2(f16), 16), {0x00000000, 0x8000bc00, 0x00017c00, 0x7e000001}); break;
    case G_BF16_1: singles(in, bf16); break;
    case G_BF16_2: pairs(in, bf16, bf16); break;
    case G_BF16_3: triples(in, first(bf16, 16), first(bf16, 16), {0x0000, 0x8000, 0xbf80, 0x0001, 0x7f80, 0x7fc0}); break;
    case G_BF16X2_1: singles(in, x2(bf16)); break;
    case G_BF16X2_2: pairs(in, x2(bf16), x2(bf16)); break;
    case G_BF16X2_3: triples(in, first(x2(bf16), 16), first(x2(bf16), 16), {0x00000000, 0x8000bf80, 0x00017f80, 0x7fc00001}); break;
    case G_F32PAIR: {
      std::vector<u64> x = f32;
      // values around f16/bf16/fp8 rounding boundaries
      for (u64 v : {0x477fefff, 0x477ff001, 0x38000000, 0x387fc000, 0x33000000, 0x33000001, 0x3f808000, 0x3f818000,
                    0x3f808001, 0x43e00000, 0x43f00000, 0x47600000, 0x47700000, 0x3b000000, 0x3a800000, 0x37800000})
        x.push_back(v);
      pairs(in, x, {0x3f800000, 0xc0200000, 0x7fc00000});
      break;
    }
    case G_E4M3X2: {
      std::vector<u64> v;
      for (u64 k = 0; k < 256; k++) v.push_back(k | ((255 - k) << 8));
      singles(in, v);
      break;
    }
    case G_LOP3: triples(in, {0xf0f0f0f0, 0x12345678}, {0xcccccccc}, {0xaaaaaaaa, 0x0f0f0f0f}); break;
    case G_WARP_SHFL:
    case G_WARP_SHFL_PART: {
      std::vector<u64> bs = {0, 1, 2, 5, 16, 31, 33}, cs = {0x1f, 0x0, 0x1c1f, 0x181f, 0x101f, 0x1800, 0x9, 0x1c03};
      if (t.gen == G_WARP_SHFL_PART) bs = {1, 2, 3, 16}, cs = {0x1f, 0x181f, 0x0};
      int w = 0;
      for (u64 b : bs)
        for (u64 c : cs) {
          for (int l = 0; l < 32; l++) {
            u64 lb = name.find("idx") != std::string::npos ? (b + l * 5) % 64 : b;
            u64 inactive = t.gen == G_WARP_SHFL_PART ? (((l * 7 + w) % 5) == 0) : 0;
            in.a.push_back(0x1000 * w + l + 0xa0000000);
            in.b.push_back(t.gen == G_WARP_SHFL_PART ? (lb << 1 | inactive) : lb);
            in.c.push_back(c);
          }
          w++;
        }
      break;
    }
    case G_WARP_VAL:
      for (int l = 0; l < 32; l++) {
        in.a.push_back(0xc0de0000 + l * 3);
        in.b.push_back(0);
        in.c.push_back(0);
      }
      break;
    case G_WARP_PRED: {
      // warps: full/partial membership x predicate patterns
      u32 act[] = {0, 0xffffffff, 0x55555555, 0x0000ffff, 0x80000001, 0xfffffffe, 0x00000400};
      for (u32 inact : act)
        for (int pat = 0; pat < 5; pat++)
          for (int l = 0; l < 32; l++) {
            u64 p;
            switch (pat) {
              case 0: p = 0; break;
              case 1: p = 1; break;
              case 2: p = l & 1; break;
              case 3: p = (l % 3) == 0; break;
              default: p = (l == 31) ? 1 : 0; break;
            }
            u32 val = (pat == 4) ? 0x7fffffff : (u32)(rnd() & 0x8000001f);
            in.a.push_back((p & 1) | (val & ~1u) | ((l & 2) << 3));
            in.b.push_back((inact >> l) & 1 && inact != 0xffffffff ? 1 : 0);
            in.c.push_back(0);
          }
      break;
    }
    case G_BARRED:
      for (int blk = 0; blk < 6; blk++)
        for (int l = 0; l < 64; l++) {
          u64 p = blk == 0 ? 0 : blk == 1 ? 1 : blk == 2 ? (l & 1) : blk == 3 ? (l == 63) : blk == 4 ? (l != 5) : (l < 32);
          in.a.push_back(p);
          in.b.push_back(0);
          in.c.push_back(0);
        }
      break;
    case G_MMA_INT:
    case G_MMA_RAND:
      for (int w = 0; w < 3; w++)
        for (int l = 0; l < 32; l++) {
          u64 h[6][2];
          for (int r = 0; r < 6; r++)
            for (int e = 0; e < 2; e++) {
              int x = (int)((l * 12 + r * 2 + e) * 7 + w * 5 + (int)(rnd() % 3));
              if (t.gen == G_MMA_INT) h[r][e] = is_bf ? small_bf16(x) : small_f16(x);
              else {
                // random in (-2, 2): f16 exponents 13..15 / bf16 exponents 125..127
                u64 m = rnd();
                h[r][e] = is_bf ? ((m & 0x8000) | (0x3e00 + (m >> 20) % 0x180)) : ((m & 0x8000) | (0x3400 + (m >> 20) % 0xc00));
              }
            }
          u64 reg[6];
          for (int r = 0; r < 6; r++) reg[r] = h[r][0] | (h[r][1] << 16);
          in.a.push_back(reg[0] | (reg[1] << 32));
          in.b.push_back(reg[2] | (reg[3] << 32));
          in.c.push_back(reg[4] | (reg[5] << 32));
        }
      break;
    case G_MMA_S8:
      for (int w = 0; w < 3; w++)
        for (int l = 0; l < 32; l++) {
          u64 r0 = rnd(), r1 = rnd(), r2 = rnd();
          if (w == 2) r0 = r1 = r2 = 0x7f7f7f7f7f7f7f7full;
          in.a.push_back(r0);
          in.b.push_back(r1);
          in.c.push_back(r2);
        }
      break;
    case G_MMA_GEN: {
      const MmaSpec& sp = mma_specs()[t.name];
      u64 seed = 0x243f6a8885a308d3ull;
      for (const char* c = t.name; *c; c++) seed = (seed ^ (u64)(unsigned char)*c) * 0x100000001b3ull;
      mma_rng = seed | 1;
      const int lanes = 96, h = lanes;
      std::vector<u32> words((size_t)lanes * 6 * MMA_PARTS, 0);
      for (int l = 0; l < lanes; l++) {
        int mode = l / 32, pos = 0;
        u32* w = &words[(size_t)l * 6 * MMA_PARTS];
        int types[3] = {sp.a, sp.b, sp.c}, counts[3] = {sp.na, sp.nb, sp.nc};
        for (int o = 0; o < 3; o++)
          for (int r = 0; r < counts[o]; r++) {
            if (types[o] == MT_F64) {
              u64 v = mma_f64(mode);
              w[pos++] = (u32)v;
              w[pos++] = (u32)(v >> 32);
            } else {
              w[pos++] = mma_word(types[o], mode);
            }
          }
        if (sp.meta) w[pos++] = mma_metadata(sp, l % 32);
      }
      for (int p = 0; p < MMA_PARTS; p++)
        for (int l = 0; l < h; l++) {
          const u32* w = &words[(size_t)l * 6 * MMA_PARTS + 6 * p];
          in.a.push_back(w[0] | (u64)w[1] << 32);
          in.b.push_back(w[2] | (u64)w[3] << 32);
          in.c.push_back(w[4] | (u64)w[5] << 32);
        }
      break;
    }
    case G_STM:
      for (int w = 0; w < 2; w++)
        for (int l = 0; l < 32; l++) {
          in.a.push_back(rnd());
          in.b.push_back(w == 0 ? (u64)(l * 0x04030201u) << 32 | (l * 0x08070605u) : rnd());
          in.c.push_back(0);
        }
      break;
    case G_I2H: {
      // 64-bit integers around f16/bf16 rounding points: ties, one past, overflow, and values
      // a conversion through f64 would round twice (2^60 + 2^52 + 1 ...).
      std::vector<u64> v = {0, 1, 2, 3, 2047, 2048, 2049, 2050, 2051, 4095, 4097, 4098, 4099, 4100, 65503, 65504,
                            65505, 65519, 65520, 65521, 65535, 65536, 65537, 0x7fffff, 0x1000000, 0x1010000,
                            0x1018000, 0x1018001, 0x1028000, 0xffffffffull, 0x100000000ull, 0x20000000000001ull,
                            0x20000000000003ull, (1ull << 60) + (1ull << 52) + 1, (1ull << 60) + (1ull << 52),
                            (1ull << 60) + (3ull << 52), 0x7fffffffffffffffull, 0x7fc0000000000000ull,
                            0x7fc0000000000001ull, 0x8000000000000000ull, 0x8000000000000001ull, 0xffffffffffffffffull,
                            0xfffffffffffff800ull, 0xfffffffffffff7ffull, 0xffffffffffff0010ull, 0xffffffffffff0000ull,
                            0xfffffffffeff0000ull, 0xfffffffffefe8000ull, 0xfff0000000000000ull};
      u64 s = 0x6a09e667f3bcc908ull;
      for (int k = 0; k < 48; k++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        v.push_back(k < 16 ? s : k < 32 ? s >> (s & 63) : (u64)(-(long long)(s >> (s & 63))));
      }
      singles(in, v);
      break;
    }
    case G_F16X2_FP8: {
      // f16 values around e4m3/e5m2 rounding points and ranges: 448/464/480, 57344/61440,
      // ties of the 3- and 2-bit mantissas, subnormals of both, infinities, NaNs.
      std::vector<u64> h = {0x0000, 0x8000, 0x3c00, 0xbc00, 0x3c40, 0x3c41, 0x3c60, 0x3cc0, 0x3c80, 0x3d00, 0x3d40,
                            0x5f00, 0x5f3f, 0x5f40, 0x5f41, 0x5f80, 0xdf40, 0x6000, 0x7b00, 0x7b3f, 0x7b40, 0x7b80,
                            0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7d55, 0xfe01, 0x1800, 0x1c00, 0x1a00, 0x1900,
                            0x1901, 0x2000, 0x2200, 0x0800, 0x0400, 0x0200, 0x0001, 0x8001, 0x03ff, 0x1600, 0x1500,
                            0x0c00, 0x0a00, 0x0900, 0x0880, 0x3555, 0x4900, 0xc500};
      singles(in, x2(h));
      break;
    }
    case G_SW_ONE: singles(in, first(i32, 32)); break;
    case G_SW_MBAR: {
      std::vector<u64> a, b;
      for (int k = 0; k < 64; k++) a.push_back(k), b.push_back(k * 37 % 200 + (k & 1));
      for (size_t k = 0; k < a.size(); k++) in.a.push_back(a[k]), in.b.push_back(b[k]), in.c.push_back(0);
      break;
    }
    case G_SW_BULK: {
      // (size, left, right, source offset) cases, each with the barrier expecting size and
      // size - left - right bytes; C: a byte pattern (the source).
      const u32 cases[][4] = {{16, 0, 0, 0}, {16, 1, 0, 0}, {16, 0, 1, 0}, {16, 3, 5, 0}, {16, 15, 0, 0}, {16, 0, 15, 1},
                              {32, 4, 4, 0}, {32, 15, 15, 1}, {32, 8, 0, 0}, {32, 0, 8, 0}, {48, 7, 9, 2}, {64, 1, 1, 0},
                              {64, 12, 3, 3}, {80, 15, 15, 0}, {16, 7, 8, 0}, {96, 2, 14, 1}};
      int n = 0;
      for (int e = 0; e < 2; e++)
        for (auto& c : cases) {
          in.a.push_back(c[0] | c[1] << 8 | c[2] << 16 | (u64)c[3] << 24);
          in.b.push_back(e);
          n++;
        }
      for (int k = 0; k < n; k++) {
        u64 w = 0;
        for (int j = 0; j < 8; j++) w |= (u64)((k * 8 + j) * 7 + 3 & 0xff) << (8 * j);
        in.c.push_back(w);
      }
      break;
    }
    case G_SW_RED: {
      // inc/dec wrap points (old >= b, old == 0, old > b), min/max across the sign, carries.
      std::vector<u64> a = {0, 1, 5, 6, 7, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x100000000ull, 0xffffffffffffffffull};
      std::vector<u64> b = {0, 1, 6, 0x7fffffff, 0x80000000, 0xffffffff, 0x123456789ull};
      pairs(in, a, b);
      break;
    }
    case G_SW_MALLOC: {
      const u64 al[] = {0, 1, 2, 3, 8, 16, 24, 32, 64, 100, 128, 256, 4096, 65536, 0x80000000ull, 1ull << 40};
      const u64 sz[] = {0, 1, 100};
      for (u64 s : sz)
        for (u64 a : al) in.a.push_back(a), in.b.push_back(s), in.c.push_back(0);
      break;
    }
    case G_VIDEO: {
      // Bytes and half-words at their edges (0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, ...)
      // and random words, from a generator of their own (other tests' inputs stay as recorded).
      static const u32 edge[] = {0, 1, 0x7f, 0x80, 0x81, 0xfe, 0xff};
      u64 s = 0x243f6a8885a308d3ull;
      auto next = [&s]() { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; };
      auto word = [&](int kind) -> u64 {
        u64 r = next();
        if (kind == 0) return r & 0xffffffff;
        u32 w = 0;
        for (int k = 0; k < 4; k++) w |= (u32)((next() & 3) ? edge[next() % 7] : (next() & 0xff)) << (8 * k);
        if (kind == 2) w = (w & 0xffff) | ((u32)((next() & 1) ? 0x8000 : 0x7fff) << 16);
        return w;
      };
      const u64 fixed[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x00ff00ff, 0x80808080, 0x7f7f7f7f, 0x7fff8000, 0x0001ffff};
      for (u64 a : fixed)
        for (u64 b : {0ull, 1ull, 0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x80808080ull, 31ull, 32ull, 33ull})
          in.a.push_back(a), in.b.push_back(b), in.c.push_back(word(0));
      for (int k = 0; k < 166; k++) in.a.push_back(word(k % 3)), in.b.push_back(word((k + 1) % 3)), in.c.push_back(word(k % 2));
      break;
    }
    case G_MOVM:
      for (int w = 0; w < 2; w++)
        for (int l = 0; l < 32; l++) {
          in.a.push_back(w == 0 ? (u64)((2 * l + 1) << 16 | 2 * l) : rnd() & 0xffffffff);
          in.b.push_back(0);
          in.c.push_back(0);
        }
      break;
    case G_LDM:
      for (int w = 0; w < 2; w++)
        for (int l = 0; l < 32; l++) {
          in.a.push_back(w * 0x40);
          in.b.push_back(0);
          in.c.push_back(0);
        }
      break;
  }
  return in;
}

static void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    fprintf(stderr, "fatal: %s: %s\n", what, cudaGetErrorString(e));
    exit(2);
  }
}

// The tests to run: a substring of the name, or "^P1,^P2,...": names starting with one of
// the prefixes (scripts/gen-conformance-goldens.sh records a part of the suite that way).
static bool selected(const char* name, const char* only) {
  if (only[0] != '^') return strstr(name, only) != nullptr;
  std::string list(only);
  size_t p = 0;
  while (p < list.size()) {
    size_t e = list.find(',', p);
    if (e == std::string::npos) e = list.size();
    std::string pre = list.substr(p + (list[p] == '^' ? 1 : 0), e - p - (list[p] == '^' ? 1 : 0));
    if (!pre.empty() && strncmp(name, pre.c_str(), pre.size()) == 0) return true;
    p = e + 1;
  }
  return false;
}

int main(int argc, char** argv) {
  const char* only = argc > 1 ? argv[1] : nullptr;
  std::string out;
  char line[512];
  int failed = 0;
  for (const Test& t : registry()) {
    if (only && !selected(t.name, only)) continue;
    Inputs in = make_inputs(t);
    int n = (int)in.a.size();
    size_t bytes = n * sizeof(u64);
    u64 *A, *B, *C, *D;
    check(cudaMalloc(&A, bytes), "cudaMalloc");
    check(cudaMalloc(&B, bytes), "cudaMalloc");
    check(cudaMalloc(&C, bytes), "cudaMalloc");
    check(cudaMalloc(&D, bytes * t.outs), "cudaMalloc");
    check(cudaMemcpy(A, in.a.data(), bytes, cudaMemcpyHostToDevice), "memcpy");
    check(cudaMemcpy(B, in.b.data(), bytes, cudaMemcpyHostToDevice), "memcpy");
    check(cudaMemcpy(C, in.c.data(), bytes, cudaMemcpyHostToDevice), "memcpy");
    check(cudaMemset(D, 0xdd, bytes * t.outs), "memset");
    t.k<<<(n + t.block - 1) / t.block, t.block>>>(A, B, C, D, n);
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess) e = cudaDeviceSynchronize();
    if (e != cudaSuccess) {
      snprintf(line, sizeof line, "@%s ERROR %s\n", t.name, cudaGetErrorString(e));
      out += line;
      failed++;
      cudaGetLastError();
    } else {
      std::vector<u64> d(n * t.outs);
      check(cudaMemcpy(d.data(), D, bytes * t.outs, cudaMemcpyDeviceToHost), "memcpy");
      snprintf(line, sizeof line, "@%s %d\n", t.name, t.outs);
      out += line;
      for (int k = 0; k < n; k++) {
        int p = snprintf(line, sizeof line, "%llx %llx %llx >", in.a[k], in.b[k], in.c[k]);
        for (int o = 0; o < t.outs; o++) p += snprintf(line + p, sizeof line - p, " %llx", d[k * t.outs + o]);
        snprintf(line + p, sizeof line - p, "\n");
        out += line;
      }
    }
    cudaFree(A);
    cudaFree(B);
    cudaFree(C);
    cudaFree(D);
  }
  fwrite(out.data(), 1, out.size(), stdout);
  fprintf(stderr, "%zu tests, %d failed to run\n", registry().size(), failed);
  return 0;
}
