// grid2d_struct.cu — 2D/3D grids and blocks, and kernels taking structs by value whose
// fields have mixed types, sizes and padding (int, float, double, pointers, chars, short,
// long long, a nested struct and an array). Checks the launch geometry builtins, that every
// field arrives intact, and writes matrices indexed by 2D coordinates.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_runtime.h>

#include "check.h"

static int g_failures = 0;
static int g_checks = 0;
static void report(bool ok, const char* what) {
  ++g_checks;
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

struct Inner {
  char c;        // 3 bytes padding follow
  int i;
  short s;       // 6 bytes padding follow
  double d;
};

struct Params {
  int rows;
  int cols;
  char tag;      // 3 bytes padding
  float offset;
  double scale;
  float* out;
  char c2;       // 1 byte padding
  short s;       // 4 bytes padding
  long long big;
  int pitch;     // 4 bytes padding
  double* dout;
  Inner inner;
  int arr[3];
  unsigned char last;  // tail padding
};

// ---- geometry -------------------------------------------------------------------------------
// One record of 12 ints per thread: tid.xyz, ctaid.xyz, ntid.xyz, nctaid.xyz.
__global__ void geometry(int* rec) {
  int block_lin = (blockIdx.z * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;
  int thread_lin = (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
  int g = block_lin * (blockDim.x * blockDim.y * blockDim.z) + thread_lin;
  int* r = rec + 12 * g;
  r[0] = threadIdx.x; r[1] = threadIdx.y; r[2] = threadIdx.z;
  r[3] = blockIdx.x;  r[4] = blockIdx.y;  r[5] = blockIdx.z;
  r[6] = blockDim.x;  r[7] = blockDim.y;  r[8] = blockDim.z;
  r[9] = gridDim.x;   r[10] = gridDim.y;  r[11] = gridDim.z;
}

// ---- struct by value: echo every field back ---------------------------------------------------
struct Echo {
  int rows, cols, tag;
  float offset;
  double scale;
  unsigned long long out_ptr;
  int c2, s;
  long long big;
  int pitch;
  unsigned long long dout_ptr;
  int in_c, in_i, in_s;
  double in_d;
  int arr0, arr1, arr2, last;
};

__global__ void echo(Params p, Echo* e) {
  if (threadIdx.x != 0 || blockIdx.x != 0) return;
  e->rows = p.rows; e->cols = p.cols; e->tag = p.tag;
  e->offset = p.offset; e->scale = p.scale;
  e->out_ptr = (unsigned long long)p.out;
  e->c2 = p.c2; e->s = p.s; e->big = p.big; e->pitch = p.pitch;
  e->dout_ptr = (unsigned long long)p.dout;
  e->in_c = p.inner.c; e->in_i = p.inner.i; e->in_s = p.inner.s; e->in_d = p.inner.d;
  e->arr0 = p.arr[0]; e->arr1 = p.arr[1]; e->arr2 = p.arr[2]; e->last = p.last;
}

// ---- matrix fill through the struct ------------------------------------------------------------
__host__ __device__ inline float fval(const Params& p, int y, int x) {
  return (float)(y * 1000 + x) * (float)p.scale + p.offset + (float)p.tag + (float)p.arr[(x + y) % 3];
}
__host__ __device__ inline double dval(const Params& p, int y, int x) {
  return (double)(y - x) * p.inner.d + (double)p.big + (double)p.s * 0.25 + (double)p.c2;
}

// blockIdx.z selects which matrix (0: float, 1: double) the block writes.
__global__ void fill(Params p) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.cols || y >= p.rows) return;
  if (blockIdx.z == 0)
    p.out[y * p.pitch + x] = fval(p, y, x);
  else
    p.dout[y * p.pitch + x] = dval(p, y, x);
}

// Transpose with a 2D block through a struct containing only small fields + pointers.
struct Small {
  const int* src;
  int* dst;
  short w;
  char h;
};
__global__ void transpose(Small s) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x < s.w && y < s.h) s.dst[x * s.h + y] = s.src[y * s.w + x];
}

static void test_geometry(dim3 grid, dim3 block) {
  int nthreads = grid.x * grid.y * grid.z * block.x * block.y * block.z;
  size_t bytes = (size_t)nthreads * 12 * sizeof(int);
  int* d;
  CHECK(cudaMalloc(&d, bytes));
  CHECK(cudaMemset(d, 0xff, bytes));
  geometry<<<grid, block>>>(d);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  int* h = (int*)malloc(bytes);
  CHECK(cudaMemcpy(h, d, bytes, cudaMemcpyDeviceToHost));
  bool ok = true;
  int g = 0;
  for (unsigned bz = 0; bz < grid.z; ++bz)
    for (unsigned by = 0; by < grid.y; ++by)
      for (unsigned bx = 0; bx < grid.x; ++bx)
        for (unsigned tz = 0; tz < block.z; ++tz)
          for (unsigned ty = 0; ty < block.y; ++ty)
            for (unsigned tx = 0; tx < block.x; ++tx, ++g) {
              const int want[12] = {(int)tx, (int)ty, (int)tz, (int)bx, (int)by, (int)bz,
                                    (int)block.x, (int)block.y, (int)block.z,
                                    (int)grid.x, (int)grid.y, (int)grid.z};
              if (memcmp(want, h + 12 * g, sizeof want) != 0) ok = false;
            }
  char what[200];
  snprintf(what, sizeof what, "geometry grid=(%u,%u,%u) block=(%u,%u,%u) threads=%d", grid.x,
           grid.y, grid.z, block.x, block.y, block.z, nthreads);
  report(ok, what);
  free(h);
  CHECK(cudaFree(d));
}

int main() {
  setvbuf(stdout, NULL, _IOLBF, 0);  // keep partial output if the program dies
  printf("sizeof(Params)=%d offsetof(scale)=%d offsetof(out)=%d offsetof(big)=%d "
         "offsetof(inner)=%d offsetof(arr)=%d\n",
         (int)sizeof(Params), (int)offsetof(Params, scale), (int)offsetof(Params, out),
         (int)offsetof(Params, big), (int)offsetof(Params, inner), (int)offsetof(Params, arr));

  test_geometry(dim3(1, 1, 1), dim3(1, 1, 1));
  test_geometry(dim3(3, 4, 2), dim3(5, 3, 2));
  test_geometry(dim3(2, 3, 1), dim3(32, 4, 1));
  test_geometry(dim3(1, 1, 7), dim3(1, 1, 64));
  test_geometry(dim3(5, 1, 1), dim3(8, 8, 8));

  const int rows = 37, cols = 53, pitch = 64;
  float* dout_f;
  double* dout_d;
  CHECK(cudaMalloc(&dout_f, rows * pitch * sizeof(float)));
  CHECK(cudaMalloc(&dout_d, rows * pitch * sizeof(double)));
  CHECK(cudaMemset(dout_f, 0, rows * pitch * sizeof(float)));
  CHECK(cudaMemset(dout_d, 0, rows * pitch * sizeof(double)));

  Params p;
  memset(&p, 0xA5, sizeof p);  // garbage in the padding on purpose
  p.rows = rows; p.cols = cols; p.tag = 7; p.offset = 3.0f; p.scale = 0.5;
  p.out = dout_f; p.c2 = -3; p.s = -1234; p.big = 0x123456789LL; p.pitch = pitch;
  p.dout = dout_d;
  p.inner.c = 'Z'; p.inner.i = -987654; p.inner.s = 321; p.inner.d = -2.25;
  p.arr[0] = 10; p.arr[1] = -20; p.arr[2] = 30; p.last = 200;

  // Echo.
  {
    Echo* de;
    CHECK(cudaMalloc(&de, sizeof(Echo)));
    CHECK(cudaMemset(de, 0, sizeof(Echo)));
    echo<<<1, 32>>>(p, de);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    Echo e;
    CHECK(cudaMemcpy(&e, de, sizeof e, cudaMemcpyDeviceToHost));
    report(e.rows == rows && e.cols == cols && e.pitch == pitch, "struct echo int fields");
    report(e.tag == 7 && e.c2 == -3 && e.in_c == 'Z' && e.last == 200, "struct echo char fields");
    report(e.offset == 3.0f && e.scale == 0.5 && e.in_d == -2.25, "struct echo float/double fields");
    report(e.s == -1234 && e.in_s == 321 && e.in_i == -987654, "struct echo short/nested fields");
    report(e.big == 0x123456789LL, "struct echo long long field");
    report(e.out_ptr == (unsigned long long)dout_f && e.dout_ptr == (unsigned long long)dout_d,
           "struct echo pointer fields");
    report(e.arr0 == 10 && e.arr1 == -20 && e.arr2 == 30, "struct echo array field");
    CHECK(cudaFree(de));
  }

  // Fill: both matrices in one launch (blockIdx.z selects), several block shapes.
  const dim3 blocks[] = {dim3(16, 16), dim3(8, 4), dim3(32, 1), dim3(1, 32), dim3(13, 7)};
  float* hf = (float*)malloc(rows * pitch * sizeof(float));
  double* hd = (double*)malloc(rows * pitch * sizeof(double));
  for (int b = 0; b < 5; ++b) {
    dim3 block = blocks[b];
    dim3 grid((cols + block.x - 1) / block.x, (rows + block.y - 1) / block.y, 2);
    CHECK(cudaMemset(dout_f, 0xff, rows * pitch * sizeof(float)));
    CHECK(cudaMemset(dout_d, 0xff, rows * pitch * sizeof(double)));
    p.scale = 0.5 + 0.25 * b;  // vary a field between launches: the copy must be per launch
    fill<<<grid, block>>>(p);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(hf, dout_f, rows * pitch * sizeof(float), cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(hd, dout_d, rows * pitch * sizeof(double), cudaMemcpyDeviceToHost));
    bool okf = true, okd = true, okpad = true;
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < pitch; ++x) {
        unsigned int fb;
        unsigned long long db;
        memcpy(&fb, &hf[y * pitch + x], 4);
        memcpy(&db, &hd[y * pitch + x], 8);
        if (x < cols) {
          if (hf[y * pitch + x] != fval(p, y, x)) okf = false;
          if (hd[y * pitch + x] != dval(p, y, x)) okd = false;
        } else if (fb != 0xffffffffu || db != 0xffffffffffffffffull) {
          okpad = false;  // columns beyond cols must be untouched
        }
      }
    char what[200];
    snprintf(what, sizeof what, "fill float matrix %dx%d block=(%u,%u) grid=(%u,%u,%u)", rows, cols,
             block.x, block.y, grid.x, grid.y, grid.z);
    report(okf, what);
    snprintf(what, sizeof what, "fill double matrix %dx%d block=(%u,%u)", rows, cols, block.x, block.y);
    report(okd, what);
    snprintf(what, sizeof what, "fill leaves pitch padding untouched block=(%u,%u)", block.x, block.y);
    report(okpad, what);
  }
  free(hf);
  free(hd);

  // Transpose via a struct of small fields.
  {
    const int w = 45, h = 29;
    int* hs = (int*)malloc(w * h * sizeof(int));
    int* ht = (int*)malloc(w * h * sizeof(int));
    for (int i = 0; i < w * h; ++i) hs[i] = i * 3 - 1000;
    int *ds, *dt;
    CHECK(cudaMalloc(&ds, w * h * sizeof(int)));
    CHECK(cudaMalloc(&dt, w * h * sizeof(int)));
    CHECK(cudaMemcpy(ds, hs, w * h * sizeof(int), cudaMemcpyHostToDevice));
    Small s;
    memset(&s, 0, sizeof s);
    s.src = ds; s.dst = dt; s.w = w; s.h = h;
    transpose<<<dim3((w + 7) / 8, (h + 7) / 8), dim3(8, 8)>>>(s);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(ht, dt, w * h * sizeof(int), cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        if (ht[x * h + y] != hs[y * w + x]) ok = false;
    report(ok, "transpose 29x45 with struct{ptr,ptr,short,char}");
    CHECK(cudaFree(ds));
    CHECK(cudaFree(dt));
    free(hs);
    free(ht);
  }

  CHECK(cudaFree(dout_f));
  CHECK(cudaFree(dout_d));
  printf("grid2d_struct: %d checks, %d failures\n", g_checks, g_failures);
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
