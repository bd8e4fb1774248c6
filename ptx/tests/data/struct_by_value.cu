// A kernel taking a struct by value (a .b8 array parameter with .align).
struct Params {
    float scale;
    int offset;
    double bias;
    const float *src;
    float *dst;
    short tail[3];
};

extern "C" __global__ void struct_by_value(Params p, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) p.dst[i] = (float)(p.src[i] * p.scale + p.offset + p.bias + p.tail[i % 3]);
}
