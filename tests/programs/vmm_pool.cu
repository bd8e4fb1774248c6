// vmm_pool.cu — the virtual memory management API as GGML's VMM pool uses it, with the CUDA
// runtime for kernels and copies: the VMM device attributes, allocation granularity, a 64 GiB
// address reservation, physical chunks created with cuMemCreate, mapped contiguously with
// cuMemMap, made accessible with cuMemSetAccess, used by kernels, cudaMemcpy and cudaMemset as
// one range, released while mapped (GGML's order), one chunk mapped at two addresses (aliasing),
// export to a POSIX file descriptor and import back, cuMemRetainAllocationHandle,
// cuMemGetAllocationPropertiesFromHandle, LIFO unmapping and remapping, and error codes.
//
// Build: nvcc -o vmm_pool vmm_pool.cu -lcuda
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <vector>
#include <unistd.h>
#include <cuda.h>
#include <cuda_runtime.h>

#define CK(call)                                                                        \
  do {                                                                                  \
    CUresult r_ = (call);                                                               \
    if (r_ != CUDA_SUCCESS) {                                                           \
      const char* n_ = "?";                                                             \
      cuGetErrorName(r_, &n_);                                                          \
      printf("FAIL %s at line %d -> %s\n", #call, __LINE__, n_);                        \
      exit(2);                                                                          \
    }                                                                                   \
  } while (0)
#define CKR(call)                                                                       \
  do {                                                                                  \
    cudaError_t e_ = (call);                                                            \
    if (e_ != cudaSuccess) {                                                            \
      printf("FAIL %s at line %d -> %s\n", #call, __LINE__, cudaGetErrorName(e_));      \
      exit(2);                                                                          \
    }                                                                                   \
  } while (0)

static int g_failures = 0;
static void report(bool ok, const char* what) {
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

__global__ void fill_index(unsigned* p, size_t n, unsigned salt) {
  size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) p[i] = (unsigned)i * 2654435761u + salt;
}
__global__ void add_one(unsigned* p, size_t n) {
  size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) p[i] += 1;
}

int main() {
  CKR(cudaSetDevice(0));
  CKR(cudaFree(0));  // the runtime makes the primary context current
  CUdevice dev;
  CK(cuDeviceGet(&dev, 0));
  int vmm = 0, posix = 0;
  CK(cuDeviceGetAttribute(&vmm, CU_DEVICE_ATTRIBUTE_VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED, dev));
  CK(cuDeviceGetAttribute(&posix, CU_DEVICE_ATTRIBUTE_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED, dev));
  report(vmm == 1, "CU_DEVICE_ATTRIBUTE_VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED = 1");
  report(posix == 1, "CU_DEVICE_ATTRIBUTE_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED = 1");

  CUmemAllocationProp prop;
  memset(&prop, 0, sizeof prop);
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = dev;
  size_t gmin = 0, grec = 0;
  CK(cuMemGetAllocationGranularity(&gmin, &prop, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  CK(cuMemGetAllocationGranularity(&grec, &prop, CU_MEM_ALLOC_GRANULARITY_RECOMMENDED));
  printf("INFO granularity minimum %zu recommended %zu\n", gmin, grec);
  report(gmin > 0 && grec % gmin == 0, "recommended granularity is a multiple of the minimum");
  const size_t G = grec;

  // ---- a 64 GiB reservation, mapped chunk by chunk (GGML's pool) ----
  const size_t RESERVE = 64ull << 30;
  CUdeviceptr base = 0;
  CK(cuMemAddressReserve(&base, RESERVE, 0, 0, 0));
  report(base != 0 && base % G == 0, "cuMemAddressReserve(64 GiB) gives an aligned address");

  const int CHUNKS = 6;
  const size_t CHUNK = 2 * G;
  std::vector<CUmemGenericAllocationHandle> handles(CHUNKS);
  CUmemAccessDesc access;
  memset(&access, 0, sizeof access);
  access.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  access.location.id = dev;
  access.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  for (int c = 0; c < CHUNKS; ++c) {
    CK(cuMemCreate(&handles[c], CHUNK, &prop, 0));
    CK(cuMemMap(base + c * CHUNK, CHUNK, 0, handles[c], 0));
    CK(cuMemRelease(handles[c]));  // GGML releases right after mapping: the mapping keeps it alive
    CK(cuMemSetAccess(base + c * CHUNK, CHUNK, &access, 1));
  }
  report(true, "6 chunks created, mapped back to back, released and made read-write");
  unsigned long long flags = 0;
  CUmemLocation loc = access.location;
  CK(cuMemGetAccess(&flags, &loc, base + CHUNK + 4096));
  report(flags == CU_MEM_ACCESS_FLAGS_PROT_READWRITE, "cuMemGetAccess reports read-write");

  // The mapped range is one device buffer for kernels, memset and copies.
  const size_t total = CHUNKS * CHUNK;
  const size_t n = total / sizeof(unsigned);
  unsigned* p = (unsigned*)base;
  fill_index<<<(unsigned)((n + 255) / 256), 256>>>(p, n, 7u);
  CKR(cudaGetLastError());
  add_one<<<(unsigned)((n + 255) / 256), 256>>>(p, n);
  CKR(cudaDeviceSynchronize());
  std::vector<unsigned> h(n);
  CKR(cudaMemcpy(h.data(), p, total, cudaMemcpyDeviceToHost));
  bool ok = true;
  for (size_t i = 0; i < n; ++i) ok &= h[i] == (unsigned)i * 2654435761u + 8u;
  report(ok, "kernels write and update the whole mapped range across chunk boundaries");
  CKR(cudaMemset(p + n / 2, 0xab, total / 4));
  CKR(cudaMemcpy(h.data(), p, total, cudaMemcpyDeviceToHost));
  ok = true;
  for (size_t i = 0; i < n; ++i) {
    bool in = i >= n / 2 && i < n / 2 + n / 4;
    ok &= h[i] == (in ? 0xababababu : (unsigned)i * 2654435761u + 8u);
  }
  report(ok, "cudaMemset over a range spanning chunks");
  CK(cuMemsetD32(base + CHUNK - 8, 0x12345678u, 4));
  unsigned edge[4];
  CK(cuMemcpyDtoH(edge, base + CHUNK - 8, sizeof edge));
  report(edge[0] == 0x12345678u && edge[3] == 0x12345678u, "driver memset/copy across a chunk boundary");
  {
    cudaPointerAttributes pa;
    CKR(cudaPointerGetAttributes(&pa, p + 12345));
    report(pa.type == cudaMemoryTypeDevice && pa.device == 0, "cudaPointerGetAttributes: mapped range is device memory");
  }

  // ---- one physical allocation at two addresses ----
  CUmemAllocationProp sprop = prop;
  sprop.requestedHandleTypes = CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR;
  CUmemGenericAllocationHandle shared;
  CK(cuMemCreate(&shared, G, &sprop, 0));
  CUdeviceptr alias1 = base + (32ull << 30), alias2 = base + (48ull << 30);
  CK(cuMemMap(alias1, G, 0, shared, 0));
  CK(cuMemMap(alias2, G, 0, shared, 0));
  CK(cuMemSetAccess(alias1, G, &access, 1));
  CK(cuMemSetAccess(alias2, G, &access, 1));
  fill_index<<<(unsigned)(G / 4 / 256), 256>>>((unsigned*)alias1, G / 4, 99u);
  CKR(cudaDeviceSynchronize());
  std::vector<unsigned> h2(G / 4);
  CKR(cudaMemcpy(h2.data(), (void*)alias2, G, cudaMemcpyDeviceToHost));
  ok = true;
  for (size_t i = 0; i < G / 4; ++i) ok &= h2[i] == (unsigned)i * 2654435761u + 99u;
  report(ok, "one allocation mapped at two addresses: writes through one are read through the other");

  CUmemAllocationProp got;
  memset(&got, 0, sizeof got);
  CK(cuMemGetAllocationPropertiesFromHandle(&got, shared));
  report(got.type == CU_MEM_ALLOCATION_TYPE_PINNED && got.location.type == CU_MEM_LOCATION_TYPE_DEVICE &&
             got.location.id == dev && got.requestedHandleTypes == CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR,
         "cuMemGetAllocationPropertiesFromHandle");
  CUmemGenericAllocationHandle retained;
  CK(cuMemRetainAllocationHandle(&retained, (void*)(alias2 + 4096)));
  memset(&got, 0, sizeof got);
  CK(cuMemGetAllocationPropertiesFromHandle(&got, retained));
  report(got.requestedHandleTypes == CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR, "cuMemRetainAllocationHandle finds the allocation behind an address");
  CK(cuMemRelease(retained));

  // ---- export to a file descriptor, import, map a third time ----
  int fd = -1;
  CK(cuMemExportToShareableHandle(&fd, shared, CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR, 0));
  report(fd >= 0, "cuMemExportToShareableHandle gives a file descriptor");
  CUmemGenericAllocationHandle imported;
  CUresult ri = cuMemImportFromShareableHandle(&imported, (void*)(uintptr_t)fd, CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR);
  printf("INFO cuMemImportFromShareableHandle in the same process -> %d\n", (int)ri);
  if (ri == CUDA_SUCCESS) {
    CUdeviceptr alias3 = base + (40ull << 30);
    CK(cuMemMap(alias3, G, 0, imported, 0));
    CK(cuMemSetAccess(alias3, G, &access, 1));
    unsigned probe[2];
    CK(cuMemcpyDtoH(probe, alias3 + 4 * 1000, sizeof probe));
    report(probe[0] == 1000u * 2654435761u + 99u && probe[1] == 1001u * 2654435761u + 99u,
           "the imported handle maps the same memory");
    CK(cuMemUnmap(alias3, G));
    CK(cuMemRelease(imported));
  }
  close(fd);
  CK(cuMemUnmap(alias1, G));
  CK(cuMemUnmap(alias2, G));
  CK(cuMemRelease(shared));

  // ---- errors ----
  CUmemGenericAllocationHandle extra;
  CK(cuMemCreate(&extra, G, &prop, 0));
  CUresult r = cuMemMap(base, G, 0, extra, 0);
  printf("INFO cuMemMap over an already mapped range -> %d\n", (int)r);
  report(r != CUDA_SUCCESS, "cuMemMap over an already mapped range fails");
  r = cuMemMap(base + (20ull << 30) + 4096, G, 0, extra, 0);
  printf("INFO cuMemMap at an unaligned address -> %d\n", (int)r);
  if (r == CUDA_SUCCESS) cuMemUnmap(base + (20ull << 30) + 4096, G);
  CUmemGenericAllocationHandle bad;
  r = cuMemCreate(&bad, G + 4096, &prop, 0);
  printf("INFO cuMemCreate with a size that is not a multiple of the granularity -> %d\n", (int)r);
  if (r == CUDA_SUCCESS) cuMemRelease(bad);
  CUdeviceptr other = 0;
  r = cuMemAddressReserve(&other, G + 4096, 0, 0, 0);
  printf("INFO cuMemAddressReserve with an unaligned size -> %d\n", (int)r);
  if (r == CUDA_SUCCESS) cuMemAddressFree(other, G + 4096);

  // ---- LIFO unmap and remap (the pool shrinking and growing) ----
  for (int c = CHUNKS - 1; c >= CHUNKS / 2; --c) CK(cuMemUnmap(base + c * CHUNK, CHUNK));
  report(true, "upper half of the pool unmapped in LIFO order");
  CK(cuMemMap(base + (CHUNKS / 2) * CHUNK, G, 0, extra, 0));
  CK(cuMemSetAccess(base + (CHUNKS / 2) * CHUNK, G, &access, 1));
  const size_t n2 = (CHUNKS / 2) * CHUNK / 4 + G / 4;
  fill_index<<<(unsigned)((n2 + 255) / 256), 256>>>(p, n2, 3u);
  CKR(cudaDeviceSynchronize());
  std::vector<unsigned> h3(n2);
  CKR(cudaMemcpy(h3.data(), p, n2 * 4, cudaMemcpyDeviceToHost));
  ok = true;
  for (size_t i = 0; i < n2; ++i) ok &= h3[i] == (unsigned)i * 2654435761u + 3u;
  report(ok, "remapped pool is contiguous with the chunks still mapped");
  CK(cuMemUnmap(base + (CHUNKS / 2) * CHUNK, G));
  CK(cuMemRelease(extra));
  for (int c = CHUNKS / 2 - 1; c >= 0; --c) CK(cuMemUnmap(base + c * CHUNK, CHUNK));
  CK(cuMemAddressFree(base, RESERVE));
  report(true, "everything unmapped and the reservation freed");
  CKR(cudaDeviceSynchronize());
  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}
