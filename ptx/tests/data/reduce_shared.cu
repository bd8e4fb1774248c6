// Block reduction through dynamic shared memory, plus a static shared array.
extern __shared__ float dyn_smem[];

extern "C" __global__ void reduce_sum(const float *in, float *out, unsigned n) {
    __shared__ int block_count[4];
    unsigned tid = threadIdx.x;
    unsigned i = blockIdx.x * blockDim.x * 2 + tid;
    float v = 0.0f;
    if (i < n) v += in[i];
    if (i + blockDim.x < n) v += in[i + blockDim.x];
    dyn_smem[tid] = v;
    if (tid < 4) block_count[tid] = 0;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (tid < s) dyn_smem[tid] += dyn_smem[tid + s];
        __syncthreads();
    }
    if (tid == 0) {
        atomicAdd(&block_count[0], 1);
        out[blockIdx.x] = dyn_smem[0] + (float)block_count[0];
    }
}
