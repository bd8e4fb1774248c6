/* Runtime-API smoke test for cuemu's libcuda.so.1: NVIDIA's cudart (static or shared) does
 * its full driver handshake, then device queries, memory, streams, events, pinned memory and
 * pointer attributes. Every result is checked; prints "handshake OK" and exits 0 on success.
 * Built by tests/driver_handshake.rs with nvcc (--cudart=static and --cudart=shared). */
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x)                                                                              \
    do {                                                                                      \
        cudaError_t e_ = (x);                                                                 \
        if (e_ != cudaSuccess) {                                                              \
            fprintf(stderr, "%s:%d: %s -> %d (%s)\n", __FILE__, __LINE__, #x, (int)e_,        \
                    cudaGetErrorString(e_));                                                  \
            return 1;                                                                         \
        }                                                                                     \
    } while (0)
#define EXPECT(c)                                                                             \
    do {                                                                                      \
        if (!(c)) {                                                                           \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #c);                  \
            return 1;                                                                         \
        }                                                                                     \
    } while (0)

enum { N = 1 << 16 };

int main(void) {
    int n = 0, drv = 0, rt = 0;
    CHECK(cudaGetDeviceCount(&n));
    EXPECT(n >= 1);
    CHECK(cudaDriverGetVersion(&drv));
    CHECK(cudaRuntimeGetVersion(&rt));
    EXPECT(drv == 13050);

    struct cudaDeviceProp p;
    CHECK(cudaGetDeviceProperties(&p, 0));
    EXPECT(strncmp(p.name, "cuemu", 5) == 0);
    EXPECT(p.warpSize == 32 && p.maxThreadsPerBlock == 1024);
    EXPECT(p.maxThreadsDim[2] == 64 && p.maxGridSize[1] == 65535);
    EXPECT(p.major >= 7 && p.multiProcessorCount >= 1 && p.totalGlobalMem > 0);
    EXPECT(p.sharedMemPerBlockOptin >= 48 * 1024 && p.unifiedAddressing == 1);
    int v = -1;
    CHECK(cudaDeviceGetAttribute(&v, cudaDevAttrComputeCapabilityMajor, 0));
    EXPECT(v == p.major);
    char bus[32];
    CHECK(cudaDeviceGetPCIBusId(bus, sizeof bus, 0));

    CHECK(cudaSetDevice(0));
    int dev = -1;
    CHECK(cudaGetDevice(&dev));
    EXPECT(dev == 0);
    size_t free_b = 0, total_b = 0;
    CHECK(cudaMemGetInfo(&free_b, &total_b));
    EXPECT(total_b > 0 && free_b <= total_b);

    /* memory: H2D, memset, D2D, D2H */
    float *h = (float *)malloc(N * sizeof(float)), *back = (float *)malloc(N * sizeof(float));
    for (int i = 0; i < N; i++) h[i] = (float)i;
    float *d = NULL, *d2 = NULL;
    CHECK(cudaMalloc((void **)&d, N * sizeof(float)));
    CHECK(cudaMalloc((void **)&d2, N * sizeof(float)));
    EXPECT(((size_t)d & 255) == 0);
    CHECK(cudaMemcpy(d, h, N * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemset(d + N / 2, 0, (N / 2) * sizeof(float)));
    CHECK(cudaMemcpy(d2, d, N * sizeof(float), cudaMemcpyDeviceToDevice));
    CHECK(cudaMemcpy(back, d2, N * sizeof(float), cudaMemcpyDeviceToHost));
    for (int i = 0; i < N; i++) EXPECT(back[i] == (i < N / 2 ? (float)i : 0.0f));
    CHECK(cudaMemcpy(back, d, 16, cudaMemcpyDefault));

    /* streams and events */
    cudaStream_t s;
    CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    cudaEvent_t a, b;
    CHECK(cudaEventCreate(&a));
    CHECK(cudaEventCreate(&b));
    CHECK(cudaEventRecord(a, s));
    CHECK(cudaMemcpyAsync(d2, h, N * sizeof(float), cudaMemcpyHostToDevice, s));
    CHECK(cudaMemsetAsync(d2, 0xff, 64, s));
    CHECK(cudaMemcpyAsync(back, d2, N * sizeof(float), cudaMemcpyDeviceToHost, s));
    CHECK(cudaEventRecord(b, s));
    CHECK(cudaStreamSynchronize(s));
    CHECK(cudaStreamQuery(s));
    CHECK(cudaEventSynchronize(b));
    CHECK(cudaEventQuery(b));
    float ms = -1;
    CHECK(cudaEventElapsedTime(&ms, a, b));
    EXPECT(ms >= 0.0f);
    EXPECT(((unsigned *)back)[0] == 0xffffffffu && back[100] == 100.0f);
    CHECK(cudaStreamWaitEvent(s, b, 0));
    CHECK(cudaMemcpyAsync(d2, h, 64, cudaMemcpyHostToDevice, cudaStreamPerThread));
    CHECK(cudaStreamSynchronize(cudaStreamPerThread));
    int prio_lo = 0, prio_hi = 0;
    CHECK(cudaDeviceGetStreamPriorityRange(&prio_lo, &prio_hi));
    cudaStream_t sp;
    CHECK(cudaStreamCreateWithPriority(&sp, cudaStreamDefault, prio_hi));
    CHECK(cudaStreamDestroy(sp));

    /* pinned memory and pointer attributes */
    float *ph = NULL;
    CHECK(cudaMallocHost((void **)&ph, N * sizeof(float)));
    CHECK(cudaMemcpy(ph, d, N * sizeof(float), cudaMemcpyDeviceToHost));
    EXPECT(ph[3] == 3.0f);
    struct cudaPointerAttributes at;
    CHECK(cudaPointerGetAttributes(&at, d));
    EXPECT(at.type == cudaMemoryTypeDevice && at.devicePointer == d && at.device == 0);
    CHECK(cudaPointerGetAttributes(&at, ph));
    EXPECT(at.type == cudaMemoryTypeHost && at.hostPointer == ph);
    CHECK(cudaPointerGetAttributes(&at, h));
    EXPECT(at.type == cudaMemoryTypeUnregistered);
    void *mapped = NULL;
    CHECK(cudaHostAlloc(&mapped, 4096, cudaHostAllocMapped));
    void *mapped_d = NULL;
    CHECK(cudaHostGetDevicePointer(&mapped_d, mapped, 0));
    EXPECT(mapped_d == mapped);
    CHECK(cudaFreeHost(mapped));

    /* errors are reported, not crashes */
    EXPECT(cudaFree((void *)0x1234) != cudaSuccess);
    cudaGetLastError();

    CHECK(cudaEventDestroy(a));
    CHECK(cudaEventDestroy(b));
    CHECK(cudaStreamDestroy(s));
    CHECK(cudaFreeHost(ph));
    CHECK(cudaFree(d));
    CHECK(cudaFree(d2));
    CHECK(cudaDeviceSynchronize());
    free(h);
    free(back);
    printf("handshake OK (driver %d, runtime %d, %s, cc %d.%d, %d SMs)\n", drv, rt, p.name, p.major,
           p.minor, p.multiProcessorCount);
    return 0;
}
