// Vector add: the smallest program with one kernel. Built by fatbin/tests/nvcc.rs in
// several nvcc modes to produce fatbins of every shape the reader must handle.
__global__ void vadd(const float *a, const float *b, float *c, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}

int main() { return 0; }
