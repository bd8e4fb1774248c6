// Atomics: native integer/float ops and an atomicCAS loop building atomicMax on float.
__device__ float atomic_max_float(float *addr, float value) {
    int *as_int = (int *)addr;
    int old = *as_int, assumed;
    do {
        assumed = old;
        if (__int_as_float(assumed) >= value) break;
        old = atomicCAS(as_int, assumed, __float_as_int(value));
    } while (assumed != old);
    return __int_as_float(old);
}

__device__ unsigned long long global_counter;

extern "C" __global__ void atomics(const float *in, float *fmax, float *fsum, int *imin,
                                   unsigned *uinc, unsigned long long *ull, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float v = in[i];
    atomic_max_float(fmax, v);
    atomicAdd(fsum, v);
    atomicMin(imin, (int)v);
    atomicInc(uinc, 1000u);
    atomicExch(ull, (unsigned long long)i);
    atomicAdd(&global_counter, 1ull);
    atomicOr((unsigned *)imin + 1, 1u << (i & 31));
}
