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

// A block-wide tree reduction through shared memory: nine barriers per block of 256 threads.
// The yardstick for barrier cost (warps as coroutines switching at bar.sync).
extern "C" __global__ void block_sum(const float* __restrict__ x, float* __restrict__ out) {
  __shared__ float s[256];
  const unsigned t = threadIdx.x;
  s[t] = x[blockIdx.x * 256 + t];
  __syncthreads();
  for (unsigned k = 128; k > 0; k >>= 1) {
    if (t < k) s[t] += s[t + k];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = s[0];
}
