// arrays.cu — CUDA arrays through the runtime: cudaMallocArray / cudaMalloc3DArray in several
// channel formats (float, uchar4, int2, ushort), cudaArrayGetInfo, copies host<->array and
// device<->array with cudaMemcpy2DToArray / cudaMemcpy2DFromArray (sub-rectangles at offsets,
// pitched device memory), array->array with cudaMemcpy2DArrayToArray, 3D copies with
// cudaMemcpy3D (host->array, array->device, array->array, with positions), async variants on a
// stream, and the error names of out-of-range requests (recorded on the H100).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <cuda_runtime.h>

#include "check.h"

static int g_failures = 0;
static void report(bool ok, const char* what) {
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

static float fval(int x, int y, int z = 0) { return x * 0.5f + y * 100.0f + z * 10000.0f + 0.25f; }

int main() {
  // ---- 2D float array: host -> array -> host, with info ----
  const int W = 70, H = 33;
  cudaChannelFormatDesc fdesc = cudaCreateChannelDesc<float>();
  cudaArray_t a;
  CK(cudaMallocArray(&a, &fdesc, W, H));
  {
    cudaChannelFormatDesc d;
    cudaExtent e;
    unsigned flags = 99;
    CK(cudaArrayGetInfo(&d, &e, &flags, a));
    printf("INFO cudaArrayGetInfo float 70x33: bits %d,%d,%d,%d kind %d extent %zux%zux%zu flags %u\n", d.x, d.y, d.z,
           d.w, (int)d.f, e.width, e.height, e.depth, flags);
    report(d.x == 32 && d.f == cudaChannelFormatKindFloat && e.width == W && e.height == H, "cudaArrayGetInfo describes the array");
  }
  std::vector<float> h(W * H), back(W * H, -1.f);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) h[y * W + x] = fval(x, y);
  CK(cudaMemcpy2DToArray(a, 0, 0, h.data(), W * sizeof(float), W * sizeof(float), H, cudaMemcpyHostToDevice));
  CK(cudaMemcpy2DFromArray(back.data(), W * sizeof(float), a, 0, 0, W * sizeof(float), H, cudaMemcpyDeviceToHost));
  report(back == h, "float array: cudaMemcpy2DToArray then cudaMemcpy2DFromArray round trip");

  // A sub-rectangle out of the array at an offset, into a padded host buffer.
  {
    const int SX = 5, SY = 7, SW = 20, SH = 9, HP = 32;
    std::vector<float> sub(HP * SH, -2.f);
    CK(cudaMemcpy2DFromArray(sub.data(), HP * sizeof(float), a, SX * sizeof(float), SY, SW * sizeof(float), SH,
                             cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int y = 0; y < SH; ++y)
      for (int x = 0; x < HP; ++x) ok &= sub[y * HP + x] == (x < SW ? fval(x + SX, y + SY) : -2.f);
    report(ok, "cudaMemcpy2DFromArray of a 20x9 sub-rectangle at (5,7) into a padded host buffer");
  }

  // ---- device (pitched) <-> array, array -> array ----
  {
    float* d;
    size_t pitch;
    CK(cudaMallocPitch((void**)&d, &pitch, W * sizeof(float), H));
    CK(cudaMemset2D(d, pitch, 0, W * sizeof(float), H));
    CK(cudaMemcpy2DFromArray(d, pitch, a, 0, 0, W * sizeof(float), H, cudaMemcpyDeviceToDevice));
    std::vector<float> hd(W * H);
    CK(cudaMemcpy2D(hd.data(), W * sizeof(float), d, pitch, W * sizeof(float), H, cudaMemcpyDeviceToHost));
    report(hd == h, "cudaMemcpy2DFromArray into pitched device memory");
    cudaArray_t b;
    CK(cudaMallocArray(&b, &fdesc, W, H));
    CK(cudaMemcpy2DToArray(b, 0, 0, d, pitch, W * sizeof(float), H, cudaMemcpyDeviceToDevice));
    // b = a; then copy a 10x10 block of a to (60,23) of b... within bounds: (60..70, 23..33)
    CK(cudaMemcpy2DArrayToArray(b, 60 * sizeof(float), 23, a, 0, 0, 10 * sizeof(float), 10, cudaMemcpyDeviceToDevice));
    std::fill(back.begin(), back.end(), -1.f);
    CK(cudaMemcpy2DFromArray(back.data(), W * sizeof(float), b, 0, 0, W * sizeof(float), H, cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        float want = (x >= 60 && y >= 23) ? fval(x - 60, y - 23) : fval(x, y);
        ok &= back[y * W + x] == want;
      }
    report(ok, "pitched device -> array, then cudaMemcpy2DArrayToArray of a 10x10 block to (60,23)");
    CK(cudaFreeArray(b));
    CK(cudaFree(d));
  }

  // ---- other formats: uchar4, int2, ushort ----
  {
    cudaChannelFormatDesc c4 = cudaCreateChannelDesc<uchar4>();
    cudaArray_t u;
    CK(cudaMallocArray(&u, &c4, 17, 5));
    std::vector<uchar4> hu(17 * 5), bu(17 * 5);
    for (int i = 0; i < 17 * 5; ++i) hu[i] = make_uchar4(i, i * 3, 255 - i, i ^ 0x5a);
    CK(cudaMemcpy2DToArray(u, 0, 0, hu.data(), 17 * sizeof(uchar4), 17 * sizeof(uchar4), 5, cudaMemcpyHostToDevice));
    CK(cudaMemcpy2DFromArray(bu.data(), 17 * sizeof(uchar4), u, 0, 0, 17 * sizeof(uchar4), 5, cudaMemcpyDeviceToHost));
    report(memcmp(hu.data(), bu.data(), hu.size() * sizeof(uchar4)) == 0, "uchar4 array round trip");
    cudaChannelFormatDesc d;
    cudaExtent e;
    unsigned flags;
    CK(cudaArrayGetInfo(&d, &e, &flags, u));
    printf("INFO cudaArrayGetInfo uchar4 17x5: bits %d,%d,%d,%d kind %d\n", d.x, d.y, d.z, d.w, (int)d.f);
    CK(cudaFreeArray(u));

    cudaChannelFormatDesc i2 = cudaCreateChannelDesc<int2>();
    cudaArray_t v;
    CK(cudaMallocArray(&v, &i2, 9));  // 1D (height 0)
    std::vector<int2> hv(9), bv(9);
    for (int i = 0; i < 9; ++i) hv[i] = make_int2(-i, i * i);
    CK(cudaMemcpy2DToArray(v, 0, 0, hv.data(), 9 * sizeof(int2), 9 * sizeof(int2), 1, cudaMemcpyHostToDevice));
    CK(cudaMemcpy2DFromArray(bv.data(), 9 * sizeof(int2), v, 0, 0, 9 * sizeof(int2), 1, cudaMemcpyDeviceToHost));
    report(memcmp(hv.data(), bv.data(), sizeof(int2) * 9) == 0, "1D int2 array (height 0) round trip");
    CK(cudaArrayGetInfo(&d, &e, &flags, v));
    printf("INFO cudaArrayGetInfo int2 1D: extent %zux%zux%zu\n", e.width, e.height, e.depth);
    CK(cudaFreeArray(v));
  }

  // ---- 3D arrays with cudaMemcpy3D ----
  {
    const int X = 12, Y = 7, Z = 5;
    cudaChannelFormatDesc sdesc = cudaCreateChannelDesc<unsigned short>();
    cudaArray_t a3, b3;
    CK(cudaMalloc3DArray(&a3, &sdesc, make_cudaExtent(X, Y, Z)));
    CK(cudaMalloc3DArray(&b3, &sdesc, make_cudaExtent(X, Y, Z)));
    std::vector<unsigned short> hv(X * Y * Z), bv(X * Y * Z, 0xffff);
    for (int i = 0; i < X * Y * Z; ++i) hv[i] = (unsigned short)(i * 7 + 1);
    cudaMemcpy3DParms p = {0};
    p.srcPtr = make_cudaPitchedPtr(hv.data(), X * sizeof(unsigned short), X, Y);
    p.dstArray = a3;
    p.extent = make_cudaExtent(X, Y, Z);  // elements for arrays
    p.kind = cudaMemcpyHostToDevice;
    CK(cudaMemcpy3D(&p));
    // array -> array, whole
    cudaMemcpy3DParms q = {0};
    q.srcArray = a3;
    q.dstArray = b3;
    q.extent = make_cudaExtent(X, Y, Z);
    q.kind = cudaMemcpyDeviceToDevice;
    CK(cudaMemcpy3D(&q));
    // b3 -> pitched device 3D
    cudaPitchedPtr dp;
    CK(cudaMalloc3D(&dp, make_cudaExtent(X * sizeof(unsigned short), Y, Z)));
    cudaMemcpy3DParms r = {0};
    r.srcArray = b3;
    r.dstPtr = dp;
    r.extent = make_cudaExtent(X, Y, Z);
    r.kind = cudaMemcpyDeviceToDevice;
    CK(cudaMemcpy3D(&r));
    cudaMemcpy3DParms t = {0};
    t.srcPtr = dp;
    t.dstPtr = make_cudaPitchedPtr(bv.data(), X * sizeof(unsigned short), X, Y);
    t.extent = make_cudaExtent(X * sizeof(unsigned short), Y, Z);
    t.kind = cudaMemcpyDeviceToHost;
    CK(cudaMemcpy3D(&t));
    report(bv == hv, "3D ushort: host -> array -> array -> pitched device -> host");

    // A box out of the 3D array with srcPos, asynchronously on a stream.
    cudaStream_t s;
    CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    const int BX = 4, BY = 3, BZ = 2;
    unsigned short* pinned;
    CK(cudaMallocHost(&pinned, BX * BY * BZ * sizeof(unsigned short)));
    memset(pinned, 0, BX * BY * BZ * sizeof(unsigned short));
    cudaMemcpy3DParms u = {0};
    u.srcArray = a3;
    u.srcPos = make_cudaPos(5, 2, 1);
    u.dstPtr = make_cudaPitchedPtr(pinned, BX * sizeof(unsigned short), BX, BY);
    u.extent = make_cudaExtent(BX, BY, BZ);
    u.kind = cudaMemcpyDeviceToHost;
    CK(cudaMemcpy3DAsync(&u, s));
    CK(cudaStreamSynchronize(s));
    bool ok = true;
    for (int z = 0; z < BZ; ++z)
      for (int y = 0; y < BY; ++y)
        for (int x = 0; x < BX; ++x) ok &= pinned[(z * BY + y) * BX + x] == hv[((z + 1) * Y + (y + 2)) * X + (x + 5)];
    report(ok, "cudaMemcpy3DAsync of a 4x3x2 box at (5,2,1) out of a 3D array");
    {
      cudaChannelFormatDesc d;
      cudaExtent e;
      unsigned flags;
      CK(cudaArrayGetInfo(&d, &e, &flags, a3));
      printf("INFO cudaArrayGetInfo ushort 3D: bits %d kind %d extent %zux%zux%zu flags %u\n", d.x, (int)d.f, e.width,
             e.height, e.depth, flags);
    }
    CK(cudaFreeHost(pinned));
    CK(cudaStreamDestroy(s));
    CK(cudaFree(dp.ptr));
    CK(cudaFreeArray(a3));
    CK(cudaFreeArray(b3));
  }

  // ---- out-of-range requests ----
  {
    std::vector<float> big((W + 1) * (H + 1));
    cudaError_t e1 = cudaMemcpy2DToArray(a, 0, 0, big.data(), (W + 1) * sizeof(float), (W + 1) * sizeof(float), H,
                                         cudaMemcpyHostToDevice);
    (void)cudaGetLastError();
    cudaError_t e2 = cudaMemcpy2DFromArray(big.data(), W * sizeof(float), a, 0, 1, W * sizeof(float), H,
                                           cudaMemcpyDeviceToHost);
    (void)cudaGetLastError();
    cudaError_t e3 = cudaMemcpy2DToArray(a, 4, 0, h.data(), W * sizeof(float), 8, 1, cudaMemcpyHostToDevice);
    (void)cudaGetLastError();
    cudaArray_t z = nullptr;
    cudaError_t e4 = cudaMallocArray(&z, &fdesc, 0, 4);
    (void)cudaGetLastError();
    if (e4 == cudaSuccess && z) cudaFreeArray(z);
    printf("INFO cudaMemcpy2DToArray wider than the array -> %s\n", cudaGetErrorName(e1));
    printf("INFO cudaMemcpy2DFromArray past the last row -> %s\n", cudaGetErrorName(e2));
    printf("INFO cudaMemcpy2DToArray at a byte offset inside an element -> %s\n", cudaGetErrorName(e3));
    printf("INFO cudaMallocArray of width 0 -> %s\n", cudaGetErrorName(e4));
    report(e1 != cudaSuccess && e2 != cudaSuccess, "copies past the array's edge fail");
    report(cudaGetLastError() == cudaSuccess, "those errors are not sticky");
  }
  CK(cudaFreeArray(a));
  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}
