// Bindless textures and surfaces: tex/suld/sust take bracketed operand lists [obj, {x, y}].
extern "C" __global__ void texture_surface(cudaTextureObject_t tex, cudaSurfaceObject_t surf,
                                           float4 *out, int w, int h) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= w || y >= h) return;
    float4 t = tex2D<float4>(tex, x + 0.5f, y + 0.5f);
    float l = tex1Dfetch<float>(tex, x);
    float v;
    surf2Dread(&v, surf, x * 4, y);
    surf2Dwrite(v + t.x + l, surf, x * 4, y);
    out[y * w + x] = t;
}
