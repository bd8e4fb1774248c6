// Kernels of the driver benchmarks (benches/driver.rs). Regenerate kernels.ptx with
//   nvcc -ptx -arch=compute_75 -o benches/kernels.ptx benches/kernels.cu
extern "C" __global__ void empty() {}

// STREAM triad with a grid-stride loop, as CUDA programs write it.
extern "C" __global__ void triad(float* __restrict__ a, const float* __restrict__ b,
                                 const float* __restrict__ c, float s, long n) {
  for (long i = blockIdx.x * (long)blockDim.x + threadIdx.x; i < n; i += (long)blockDim.x * gridDim.x)
    a[i] = b[i] + s * c[i];
}

// STREAM triad as BabelStream writes it: one element per thread, grid = n / block.
extern "C" __global__ void triad_1d(float* __restrict__ a, const float* __restrict__ b,
                                    const float* __restrict__ c, float s) {
  const int i = blockDim.x * blockIdx.x + threadIdx.x;
  a[i] = b[i] + s * c[i];
}
