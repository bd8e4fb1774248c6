// graph_attrs.cu — launch attributes of graph kernel nodes: cudaGraphKernelNodeGetAttribute /
// SetAttribute / CopyAttributes (cuGraphKernelNode*Attribute*) on added and captured nodes:
// which attributes a node reports, what setting one changes (a cluster shape the kernel then
// sees, a cooperative grid barrier), and the error codes for bad ids, values and node kinds.
// Build: nvcc -o graph_attrs graph_attrs.cu -arch=sm_90
#include "check.h"
#include <cooperative_groups.h>
#include <cstring>
namespace cg = cooperative_groups;

__global__ void cluster_size(int* out) {
  unsigned n;
  asm volatile("mov.u32 %0, %%cluster_nctarank;" : "=r"(n));
  if (threadIdx.x == 0) out[blockIdx.x] = (int)n;
}
__global__ void grid_sum(int* data, int* out) {
  cg::grid_group g = cg::this_grid();
  atomicAdd(&data[0], 1);
  g.sync();
  if (g.thread_rank() == 0) out[0] = data[0];
}

static void show(const char* what, cudaError_t e, const cudaLaunchAttributeValue* v) {
  printf("%-44s %s", what, cudaGetErrorName(e));
  if (e == cudaSuccess && v) {
    const int* w = (const int*)v;
    printf(" [%d %d %d %d %d %d %d %d]", w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
  }
  printf("\n");
}

static cudaGraphNode_t add_kernel(cudaGraph_t g, void* fn, dim3 grid, dim3 block, void** args) {
  cudaKernelNodeParams p = {};
  p.func = fn;
  p.gridDim = grid;
  p.blockDim = block;
  p.kernelParams = args;
  cudaGraphNode_t n;
  CK(cudaGraphAddKernelNode(&n, g, nullptr, 0, &p));
  return n;
}

int main() {
  setvbuf(stdout, nullptr, _IOLBF, 0);
  int *out, *data;
  CK(cudaMalloc(&out, 64 * sizeof(int)));
  CK(cudaMalloc(&data, 64 * sizeof(int)));
  cudaGraph_t g;
  CK(cudaGraphCreate(&g, 0));
  void* args1[] = {&out};
  cudaGraphNode_t k = add_kernel(g, (void*)cluster_size, dim3(4), dim3(32), args1);

  // every attribute id of a fresh node
  cudaLaunchAttributeValue v;
  char what[64];
  for (int id = 0; id <= 16; id++) {
    memset(&v, 0x5a, sizeof v);
    snprintf(what, sizeof what, "fresh node: get attribute %d", id);
    show(what, cudaGraphKernelNodeGetAttribute(k, (cudaLaunchAttributeID)id, &v), &v);
  }
  memset(&v, 0, sizeof v);
  show("get attribute 999", cudaGraphKernelNodeGetAttribute(k, (cudaLaunchAttributeID)999, &v), nullptr);
  // (a null value pointer is not tested: NVIDIA's driver 580 dereferences it and crashes)

  // priority
  for (int pr : {-3, 0, -9, 7}) {
    memset(&v, 0, sizeof v);
    v.priority = pr;
    snprintf(what, sizeof what, "set priority %d", pr);
    show(what, cudaGraphKernelNodeSetAttribute(k, cudaLaunchAttributePriority, &v), nullptr);
    memset(&v, 0x5a, sizeof v);
    show("  get priority", cudaGraphKernelNodeGetAttribute(k, cudaLaunchAttributePriority, &v), &v);
  }
  // access policy window
  memset(&v, 0, sizeof v);
  v.accessPolicyWindow.base_ptr = data;
  v.accessPolicyWindow.num_bytes = 4096;
  v.accessPolicyWindow.hitRatio = 0.5f;
  v.accessPolicyWindow.hitProp = cudaAccessPropertyPersisting;
  v.accessPolicyWindow.missProp = cudaAccessPropertyStreaming;
  show("set access policy window", cudaGraphKernelNodeSetAttribute(k, cudaLaunchAttributeAccessPolicyWindow, &v), nullptr);
  memset(&v, 0x5a, sizeof v);
  cudaError_t e = cudaGraphKernelNodeGetAttribute(k, cudaLaunchAttributeAccessPolicyWindow, &v);
  printf("  get window: %s base=%s bytes=%zu hit=%.2f props=%d/%d\n", cudaGetErrorName(e),
         v.accessPolicyWindow.base_ptr == data ? "data" : "other", v.accessPolicyWindow.num_bytes,
         v.accessPolicyWindow.hitRatio, (int)v.accessPolicyWindow.hitProp, (int)v.accessPolicyWindow.missProp);
  v.accessPolicyWindow.hitRatio = 1.5f;
  show("set window with hitRatio 1.5", cudaGraphKernelNodeSetAttribute(k, cudaLaunchAttributeAccessPolicyWindow, &v), nullptr);
  // memory sync domain
  memset(&v, 0, sizeof v);
  v.memSyncDomain = cudaLaunchMemSyncDomainRemote;
  show("set mem sync domain remote", cudaGraphKernelNodeSetAttribute(k, cudaLaunchAttributeMemSyncDomain, &v), nullptr);
  memset(&v, 0x5a, sizeof v);
  show("  get mem sync domain", cudaGraphKernelNodeGetAttribute(k, cudaLaunchAttributeMemSyncDomain, &v), &v);

  // cluster dimension: the kernel sees it
  for (int cx : {2, 3, 4}) {
    memset(&v, 0, sizeof v);
    v.clusterDim.x = cx;
    v.clusterDim.y = 1;
    v.clusterDim.z = 1;
    snprintf(what, sizeof what, "set cluster dimension %d", cx);
    show(what, cudaGraphKernelNodeSetAttribute(k, cudaLaunchAttributeClusterDimension, &v), nullptr);
    memset(&v, 0x5a, sizeof v);
    show("  get cluster dimension", cudaGraphKernelNodeGetAttribute(k, cudaLaunchAttributeClusterDimension, &v), &v);
  }
  cudaGraphExec_t x;
  CK(cudaGraphInstantiate(&x, g, 0));
  CK(cudaMemset(out, 0, 64 * sizeof(int)));
  CK(cudaGraphLaunch(x, 0));
  CK(cudaStreamSynchronize(0));
  int h[4];
  CK(cudaMemcpy(h, out, sizeof h, cudaMemcpyDeviceToHost));
  printf("kernel saw cluster sizes %d %d %d %d\n", h[0], h[1], h[2], h[3]);
  CK(cudaGraphExecDestroy(x));

  // copy attributes to a second node
  cudaGraphNode_t k2 = add_kernel(g, (void*)cluster_size, dim3(4), dim3(32), args1);
  show("copy attributes k -> k2", cudaGraphKernelNodeCopyAttributes(k2, k), nullptr);
  memset(&v, 0x5a, sizeof v);
  e = cudaGraphKernelNodeGetAttribute(k2, cudaLaunchAttributeAccessPolicyWindow, &v);
  printf("  k2 get window: %s base=%s bytes=%zu hit=%.2f props=%d/%d\n", cudaGetErrorName(e),
         v.accessPolicyWindow.base_ptr == data ? "data" : "other", v.accessPolicyWindow.num_bytes,
         v.accessPolicyWindow.hitRatio, (int)v.accessPolicyWindow.hitProp, (int)v.accessPolicyWindow.missProp);
  for (int id : {4, 8, 10}) {
    memset(&v, 0x5a, sizeof v);
    snprintf(what, sizeof what, "  k2 get attribute %d", id);
    show(what, cudaGraphKernelNodeGetAttribute(k2, (cudaLaunchAttributeID)id, &v), &v);
  }

  // a node that is not a kernel
  cudaGraphNode_t ms;
  cudaMemsetParams mp = {};
  mp.dst = data;
  mp.value = 0;
  mp.elementSize = 4;
  mp.width = 4;
  mp.height = 1;
  CK(cudaGraphAddMemsetNode(&ms, g, nullptr, 0, &mp));
  show("memset node: get priority", cudaGraphKernelNodeGetAttribute(ms, cudaLaunchAttributePriority, &v), nullptr);
  show("memset node: set priority", cudaGraphKernelNodeSetAttribute(ms, cudaLaunchAttributePriority, &v), nullptr);
  show("copy attributes memset -> k2", cudaGraphKernelNodeCopyAttributes(k2, ms), nullptr);
  CK(cudaGraphDestroy(g));

  // cooperative: a grid barrier works in a node with the attribute
  CK(cudaGraphCreate(&g, 0));
  void* args2[] = {&data, &out};
  cudaGraphNode_t c = add_kernel(g, (void*)grid_sum, dim3(8), dim3(64), args2);
  memset(&v, 0x5a, sizeof v);
  show("grid node: get cooperative", cudaGraphKernelNodeGetAttribute(c, cudaLaunchAttributeCooperative, &v), &v);
  memset(&v, 0, sizeof v);
  v.cooperative = 1;
  show("grid node: set cooperative", cudaGraphKernelNodeSetAttribute(c, cudaLaunchAttributeCooperative, &v), nullptr);
  memset(&v, 0x5a, sizeof v);
  show("  get cooperative", cudaGraphKernelNodeGetAttribute(c, cudaLaunchAttributeCooperative, &v), &v);
  CK(cudaMemset(data, 0, sizeof(int)));
  CK(cudaGraphInstantiate(&x, g, 0));
  CK(cudaGraphLaunch(x, 0));
  CK(cudaStreamSynchronize(0));
  CK(cudaMemcpy(h, out, sizeof(int), cudaMemcpyDeviceToHost));
  printf("grid barrier in a cooperative node: %d arrivals before it\n", h[0]);
  CK(cudaGraphExecDestroy(x));
  CK(cudaGraphDestroy(g));

  // a captured cudaLaunchKernelEx keeps its attributes
  cudaStream_t s;
  CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(4);
  cfg.blockDim = dim3(32);
  cfg.stream = s;
  cudaLaunchAttribute at[2];
  at[0].id = cudaLaunchAttributePriority;
  at[0].val.priority = -2;
  at[1].id = cudaLaunchAttributeClusterDimension;
  at[1].val.clusterDim.x = 2;
  at[1].val.clusterDim.y = 1;
  at[1].val.clusterDim.z = 1;
  cfg.attrs = at;
  cfg.numAttrs = 2;
  CK(cudaLaunchKernelEx(&cfg, cluster_size, out));
  CK(cudaStreamEndCapture(s, &g));
  size_t n = 0;
  CK(cudaGraphGetNodes(g, nullptr, &n));
  cudaGraphNode_t nodes[4];
  CK(cudaGraphGetNodes(g, nodes, &n));
  printf("captured graph: %zu node(s)\n", n);
  for (int id : {2, 4, 8}) {
    memset(&v, 0x5a, sizeof v);
    snprintf(what, sizeof what, "captured node: get attribute %d", id);
    show(what, cudaGraphKernelNodeGetAttribute(nodes[0], (cudaLaunchAttributeID)id, &v), &v);
  }
  CK(cudaGraphDestroy(g));
  CK(cudaStreamDestroy(s));
  printf("PASS\n");
  return 0;
}
