// Two kernels and a device function, so PTX and cubins hold more than one entry point.
__device__ float square(float x) { return x * x; }

__global__ void squares(float *out, const float *in, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = square(in[i]);
}

__global__ void fill(int *out, int value, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
        out[i] = value;
}

int main() { return 0; }
