// Kernel launch through cudart: lazy cuLibraryLoadData of the fatbin wrapper, cuLibraryGetKernel,
// cuLaunchKernel with a CUkernel, cudaFuncGetAttributes (PTX_VERSION), occupancy,
// cudaFuncSetAttribute(MaxDynamicSharedMemorySize), cudaMemcpyToSymbol/FromSymbol (module
// globals), and a launch error. Prints "launch OK".
#include <cuda_runtime.h>
#include <stdio.h>

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

__device__ float scale = 1.0f;

__global__ void vadd(const float *a, const float *b, float *c, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] = (a[i] + b[i]) * scale;
}

int main(void) {
    const int n = 10000;
    float ha[n], hb[n], hc[n];
    for (int i = 0; i < n; i++) { ha[i] = (float)i; hb[i] = 2.0f * i; }
    float *a, *b, *c;
    CHECK(cudaMalloc(&a, sizeof ha));
    CHECK(cudaMalloc(&b, sizeof hb));
    CHECK(cudaMalloc(&c, sizeof hc));
    CHECK(cudaMemcpy(a, ha, sizeof ha, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(b, hb, sizeof hb, cudaMemcpyHostToDevice));

    struct cudaFuncAttributes fa;
    CHECK(cudaFuncGetAttributes(&fa, vadd));
    EXPECT(fa.ptxVersion >= 75 && fa.maxThreadsPerBlock >= 256);
    int blocks = 0;
    CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, vadd, 256, 0));
    EXPECT(blocks > 0);
    CHECK(cudaFuncSetAttribute(vadd, cudaFuncAttributeMaxDynamicSharedMemorySize, 64 * 1024));

    float two = 2.0f;
    CHECK(cudaMemcpyToSymbol(scale, &two, sizeof two));
    vadd<<<(n + 255) / 256, 256>>>(a, b, c, n);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(hc, c, sizeof hc, cudaMemcpyDeviceToHost));
    for (int i = 0; i < n; i++) EXPECT(hc[i] == 6.0f * i);
    float back = 0;
    CHECK(cudaMemcpyFromSymbol(&back, scale, sizeof back));
    EXPECT(back == 2.0f);

    /* a block too large is refused, not run (cudart 13 + NVIDIA's driver: cudaErrorInvalidValue) */
    vadd<<<1, 2048>>>(a, b, c, n);
    EXPECT(cudaGetLastError() == cudaErrorInvalidValue);
    CHECK(cudaDeviceSynchronize());

    CHECK(cudaFree(a));
    CHECK(cudaFree(b));
    CHECK(cudaFree(c));
    printf("launch OK\n");
    return 0;
}
