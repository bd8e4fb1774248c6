// dp4a.cu — the integer dot-product intrinsics: __dp4a (signed×signed, unsigned×unsigned and
// the char4/uchar4 forms) and __dp2a_lo/__dp2a_hi (signed and unsigned), on edge-case bytes
// (0x80, 0x7f, 0xff), random words and accumulators that wrap around 2^32. Checked against a
// host model of the PTX dp4a/dp2a semantics; every result is printed as hex.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#include "check.h"

enum { N = 128, NOPS = 8 };
static const char* names[NOPS] = {"dp4a_s32", "dp4a_u32", "dp4a_char4", "dp4a_uchar4",
                                  "dp2a_lo_s32", "dp2a_hi_s32", "dp2a_lo_u32", "dp2a_hi_u32"};

__global__ void dots(const uint32_t* a, const uint32_t* b, const uint32_t* c, uint32_t* out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= N) return;
  uint32_t x = a[i], y = b[i], z = c[i];
  char4 xc, yc;
  uchar4 xu, yu;
  memcpy(&xc, &x, 4);
  memcpy(&yc, &y, 4);
  memcpy(&xu, &x, 4);
  memcpy(&yu, &y, 4);
  out[0 * N + i] = (uint32_t)__dp4a((int)x, (int)y, (int)z);
  out[1 * N + i] = __dp4a(x, y, z);
  out[2 * N + i] = (uint32_t)__dp4a(xc, yc, (int)z);
  out[3 * N + i] = __dp4a(xu, yu, z);
  out[4 * N + i] = (uint32_t)__dp2a_lo((int)x, (int)y, (int)z);
  out[5 * N + i] = (uint32_t)__dp2a_hi((int)x, (int)y, (int)z);
  out[6 * N + i] = __dp2a_lo(x, y, z);
  out[7 * N + i] = __dp2a_hi(x, y, z);
}

// Host model (PTX ISA, dp4a/dp2a): bytes / half-words of a times bytes of b, plus c, mod 2^32.
static uint32_t model(int op, uint32_t a, uint32_t b, uint32_t c) {
  bool sgn = op == 0 || op == 2 || op == 4 || op == 5;
  int64_t acc = (int32_t)c;
  if (op < 4) {
    for (int k = 0; k < 4; k++) {
      int64_t x = sgn ? (int8_t)(a >> (8 * k)) : (uint8_t)(a >> (8 * k));
      int64_t y = sgn ? (int8_t)(b >> (8 * k)) : (uint8_t)(b >> (8 * k));
      acc += x * y;
    }
  } else {
    int hi = (op == 5 || op == 7) ? 2 : 0;
    for (int k = 0; k < 2; k++) {
      int64_t x = sgn ? (int16_t)(a >> (16 * k)) : (uint16_t)(a >> (16 * k));
      int64_t y = sgn ? (int8_t)(b >> (8 * (k + hi))) : (uint8_t)(b >> (8 * (k + hi)));
      acc += x * y;
    }
  }
  return (uint32_t)acc;
}

static uint64_t rng = 0x853c49e6748fea9bull;
static uint32_t next_u32() {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng >> 32);
}

int main() {
  uint32_t a[N], b[N], c[N];
  const uint32_t special[] = {0x00000000, 0xffffffff, 0x80808080, 0x7f7f7f7f, 0x7fff8000, 0x8000ffff,
                              0x01020304, 0xff00ff00, 0x12345678, 0xdeadbeef, 0x80000000, 0x0000007f};
  const int ns = sizeof(special) / sizeof(special[0]);
  for (int i = 0; i < N; i++) {
    a[i] = i < ns * ns ? special[i % ns] : next_u32();
    b[i] = i < ns * ns ? special[i / ns] : next_u32();
    c[i] = (i % 5 == 0) ? 0x7fffffff - (i & 3) : (i % 5 == 1) ? 0x80000000u + (i & 3) : next_u32();
  }
  uint32_t *da, *db, *dc, *dout;
  CHECK(cudaMalloc(&da, sizeof(a)));
  CHECK(cudaMalloc(&db, sizeof(b)));
  CHECK(cudaMalloc(&dc, sizeof(c)));
  CHECK(cudaMalloc(&dout, sizeof(uint32_t) * N * NOPS));
  CHECK(cudaMemcpy(da, a, sizeof(a), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(db, b, sizeof(b), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dc, c, sizeof(c), cudaMemcpyHostToDevice));
  dots<<<N / 64, 64>>>(da, db, dc, dout);
  CHECK(cudaGetLastError());
  static uint32_t out[N * NOPS];
  CHECK(cudaMemcpy(out, dout, sizeof(out), cudaMemcpyDeviceToHost));
  int failures = 0;
  for (int op = 0; op < NOPS; op++) {
    int bad = 0;
    for (int i = 0; i < N; i++) {
      uint32_t want = model(op, a[i], b[i], c[i]);
      if (out[op * N + i] != want) {
        if (bad++ < 3) printf("FAIL %s(%08x, %08x, %08x) = %08x, expected %08x\n", names[op], a[i], b[i], c[i], out[op * N + i], want);
      }
    }
    failures += bad;
    printf("%s %s (%d inputs)\n", bad ? "FAIL" : "PASS", names[op], N);
    for (int i = 0; i < N; i += 8) {
      printf("%s %03d:", names[op], i);
      for (int k = 0; k < 8; k++) printf(" %08x", out[op * N + i + k]);
      printf("\n");
    }
  }
  CHECK(cudaFree(da));
  CHECK(cudaFree(db));
  CHECK(cudaFree(dc));
  CHECK(cudaFree(dout));
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
