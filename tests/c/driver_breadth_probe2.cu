// Follow-up to driver_breadth_probe.cu: when may a graph get a free node for its own
// allocation, and how NVIDIA's driver accounts graph memory (USED/RESERVED attributes around
// launches, frees and trims). Run on an H100 (driver 580.159.04, 2026-11-26): a free node is
// refused once the graph was instantiated (even after the executable is destroyed); USED and
// RESERVED both read the backing memory in 32 MiB chunks (40 MiB → 64 MiB), unchanged by
// frees, back to 0 after cuDeviceGraphMemTrim. cuemu's answers are the same, line for line.
// Build: nvcc -o probe2 driver_breadth_probe2.cu -lcuda
#include <cuda.h>
#include <cstdio>
#include <cstring>
#define R(name, call) do { CUresult r_ = (call); printf("%-44s %d\n", name, (int)r_); } while (0)
static CUDA_MEM_ALLOC_NODE_PARAMS ap(size_t n) {
  CUDA_MEM_ALLOC_NODE_PARAMS p; memset(&p, 0, sizeof p);
  p.poolProps.allocType = CU_MEM_ALLOCATION_TYPE_PINNED; p.poolProps.location.type = CU_MEM_LOCATION_TYPE_DEVICE; p.bytesize = n; return p;
}
static void mem(const char* when) {
  cuuint64_t u, uh, r, rh; CUdevice d = 0;
  cuDeviceGetGraphMemAttribute(d, CU_GRAPH_MEM_ATTR_USED_MEM_CURRENT, &u); cuDeviceGetGraphMemAttribute(d, CU_GRAPH_MEM_ATTR_USED_MEM_HIGH, &uh);
  cuDeviceGetGraphMemAttribute(d, CU_GRAPH_MEM_ATTR_RESERVED_MEM_CURRENT, &r); cuDeviceGetGraphMemAttribute(d, CU_GRAPH_MEM_ATTR_RESERVED_MEM_HIGH, &rh);
  printf("  %-30s used %llu high %llu reserved %llu high %llu\n", when, (unsigned long long)u, (unsigned long long)uh, (unsigned long long)r, (unsigned long long)rh);
}
int main() {
  setvbuf(stdout, nullptr, _IONBF, 0);
  cuInit(0); CUdevice dev; cuDeviceGet(&dev, 0); CUcontext ctx; cuDevicePrimaryCtxRetain(&ctx, dev); cuCtxSetCurrent(ctx);
  CUstream s; cuStreamCreate(&s, CU_STREAM_NON_BLOCKING);
  CUgraphNode a, x, y; CUgraphExec e;
  for (int v = 1; v <= 5; ++v) {
    CUgraph g; cuGraphCreate(&g, 0);
    CUDA_MEM_ALLOC_NODE_PARAMS p = ap(4096); cuGraphAddMemAllocNode(&a, g, nullptr, 0, &p);
    if (v != 3) cuGraphInstantiate(&e, g, 0);
    if (v == 2) cuGraphExecDestroy(e);
    char n[64];
    if (v == 4) {
      CUDA_MEMSET_NODE_PARAMS m; memset(&m, 0, sizeof m); m.dst = p.dptr; m.elementSize = 4; m.width = 4; m.height = 1;
      snprintf(n, 64, "v4.instantiated.add-memset"); R(n, cuGraphAddMemsetNode(&x, g, &a, 1, &m, ctx));
    } else if (v == 5) {
      CUDA_MEM_ALLOC_NODE_PARAMS q = ap(4096);
      snprintf(n, 64, "v5.instantiated.add-alloc"); R(n, cuGraphAddMemAllocNode(&x, g, &a, 1, &q));
    } else {
      snprintf(n, 64, "v%d.add-free-node", v); R(n, cuGraphAddMemFreeNode(&x, g, &a, 1, p.dptr));
    }
    if (v == 1 || v == 4 || v == 5) cuGraphExecDestroy(e);
    cuGraphDestroy(g);
  }
  // Accounting with a 40 MiB allocation freed in the graph, then one left unfreed.
  CUgraph g; cuGraphCreate(&g, 0);
  CUDA_MEM_ALLOC_NODE_PARAMS p = ap(40 << 20); cuGraphAddMemAllocNode(&a, g, nullptr, 0, &p);
  cuGraphAddMemFreeNode(&y, g, &a, 1, p.dptr);
  mem("before");
  R("acct.instantiate", cuGraphInstantiate(&e, g, 0)); mem("instantiated");
  R("acct.launch", cuGraphLaunch(e, s)); cuStreamSynchronize(s); mem("after launch (freed inside)");
  R("acct.trim", cuDeviceGraphMemTrim(dev)); mem("after trim");
  cuGraphExecDestroy(e); mem("exec destroyed"); cuDeviceGraphMemTrim(dev); mem("trim again");
  cuGraphDestroy(g);
  cuGraphCreate(&g, 0); p = ap(40 << 20); cuGraphAddMemAllocNode(&a, g, nullptr, 0, &p);
  cuGraphInstantiate(&e, g, 0); cuGraphLaunch(e, s); cuStreamSynchronize(s); mem("unfreed 40 MiB after launch");
  cuMemFreeAsync(p.dptr, s); cuStreamSynchronize(s); mem("after cuMemFreeAsync");
  cuDeviceGraphMemTrim(dev); mem("after trim");
  printf("done\n");
  return 0;
}
