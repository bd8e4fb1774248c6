// textures.cu — texture and surface objects: cudaCreateTextureObject over cudaMallocArray /
// cudaMalloc3DArray (1D, 2D, 3D, layered, cubemap), cudaMallocPitch and linear memory; point and
// linear filtering (the hardware's 1/256 weights: sweeps that show how coordinates and weights are
// quantised and how the weighted sum is rounded), every address mode with normalized and
// unnormalized coordinates, element and normalized-float read modes for 8/16/32-bit channels and
// half, missing channels, tex2Dgather, tex2DLod/tex2DGrad on arrays without mipmaps, txq/suq
// (inline PTX: the size queries, the only ones an H100 loads), surf1D/2D/3D/2DLayered read and write with trap/clamp/zero boundaries, the
// descriptor getters and the error codes of malformed requests. Results are printed as hex bits:
// the golden file records what an H100 returns, bit for bit.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <vector>
#include <cuda_runtime.h>
#include <cuda_fp16.h>

static int g_failures = 0;
// a failed call is reported and counted, and the program goes on: one failure must not hide
// the rest of the output
#define CK(call)                                                                        \
  do {                                                                                  \
    cudaError_t e_ = (call);                                                            \
    if (e_ != cudaSuccess) {                                                            \
      printf("FAIL %s at line %d -> %s\n", #call, __LINE__, cudaGetErrorName(e_));      \
      ++g_failures;                                                                     \
    }                                                                                   \
  } while (0)

static void report(bool ok, const char* what) {
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

static unsigned bits(float f) {
  unsigned u;
  memcpy(&u, &f, 4);
  return u;
}

// ---------------------------------------------------------------- sampling kernels
struct Q {
  float x, y, z;
  int layer;  // layer index, or the integer coordinate of tex1Dfetch
  float lod;  // tex2DLod's level, tex2DGrad's derivative scale
};
enum Op { T1D, T2D, T3D, T1DL, T2DL, TCUBE, TCUBEL, FETCH, G0, G1, G2, G3, LOD2D, GRAD2D };

template <class V>
__device__ V sample(cudaTextureObject_t t, int op, Q c) {
  switch (op) {
    case T1D: return tex1D<V>(t, c.x);
    case T2D: return tex2D<V>(t, c.x, c.y);
    case T3D: return tex3D<V>(t, c.x, c.y, c.z);
    case T1DL: return tex1DLayered<V>(t, c.x, c.layer);
    case T2DL: return tex2DLayered<V>(t, c.x, c.y, c.layer);
    case TCUBE: return texCubemap<V>(t, c.x, c.y, c.z);
    case TCUBEL: return texCubemapLayered<V>(t, c.x, c.y, c.z, c.layer);
    case FETCH: return tex1Dfetch<V>(t, c.layer);
    case G0: return tex2Dgather<V>(t, c.x, c.y, 0);
    case G1: return tex2Dgather<V>(t, c.x, c.y, 1);
    case G2: return tex2Dgather<V>(t, c.x, c.y, 2);
    case G3: return tex2Dgather<V>(t, c.x, c.y, 3);
    case LOD2D: return tex2DLod<V>(t, c.x, c.y, c.lod);
    default: return tex2DGrad<V>(t, c.x, c.y, make_float2(c.lod, 0.0f), make_float2(0.0f, c.lod));
  }
}

template <class V>
__global__ void sample_kernel(cudaTextureObject_t t, int op, const Q* q, V* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = sample<V>(t, op, q[i]);
}

template <class V>
static std::vector<V> run(cudaTextureObject_t t, int op, const std::vector<Q>& qs) {
  Q* dq;
  V* dout;
  int n = (int)qs.size();
  CK(cudaMalloc(&dq, n * sizeof(Q)));
  CK(cudaMalloc(&dout, n * sizeof(V)));
  CK(cudaMemcpy(dq, qs.data(), n * sizeof(Q), cudaMemcpyHostToDevice));
  sample_kernel<V><<<(n + 63) / 64, 64>>>(t, op, dq, dout, n);
  CK(cudaGetLastError());
  std::vector<V> out(n);
  CK(cudaMemcpy(out.data(), dout, n * sizeof(V), cudaMemcpyDeviceToHost));
  CK(cudaFree(dq));
  CK(cudaFree(dout));
  return out;
}
static std::vector<float4> runf(cudaTextureObject_t t, int op, const std::vector<Q>& qs) { return run<float4>(t, op, qs); }

static Q q1(float x) { return Q{x, 0, 0, 0, 0}; }
static Q q2(float x, float y) { return Q{x, y, 0, 0, 0}; }
static Q q3(float x, float y, float z) { return Q{x, y, z, 0, 0}; }
static Q qi(int i) { return Q{0, 0, 0, i, 0}; }

// one line per sample: all four components
static void print4(const char* name, const std::vector<float4>& r) {
  for (size_t i = 0; i < r.size(); ++i)
    printf("%s[%zu] %08x %08x %08x %08x\n", name, i, bits(r[i].x), bits(r[i].y), bits(r[i].z), bits(r[i].w));
}
static void print4i(const char* name, const std::vector<int4>& r) {
  for (size_t i = 0; i < r.size(); ++i) printf("%s[%zu] %08x %08x %08x %08x\n", name, i, r[i].x, r[i].y, r[i].z, r[i].w);
}
static void print4u(const char* name, const std::vector<uint4>& r) {
  for (size_t i = 0; i < r.size(); ++i) printf("%s[%zu] %08x %08x %08x %08x\n", name, i, r[i].x, r[i].y, r[i].z, r[i].w);
}
// .x of each sample, eight to a line
static void printx(const char* name, const std::vector<float4>& r) {
  for (size_t i = 0; i < r.size(); i += 8) {
    printf("%s[%zu..]", name, i);
    for (size_t j = i; j < i + 8 && j < r.size(); ++j) printf(" %08x", bits(r[j].x));
    printf("\n");
  }
}

// ---------------------------------------------------------------- object helpers
static cudaTextureDesc tdesc(cudaTextureAddressMode am, cudaTextureFilterMode fm, cudaTextureReadMode rm, int norm,
                             float b0 = 0, float b1 = 0, float b2 = 0, float b3 = 0) {
  cudaTextureDesc td;
  memset(&td, 0, sizeof td);
  td.addressMode[0] = td.addressMode[1] = td.addressMode[2] = am;
  td.filterMode = fm;
  td.readMode = rm;
  td.normalizedCoords = norm;
  td.borderColor[0] = b0;
  td.borderColor[1] = b1;
  td.borderColor[2] = b2;
  td.borderColor[3] = b3;
  return td;
}
static cudaResourceDesc rd_array(cudaArray_t a) {
  cudaResourceDesc rd;
  memset(&rd, 0, sizeof rd);
  rd.resType = cudaResourceTypeArray;
  rd.res.array.array = a;
  return rd;
}
static cudaResourceDesc rd_linear(void* p, cudaChannelFormatDesc cd, size_t bytes) {
  cudaResourceDesc rd;
  memset(&rd, 0, sizeof rd);
  rd.resType = cudaResourceTypeLinear;
  rd.res.linear.devPtr = p;
  rd.res.linear.desc = cd;
  rd.res.linear.sizeInBytes = bytes;
  return rd;
}
static cudaTextureObject_t tex(const cudaResourceDesc& rd, const cudaTextureDesc& td) {
  cudaTextureObject_t t = 0;
  CK(cudaCreateTextureObject(&t, &rd, &td, nullptr));
  return t;
}
// a 1D/2D array filled from host data (rows of w elements of `esize` bytes)
static cudaArray_t array2d(cudaChannelFormatDesc cd, int w, int h, const void* data, size_t esize, unsigned flags = 0) {
  cudaArray_t a;
  CK(cudaMallocArray(&a, &cd, w, h, flags));
  CK(cudaMemcpy2DToArray(a, 0, 0, data, w * esize, w * esize, h ? h : 1, cudaMemcpyHostToDevice));
  return a;
}
static cudaArray_t array3d(cudaChannelFormatDesc cd, int w, int h, int d, unsigned flags, const void* data, size_t esize) {
  cudaArray_t a;
  CK(cudaMalloc3DArray(&a, &cd, make_cudaExtent(w, h, d), flags));
  cudaMemcpy3DParms p;
  memset(&p, 0, sizeof p);
  p.srcPtr = make_cudaPitchedPtr((void*)data, w * esize, w, h ? h : 1);
  p.dstArray = a;
  p.extent = make_cudaExtent(w, h ? h : 1, d);
  p.kind = cudaMemcpyHostToDevice;
  CK(cudaMemcpy3D(&p));
  return a;
}
static cudaSurfaceObject_t surf(cudaArray_t a) {
  cudaResourceDesc rd = rd_array(a);
  cudaSurfaceObject_t s = 0;
  CK(cudaCreateSurfaceObject(&s, &rd));
  return s;
}
template <class T>
static T* upload(const std::vector<T>& v) {
  T* p;
  CK(cudaMalloc(&p, v.size() * sizeof(T)));
  CK(cudaMemcpy(p, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice));
  return p;
}

// ---------------------------------------------------------------- txq / suq
// Only the size queries: on the H100 (driver 580) a module that uses txq.channel_data_type,
// .channel_order, .normalized_coords, .filter_mode, .addr_mode_N, .array_size or
// .num_mipmap_levels fails to load (cudaErrorSymbolNotFound), and suq.channel_data_type or
// .array_size with cudaErrorNotSupported — every kernel of this file would fail with it.
__global__ void txq_kernel(cudaTextureObject_t t, int* out) {
  int r[3];
  asm volatile("txq.width.b32 %0, [%1];" : "=r"(r[0]) : "l"(t));
  asm volatile("txq.height.b32 %0, [%1];" : "=r"(r[1]) : "l"(t));
  asm volatile("txq.depth.b32 %0, [%1];" : "=r"(r[2]) : "l"(t));
  for (int i = 0; i < 3; ++i) out[i] = r[i];
}
__global__ void suq_kernel(cudaSurfaceObject_t s, int* out) {
  int r;
  asm volatile("suq.width.b32 %0, [%1];" : "=r"(r) : "l"(s));
  out[0] = r;
}
static void print_txq(const char* name, cudaTextureObject_t t) {
  int* d;
  int h[3] = {-1, -1, -1};
  CK(cudaMalloc(&d, sizeof h));
  txq_kernel<<<1, 1>>>(t, d);
  CK(cudaGetLastError());
  CK(cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost));
  CK(cudaFree(d));
  printf("txq %s: width %d height %d depth %d\n", name, h[0], h[1], h[2]);
}
static void print_suq(const char* name, cudaSurfaceObject_t s) {
  int* d;
  int h = -1;
  CK(cudaMalloc(&d, sizeof h));
  suq_kernel<<<1, 1>>>(s, d);
  CK(cudaGetLastError());
  CK(cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost));
  CK(cudaFree(d));
  printf("suq %s: width %d\n", name, h);
}

// ---------------------------------------------------------------- surface kernels
// writes v(x, y) = 1000*y + x + 1 to a w x h surface of unsigned ints
__global__ void surf_fill(cudaSurfaceObject_t s, int w, int h) {
  int x = threadIdx.x, y = blockIdx.x;
  if (x < w && y < h) surf2Dwrite<unsigned>(1000u * y + x + 1, s, x * 4, y);
}
// reads at byte coordinates (bx[i], by[i]) with clamp and with zero
__global__ void surf_read_oob(cudaSurfaceObject_t s, const int* bx, const int* by, unsigned* out, int n) {
  int i = threadIdx.x;
  if (i < n) {
    out[2 * i] = surf2Dread<unsigned>(s, bx[i], by[i], cudaBoundaryModeClamp);
    out[2 * i + 1] = surf2Dread<unsigned>(s, bx[i], by[i], cudaBoundaryModeZero);
  }
}
__global__ void surf_write_oob(cudaSurfaceObject_t s, int bx, int by, unsigned v, int clamp) {
  if (clamp)
    surf2Dwrite<unsigned>(v, s, bx, by, cudaBoundaryModeClamp);
  else
    surf2Dwrite<unsigned>(v, s, bx, by, cudaBoundaryModeZero);
}
// vector surfaces: uchar4 / float4 / short2 round trips (read, transform, write back)
__global__ void surf_vec(cudaSurfaceObject_t s4u8, cudaSurfaceObject_t s4f, cudaSurfaceObject_t s2s16, int w) {
  int x = threadIdx.x, y = blockIdx.x;
  if (x >= w) return;
  uchar4 a = surf2Dread<uchar4>(s4u8, x * 4, y);
  surf2Dwrite(make_uchar4(a.w, a.z + 1, a.y, a.x ^ 0x80), s4u8, x * 4, y);
  float4 f = surf2Dread<float4>(s4f, x * 16, y);
  surf2Dwrite(make_float4(f.w, f.z * 2.0f, f.y + 0.5f, -f.x), s4f, x * 16, y);
  short2 t = surf2Dread<short2>(s2s16, x * 4, y);
  surf2Dwrite(make_short2(t.y, (short)(t.x - 3)), s2s16, x * 4, y);
}
// 1D, 3D and 2D-layered surfaces: out[i] = what was read, then each cell gets v*3+1
__global__ void surf_1d(cudaSurfaceObject_t s, int w, float* out) {
  int x = threadIdx.x;
  if (x < w) {
    float v = surf1Dread<float>(s, x * 4);
    out[x] = v;
    surf1Dwrite(v * 3.0f + 1.0f, s, x * 4);
  }
}
__global__ void surf_3d(cudaSurfaceObject_t s, int w, int h, int d, int* out) {
  int x = threadIdx.x, y = threadIdx.y, z = blockIdx.x;
  if (x < w && y < h && z < d) {
    int v = surf3Dread<int>(s, x * 4, y, z);
    out[(z * h + y) * w + x] = v;
    surf3Dwrite(v * 3 + 1, s, x * 4, y, z);
  }
}
__global__ void surf_layered(cudaSurfaceObject_t s, int w, int h, int layers, int* out) {
  int x = threadIdx.x, y = threadIdx.y, l = blockIdx.x;
  if (x < w && y < h && l < layers) {
    int v = surf2DLayeredread<int>(s, x * 4, y, l);
    out[(l * h + y) * w + x] = v;
    surf2DLayeredwrite(v * 3 + 1, s, x * 4, y, l);
  }
}
__global__ void surf_trap(cudaSurfaceObject_t s, int bx, unsigned* out) { out[0] = surf2Dread<unsigned>(s, bx, 0); }

// ---------------------------------------------------------------- main
int main() {
  // ======== 1. linear memory: tex1Dfetch, out-of-range indices, missing channels
  {
    std::vector<float> v = {1.5f, -2.0f, 3.25f, 4.0f, 1e-40f, -0.0f, 7.0f, 8.5f};
    float* d = upload(v);
    cudaTextureObject_t t = tex(rd_linear(d, cudaCreateChannelDesc<float>(), v.size() * 4),
                                tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    std::vector<Q> qs = {qi(-3), qi(-1), qi(0), qi(3), qi(4), qi(5), qi(7), qi(8), qi(9), qi(1000)};
    auto r = runf(t, FETCH, qs);
    print4("lin_f32", r);
    bool ok = true;
    for (int i = 0; i < 8; ++i) ok &= bits(runf(t, FETCH, {qi(i)})[0].x) == bits(v[i]);
    report(ok, "tex1Dfetch<float> on linear memory returns the elements");
    print_txq("lin_f32", t);
    CK(cudaDestroyTextureObject(t));

    // 2-channel float and 1-channel int through int4 / float4
    std::vector<float2> v2 = {{1, 2}, {3, 4}, {-5, 6.5f}};
    float2* d2 = upload(v2);
    t = tex(rd_linear(d2, cudaCreateChannelDesc<float2>(), v2.size() * 8),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4("lin_f32x2", runf(t, FETCH, {qi(0), qi(2), qi(3)}));
    CK(cudaDestroyTextureObject(t));
    std::vector<int> vi = {-7, 0x7fffffff, (int)0x80000000u, 42};
    int* di = upload(vi);
    t = tex(rd_linear(di, cudaCreateChannelDesc<int>(), vi.size() * 4),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4i("lin_s32", run<int4>(t, FETCH, {qi(0), qi(1), qi(2), qi(3), qi(4)}));
    print_txq("lin_s32", t);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFree(d));
    CK(cudaFree(d2));
    CK(cudaFree(di));
  }

  // ======== 2. read modes: every u8 and s8 value as normalized float, 16-bit samples, half
  {
    std::vector<unsigned char> u8(256);
    for (int i = 0; i < 256; ++i) u8[i] = (unsigned char)i;
    unsigned char* d = upload(u8);
    std::vector<Q> all;
    for (int i = 0; i < 256; ++i) all.push_back(qi(i));
    cudaTextureObject_t t = tex(rd_linear(d, cudaCreateChannelDesc<unsigned char>(), 256),
                                tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeNormalizedFloat, 0));
    auto r = runf(t, FETCH, all);
    printx("u8_norm", r);
    print4("u8_norm_channels", {r[0], r[255]});
    bool mono = true;
    for (int i = 1; i < 256; ++i) mono &= r[i].x > r[i - 1].x;
    report(mono && r[0].x == 0.0f && r[255].x == 1.0f, "u8 normalized: 0 -> 0.0, 255 -> 1.0, increasing");
    print_txq("u8_norm", t);
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_linear(d, cudaCreateChannelDesc<signed char>(), 256),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeNormalizedFloat, 0));
    printx("s8_norm", runf(t, FETCH, all));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_linear(d, cudaCreateChannelDesc<signed char>(), 256),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4i("s8_elem", run<int4>(t, FETCH, {qi(0), qi(127), qi(128), qi(255)}));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_linear(d, cudaCreateChannelDesc<uchar4>(), 256),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeNormalizedFloat, 0));
    print4("u8x4_norm", runf(t, FETCH, {qi(0), qi(1), qi(63), qi(64)}));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_linear(d, cudaCreateChannelDesc<uchar4>(), 256),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4u("u8x4_elem", run<uint4>(t, FETCH, {qi(0), qi(33), qi(63)}));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFree(d));

    std::vector<unsigned short> u16 = {0, 1, 2, 3, 127, 128, 255, 256, 12345, 32767, 32768, 32769, 40000, 54321, 65534, 65535};
    unsigned short* d16 = upload(u16);
    std::vector<Q> q16;
    for (int i = 0; i < 16; ++i) q16.push_back(qi(i));
    t = tex(rd_linear(d16, cudaCreateChannelDesc<unsigned short>(), 32),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeNormalizedFloat, 0));
    printx("u16_norm", runf(t, FETCH, q16));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_linear(d16, cudaCreateChannelDesc<short>(), 32),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeNormalizedFloat, 0));
    printx("s16_norm", runf(t, FETCH, q16));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_linear(d16, cudaCreateChannelDesc<short2>(), 32),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4i("s16x2_elem", run<int4>(t, FETCH, {qi(0), qi(4), qi(5), qi(7)}));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_linear(d16, cudaCreateChannelDesc<unsigned short>(), 32),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4u("u16_elem", run<uint4>(t, FETCH, {qi(0), qi(10), qi(15)}));
    CK(cudaDestroyTextureObject(t));
    // half: read as float in either read mode
    std::vector<unsigned short> h = {0x0000, 0x8000, 0x3c00, 0x7bff, 0x7c00, 0xfc00, 0x7e00, 0x7c01,
                                     0x0001, 0x03ff, 0x8001, 0x3555, 0xc8e5, 0x0400, 0x2e66, 0xfbff};
    unsigned short* dh = upload(h);
    t = tex(rd_linear(dh, cudaCreateChannelDescHalf(), 32),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    printx("f16", runf(t, FETCH, q16));
    print_txq("f16", t);
    CK(cudaDestroyTextureObject(t));
    // half textures take only the element read mode
    {
      cudaResourceDesc rd = rd_linear(dh, cudaCreateChannelDescHalf2(), 32);
      cudaTextureDesc td = tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeNormalizedFloat, 0);
      printf("half2 with normalized-float reads: %s\n", cudaGetErrorName(cudaCreateTextureObject(&t, &rd, &td, nullptr)));
      cudaGetLastError();
    }
    t = tex(rd_linear(dh, cudaCreateChannelDescHalf2(), 32),
            tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4("f16x2", runf(t, FETCH, {qi(0), qi(1), qi(3)}));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFree(d16));
    CK(cudaFree(dh));
  }

  // ======== 3. 2D array, point sampling, every address mode
  const int W = 4, H = 3;
  std::vector<float> img(W * H);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) img[y * W + x] = 10.0f * y + x + 1;
  cudaArray_t a2 = array2d(cudaCreateChannelDesc<float>(), W, H, img.data(), 4, cudaArrayTextureGather);
  const cudaTextureAddressMode modes[4] = {cudaAddressModeWrap, cudaAddressModeClamp, cudaAddressModeMirror, cudaAddressModeBorder};
  const char* mname[4] = {"wrap", "clamp", "mirror", "border"};
  {
    std::vector<Q> qs;
    float xs[] = {-1.0f, -0.25f, 0.0f, 0.5f, 0.999f, 1.0f, 3.999f, 4.0f, 4.5f, 5.0f, 9.25f};
    float ys[] = {-0.5f, 1.5f, 3.2f};
    for (float y : ys)
      for (float x : xs) qs.push_back(q2(x, y));
    for (int m = 0; m < 4; ++m) {
      cudaTextureObject_t t = tex(rd_array(a2), tdesc(modes[m], cudaFilterModePoint, cudaReadModeElementType, 0, 0.25f, 0.5f, 0.75f, 2.0f));
      auto r = runf(t, T2D, qs);
      char name[64];
      snprintf(name, sizeof name, "pt_unnorm_%s", mname[m]);
      printx(name, r);
      if (m == 1) {
        print4("pt_unnorm_clamp_channels", {r[14]});
        print_txq("a2d_clamp_unnorm", t);
        // gathering channels a one-channel texture lacks
        print4("gather1_one_channel", runf(t, G1, {q2(1.0f, 1.0f)}));
        print4("gather0_one_channel", runf(t, G0, {q2(1.0f, 1.0f)}));
      }
      if (m == 3) print4("pt_unnorm_border_channels", {r[0], r[14]});
      CK(cudaDestroyTextureObject(t));
    }
    // normalized coordinates: x from -1.25 to 2.25, y in the middle row
    qs.clear();
    for (int k = -10; k <= 18; ++k) qs.push_back(q2(k * 0.125f, 0.5f));
    for (int k = -3; k <= 6; ++k) qs.push_back(q2(0.6f, k * 0.3f));
    for (int m = 0; m < 4; ++m) {
      cudaTextureObject_t t = tex(rd_array(a2), tdesc(modes[m], cudaFilterModePoint, cudaReadModeElementType, 1, -1.0f, 0, 0, 0));
      char name[64];
      snprintf(name, sizeof name, "pt_norm_%s", mname[m]);
      printx(name, runf(t, T2D, qs));
      if (m == 2) print_txq("a2d_mirror_norm", t);
      CK(cudaDestroyTextureObject(t));
      t = tex(rd_array(a2), tdesc(modes[m], cudaFilterModeLinear, cudaReadModeElementType, 1, -1.0f, 0, 0, 0));
      snprintf(name, sizeof name, "lin_norm_%s", mname[m]);
      printx(name, runf(t, T2D, qs));
      if (m == 0) print_txq("a2d_wrap_linear", t);
      CK(cudaDestroyTextureObject(t));
    }
    // which texel a normalized coordinate selects on a 5-wide texture, at and around k/5
    std::vector<float> five = {0, 1, 2, 3, 4};
    cudaArray_t a5 = array2d(cudaCreateChannelDesc<float>(), 5, 0, five.data(), 4);
    cudaTextureObject_t t = tex(rd_array(a5), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 1));
    qs.clear();
    for (int k = 0; k <= 5; ++k) {
      float x = k / 5.0f;
      qs.push_back(q1(nextafterf(x, -1.0f)));
      qs.push_back(q1(x));
      qs.push_back(q1(nextafterf(x, 2.0f)));
    }
    for (int k = 0; k < 12; ++k) qs.push_back(q1(0.2f - k * 0.00001f));
    printx("pt_norm5", runf(t, T1D, qs));
    CK(cudaDestroyTextureObject(t));
    // unnormalized coordinates just below texel boundaries
    t = tex(rd_array(a5), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    qs.clear();
    for (int k = 1; k <= 4; ++k) {
      qs.push_back(q1(nextafterf((float)k, 0.0f)));
      qs.push_back(q1(k - 1.0f / 512));
      qs.push_back(q1(k - 1.0f / 256));
      qs.push_back(q1(k - 1.0f / 1024));
    }
    printx("pt_unnorm5", runf(t, T1D, qs));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a5));
    // how finely normalized coordinates are resolved: the 64 floats from just below k/W
    // upwards, on widths whose texel boundaries are not binary fractions
    const int probes[3][2] = {{3, 1}, {3, 2}, {12, 1}};
    for (int p = 0; p < 3; ++p) {
      int w = probes[p][0], k = probes[p][1];
      std::vector<float> ramp(w);
      for (int i = 0; i < w; ++i) ramp[i] = (float)i;
      cudaArray_t ar = array2d(cudaCreateChannelDesc<float>(), w, 0, ramp.data(), 4);
      t = tex(rd_array(ar), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 1));
      qs.clear();
      float x = nextafterf((float)k / w, 0.0f);
      for (int j = 0; j < 64; ++j, x = nextafterf(x, 2.0f)) qs.push_back(q1(x));
      char name[64];
      snprintf(name, sizeof name, "pt_norm_fine_w%d_k%d", w, k);
      printx(name, runf(t, T1D, qs));
      CK(cudaDestroyTextureObject(t));
      CK(cudaFreeArray(ar));
    }
  }

  // ======== 4. linear filtering: weight quantisation and rounding of the weighted sum
  {
    const float pairs[][2] = {{1.0f, 2.0f}, {0.1f, 12345.678f}, {-3.3f, 7.7f}, {1.0f, 1.0000001f}, {3e38f, -3e38f}};
    for (int p = 0; p < 5; ++p) {
      cudaArray_t a = array2d(cudaCreateChannelDesc<float>(), 2, 0, pairs[p], 4);
      cudaTextureObject_t t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeElementType, 0));
      std::vector<Q> qs;
      for (int k = 0; k <= 256; ++k) qs.push_back(q1(0.5f + k / 256.0f));
      char name[64];
      snprintf(name, sizeof name, "lerp_pair%d", p);
      auto r = runf(t, T1D, qs);
      printx(name, r);
      if (p == 0) {
        bool ok = true;
        for (int k = 0; k <= 256; ++k) ok &= fabsf(r[k].x - (1.0f + k / 256.0f)) <= 1.0f / 256;
        report(ok, "linear filtering between 1 and 2 follows the coordinate within 1/256");
      }
      if (p == 0) {
        qs.clear();
        for (int k = 0; k <= 64; ++k) qs.push_back(q1(0.5f + k / 4096.0f));
        for (int k = 0; k <= 32; ++k) qs.push_back(q1(1.5f - k / 4096.0f));
        for (int k = 0; k < 16; ++k) qs.push_back(q1(0.5f + (k * 37 + 5) / 777.0f));
        printx("lerp_quant", runf(t, T1D, qs));
      }
      CK(cudaDestroyTextureObject(t));
      CK(cudaFreeArray(a));
    }
    // 2D bilinear on a 2x2 float texture: weights on a 9x9 grid
    float q4[4] = {1.5f, -2.25f, 100.125f, 0.3f};
    cudaArray_t a = array2d(cudaCreateChannelDesc<float>(), 2, 2, q4, 4);
    cudaTextureObject_t t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeElementType, 0));
    std::vector<Q> qs;
    for (int j = 0; j <= 8; ++j)
      for (int i = 0; i <= 8; ++i) qs.push_back(q2(0.5f + i / 8.0f, 0.5f + j / 8.0f));
    for (int k = 0; k < 16; ++k) qs.push_back(q2(0.5f + (k * 53 % 256) / 256.0f, 0.5f + (k * 97 % 256) / 256.0f));
    printx("bilerp_f32", runf(t, T2D, qs));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
    // u8 normalized: 1D pair and 2x2
    unsigned char p8[2] = {17, 200};
    a = array2d(cudaCreateChannelDesc<unsigned char>(), 2, 0, p8, 1);
    t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeNormalizedFloat, 0));
    qs.clear();
    for (int k = 0; k <= 256; ++k) qs.push_back(q1(0.5f + k / 256.0f));
    printx("lerp_u8", runf(t, T1D, qs));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
    unsigned char q8[4] = {0, 255, 91, 3};
    a = array2d(cudaCreateChannelDesc<unsigned char>(), 2, 2, q8, 1);
    t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeNormalizedFloat, 0));
    qs.clear();
    for (int j = 0; j <= 8; ++j)
      for (int i = 0; i <= 8; ++i) qs.push_back(q2(0.5f + i / 8.0f, 0.5f + j / 8.0f));
    printx("bilerp_u8", runf(t, T2D, qs));
    CK(cudaDestroyTextureObject(t));
    // the border color of a normalized-float read, point and linear
    t = tex(rd_array(a), tdesc(cudaAddressModeBorder, cudaFilterModePoint, cudaReadModeNormalizedFloat, 0, 0.3f, 0.6f, 0.9f, 1.0f));
    print4("border_u8_point", runf(t, T2D, {q2(-1.0f, 0.5f), q2(0.5f, 0.5f)}));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_array(a), tdesc(cudaAddressModeBorder, cudaFilterModeLinear, cudaReadModeNormalizedFloat, 0, 0.3f, 0.6f, 0.9f, 1.0f));
    printx("border_u8_linear", runf(t, T2D, {q2(0.0f, 0.5f), q2(0.25f, 1.0f), q2(2.0f, 2.0f)}));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
    // s16 normalized linear, half linear
    short p16[2] = {-32768, 12345};
    a = array2d(cudaCreateChannelDesc<short>(), 2, 0, p16, 2);
    t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeNormalizedFloat, 0));
    qs.clear();
    for (int k = 0; k <= 256; k += 8) qs.push_back(q1(0.5f + k / 256.0f));
    printx("lerp_s16", runf(t, T1D, qs));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
    // NaN, infinity and signed zeros among filtered texels
    {
      unsigned sv[6] = {0x7fc00001u, 0x3f800000u, 0x7f800000u, 0x80000000u, 0x80000000u, 0x40000000u};
      cudaArray_t as = array2d(cudaCreateChannelDesc<float>(), 6, 0, sv, 4);
      cudaTextureObject_t ts = tex(rd_array(as), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeElementType, 0));
      printx("lerp_special", runf(ts, T1D, {q1(0.5f), q1(1.0f), q1(1.5f), q1(2.0f), q1(2.5f), q1(3.0f), q1(3.5f), q1(4.0f), q1(4.5f), q1(5.25f)}));
      CK(cudaDestroyTextureObject(ts));
      CK(cudaFreeArray(as));
      signed char s8p[2] = {-128, 77};
      as = array2d(cudaCreateChannelDesc<signed char>(), 2, 0, s8p, 1);
      ts = tex(rd_array(as), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeNormalizedFloat, 0));
      printx("lerp_s8", runf(ts, T1D, qs));
      CK(cudaDestroyTextureObject(ts));
      CK(cudaFreeArray(as));
      unsigned short u16p[2] = {1, 65534};
      as = array2d(cudaCreateChannelDesc<unsigned short>(), 2, 0, u16p, 2);
      ts = tex(rd_array(as), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeNormalizedFloat, 0));
      printx("lerp_u16", runf(ts, T1D, qs));
      CK(cudaDestroyTextureObject(ts));
      CK(cudaFreeArray(as));
    }
    unsigned short ph[2] = {0x3555, 0xc8e5};
    a = array2d(cudaCreateChannelDescHalf(), 2, 0, ph, 2);
    t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeElementType, 0));
    printx("lerp_f16", runf(t, T1D, qs));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
  }

  // ======== 5. 4-channel textures: int/uint element reads, gather, lod/grad
  {
    const int GW = 3, GH = 3;
    std::vector<float4> g(GW * GH);
    for (int i = 0; i < GW * GH; ++i) g[i] = make_float4(i + 0.5f, 10 * i + 0.25f, -i - 0.125f, 100.0f * i);
    cudaArray_t a = array2d(cudaCreateChannelDesc<float4>(), GW, GH, g.data(), 16, cudaArrayTextureGather);
    std::vector<Q> qs = {q2(1.0f, 1.0f), q2(0.2f, 0.2f), q2(2.9f, 1.6f), q2(3.5f, -0.5f), q2(1.75f, 2.25f)};
    cudaTextureObject_t t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4("pt_f32x4", runf(t, T2D, qs));
    for (int c = 0; c < 4; ++c) {
      char name[32];
      snprintf(name, sizeof name, "gather%d_clamp", c);
      print4(name, runf(t, G0 + c, qs));
    }
    print4("lod2d", runf(t, LOD2D, {Q{1.25f, 0.75f, 0, 0, 3.0f}, Q{2.5f, 2.5f, 0, 0, -1.0f}}));
    print4("grad2d", runf(t, GRAD2D, {Q{1.25f, 0.75f, 0, 0, 4.0f}, Q{2.5f, 2.5f, 0, 0, 0.1f}}));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_array(a), tdesc(cudaAddressModeWrap, cudaFilterModeLinear, cudaReadModeElementType, 1));
    std::vector<Q> qn = {q2(0.0f, 0.0f), q2(0.5f, 0.5f), q2(0.95f, 0.1f)};
    print4("gather1_wrap_norm", runf(t, G1, qn));
    print4("bilerp_f32x4_wrap", runf(t, T2D, qn));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));

    std::vector<int4> gi(4);
    for (int i = 0; i < 4; ++i) gi[i] = make_int4(-i, i * 1000, 0x7fffffff - i, (int)0x80000000u + i);
    a = array2d(cudaCreateChannelDesc<int4>(), 2, 2, gi.data(), 16, cudaArrayTextureGather);
    t = tex(rd_array(a), tdesc(cudaAddressModeBorder, cudaFilterModePoint, cudaReadModeElementType, 0, 1.0f, 2.0f, 3.0f, 4.0f));
    print4i("pt_s32x4", run<int4>(t, T2D, {q2(0.5f, 0.5f), q2(1.5f, 1.5f), q2(-1.0f, 0.5f), q2(0.5f, 7.0f)}));
    print4i("gather3_s32", run<int4>(t, G3, {q2(1.0f, 1.0f)}));
    print_txq("s32x4_border", t);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
    std::vector<uchar4> gu(4);
    for (int i = 0; i < 4; ++i) gu[i] = make_uchar4(i, 255 - i, 128 + i, 7 * i);
    a = array2d(cudaCreateChannelDesc<uchar4>(), 2, 2, gu.data(), 4, cudaArrayTextureGather);
    t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4u("pt_u8x4_elem", run<uint4>(t, T2D, {q2(0.5f, 0.5f), q2(1.5f, 0.5f), q2(1.5f, 1.5f)}));
    print4u("gather0_u8", run<uint4>(t, G0, {q2(1.0f, 1.0f)}));
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_array(a), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeNormalizedFloat, 0));
    print4("bilerp_u8x4", runf(t, T2D, {q2(1.0f, 1.0f), q2(0.75f, 1.25f)}));
    print4("gather2_u8_norm", runf(t, G2, {q2(1.0f, 1.0f)}));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
  }

  // ======== 6. pitch2D, 3D, layered, cubemap
  {
    const int PW = 5, PH = 4;
    float* dp;
    size_t pitch;
    CK(cudaMallocPitch((void**)&dp, &pitch, PW * 4, PH));
    std::vector<float> pv(PW * PH);
    for (int i = 0; i < PW * PH; ++i) pv[i] = i * 1.25f - 3.0f;
    CK(cudaMemcpy2D(dp, pitch, pv.data(), PW * 4, PW * 4, PH, cudaMemcpyHostToDevice));
    cudaResourceDesc rd;
    memset(&rd, 0, sizeof rd);
    rd.resType = cudaResourceTypePitch2D;
    rd.res.pitch2D.devPtr = dp;
    rd.res.pitch2D.desc = cudaCreateChannelDesc<float>();
    rd.res.pitch2D.width = PW;
    rd.res.pitch2D.height = PH;
    rd.res.pitch2D.pitchInBytes = pitch;
    cudaTextureObject_t t = tex(rd, tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    std::vector<Q> qs;
    for (int y = 0; y < PH; ++y)
      for (int x = 0; x < PW; ++x) qs.push_back(q2(x + 0.5f, y + 0.5f));
    auto r = runf(t, T2D, qs);
    bool ok = true;
    for (int i = 0; i < PW * PH; ++i) ok &= r[i].x == pv[i];
    report(ok, "pitch2D texture: tex2D at texel centres returns the elements");
    print_txq("pitch2d", t);
    CK(cudaDestroyTextureObject(t));
    t = tex(rd, tdesc(cudaAddressModeMirror, cudaFilterModeLinear, cudaReadModeElementType, 1));
    printx("pitch2d_lin_mirror", runf(t, T2D, {q2(0.1f, 0.1f), q2(0.5f, 0.5f), q2(-0.3f, 1.2f), q2(1.7f, -0.8f)}));
    cudaResourceDesc rd2;
    cudaTextureDesc td2;
    CK(cudaGetTextureObjectResourceDesc(&rd2, t));
    CK(cudaGetTextureObjectTextureDesc(&td2, t));
    printf("getters pitch2d: type %d w %zu h %zu pitch_ok %d ptr_ok %d fmt %d,%d,%d,%d kind %d; addr %d %d filter %d read %d norm %d\n",
           rd2.resType, rd2.res.pitch2D.width, rd2.res.pitch2D.height, (int)(rd2.res.pitch2D.pitchInBytes == pitch),
           (int)(rd2.res.pitch2D.devPtr == dp), rd2.res.pitch2D.desc.x, rd2.res.pitch2D.desc.y, rd2.res.pitch2D.desc.z,
           rd2.res.pitch2D.desc.w, rd2.res.pitch2D.desc.f, td2.addressMode[0], td2.addressMode[1], td2.filterMode, td2.readMode,
           td2.normalizedCoords);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFree(dp));

    // 3D: 3x2x2, point and trilinear
    const int X = 3, Y = 2, Z = 2;
    std::vector<float> v3(X * Y * Z);
    for (int i = 0; i < X * Y * Z; ++i) v3[i] = (float)(i * i) * 0.5f + 1.0f;
    cudaArray_t a3 = array3d(cudaCreateChannelDesc<float>(), X, Y, Z, 0, v3.data(), 4);
    t = tex(rd_array(a3), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    qs.clear();
    for (int z = 0; z < Z; ++z)
      for (int y = 0; y < Y; ++y)
        for (int x = 0; x < X; ++x) qs.push_back(q3(x + 0.5f, y + 0.5f, z + 0.5f));
    r = runf(t, T3D, qs);
    ok = true;
    for (int i = 0; i < X * Y * Z; ++i) ok &= r[i].x == v3[i];
    report(ok, "3D array texture: tex3D at texel centres returns the elements");
    print_txq("a3d", t);
    CK(cudaDestroyTextureObject(t));
    t = tex(rd_array(a3), tdesc(cudaAddressModeBorder, cudaFilterModeLinear, cudaReadModeElementType, 0, 5.0f));
    printx("trilerp", runf(t, T3D, {q3(1.0f, 1.0f, 1.0f), q3(1.25f, 0.75f, 1.5f), q3(2.75f, 1.875f, 0.625f), q3(0.0f, 0.0f, 0.0f),
                                    q3(3.25f, 1.0f, 1.0f), q3(1.5f, 1.0f, 2.25f)}));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a3));

    // 2D layered: 3x2, 3 layers; 1D layered: 4 wide, 2 layers
    std::vector<float> vl(3 * 2 * 3);
    for (int i = 0; i < (int)vl.size(); ++i) vl[i] = 100.0f + i;
    cudaArray_t al = array3d(cudaCreateChannelDesc<float>(), 3, 2, 3, cudaArrayLayered, vl.data(), 4);
    t = tex(rd_array(al), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeElementType, 0));
    qs = {Q{1.5f, 0.5f, 0, -1, 0}, Q{1.5f, 0.5f, 0, 0, 0}, Q{1.5f, 0.5f, 0, 1, 0}, Q{2.0f, 1.0f, 0, 2, 0}, Q{1.5f, 0.5f, 0, 3, 0},
          Q{0.5f, 1.5f, 0, 7, 0}};
    printx("layered2d", runf(t, T2DL, qs));
    print_txq("layered2d", t);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(al));
    std::vector<float> v1l = {1, 2, 3, 4, 10, 20, 30, 40};
    cudaArray_t a1l = array3d(cudaCreateChannelDesc<float>(), 4, 0, 2, cudaArrayLayered, v1l.data(), 4);
    t = tex(rd_array(a1l), tdesc(cudaAddressModeWrap, cudaFilterModeLinear, cudaReadModeElementType, 1));
    qs = {Q{0.0f, 0, 0, 0, 0}, Q{0.3f, 0, 0, 1, 0}, Q{0.9f, 0, 0, 1, 0}, Q{-0.1f, 0, 0, 0, 0}};
    printx("layered1d", runf(t, T1DL, qs));
    print_txq("layered1d", t);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a1l));

    // cubemap: 2x2 faces, value = 10*face + texel; point sampling at directions away from edges
    std::vector<float> vc(2 * 2 * 6);
    for (int f = 0; f < 6; ++f)
      for (int i = 0; i < 4; ++i) vc[f * 4 + i] = 10.0f * f + i;
    cudaArray_t ac = array3d(cudaCreateChannelDesc<float>(), 2, 2, 6, cudaArrayCubemap, vc.data(), 4);
    t = tex(rd_array(ac), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 1));
    qs = {q3(1.0f, 0.3f, -0.6f), q3(1.0f, -0.4f, 0.5f), q3(-1.0f, 0.3f, -0.6f), q3(-2.0f, -0.7f, 0.9f),
          q3(0.3f, 1.0f, -0.6f), q3(-0.4f, 3.0f, 0.5f), q3(0.3f, -1.0f, -0.6f), q3(0.6f, -1.0f, 0.2f),
          q3(0.3f, -0.6f, 1.0f), q3(-0.4f, 0.5f, 5.0f), q3(0.3f, -0.6f, -1.0f), q3(-0.4f, 0.5f, -1.5f)};
    auto rc = runf(t, TCUBE, qs);
    printx("cube", rc);
    print_txq("cube", t);
    CK(cudaDestroyTextureObject(t));
    // linear filtering on a face, also next to its edges (faces are filtered on their own)
    t = tex(rd_array(ac), tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeElementType, 1));
    printx("cube_linear", runf(t, TCUBE, {q3(1.0f, 0.0f, 0.0f), q3(1.0f, 0.9f, -0.2f), q3(-0.95f, 1.0f, 0.3f), q3(0.1f, 0.2f, -1.0f)}));
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(ac));
    std::vector<float> vcl(2 * 2 * 12);
    for (int i = 0; i < 48; ++i) vcl[i] = (float)i;
    cudaArray_t acl = array3d(cudaCreateChannelDesc<float>(), 2, 2, 12, cudaArrayCubemap | cudaArrayLayered, vcl.data(), 4);
    t = tex(rd_array(acl), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 1));
    qs = {Q{1.0f, 0.3f, -0.6f, 0, 0}, Q{1.0f, 0.3f, -0.6f, 1, 0}, Q{0.3f, -0.6f, -1.0f, 1, 0}};
    printx("cube_layered", runf(t, TCUBEL, qs));
    print_txq("cube_layered", t);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(acl));
  }

  // ======== 7. surfaces
  {
    const int SW = 5, SH = 3;
    cudaChannelFormatDesc cd = cudaCreateChannelDesc<unsigned>();
    cudaArray_t a;
    CK(cudaMallocArray(&a, &cd, SW, SH, cudaArraySurfaceLoadStore));
    cudaSurfaceObject_t s;
    s = surf(a);
    surf_fill<<<SH, 32>>>(s, SW, SH);
    CK(cudaGetLastError());
    std::vector<unsigned> back(SW * SH);
    CK(cudaMemcpy2DFromArray(back.data(), SW * 4, a, 0, 0, SW * 4, SH, cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int y = 0; y < SH; ++y)
      for (int x = 0; x < SW; ++x) ok &= back[y * SW + x] == 1000u * y + x + 1;
    report(ok, "surf2Dwrite fills a 2D array (read back with cudaMemcpy2DFromArray)");
    std::vector<int> bx = {-8, -4, 0, 4, 16, 20, 24, 400, 8, 8, 8, 8};
    std::vector<int> by = {0, 1, 2, 1, 1, 0, 2, 1, -1, -5, 3, 100};
    int* dbx = upload(bx);
    int* dby = upload(by);
    unsigned* dout;
    CK(cudaMalloc(&dout, 2 * bx.size() * 4));
    surf_read_oob<<<1, 32>>>(s, dbx, dby, dout, (int)bx.size());
    std::vector<unsigned> ro(2 * bx.size());
    CK(cudaMemcpy(ro.data(), dout, ro.size() * 4, cudaMemcpyDeviceToHost));
    for (size_t i = 0; i < bx.size(); ++i) printf("suld (%d,%d): clamp %u zero %u\n", bx[i], by[i], ro[2 * i], ro[2 * i + 1]);
    surf_write_oob<<<1, 1>>>(s, -4, 1, 77, 1);
    surf_write_oob<<<1, 1>>>(s, 20, 2, 88, 1);
    surf_write_oob<<<1, 1>>>(s, 8, 9, 99, 1);
    surf_write_oob<<<1, 1>>>(s, 24, 0, 55, 0);
    surf_write_oob<<<1, 1>>>(s, 4, -1, 66, 0);
    CK(cudaGetLastError());
    CK(cudaMemcpy2DFromArray(back.data(), SW * 4, a, 0, 0, SW * 4, SH, cudaMemcpyDeviceToHost));
    printf("sust oob:");
    for (unsigned v : back) printf(" %u", v);
    printf("\n");
    print_suq("u32_2d", s);
    cudaResourceDesc rd2;
    CK(cudaGetSurfaceObjectResourceDesc(&rd2, s));
    printf("getters surface: type %d array_ok %d\n", rd2.resType, (int)(rd2.res.array.array == a));
    CK(cudaDestroySurfaceObject(s));
    CK(cudaFreeArray(a));
    CK(cudaFree(dbx));
    CK(cudaFree(dby));
    CK(cudaFree(dout));

    // vector surfaces
    const int VW = 3, VH = 2;
    std::vector<uchar4> u4(VW * VH);
    std::vector<float4> f4(VW * VH);
    std::vector<short2> s2(VW * VH);
    for (int i = 0; i < VW * VH; ++i) {
      u4[i] = make_uchar4(i, 2 * i, 250 + i % 6, 0x81);
      f4[i] = make_float4(i * 0.5f, -i, 1e30f * i, 3.0f);
      s2[i] = make_short2(-i - 32760, i * 111);
    }
    cudaArray_t au = array2d(cudaCreateChannelDesc<uchar4>(), VW, VH, u4.data(), 4, cudaArraySurfaceLoadStore);
    cudaArray_t af = array2d(cudaCreateChannelDesc<float4>(), VW, VH, f4.data(), 16, cudaArraySurfaceLoadStore);
    cudaArray_t as = array2d(cudaCreateChannelDesc<short2>(), VW, VH, s2.data(), 4, cudaArraySurfaceLoadStore);
    cudaSurfaceObject_t su, sf, ss;
    su = surf(au);
    sf = surf(af);
    ss = surf(as);
    surf_vec<<<VH, 32>>>(su, sf, ss, VW);
    CK(cudaGetLastError());
    CK(cudaMemcpy2DFromArray(u4.data(), VW * 4, au, 0, 0, VW * 4, VH, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy2DFromArray(f4.data(), VW * 16, af, 0, 0, VW * 16, VH, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy2DFromArray(s2.data(), VW * 4, as, 0, 0, VW * 4, VH, cudaMemcpyDeviceToHost));
    for (int i = 0; i < VW * VH; ++i)
      printf("surf_vec[%d] %02x%02x%02x%02x %08x %08x %08x %08x %04hx %04hx\n", i, u4[i].x, u4[i].y, u4[i].z, u4[i].w, bits(f4[i].x),
             bits(f4[i].y), bits(f4[i].z), bits(f4[i].w), (unsigned short)s2[i].x, (unsigned short)s2[i].y);
    print_suq("u8x4_2d", su);
    print_suq("f32x4_2d", sf);
    // a texture over a surface-capable array sees what the kernel wrote
    cudaTextureObject_t t = tex(rd_array(af), tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0));
    print4("tex_after_surf", runf(t, T2D, {q2(2.5f, 1.5f)}));
    CK(cudaDestroyTextureObject(t));
    CK(cudaDestroySurfaceObject(su));
    CK(cudaDestroySurfaceObject(sf));
    CK(cudaDestroySurfaceObject(ss));
    CK(cudaFreeArray(au));
    CK(cudaFreeArray(af));
    CK(cudaFreeArray(as));

    // 1D, 3D, layered surfaces
    std::vector<float> v1 = {0.5f, 1.5f, -2.0f, 1e-3f};
    cudaArray_t a1 = array2d(cudaCreateChannelDesc<float>(), 4, 0, v1.data(), 4, cudaArraySurfaceLoadStore);
    s = surf(a1);
    float* d1;
    CK(cudaMalloc(&d1, 16));
    surf_1d<<<1, 32>>>(s, 4, d1);
    std::vector<float> r1(4), w1(4);
    CK(cudaMemcpy(r1.data(), d1, 16, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy2DFromArray(w1.data(), 16, a1, 0, 0, 16, 1, cudaMemcpyDeviceToHost));
    ok = true;
    for (int i = 0; i < 4; ++i) ok &= r1[i] == v1[i] && w1[i] == v1[i] * 3.0f + 1.0f;
    report(ok, "surf1Dread/surf1Dwrite round trip");
    print_suq("f32_1d", s);
    CK(cudaDestroySurfaceObject(s));
    CK(cudaFreeArray(a1));
    CK(cudaFree(d1));

    const int X = 3, Y = 2, Z = 4;
    std::vector<int> v3(X * Y * Z), o3(X * Y * Z), w3(X * Y * Z);
    for (int i = 0; i < X * Y * Z; ++i) v3[i] = i * 17 - 50;
    for (int layered = 0; layered < 2; ++layered) {
      cudaArray_t a3 = array3d(cudaCreateChannelDesc<int>(), X, Y, Z, cudaArraySurfaceLoadStore | (layered ? cudaArrayLayered : 0),
                               v3.data(), 4);
      s = surf(a3);
      int* d3;
      CK(cudaMalloc(&d3, X * Y * Z * 4));
      if (layered)
        surf_layered<<<Z, dim3(X, Y)>>>(s, X, Y, Z, d3);
      else
        surf_3d<<<Z, dim3(X, Y)>>>(s, X, Y, Z, d3);
      CK(cudaGetLastError());
      CK(cudaMemcpy(o3.data(), d3, X * Y * Z * 4, cudaMemcpyDeviceToHost));
      cudaMemcpy3DParms p;
      memset(&p, 0, sizeof p);
      p.srcArray = a3;
      p.dstPtr = make_cudaPitchedPtr(w3.data(), X * 4, X, Y);
      p.extent = make_cudaExtent(X, Y, Z);
      p.kind = cudaMemcpyDeviceToHost;
      CK(cudaMemcpy3D(&p));
      ok = true;
      for (int i = 0; i < X * Y * Z; ++i) ok &= o3[i] == v3[i] && w3[i] == v3[i] * 3 + 1;
      report(ok, layered ? "surf2DLayeredread/write round trip" : "surf3Dread/surf3Dwrite round trip");
      print_suq(layered ? "s32_layered" : "s32_3d", s);
      CK(cudaDestroySurfaceObject(s));
      CK(cudaFreeArray(a3));
      CK(cudaFree(d3));
    }
  }

  // ======== 8. malformed requests
  {
    float* d;
    CK(cudaMalloc(&d, 1024));
    cudaTextureObject_t t = 0;
    cudaTextureDesc td = tdesc(cudaAddressModeClamp, cudaFilterModePoint, cudaReadModeElementType, 0);
    printf("create null resdesc: %s\n", cudaGetErrorName(cudaCreateTextureObject(&t, nullptr, &td, nullptr)));
    cudaGetLastError();
    cudaResourceDesc rd = rd_linear(d, cudaCreateChannelDesc<float>(), 1024);
    printf("create null texdesc: %s\n", cudaGetErrorName(cudaCreateTextureObject(&t, &rd, nullptr, nullptr)));
    cudaGetLastError();
    cudaResourceDesc rdi = rd_linear(d, cudaCreateChannelDesc<int>(), 1024);
    cudaTextureDesc tdl = tdesc(cudaAddressModeClamp, cudaFilterModeLinear, cudaReadModeElementType, 0);
    printf("create linear filter on int elements: %s\n", cudaGetErrorName(cudaCreateTextureObject(&t, &rdi, &tdl, nullptr)));
    cudaGetLastError();
    printf("create linear memory with a null pointer: %s\n",
           cudaGetErrorName(cudaCreateTextureObject(&t, &(rd = rd_linear(nullptr, cudaCreateChannelDesc<float>(), 1024)), &td, nullptr)));
    cudaGetLastError();
    cudaChannelFormatDesc cd = cudaCreateChannelDesc<float>();
    cudaArray_t a;
    CK(cudaMallocArray(&a, &cd, 4, 4));
    cudaSurfaceObject_t s = 0;
    printf("surface over an array without surface load/store: %s\n", cudaGetErrorName(cudaCreateSurfaceObject(&s, &(rd = rd_array(a)))));
    cudaGetLastError();
    CK(cudaFreeArray(a));
    CK(cudaFree(d));
  }

  // ======== 9. a trapping out-of-range surface read (last: the context is lost afterwards)
  {
    cudaChannelFormatDesc cd = cudaCreateChannelDesc<unsigned>();
    cudaArray_t a;
    CK(cudaMallocArray(&a, &cd, 4, 1, cudaArraySurfaceLoadStore));
    cudaSurfaceObject_t s;
    s = surf(a);
    unsigned* d;
    CK(cudaMalloc(&d, 4));
    surf_trap<<<1, 1>>>(s, 64, d);
    cudaError_t e = cudaDeviceSynchronize();
    printf("suld.trap out of range: %s\n", cudaGetErrorName(e));
  }

  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return 0;
}
