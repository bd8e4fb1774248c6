// tma.cu — tensor maps and bulk tensor copies (the Tensor Memory Accelerator, sm_90).
//
// The tensor maps come from cuTensorMapEncodeTiled / cuTensorMapEncodeIm2col, reached through
// cudaGetDriverEntryPointByVersion as the CUDA programming guide's TMA example does, and are
// passed to the kernels as __grid_constant__ parameters. Raw inline PTX:
//  - cp.async.bulk.tensor loads (1d..5d, .tile and .im2col) completing on an mbarrier: every
//    swizzle mode, out-of-bounds boxes at every edge (zero fill and the NaN request), element
//    strides; shared memory is pre-filled with 0xEE, so bytes the copy must not touch show;
//  - cp.async.bulk.tensor stores (clipped at the tensor's bounds) and cp.reduce.async.bulk.tensor
//    (add/min/max/inc/dec/and/or/xor) with bulk-group completion, cp.reduce.async.bulk
//    (non-tensor), prefetch.tensormap and cp.async.bulk.prefetch.tensor;
//  - .multicast::cluster tensor and non-tensor loads into both CTAs of a cluster of two;
//  - the CUresult of cuTensorMapEncode* / cuTensorMapReplaceAddress for a table of bad inputs;
//  - interleaved maps (INTERLEAVE_16B/_32B): what the encoders accept, tile loads 3d..5d with
//    every swizzle, OOB zero/NaN fill, element strides, im2col loads, stores and reductions,
//    printed as runs of source offsets with the transaction bytes each load completed (the
//    H100 counts an interleaved box in 16/32-byte chunks, not in elements); and, each in a child
//    process (TMA_IL_FAULT=K), the copies that stop the kernel: a shared box that is not
//    128-byte aligned (misaligned address, interleaved or not), an im2col start outside the
//    bounding box along W/H/D (interleaved or not) and interleaved stores/reductions at
//    negative coordinates (illegal instruction).
// Measured on the H100 (and so avoided here): a box whose start along dimension 0 is not a
// multiple of 16 bytes, and a tensor store/reduction at a negative coordinate, stop the kernel
// with an illegal instruction (TMA_PROBE=X,Y / TMA_PROBE=sX,Y runs just such a load / store).
// Everything printed is a deterministic function of the inputs: shared memory after a load is
// summarised by an FNV-1a hash, the number of bytes written and its first words.
// With TMA_DUMP=FILE the program also writes every buffer in full to FILE (for debugging).
//
// Build: nvcc -o tma tma.cu -arch=sm_90
#include <cuda.h>
#include <cuda_runtime.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <unistd.h>

#include "check.h"

typedef CUresult (*EncodeTiledFn)(CUtensorMap*, CUtensorMapDataType, cuuint32_t, void*, const cuuint64_t*,
                                  const cuuint64_t*, const cuuint32_t*, const cuuint32_t*, CUtensorMapInterleave,
                                  CUtensorMapSwizzle, CUtensorMapL2promotion, CUtensorMapFloatOOBfill);
typedef CUresult (*EncodeIm2colFn)(CUtensorMap*, CUtensorMapDataType, cuuint32_t, void*, const cuuint64_t*,
                                   const cuuint64_t*, const int*, const int*, cuuint32_t, cuuint32_t,
                                   const cuuint32_t*, CUtensorMapInterleave, CUtensorMapSwizzle,
                                   CUtensorMapL2promotion, CUtensorMapFloatOOBfill);
typedef CUresult (*EncodeIm2colWideFn)(CUtensorMap*, CUtensorMapDataType, cuuint32_t, void*, const cuuint64_t*,
                                       const cuuint64_t*, int, int, cuuint32_t, cuuint32_t, const cuuint32_t*,
                                       CUtensorMapInterleave, CUtensorMapIm2ColWideMode, CUtensorMapSwizzle,
                                       CUtensorMapL2promotion, CUtensorMapFloatOOBfill);
typedef CUresult (*ReplaceAddressFn)(CUtensorMap*, void*);

static EncodeTiledFn encode_tiled;
static EncodeIm2colFn encode_im2col;
static EncodeIm2colWideFn encode_im2col_wide;
static ReplaceAddressFn replace_address;
static FILE* dump;

enum { SMEM = 8192, SENTINEL = 0xEE };

struct Coords {
  int c[5];
};

__device__ __forceinline__ uint32_t saddr(const void* p) { return (uint32_t)__cvta_generic_to_shared(p); }

// try_wait in a bounded loop: a copy that never completes prints TIMEOUT instead of hanging.
__device__ bool wait_parity(uint32_t bar, uint32_t parity) {
  for (int i = 0; i < 2000000; ++i) {
    uint32_t ok;
    asm volatile("{ .reg .pred p; mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
                 : "=r"(ok) : "r"(bar), "r"(parity) : "memory");
    if (ok) return true;
  }
  return false;
}

// One tensor load into a 1024-aligned shared buffer pre-filled with SENTINEL; the whole buffer
// goes to out. mode 0: tile, 1: im2col (offsets in off).
__global__ void tma_load(const __grid_constant__ CUtensorMap tm, int rank, int mode, Coords co, Coords off,
                         uint32_t bytes, uint8_t* out, uint32_t* status) {
  __shared__ alignas(1024) uint8_t buf[SMEM];
  __shared__ alignas(8) uint64_t bar;
  for (int i = threadIdx.x; i < SMEM; i += blockDim.x) buf[i] = SENTINEL;
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t b = saddr(&bar), d = saddr(buf);
    const int* c = co.c;
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(b));
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    asm volatile("prefetch.tensormap [%0];" ::"l"(&tm));
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(b), "r"(bytes) : "memory");
    if (mode == 0) {
      switch (rank) {
        case 1:
          asm volatile("cp.async.bulk.tensor.1d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2}], [%3];"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(b) : "memory");
          break;
        case 2:
          asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3}], [%4];"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(b) : "memory");
          break;
        case 3:
          asm volatile("cp.async.bulk.tensor.3d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4}], [%5];"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(b) : "memory");
          break;
        case 4:
          asm volatile("cp.async.bulk.tensor.4d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5}], [%6];"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(b) : "memory");
          break;
        case 5: {
          uint64_t policy;
          asm volatile("createpolicy.fractional.L2::evict_last.b64 %0, 1.0;" : "=l"(policy));
          asm volatile("cp.async.bulk.tensor.5d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.L2::cache_hint [%0], [%1, {%2, %3, %4, %5, %6}], [%7], %8;"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(b), "l"(policy) : "memory");
          break;
        }
      }
    } else {
      const int* o = off.c;
      switch (rank) {
        case 3:
          asm volatile("cp.async.bulk.tensor.3d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4}], [%5], {%6};"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(b), "h"((unsigned short)o[0]) : "memory");
          break;
        case 4:
          asm volatile("cp.async.bulk.tensor.4d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5}], [%6], {%7, %8};"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(b), "h"((unsigned short)o[0]),
                       "h"((unsigned short)o[1]) : "memory");
          break;
        case 5:
          asm volatile("cp.async.bulk.tensor.5d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5, %6}], [%7], {%8, %9, %10};"
                       ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(b),
                       "h"((unsigned short)o[0]), "h"((unsigned short)o[1]), "h"((unsigned short)o[2]) : "memory");
          break;
      }
    }
    status[0] = wait_parity(b, 0) ? 1 : 0;
  }
  __syncthreads();
  for (int i = threadIdx.x; i < SMEM; i += blockDim.x) out[i] = buf[i];
}

// Shared memory gets src (SMEM bytes); then one tensor store (op 0) or reduction (op 1..8:
// add min max inc dec and or xor) of the box at co, completed through a bulk group.
__global__ void tma_store(const __grid_constant__ CUtensorMap tm, int rank, int op, Coords co, const uint8_t* src) {
  __shared__ alignas(1024) uint8_t buf[SMEM];
  for (int i = threadIdx.x; i < SMEM; i += blockDim.x) buf[i] = src[i];
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t s = saddr(buf);
    const int* c = co.c;
#define RED(OP)                                                                                                    \
  if (rank == 2)                                                                                                   \
    asm volatile("cp.reduce.async.bulk.tensor.2d.global.shared::cta." OP ".tile.bulk_group [%0, {%1, %2}], [%3];" \
                 ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(s) : "memory");                                             \
  else                                                                                                             \
    asm volatile("cp.reduce.async.bulk.tensor.3d.global.shared::cta." OP ".tile.bulk_group [%0, {%1, %2, %3}], [%4];" \
                 ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(s) : "memory");
    switch (op) {
      case 0:
        if (rank == 2)
          asm volatile("cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group [%0, {%1, %2}], [%3];"
                       ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(s) : "memory");
        else
          asm volatile("cp.async.bulk.tensor.3d.global.shared::cta.tile.bulk_group [%0, {%1, %2, %3}], [%4];"
                       ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(s) : "memory");
        break;
      case 1: RED("add") break;
      case 2: RED("min") break;
      case 3: RED("max") break;
      case 4: RED("inc") break;
      case 5: RED("dec") break;
      case 6: RED("and") break;
      case 7: RED("or") break;
      case 8: RED("xor") break;
    }
#undef RED
    asm volatile("cp.async.bulk.prefetch.tensor.2d.L2.global.tile [%0, {%1, %2}];" ::"l"(&tm), "r"(c[0]), "r"(c[1]));
    asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    asm volatile("cp.async.bulk.wait_group.read 0;" ::: "memory");
    asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
  }
  __syncthreads();
}

// Non-tensor bulk reductions of 256 bytes of src into g + 64 * which (global, bulk group).
// (The shared::cluster destination form with an mbarrier stopped the H100 with an illegal
// instruction in a single-CTA launch: not used.)
__global__ void bulk_reduce(uint32_t* g, const uint32_t* src, int which) {
  __shared__ alignas(128) uint32_t s[64];
  for (int i = threadIdx.x; i < 64; i += blockDim.x) s[i] = src[i];
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t sa = saddr(s);
    uint32_t* d = g + 64 * which;
    switch (which) {
      case 0: asm volatile("cp.reduce.async.bulk.global.shared::cta.bulk_group.add.u32 [%0], [%1], 256;" ::"l"(d), "r"(sa) : "memory"); break;
      case 1: asm volatile("cp.reduce.async.bulk.global.shared::cta.bulk_group.min.s32 [%0], [%1], 256;" ::"l"(d), "r"(sa) : "memory"); break;
      case 2: asm volatile("cp.reduce.async.bulk.global.shared::cta.bulk_group.max.u32 [%0], [%1], 256;" ::"l"(d), "r"(sa) : "memory"); break;
      case 3: asm volatile("cp.reduce.async.bulk.global.shared::cta.bulk_group.xor.b32 [%0], [%1], 256;" ::"l"(d), "r"(sa) : "memory"); break;
      case 4: asm volatile("cp.reduce.async.bulk.global.shared::cta.bulk_group.inc.u32 [%0], [%1], 256;" ::"l"(d), "r"(sa) : "memory"); break;
      case 5: asm volatile("cp.reduce.async.bulk.global.shared::cta.bulk_group.add.f32 [%0], [%1], 256;" ::"l"(d), "r"(sa) : "memory"); break;
      case 6: asm volatile("cp.reduce.async.bulk.global.shared::cta.bulk_group.add.u64 [%0], [%1], 256;" ::"l"(d), "r"(sa) : "memory"); break;
    }
    asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
  }
}

// A cluster of two CTAs: rank 0 multicasts a 64x16 u16 box (128-byte swizzle) and 256 raw
// bytes into both CTAs (ctaMask 0b11), each completing on the receiving CTA's own mbarrier.
// Each CTA copies its box buffer (pre-filled with SENTINEL) and raw bytes to out + rank * 2304.
__global__ void __cluster_dims__(2, 1, 1) tma_multicast(const __grid_constant__ CUtensorMap tm, uint8_t* out,
                                                       const uint8_t* raw, uint32_t* status) {
  __shared__ alignas(1024) uint8_t buf[2048];
  __shared__ alignas(16) uint8_t rbuf[256];
  __shared__ alignas(8) uint64_t bar[2];
  for (int i = threadIdx.x; i < 2048; i += blockDim.x) buf[i] = SENTINEL;
  for (int i = threadIdx.x; i < 256; i += blockDim.x) rbuf[i] = SENTINEL;
  uint32_t rank;
  asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(rank));
  uint32_t b0 = saddr(&bar[0]), b1 = saddr(&bar[1]);
  if (threadIdx.x == 0) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(b0));
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(b1));
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], 2048;" ::"r"(b0) : "memory");
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], 256;" ::"r"(b1) : "memory");
  }
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  asm volatile("barrier.cluster.arrive.release;\n\tbarrier.cluster.wait.acquire;" ::: "memory");
  if (rank == 0 && threadIdx.x == 0) {
    unsigned short mask = 3;
    asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.multicast::cluster [%0], [%1, {%2, %3}], [%4], %5;"
                 ::"r"(saddr(buf)), "l"(&tm), "r"(64), "r"(7), "r"(b0), "h"(mask) : "memory");
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes.multicast::cluster [%0], [%1], 256, [%2], %3;"
                 ::"r"(saddr(rbuf)), "l"(raw), "r"(b1), "h"(mask) : "memory");
  }
  if (threadIdx.x == 0) status[rank] = (wait_parity(b0, 0) ? 1 : 0) + (wait_parity(b1, 0) ? 2 : 0);
  __syncthreads();
  for (int i = threadIdx.x; i < 2048; i += blockDim.x) out[rank * 2304 + i] = buf[i];
  for (int i = threadIdx.x; i < 256; i += blockDim.x) out[rank * 2304 + 2048 + i] = rbuf[i];
  asm volatile("barrier.cluster.arrive.release;\n\tbarrier.cluster.wait.acquire;" ::: "memory");
}

static uint32_t fnv1a(const uint8_t* p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

static void dump_bytes(const char* name, const uint8_t* p, size_t n) {
  if (!dump) return;
  fprintf(dump, "%s", name);
  for (size_t i = 0; i < n; ++i) fprintf(dump, "%s%02x", i % 64 ? "" : "\n  ", p[i]);
  fprintf(dump, "\n");
}

// Pseudo-random bytes: any misplaced chunk changes the hash.
static void fill_pattern(std::vector<uint8_t>& v, uint32_t seed) {
  for (size_t i = 0; i < v.size(); ++i) v[i] = (uint8_t)(((uint32_t)i * 2654435761u + seed * 40503u) >> 13);
}

static void print_smem(const char* name, const uint8_t* s, uint32_t status) {
  int written = 0, last = -1;
  for (int i = 0; i < SMEM; ++i)
    if (s[i] != SENTINEL) {
      ++written;
      last = i;
    }
  const uint32_t* w = (const uint32_t*)s;
  printf("%-26s %s fnv=%08x written=%d last=%d words:", name, status ? "done" : "TIMEOUT", fnv1a(s, SMEM), written, last);
  for (int i = 0; i < 6; ++i) printf(" %08x", w[i]);
  printf("\n");
  dump_bytes(name, s, SMEM);
}

static uint8_t *d_out, *d_src;
static uint32_t* d_status;

static void load(const char* name, const CUtensorMap& tm, int rank, Coords co, uint32_t bytes, int mode = 0,
                 Coords off = Coords{{0, 0, 0, 0, 0}}) {
  CK(cudaMemset(d_status, 0, 4));
  tma_load<<<1, 128>>>(tm, rank, mode, co, off, bytes, d_out, d_status);
  CK(cudaGetLastError());
  CK(cudaDeviceSynchronize());
  std::vector<uint8_t> s(SMEM);
  uint32_t st = 0;
  CK(cudaMemcpy(s.data(), d_out, SMEM, cudaMemcpyDeviceToHost));
  CK(cudaMemcpy(&st, d_status, 4, cudaMemcpyDeviceToHost));
  print_smem(name, s.data(), st);
}

static int failures;

static CUtensorMap tiled(CUtensorMapDataType t, int rank, void* addr, const cuuint64_t* dims, const cuuint64_t* strides,
                         const cuuint32_t* box, const cuuint32_t* es, CUtensorMapSwizzle sw,
                         CUtensorMapFloatOOBfill fill = CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE,
                         CUtensorMapInterleave il = CU_TENSOR_MAP_INTERLEAVE_NONE) {
  alignas(64) CUtensorMap tm;
  CUresult r = encode_tiled(&tm, t, rank, addr, dims, strides, box, es, il, sw, CU_TENSOR_MAP_L2_PROMOTION_L2_128B, fill);
  if (r != CUDA_SUCCESS) {
    printf("FAIL encode (rank %d) -> %d\n", rank, (int)r);
    ++failures;
  }
  return tm;
}

static void encode_errors(void* base) {
  alignas(64) CUtensorMap tmaps[2];
  CUtensorMap* tm = &tmaps[0];
  char* a = (char*)base;
  const cuuint64_t dims[5] = {64, 32, 4, 4, 4}, strides[4] = {256, 8192, 32768, 131072};
  const cuuint32_t box[5] = {16, 8, 2, 2, 2}, es[5] = {1, 1, 1, 1, 1};
  typedef CUtensorMapDataType DT;
  typedef CUtensorMapInterleave IL;
  typedef CUtensorMapSwizzle SW;
  typedef CUtensorMapL2promotion L2;
  typedef CUtensorMapFloatOOBfill OF;
  struct Case {
    const char* name;
    int dt, rank;
    long addr_off;
    cuuint64_t d0, d1, s0;
    cuuint32_t b0, b1, e0, e1;
    int il, sw, l2, of;
  };
  const Case cases[] = {
      {"valid f32 2d", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"dtype 16", 16, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"dtype -1", -1, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"rank 0", 7, 0, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"rank 6", 7, 6, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"rank 1", 7, 1, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"rank 5", 7, 5, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"addr +8", 7, 2, 8, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"addr +16", 7, 2, 16, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"addr +4 u8", 0, 2, 4, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"dim0 0", 7, 2, 0, 0, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"dim1 2^31", 7, 2, 0, 64, 1ull << 31, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"dim1 2^31+1", 7, 2, 0, 64, (1ull << 31) + 1, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"dim0 2^32", 7, 2, 0, 1ull << 32, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"stride 8", 7, 2, 0, 64, 32, 8, 16, 8, 1, 1, 0, 0, 0, 0},
      {"stride 0", 7, 2, 0, 64, 32, 0, 16, 8, 1, 1, 0, 0, 0, 0},
      {"stride 16 < row", 7, 2, 0, 64, 32, 16, 16, 8, 1, 1, 0, 0, 0, 0},
      {"stride 2^40", 7, 2, 0, 64, 32, 1ull << 40, 16, 8, 1, 1, 0, 0, 0, 0},
      {"stride 2^40-16", 7, 2, 0, 64, 32, (1ull << 40) - 16, 16, 8, 1, 1, 0, 0, 0, 0},
      {"box0 0", 7, 2, 0, 64, 32, 256, 0, 8, 1, 1, 0, 0, 0, 0},
      {"box1 257", 7, 2, 0, 64, 32, 256, 16, 257, 1, 1, 0, 0, 0, 0},
      {"box1 256", 7, 2, 0, 64, 32, 256, 16, 256, 1, 1, 0, 0, 0, 0},
      {"box0 6 (24 B)", 7, 2, 0, 64, 32, 256, 6, 8, 1, 1, 0, 0, 0, 0},
      {"box0 > dim0", 7, 2, 0, 8, 32, 256, 16, 8, 1, 1, 0, 0, 0, 0},
      {"box0 256 u8", 0, 2, 0, 64, 32, 256, 256, 8, 1, 1, 0, 0, 0, 0},
      {"es1 0", 7, 2, 0, 64, 32, 256, 16, 8, 1, 0, 0, 0, 0, 0},
      {"es1 9", 7, 2, 0, 64, 32, 256, 16, 8, 1, 9, 0, 0, 0, 0},
      {"es1 8", 7, 2, 0, 64, 32, 256, 16, 8, 1, 8, 0, 0, 0, 0},
      {"es0 3", 7, 2, 0, 64, 32, 256, 16, 8, 3, 1, 0, 0, 0, 0},
      {"es0 9", 7, 2, 0, 64, 32, 256, 16, 8, 9, 1, 0, 0, 0, 0},
      {"interleave 3", 7, 3, 0, 64, 32, 256, 16, 8, 1, 1, 3, 0, 0, 0},
      {"interleave 16B rank 2", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 1, 0, 0, 0},
      {"interleave 16B rank 3", 7, 3, 0, 64, 32, 256, 4, 8, 1, 1, 1, 0, 0, 0},
      {"interleave 32B sw none", 7, 3, 0, 64, 32, 256, 8, 8, 1, 1, 2, 0, 0, 0},
      {"interleave 32B sw 32B", 7, 3, 0, 64, 32, 256, 8, 8, 1, 1, 2, 1, 0, 0},
      {"interleave 32B addr +16", 7, 3, 16, 64, 32, 256, 8, 8, 1, 1, 2, 1, 0, 0},
      {"interleave 32B stride 272", 7, 3, 0, 64, 32, 272, 8, 8, 1, 1, 2, 1, 0, 0},
      {"interleave 16B box0 3", 7, 3, 0, 64, 32, 256, 3, 8, 1, 1, 1, 0, 0, 0},
      {"interleave 16B es0 2", 7, 3, 0, 64, 32, 256, 4, 8, 2, 1, 1, 0, 0, 0},
      {"swizzle 7", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 7, 0, 0},
      {"sw32 inner 64 B", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 1, 0, 0},
      {"sw32 inner 32 B", 7, 2, 0, 64, 32, 256, 8, 8, 1, 1, 0, 1, 0, 0},
      {"sw64 inner 64 B", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 2, 0, 0},
      {"sw64 inner 128 B", 7, 2, 0, 64, 32, 256, 32, 8, 1, 1, 0, 2, 0, 0},
      {"sw128 inner 128 B", 7, 2, 0, 64, 32, 256, 32, 8, 1, 1, 0, 3, 0, 0},
      {"sw128 inner 256 B", 7, 2, 0, 64, 32, 256, 64, 8, 1, 1, 0, 3, 0, 0},
      {"sw128 atom32B", 7, 2, 0, 64, 32, 256, 32, 8, 1, 1, 0, 4, 0, 0},
      {"sw128 atom32B flip8B", 7, 2, 0, 64, 32, 256, 32, 8, 1, 1, 0, 5, 0, 0},
      {"sw128 atom64B", 7, 2, 0, 64, 32, 256, 32, 8, 1, 1, 0, 6, 0, 0},
      {"l2 256B", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 3, 0},
      {"l2 4", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 4, 0},
      {"oobfill 2", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 2},
      {"oobfill nan f32", 7, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 1},
      {"oobfill nan u32", 2, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 1},
      {"oobfill nan s32", 3, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 1},
      {"oobfill nan f16", 6, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 1},
      {"oobfill nan bf16", 9, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 1},
      {"oobfill nan f64", 8, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 1},
      {"oobfill nan tf32", 11, 2, 0, 64, 32, 256, 16, 8, 1, 1, 0, 0, 0, 1},
      {"16U4_ALIGN8B", 13, 2, 0, 64, 32, 256, 32, 8, 1, 1, 0, 0, 0, 0},
      {"16U4_ALIGN16B", 14, 2, 0, 128, 32, 256, 128, 8, 1, 1, 0, 0, 0, 0},
      {"16U6_ALIGN16B", 15, 2, 0, 128, 32, 256, 128, 8, 1, 1, 0, 0, 0, 0},
      {"f64 box0 2", 8, 2, 0, 64, 32, 512, 2, 8, 1, 1, 0, 0, 0, 0},
      {"u64 box0 1", 4, 2, 0, 64, 32, 512, 1, 8, 1, 1, 0, 0, 0, 0},
  };
  printf("-- cuTensorMapEncodeTiled\n");
  for (const Case& c : cases) {
    cuuint64_t d[5], s[4];
    cuuint32_t b[5], e[5];
    memcpy(d, dims, sizeof d);
    memcpy(s, strides, sizeof s);
    memcpy(b, box, sizeof b);
    memcpy(e, es, sizeof e);
    d[0] = c.d0;
    d[1] = c.d1;
    s[0] = c.s0;
    s[1] = c.s0 * 32;
    s[2] = s[1] * 4;
    s[3] = s[2] * 4;
    b[0] = c.b0;
    b[1] = c.b1;
    e[0] = c.e0;
    e[1] = c.e1;
    CUresult r = encode_tiled(tm, (DT)c.dt, c.rank, a + c.addr_off, d, s, b, e, (IL)c.il, (SW)c.sw, (L2)c.l2, (OF)c.of);
    printf("%-28s -> %d\n", c.name, (int)r);
  }
  {
    cuuint64_t d[2] = {64, 32}, s[1] = {256};
    cuuint32_t b[2] = {16, 8}, e[2] = {1, 1};
    printf("%-28s -> %d\n", "null tensorMap", (int)encode_tiled(nullptr, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, a, d, s, b, e, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
    printf("%-28s -> %d\n", "tensorMap +8", (int)encode_tiled((CUtensorMap*)((char*)tm + 8), CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, a, d, s, b, e, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
    printf("%-28s -> %d\n", "null address", (int)encode_tiled(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, nullptr, d, s, b, e, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
    printf("%-28s -> %d\n", "null globalDim", (int)encode_tiled(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, a, nullptr, s, b, e, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
    printf("%-28s -> %d\n", "null globalStrides", (int)encode_tiled(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, a, d, nullptr, b, e, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
    printf("%-28s -> %d\n", "null strides rank 1", (int)encode_tiled(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 1, a, d, nullptr, b, e, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
    printf("%-28s -> %d\n", "null boxDim", (int)encode_tiled(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, a, d, s, nullptr, e, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
    printf("%-28s -> %d\n", "null elementStrides", (int)encode_tiled(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, a, d, s, b, nullptr, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE));
  }
  printf("-- cuTensorMapEncodeIm2col\n");
  struct ICase {
    const char* name;
    int dt, rank;
    long addr_off;
    int lo0, lo1, hi0, hi1;
    cuuint32_t cpp, ppc;
    int sw;
  };
  const ICase icases[] = {
      {"valid rank 3", 6, 3, 0, -1, 0, -1, 0, 16, 32, 0},
      {"valid rank 4", 6, 4, 0, -1, -1, -1, -1, 16, 32, 0},
      {"valid rank 5", 6, 5, 0, -1, -1, -1, -1, 16, 32, 0},
      {"rank 2", 6, 2, 0, -1, 0, -1, 0, 16, 32, 0},
      {"rank 6", 6, 6, 0, -1, 0, -1, 0, 16, 32, 0},
      {"rank 3 lower -32769", 6, 3, 0, -32769, 0, -1, 0, 16, 32, 0},
      {"rank 3 lower 32767", 6, 3, 0, 32767, 0, -1, 0, 16, 32, 0},
      {"rank 4 lower -129", 6, 4, 0, -129, -1, -1, -1, 16, 32, 0},
      {"rank 4 upper 128", 6, 4, 0, -1, -1, 128, -1, 16, 32, 0},
      {"rank 5 lower -17", 6, 5, 0, -17, -1, -1, -1, 16, 32, 0},
      {"rank 5 upper 16", 6, 5, 0, -1, -1, -1, 16, 16, 32, 0},
      {"box empty", 6, 3, 0, 10, 0, -20, 0, 16, 32, 0},
      {"cpp 0", 6, 3, 0, -1, 0, -1, 0, 0, 32, 0},
      {"cpp 257", 0, 3, 0, -1, 0, -1, 0, 257, 32, 0},
      {"cpp 256 u8", 0, 3, 0, -1, 0, -1, 0, 256, 32, 0},
      {"cpp 12 (24 B)", 6, 3, 0, -1, 0, -1, 0, 12, 32, 0},
      {"ppc 0", 6, 3, 0, -1, 0, -1, 0, 16, 0, 0},
      {"ppc 1024", 6, 3, 0, -1, 0, -1, 0, 16, 1024, 0},
      {"ppc 1025", 6, 3, 0, -1, 0, -1, 0, 16, 1025, 0},
      {"sw64 cpp 32 (64 B)", 6, 3, 0, -1, 0, -1, 0, 32, 32, 2},
      {"sw32 cpp 32 (64 B)", 6, 3, 0, -1, 0, -1, 0, 32, 32, 1},
      {"addr +8", 6, 3, 8, -1, 0, -1, 0, 16, 32, 0},
  };
  for (const ICase& c : icases) {
    cuuint64_t d[5] = {64, 20, 6, 4, 2}, s[4] = {128, 2560, 15360, 61440};
    cuuint32_t e[5] = {1, 1, 1, 1, 1};
    int lo[3] = {c.lo0, c.lo1, -1}, hi[3] = {c.hi0, c.hi1, -1};
    CUresult r = encode_im2col(tm, (DT)c.dt, c.rank, a + c.addr_off, d, s, lo, hi, c.cpp, c.ppc, e,
                               CU_TENSOR_MAP_INTERLEAVE_NONE, (SW)c.sw, CU_TENSOR_MAP_L2_PROMOTION_NONE,
                               CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    printf("%-28s -> %d\n", c.name, (int)r);
  }
  printf("-- cuTensorMapEncodeIm2colWide\n");
  if (encode_im2col_wide) {
    cuuint64_t d[3] = {64, 20, 2}, s[2] = {128, 2560};
    cuuint32_t e[3] = {1, 1, 1};
    CUresult r = encode_im2col_wide(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT16, 3, a, d, s, -1, -1, 64, 32, e,
                                    CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_IM2COL_WIDE_MODE_W,
                                    CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_NONE,
                                    CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    printf("%-28s -> %d\n", "valid rank 3 (sm_100 only)", (int)r);
  } else {
    printf("entry point missing\n");
  }
  printf("-- cuTensorMapReplaceAddress\n");
  {
    cuuint64_t d[2] = {64, 32}, s[1] = {256};
    cuuint32_t b[2] = {16, 8}, e[2] = {1, 1};
    encode_tiled(tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, a, d, s, b, e, CU_TENSOR_MAP_INTERLEAVE_NONE,
                 CU_TENSOR_MAP_SWIZZLE_NONE, CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    printf("%-28s -> %d\n", "address +32", (int)replace_address(tm, a + 32));
    printf("%-28s -> %d\n", "address +8", (int)replace_address(tm, a + 8));
    printf("%-28s -> %d\n", "address null", (int)replace_address(tm, nullptr));
    // (a null tensorMap crashes NVIDIA's driver: not asked)
    printf("%-28s -> %d\n", "tensorMap +8", (int)replace_address((CUtensorMap*)((char*)tm + 8), a));
  }
}


// ---- Interleaved tensor maps (CU_TENSOR_MAP_INTERLEAVE_16B/_32B)
// Global memory holds 0x40000000 | (byte offset / 4) in every word, so each word a load brings
// names its source; loads print "[from,to)gOFFSET" runs of the shared buffer (0: zero fill,
// nan: 0x7ff77ff7, --: untouched). The transaction bytes a load completes are measured:
// arrive.expect_tx(IL_E), the copy, a pause, then complete_tx(1) until the phase completes.
// Stores put 0x50000000 | (word index) in shared memory and print the changed runs of global
// memory ("gOFFSET+LEN=sSMEM"); reductions (add.u32) do the same over 0x01000000 words.
// Measured on the H100 (scripts/tma/probe_interleave.cu has the wider sweep): dimension 0
// counts 16/32-byte chunks whatever the data type, dimension rank-2 contributes one chunk,
// rows are dense, im2col walks dimensions 0..rank-3 one chunk per pixel.
enum { IL_E = 16384, IL_BUF = SMEM + 256 };

__device__ bool il_done(uint32_t b) {
  uint32_t ok;
  asm volatile("{ .reg .pred p; mbarrier.test_wait.parity.shared::cta.b64 p, [%1], 0; selp.u32 %0, 1, 0, p; }"
               : "=r"(ok) : "r"(b) : "memory");
  return ok;
}

__global__ void tma_load_il(const __grid_constant__ CUtensorMap tm, int rank, int im2col, Coords co, Coords off,
                            int soff, uint8_t* out, uint32_t* res) {
  __shared__ alignas(1024) uint8_t buf[IL_BUF];
  __shared__ alignas(8) uint64_t bar;
  for (int i = threadIdx.x; i < IL_BUF; i += blockDim.x) buf[i] = SENTINEL;
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t b = saddr(&bar), d = saddr(buf + soff);
    const int* c = co.c;
    const int* o = off.c;
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(b));
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(b), "r"((int)IL_E) : "memory");
    if (!im2col) {
      if (rank == 3)
        asm volatile("cp.async.bulk.tensor.3d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4}], [%5];"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(b) : "memory");
      else if (rank == 4)
        asm volatile("cp.async.bulk.tensor.4d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5}], [%6];"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(b) : "memory");
      else
        asm volatile("cp.async.bulk.tensor.5d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5, %6}], [%7];"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(b) : "memory");
    } else {
      if (rank == 3)
        asm volatile("cp.async.bulk.tensor.3d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4}], [%5], {%6};"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(b), "h"((unsigned short)o[0]) : "memory");
      else if (rank == 4)
        asm volatile("cp.async.bulk.tensor.4d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5}], [%6], {%7, %8};"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(b), "h"((unsigned short)o[0]),
                     "h"((unsigned short)o[1]) : "memory");
      else
        asm volatile("cp.async.bulk.tensor.5d.shared::cluster.global.im2col.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5, %6}], [%7], {%8, %9, %10};"
                     ::"r"(d), "l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(c[4]), "r"(b),
                     "h"((unsigned short)o[0]), "h"((unsigned short)o[1]), "h"((unsigned short)o[2]) : "memory");
    }
    long long t0 = clock64();
    while (clock64() - t0 < 200000) {
    }
    uint32_t bytes = 0xffffffffu;
    if (il_done(b)) {
      bytes = IL_E;
    } else {
      for (uint32_t k = 1; k <= IL_E; ++k) {
        asm volatile("mbarrier.complete_tx.shared::cta.b64 [%0], 1;" ::"r"(b) : "memory");
        if (il_done(b)) {
          bytes = IL_E - k;
          break;
        }
      }
    }
    res[0] = bytes;
  }
  __syncthreads();
  for (int i = threadIdx.x; i < IL_BUF; i += blockDim.x) out[i] = buf[i];
}

// op 1: store, 2: reduction add (u32 maps); shared words 0x50000000 | (index from the box)
__global__ void tma_store_il(const __grid_constant__ CUtensorMap tm, int rank, int op, Coords co, int soff) {
  __shared__ alignas(1024) uint32_t w[IL_BUF / 4];
  for (int i = threadIdx.x; i < IL_BUF / 4; i += blockDim.x) w[i] = 0x50000000u | (uint32_t)(i - soff / 4);
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t s = saddr((uint8_t*)w + soff);
    const int* c = co.c;
    if (op == 1) {
      if (rank == 3)
        asm volatile("cp.async.bulk.tensor.3d.global.shared::cta.tile.bulk_group [%0, {%1, %2, %3}], [%4];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(s) : "memory");
      else
        asm volatile("cp.async.bulk.tensor.4d.global.shared::cta.tile.bulk_group [%0, {%1, %2, %3, %4}], [%5];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(s) : "memory");
    } else {
      if (rank == 3)
        asm volatile("cp.reduce.async.bulk.tensor.3d.global.shared::cta.add.tile.bulk_group [%0, {%1, %2, %3}], [%4];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(s) : "memory");
      else
        asm volatile("cp.reduce.async.bulk.tensor.4d.global.shared::cta.add.tile.bulk_group [%0, {%1, %2, %3, %4}], [%5];"
                     ::"l"(&tm), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]), "r"(s) : "memory");
    }
    asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
  }
  __syncthreads();
}

// One interleaved copy: a tile or im2col load, a store or a reduction. Defaults: f32 tensor
// 64 x 24 x 4 (pitches 256, 6144), interleave 16B, no swizzle, box 4x8x2.
struct IlCase {
  const char* name;
  int op = 0;  // 0 load, 1 store, 2 reduction add
  int im2col = 0, dt = 7, rank = 3;
  cuuint64_t d[5] = {64, 24, 4, 1, 1};
  cuuint64_t s[4] = {256, 6144, 24576, 24576};
  cuuint32_t b[5] = {4, 8, 2, 1, 1};
  cuuint32_t es[5] = {1, 1, 1, 1, 1};
  int il = 1, sw = 0, fill = 0;
  Coords co{{0, 0, 0, 0, 0}}, off{{0, 0, 0, 0, 0}};
  int lo[3] = {-1, -1, -1}, hi[3] = {-1, -1, -1};
  int cpp = 4, ppc = 8, soff = 0;
};

static uint8_t *il_g, *il_gs, *il_out;
static uint32_t* il_res;
enum { IL_G = 1 << 18 };

// runs of words: loads (sources), stores/reductions (changed global words)
static void il_runs(const uint32_t* w, int nw, uint32_t sent, bool load) {
  int last = -1, i = 0, runs = 0;
  for (int k = 0; k < nw; ++k)
    if (w[k] != sent) last = k;
  while (i <= last) {
    uint32_t a = w[i];
    int cls = a == sent ? 0 : a == 0 ? 1 : a == 0x7ff77ff7u ? 2 : (a >> 24) == (load ? 0x40u : 0x50u) ? 3
            : !load && (a >> 24) == 0x51u ? 3 : 4;
    int j = i + 1;
    if (cls != 4)
      while (j <= last && w[j] == (cls == 3 ? a + (uint32_t)(j - i) : a)) ++j;
    if (load) {
      printf(" [%d,%d)", i * 4, j * 4);
      if (cls == 0) printf("--");
      else if (cls == 1) printf("0");
      else if (cls == 2) printf("nan");
      else if (cls == 3) printf("g%u", (a & 0xffffff) * 4);
      else printf("%08x", a);
    } else if (cls != 0) {
      printf(" g%d+%d=", i * 4, (j - i) * 4);
      if (cls == 3) printf("%ss%u", (a >> 24) == 0x51u ? "+" : "", (a & 0xffffff) * 4);
      else printf("%08x", a);
    }
    if (++runs >= 200) {
      printf(" ...");
      break;
    }
    i = j;
  }
  printf(" | last=%d\n", last >= 0 ? last * 4 + 3 : -1);
}

static CUresult il_encode(const IlCase& c, void* base, CUtensorMap* tm) {
  if (c.im2col)
    return encode_im2col(tm, (CUtensorMapDataType)c.dt, c.rank, base, c.d, c.s, c.lo, c.hi, c.cpp, c.ppc, c.es,
                         (CUtensorMapInterleave)c.il, (CUtensorMapSwizzle)c.sw, CU_TENSOR_MAP_L2_PROMOTION_NONE,
                         (CUtensorMapFloatOOBfill)c.fill);
  return encode_tiled(tm, (CUtensorMapDataType)c.dt, c.rank, base, c.d, c.s, c.b, c.es, (CUtensorMapInterleave)c.il,
                      (CUtensorMapSwizzle)c.sw, CU_TENSOR_MAP_L2_PROMOTION_NONE, (CUtensorMapFloatOOBfill)c.fill);
}

// Runs c; returns the launch's error (printed by the caller where it is a measured fault).
static cudaError_t il_run(const IlCase& c, bool quiet_fault) {
  printf("%-44s", c.name);
  alignas(64) CUtensorMap tm;
  CUresult r = il_encode(c, c.op ? il_gs : il_g, &tm);
  if (r != CUDA_SUCCESS) {
    printf(" encode -> %d\n", (int)r);
    return cudaSuccess;
  }
  if (c.op == 0) {
    CK(cudaMemset(il_res, 0, 4));
    tma_load_il<<<1, 128>>>(tm, c.rank, c.im2col, c.co, c.off, c.soff, il_out, il_res);
  } else {
    std::vector<uint32_t> init(IL_G / 4, c.op == 1 ? 0xDDDDDDDDu : 0x01000000u);
    CK(cudaMemcpy(il_gs, init.data(), IL_G, cudaMemcpyHostToDevice));
    tma_store_il<<<1, 128>>>(tm, c.rank, c.op, c.co, c.soff);
  }
  cudaError_t e = cudaGetLastError();
  if (e == cudaSuccess) e = cudaDeviceSynchronize();
  if (e != cudaSuccess) {
    if (!quiet_fault) CK(e);
    return e;
  }
  if (c.op == 0) {
    uint32_t tx;
    std::vector<uint32_t> s(IL_BUF / 4);
    CK(cudaMemcpy(&tx, il_res, 4, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(s.data(), il_out, IL_BUF, cudaMemcpyDeviceToHost));
    printf(" tx=%d\n  ", (int)tx);
    il_runs(s.data(), IL_BUF / 4, 0xEEEEEEEEu, true);
  } else {
    std::vector<uint32_t> back(IL_G / 4);
    CK(cudaMemcpy(back.data(), il_gs, IL_G, cudaMemcpyDeviceToHost));
    printf("\n  ");
    il_runs(back.data(), IL_G / 4, c.op == 1 ? 0xDDDDDDDDu : 0x01000000u, false);
  }
  return cudaSuccess;
}

static void il_setup() {
  CK(cudaMalloc(&il_g, IL_G));
  CK(cudaMalloc(&il_gs, IL_G));
  CK(cudaMalloc(&il_out, IL_BUF));
  CK(cudaMalloc(&il_res, 4));
  std::vector<uint32_t> h(IL_G / 4);
  for (int i = 0; i < IL_G / 4; ++i) h[i] = 0x40000000u | (uint32_t)i;
  CK(cudaMemcpy(il_g, h.data(), IL_G, cudaMemcpyHostToDevice));
}

static IlCase il_tile(const char* n, int il, int sw, std::initializer_list<cuuint32_t> box, std::initializer_list<int> co) {
  IlCase c;
  c.name = n;
  c.il = il;
  c.sw = sw;
  int i = 0;
  for (cuuint32_t v : box) c.b[i++] = v;
  i = 0;
  for (int v : co) c.co.c[i++] = v;
  return c;
}

// im2col: f32 NC/4WC4 tensor, W = 10 (pitch 160), 3 channel slices, N = 2; corners -1/-1
static IlCase il_im2col(const char* n, int il, int sw, int ppc, int w, int slice, int img, int off) {
  IlCase c;
  c.name = n;
  c.im2col = 1;
  c.il = il;
  c.sw = sw;
  c.ppc = ppc;
  c.d[0] = 10; c.d[1] = 3; c.d[2] = 2;
  c.s[0] = il == 2 ? 320 : 160;
  c.s[1] = c.s[0] * 3;
  c.co = Coords{{w, slice, img, 0, 0}};
  c.off = Coords{{off, 0, 0, 0, 0}};
  return c;
}

// The copies that stop the H100's kernel: each runs in a child process (a fault ends the
// CUDA context), which prints the error the launch returned.
static std::vector<IlCase> il_fault_cases() {
  std::vector<IlCase> v;
  IlCase c = il_tile("fault: il16 load, box at shared +64", 1, 0, {4, 8, 2}, {0, 0, 0});
  c.soff = 64;
  v.push_back(c);
  c = il_tile("fault: no interleave load, box at shared +16", 0, 0, {4, 8, 2}, {0, 0, 0});
  c.soff = 16;
  v.push_back(c);
  c = il_tile("fault: il16 store, box at shared +32", 1, 0, {4, 8, 2}, {0, 0, 0});
  c.op = 1; c.dt = 2; c.soff = 32;
  v.push_back(c);
  v.push_back(il_im2col("fault: im2col il16 start w -3 (lower -1)", 1, 0, 16, -3, 0, 0, 2));
  v.push_back(il_im2col("fault: im2col il16 start w -2 off 0", 1, 0, 16, -2, 0, 0, 0));
  v.push_back(il_im2col("fault: im2col il16 start w 9 (last 8)", 1, 0, 16, 9, 0, 0, 0));
  v.push_back(il_im2col("fault: im2col il16 start w 12", 1, 0, 16, 12, 0, 0, 0));
  v.push_back(il_im2col("fault: im2col il16 start n -1", 1, 0, 16, 0, 0, -1, 0));
  v.push_back(il_im2col("fault: im2col il16 start n 2", 1, 0, 16, 0, 0, 2, 0));
  c = il_im2col("fault: im2col il16 4d start h -2 (lower -1)", 1, 0, 12, -1, 0, 0, 0);
  c.rank = 4; c.d[0] = 6; c.d[1] = 5; c.d[2] = 2; c.d[3] = 2; c.s[0] = 96; c.s[1] = 480; c.s[2] = 960;
  c.co = Coords{{-1, -2, 0, 0, 0}};
  v.push_back(c);
  c = il_im2col("fault: im2col no interleave start w -3", 0, 0, 16, -3, 0, 0, 0);
  c.d[0] = 4; c.d[1] = 10; c.d[2] = 2; c.s[0] = 16; c.s[1] = 160;
  c.co = Coords{{0, -3, 0, 0, 0}};
  v.push_back(c);
  c.name = "fault: im2col no interleave start w 9";
  c.co = Coords{{0, 9, 0, 0, 0}};
  v.push_back(c);
  c = il_tile("fault: il16 store at (-1,0,0)", 1, 0, {4, 8, 2}, {-1, 0, 0});
  c.op = 1; c.dt = 2;
  v.push_back(c);
  c.name = "fault: il16 store at (0,-1,0)";
  c.co = Coords{{0, -1, 0, 0, 0}};
  v.push_back(c);
  c.name = "fault: il16 add at (0,0,-1)";
  c.op = 2;
  c.co = Coords{{0, 0, -1, 0, 0}};
  v.push_back(c);
  return v;
}

static void interleaved() {
  il_setup();
  printf("-- interleaved maps: what cuTensorMapEncodeTiled/Im2col accept (box0 / channels in bytes, u8)\n");
  for (int im = 0; im < 2; ++im)
    for (int il = 1; il <= 2; ++il)
      for (int sw = 0; sw <= 3; ++sw) {
        printf("%s il%d sw%d:", im ? "im2col cpp" : "tiled box0", il, sw);
        const int bytes[] = {1, 8, 12, 16, 24, 32, 48, 64, 96, 128, 160, 256};
        for (int n : bytes) {
          cuuint64_t d[3] = {256, 16, 4}, s[2] = {512, 8192};
          cuuint32_t b[3] = {(cuuint32_t)n, 4, 2}, es[3] = {1, 1, 1};
          int lo[1] = {-1}, hi[1] = {-1};
          alignas(64) CUtensorMap tm;
          CUresult r = im ? encode_im2col(&tm, CU_TENSOR_MAP_DATA_TYPE_UINT8, 3, il_g, d, s, lo, hi, n, 8, es,
                                          (CUtensorMapInterleave)il, (CUtensorMapSwizzle)sw,
                                          CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE)
                          : encode_tiled(&tm, CU_TENSOR_MAP_DATA_TYPE_UINT8, 3, il_g, d, s, b, es,
                                         (CUtensorMapInterleave)il, (CUtensorMapSwizzle)sw,
                                         CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
          printf(" %d:%d", n, (int)r);
        }
        printf("\n");
      }
  {
    struct { const char* n; int il, dt; cuuint64_t d0, s0; cuuint32_t b0, e0; int rank; } x[] = {
        {"il16 f32 es0 8", 1, 7, 64, 256, 8, 8, 3}, {"il16 f32 es0 9", 1, 7, 64, 256, 8, 9, 3},
        {"il32 f32 es0 8", 2, 7, 64, 256, 8, 8, 3}, {"il16 f32 dim0 3", 1, 7, 3, 16, 4, 1, 3},
        {"il16 f32 box0 3", 1, 7, 3, 16, 3, 1, 3},  {"il32 f32 stride 48", 2, 7, 64, 48, 8, 1, 3},
        {"il16 f64 box0 1", 1, 8, 64, 512, 1, 1, 3}, {"il16 f64 box0 2", 1, 8, 64, 512, 2, 1, 3},
        {"il16 f32 rank 4", 1, 7, 64, 256, 4, 1, 4}, {"il16 f32 rank 5", 1, 7, 64, 256, 4, 1, 5},
        {"il32 f32 rank 2", 2, 7, 64, 256, 8, 1, 2},
    };
    for (auto& y : x) {
      cuuint64_t d[5] = {y.d0, 24, 4, 3, 2}, s[4] = {y.s0, y.s0 * 24, y.s0 * 96, y.s0 * 288};
      cuuint32_t b[5] = {y.b0, 8, 2, 2, 2}, es[5] = {y.e0, 1, 1, 1, 1};
      alignas(64) CUtensorMap tm;
      CUresult r = encode_tiled(&tm, (CUtensorMapDataType)y.dt, y.rank, il_g, d, s, b, es, (CUtensorMapInterleave)y.il,
                                y.il == 2 ? CU_TENSOR_MAP_SWIZZLE_32B : CU_TENSOR_MAP_SWIZZLE_NONE,
                                CU_TENSOR_MAP_L2_PROMOTION_NONE, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
      printf("%-28s -> %d\n", y.n, (int)r);
    }
  }
  std::vector<IlCase> cs;
  printf("-- interleaved tile loads, f32 tensor 64 x 24 x 4 (pitches 256, 6144)\n");
  cs.push_back(il_tile("il16 box 4x8x2", 1, 0, {4, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il16 box 8x1x2 (4,3,1)", 1, 0, {8, 1, 2}, {4, 3, 1}));
  cs.push_back(il_tile("il16 box 8x256x2 (4,3,1)", 1, 0, {8, 256, 2}, {4, 3, 1}));
  cs.push_back(il_tile("il16 box 64x2x1", 1, 0, {64, 2, 1}, {0, 0, 0}));
  cs.push_back(il_tile("il16 box 4x24x4 (8,0,0)", 1, 0, {4, 24, 4}, {8, 0, 0}));
  cs.push_back(il_tile("il16 box 4x8x2 (60,20,3)", 1, 0, {4, 8, 2}, {60, 20, 3}));
  cs.push_back(il_tile("il16 box 8x8x2 (60,0,0)", 1, 0, {8, 8, 2}, {60, 0, 0}));
  cs.push_back(il_tile("il16 box 8x8x2 (-4,-2,-1)", 1, 0, {8, 8, 2}, {-4, -2, -1}));
  cs.push_back(il_tile("il16 box 4x8x2 (-2,0,0)", 1, 0, {4, 8, 2}, {-2, 0, 0}));
  cs.push_back(il_tile("il16 box 4x8x2 (1,0,0)", 1, 0, {4, 8, 2}, {1, 0, 0}));
  cs.push_back(il_tile("il16 box 4x8x2 (0,24,0)", 1, 0, {4, 8, 2}, {0, 24, 0}));
  cs.push_back(il_tile("il16 box 4x8x2 (0,23,0)", 1, 0, {4, 8, 2}, {0, 23, 0}));
  {
    IlCase c = il_tile("il16 box 12x8x2 es 3,1,1 (4,0,0)", 1, 0, {12, 8, 2}, {4, 0, 0});
    c.es[0] = 3;
    cs.push_back(c);
    c = il_tile("il16 box 4x8x4 es 1,3,2 (0,1,0)", 1, 0, {4, 8, 4}, {0, 1, 0});
    c.es[1] = 3; c.es[2] = 2;
    cs.push_back(c);
  }
  cs.push_back(il_tile("il16 sw32 box 8x8x2", 1, 1, {8, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il16 sw32 box 16x8x2", 1, 1, {16, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il16 sw64 box 16x8x2", 1, 2, {16, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il16 sw64 box 4x8x2", 1, 2, {4, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il16 sw128 box 32x8x2", 1, 3, {32, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il16 sw128 box 4x16x2", 1, 3, {4, 16, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il16 sw128 box 8x16x2", 1, 3, {8, 16, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il32 sw32 box 8x8x2", 2, 1, {8, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il32 sw32 box 16x8x2", 2, 1, {16, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il32 sw32 box 8x8x2 (4,3,1)", 2, 1, {8, 8, 2}, {4, 3, 1}));
  cs.push_back(il_tile("il32 sw32 box 8x8x2 (56,20,3)", 2, 1, {8, 8, 2}, {56, 20, 3}));
  cs.push_back(il_tile("il32 sw0 box 16x4x2", 2, 0, {16, 4, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il32 sw64 box 8x8x2", 2, 2, {8, 8, 2}, {0, 0, 0}));
  cs.push_back(il_tile("il32 sw128 box 16x8x2", 2, 3, {16, 8, 2}, {0, 0, 0}));
  {
    IlCase c = il_tile("il16 sw32 box 8x8x2 at shared +128", 1, 1, {8, 8, 2}, {0, 0, 0});
    c.soff = 128;
    cs.push_back(c);
    c = il_tile("il16 sw128 box 8x16x2 at shared +256", 1, 3, {8, 16, 2}, {0, 0, 0});
    c.soff = 256;
    cs.push_back(c);
    c = il_tile("il16 nan box 8x8x2 (60,22,3)", 1, 0, {8, 8, 2}, {60, 22, 3});
    c.fill = 1;
    cs.push_back(c);
    c = il_tile("il32 sw32 nan box 8x8x2 (60,22,3)", 2, 1, {8, 8, 2}, {60, 22, 3});
    c.fill = 1;
    cs.push_back(c);
    c = il_tile("il16 u16 box 8x8x2 (8,1,1)", 1, 0, {8, 8, 2}, {8, 1, 1});
    c.dt = 1; c.d[0] = 128;
    cs.push_back(c);
    c = il_tile("il16 f16 nan box 8x8x2 (124,22,3)", 1, 0, {8, 8, 2}, {124, 22, 3});
    c.dt = 6; c.d[0] = 128; c.fill = 1;
    cs.push_back(c);
    c = il_tile("il16 u8 box 16x8x2 (248,0,0) dim0 250", 1, 0, {16, 8, 2}, {248, 0, 0});
    c.dt = 0; c.d[0] = 250;
    cs.push_back(c);
    c = il_tile("il16 f64 box 2x8x2 (2,1,1)", 1, 0, {2, 8, 2}, {2, 1, 1});
    c.dt = 8; c.d[0] = 32;
    cs.push_back(c);
    c = il_tile("il32 sw32 f64 box 4x8x2 (4,1,1)", 2, 1, {4, 8, 2}, {4, 1, 1});
    c.dt = 8; c.d[0] = 32;
    cs.push_back(c);
    c = il_tile("il16 NC/4WC4 dim0 3 box 4x8x2", 1, 0, {4, 8, 2}, {0, 0, 0});
    c.d[0] = 3; c.d[1] = 40; c.d[2] = 6; c.s[0] = 16; c.s[1] = 640;
    cs.push_back(c);
    c = il_tile("il32 sw32 dim0 5 box 8x8x2", 2, 1, {8, 8, 2}, {0, 0, 0});
    c.d[0] = 5; c.d[1] = 40; c.d[2] = 6; c.s[0] = 32; c.s[1] = 1280;
    cs.push_back(c);
    c = il_tile("il16 4d box 8x4x2x2", 1, 0, {8, 4, 2, 2}, {0, 0, 0, 0});
    c.rank = 4; c.d[0] = 64; c.d[1] = 12; c.d[2] = 4; c.d[3] = 3; c.s[0] = 256; c.s[1] = 3072; c.s[2] = 12288;
    cs.push_back(c);
    c.name = "il16 4d box 4x2x8x2 es 1,1,2,1 (0,1,1,0)";
    c.b[0] = 4; c.b[1] = 2; c.b[2] = 8; c.es[2] = 2; c.co = Coords{{0, 1, 1, 0, 0}};
    cs.push_back(c);
    c.name = "il16 4d box 8x4x2x2 (60,10,3,2)";
    c.b[0] = 8; c.b[1] = 4; c.b[2] = 2; c.es[2] = 1; c.co = Coords{{60, 10, 3, 2, 0}};
    cs.push_back(c);
    c = il_tile("il16 5d box 8x4x2x2x2 (8,1,1,1,1)", 1, 0, {8, 4, 2, 2, 2}, {8, 1, 1, 1, 1});
    c.rank = 5; c.d[0] = 32; c.d[1] = 6; c.d[2] = 4; c.d[3] = 3; c.d[4] = 2;
    c.s[0] = 128; c.s[1] = 768; c.s[2] = 3072; c.s[3] = 9216;
    cs.push_back(c);
    c = il_tile("il32 sw32 5d box 8x2x2x2x2 (8,5,3,2,1)", 2, 1, {8, 2, 2, 2, 2}, {8, 5, 3, 2, 1});
    c.rank = 5; c.d[0] = 32; c.d[1] = 6; c.d[2] = 4; c.d[3] = 3; c.d[4] = 2;
    c.s[0] = 128; c.s[1] = 768; c.s[2] = 3072; c.s[3] = 9216;
    cs.push_back(c);
  }
  for (auto& c : cs) il_run(c, false);
  cs.clear();
  printf("-- interleaved im2col loads, f32 NC/4WC4: W 10 (pitch 160), 3 slices, N 2; corners -1/-1\n");
  cs.push_back(il_im2col("im2col il16 ppc 24 (-1,1,0) off 1", 1, 0, 24, -1, 1, 0, 1));
  cs.push_back(il_im2col("im2col il16 ppc 24 (5,1,0) off 0", 1, 0, 24, 5, 1, 0, 0));
  cs.push_back(il_im2col("im2col il16 ppc 16 (3,3,0) slice oob", 1, 0, 16, 3, 3, 0, 0));
  {
    IlCase c = il_im2col("im2col il16 es 2 ppc 16 (-1,2,0) off 1", 1, 0, 16, -1, 2, 0, 1);
    c.es[0] = 2;
    cs.push_back(c);
    c = il_im2col("im2col il16 corners -2/1 ppc 16 (-2,0,0)", 1, 0, 16, -2, 0, 0, 0);
    c.lo[0] = -2; c.hi[0] = 1;
    cs.push_back(c);
    c = il_im2col("im2col il16 cpp 32 ppc 16 (0,0,0)", 1, 0, 16, 0, 0, 0, 0);
    c.cpp = 32;
    cs.push_back(c);
    c = il_im2col("im2col il16 nan ppc 24 (5,1,1) off 1", 1, 0, 24, 5, 1, 1, 1);
    c.fill = 1;
    cs.push_back(c);
    cs.push_back(il_im2col("im2col il32 sw32 ppc 16 (4,1,0) off 1", 2, 1, 16, 4, 1, 0, 1));
    cs.push_back(il_im2col("im2col il16 sw64 ppc 16 (4,1,0) off 1", 1, 2, 16, 4, 1, 0, 1));
    cs.push_back(il_im2col("im2col il16 sw128 ppc 24 (4,1,0) off 1", 1, 3, 24, 4, 1, 0, 1));
    c = il_im2col("im2col il16 4d ppc 20 (-1,-1,1,0) off 1,2", 1, 0, 20, -1, 0, 0, 0);
    c.rank = 4; c.d[0] = 6; c.d[1] = 5; c.d[2] = 2; c.d[3] = 2; c.s[0] = 96; c.s[1] = 480; c.s[2] = 960;
    c.lo[0] = c.lo[1] = -1; c.hi[0] = c.hi[1] = -2;
    c.co = Coords{{-1, -1, 1, 0, 0}};
    c.off = Coords{{1, 2, 0, 0, 0}};
    cs.push_back(c);
    c.name = "im2col il16 4d ppc 24 (2,1,0,0)";
    c.ppc = 24; c.co = Coords{{2, 1, 0, 0, 0}}; c.off = Coords{{0, 0, 0, 0, 0}};
    cs.push_back(c);
    c.name = "im2col il16 4d es 2,2,3 ppc 12 (-1,-1,0,0) off 1,1";
    c.ppc = 12; c.es[0] = 2; c.es[1] = 2; c.es[2] = 3; c.co = Coords{{-1, -1, 0, 0, 0}}; c.off = Coords{{1, 1, 0, 0, 0}};
    cs.push_back(c);
    c = il_im2col("im2col il16 5d ppc 30 (-1,-1,-1,1,0) off 1,1,1", 1, 0, 30, 0, 0, 0, 0);
    c.rank = 5; c.d[0] = 4; c.d[1] = 3; c.d[2] = 3; c.d[3] = 2; c.d[4] = 2;
    c.s[0] = 64; c.s[1] = 192; c.s[2] = 576; c.s[3] = 1152;
    c.co = Coords{{-1, -1, -1, 1, 0}};
    c.off = Coords{{1, 1, 1, 0, 0}};
    cs.push_back(c);
  }
  for (auto& c : cs) il_run(c, false);
  cs.clear();
  printf("-- interleaved stores and reductions (add), u32 tensor 64 x 24 x 4\n");
  {
    auto S = [](const char* n, int op, int il, int sw, std::initializer_list<cuuint32_t> box, std::initializer_list<int> co) {
      IlCase c = il_tile(n, il, sw, box, co);
      c.op = op;
      c.dt = 2;
      return c;
    };
    cs.push_back(S("store il16 box 4x8x2", 1, 1, 0, {4, 8, 2}, {0, 0, 0}));
    cs.push_back(S("store il16 box 8x8x2 (60,20,3)", 1, 1, 0, {8, 8, 2}, {60, 20, 3}));
    cs.push_back(S("store il16 sw128 box 32x8x2", 1, 1, 3, {32, 8, 2}, {0, 0, 0}));
    cs.push_back(S("store il32 sw32 box 16x8x2 (56,20,3)", 1, 2, 1, {16, 8, 2}, {56, 20, 3}));
    IlCase c = S("store il16 box 8x8x2 es 2,1,1", 1, 1, 0, {8, 8, 2}, {0, 0, 0});
    c.es[0] = 2;
    cs.push_back(c);
    c = S("store il16 4d box 4x2x2x2 at shared +128", 1, 1, 0, {4, 2, 2, 2}, {4, 1, 1, 1});
    c.rank = 4; c.d[0] = 64; c.d[1] = 12; c.d[2] = 4; c.d[3] = 3; c.s[0] = 256; c.s[1] = 3072; c.s[2] = 12288;
    c.soff = 128;
    cs.push_back(c);
    cs.push_back(S("add il16 box 8x8x2 (4,2,1)", 2, 1, 0, {8, 8, 2}, {4, 2, 1}));
    cs.push_back(S("add il32 sw32 box 8x8x2 (60,20,3)", 2, 2, 1, {8, 8, 2}, {60, 20, 3}));
    cs.push_back(S("add il16 sw64 box 16x8x2", 2, 1, 2, {16, 8, 2}, {0, 0, 0}));
  }
  for (auto& c : cs) il_run(c, false);
  printf("-- interleaved and misaligned copies that stop the kernel (one child process each)\n");
  fflush(stdout);
  std::vector<IlCase> fs = il_fault_cases();
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n > 0 ? n : 0] = 0;
  for (size_t k = 0; k < fs.size(); ++k) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "TMA_IL_FAULT=%zu '%s'", k, self);
    FILE* p = popen(cmd, "r");
    char line[4096];
    bool any = false;
    while (p && fgets(line, sizeof line, p)) {
      fputs(line, stdout);
      any = true;
    }
    int st = p ? pclose(p) : -1;
    if (!any || st != 0) {
      printf("%s: child failed (status %d)\n", fs[k].name, st);
      ++failures;
    }
  }
}

// TMA_IL_FAULT=K (set by interleaved() for its child processes): runs fault case K alone.
static int interleaved_fault(int k) {
  il_setup();
  std::vector<IlCase> fs = il_fault_cases();
  if (k < 0 || k >= (int)fs.size()) return 1;
  cudaError_t e = il_run(fs[k], true);
  if (e != cudaSuccess) printf(" -> %s\n", cudaGetErrorName(e));
  return 0;
}

int main() {
  const char* dump_path = getenv("TMA_DUMP");
  if (dump_path) dump = fopen(dump_path, "w");
  const bool child = getenv("TMA_IL_FAULT") != nullptr;
  cudaDriverEntryPointQueryResult q;
  CK(cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", (void**)&encode_tiled, 12000, cudaEnableDefault, &q));
  if (!child) printf("cuTensorMapEncodeTiled: query %d\n", (int)q);
  CK(cudaGetDriverEntryPointByVersion("cuTensorMapEncodeIm2col", (void**)&encode_im2col, 12000, cudaEnableDefault, &q));
  if (!child) printf("cuTensorMapEncodeIm2col: query %d\n", (int)q);
  CK(cudaGetDriverEntryPointByVersion("cuTensorMapReplaceAddress", (void**)&replace_address, 12000, cudaEnableDefault, &q));
  if (!child) printf("cuTensorMapReplaceAddress: query %d\n", (int)q);
  if (cudaGetDriverEntryPointByVersion("cuTensorMapEncodeIm2colWide", (void**)&encode_im2col_wide, 12080, cudaEnableDefault, &q) != cudaSuccess)
    encode_im2col_wide = nullptr;
  if (!child) printf("cuTensorMapEncodeIm2colWide: query %d\n", (int)q);

  CK(cudaMalloc(&d_out, SMEM));
  CK(cudaMalloc(&d_src, SMEM));
  CK(cudaMalloc(&d_status, 4));
  const size_t G = 1 << 20;
  uint8_t* g;
  CK(cudaMalloc(&g, G));
  std::vector<uint8_t> host(G);
  fill_pattern(host, 1);
  CK(cudaMemcpy(g, host.data(), G, cudaMemcpyHostToDevice));

  if (const char* k = getenv("TMA_IL_FAULT")) return interleaved_fault(atoi(k));
  // TMA_PROBE=X,Y: only a 2d f32 load of the box at (X, Y) (one process per probe: a fault
  // ends the context).
  if (const char* probe = getenv("TMA_PROBE")) {
    int x = 0, y = 0;
    bool store = probe[0] == 's';
    sscanf(probe + store, "%d,%d", &x, &y);
    cuuint64_t dims[2] = {40, 24}, str[1] = {176};
    cuuint32_t box[2] = {8, 8}, es[2] = {1, 1};
    CUtensorMap tm = tiled(CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, g, dims, str, box, es, CU_TENSOR_MAP_SWIZZLE_NONE);
    if (store) {  // S at (X, Y)
      tma_store<<<1, 128>>>(tm, 2, 0, Coords{{x, y}}, d_src);
      CK(cudaDeviceSynchronize());
      printf("%s stored\n", probe);
      return 0;
    }
    load(probe, tm, 2, Coords{{x, y}}, 256);
    return 0;
  }
  encode_errors(g);

  const cuuint32_t es1[5] = {1, 1, 1, 1, 1};
  const CUtensorMapSwizzle NOSW = CU_TENSOR_MAP_SWIZZLE_NONE;
  printf("-- 2d f32 tiles, 40x24 tensor (row pitch 176 B), box 8x8, no swizzle\n");
  {
    cuuint64_t dims[2] = {40, 24}, str[1] = {176};
    cuuint32_t box[2] = {8, 8};
    CUtensorMap tm = tiled(CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, g, dims, str, box, es1, NOSW);
    CUtensorMap nan = tiled(CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, g, dims, str, box, es1, NOSW,
                            CU_TENSOR_MAP_FLOAT_OOB_FILL_NAN_REQUEST_ZERO_FMA);
    struct { const char* n; int x, y; } at[] = {
        {"inside (0,0)", 0, 0},     {"inside (8,4)", 8, 4},       {"inside (32,16)", 32, 16},
        {"left (-4,3)", -4, 3},     {"top (4,-3)", 4, -3},        {"right (36,2)", 36, 2},
        {"bottom (12,20)", 12, 20},   {"top-left (-4,-6)", -4, -6}, {"bottom-right (36,19)", 36, 19},
        {"outside (40,0)", 40, 0},  {"outside (-8,-8)", -8, -8},  {"far (-70000,5)", -70000, 5},
    };
    for (auto& p : at) load(p.n, tm, 2, Coords{{p.x, p.y}}, 256);
    load("nan top-left (-4,-6)", nan, 2, Coords{{-4, -6}}, 256);
    load("nan bottom-right (36,19)", nan, 2, Coords{{36, 19}}, 256);
    load("nan outside (40,0)", nan, 2, Coords{{40, 0}}, 256);
    printf("-- element strides {1,2} and {1,3}\n");
    cuuint32_t es2[2] = {1, 2}, es3[2] = {1, 3};
    CUtensorMap s2 = tiled(CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, g, dims, str, box, es2, NOSW);
    CUtensorMap s3 = tiled(CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 2, g, dims, str, box, es3, NOSW);
    load("es2 (8,4)", s2, 2, Coords{{8, 4}}, 128);
    load("es2 (8,19)", s2, 2, Coords{{8, 19}}, 128);
    load("es3 (8,-3)", s3, 2, Coords{{8, -3}}, 96);
    printf("-- replaced address (+1 row)\n");
    CK(cudaGetLastError());
    CUresult r = replace_address(&tm, g + 176);
    printf("replace -> %d\n", (int)r);
    load("replaced (0,0)", tm, 2, Coords{{0, 0}}, 256);
  }
  printf("-- swizzle modes, u16 tensor 256x64 (row pitch 512 B)\n");
  {
    cuuint64_t dims[2] = {256, 64}, str[1] = {512};
    struct { const char* n; CUtensorMapSwizzle sw; cuuint32_t bx, by; int x, y; } cs[] = {
        {"sw32 box 16x16", CU_TENSOR_MAP_SWIZZLE_32B, 16, 16, 16, 3},
        {"sw64 box 32x16", CU_TENSOR_MAP_SWIZZLE_64B, 32, 16, 32, 5},
        {"sw128 box 64x16", CU_TENSOR_MAP_SWIZZLE_128B, 64, 16, 64, 7},
        {"sw128 box 64x32 oob", CU_TENSOR_MAP_SWIZZLE_128B, 64, 32, 224, 40},
        {"sw128 box 32x16 (64 B)", CU_TENSOR_MAP_SWIZZLE_128B, 32, 16, 8, 1},
        {"sw128 box 16x16 (32 B)", CU_TENSOR_MAP_SWIZZLE_128B, 16, 16, 8, 1},
        {"sw64 box 16x16 (32 B)", CU_TENSOR_MAP_SWIZZLE_64B, 16, 16, 8, 1},
        {"sw64 box 8x16 (16 B)", CU_TENSOR_MAP_SWIZZLE_64B, 8, 16, 8, 1},
        {"sw32 box 8x16 (16 B)", CU_TENSOR_MAP_SWIZZLE_32B, 8, 16, 8, 1},
        {"none box 24x8 (48 B)", NOSW, 24, 8, 8, 1},
    };
    for (auto& c : cs) {
      cuuint32_t box[2] = {c.bx, c.by};
      CUtensorMap tm = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT16, 2, g, dims, str, box, es1, c.sw);
      load(c.n, tm, 2, Coords{{c.x, c.y}}, c.bx * c.by * 2);
    }
  }
  printf("-- 1d, 3d, 4d, 5d tiles\n");
  {
    cuuint64_t d1[1] = {1000}, s1[1] = {4000};  // (a null globalStrides is refused even for rank 1)
    cuuint32_t b1[1] = {64};
    CUtensorMap t1 = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT32, 1, g, d1, s1, b1, es1, NOSW);
    load("1d u32 (980)", t1, 1, Coords{{980}}, 256);
    cuuint64_t d3[3] = {64, 10, 6}, s3[2] = {64, 640};
    cuuint32_t b3[3] = {32, 4, 3};
    CUtensorMap t3 = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT8, 3, g, d3, s3, b3, es1, NOSW);
    load("3d u8 (16,8,4)", t3, 3, Coords{{16, 8, 4}}, 384);
    load("3d u8 (48,-1,-2)", t3, 3, Coords{{48, -1, -2}}, 384);
    CUtensorMap t3s = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT8, 3, g, d3, s3, b3, es1, CU_TENSOR_MAP_SWIZZLE_32B);
    load("3d u8 sw32 (0,1,1)", t3s, 3, Coords{{0, 1, 1}}, 384);
    cuuint64_t d4[4] = {8, 5, 4, 3}, s4[3] = {32, 160, 640};
    cuuint32_t b4[4] = {8, 2, 3, 2}, es4[4] = {1, 2, 1, 1};
    CUtensorMap t4 = tiled(CU_TENSOR_MAP_DATA_TYPE_INT32, 4, g, d4, s4, b4, es4, NOSW);
    load("4d s32 es {1,2,1,1}", t4, 4, Coords{{0, 1, 2, 2}}, 8 * 1 * 3 * 2 * 4);
    cuuint64_t d5[5] = {4, 3, 3, 2, 2}, s5[4] = {16, 48, 144, 288};
    cuuint32_t b5[5] = {4, 2, 2, 2, 2};
    CUtensorMap t5 = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT32, 5, g, d5, s5, b5, es1, NOSW);
    load("5d u32 (0,2,-1,1,1)", t5, 5, Coords{{0, 2, -1, 1, 1}}, 4 * 2 * 2 * 2 * 2 * 4);
  }
  printf("-- im2col\n");
  {
    // NWC: C=16 u16 channels, W=20, N=2; lower/upper corner -1/-1 (padding 1, 3-wide filter)
    cuuint64_t d[3] = {16, 20, 2}, s[2] = {32, 640};
    int lo[1] = {-1}, hi[1] = {-1};
    cuuint32_t e[3] = {1, 1, 1};
    alignas(64) CUtensorMap tm;
    CUresult r = encode_im2col(&tm, CU_TENSOR_MAP_DATA_TYPE_UINT16, 3, g, d, s, lo, hi, 16, 32, e,
                               CU_TENSOR_MAP_INTERLEAVE_NONE, NOSW, CU_TENSOR_MAP_L2_PROMOTION_NONE,
                               CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    printf("encode im2col 3d -> %d\n", (int)r);
    load("im2col 3d (0,-1,0) off 0", tm, 3, Coords{{0, -1, 0}}, 16 * 32 * 2, 1, Coords{{0}});
    load("im2col 3d (0,5,0) off 2", tm, 3, Coords{{0, 5, 0}}, 16 * 32 * 2, 1, Coords{{2}});
    // NHWC: C=8 f32, W=6, H=5, N=2; corners {-1,-1}/{-2,-2}; element strides 2 along W
    cuuint64_t d4[4] = {8, 6, 5, 2}, s4[3] = {32, 192, 960};
    int lo4[2] = {-1, -1}, hi4[2] = {-2, -2};
    cuuint32_t e4[4] = {1, 2, 1, 1};
    r = encode_im2col(&tm, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 4, g, d4, s4, lo4, hi4, 8, 20, e4,
                      CU_TENSOR_MAP_INTERLEAVE_NONE, NOSW, CU_TENSOR_MAP_L2_PROMOTION_NONE,
                      CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    printf("encode im2col 4d -> %d\n", (int)r);
    load("im2col 4d (0,-1,-1,0) off 1,2", tm, 4, Coords{{0, -1, -1, 0}}, 8 * 20 * 4, 1, Coords{{1, 2}});
  }
  printf("-- stores and reductions, f32 / u32 / s32 tensor 40x24 (row pitch 176 B), box 8x8\n");
  {
    const size_t T = 176 * 24;
    uint8_t* t;
    CK(cudaMalloc(&t, T));
    cuuint64_t dims[2] = {40, 24}, str[1] = {176};
    cuuint32_t box[2] = {8, 8};
    std::vector<uint8_t> src(SMEM), init(T), back(T);
    struct { const char* n; CUtensorMapDataType t; int op, x, y; } cs[] = {
        {"store f32 (4,4)", CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 0, 4, 4},
        {"store f32 (36,20) clipped", CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 0, 36, 20},
        {"add f32 (28,20) clipped", CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 1, 28, 20},
        {"add u32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_UINT32, 1, 4, 2},
        {"min s32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_INT32, 2, 4, 2},
        {"max s32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_INT32, 3, 4, 2},
        {"min u32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_UINT32, 2, 4, 2},
        {"inc u32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_UINT32, 4, 4, 2},
        {"dec u32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_UINT32, 5, 4, 2},
        {"and u32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_UINT32, 6, 4, 2},
        {"or u32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_UINT32, 7, 4, 2},
        {"xor s32 (4,2)", CU_TENSOR_MAP_DATA_TYPE_INT32, 8, 4, 2},
    };
    for (auto& c : cs) {
      // tensor: small integers (as floats for f32); source: small values incl. negatives
      for (size_t i = 0; i < T / 4; ++i) {
        uint32_t v = (uint32_t)((i * 7919) % 23) + (uint32_t)(i % 3 == 0 ? 0xFFFFFFF0u : 0);
        if (c.t == CU_TENSOR_MAP_DATA_TYPE_FLOAT32) {
          float f = (float)(int)((i * 7919) % 23) * 0.25f;
          memcpy(&v, &f, 4);
        }
        memcpy(&init[i * 4], &v, 4);
      }
      for (int i = 0; i < SMEM / 4; ++i) {
        uint32_t v = (uint32_t)((i * 31) % 17) + (uint32_t)(i % 5 == 0 ? 0xFFFFFFF8u : 0);
        if (c.t == CU_TENSOR_MAP_DATA_TYPE_FLOAT32) {
          float f = (float)((i * 31) % 17) * 0.5f - 2.0f;
          memcpy(&v, &f, 4);
        }
        memcpy(&src[i * 4], &v, 4);
      }
      CK(cudaMemcpy(t, init.data(), T, cudaMemcpyHostToDevice));
      CK(cudaMemcpy(d_src, src.data(), SMEM, cudaMemcpyHostToDevice));
      CUtensorMap tm = tiled(c.t, 2, t, dims, str, box, es1, NOSW);
      tma_store<<<1, 128>>>(tm, 2, c.op, Coords{{c.x, c.y}}, d_src);
      CK(cudaGetLastError());
      CK(cudaDeviceSynchronize());
      CK(cudaMemcpy(back.data(), t, T, cudaMemcpyDeviceToHost));
      int changed = 0, first = -1;
      for (size_t i = 0; i < T; i += 4)
        if (memcmp(&back[i], &init[i], 4)) {
          ++changed;
          if (first < 0) first = (int)i / 4;
        }
      const uint32_t* w = (const uint32_t*)back.data();
      printf("%-26s fnv=%08x changed=%d first=%d", c.n, fnv1a(back.data(), T), changed, first);
      if (first >= 0)
        for (int i = 0; i < 4; ++i) printf(" %08x", w[first + i]);
      printf("\n");
      dump_bytes(c.n, back.data(), T);
    }
    printf("-- swizzled round trip: load sw128 then store sw128 into a zeroed copy\n");
    cuuint64_t d2[2] = {256, 64}, s2[1] = {512};
    cuuint32_t b2[2] = {64, 16};
    CUtensorMap in = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT16, 2, g, d2, s2, b2, es1, CU_TENSOR_MAP_SWIZZLE_128B);
    load("round trip load", in, 2, Coords{{64, 7}}, 2048);
    uint8_t* z;
    CK(cudaMalloc(&z, 512 * 64));
    CK(cudaMemset(z, 0, 512 * 64));
    CUtensorMap outm = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT16, 2, z, d2, s2, b2, es1, CU_TENSOR_MAP_SWIZZLE_128B);
    tma_store<<<1, 128>>>(outm, 2, 0, Coords{{64, 7}}, d_out);
    CK(cudaGetLastError());
    CK(cudaDeviceSynchronize());
    std::vector<uint8_t> zb(512 * 64);
    CK(cudaMemcpy(zb.data(), z, zb.size(), cudaMemcpyDeviceToHost));
    int same = 1, nonzero = 0;
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 512; ++x) {
        bool in_box = y >= 7 && y < 23 && x >= 128 && x < 256;
        uint8_t want = in_box ? host[y * 512 + x] : 0;
        if (zb[y * 512 + x] != want) same = 0;
        nonzero += zb[y * 512 + x] != 0;
      }
    printf("round trip: %s (nonzero bytes %d)\n", same ? "box restored exactly" : "MISMATCH", nonzero);
    if (!same) ++failures;
    CK(cudaFree(z));
    CK(cudaFree(t));
  }
  printf("-- cp.reduce.async.bulk (non-tensor)\n");
  {
    uint32_t *gr, *src;
    CK(cudaMalloc(&gr, 448 * 4));
    CK(cudaMalloc(&src, 256));
    std::vector<uint32_t> gi(448), si(64), res(448);
    for (int i = 0; i < 448; ++i) gi[i] = (uint32_t)(i * 2654435761u) >> (i % 7);
    for (int i = 320; i < 384; ++i) {
      float f = (float)(i % 9) * 0.75f;
      memcpy(&gi[i], &f, 4);
    }
    for (int i = 0; i < 64; ++i) si[i] = (uint32_t)(i * 40503u) ^ (i % 3 ? 0 : 0x80000000u);
    CK(cudaMemcpy(gr, gi.data(), 448 * 4, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(src, si.data(), 256, cudaMemcpyHostToDevice));
    for (int k = 0; k < 7; ++k) {
      bulk_reduce<<<1, 64>>>(gr, src, k);
      CK(cudaGetLastError());
      CK(cudaDeviceSynchronize());
    }
    CK(cudaMemcpy(res.data(), gr, 448 * 4, cudaMemcpyDeviceToHost));
    const char* names[7] = {"add.u32", "min.s32", "max.u32", "xor.b32", "inc.u32", "add.f32", "add.u64"};
    for (int k = 0; k < 7; ++k)
      printf("bulk %-8s fnv=%08x words: %08x %08x %08x %08x\n", names[k], fnv1a((uint8_t*)&res[k * 64], 256),
             res[k * 64], res[k * 64 + 1], res[k * 64 + 2], res[k * 64 + 3]);
    CK(cudaFree(gr));
    CK(cudaFree(src));
  }
  printf("-- .multicast::cluster (a cluster of 2 CTAs)\n");
  {
    cuuint64_t d2[2] = {256, 64}, s2[1] = {512};
    cuuint32_t b2[2] = {64, 16};
    CUtensorMap tm = tiled(CU_TENSOR_MAP_DATA_TYPE_UINT16, 2, g, d2, s2, b2, es1, CU_TENSOR_MAP_SWIZZLE_128B);
    uint8_t* out;
    uint32_t* st;
    CK(cudaMalloc(&out, 2 * 2304));
    CK(cudaMalloc(&st, 8));
    CK(cudaMemset(st, 0, 8));
    tma_multicast<<<2, 128>>>(tm, out, g + 4096, st);
    CK(cudaGetLastError());
    CK(cudaDeviceSynchronize());
    std::vector<uint8_t> h(2 * 2304);
    uint32_t hs[2];
    CK(cudaMemcpy(h.data(), out, h.size(), cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(hs, st, 8, cudaMemcpyDeviceToHost));
    for (int r = 0; r < 2; ++r) {
      printf("CTA %d: status %u box fnv=%08x raw fnv=%08x\n", r, hs[r], fnv1a(&h[r * 2304], 2048),
             fnv1a(&h[r * 2304 + 2048], 256));
      dump_bytes(r ? "multicast CTA 1" : "multicast CTA 0", &h[r * 2304], 2304);
    }
    CK(cudaFree(out));
    CK(cudaFree(st));
  }
  interleaved();
  if (dump) fclose(dump);
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
