// One kernel per control-flow shape (after PoCL's regression suite): each writes one int per
// thread that the test recomputes on the host. Regenerate cfg_shapes.ptx with
//   nvcc -ptx -arch=compute_75 -o src/exec/tests/cfg_shapes.ptx src/exec/tests/cfg_shapes.cu
extern "C" {

// Barrier before an early return of the whole block's upper half.
__global__ void barrier_then_return(int* out) {
  __shared__ int s[256];
  int t = threadIdx.x;
  s[t] = t * 3;
  __syncthreads();
  if (t >= blockDim.x / 2) return;
  out[t] = s[blockDim.x - 1 - t];
}

// Barriers inside a loop with a block-uniform trip count, data exchanged each round.
__global__ void barrier_in_loop(int* out, int rounds) {
  __shared__ int s[256];
  int t = threadIdx.x, v = t;
  for (int r = 0; r < rounds; r++) {
    s[t] = v;
    __syncthreads();
    v = s[(t + r + 1) % blockDim.x] + 1;
    __syncthreads();
  }
  out[t] = v;
}

// Nested loops with per-lane trip counts and a break out of the inner loop.
__global__ void nested_lane_loops(int* out) {
  int t = threadIdx.x, acc = 0;
  for (int i = 0; i < (t % 7); i++) {
    for (int j = 0; j < (t % 5) + i; j++) {
      if ((i * j + t) % 11 == 10) break;
      acc += i + j;
    }
  }
  out[t] = acc;
}

// A loop with several exits (return inside, break, normal end).
__global__ void multi_exit_loop(int* out) {
  int t = threadIdx.x, k = 0;
  out[t] = -1;
  while (true) {
    k++;
    if (k * t % 13 == 12) { out[t] = 1000 + k; return; }
    if (k > t % 9) break;
  }
  out[t] = k;
}

// Dense switch on lane data (a jump table or a comparison chain).
__global__ void lane_switch(int* out) {
  int t = threadIdx.x, r;
  switch (t % 9) {
    case 0: r = 10; break;
    case 1: r = t * 2; break;
    case 2: r = -t; break;
    case 3: case 4: r = t ^ 5; break;
    case 5: r = t << 2; break;
    case 6: r = 7; // fall through
    case 7: r = t + 100; break;
    default: r = 0;
  }
  out[t] = r;
}

// Divergent work, reconvergence, then a warp vote and a shuffle that need every lane back.
__global__ void reconverge_then_vote(int* out) {
  int t = threadIdx.x, v;
  if (t & 1) { v = t * 5; if (t & 2) v -= 3; } else { v = t / 2; }
  unsigned b = __ballot_sync(0xffffffffu, v > 40);
  int n = __shfl_xor_sync(0xffffffffu, v, 1);
  out[t] = (int)(b & 0x7fffffff) + n;
}

// Recursion through a non-inlined device function with per-lane depth.
__device__ __noinline__ int depth_sum(int n) { return n <= 0 ? 0 : n + depth_sum(n - 1); }
__global__ void recursion(int* out) { out[threadIdx.x] = depth_sum(threadIdx.x % 12); }

}
