// driver_api.cu — the CUDA driver API on its own: cuInit, devices, the primary context and a
// created context, cuModuleLoadData on PTX text embedded below, cuModuleGetFunction,
// cuLaunchKernel with kernelParams and with the CU_LAUNCH_PARAM_BUFFER_POINTER/SIZE `extra`
// form, cuModuleGetGlobal to read and write module globals, and the error paths: broken PTX
// gives CUDA_ERROR_INVALID_PTX with a non-empty JIT error log, an unknown kernel name gives
// CUDA_ERROR_NOT_FOUND.
//
// Build: nvcc -o driver_api driver_api.cu -lcuda
//
// The PTX was generated once with `nvcc -ptx -arch=compute_75` from this source, with
// `.version` lowered to 7.0 so that any driver from CUDA 11 on accepts it:
//
//   extern "C" {
//   __device__ int g_bias;
//   __device__ unsigned int g_counter;
//   __device__ int g_table[8];
//   __global__ void scale_add(float* out, const float* in, float a, int n) {
//     int i = blockIdx.x * blockDim.x + threadIdx.x;
//     if (i < n) out[i] = a * in[i] + (float)i;
//   }
//   __global__ void bias_count(int* out, int n) {
//     int i = blockIdx.x * blockDim.x + threadIdx.x;
//     if (i < n) { out[i] = i + g_bias + g_table[i & 7]; atomicAdd(&g_counter, 1u); }
//   }
//   __global__ void mixed(int a, long long* out, char c, double d, short s) {
//     int i = blockIdx.x * blockDim.x + threadIdx.x;
//     out[i] = (long long)a * 1000 + c * 100 + (long long)d + s + i * 1000000LL;
//   }
//   }
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <cuda.h>

#define CK(call)                                                                           \
  do {                                                                                     \
    CUresult r_ = (call);                                                                  \
    if (r_ != CUDA_SUCCESS) {                                                              \
      const char* name_ = "?";                                                             \
      const char* str_ = "?";                                                              \
      cuGetErrorName(r_, &name_);                                                          \
      cuGetErrorString(r_, &str_);                                                         \
      fprintf(stderr, "CUDA driver error at %s:%d: %s -> %s (%d): %s\n", __FILE__, __LINE__, \
              #call, name_, (int)r_, str_);                                                \
      printf("FAIL driver error %s (%d)\n", name_, (int)r_);                               \
      exit(2);                                                                             \
    }                                                                                      \
  } while (0)

static int g_failures = 0;
static int g_checks = 0;
static void report(bool ok, const char* what) {
  ++g_checks;
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

static const char* kPtx =
    ".version 7.0\n"
    ".target sm_75\n"
    ".address_size 64\n"
    "\n"
    "    // .globl    scale_add\n"
    ".global .align 4 .u32 g_bias;\n"
    ".global .align 4 .u32 g_counter;\n"
    ".global .align 4 .b8 g_table[32];\n"
    "\n"
    ".visible .entry scale_add(\n"
    "    .param .u64 scale_add_param_0,\n"
    "    .param .u64 scale_add_param_1,\n"
    "    .param .f32 scale_add_param_2,\n"
    "    .param .u32 scale_add_param_3\n"
    ")\n"
    "{\n"
    "    .reg .pred     %p<2>;\n"
    "    .reg .f32     %f<5>;\n"
    "    .reg .b32     %r<6>;\n"
    "    .reg .b64     %rd<8>;\n"
    "\n"
    "\n"
    "    ld.param.u64     %rd1, [scale_add_param_0];\n"
    "    ld.param.u64     %rd2, [scale_add_param_1];\n"
    "    ld.param.f32     %f1, [scale_add_param_2];\n"
    "    ld.param.u32     %r2, [scale_add_param_3];\n"
    "    mov.u32     %r3, %ctaid.x;\n"
    "    mov.u32     %r4, %ntid.x;\n"
    "    mov.u32     %r5, %tid.x;\n"
    "    mad.lo.s32     %r1, %r3, %r4, %r5;\n"
    "    setp.ge.s32     %p1, %r1, %r2;\n"
    "    @%p1 bra     $L__BB0_2;\n"
    "\n"
    "    cvta.to.global.u64     %rd3, %rd2;\n"
    "    mul.wide.s32     %rd4, %r1, 4;\n"
    "    add.s64     %rd5, %rd3, %rd4;\n"
    "    ld.global.f32     %f2, [%rd5];\n"
    "    cvt.rn.f32.s32     %f3, %r1;\n"
    "    fma.rn.f32     %f4, %f2, %f1, %f3;\n"
    "    cvta.to.global.u64     %rd6, %rd1;\n"
    "    add.s64     %rd7, %rd6, %rd4;\n"
    "    st.global.f32     [%rd7], %f4;\n"
    "\n"
    "$L__BB0_2:\n"
    "    ret;\n"
    "\n"
    "}\n"
    "    // .globl    bias_count\n"
    ".visible .entry bias_count(\n"
    "    .param .u64 bias_count_param_0,\n"
    "    .param .u32 bias_count_param_1\n"
    ")\n"
    "{\n"
    "    .reg .pred     %p<2>;\n"
    "    .reg .b32     %r<12>;\n"
    "    .reg .b64     %rd<10>;\n"
    "\n"
    "\n"
    "    ld.param.u64     %rd1, [bias_count_param_0];\n"
    "    ld.param.u32     %r2, [bias_count_param_1];\n"
    "    mov.u32     %r3, %ctaid.x;\n"
    "    mov.u32     %r4, %ntid.x;\n"
    "    mov.u32     %r5, %tid.x;\n"
    "    mad.lo.s32     %r1, %r3, %r4, %r5;\n"
    "    setp.ge.s32     %p1, %r1, %r2;\n"
    "    @%p1 bra     $L__BB1_2;\n"
    "\n"
    "    cvta.to.global.u64     %rd2, %rd1;\n"
    "    ld.global.u32     %r6, [g_bias];\n"
    "    add.s32     %r7, %r6, %r1;\n"
    "    shl.b32     %r8, %r1, 2;\n"
    "    cvt.u64.u32     %rd3, %r8;\n"
    "    and.b64      %rd4, %rd3, 28;\n"
    "    mov.u64     %rd5, g_table;\n"
    "    add.s64     %rd6, %rd5, %rd4;\n"
    "    ld.global.u32     %r9, [%rd6];\n"
    "    add.s32     %r10, %r7, %r9;\n"
    "    mul.wide.s32     %rd7, %r1, 4;\n"
    "    add.s64     %rd8, %rd2, %rd7;\n"
    "    st.global.u32     [%rd8], %r10;\n"
    "    mov.u64     %rd9, g_counter;\n"
    "    atom.global.add.u32     %r11, [%rd9], 1;\n"
    "\n"
    "$L__BB1_2:\n"
    "    ret;\n"
    "\n"
    "}\n"
    "    // .globl    mixed\n"
    ".visible .entry mixed(\n"
    "    .param .u32 mixed_param_0,\n"
    "    .param .u64 mixed_param_1,\n"
    "    .param .u8 mixed_param_2,\n"
    "    .param .f64 mixed_param_3,\n"
    "    .param .u16 mixed_param_4\n"
    ")\n"
    "{\n"
    "    .reg .b16     %rs<2>;\n"
    "    .reg .b32     %r<7>;\n"
    "    .reg .f64     %fd<2>;\n"
    "    .reg .b64     %rd<14>;\n"
    "\n"
    "\n"
    "    ld.param.s8     %rs1, [mixed_param_2];\n"
    "    ld.param.u32     %r1, [mixed_param_0];\n"
    "    ld.param.u64     %rd1, [mixed_param_1];\n"
    "    ld.param.f64     %fd1, [mixed_param_3];\n"
    "    ld.param.s16     %rd2, [mixed_param_4];\n"
    "    cvta.to.global.u64     %rd3, %rd1;\n"
    "    mov.u32     %r2, %ctaid.x;\n"
    "    mov.u32     %r3, %ntid.x;\n"
    "    mov.u32     %r4, %tid.x;\n"
    "    mad.lo.s32     %r5, %r2, %r3, %r4;\n"
    "    mul.wide.s32     %rd4, %r1, 1000;\n"
    "    cvt.s32.s16     %r6, %rs1;\n"
    "    mul.wide.s32     %rd5, %r6, 100;\n"
    "    cvt.rzi.s64.f64     %rd6, %fd1;\n"
    "    mul.wide.s32     %rd7, %r5, 1000000;\n"
    "    add.s64     %rd8, %rd7, %rd4;\n"
    "    add.s64     %rd9, %rd8, %rd5;\n"
    "    add.s64     %rd10, %rd9, %rd2;\n"
    "    add.s64     %rd11, %rd10, %rd6;\n"
    "    mul.wide.s32     %rd12, %r5, 8;\n"
    "    add.s64     %rd13, %rd3, %rd12;\n"
    "    st.global.u64     [%rd13], %rd11;\n"
    "    ret;\n"
    "\n"
    "}\n"
    "\n";

// Well-formed header, then an instruction with a missing operand and an unknown opcode.
static const char* kBrokenPtx =
    ".version 7.0\n"
    ".target sm_75\n"
    ".address_size 64\n"
    "\n"
    ".visible .entry broken(\n"
    "    .param .u64 broken_param_0\n"
    ")\n"
    "{\n"
    "    .reg .b32 %r<4>;\n"
    "    add.s32 %r1, %r2;\n"
    "    frobnicate.u32 %r3, %r1;\n"
    "    ret;\n"
    "}\n";

static const char* errname(CUresult r) {
  const char* s = "?";
  if (cuGetErrorName(r, &s) != CUDA_SUCCESS) return "(unknown)";
  return s;
}

static void run_scale_add(CUfunction f, int n, bool use_extra, const char* label) {
  std::vector<float> in(n), out(n);
  for (int i = 0; i < n; ++i) in[i] = (float)(i % 100 - 50);
  CUdeviceptr din, dout;
  CK(cuMemAlloc(&din, n * sizeof(float)));
  CK(cuMemAlloc(&dout, n * sizeof(float)));
  CK(cuMemcpyHtoD(din, in.data(), n * sizeof(float)));
  CK(cuMemsetD32(dout, 0xffffffffu, n));
  float a = 3.0f;
  unsigned block = 128, grid = (n + block - 1) / block;
  if (!use_extra) {
    void* params[] = {&dout, &din, &a, &n};
    CK(cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, 0, params, nullptr));
  } else {
    // Parameter buffer laid out with each parameter at its natural alignment:
    // out @0 (8 bytes), in @8 (8), a @16 (4), n @20 (4): 24 bytes.
    alignas(8) unsigned char buf[24];
    memset(buf, 0, sizeof buf);
    memcpy(buf + 0, &dout, 8);
    memcpy(buf + 8, &din, 8);
    memcpy(buf + 16, &a, 4);
    memcpy(buf + 20, &n, 4);
    size_t size = sizeof buf;
    void* extra[] = {CU_LAUNCH_PARAM_BUFFER_POINTER, buf, CU_LAUNCH_PARAM_BUFFER_SIZE, &size,
                     CU_LAUNCH_PARAM_END};
    CK(cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, 0, nullptr, extra));
  }
  CK(cuCtxSynchronize());
  CK(cuMemcpyDtoH(out.data(), dout, n * sizeof(float)));
  bool ok = true;
  for (int i = 0; i < n; ++i)
    if (out[i] != a * in[i] + (float)i) ok = false;
  char what[160];
  snprintf(what, sizeof what, "cuLaunchKernel scale_add via %s n=%d grid=%u block=%u (%s)",
           use_extra ? "extra buffer" : "kernelParams", n, grid, block, label);
  report(ok, what);
  CK(cuMemFree(din));
  CK(cuMemFree(dout));
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  CK(cuInit(0));
  int version = 0;
  CK(cuDriverGetVersion(&version));
  report(version >= 11000, "cuDriverGetVersion reports CUDA 11.0 or newer");
  int count = 0;
  CK(cuDeviceGetCount(&count));
  report(count >= 1, "cuDeviceGetCount >= 1");
  CUdevice dev;
  CK(cuDeviceGet(&dev, 0));
  int major = 0, minor = 0;
  CK(cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev));
  CK(cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev));
  report(major * 10 + minor >= 75, "device compute capability >= 7.5");
  char name[256] = {0};
  CK(cuDeviceGetName(name, sizeof name, dev));
  report(name[0] != 0, "cuDeviceGetName non-empty");
  size_t total_mem = 0;
  CK(cuDeviceTotalMem(&total_mem, dev));
  report(total_mem > 0, "cuDeviceTotalMem > 0");

  // ---- primary context ----
  CUcontext primary;
  CK(cuDevicePrimaryCtxRetain(&primary, dev));
  CK(cuCtxSetCurrent(primary));
  CUcontext cur = nullptr;
  CK(cuCtxGetCurrent(&cur));
  report(cur == primary, "cuCtxGetCurrent returns the primary context");

  CUmodule mod;
  CK(cuModuleLoadData(&mod, kPtx));
  report(true, "cuModuleLoadData on PTX text");
  CUfunction f_scale, f_bias, f_mixed;
  CK(cuModuleGetFunction(&f_scale, mod, "scale_add"));
  CK(cuModuleGetFunction(&f_bias, mod, "bias_count"));
  CK(cuModuleGetFunction(&f_mixed, mod, "mixed"));
  report(true, "cuModuleGetFunction scale_add, bias_count, mixed");

  run_scale_add(f_scale, 1000, false, "primary");
  run_scale_add(f_scale, 1000, true, "primary");
  run_scale_add(f_scale, 77, true, "primary");

  // ---- mixed parameter types through kernelParams ----
  {
    const int n = 64;
    CUdeviceptr dout;
    CK(cuMemAlloc(&dout, n * sizeof(long long)));
    int a = -17;
    char c = 5;
    double d = 12345.75;
    short s = -300;
    void* params[] = {&a, &dout, &c, &d, &s};
    CK(cuLaunchKernel(f_mixed, 2, 1, 1, 32, 1, 1, 0, 0, params, nullptr));
    CK(cuCtxSynchronize());
    long long got[n];
    CK(cuMemcpyDtoH(got, dout, sizeof got));
    bool ok = true;
    for (int i = 0; i < n; ++i)
      if (got[i] != (long long)a * 1000 + c * 100 + (long long)d + s + i * 1000000LL) ok = false;
    report(ok, "cuLaunchKernel with int/pointer/char/double/short parameters");
    CK(cuMemFree(dout));
  }

  // ---- module globals ----
  {
    CUdeviceptr g_bias, g_counter, g_table;
    size_t sz_bias = 0, sz_counter = 0, sz_table = 0;
    CK(cuModuleGetGlobal(&g_bias, &sz_bias, mod, "g_bias"));
    CK(cuModuleGetGlobal(&g_counter, &sz_counter, mod, "g_counter"));
    CK(cuModuleGetGlobal(&g_table, &sz_table, mod, "g_table"));
    char what[160];
    snprintf(what, sizeof what, "cuModuleGetGlobal sizes g_bias=%zu g_counter=%zu g_table=%zu",
             sz_bias, sz_counter, sz_table);
    report(sz_bias == 4 && sz_counter == 4 && sz_table == 32, what);
    // Globals start zero-initialised.
    int zero_check[8];
    CK(cuMemcpyDtoH(zero_check, g_table, sizeof zero_check));
    bool zeros = true;
    for (int i = 0; i < 8; ++i) zeros = zeros && zero_check[i] == 0;
    report(zeros, "module globals are zero-initialised");

    int bias = 1000;
    int table[8] = {0, 10, 20, 30, 40, 50, 60, 70};
    unsigned counter = 5;
    CK(cuMemcpyHtoD(g_bias, &bias, sizeof bias));
    CK(cuMemcpyHtoD(g_table, table, sizeof table));
    CK(cuMemcpyHtoD(g_counter, &counter, sizeof counter));
    const int n = 300;
    CUdeviceptr dout;
    CK(cuMemAlloc(&dout, n * sizeof(int)));
    int nn = n;
    void* params[] = {&dout, &nn};
    CK(cuLaunchKernel(f_bias, 3, 1, 1, 128, 1, 1, 0, 0, params, nullptr));
    CK(cuLaunchKernel(f_bias, 5, 1, 1, 64, 1, 1, 0, 0, params, nullptr));  // second launch
    CK(cuCtxSynchronize());
    std::vector<int> got(n);
    CK(cuMemcpyDtoH(got.data(), dout, n * sizeof(int)));
    CK(cuMemcpyDtoH(&counter, g_counter, sizeof counter));
    bool ok = true;
    for (int i = 0; i < n; ++i)
      if (got[i] != i + bias + table[i & 7]) ok = false;
    report(ok, "kernel reads module globals written with cuMemcpyHtoD");
    snprintf(what, sizeof what, "kernel atomically updates a module global: counter=%u", counter);
    report(counter == 5 + 2 * n, what);
    CK(cuMemFree(dout));
  }

  // ---- error paths ----
  {
    CUfunction nf;
    CUresult r = cuModuleGetFunction(&nf, mod, "no_such_kernel");
    char what[160];
    snprintf(what, sizeof what, "unknown kernel name -> %s (%d)", errname(r), (int)r);
    report(r == CUDA_ERROR_NOT_FOUND, what);
    CUdeviceptr gp;
    size_t gs;
    r = cuModuleGetGlobal(&gp, &gs, mod, "no_such_global");
    snprintf(what, sizeof what, "unknown global name -> %s (%d)", errname(r), (int)r);
    report(r == CUDA_ERROR_NOT_FOUND, what);
  }
  {
    char log[8192];
    memset(log, 0, sizeof log);
    CUjit_option opts[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void* vals[] = {log, (void*)(uintptr_t)sizeof log};
    CUmodule bad = nullptr;
    CUresult r = cuModuleLoadDataEx(&bad, kBrokenPtx, 2, opts, vals);
    char what[160];
    snprintf(what, sizeof what, "broken PTX -> %s (%d)", errname(r), (int)r);
    report(r == CUDA_ERROR_INVALID_PTX, what);
    report(log[0] != 0, "broken PTX fills the JIT error log");
    if (log[0] == 0) printf("  (error log empty)\n");
  }

  // ---- a created context, with its own module ----
  {
    CUcontext ctx;
    CK(cuCtxCreate(&ctx, nullptr, 0, dev));
    CUcontext c2 = nullptr;
    CK(cuCtxGetCurrent(&c2));
    report(c2 == ctx && ctx != primary, "cuCtxCreate makes a new current context");
    CUmodule m2;
    CK(cuModuleLoadData(&m2, kPtx));
    CUfunction f2;
    CK(cuModuleGetFunction(&f2, m2, "scale_add"));
    run_scale_add(f2, 513, false, "created context");
    run_scale_add(f2, 513, true, "created context");
    // The new module has its own, zero-initialised globals.
    CUdeviceptr gb;
    size_t gbs;
    CK(cuModuleGetGlobal(&gb, &gbs, m2, "g_bias"));
    int bias = -1;
    CK(cuMemcpyDtoH(&bias, gb, sizeof bias));
    report(bias == 0, "second module's globals are separate from the first's");
    CK(cuModuleUnload(m2));
    CK(cuCtxDestroy(ctx));
    CK(cuCtxSetCurrent(primary));
  }

  CK(cuModuleUnload(mod));
  CK(cuDevicePrimaryCtxRelease(dev));
  printf("driver_api: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
