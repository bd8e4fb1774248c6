// coop_grid.cu — cooperative launches: cudaLaunchCooperativeKernel and cudaLaunchKernelEx with
// cudaLaunchAttributeCooperative, cooperative_groups::this_grid() (sync, is_valid, size,
// thread_rank, block_rank, num_blocks, barrier_arrive/barrier_wait), a grid of as many blocks
// as the occupancy calculator allows (every block resident at once), 200 grid barriers in a row,
// and the errors: a grid one block too large, is_valid() in an ordinary launch. The printed
// values do not depend on the device's size (an H100 has 132 SMs, cuemu one per host thread).
#include <cooperative_groups.h>
#include <cstdio>
#include <vector>
#include "check.h"
namespace cg = cooperative_groups;

// Phase 1 fills, phase 2 sums per block, phase 3 one thread adds the block sums, phase 4 every
// thread rewrites its elements from the total, phase 5 sums again: each phase reads what other
// blocks wrote before the barrier.
__global__ void phases(int* data, long long* partial, long long* out, int n) {
  cg::grid_group g = cg::this_grid();
  cg::thread_block b = cg::this_thread_block();
  __shared__ long long red[256];
  for (int i = g.thread_rank(); i < n; i += g.size()) data[i] = (i * 37) % 1001 + 1;
  g.sync();
  long long s = 0;
  for (int i = g.thread_rank(); i < n; i += g.size()) s += data[(i * 7) % n];  // others' elements
  red[b.thread_rank()] = s;
  b.sync();
  for (int k = b.size() / 2; k > 0; k /= 2) {
    if (b.thread_rank() < k) red[b.thread_rank()] += red[b.thread_rank() + k];
    b.sync();
  }
  if (b.thread_rank() == 0) partial[g.block_rank()] = red[0];
  g.sync();
  if (g.thread_rank() == 0) {
    long long t = 0;
    for (unsigned k = 0; k < g.num_blocks(); k++) t += partial[k];
    out[0] = t;
    out[1] = g.is_valid();
    out[2] = g.size() == (unsigned long long)gridDim.x * blockDim.x;
  }
  g.sync();
  for (int i = g.thread_rank(); i < n; i += g.size()) data[i] = (int)(out[0] % 1000) - data[i];
  // split barrier: arrive, do independent work, wait
  auto token = g.barrier_arrive();
  long long mine = 0;
  for (int i = g.thread_rank(); i < n; i += g.size()) mine += i;
  g.barrier_wait(std::move(token));
  s = 0;
  for (int i = g.thread_rank(); i < n; i += g.size()) s += data[(i * 11) % n];
  atomicAdd((unsigned long long*)&out[3], (unsigned long long)s);
  atomicAdd((unsigned long long*)&out[4], (unsigned long long)mine);
}

// Many barriers: each round, block b adds its round number to a counter that every block reads
// after the barrier; any block running ahead would see a wrong value.
__global__ void rounds(int* counter, int* bad, int nrounds) {
  cg::grid_group g = cg::this_grid();
  for (int r = 0; r < nrounds; r++) {
    if (threadIdx.x == 0) atomicAdd(counter, 1);
    g.sync();
    if (threadIdx.x == 0 && *(volatile int*)counter != (r + 1) * (int)gridDim.x) atomicAdd(bad, 1);
    g.sync();
  }
}

__global__ void validity(int* out) {
  if (threadIdx.x == 0 && blockIdx.x == 0) out[0] = cg::this_grid().is_valid();
}

int main() {
  int dev = 0, coop = 0, sms = 0;
  CK(cudaSetDevice(dev));
  CK(cudaDeviceGetAttribute(&coop, cudaDevAttrCooperativeLaunch, dev));
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  printf("cooperative launch supported: %d\n", coop);

  const int threads = 256, n = 100003;
  int per_sm = 0;
  CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, phases, threads, 0));
  int blocks = per_sm * sms;
  printf("occupancy allows a grid: %s\n", blocks > 0 ? "yes" : "no");

  int* data;
  long long *partial, *out;
  CK(cudaMalloc(&data, n * sizeof(int)));
  CK(cudaMalloc(&partial, blocks * sizeof(long long)));
  CK(cudaMalloc(&out, 8 * sizeof(long long)));
  long long host[8];
  long long expect_mine = (long long)n * (n - 1) / 2;
  std::vector<int> ref(n);
  long long total = 0;
  for (int i = 0; i < n; i++) ref[i] = (i * 37) % 1001 + 1;
  for (int i = 0; i < n; i++) total += ref[(i * 7) % n];
  long long second = 0;
  for (int i = 0; i < n; i++) second += (int)(total % 1000) - ref[(i * 11) % n];

  // The largest grid, a small one, and a one-block grid.
  for (int g : {blocks, (blocks + 1) / 2, 1}) {
    CK(cudaMemset(out, 0, 8 * sizeof(long long)));
    int nn = n;
    void* args[] = {&data, &partial, &out, &nn};
    CK(cudaLaunchCooperativeKernel((void*)phases, g, threads, args, 0, 0));
    CK(cudaDeviceSynchronize());
    CK(cudaMemcpy(host, out, sizeof host, cudaMemcpyDeviceToHost));
    printf("%s grid: total %lld (%s), valid %lld, size ok %lld, second %lld (%s), split-barrier work %s\n",
           g == blocks ? "full" : g == 1 ? "one-block" : "half", host[0], host[0] == total ? "ok" : "WRONG", host[1], host[2],
           host[3], host[3] == second ? "ok" : "WRONG", host[4] == expect_mine ? "ok" : "WRONG");
  }

  // cudaLaunchKernelEx with the cooperative attribute.
  {
    int *counter, *bad;
    CK(cudaMalloc(&counter, sizeof(int)));
    CK(cudaMalloc(&bad, sizeof(int)));
    CK(cudaMemset(counter, 0, sizeof(int)));
    CK(cudaMemset(bad, 0, sizeof(int)));
    int rb = 0;
    CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&rb, rounds, 64, 0));
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = dim3(rb * sms);
    cfg.blockDim = dim3(64);
    cudaLaunchAttribute attr[1];
    attr[0].id = cudaLaunchAttributeCooperative;
    attr[0].val.cooperative = 1;
    cfg.attrs = attr;
    cfg.numAttrs = 1;
    CK(cudaLaunchKernelEx(&cfg, rounds, counter, bad, 100));
    CK(cudaDeviceSynchronize());
    int hc = 0, hb = 0;
    CK(cudaMemcpy(&hc, counter, sizeof(int), cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(&hb, bad, sizeof(int), cudaMemcpyDeviceToHost));
    printf("200 grid barriers: counter %s, blocks that ran ahead %d\n", hc == 100 * rb * sms ? "ok" : "WRONG", hb);
    CK(cudaFree(counter));
    CK(cudaFree(bad));
  }

  // this_grid().is_valid() outside a cooperative launch.
  {
    int* v;
    int hv = -1;
    CK(cudaMalloc(&v, sizeof(int)));
    validity<<<2, 32>>>(v);
    CK(cudaDeviceSynchronize());
    CK(cudaMemcpy(&hv, v, sizeof(int), cudaMemcpyDeviceToHost));
    printf("is_valid in an ordinary launch: %d\n", hv);
    void* args[] = {&v};
    CK(cudaLaunchCooperativeKernel((void*)validity, 2, 32, args, 0, 0));
    CK(cudaDeviceSynchronize());
    CK(cudaMemcpy(&hv, v, sizeof(int), cudaMemcpyDeviceToHost));
    printf("is_valid in a cooperative launch: %d\n", hv);
    CK(cudaFree(v));
  }

  // One block more than fits.
  {
    int nn = n;
    void* args[] = {&data, &partial, &out, &nn};
    cudaError_t e = cudaLaunchCooperativeKernel((void*)phases, blocks + 1, threads, args, 0, 0);
    printf("grid one block too large: %s\n", cudaGetErrorName(e));
    printf("error after it: %s\n", cudaGetErrorName(cudaGetLastError()));
    CK(cudaDeviceSynchronize());
  }
  CK(cudaFree(data));
  CK(cudaFree(partial));
  CK(cudaFree(out));
  printf("PASS\n");
  return 0;
}
