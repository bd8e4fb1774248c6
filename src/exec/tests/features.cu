// Executor features beyond plain arithmetic, one kernel each (PTX: features.ptx, regenerate
// with `nvcc -ptx -arch=compute_90 features.cu -o features.ptx`). Tests in mod.rs.
#include <cstdint>

__device__ __noinline__ int op_add(int a, int b) { return a + b; }
__device__ __noinline__ int op_sub(int a, int b) { return a - b; }
__device__ __noinline__ int op_mul(int a, int b) { return a * b; }
typedef int (*binop)(int, int);
// A table of function pointers in global memory (initialised with function addresses).
__device__ binop op_table[3] = {op_add, op_sub, op_mul};

// Indirect calls: through the global table, and through a pointer chosen per lane.
extern "C" __global__ void indirect_calls(int* out, binop* table_out) {
  int t = threadIdx.x;
  binop f = op_table[t % 3];
  int r = f(t, 7);
  binop g = (t & 4) ? op_sub : op_mul;
  out[t] = r * 1000 + g(t, 3);
  if (t < 3) table_out[t] = op_table[t];
}

// A dense switch: nvcc emits brx.idx over a jump table.
extern "C" __global__ void dense_switch(int* out) {
  int t = threadIdx.x;
  int r;
  switch ((t * 7) % 13) {
    case 0: r = 11; break;
    case 1: r = t * 3; break;
    case 2: r = -t; break;
    case 3: r = t ^ 0x55; break;
    case 4: r = t << 3; break;
    case 5: r = 1000 - t; break;
    case 6: r = t * t; break;
    case 7: r = 77; break;
    case 8: r = t / 3; break;
    case 9: r = t % 5; break;
    case 10: r = t + 100; break;
    case 11: r = t | 0x100; break;
    default: r = -1; break;
  }
  out[t] = r;
}

// Device-side malloc/free: each thread fills and sums a buffer of its own.
extern "C" __global__ void device_malloc(long long* out, int n) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  int* p = (int*)malloc(sizeof(int) * (n + t));
  if (!p) {
    out[t] = -1;
    return;
  }
  for (int i = 0; i < n + t; i++) p[i] = i * t;
  long long s = 0;
  for (int i = 0; i < n + t; i++) s += p[i];
  free(p);
  out[t] = s;
}

// A malloc larger than the heap returns NULL.
extern "C" __global__ void malloc_too_big(unsigned long long* out, unsigned long long bytes) {
  void* p = malloc(bytes);
  out[threadIdx.x] = (unsigned long long)p;
  if (p) free(p);
}

// cp.async (Ampere): 16-byte cg copies and 4-byte ca copies with zero fill, commit/wait groups.
extern "C" __global__ void cp_async_copy(const int* in, int* out) {
  __shared__ __align__(16) int buf[256];
  int t = threadIdx.x;
  unsigned s = (unsigned)__cvta_generic_to_shared(&buf[t * 4]);
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(s), "l"(in + t * 4));
  asm volatile("cp.async.commit_group;");
  unsigned s2 = (unsigned)__cvta_generic_to_shared(&buf[128 + t]);
  // src-size 2 of 4: the upper two bytes are zero-filled
  asm volatile("cp.async.ca.shared.global [%0], [%1], 4, 2;" ::"r"(s2), "l"(in + 200 + t));
  asm volatile("cp.async.commit_group;");
  asm volatile("cp.async.wait_group 0;");
  __syncthreads();
  for (int k = 0; k < 4; k++) out[t * 4 + k] = buf[t * 4 + k];
  out[128 + t] = buf[128 + t];
}

// cp.async.bulk global -> shared completing on an mbarrier (expect_tx + try_wait.parity), then
// shared -> global with a bulk group.
extern "C" __global__ void bulk_copy(const int* in, int* out, int n) {
  __shared__ __align__(128) int buf[1024];
  __shared__ __align__(8) unsigned long long bar;
  unsigned sbar = (unsigned)__cvta_generic_to_shared(&bar);
  unsigned sbuf = (unsigned)__cvta_generic_to_shared(buf);
  if (threadIdx.x == 0) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(sbar), "r"(blockDim.x));
  }
  __syncthreads();
  unsigned long long state;
  if (threadIdx.x == 0) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 %0, [%1], %2;" : "=l"(state) : "r"(sbar), "r"(n * 4));
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];"
                 ::"r"(sbuf), "l"(in), "r"(n * 4), "r"(sbar) : "memory");
  } else {
    asm volatile("mbarrier.arrive.shared::cta.b64 %0, [%1];" : "=l"(state) : "r"(sbar));
  }
  unsigned done = 0;
  while (!done) {
    asm volatile("{ .reg .pred p; mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
                 : "=r"(done) : "r"(sbar), "r"(0));
  }
  for (int i = threadIdx.x; i < n; i += blockDim.x) buf[i] += 1;
  asm volatile("fence.proxy.async.shared::cta;");
  __syncthreads();
  if (threadIdx.x == 0) {
    asm volatile("cp.async.bulk.global.shared::cta.bulk_group [%0], [%1], %2;" ::"l"(out), "r"(sbuf), "r"(n * 4) : "memory");
    asm volatile("cp.async.bulk.commit_group;");
    asm volatile("cp.async.bulk.wait_group 0;");
  }
  // Second phase of the same barrier, checked with test_wait on the arrival's state.
  asm volatile("mbarrier.arrive.shared::cta.b64 %0, [%1];" : "=l"(state) : "r"(sbar));
  unsigned ok = 0;
  while (!ok) {
    asm volatile("{ .reg .pred p; mbarrier.test_wait.shared::cta.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
                 : "=r"(ok) : "r"(sbar), "l"(state));
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    unsigned cnt;
    unsigned long long st;
    asm volatile("mbarrier.arrive.shared::cta.b64 %0, [%1];" : "=l"(st) : "r"(sbar));
    asm volatile("mbarrier.pending_count.b64 %0, %1;" : "=r"(cnt) : "l"(st));
    out[n] = cnt;
  }
}

// Special registers and timers.
extern "C" __global__ void special_regs(unsigned long long* out) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned long long g0, g1, c0, c1;
  unsigned w, nw, sm, nsm, e0;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(g0));
  c0 = clock64();
  __nanosleep(2000);
  c1 = clock64();
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(g1));
  asm("mov.u32 %0, %%warpid;" : "=r"(w));
  asm("mov.u32 %0, %%nwarpid;" : "=r"(nw));
  asm("mov.u32 %0, %%smid;" : "=r"(sm));
  asm("mov.u32 %0, %%nsmid;" : "=r"(nsm));
  asm("mov.u32 %0, %%envreg0;" : "=r"(e0));
  unsigned long long* o = out + t * 8;
  o[0] = g1 - g0;
  o[1] = c1 - c0;
  o[2] = w;
  o[3] = nw;
  o[4] = sm;
  o[5] = nsm;
  o[6] = e0;
  o[7] = g0;
}
