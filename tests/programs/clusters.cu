// clusters.cu — thread-block clusters (sm_90): cooperative_groups::cluster_group (block_rank,
// num_blocks, dim_blocks, block_index, num_threads, thread_rank, sync, barrier_arrive/wait,
// map_shared_rank, query_shared_rank), the cluster special registers (__clusterIdx,
// __clusterGridDimInClusters, __clusterDimIsSpecified), __isCtaShared/__isClusterShared,
// distributed shared memory: the CUDA programming guide's cluster histogram, a reduction across
// the CTAs of a cluster, a ring exchange through the split arrive/wait barrier; inline PTX for
// mapa/ld/st/atom .shared::cluster with 32-bit addresses, getctarank, a remote mbarrier arrive
// and cp.async.bulk.shared::cluster.shared::cta. Launches with __cluster_dims__ and with
// cudaLaunchKernelEx / cuLaunchKernelEx cluster attributes, clusters of 1, 2, 4, 8 and 16
// (non-portable), 2-D and 3-D clusters, and the error cases with the errors they give.
// Expected values come from host models.
//
// Build: nvcc -o clusters clusters.cu -arch=sm_90 -lcuda
#include <cooperative_groups.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda.h>
#include <cuda_runtime.h>
#include <vector>

namespace cg = cooperative_groups;

#include "check.h"

static int failures = 0;
static void report(const char* what, bool ok, long long detail) {
  printf("%s %s (%lld)\n", ok ? "PASS" : "FAIL", what, detail);
  if (!ok) failures++;
}

static const char* drv_name(CUresult r) {
  const char* s = "?";
  if (cuGetErrorName(r, &s) != CUDA_SUCCESS) return "(unknown)";
  return s;
}

// ---------------------------------------------------------------- cluster geometry
enum { INFO = 16 };

__device__ void write_info(int* out) {
  cg::cluster_group cl = cg::this_cluster();
  unsigned b = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  unsigned rank = cl.thread_rank();
  __shared__ int seen_rank[1024];
  seen_rank[threadIdx.x] = rank;
  cl.sync();
  if (threadIdx.x == 0) {
    int* o = out + b * INFO;
    o[0] = cl.block_rank();
    o[1] = cl.num_blocks();
    dim3 d = cl.dim_blocks();
    o[2] = d.x | (d.y << 8) | (d.z << 16);
    dim3 bi = cl.block_index();
    o[3] = bi.x | (bi.y << 8) | (bi.z << 16);
    o[4] = cl.num_threads();
    o[5] = seen_rank[blockDim.x - 1];
    dim3 ci = __clusterIdx();
    o[6] = ci.x | (ci.y << 8) | (ci.z << 16);
    dim3 nc = __clusterGridDimInClusters();
    o[7] = nc.x | (nc.y << 8) | (nc.z << 16);
    o[8] = __clusterDimIsSpecified();
    o[9] = __clusterRelativeBlockRank();
    o[10] = __clusterSizeInBlocks();
    dim3 rb = __clusterRelativeBlockIdx();
    o[11] = rb.x | (rb.y << 8) | (rb.z << 16);
  }
}

__global__ void __cluster_dims__(2, 1, 1) info_fixed(int* out) { write_info(out); }
__global__ void __cluster_dims__(2, 2, 1) info_fixed_2d(int* out) { write_info(out); }
__global__ void info_any(int* out) { write_info(out); }

// runs kernel k with grid/cluster/threads; explicit = the launch names the cluster
static void run_info(const char* what, void (*k)(int*), dim3 grid, dim3 cl, unsigned threads, bool attr,
                     int explicit_expected, bool graph = false) {
  unsigned nb = grid.x * grid.y * grid.z;
  int* d;
  CK(cudaMalloc(&d, nb * INFO * sizeof(int)));
  CK(cudaMemset(d, 0xff, nb * INFO * sizeof(int)));
  cudaStream_t s = 0;
  if (graph) {
    CK(cudaStreamCreate(&s));
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  }
  if (attr) {
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = grid;
    cfg.blockDim = dim3(threads);
    cfg.stream = s;
    cudaLaunchAttribute a[1];
    a[0].id = cudaLaunchAttributeClusterDimension;
    a[0].val.clusterDim.x = cl.x;
    a[0].val.clusterDim.y = cl.y;
    a[0].val.clusterDim.z = cl.z;
    cfg.attrs = a;
    cfg.numAttrs = 1;
    CK(cudaLaunchKernelEx(&cfg, k, d));
  } else {
    k<<<grid, threads, 0, s>>>(d);
    CK(cudaGetLastError());
  }
  if (graph) {
    // the captured launch keeps its cluster shape in the graph's kernel node
    cudaGraph_t g;
    cudaGraphExec_t ge;
    CK(cudaStreamEndCapture(s, &g));
    CK(cudaGraphInstantiate(&ge, g, 0));
    CK(cudaGraphLaunch(ge, s));
    CK(cudaStreamSynchronize(s));
    CK(cudaGraphExecDestroy(ge));
    CK(cudaGraphDestroy(g));
    CK(cudaStreamDestroy(s));
  }
  CK(cudaDeviceSynchronize());
  std::vector<int> h(nb * INFO);
  CK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
  CK(cudaFree(d));
  int bad = 0;
  long long sum = 0;
  for (unsigned z = 0; z < grid.z; z++)
    for (unsigned y = 0; y < grid.y; y++)
      for (unsigned x = 0; x < grid.x; x++) {
        unsigned b = x + grid.x * (y + grid.y * z);
        const int* o = &h[b * INFO];
        unsigned rx = x % cl.x, ry = y % cl.y, rz = z % cl.z;
        int rank = rx + ry * cl.x + rz * cl.x * cl.y;
        int n = cl.x * cl.y * cl.z;
        int e[12] = {rank,
                     n,
                     (int)(cl.x | (cl.y << 8) | (cl.z << 16)),
                     (int)(rx | (ry << 8) | (rz << 16)),
                     (int)(n * threads),
                     (int)(rank * threads + threads - 1),
                     (int)((x / cl.x) | ((y / cl.y) << 8) | ((z / cl.z) << 16)),
                     (int)((grid.x / cl.x) | ((grid.y / cl.y) << 8) | ((grid.z / cl.z) << 16)),
                     explicit_expected,
                     rank,
                     n,
                     (int)(rx | (ry << 8) | (rz << 16))};
        for (int i = 0; i < 12; i++) {
          if (o[i] != e[i]) {
            if (bad < 4)
              fprintf(stderr, "%s: block (%u,%u,%u) field %d = %d, expected %d\n", what, x, y, z, i, o[i], e[i]);
            bad++;
          }
          sum += (long long)o[i] * (i + 1) * (b + 1);
        }
      }
  report(what, bad == 0, sum);
}

// ---------------------------------------------------------------- reduction across a cluster
__global__ void cluster_reduce(const int* in, long long* out) {
  cg::cluster_group cl = cg::this_cluster();
  __shared__ long long partial;
  __shared__ long long warp_sums[32];
  int gid = blockIdx.x * blockDim.x + threadIdx.x;
  long long v = in[gid];
  for (int off = 16; off > 0; off /= 2) v += __shfl_down_sync(0xffffffff, v, off);
  if ((threadIdx.x & 31) == 0) warp_sums[threadIdx.x / 32] = v;
  __syncthreads();
  if (threadIdx.x == 0) {
    long long s = 0;
    for (unsigned w = 0; w < blockDim.x / 32; w++) s += warp_sums[w];
    partial = s;
  }
  cl.sync();
  if (cl.block_rank() == 0 && threadIdx.x == 0) {
    long long s = 0;
    for (unsigned r = 0; r < cl.num_blocks(); r++) s += *cl.map_shared_rank(&partial, r);
    out[__clusterIdx().x] = s;
  }
  cl.sync();  // keep every CTA's shared memory alive until rank 0 has read it
}

static void run_reduce(int csize) {
  const int threads = 128, blocks = 32;
  std::vector<int> h(threads * blocks);
  for (size_t i = 0; i < h.size(); i++) h[i] = (int)((i * 2654435761u) % 1000) - 500;
  int* din;
  long long* dout;
  CK(cudaMalloc(&din, h.size() * sizeof(int)));
  CK(cudaMalloc(&dout, blocks * sizeof(long long)));
  CK(cudaMemcpy(din, h.data(), h.size() * sizeof(int), cudaMemcpyHostToDevice));
  CK(cudaMemset(dout, 0, blocks * sizeof(long long)));
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(blocks);
  cfg.blockDim = dim3(threads);
  cudaLaunchAttribute a[1];
  a[0].id = cudaLaunchAttributeClusterDimension;
  a[0].val.clusterDim.x = csize;
  a[0].val.clusterDim.y = 1;
  a[0].val.clusterDim.z = 1;
  cfg.attrs = a;
  cfg.numAttrs = 1;
  CK(cudaLaunchKernelEx(&cfg, cluster_reduce, (const int*)din, dout));
  CK(cudaDeviceSynchronize());
  std::vector<long long> o(blocks);
  CK(cudaMemcpy(o.data(), dout, o.size() * sizeof(long long), cudaMemcpyDeviceToHost));
  int bad = 0;
  long long total = 0;
  for (int c = 0; c < blocks / csize; c++) {
    long long e = 0;
    for (int i = c * csize * threads; i < (c + 1) * csize * threads; i++) e += h[i];
    if (o[c] != e) bad++;
    total += o[c] * (c + 1);
  }
  char what[64];
  snprintf(what, sizeof what, "cluster reduction, clusters of %d", csize);
  report(what, bad == 0, total);
  CK(cudaFree(din));
  CK(cudaFree(dout));
}

// ---------------------------------------------------------------- the programming guide's histogram
__global__ void clusterHist_kernel(int* bins, const int nbins, const int bins_per_block, const int* __restrict__ input,
                                   size_t array_size) {
  extern __shared__ int smem[];
  int tid = cg::this_grid().thread_rank();
  cg::cluster_group cluster = cg::this_cluster();
  unsigned int clusterBlockRank = cluster.block_rank();
  int cluster_size = cluster.dim_blocks().x;
  for (int i = threadIdx.x; i < bins_per_block; i += blockDim.x) smem[i] = 0;
  cluster.sync();
  for (int i = tid; i < array_size; i += blockDim.x * gridDim.x) {
    int ldata = input[i];
    int binid = ldata;
    if (ldata < 0)
      binid = 0;
    else if (ldata >= nbins)
      binid = nbins - 1;
    int dst_block_rank = (int)(binid / bins_per_block);
    int dst_offset = binid % bins_per_block;
    int* dst_smem = cluster.map_shared_rank(smem, dst_block_rank);
    atomicAdd(dst_smem + dst_offset, 1);
  }
  cluster.sync();
  int* lbins = bins + cluster.block_rank() * bins_per_block;
  for (int i = threadIdx.x; i < bins_per_block; i += blockDim.x) atomicAdd(&lbins[i], smem[i]);
  (void)clusterBlockRank;
  (void)cluster_size;
}

static void run_hist(int cluster_size) {
  const int threads = 128, blocks = 16, bins_per_block = 100;
  const int nbins = cluster_size * bins_per_block;
  const size_t n = 40000;
  std::vector<int> h(n);
  unsigned s = 12345;
  for (size_t i = 0; i < n; i++) {
    s = s * 1103515245u + 12345u;
    h[i] = (int)((s >> 8) % (nbins + 40)) - 20;
  }
  int *din, *dbins;
  CK(cudaMalloc(&din, n * sizeof(int)));
  CK(cudaMalloc(&dbins, nbins * sizeof(int)));
  CK(cudaMemcpy(din, h.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  CK(cudaMemset(dbins, 0, nbins * sizeof(int)));
  cudaLaunchConfig_t config = {};
  config.gridDim = blocks;
  config.blockDim = threads;
  config.dynamicSmemBytes = bins_per_block * sizeof(int);
  CK(cudaFuncSetAttribute((void*)clusterHist_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                          config.dynamicSmemBytes));
  cudaLaunchAttribute attribute[1];
  attribute[0].id = cudaLaunchAttributeClusterDimension;
  attribute[0].val.clusterDim.x = cluster_size;
  attribute[0].val.clusterDim.y = 1;
  attribute[0].val.clusterDim.z = 1;
  config.numAttrs = 1;
  config.attrs = attribute;
  CK(cudaLaunchKernelEx(&config, clusterHist_kernel, dbins, nbins, bins_per_block, (const int*)din, n));
  CK(cudaDeviceSynchronize());
  // every cluster adds its whole-input histogram: blocks / cluster_size times the host's
  std::vector<int> got(nbins), e(nbins, 0);
  CK(cudaMemcpy(got.data(), dbins, nbins * sizeof(int), cudaMemcpyDeviceToHost));
  for (size_t i = 0; i < n; i++) {
    int b = h[i] < 0 ? 0 : h[i] >= nbins ? nbins - 1 : h[i];
    e[b] += 1;
  }
  int bad = 0;
  long long sum = 0;
  for (int b = 0; b < nbins; b++) {
    (void)0;
    if (got[b] != e[b]) bad++;
    sum += (long long)got[b] * (b + 1);
  }
  char what[64];
  snprintf(what, sizeof what, "distributed-shared-memory histogram, clusters of %d", cluster_size);
  report(what, bad == 0, sum);
  CK(cudaFree(din));
  CK(cudaFree(dbins));
}

// ---------------------------------------------------------------- split arrive/wait ring exchange
__global__ void ring_exchange(int* out, int rounds) {
  cg::cluster_group cl = cg::this_cluster();
  __shared__ int box[2][64];
  unsigned r = cl.block_rank(), n = cl.num_blocks();
  int acc = 0;
  int val = (int)(r * 1000 + threadIdx.x);
  for (int k = 0; k < rounds; k++) {
    box[k & 1][threadIdx.x] = val;
    cl.barrier_arrive();
    int unrelated = (int)threadIdx.x * k;  // work between arrive and wait
    cl.barrier_wait();
    int* next = cl.map_shared_rank(&box[k & 1][0], (r + 1) % n);
    val = next[(threadIdx.x + 1) % blockDim.x] + 1;
    acc += val + unrelated;
  }
  cl.sync();
  out[blockIdx.x * blockDim.x + threadIdx.x] = acc;
}

static void run_ring(int csize, bool nonportable) {
  const int threads = 64, blocks = 32, rounds = 5;
  int* d;
  CK(cudaMalloc(&d, threads * blocks * sizeof(int)));
  if (nonportable) CK(cudaFuncSetAttribute((void*)ring_exchange, cudaFuncAttributeNonPortableClusterSizeAllowed, 1));
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(blocks);
  cfg.blockDim = dim3(threads);
  cudaLaunchAttribute a[1];
  a[0].id = cudaLaunchAttributeClusterDimension;
  a[0].val.clusterDim.x = csize;
  a[0].val.clusterDim.y = 1;
  a[0].val.clusterDim.z = 1;
  cfg.attrs = a;
  cfg.numAttrs = 1;
  CK(cudaLaunchKernelEx(&cfg, ring_exchange, d, rounds));
  CK(cudaDeviceSynchronize());
  std::vector<int> h(threads * blocks);
  CK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
  CK(cudaFree(d));
  int bad = 0;
  long long sum = 0;
  for (int b = 0; b < blocks; b++) {
    int r = b % csize;
    // host model: val[r][t] per round
    std::vector<std::vector<int>> val(csize, std::vector<int>(threads)), acc(csize, std::vector<int>(threads, 0));
    for (int q = 0; q < csize; q++)
      for (int t = 0; t < threads; t++) val[q][t] = q * 1000 + t;
    for (int k = 0; k < rounds; k++) {
      auto old = val;
      for (int q = 0; q < csize; q++)
        for (int t = 0; t < threads; t++) {
          val[q][t] = old[(q + 1) % csize][(t + 1) % threads] + 1;
          acc[q][t] += val[q][t] + t * k;
        }
    }
    for (int t = 0; t < threads; t++) {
      if (h[b * threads + t] != acc[r][t]) bad++;
      sum += (long long)h[b * threads + t] * (t + 1);
    }
  }
  char what[80];
  snprintf(what, sizeof what, "ring exchange (barrier_arrive/barrier_wait), clusters of %d%s", csize,
           nonportable ? " (non-portable)" : "");
  report(what, bad == 0, sum);
}

// ---------------------------------------------------------------- address spaces and inline PTX
__global__ void spaces(int* out, int* global_ptr) {
  cg::cluster_group cl = cg::this_cluster();
  __shared__ int word[4];
  __shared__ unsigned long long bar;
  __shared__ __align__(16) int bulk_src[8];
  __shared__ __align__(16) int bulk_dst[8];
  unsigned r = cl.block_rank(), n = cl.num_blocks();
  unsigned peer = (r + 1) % n;
  if (threadIdx.x < 4) word[threadIdx.x] = (int)(r * 10 + threadIdx.x);
  if (threadIdx.x < 8) {
    bulk_src[threadIdx.x] = (int)(r * 100 + threadIdx.x);
    bulk_dst[threadIdx.x] = -1;
  }
  if (threadIdx.x == 0) {
    unsigned a = (unsigned)__cvta_generic_to_shared(&bar);
    // one arrival per phase: the predecessor's remote arrive (phase 0), then my own
    // arrive.expect_tx whose bytes the predecessor's bulk copy completes (phase 1)
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(a));
  }
  cl.sync();
  int* o = out + blockIdx.x * 16;
  if (threadIdx.x == 0) {
    int* remote = cl.map_shared_rank(&word[0], peer);
    o[0] = __isCtaShared(&word[0]) | (__isClusterShared(&word[0]) << 1) | (__isCtaShared(remote) << 2) |
           (__isClusterShared(remote) << 3) | (__isCtaShared(global_ptr) << 4) | (__isClusterShared(global_ptr) << 5);
    o[1] = cl.query_shared_rank(remote) | (cl.query_shared_rank(&word[1]) << 8);
    // 32-bit shared::cluster addresses: mapa, ld/st/atom through them, getctarank
    unsigned own = (unsigned)__cvta_generic_to_shared(&word[0]);
    unsigned far, rank_of_far, rank_of_own, v, old;
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(far) : "r"(own), "r"(peer));
    asm volatile("getctarank.shared::cluster.u32 %0, %1;" : "=r"(rank_of_far) : "r"(far));
    asm volatile("getctarank.shared::cluster.u32 %0, %1;" : "=r"(rank_of_own) : "r"(own));
    asm volatile("ld.shared::cluster.u32 %0, [%1+4];" : "=r"(v) : "r"(far));
    asm volatile("atom.shared::cluster.add.u32 %0, [%1+8], 1000;" : "=r"(old) : "r"(far) : "memory");
    o[2] = rank_of_far | (rank_of_own << 8);
    o[3] = (int)v;
    o[4] = (int)old;
    // a shared::cta address of the own CTA is a valid shared::cluster address
    unsigned mine;
    asm volatile("ld.shared::cluster.u32 %0, [%1+12];" : "=r"(mine) : "r"(own));
    o[5] = (int)mine;
    // generic mapa, and cvta between generic and shared::cluster
    unsigned long long g = (unsigned long long)&word[0], gfar, back;
    unsigned long long c;
    asm volatile("mapa.u64 %0, %1, %2;" : "=l"(gfar) : "l"(g), "r"(peer));
    o[6] = gfar == (unsigned long long)remote;
    asm volatile("cvta.to.shared::cluster.u64 %0, %1;" : "=l"(c) : "l"(gfar));
    o[7] = (unsigned)c == far;
    asm volatile("cvta.shared::cluster.u64 %0, %1;" : "=l"(back) : "l"((unsigned long long)far));
    o[8] = back == gfar;
    // arrive on the peer's mbarrier
    unsigned pb;
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;"
                 : "=r"(pb)
                 : "r"((unsigned)__cvta_generic_to_shared(&bar)), "r"(peer));
    asm volatile("mbarrier.arrive.release.cluster.shared::cluster.b64 _, [%0];" ::"r"(pb) : "memory");
  }
  if (threadIdx.x == 0) {
    // wait until every CTA's arrive on my barrier: phase 0 completes
    unsigned a = (unsigned)__cvta_generic_to_shared(&bar);
    unsigned done = 0;
    while (!done) {
      asm volatile(
          "{ .reg .pred p; mbarrier.try_wait.parity.acquire.cluster.shared::cta.b64 p, [%1], 0; selp.u32 %0, 1, 0, p; }"
          : "=r"(done)
          : "r"(a)
          : "memory");
    }
  }
  cl.sync();
  // CTA-to-CTA bulk copy: my bulk_src into the peer's bulk_dst, completing on the peer's barrier
  if (threadIdx.x == 0) {
    unsigned own_bar = (unsigned)__cvta_generic_to_shared(&bar);
    // phase 1 of my barrier: one arrival (mine) with 32 transaction bytes from my source CTA
    asm volatile("{ .reg .b64 st; mbarrier.arrive.expect_tx.shared::cta.b64 st, [%0], 32; }" ::"r"(own_bar) : "memory");
    asm volatile("fence.acq_rel.cluster;" ::: "memory");
  }
  cl.sync();
  if (threadIdx.x == 0) {
    unsigned src = (unsigned)__cvta_generic_to_shared(&bulk_src[0]);
    unsigned dst, pbar2;
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;"
                 : "=r"(dst)
                 : "r"((unsigned)__cvta_generic_to_shared(&bulk_dst[0])), "r"(peer));
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;"
                 : "=r"(pbar2)
                 : "r"((unsigned)__cvta_generic_to_shared(&bar)), "r"(peer));
    asm volatile("cp.async.bulk.shared::cluster.shared::cta.mbarrier::complete_tx::bytes [%0], [%1], 32, [%2];" ::"r"(dst),
                 "r"(src), "r"(pbar2)
                 : "memory");
    unsigned a = (unsigned)__cvta_generic_to_shared(&bar);
    unsigned done = 0;
    while (!done) {
      asm volatile(
          "{ .reg .pred p; mbarrier.try_wait.parity.acquire.cluster.shared::cta.b64 p, [%1], 1; selp.u32 %0, 1, 0, p; }"
          : "=r"(done)
          : "r"(a)
          : "memory");
    }
    int s = 0;
    for (int i = 0; i < 8; i++) s = s * 3 + bulk_dst[i];
    o[9] = s;
  }
  cl.sync();
  if (threadIdx.x == 0) {
    o[10] = word[2];  // after the peer's atom.add
  }
}

static void run_spaces(int csize) {
  const int blocks = 8, threads = 64;
  int *d, *g;
  CK(cudaMalloc(&d, blocks * 16 * sizeof(int)));
  CK(cudaMalloc(&g, sizeof(int)));
  CK(cudaMemset(d, 0, blocks * 16 * sizeof(int)));
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(blocks);
  cfg.blockDim = dim3(threads);
  cudaLaunchAttribute a[1];
  a[0].id = cudaLaunchAttributeClusterDimension;
  a[0].val.clusterDim.x = csize;
  a[0].val.clusterDim.y = 1;
  a[0].val.clusterDim.z = 1;
  cfg.attrs = a;
  cfg.numAttrs = 1;
  CK(cudaLaunchKernelEx(&cfg, spaces, d, g));
  CK(cudaDeviceSynchronize());
  std::vector<int> h(blocks * 16);
  CK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
  CK(cudaFree(d));
  CK(cudaFree(g));
  for (int b = 0; b < 2; b++) {
    const int* o = &h[b * 16];
    printf("  cluster of %d, block %d: isspace %#x, query_shared_rank %#x, getctarank %#x, ld %d, atom old %d, own %d,"
           " mapa.u64 %d, cvta.to %d, cvta %d, bulk %d, after atom %d\n",
           csize, b, o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], o[10]);
  }
  int bad = 0;
  for (int b = 0; b < blocks; b++) {
    const int* o = &h[b * 16];
    int r = b % csize, peer = (r + 1) % csize;
    // the copy goes from my source into my peer's destination: my destination holds my
    // predecessor's source
    int pred = (r + csize - 1) % csize;
    int bulk = 0;
    for (int i = 0; i < 8; i++) bulk = bulk * 3 + pred * 100 + i;
    int e[11] = {0xb, peer | (r << 8), peer | (r << 8), peer * 10 + 1, peer * 10 + 2, r * 10 + 3, 1, 1, 1, bulk,
                 r * 10 + 2 + 1000};
    for (int i = 0; i < 11; i++)
      if (i != 0 && o[i] != e[i]) {
        if (bad < 4) fprintf(stderr, "spaces(%d) block %d field %d = %d, expected %d\n", csize, b, i, o[i], e[i]);
        bad++;
      }
  }
  char what[64];
  snprintf(what, sizeof what, "shared::cluster addressing, clusters of %d", csize);
  report(what, bad == 0, bad);
}

// ---------------------------------------------------------------- errors and attributes
__global__ void plain(int* p) {
  if (p) p[blockIdx.x] = cg::this_cluster().block_rank();
}
__global__ void __cluster_dims__(4, 1, 1) fixed4(int* p) {
  if (p) p[blockIdx.x] = cg::this_cluster().block_rank();
}

static cudaError_t launch_cluster(const void* k, dim3 grid, dim3 cl, unsigned threads) {
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = grid;
  cfg.blockDim = dim3(threads);
  cudaLaunchAttribute a[1];
  a[0].id = cudaLaunchAttributeClusterDimension;
  a[0].val.clusterDim.x = cl.x;
  a[0].val.clusterDim.y = cl.y;
  a[0].val.clusterDim.z = cl.z;
  cfg.attrs = a;
  cfg.numAttrs = 1;
  int* nul = nullptr;
  void* args[] = {&nul};
  return cudaLaunchKernelExC(&cfg, k, args);
}

static void errors() {
  struct Case {
    const char* what;
    const void* k;
    dim3 grid, cl;
    unsigned threads;
  } cases[] = {
      {"grid 6 not a multiple of cluster 4", (const void*)plain, dim3(6), dim3(4), 32},
      {"grid (4,3) not a multiple of cluster (2,2)", (const void*)plain, dim3(4, 3), dim3(2, 2), 32},
      {"cluster 16 without the non-portable attribute", (const void*)plain, dim3(16), dim3(16), 32},
      {"cluster 32", (const void*)plain, dim3(32), dim3(32), 32},
      {"cluster (8,2,1)", (const void*)plain, dim3(8, 2), dim3(8, 2), 32},
      {"cluster (0,1,1)", (const void*)plain, dim3(4), dim3(0, 1, 1), 32},
      {"cluster 3 (not a power of two), grid 6", (const void*)plain, dim3(6), dim3(3), 32},
      {"cluster 8 of 1024 threads", (const void*)plain, dim3(8), dim3(8), 1024},
      {"__cluster_dims__(4) kernel with cluster attribute 2", (const void*)fixed4, dim3(8), dim3(2), 32},
      {"__cluster_dims__(4) kernel with cluster attribute 4", (const void*)fixed4, dim3(8), dim3(4), 32},
      {"__cluster_dims__(4) kernel with cluster attribute 1", (const void*)fixed4, dim3(8), dim3(1), 32},
  };
  for (auto& c : cases) {
    cudaError_t e = launch_cluster(c.k, c.grid, c.cl, c.threads);
    cudaError_t last = cudaGetLastError();
    cudaError_t sync = cudaDeviceSynchronize();
    printf("  %s: cudaLaunchKernelEx -> %s, cudaGetLastError -> %s, sync -> %s\n", c.what, cudaGetErrorName(e),
           cudaGetErrorName(last), cudaGetErrorName(sync));
  }
  // __cluster_dims__ kernel launched with <<<>>>: grid not divisible by the compiled cluster
  fixed4<<<6, 32>>>(nullptr);
  cudaError_t e = cudaGetLastError();
  printf("  __cluster_dims__(4) kernel <<<6, 32>>> -> %s, sync -> %s\n", cudaGetErrorName(e),
         cudaGetErrorName(cudaDeviceSynchronize()));
  fixed4<<<8, 32>>>(nullptr);
  e = cudaGetLastError();
  printf("  __cluster_dims__(4) kernel <<<8, 32>>> -> %s, sync -> %s\n", cudaGetErrorName(e),
         cudaGetErrorName(cudaDeviceSynchronize()));

  int v = -1;
  CK(cudaDeviceGetAttribute(&v, cudaDevAttrClusterLaunch, 0));
  printf("  cudaDevAttrClusterLaunch = %d\n", v);

  // occupancy
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(64);
  cfg.blockDim = dim3(128);
  int size = -1;
  CK(cudaOccupancyMaxPotentialClusterSize(&size, (void*)plain, &cfg));
  printf("  cudaOccupancyMaxPotentialClusterSize(plain, 128 threads) = %d\n", size);
  CK(cudaFuncSetAttribute((void*)plain, cudaFuncAttributeNonPortableClusterSizeAllowed, 1));
  CK(cudaOccupancyMaxPotentialClusterSize(&size, (void*)plain, &cfg));
  printf("  ... with the non-portable attribute = %d\n", size);
  cudaLaunchAttribute a[1];
  a[0].id = cudaLaunchAttributeClusterDimension;
  a[0].val.clusterDim.x = 2;
  a[0].val.clusterDim.y = 1;
  a[0].val.clusterDim.z = 1;
  cfg.attrs = a;
  cfg.numAttrs = 1;
  int nclusters = -1;
  CK(cudaOccupancyMaxActiveClusters(&nclusters, (void*)plain, &cfg));
  printf("  cudaOccupancyMaxActiveClusters(plain, cluster 2) positive: %d\n", nclusters > 0);
  a[0].val.clusterDim.x = 32;
  cudaError_t oe = cudaOccupancyMaxActiveClusters(&nclusters, (void*)plain, &cfg);
  printf("  cudaOccupancyMaxActiveClusters(plain, cluster 32) -> %s\n", cudaGetErrorName(oe));
  cudaGetLastError();

  // now the non-portable 16 launches
  e = launch_cluster((const void*)plain, dim3(16), dim3(16), 32);
  printf("  cluster 16 with the non-portable attribute -> %s, sync -> %s\n", cudaGetErrorName(e),
         cudaGetErrorName(cudaDeviceSynchronize()));

  // function attributes through the driver
  cudaFunction_t f4, fp;
  CK(cudaGetFuncBySymbol(&f4, (const void*)fixed4));
  CK(cudaGetFuncBySymbol(&fp, (const void*)plain));
  CUfunction_attribute attrs[] = {CU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET, CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH,
                                  CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_HEIGHT, CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_DEPTH,
                                  CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED,
                                  CU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE};
  const char* names[] = {"CLUSTER_SIZE_MUST_BE_SET", "REQUIRED_CLUSTER_WIDTH", "REQUIRED_CLUSTER_HEIGHT",
                         "REQUIRED_CLUSTER_DEPTH", "NON_PORTABLE_CLUSTER_SIZE_ALLOWED",
                         "CLUSTER_SCHEDULING_POLICY_PREFERENCE"};
  for (int i = 0; i < 6; i++) {
    int x = -1, y = -1;
    CUresult r1 = cuFuncGetAttribute(&x, attrs[i], (CUfunction)f4);
    CUresult r2 = cuFuncGetAttribute(&y, attrs[i], (CUfunction)fp);
    printf("  cuFuncGetAttribute(%s): fixed4 %s %d, plain %s %d\n", names[i], drv_name(r1), x, drv_name(r2), y);
  }
  // setting the required width on a kernel without __cluster_dims__
  CUresult sr = cuFuncSetAttribute((CUfunction)fp, CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH, 2);
  printf("  cuFuncSetAttribute(plain, REQUIRED_CLUSTER_WIDTH, 2) -> %s\n", drv_name(sr));
  sr = cuFuncSetAttribute((CUfunction)f4, CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH, 2);
  printf("  cuFuncSetAttribute(fixed4, REQUIRED_CLUSTER_WIDTH, 2) -> %s\n", drv_name(sr));

  // the driver's cuLaunchKernelEx
  struct DCase {
    const char* what;
    CUfunction f;
    unsigned gx, cx, cy;
  } dcases[] = {
      {"cuLaunchKernelEx plain grid 8 cluster 2", (CUfunction)fp, 8, 2, 1},
      {"cuLaunchKernelEx plain grid 6 cluster 4", (CUfunction)fp, 6, 4, 1},
      {"cuLaunchKernelEx plain grid 32 cluster 32", (CUfunction)fp, 32, 32, 1},
      {"cuLaunchKernelEx plain grid 8 cluster (0,1)", (CUfunction)fp, 8, 0, 1},
      {"cuLaunchKernelEx fixed4 grid 8 cluster 2", (CUfunction)f4, 8, 2, 1},
      {"cuLaunchKernelEx fixed4 grid 6 no attribute", (CUfunction)f4, 6, 0, 0},
  };
  for (auto& c : dcases) {
    CUlaunchConfig lc = {};
    lc.gridDimX = c.gx;
    lc.gridDimY = 1;
    lc.gridDimZ = 1;
    lc.blockDimX = 32;
    lc.blockDimY = 1;
    lc.blockDimZ = 1;
    CUlaunchAttribute la[1];
    la[0].id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
    la[0].value.clusterDim.x = c.cx;
    la[0].value.clusterDim.y = c.cy;
    la[0].value.clusterDim.z = 1;
    lc.attrs = la;
    lc.numAttrs = c.cy == 0 ? 0 : 1;
    int* nul = nullptr;
    void* args[] = {&nul};
    CUresult r = cuLaunchKernelEx(&lc, c.f, args, nullptr);
    CUresult s = cuCtxSynchronize();
    printf("  %s -> %s, sync -> %s\n", c.what, drv_name(r), drv_name(s));
  }
  cudaGetLastError();
}

int main() {
  // geometry: __cluster_dims__, launch attribute, 2-D and 3-D clusters, implicit clusters
  run_info("info: __cluster_dims__(2,1,1), grid 8, <<<>>>", info_fixed, dim3(8), dim3(2, 1, 1), 64, false, 1);
  run_info("info: __cluster_dims__(2,2,1), grid (4,4,2), <<<>>>", info_fixed_2d, dim3(4, 4, 2), dim3(2, 2, 1), 32, false,
           1);
  run_info("info: no cluster, grid (3,2,1), <<<>>>", info_any, dim3(3, 2, 1), dim3(1, 1, 1), 96, false, 0);
  run_info("info: attribute cluster 1, grid 4", info_any, dim3(4), dim3(1, 1, 1), 32, true, 1);
  run_info("info: attribute cluster 4, grid 16", info_any, dim3(16), dim3(4, 1, 1), 128, true, 1);
  run_info("info: attribute cluster 8, grid 16", info_any, dim3(16), dim3(8, 1, 1), 32, true, 1);
  run_info("info: attribute cluster (2,2,2), grid (4,2,4)", info_any, dim3(4, 2, 4), dim3(2, 2, 2), 64, true, 1);
  run_info("info: attribute cluster (1,4,1), grid (2,8,1)", info_any, dim3(2, 8, 1), dim3(1, 4, 1), 32, true, 1);
  run_info("info: __cluster_dims__(2,2,1), grid (4,4,2), graph capture", info_fixed_2d, dim3(4, 4, 2), dim3(2, 2, 1), 32,
           false, 1, true);
  run_info("info: attribute cluster 4, grid 16, graph capture", info_any, dim3(16), dim3(4, 1, 1), 64, true, 1, true);
  for (int c : {1, 2, 4, 8}) run_reduce(c);
  for (int c : {2, 4}) run_hist(c);
  for (int c : {2, 4, 8}) run_ring(c, false);
  run_ring(16, true);
  for (int c : {2, 4}) run_spaces(c);
  printf("errors and attributes:\n");
  errors();
  printf("%s\n", failures == 0 ? "PASS" : "FAIL");
  return failures == 0 ? 0 : 1;
}
