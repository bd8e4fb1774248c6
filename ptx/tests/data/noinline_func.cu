// A __noinline__ device function: a .func with a return parameter and a call.
__device__ __noinline__ float poly(float x, int k, const float *coeffs) {
    float acc = 0.0f;
    for (int i = k - 1; i >= 0; --i) acc = acc * x + coeffs[i];
    return acc;
}

__device__ __noinline__ void store_pair(float2 *dst, float a, float b) {
    *dst = make_float2(a, b);
}

extern "C" __global__ void eval_poly(const float *x, float *y, float2 *pairs, const float *c, int k, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = poly(x[i], k, c);
        store_pair(pairs + i, x[i], y[i]);
    }
}
