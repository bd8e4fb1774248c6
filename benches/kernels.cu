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

// out[i] = max(out[i], x[i]) through an atomicCAS loop, as code without a native float
// atomicMax writes it; every thread has its own element, so the loop never retries. It is a
// poll inside a loop all the same, so a block's 8 warps run as coroutines that switch every
// SPIN_POLLS polls (runtime::WarpCtx::spin_yield) instead of as straight calls: the
// yardstick for what that costs a kernel that never spins.
extern "C" __global__ void cas_max(const float* __restrict__ x, float* out) {
  const unsigned i = blockIdx.x * 256 + threadIdx.x;
  const float v = x[i];
  int* p = (int*)&out[i];
  int old = *(volatile int*)p;
  while (__int_as_float(old) < v) {
    int prev = atomicCAS(p, old, __float_as_int(v));
    if (prev == old) break;
    old = prev;
  }
}

// An inclusive prefix sum of 256-element tiles with a decoupled look-back, the way CUB's
// single-pass scans work: a block sums its tile, publishes the sum (flag 1), walks back over
// its predecessors' words adding sums until it finds an inclusive prefix (flag 2), publishes
// its own inclusive prefix and scans its tile. status[] starts zeroed. A block waits for
// earlier blocks only, so the run time depends on the order blocks start in: the yardstick for
// in-order block dispatch (a block spinning on one that has not started wastes its thread).
extern "C" __global__ void lookback_scan(const unsigned* __restrict__ x, unsigned* __restrict__ out,
                                         unsigned long long* status) {
  __shared__ unsigned s[256];
  __shared__ unsigned prefix;
  const unsigned t = threadIdx.x, b = blockIdx.x;
  unsigned v = x[b * 256 + t];
  s[t] = v;
  __syncthreads();
  for (unsigned k = 1; k < 256; k <<= 1) {  // Hillis-Steele inclusive scan of the tile
    unsigned a = t >= k ? s[t - k] : 0;
    __syncthreads();
    s[t] += a;
    __syncthreads();
  }
  if (t == 0) {
    const unsigned total = s[255];
    volatile unsigned long long* st = status;
    unsigned long long one = 1ull << 62, two = 2ull << 62;
    if (b == 0) {
      st[0] = two | total;
      prefix = 0;
    } else {
      st[b] = one | total;
      unsigned acc = 0;
      for (int p = (int)b - 1;; --p) {
        unsigned long long w;
        while (((w = st[p]) >> 62) == 0) {}
        acc += (unsigned)w;
        if ((w >> 62) == 2) break;
      }
      __threadfence();
      st[b] = two | (acc + total);
      prefix = acc;
    }
  }
  __syncthreads();
  out[b * 256 + t] = prefix + s[t];
}

// STREAM triad with float4 loads and stores, one vector per thread, grid = n / 4 / block: how
// vectorized CUDA code (GGML's kernels, BabelStream's vector variants) moves memory.
extern "C" __global__ void triad_v4(float4* __restrict__ a, const float4* __restrict__ b,
                                    const float4* __restrict__ c, float s) {
  const int i = blockDim.x * blockIdx.x + threadIdx.x;
  const float4 x = b[i], y = c[i];
  a[i] = make_float4(x.x + s * y.x, x.y + s * y.y, x.z + s * y.z, x.w + s * y.w);
}
