// PTX for src/exec/tests/dynamic_stack.rs: nvcc -arch=compute_75 -ptx -o dynamic_stack.ptx dynamic_stack.cu
__device__ __noinline__ int sum_alloca(int n) {
  int* p = (int*)alloca(n * sizeof(int));
  for (int i = 0; i < n; i++) p[i] = i * 3 + n;
  int s = 0;
  for (int i = 0; i < n; i++) s += p[i];
  return s;
}

extern "C" __global__ void dyn_stack(int* out, int base) {
  int n = base + (threadIdx.x % 7);  // a different size in neighbouring lanes
  char* buf = (char*)alloca(n);
  for (int i = 0; i < n; i++) buf[i] = (char)(threadIdx.x + i);
  int total = 0;
  for (int r = 0; r < 3; r++) total += sum_alloca(n + r);  // a callee's alloca, three times
  int chk = 0;
  for (int i = 0; i < n; i++) chk += buf[i];  // the caller's block survived the callee's
  if (threadIdx.x & 1) {  // an alloca under divergence
    volatile int* q = (volatile int*)alloca(64);
    q[threadIdx.x % 16] = 5;
    chk += q[threadIdx.x % 16];
  }
  out[blockIdx.x * blockDim.x + threadIdx.x] = total * 1000 + chk;
}
