// Module-scope variables with initializers: constant tables, multi-dimensional arrays,
// doubles, managed memory (.attribute(.managed)), and pointers initialized with the address of other globals (generic(sym)+N).
__constant__ float coeffs[4] = {1.0f, -2.5f, 0.125f, 3.0e10f};
__constant__ double dcoeffs[2] = {3.141592653589793, -1e-300};
__device__ int table2d[2][3] = {{1, 2, 3}, {-4, 5, -6}};
__device__ unsigned long long big = 0xfedcba9876543210ull;
__device__ int target_array[8];
__device__ int *ptr_into = &target_array[3];
__device__ const char *message = "hi";
__device__ char bytes[5] = {1, 2, 3, 4, 5};
__device__ short halfwords[3] = {-1, 2, -3};
__managed__ int managed_counter = 7;

extern "C" __global__ void use_globals(float *out, int i) {
    out[0] = coeffs[i & 3] + (float)dcoeffs[i & 1] + table2d[i & 1][i % 3] + (float)big;
    out[1] = (float)ptr_into[i] + message[0] + bytes[i % 5] + halfwords[i % 3] + managed_counter;
}
