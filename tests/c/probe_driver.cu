// Probe of NVIDIA driver answers to error cases, to check cuemu against (needs a real GPU).
// Build: nvcc -gencode arch=compute_90,code=sm_90 probe_driver.cu -o probe -ldl; run: ./probe
// H100, driver 580.159.04 (CUDA 13.0), 2025-11: every launch-shape error -> 1 (runtime: 1 as
// well), NULL CUfunction -> 400, cuMemFree(0) -> 0, bad free -> 1, cuMemAlloc(0) -> 1,
// cuStreamDestroy(0) -> 400, cuCtxGetApiVersion -> 3020, IS_MANAGED/MAPPED write 4 bytes,
// HOST_POINTER of device memory -> 1, CONTEXT of malloc memory -> 1, bad address range -> 500,
// HtoD to bad/overrun -> 1, elapsed time of unrecorded events -> 400, query unrecorded -> 0,
// cuModuleLoadData(junk) -> 200, (NULL) -> 1, attribute 0 / 162 -> 1, bad device -> 101,
// cuMemFreeHost(bad) -> 1, cuCtxDestroy(NULL) -> 1. (Bad non-NULL handles crash NVIDIA's driver.)
// Probe of NVIDIA's driver answers (run on a real GPU): prints one "name value" line each.
#include <cuda.h>
#include <cuda_runtime.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
__global__ void k(int *p) { if (p) *p = 1; }
#define P(name, expr) printf("%s %d\n", name, (int)(expr))
int main() {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW);
  if (!lib) { printf("no libcuda\n"); return 1; }
#define SYM(n) auto p_##n = (decltype(&::n))dlsym(lib, #n)
  SYM(cuLaunchKernel);
  SYM(cuMemFree_v2);
  SYM(cuMemAlloc_v2);
  SYM(cuStreamDestroy_v2);
  SYM(cuCtxGetApiVersion);
  SYM(cuPointerGetAttribute);
  SYM(cuEventCreate);
  SYM(cuEventElapsedTime);
  SYM(cuEventQuery);
  SYM(cuMemGetAddressRange_v2);
  SYM(cuMemcpyHtoD_v2);
  SYM(cuModuleLoadData);
  SYM(cuDevicePrimaryCtxRelease_v2);
  SYM(cuCtxDestroy_v2);
  SYM(cuDeviceGetAttribute);
  SYM(cuCtxPopCurrent_v2);
  SYM(cuMemFreeHost);
  setvbuf(stdout, 0, _IONBF, 0); cudaFree(0);
  cudaFunction_t f; cudaGetFuncBySymbol(&f, (const void *)k);
  int *np = 0; void *args[] = {&np};
  k<<<1, 2048>>>(0); P("rt_block2048", cudaGetLastError());
  k<<<0, 32>>>(0); P("rt_grid0", cudaGetLastError());
  k<<<1, 32, 60000>>>(0); P("rt_smem60k", cudaGetLastError());
  k<<<dim3(1, 65536), 1>>>(0); P("rt_gridy65536", cudaGetLastError());
  P("drv_block2048", p_cuLaunchKernel((CUfunction)f, 1,1,1, 2048,1,1, 0, 0, args, 0));
  P("drv_blockz65", p_cuLaunchKernel((CUfunction)f, 1,1,1, 1,1,65, 0, 0, args, 0));
  P("drv_grid0", p_cuLaunchKernel((CUfunction)f, 0,1,1, 32,1,1, 0, 0, args, 0));
  P("drv_gridy65536", p_cuLaunchKernel((CUfunction)f, 1,65536,1, 32,1,1, 0, 0, args, 0));
  P("drv_smem60k", p_cuLaunchKernel((CUfunction)f, 1,1,1, 32,1,1, 60000, 0, args, 0));
  P("drv_smem300k", p_cuLaunchKernel((CUfunction)f, 1,1,1, 32,1,1, 300000, 0, args, 0));
  P("drv_noparams", p_cuLaunchKernel((CUfunction)f, 1,1,1, 32,1,1, 0, 0, 0, 0));
  P("drv_nullfunc", p_cuLaunchKernel((CUfunction)0, 1,1,1, 32,1,1, 0, 0, args, 0));
  P("memfree0", p_cuMemFree_v2(0));
  P("memfree_bad", p_cuMemFree_v2(0x1234));
  CUdeviceptr d = 0; P("memalloc0", p_cuMemAlloc_v2(&d, 0));
  P("memalloc_nullout", p_cuMemAlloc_v2(0, 16));
  P("streamdestroy0", p_cuStreamDestroy_v2(0));
  unsigned ver = 0; P("apiver_rc", p_cuCtxGetApiVersion(0, &ver)); P("apiver", ver);
  p_cuMemAlloc_v2(&d, 1024);
  unsigned char buf[16];
  memset(buf, 0xab, 16); P("ptr_is_managed_rc", p_cuPointerGetAttribute(buf, (CUpointer_attribute)CU_POINTER_ATTRIBUTE_IS_MANAGED, d));
  for (int i = 0; i < 8; i++) printf("ptr_is_managed_byte%d %d\n", i, buf[i]);
  memset(buf, 0xab, 16); P("ptr_mapped_rc", p_cuPointerGetAttribute(buf, (CUpointer_attribute)CU_POINTER_ATTRIBUTE_MAPPED, d));
  for (int i = 0; i < 8; i++) printf("ptr_mapped_byte%d %d\n", i, buf[i]);
  memset(buf, 0xab, 16); P("ptr_hostptr_dev_rc", p_cuPointerGetAttribute(buf, (CUpointer_attribute)CU_POINTER_ATTRIBUTE_HOST_POINTER, d));
  memset(buf, 0xab, 16); P("ptr_ctx_malloc_rc", p_cuPointerGetAttribute(buf, (CUpointer_attribute)CU_POINTER_ATTRIBUTE_CONTEXT, (CUdeviceptr)buf));
  memset(buf, 0xab, 16); P("ptr_22_rc", p_cuPointerGetAttribute(buf, (CUpointer_attribute)22, d)); P("ptr_22", *(int*)buf);
  CUdeviceptr base; size_t sz; P("addrrange_bad", p_cuMemGetAddressRange_v2(&base, &sz, 0x1234));
  P("htod_bad", p_cuMemcpyHtoD_v2(0x1234, buf, 4));
  P("htod_overrun", p_cuMemcpyHtoD_v2(d + 1020, buf, 8));
  CUevent e1, e2; p_cuEventCreate(&e1, 0); p_cuEventCreate(&e2, 0);
  float ms; P("elapsed_unrecorded", p_cuEventElapsedTime(&ms, e1, e2));
  P("query_unrecorded", p_cuEventQuery(e1));
  const char junk[] = "garbage that is not an image";
  CUmodule m; P("modload_junk", p_cuModuleLoadData(&m, junk));
  P("modload_null", p_cuModuleLoadData(&m, 0));
  int v = -7; P("attr0_rc", p_cuDeviceGetAttribute(&v, (CUdevice_attribute)0, 0));
  P("attr_max_rc", p_cuDeviceGetAttribute(&v, (CUdevice_attribute)162, 0));
  P("attr_bad_dev", p_cuDeviceGetAttribute(&v, (CUdevice_attribute)1, 5));
  P("memfreehost_bad", p_cuMemFreeHost((void*)0x1234));
  P("ctxdestroy_primary", p_cuCtxDestroy_v2(0));
  return 0;
}
