// memcpy2d.cu — pitched memory and 2D/3D copies: cudaMallocPitch, cudaMemcpy2D in every
// direction (host<->device, device->device, host->host) with explicit kinds and with
// cudaMemcpyDefault (unified addressing), sub-rectangles, cudaMemcpy2DAsync, cudaMemset2D on a
// sub-rectangle (borders untouched), cudaMalloc3D / cudaMemcpy3D with cudaPitchedPtr, extents
// and positions, cudaMemset3D, a kernel reading pitched rows, 1D cudaMemcpy with
// cudaMemcpyDefault for every direction (pageable and pinned host memory), cudaMemGetInfo
// sanity, and the error codes of malformed 2D requests (names recorded on the H100).
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

// out[y*W + x] = rows[y*pitch + x] * 2 + y: reads a pitched 2D array row by row.
__global__ void read_pitched(int* out, const int* rows, size_t pitch, int w, int h) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y;
  if (x < w && y < h) {
    const int* row = (const int*)((const char*)rows + y * pitch);
    out[y * w + x] = row[x] * 2 + y;
  }
}

static int val(int x, int y, int z = 0) { return x * 7 + y * 1009 + z * 100003 + 1; }

int main() {
  // ---- cudaMallocPitch ----
  const int W = 300, H = 77;  // ints; 1200-byte rows
  const size_t WB = W * sizeof(int);
  int* d1;
  size_t pitch1 = 0;
  CK(cudaMallocPitch((void**)&d1, &pitch1, WB, H));
  report(pitch1 >= WB, "cudaMallocPitch pitch >= row width");
  {
    size_t widths[] = {4, 1000, 1200, 4096, 5000};
    printf("INFO cudaMallocPitch pitches:");
    for (size_t w : widths) {
      void* p;
      size_t pt = 0;
      CK(cudaMallocPitch(&p, &pt, w, 3));
      printf(" %zu->%zu", w, pt);
      CK(cudaFree(p));
    }
    printf("\n");
  }

  // ---- host -> device with a host pitch that differs from the device pitch ----
  const size_t HP = WB + 40;  // host rows padded by 40 bytes
  std::vector<char> hsrc(HP * H, 0x5a);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) ((int*)(hsrc.data() + y * HP))[x] = val(x, y);
  CK(cudaMemcpy2D(d1, pitch1, hsrc.data(), HP, WB, H, cudaMemcpyHostToDevice));
  std::vector<int> dense(W * H, 0);
  CK(cudaMemcpy2D(dense.data(), WB, d1, pitch1, WB, H, cudaMemcpyDeviceToHost));
  bool ok = true;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) ok &= dense[y * W + x] == val(x, y);
  report(ok, "cudaMemcpy2D H2D (host pitch 1240) then D2H (dense): round trip");

  // A kernel sees the rows at the pitch.
  {
    int* out;
    CK(cudaMalloc(&out, W * H * sizeof(int)));
    read_pitched<<<dim3((W + 127) / 128, H), 128>>>(out, d1, pitch1, W, H);
    CK(cudaGetLastError());
    std::vector<int> ho(W * H);
    CK(cudaMemcpy(ho.data(), out, W * H * sizeof(int), cudaMemcpyDeviceToHost));
    ok = true;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) ok &= ho[y * W + x] == val(x, y) * 2 + y;
    report(ok, "a kernel reads pitched rows at the returned pitch");
    CK(cudaFree(out));
  }

  // ---- device -> device between two pitched allocations, a sub-rectangle ----
  int* d2;
  size_t pitch2 = 0;
  CK(cudaMallocPitch((void**)&d2, &pitch2, WB, H));
  CK(cudaMemset2D(d2, pitch2, 0xff, WB, H));
  const int SX = 13, SY = 5, SW = 100, SH = 40, DX = 50, DY = 20;
  CK(cudaMemcpy2D((char*)d2 + DY * pitch2 + DX * sizeof(int), pitch2, (char*)d1 + SY * pitch1 + SX * sizeof(int),
                  pitch1, SW * sizeof(int), SH, cudaMemcpyDeviceToDevice));
  CK(cudaMemcpy2D(dense.data(), WB, d2, pitch2, WB, H, cudaMemcpyDeviceToHost));
  ok = true;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      bool inside = x >= DX && x < DX + SW && y >= DY && y < DY + SH;
      int want = inside ? val(x - DX + SX, y - DY + SY) : -1;
      ok &= dense[y * W + x] == want;
    }
  report(ok, "cudaMemcpy2D D2D of a 100x40 sub-rectangle to an offset, rest untouched");

  // ---- cudaMemcpyDefault (unified addressing) for 2D in every direction ----
  {
    std::vector<int> a(W * H), b(W * H, 0);
    for (int i = 0; i < W * H; ++i) a[i] = i * 3 + 11;
    int* pinned;
    CK(cudaMallocHost(&pinned, W * H * sizeof(int)));
    memset(pinned, 0, W * H * sizeof(int));
    CK(cudaMemcpy2D(d1, pitch1, a.data(), WB, WB, H, cudaMemcpyDefault));        // H2D
    CK(cudaMemcpy2D(d2, pitch2, d1, pitch1, WB, H, cudaMemcpyDefault));          // D2D
    CK(cudaMemcpy2D(pinned, WB, d2, pitch2, WB, H, cudaMemcpyDefault));          // D2H (pinned)
    CK(cudaMemcpy2D(b.data(), WB, pinned, WB, WB, H, cudaMemcpyDefault));        // H2H
    report(memcmp(a.data(), b.data(), W * H * sizeof(int)) == 0,
           "cudaMemcpy2D with cudaMemcpyDefault: H2D, D2D, D2H, H2H round trip");
    // 2D async on a stream
    cudaStream_t st;
    CK(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
    for (int i = 0; i < W * H; ++i) pinned[i] = i ^ 0x3c3c;
    CK(cudaMemcpy2DAsync(d1, pitch1, pinned, WB, WB, H, cudaMemcpyHostToDevice, st));
    CK(cudaMemset2DAsync(d2, pitch2, 0, WB, H, st));
    CK(cudaMemcpy2DAsync(d2, pitch2, d1, pitch1, WB / 2, H, cudaMemcpyDeviceToDevice, st));
    CK(cudaMemcpy2DAsync(b.data(), WB, d2, pitch2, WB, H, cudaMemcpyDeviceToHost, st));
    CK(cudaStreamSynchronize(st));
    ok = true;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) ok &= b[y * W + x] == (x < W / 2 ? ((y * W + x) ^ 0x3c3c) : 0);
    report(ok, "cudaMemcpy2DAsync + cudaMemset2DAsync on a stream: left half copied, right half zero");
    CK(cudaStreamDestroy(st));
    CK(cudaFreeHost(pinned));
  }

  // ---- cudaMemset2D on a sub-rectangle ----
  {
    CK(cudaMemset2D(d1, pitch1, 0, WB, H));
    CK(cudaMemset2D((char*)d1 + 10 * pitch1 + 8, pitch1, 0xab, 37, 9));
    std::vector<unsigned char> hb(WB * H);
    CK(cudaMemcpy2D(hb.data(), WB, d1, pitch1, WB, H, cudaMemcpyDeviceToHost));
    ok = true;
    int set = 0;
    for (int y = 0; y < H; ++y)
      for (size_t x = 0; x < WB; ++x) {
        bool inside = y >= 10 && y < 19 && x >= 8 && x < 45;
        ok &= hb[y * WB + x] == (inside ? 0xab : 0);
        set += inside;
      }
    report(ok && set == 37 * 9, "cudaMemset2D on a 37x9-byte sub-rectangle, borders untouched");
  }

  // ---- 3D: cudaMalloc3D, cudaMemcpy3D with positions, cudaMemset3D ----
  {
    const int X = 33, Y = 17, Z = 9;
    cudaExtent ext = make_cudaExtent(X * sizeof(int), Y, Z);
    cudaPitchedPtr dp;
    CK(cudaMalloc3D(&dp, ext));
    report(dp.pitch >= X * sizeof(int) && dp.xsize == X * sizeof(int) && dp.ysize == Y,
           "cudaMalloc3D: pitch >= width, xsize and ysize as asked");
    CK(cudaMemset3D(dp, 0, ext));
    std::vector<int> h3(X * Y * Z);
    for (int z = 0; z < Z; ++z)
      for (int y = 0; y < Y; ++y)
        for (int x = 0; x < X; ++x) h3[(z * Y + y) * X + x] = val(x, y, z);
    cudaMemcpy3DParms p = {0};
    p.srcPtr = make_cudaPitchedPtr(h3.data(), X * sizeof(int), X, Y);
    p.dstPtr = dp;
    p.extent = ext;
    p.kind = cudaMemcpyHostToDevice;
    CK(cudaMemcpy3D(&p));
    std::vector<int> back(X * Y * Z, 0);
    cudaMemcpy3DParms q = {0};
    q.srcPtr = dp;
    q.dstPtr = make_cudaPitchedPtr(back.data(), X * sizeof(int), X, Y);
    q.extent = ext;
    q.kind = cudaMemcpyDefault;
    CK(cudaMemcpy3D(&q));
    report(back == h3, "cudaMemcpy3D H2D then D2H (cudaMemcpyDefault) round trip of a 33x17x9 volume");

    // A box copied from (2,3,1) to (0,0,0) of a dense host volume.
    const int BX = 10, BY = 6, BZ = 4;
    std::vector<int> box(BX * BY * BZ, -1);
    cudaMemcpy3DParms r = {0};
    r.srcPtr = dp;
    r.srcPos = make_cudaPos(2 * sizeof(int), 3, 1);
    r.dstPtr = make_cudaPitchedPtr(box.data(), BX * sizeof(int), BX, BY);
    r.extent = make_cudaExtent(BX * sizeof(int), BY, BZ);
    r.kind = cudaMemcpyDeviceToHost;
    CK(cudaMemcpy3D(&r));
    ok = true;
    for (int z = 0; z < BZ; ++z)
      for (int y = 0; y < BY; ++y)
        for (int x = 0; x < BX; ++x) ok &= box[(z * BY + y) * BX + x] == val(x + 2, y + 3, z + 1);
    report(ok, "cudaMemcpy3D with srcPos extracts a 10x6x4 box");

    // Device-to-device 3D into a second volume at dstPos, then memset3D of a slab.
    cudaPitchedPtr dq;
    CK(cudaMalloc3D(&dq, ext));
    CK(cudaMemset3D(dq, 0x11, ext));
    cudaMemcpy3DParms d = {0};
    d.srcPtr = dp;
    d.dstPtr = dq;
    d.dstPos = make_cudaPos(4 * sizeof(int), 2, 3);
    d.extent = make_cudaExtent(BX * sizeof(int), BY, BZ);
    d.kind = cudaMemcpyDeviceToDevice;
    CK(cudaMemcpy3D(&d));
    cudaPitchedPtr slab = dq;
    slab.ptr = (char*)dq.ptr + 8 * dq.pitch * Y;  // z = 8
    CK(cudaMemset3D(slab, 0, make_cudaExtent(X * sizeof(int), Y, 1)));
    cudaMemcpy3DParms e = q;
    e.srcPtr = dq;
    CK(cudaMemcpy3D(&e));
    ok = true;
    for (int z = 0; z < Z; ++z)
      for (int y = 0; y < Y; ++y)
        for (int x = 0; x < X; ++x) {
          int want = 0x11111111;
          if (z == 8) want = 0;
          else if (x >= 4 && x < 4 + BX && y >= 2 && y < 2 + BY && z >= 3 && z < 3 + BZ) want = val(x - 4, y - 2, z - 3);
          ok &= back[(z * Y + y) * X + x] == want;
        }
    report(ok, "cudaMemcpy3D D2D to dstPos, cudaMemset3D of one slab, rest keeps the memset value");
    CK(cudaFree(dp.ptr));
    CK(cudaFree(dq.ptr));
  }

  // ---- 1D cudaMemcpyDefault in every direction ----
  {
    const int N = 10007;
    std::vector<int> pageable(N), back(N, 0);
    for (int i = 0; i < N; ++i) pageable[i] = i * i;
    int *pinned, *da, *db;
    CK(cudaHostAlloc(&pinned, N * sizeof(int), cudaHostAllocPortable));
    CK(cudaMalloc(&da, N * sizeof(int)));
    CK(cudaMalloc(&db, N * sizeof(int)));
    CK(cudaMemcpy(da, pageable.data(), N * sizeof(int), cudaMemcpyDefault));  // H2D pageable
    CK(cudaMemcpy(db, da, N * sizeof(int), cudaMemcpyDefault));               // D2D
    CK(cudaMemcpy(pinned, db, N * sizeof(int), cudaMemcpyDefault));           // D2H pinned
    CK(cudaMemcpy(back.data(), pinned, N * sizeof(int), cudaMemcpyDefault));  // H2H
    report(back == pageable, "cudaMemcpy with cudaMemcpyDefault: H2D, D2D, D2H, H2H");
    for (int i = 0; i < N; ++i) pinned[i] = -i;
    CK(cudaMemcpy(da, pinned, N * sizeof(int), cudaMemcpyDefault));          // H2D pinned
    CK(cudaMemcpy(back.data(), da, N * sizeof(int), cudaMemcpyDefault));     // D2H pageable
    ok = true;
    for (int i = 0; i < N; ++i) ok &= back[i] == -i;
    report(ok, "cudaMemcpy with cudaMemcpyDefault: H2D from pinned, D2H to pageable");
    cudaPointerAttributes at;
    CK(cudaPointerGetAttributes(&at, pinned));
    cudaMemoryType t_pinned = at.type;
    CK(cudaPointerGetAttributes(&at, da));
    cudaMemoryType t_dev = at.type;
    CK(cudaPointerGetAttributes(&at, pageable.data()));
    cudaMemoryType t_pageable = at.type;
    printf("INFO cudaPointerGetAttributes types: pinned %d, device %d, pageable %d\n", (int)t_pinned, (int)t_dev,
           (int)t_pageable);
    report(t_pinned == cudaMemoryTypeHost && t_dev == cudaMemoryTypeDevice && t_pageable == cudaMemoryTypeUnregistered,
           "pointer types: pinned host, device, unregistered");
    CK(cudaFreeHost(pinned));
    CK(cudaFree(da));
    CK(cudaFree(db));
  }

  // ---- cudaMemGetInfo sanity ----
  {
    size_t fr = 0, total = 0;
    CK(cudaMemGetInfo(&fr, &total));
    report(total > 0 && fr > 0 && fr <= total, "cudaMemGetInfo: 0 < free <= total");
  }

  // ---- malformed 2D requests (error names recorded on the H100) ----
  {
    cudaError_t e1 = cudaMemcpy2D(d1, pitch1, hsrc.data(), 8, 16, 2, cudaMemcpyHostToDevice);  // width > spitch
    (void)cudaGetLastError();
    cudaError_t e2 = cudaMemcpy2D(d1, 8, hsrc.data(), HP, 16, 2, cudaMemcpyHostToDevice);  // width > dpitch
    (void)cudaGetLastError();
    cudaError_t e3 = cudaMemset2D(d1, 8, 0, 16, 2);  // width > pitch
    (void)cudaGetLastError();
    cudaError_t e4 = cudaMemcpy2D(d1, pitch1, hsrc.data(), HP, 0, H, cudaMemcpyHostToDevice);  // zero width
    (void)cudaGetLastError();
    void* p = nullptr;
    size_t pt = 0;
    cudaError_t e5 = cudaMallocPitch(&p, &pt, 0, 4);
    (void)cudaGetLastError();
    if (e5 == cudaSuccess && p) cudaFree(p);
    printf("INFO cudaMemcpy2D width > source pitch -> %s\n", cudaGetErrorName(e1));
    printf("INFO cudaMemcpy2D width > destination pitch -> %s\n", cudaGetErrorName(e2));
    printf("INFO cudaMemset2D width > pitch -> %s\n", cudaGetErrorName(e3));
    printf("INFO cudaMemcpy2D zero width -> %s\n", cudaGetErrorName(e4));
    printf("INFO cudaMallocPitch zero width -> %s\n", cudaGetErrorName(e5));
    report(e1 != cudaSuccess && e2 != cudaSuccess && e3 != cudaSuccess, "2D requests wider than their pitch fail");
    report(cudaGetLastError() == cudaSuccess, "those errors are not sticky");
  }

  CK(cudaFree(d1));
  CK(cudaFree(d2));
  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}
