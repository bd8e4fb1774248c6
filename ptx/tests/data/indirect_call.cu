// Calls through a device function pointer: .callprototype, indirect call, and (with
// -lineinfo) .loc directives carrying inlined_at.
typedef float (*unary_fn)(float);

__device__ __noinline__ float square(float x) { return x * x; }
__device__ __noinline__ float negate(float x) { return -x; }
__device__ unary_fn table[2] = {square, negate};

__device__ __forceinline__ float apply(int which, float v) { return table[which & 1](v); }

extern "C" __global__ void indirect_call(const float *in, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = apply(i, in[i]) + apply(i + 1, in[i]);
}
