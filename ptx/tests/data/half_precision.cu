// Half precision from cuda_fp16.h: scalar and packed half2 arithmetic and conversions.
#include <cuda_fp16.h>

extern "C" __global__ void half_ops(const __half *a, const __half2 *b, __half *out, __half2 *out2, float *f, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    __half x = a[i];
    __half y = __hmul(x, __float2half(1.5f));
    out[i] = __hadd(x, y);
    __half2 p = b[i];
    out2[i] = __hfma2(p, p, __halves2half2(x, y));
    f[i] = __half2float(x) + __low2float(p) + __high2float(p);
    if (__hlt(x, y)) f[i] += 1.0f;
}
