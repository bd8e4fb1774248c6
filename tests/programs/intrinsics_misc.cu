// intrinsics_misc.cu — device intrinsics that compile to less common PTX: the address-space
// predicates (__isGlobal/__isShared/__isLocal/__isConstant/__isGridConstant → isspacep) on
// pointers of every space, __grid_constant__ parameters read through their address
// (cvta.param), alloca() (PTX alloca) with per-thread sizes, the SIMD video intrinsics
// (__vabsdiffu4/__vsadu4/__vabsdiffs2 … → vabsdiff2/4), __float_to_tf32 (cvt.rna.tf32.f32) and
// cudaGridDependencySynchronize (griddepcontrol), and the shared addresses of static and
// dynamic shared variables (an H100 places them after a reserved 0x400 bytes). Values are
// printed in hex.
//
// Build: nvcc -o intrinsics_misc intrinsics_misc.cu -arch=sm_90
#include <cstdio>
#include <mma.h>
#include "check.h"

struct Big {
  int v[64];
};

__device__ __noinline__ int classify(const void* p) {
  return __isGlobal(p) | (__isShared(p) << 1) | (__isLocal(p) << 2) | (__isConstant(p) << 3) | (__isGridConstant(p) << 4);
}

__constant__ int cst[4] = {1, 2, 3, 4};
__device__ int glob[4];

__global__ void spaces(int* o, const __grid_constant__ Big big) {
  extern __shared__ int dyn[];
  __shared__ int s[4];
  int l[4];
  l[threadIdx.x & 3] = threadIdx.x;
  s[threadIdx.x & 3] = 1;
  dyn[threadIdx.x] = 2;
  __syncthreads();
  const void* ps[] = {o, s, l, cst, &big, &big.v[63], glob, dyn + 5, nullptr};
  if (threadIdx.x < 9) o[threadIdx.x] = classify(ps[threadIdx.x]);
  const int* bp = &big.v[threadIdx.x % 64];
  o[16 + threadIdx.x] = *bp + l[(threadIdx.x + 1) & 3] * 0 + s[0] + dyn[0] - 3;
}

// Shared addresses (__cvta_generic_to_shared) of variables of several sizes and alignments,
// and of dynamic shared memory after them.
__global__ void shared_addresses(int* o) {
  __shared__ char c1[3];
  __shared__ double d2[5];
  __shared__ int i3[7];
  __shared__ __align__(128) float f4[2];
  extern __shared__ int dyn[];
  unsigned t = threadIdx.x;
  if (t < 3) c1[t] = (char)t;
  if (t < 5) d2[t] = t;
  if (t < 7) i3[t] = t;
  if (t < 2) f4[t] = t;
  dyn[t] = t;
  __syncthreads();
  if (t == 0) {
    o[0] = (int)__cvta_generic_to_shared(c1);
    o[1] = (int)__cvta_generic_to_shared(d2);
    o[2] = (int)__cvta_generic_to_shared(i3);
    o[3] = (int)__cvta_generic_to_shared(f4);
    o[4] = (int)__cvta_generic_to_shared(dyn);
    o[5] = c1[1] + (int)d2[2] + i3[3] + (int)f4[1] + dyn[31];
  }
}

// Only dynamic shared memory: it starts where the first static variable would.
__global__ void dynamic_only(int* o) {
  extern __shared__ int dyn[];
  dyn[threadIdx.x] = threadIdx.x;
  __syncthreads();
  if (threadIdx.x == 0) o[0] = (int)__cvta_generic_to_shared(dyn) | dyn[1] << 24;
}

__device__ __noinline__ int sum_alloca(int n) {
  int* p = (int*)alloca(n * sizeof(int));
  for (int i = 0; i < n; i++) p[i] = i * i + n;
  int s = 0;
  for (int i = n - 1; i >= 0; i--) s += p[i];
  return s;
}

__global__ void dynamic_stack(int* o) {
  int n = 1 + threadIdx.x % 13;
  char* buf = (char*)alloca(n);
  for (int i = 0; i < n; i++) buf[i] = (char)(i + threadIdx.x);
  int t = sum_alloca(n) + sum_alloca(n + 3);
  for (int i = 0; i < n; i++) t += buf[i];
  o[threadIdx.x] = t;
}

__global__ void simd(const unsigned* a, const unsigned* b, unsigned* o, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  unsigned x = a[i], y = b[i];
  o[8 * i + 0] = __vabsdiffu4(x, y);
  o[8 * i + 1] = __vsadu4(x, y);
  o[8 * i + 2] = __vabsdiffu2(x, y);
  o[8 * i + 3] = __vsadu2(x, y);
  o[8 * i + 4] = __vabsdiffs4(x, y);
  o[8 * i + 5] = __vabsdiffs2(x, y);
  o[8 * i + 6] = __vsads4(x, y);
  o[8 * i + 7] = __vsads2(x, y);
}

__global__ void tf32_and_pdl(const float* in, unsigned* o, int n) {
#if __CUDA_ARCH__ >= 900
  cudaGridDependencySynchronize();
#endif
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) o[i] = __float_as_uint(nvcuda::wmma::__float_to_tf32(in[i]));
#if __CUDA_ARCH__ >= 900
  cudaTriggerProgrammaticLaunchCompletion();
#endif
}

static unsigned lcg(unsigned& s) {
  s = s * 1664525u + 1013904223u;
  return s;
}

int main() {
  int* o;
  CK(cudaMalloc(&o, 256 * sizeof(int)));
  Big big;
  for (int i = 0; i < 64; i++) big.v[i] = i * 3;
  spaces<<<1, 64, 64 * sizeof(int)>>>(o, big);
  CK(cudaGetLastError());
  int h[256];
  CK(cudaMemcpy(h, o, sizeof h, cudaMemcpyDeviceToHost));
  const char* what[] = {"global arg", "__shared__", "local array", "__constant__", "grid constant", "grid constant end",
                        "__device__ var", "extern __shared__", "nullptr"};
  for (int i = 0; i < 9; i++) printf("space of %-18s: global %d shared %d local %d const %d grid-const %d\n", what[i], h[i] & 1,
                                     h[i] >> 1 & 1, h[i] >> 2 & 1, h[i] >> 3 & 1, h[i] >> 4 & 1);
  int ok = 1;
  for (int i = 0; i < 64; i++) ok &= h[16 + i] == i * 3;
  printf("grid-constant parameter read through its address: %s\n", ok ? "ok" : "WRONG");

  shared_addresses<<<2, 32, 32 * sizeof(int)>>>(o);
  CK(cudaGetLastError());
  CK(cudaMemcpy(h, o, 6 * sizeof(int), cudaMemcpyDeviceToHost));
  printf("shared addresses: char[3] %#x, double[5] %#x, int[7] %#x, align(128) float[2] %#x, extern %#x (values %d)\n",
         h[0], h[1], h[2], h[3], h[4], h[5]);
  dynamic_only<<<1, 32, 128>>>(o);
  CK(cudaGetLastError());
  CK(cudaMemcpy(h, o, sizeof(int), cudaMemcpyDeviceToHost));
  printf("shared address of extern alone: %#x (value %d)\n", h[0] & 0xffffff, h[0] >> 24);

  dynamic_stack<<<2, 96>>>(o);
  CK(cudaGetLastError());
  CK(cudaMemcpy(h, o, 96 * sizeof(int), cudaMemcpyDeviceToHost));
  ok = 1;
  for (int t = 0; t < 96; t++) {
    int n = 1 + t % 13, want = 0;
    for (int m : {n, n + 3})
      for (int i = 0; i < m; i++) want += i * i + m;
    for (int i = 0; i < n; i++) want += (char)(i + t);
    ok &= h[t] == want;
  }
  printf("alloca: %s (thread 95: %d)\n", ok ? "ok" : "WRONG", h[95]);

  const int n = 64;
  unsigned ha[n], hb[n], seed = 12345;
  const unsigned edge[] = {0, 0xffffffff, 0x80808080, 0x7f7f7f7f, 0x00ff00ff, 0x80007fff, 0x01020304, 0xfffefdfc};
  for (int i = 0; i < n; i++) {
    ha[i] = i < 8 ? edge[i] : lcg(seed);
    hb[i] = i < 8 ? edge[7 - i] : lcg(seed);
  }
  unsigned *da, *db, *dout;
  CK(cudaMalloc(&da, sizeof ha));
  CK(cudaMalloc(&db, sizeof hb));
  CK(cudaMalloc(&dout, 8 * n * sizeof(unsigned)));
  CK(cudaMemcpy(da, ha, sizeof ha, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(db, hb, sizeof hb, cudaMemcpyHostToDevice));
  simd<<<2, 32>>>(da, db, dout, n);
  CK(cudaGetLastError());
  unsigned r[8 * n];
  CK(cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; i += (i < 8 ? 1 : 7)) {
    printf("video %08x %08x:", ha[i], hb[i]);
    for (int k = 0; k < 8; k++) printf(" %08x", r[8 * i + k]);
    printf("\n");
  }

  float hf[n];
  const float fedge[] = {0.f, -0.f, 1.f, 1.0f + 1.0f / 8192, 1.0f + 1.0f / 4096, 3.14159265f, 65504.f, 1e-40f};
  for (int i = 0; i < n; i++) hf[i] = i < 8 ? fedge[i] : (float)(int)lcg(seed) / 1024.f;
  float* df;
  CK(cudaMalloc(&df, sizeof hf));
  CK(cudaMemcpy(df, hf, sizeof hf, cudaMemcpyHostToDevice));
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(2);
  cfg.blockDim = dim3(32);
  cudaLaunchAttribute attr[1];
  attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attr[0].val.programmaticStreamSerializationAllowed = 1;
  cfg.attrs = attr;
  cfg.numAttrs = 1;
  CK(cudaLaunchKernelEx(&cfg, tf32_and_pdl, (const float*)df, dout, n));
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(r, dout, n * sizeof(unsigned), cudaMemcpyDeviceToHost));
  printf("tf32:");
  for (int i = 0; i < n; i += (i < 8 ? 1 : 9)) printf(" %08x", r[i]);
  printf("\n");
  CK(cudaFree(o));
  CK(cudaFree(da));
  CK(cudaFree(db));
  CK(cudaFree(dout));
  CK(cudaFree(df));
  printf("PASS\n");
  return 0;
}
