// printf_types.cu — device printf with many argument types and counts: %d %i %u %ld %lld %llu
// %x %X %o %c %s %f %e %E %g %G %a with widths, precisions, flags (- + space 0 #), %%, and
// up to 12 arguments in one call; from several blocks and several warps. The order of the
// output is made deterministic: in each block one thread prints at a time (a loop with
// __syncthreads), and the blocks print in separate launches, one per block, synchronised
// by the host (device printf output is flushed at synchronisation).
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#include "check.h"

__device__ const char* const words[4] = {"alpha", "beta", "gamma", "delta"};

// Block `turn` prints; the others only take part in the barriers.
__global__ void show(int turn, const double* vals, int* count) {
  if (blockIdx.x != (unsigned)turn) return;
  int t = threadIdx.x;
  for (int who = 0; who < blockDim.x; who += 19) {  // threads 0, 19, 38, 57: two warps
    if (t == who) {
      long lv = -1234567890123L * (t + 1);
      long long llv = 0x7edcba9876543210LL - t;
      unsigned long long ull = 18446744073709551615ULL - (unsigned long long)t;
      double d = vals[t % 8];
      float f = (float)d * 0.5f;
      printf("block %d thread %3d: d=%d i=%i u=%u neg=%d ld=%ld lld=%lld llu=%llu\n", blockIdx.x, t, t * 7 - 100,
             -t, 4000000000u - t, -2147483647 - 1, lv, llv, ull);
      printf("  hex %x %X %#x %08x oct %o %#o char %c%c%c str [%s] [%10s] [%-8s|] [%.3s]\n", 0xdeadbeefu - t,
             0xabcdefu + t, t, t * 0x1111, 0755 + t, 8, 'A' + t % 26, '0' + t % 10, '~', words[t % 4], words[(t + 1) % 4],
             words[(t + 2) % 4], words[(t + 3) % 4]);
      printf("  f %f %.2f %10.4f %-10.1f| %+f e %e %.3E g %g %g %G %.10g a %a\n", d, d, f, d, -d, d, d * 1e-5, d,
             d * 1e20, d * 1e-7, d / 3.0, f);
      printf("  width [%5d] [%-5d] [%05d] [%+d] [% d] %% [%8.3f] [%-12.5e]\n", t, t, t, t, t, d, d);
      printf("  many %d %d %d %d %d %d %d %d %d %d %d %d\n", t, t + 1, t + 2, t + 3, t + 4, t + 5, t + 6, t + 7, t + 8,
             t + 9, t + 10, t + 11);
      printf("  mixed %d %f %s %lld %c %e %u %g\n", t, d, words[t % 4], llv, 'a' + t % 26, f, (unsigned)t * 3u, d * d);
      atomicAdd(count, 1);
    }
    __syncthreads();
  }
  if (t == 0) printf("block %d done\n", blockIdx.x);
}

int main() {
  const double hv[8] = {0.0, -0.0, 1.5, -2.25, 3.141592653589793, 1e-300, 123456789.125, 6.02214076e23};
  double* dv;
  int* dcount;
  CHECK(cudaMalloc(&dv, sizeof(hv)));
  CHECK(cudaMalloc(&dcount, sizeof(int)));
  CHECK(cudaMemcpy(dv, hv, sizeof(hv), cudaMemcpyHostToDevice));
  CHECK(cudaMemset(dcount, 0, sizeof(int)));
  const int blocks = 3;
  for (int turn = 0; turn < blocks; turn++) {
    fflush(stdout);
    show<<<blocks, 64>>>(turn, dv, dcount);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    fflush(stdout);
  }
  int count = 0;
  CHECK(cudaMemcpy(&count, dcount, sizeof(int), cudaMemcpyDeviceToHost));
  bool ok = count == blocks * 4;
  printf("%s %d printing threads\n", ok ? "PASS" : "FAIL", count);
  CHECK(cudaFree(dv));
  CHECK(cudaFree(dcount));
  printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
