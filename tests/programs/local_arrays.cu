// local_arrays.cu — per-thread local memory: arrays indexed with data-dependent indices
// (a histogram, an insertion sort, a permutation walk), a large struct passed by value to and
// returned from non-inlined functions, an array of structs, and recursion (a recursive
// quicksort on a local array, Ackermann-style mutual recursion, a recursive path count).
// Expected values come from the same code run on the host.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#include "check.h"

enum { THREADS = 96, SLOTS = 8, LEN = 40 };

struct Big {
  float v[24];
  int tag[8];
  double d;
};

__host__ __device__ __noinline__ Big transform(Big b, int k) {
  Big r;
  for (int i = 0; i < 24; i++) r.v[i] = b.v[(i * 5 + k) % 24] * 0.5f + (float)i;
  for (int i = 0; i < 8; i++) r.tag[i] = b.tag[7 - i] ^ (k << i);
  r.d = b.d * 1.5 + k;
  return r;
}

__host__ __device__ __noinline__ void quicksort(int* a, int lo, int hi) {
  if (lo >= hi) return;
  int p = a[(lo + hi) / 2], i = lo, j = hi;
  while (i <= j) {
    while (a[i] < p) i++;
    while (a[j] > p) j--;
    if (i <= j) {
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
  }
  quicksort(a, lo, j);
  quicksort(a, i, hi);
}

__host__ __device__ __noinline__ int is_odd(int n);
__host__ __device__ __noinline__ int is_even(int n) { return n == 0 ? 1 : is_odd(n - 1); }
__host__ __device__ __noinline__ int is_odd(int n) { return n == 0 ? 0 : is_even(n - 1); }

// Lattice paths from (x, y) to (0, 0) moving left or down (binomial coefficient), recursively.
__host__ __device__ __noinline__ int paths(int x, int y) {
  if (x == 0 || y == 0) return 1;
  return paths(x - 1, y) + paths(x, y - 1);
}

__host__ __device__ void work(int t, int* o) {
  uint32_t s = 2463534242u + t * 977u;
  int data[LEN];
  for (int i = 0; i < LEN; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    data[i] = (int)(s % 1000) - 500;
  }
  // Histogram with data-dependent indices.
  int hist[16] = {0};
  for (int i = 0; i < LEN; i++) hist[(data[i] + 500) * 16 / 1000]++;
  int h = 0;
  for (int i = 0; i < 16; i++) h = h * 31 + hist[i];
  o[0] = h;
  // Insertion sort on a copy.
  int sorted[LEN];
  for (int i = 0; i < LEN; i++) {
    int v = data[i], j = i - 1;
    while (j >= 0 && sorted[j] > v) {
      sorted[j + 1] = sorted[j];
      j--;
    }
    sorted[j + 1] = v;
  }
  o[1] = sorted[t % LEN] * 1000 + sorted[(t * 7) % LEN];
  // Recursive quicksort of the original must agree with the insertion sort.
  quicksort(data, 0, LEN - 1);
  int same = 1;
  for (int i = 0; i < LEN; i++) same &= data[i] == sorted[i];
  o[2] = same;
  // Permutation walk: next index taken from the array itself.
  int perm[32];
  for (int i = 0; i < 32; i++) perm[i] = (i * 13 + t) % 32;
  int at = t % 32, walk = 0;
  for (int k = 0; k < 50; k++) {
    walk += at;
    at = perm[(at + k) % 32];
  }
  o[3] = walk;
  // Large structs by value through non-inlined calls; an array of them indexed dynamically.
  Big arr[3];
  for (int q = 0; q < 3; q++) {
    for (int i = 0; i < 24; i++) arr[q].v[i] = (float)(t + i * q);
    for (int i = 0; i < 8; i++) arr[q].tag[i] = t * i + q;
    arr[q].d = t * 0.25 + q;
  }
  Big b = arr[t % 3];
  for (int k = 0; k < 4; k++) b = transform(b, k + t % 5);
  float fs = 0;
  for (int i = 0; i < 24; i++) fs += b.v[i] * (i + 1);
  int ts = 0;
  for (int i = 0; i < 8; i++) ts ^= b.tag[i] << (i & 3);
  o[4] = (int)fs;
  o[5] = ts + (int)(b.d * 16);
  // Recursion.
  o[6] = is_even(t + 17) * 100 + is_odd(t * 3);
  o[7] = paths(t % 7 + 1, t % 5 + 2);
}

__global__ void kernel(int* out) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  if (t < THREADS) work(t, out + t * SLOTS);
}

int main() {
  int* dout;
  CHECK(cudaMalloc(&dout, sizeof(int) * THREADS * SLOTS));
  CHECK(cudaDeviceSetLimit(cudaLimitStackSize, 16384));
  kernel<<<2, 64>>>(dout);
  CHECK(cudaGetLastError());
  static int out[THREADS * SLOTS], want[THREADS * SLOTS];
  CHECK(cudaMemcpy(out, dout, sizeof(out), cudaMemcpyDeviceToHost));
  for (int t = 0; t < THREADS; t++) work(t, want + t * SLOTS);
  const char* what[SLOTS] = {"histogram", "insertion sort", "quicksort agrees", "permutation walk",
                             "struct floats", "struct ints", "mutual recursion", "recursive paths"};
  int failures = 0;
  for (int s = 0; s < SLOTS; s++) {
    int bad = 0;
    long long sum = 0;
    for (int t = 0; t < THREADS; t++) {
      sum += (long long)out[t * SLOTS + s] * (t + 1);
      if (out[t * SLOTS + s] != want[t * SLOTS + s] && bad++ < 2)
        printf("FAIL %s: thread %d got %d, expected %d\n", what[s], t, out[t * SLOTS + s], want[t * SLOTS + s]);
    }
    failures += bad;
    printf("%s %s (weighted sum %lld)\n", bad ? "FAIL" : "PASS", what[s], sum);
  }
  CHECK(cudaFree(dout));
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
