// A local array indexed with a runtime value: forces a .local depot and %SP/%SPL.
extern "C" __global__ void local_array(const int *idx, int *out, int n) {
    int buf[32];
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    for (int i = 0; i < 32; ++i) buf[i] = i * t + idx[(t + i) % n];
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += buf[idx[(t * 7 + i) % n] & 31];
    out[t] = sum;
}
