#include <cuda_fp16.h>

// Atomics (PTX ISA 9.7.13.5 atom, 9.7.13.6 red), included by conformance.cu: each thread owns
// one memory cell, initialised to its input a; the atomic applies b (cas: compare with a on
// odd threads, with b on even ones, and store c). Outputs: the old value the atomic returned
// (0 for red) and the cell afterwards — so rounding, subnormal flushing and NaNs of the
// floating-point read-modify-writes are compared bit for bit, as are inc/dec wrap-arounds and
// the signed/unsigned min/max orders.

// One scalar atomic on a global cell (D[2i+1]); T/C: the operand's C type and asm constraint.
#define ATOM(ID, T, C, INS, G)                                                            \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    D[2 * i + 1] = 0;                                                                    \
    T* cell = (T*)&D[2 * i + 1];                                                         \
    *cell = (T)A[i];                                                                     \
    T b = (T)B[i], old;                                                                  \
    asm volatile(INS " %0, [%1], %2;" : "=" C(old) : "l"(cell), C(b) : "memory");        \
    D[2 * i] = (u64)old;                                                                 \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G, 2);
// The same on a shared-memory cell. b is loaded as a T, not as the low half of B[i]: from
// `(u32)B[i]` ptxas 13.0 (nvcc 13.0.88) builds the f16x2/bf16x2 compare-and-swap loop with
// the high word of the 64-bit load as the upper half's addend (SASS: `HADD2 R0, R2.H1_H1,
// R5.H1_H1` with R4:R5 = B[i]), so the H100 added 0 to the upper half; nvcc 13.5 is right.
#define ATOM_SHARED(ID, T, C, INS, G)                                                     \
  __global__ void k_##ID KSIG {                                                          \
    __shared__ u64 cells[128];                                                           \
    IDX;                                                                                 \
    cells[threadIdx.x] = 0;                                                              \
    T* cell = (T*)&cells[threadIdx.x];                                                   \
    *cell = (T)A[i];                                                                     \
    T b = *(const T*)&B[i], old; /* a T load: see below */                               \
    u32 s = (u32)__cvta_generic_to_shared(cell);                                         \
    asm volatile(INS " %0, [%1], %2;" : "=" C(old) : "r"(s), C(b) : "memory");           \
    D[2 * i] = (u64)old;                                                                 \
    D[2 * i + 1] = cells[threadIdx.x];                                                   \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G, 2);
// red: no old value.
#define RED(ID, T, C, INS, G)                                                             \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    D[2 * i + 1] = 0;                                                                    \
    T* cell = (T*)&D[2 * i + 1];                                                         \
    *cell = (T)A[i];                                                                     \
    T b = (T)B[i];                                                                       \
    asm volatile(INS " [%0], %1;" : : "l"(cell), C(b) : "memory");                       \
    D[2 * i] = 0;                                                                        \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G, 2);
// cas: the comparand is a (succeeds) on odd threads and b on even ones. (CT, not C: the
// kernel's C array must stay visible.)
#define CAS(ID, T, CT, INS, G)                                                             \
  __global__ void k_##ID KSIG {                                                          \
    IDX;                                                                                 \
    D[2 * i + 1] = 0;                                                                    \
    T* cell = (T*)&D[2 * i + 1];                                                         \
    *cell = (T)A[i];                                                                     \
    T cmp = (i & 1) ? (T)A[i] : (T)B[i], v = (T)C[i], old;                               \
    asm volatile(INS " %0, [%1], %2, %3;" : "=" CT(old) : "l"(cell), CT(cmp), CT(v) : "memory"); \
    D[2 * i] = (u64)old;                                                                 \
  }                                                                                      \
  static Reg r_##ID(INS, k_##ID, G, 2);

ATOM(atom_add_f32, u32, "r", "atom.global.add.f32", G_F32_2)
ATOM_SHARED(atom_shared_add_f32, u32, "r", "atom.shared.add.f32", G_F32_2)
RED(red_add_f32, u32, "r", "red.global.add.f32", G_F32_2)
ATOM(atom_add_f64, u64, "l", "atom.global.add.f64", G_F64_2)
ATOM_SHARED(atom_shared_add_f64, u64, "l", "atom.shared.add.f64", G_F64_2)
ATOM(atom_add_f16, u16, "h", "atom.global.add.noftz.f16", G_F16_2)
ATOM(atom_add_bf16, u16, "h", "atom.global.add.noftz.bf16", G_BF16_2)
ATOM(atom_add_f16x2, u32, "r", "atom.global.add.noftz.f16x2", G_F16X2_2)
ATOM(atom_add_bf16x2, u32, "r", "atom.global.add.noftz.bf16x2", G_BF16X2_2)
ATOM_SHARED(atom_shared_add_f16x2, u32, "r", "atom.shared.add.noftz.f16x2", G_F16X2_2)
RED(red_add_bf16x2, u32, "r", "red.global.add.noftz.bf16x2", G_BF16X2_2)
ATOM(atom_inc_u32, u32, "r", "atom.global.inc.u32", G_I32_2)
ATOM(atom_dec_u32, u32, "r", "atom.global.dec.u32", G_I32_2)
ATOM(atom_min_s32, u32, "r", "atom.global.min.s32", G_I32_2)
ATOM(atom_max_u32, u32, "r", "atom.global.max.u32", G_I32_2)
ATOM(atom_min_s64, u64, "l", "atom.global.min.s64", G_I64_2)
ATOM(atom_max_u64, u64, "l", "atom.global.max.u64", G_I64_2)
ATOM(atom_add_u64, u64, "l", "atom.global.add.u64", G_I64_2)
ATOM(atom_and_b64, u64, "l", "atom.global.and.b64", G_I64_2)
ATOM(atom_xor_b32, u32, "r", "atom.global.xor.b32", G_I32_2)
ATOM(atom_exch_b32, u32, "r", "atom.global.exch.b32", G_I32_2)
CAS(atom_cas_b16, u16, "h", "atom.global.cas.b16", G_I16_3)
CAS(atom_cas_b32, u32, "r", "atom.global.cas.b32", G_I32_3)
CAS(atom_cas_b64, u64, "l", "atom.global.cas.b64", G_I64_3)

// sm_90 vector atomic: the cell holds {a, b} as two f32 and gets {b, a} added.
__global__ void k_atom_add_v2_f32 KSIG {
  IDX;
  u32* cell = (u32*)&D[2 * i + 1];
  cell[0] = (u32)A[i];
  cell[1] = (u32)B[i];
  u32 o0, o1;
  asm volatile("atom.global.add.v2.f32 {%0, %1}, [%2], {%3, %4};"
               : "=r"(o0), "=r"(o1) : "l"(cell), "r"((u32)B[i]), "r"((u32)A[i]) : "memory");
  D[2 * i] = (u64)o1 << 32 | o0;
}
static Reg r_atom_add_v2_f32("atom.global.add.v2.f32", k_atom_add_v2_f32, G_F32_2, 2);

// sm_90 128-bit exchange and compare-and-swap: the cell (16 bytes) holds {a, b}; outputs: the
// old value's two halves, then the cell's.
__global__ void k_atom_cas_b128 KSIG {
  IDX;
  u64* cell = &D[4 * i + 2];
  cell[0] = A[i];
  cell[1] = B[i];
  u64 clo = (i & 1) ? A[i] : B[i], chi = (i & 1) ? B[i] : A[i], nlo = C[i], nhi = ~C[i], olo, ohi;
  asm volatile("{ .reg .b128 o, c, n; mov.b128 c, {%2, %3}; mov.b128 n, {%4, %5};"
               " atom.global.cas.b128 o, [%6], c, n; mov.b128 {%0, %1}, o; }"
               : "=l"(olo), "=l"(ohi) : "l"(clo), "l"(chi), "l"(nlo), "l"(nhi), "l"(cell) : "memory");
  D[4 * i] = olo;
  D[4 * i + 1] = ohi;
}
static Reg r_atom_cas_b128("atom.global.cas.b128", k_atom_cas_b128, G_MIX64, 4);
__global__ void k_atom_exch_b128 KSIG {
  IDX;
  u64* cell = &D[4 * i + 2];
  cell[0] = A[i];
  cell[1] = B[i];
  u64 olo, ohi;
  asm volatile("{ .reg .b128 o, n; mov.b128 n, {%2, %3}; atom.global.exch.b128 o, [%4], n; mov.b128 {%0, %1}, o; }"
               : "=l"(olo), "=l"(ohi) : "l"(C[i]), "l"(A[i] ^ C[i]), "l"(cell) : "memory");
  D[4 * i] = olo;
  D[4 * i + 1] = ohi;
}
static Reg r_atom_exch_b128("atom.global.exch.b128", k_atom_exch_b128, G_MIX64, 4);

// The other 16-bit float atomics in shared memory, and CUDA's atomicAdd(__half2*) there (the
// H100's atom.shared.add.noftz.f16x2 is a compare-and-swap loop around HFMA2 in sm_90 SASS).
ATOM_SHARED(atom_shared_add_bf16x2, u32, "r", "atom.shared.add.noftz.bf16x2", G_BF16X2_2)
ATOM_SHARED(atom_shared_add_f16, u16, "h", "atom.shared.add.noftz.f16", G_F16_2)
__global__ void k_atomicadd_half2_shared KSIG {
  __shared__ u64 cells[128];
  IDX;
  cells[threadIdx.x] = (u32)A[i];
  u32 b = *(const u32*)&B[i];
  __half2 old = atomicAdd((__half2*)&cells[threadIdx.x], *(__half2*)&b);
  D[2 * i] = *(u32*)&old;
  D[2 * i + 1] = cells[threadIdx.x];
}
static Reg r_atomicadd_half2_shared("atom.shared f16x2 from atomicAdd(__half2*)", k_atomicadd_half2_shared, G_F16X2_2, 2);
