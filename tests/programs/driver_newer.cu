// driver_newer.cu — driver entry points of CUDA 12.2–13.0 that cudart 12.x/13.x programs use,
// written once and run against both drivers (NVIDIA's driver 580 on a real H100 records
// tests/golden/h100/driver_newer.txt; cuemu must print the same). One line per case,
// `case-name: RESULT` (CUresult names, copied values, destructor counts, handle equalities);
// nothing that differs between runs (addresses, timings).
//
// Groups: the generic graph node API (cuGraphAddNode of the 12.2 ABI and its 12.3 form with
// edge data, cuGraphNodeSetParams, cuGraphExecNodeSetParams) for every node type cuemu's graphs
// have, plus malformed parameters and unsupported types; user objects owned by the caller, by
// graphs, by clones and by executable graphs (destructor counts, polled: NVIDIA runs
// destructors on a thread of its own); cuCtxRecordEvent / cuCtxWaitEvent; cuMemcpyBatchAsync
// (12.8 ABI with failIdx, 13.0 without) and cuMemcpy3DBatchAsync (pointers with pitches,
// arrays); the 13.0 memory-pool lookups by location and allocation type; managed-memory range
// attributes after advice and prefetches; the 13.0 batch prefetch and discard.
//
// Entry points newer than the H100's CUDA 13.0 driver (cuGraphAddNode_v3,
// cuGraphNodeSetParams_v2, cuGraphNodeGetParams, cuFuncGetParamCount, cuKernelGetParamCount)
// are not called here: tests/driver_graph.rs checks them in-process.
//
// Versioned entry points are fetched with cuGetProcAddress at the ABI version that names them
// (cuGraphAddNode@12020 is the form without edge data, cuMemcpyBatchAsync@12080 the one with
// failIdx), so the program means the same thing under every cuda.h.
//
// Build: nvcc -o driver_newer driver_newer.cu -lcuda
//
// The PTX is add_one from api_behaviour.cu (`nvcc -ptx -arch=compute_75`, `.version` 7.0):
//   extern "C" __global__ void add_one(int* p, int n) {
//     int i = blockIdx.x * blockDim.x + threadIdx.x;
//     if (i < n) p[i] += 1;
//   }
#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>
#include <cuda.h>
#include "driver_case.h"

static const char* kPtx =
    ".version 7.0\n"
    ".target sm_75\n"
    ".address_size 64\n"
    ".visible .entry add_one(\n"
    "    .param .u64 add_one_param_0,\n"
    "    .param .u32 add_one_param_1\n"
    ")\n"
    "{\n"
    "    .reg .pred     %p<2>;\n"
    "    .reg .b32     %r<8>;\n"
    "    .reg .b64     %rd<5>;\n"
    "    ld.param.u64     %rd1, [add_one_param_0];\n"
    "    ld.param.u32     %r2, [add_one_param_1];\n"
    "    mov.u32     %r3, %ctaid.x;\n"
    "    mov.u32     %r4, %ntid.x;\n"
    "    mov.u32     %r5, %tid.x;\n"
    "    mad.lo.s32     %r1, %r3, %r4, %r5;\n"
    "    setp.ge.s32     %p1, %r1, %r2;\n"
    "    @%p1 bra     $L__BB0_2;\n"
    "    cvta.to.global.u64     %rd2, %rd1;\n"
    "    mul.wide.s32     %rd3, %r1, 4;\n"
    "    add.s64     %rd4, %rd2, %rd3;\n"
    "    ld.global.u32     %r6, [%rd4];\n"
    "    add.s32     %r7, %r6, 1;\n"
    "    st.global.u32     [%rd4], %r7;\n"
    "$L__BB0_2:\n"
    "    ret;\n"
    "}\n";

// ---------------------------------------------------------------------------------------------
// helpers (printing a case and CK: driver_case.h)

static std::string rv(CUresult r, const std::string& extra) { return std::string(N(r)) + " " + extra; }

static CUdevice g_dev;
static CUcontext g_ctx;
static CUmodule g_mod;
static CUfunction f_add;
static CUstream g_s;

static void init_driver() {
  CK(cuInit(0));
  CK(cuDeviceGet(&g_dev, 0));
  CK(cuDevicePrimaryCtxRetain(&g_ctx, g_dev));
  CK(cuCtxSetCurrent(g_ctx));
  CK(cuModuleLoadData(&g_mod, kPtx));
  CK(cuModuleGetFunction(&f_add, g_mod, "add_one"));
  CK(cuStreamCreate(&g_s, CU_STREAM_NON_BLOCKING));
}

static bool g_print_procs = false;
static void* proc(const char* name, int version) {
  void* p = nullptr;
  CUdriverProcAddressQueryResult st = CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
  CUresult r = cuGetProcAddress(name, &p, version, 0, &st);
  if (g_print_procs) line(fmt("proc.%s@%d", name, version).c_str(), fmt("%s status %d", N(r), (int)st));
  return p;
}

typedef CUresult (*AddNode12020)(CUgraphNode*, CUgraph, const CUgraphNode*, size_t, CUgraphNodeParams*);
typedef CUresult (*AddNode12030)(CUgraphNode*, CUgraph, const CUgraphNode*, const CUgraphEdgeData*, size_t,
                                 CUgraphNodeParams*);
typedef CUresult (*NodeSetParams12020)(CUgraphNode, CUgraphNodeParams*);
typedef CUresult (*ExecNodeSetParams12020)(CUgraphExec, CUgraphNode, CUgraphNodeParams*);
typedef CUresult (*MemcpyBatch12080)(CUdeviceptr*, CUdeviceptr*, size_t*, size_t, CUmemcpyAttributes*, size_t*,
                                     size_t, size_t*, CUstream);
typedef CUresult (*MemcpyBatch13000)(CUdeviceptr*, CUdeviceptr*, size_t*, size_t, CUmemcpyAttributes*, size_t*,
                                     size_t, CUstream);
typedef CUresult (*Memcpy3DBatch12080)(size_t, CUDA_MEMCPY3D_BATCH_OP*, size_t*, unsigned long long, CUstream);
typedef CUresult (*Memcpy3DBatch13000)(size_t, CUDA_MEMCPY3D_BATCH_OP*, unsigned long long, CUstream);

static AddNode12020 addNode1;
static AddNode12030 addNode2;
static NodeSetParams12020 nodeSetParams;
static ExecNodeSetParams12020 execNodeSetParams;
static MemcpyBatch12080 memcpyBatch1;
static MemcpyBatch13000 memcpyBatch2;
static Memcpy3DBatch12080 memcpy3DBatch1;
static Memcpy3DBatch13000 memcpy3DBatch2;

static void lookup_entry_points() {
  addNode1 = (AddNode12020)proc("cuGraphAddNode", 12020);
  addNode2 = (AddNode12030)proc("cuGraphAddNode", 12030);
  nodeSetParams = (NodeSetParams12020)proc("cuGraphNodeSetParams", 12020);
  execNodeSetParams = (ExecNodeSetParams12020)proc("cuGraphExecNodeSetParams", 12020);
  memcpyBatch1 = (MemcpyBatch12080)proc("cuMemcpyBatchAsync", 12080);
  memcpyBatch2 = (MemcpyBatch13000)proc("cuMemcpyBatchAsync", 13000);
  memcpy3DBatch1 = (Memcpy3DBatch12080)proc("cuMemcpy3DBatchAsync", 12080);
  memcpy3DBatch2 = (Memcpy3DBatch13000)proc("cuMemcpy3DBatchAsync", 13000);
}

static std::string ints(const int* v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += fmt(i ? " %d" : "%d", v[i]);
  return s;
}
static std::string read_ints(CUdeviceptr p, int n) {
  std::vector<int> v(n);
  CUresult r = cuMemcpyDtoH(v.data(), p, n * sizeof(int));
  if (r != CUDA_SUCCESS) return std::string("copy failed ") + N(r);
  return ints(v.data(), n);
}
static std::string same(const void* a, const void* b) { return a == b ? "equal" : "different"; }

// A host function that holds its stream until the gate opens (at most ~10 s).
static std::atomic<int> g_gate{0};
static std::atomic<int> g_entered{0};
static void CUDA_CB hold_fn(void*) {
  g_entered.store(1);
  for (int i = 0; i < 10000 && g_gate.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
static void hold(CUstream s) {
  g_gate.store(0);
  g_entered.store(0);
  CK(cuLaunchHostFunc(s, hold_fn, nullptr));
  for (int i = 0; i < 5000 && g_entered.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
static void release() { g_gate.store(1); }

static std::atomic<int> g_host_calls{0};
static void CUDA_CB count_host(void* p) { g_host_calls.fetch_add(1 + (int)(intptr_t)p); }

static CUgraphNodeParams zeroed(CUgraphNodeType t) {
  CUgraphNodeParams p;
  memset(&p, 0, sizeof p);
  p.type = t;
  return p;
}

// ---------------------------------------------------------------------------------------------
// the generic graph node API

static void generic_nodes() {
  const int n = 8;
  CUdeviceptr a, b, c, w;
  CK(cuMemAlloc(&a, n * 4));
  CK(cuMemAlloc(&b, n * 4));
  CK(cuMemAlloc(&c, n * 4));
  CK(cuMemAlloc(&w, 64));
  CK(cuMemsetD32(a, 10, n));
  CK(cuMemsetD32(b, 0, n));
  CK(cuMemsetD32(c, 0, n));
  CK(cuMemsetD32(w, 0, 16));
  CUevent ev;
  CK(cuEventCreate(&ev, CU_EVENT_DISABLE_TIMING));
  CUgraph g, scratch;  // probes that may add a node go to scratch, so g's results do not depend on them
  CK(cuGraphCreate(&g, 0));
  CK(cuGraphCreate(&scratch, 0));
  CUgraphNode x = nullptr;
  CUgraphNodeParams p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);

  // argument checks
  res("addnode.null-out", addNode1(nullptr, g, nullptr, 0, &p));
  res("addnode.null-params", addNode1(&x, scratch, nullptr, 0, nullptr));
  res("addnode.null-graph", addNode1(&x, nullptr, nullptr, 0, &p));
  res("addnode.null-deps-count-1", addNode1(&x, scratch, nullptr, 1, &p));
  p.reserved0[1] = 1;
  res("addnode.reserved0-set", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);
  p.reserved2 = 1;
  res("addnode.reserved2-set", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);
  ((unsigned char*)&p.kernel)[0] = 1;  // the union's first byte (asBytes in 13.1+ headers)
  res("addnode.empty-union-byte-set", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed((CUgraphNodeType)99);
  res("addnode.type-99", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed((CUgraphNodeType)-1);
  res("addnode.type-minus-1", addNode1(&x, scratch, nullptr, 0, &p));
  size_t count = 0;
  CK(cuGraphGetNodes(g, nullptr, &count));
  line("addnode.nodes-after-errors", fmt("%zu", count));

  // empty
  CUgraphNode nEmpty = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);
  res("addnode.empty", addNode1(&nEmpty, g, nullptr, 0, &p));
  CUgraphNodeType t;
  CK(cuGraphNodeGetType(nEmpty, &t));
  line("addnode.empty-type", fmt("%d", (int)t));
  CUgraphNode dup[2] = {nEmpty, nEmpty};
  res("addnode.duplicate-deps", addNode1(&x, g, dup, 2, &p));

  // kernel: a[i] += 1
  CUdeviceptr ka = a;
  int kn = n;
  void* kargs[] = {&ka, &kn};
  CUgraphNode nKernel = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_KERNEL);
  p.kernel.func = f_add;
  p.kernel.gridDimX = p.kernel.gridDimY = p.kernel.gridDimZ = 1;
  p.kernel.blockDimX = 32;
  p.kernel.blockDimY = p.kernel.blockDimZ = 1;
  p.kernel.kernelParams = kargs;
  res("addnode.kernel", addNode1(&nKernel, g, &nEmpty, 1, &p));
  kn = 0;  // the node copied the arguments
  CUgraphNodeParams bad = p;
  bad.kernel.func = nullptr;
  res("addnode.kernel-no-function", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  bad.kernel.blockDimX = 0;
  res("addnode.kernel-block-0", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  bad.kernel.blockDimX = 2048;
  res("addnode.kernel-block-2048", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  ((unsigned char*)&bad.kernel)[sizeof(CUDA_KERNEL_NODE_PARAMS_v3)] = 1;
  res("addnode.kernel-byte-past-member", addNode1(&x, scratch, nullptr, 0, &bad));
  kn = n;
  CK(cuGraphNodeGetType(nKernel, &t));
  line("addnode.kernel-type", fmt("%d", (int)t));
  CUDA_KERNEL_NODE_PARAMS kp;
  memset(&kp, 0, sizeof kp);
  CK(cuGraphKernelNodeGetParams(nKernel, &kp));
  line("addnode.kernel-readback", fmt("func %s block %u n %d", same(kp.func, f_add).c_str(), kp.blockDimX,
                                      kp.kernelParams ? *(int*)kp.kernelParams[1] : -1));

  // memcpy a -> b, after the kernel
  CUgraphNode nCopy = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_MEMCPY);
  p.memcpy.copyCtx = g_ctx;
  p.memcpy.copyParams.srcMemoryType = CU_MEMORYTYPE_DEVICE;
  p.memcpy.copyParams.srcDevice = a;
  p.memcpy.copyParams.dstMemoryType = CU_MEMORYTYPE_DEVICE;
  p.memcpy.copyParams.dstDevice = b;
  p.memcpy.copyParams.WidthInBytes = n * 4;
  p.memcpy.copyParams.Height = 1;
  p.memcpy.copyParams.Depth = 1;
  res("addnode.memcpy", addNode1(&nCopy, g, &nKernel, 1, &p));
  bad = p;
  bad.memcpy.flags = 1;
  res("addnode.memcpy-flags-1", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  bad.memcpy.copyCtx = nullptr;
  res("addnode.memcpy-null-ctx", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  bad.memcpy.copyParams.WidthInBytes = n * 4 + 4096;
  res("addnode.memcpy-overrun", addNode1(&x, scratch, nullptr, 0, &bad));

  // memset c = 7 (no dependencies)
  CUgraphNode nSet = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_MEMSET);
  p.memset.dst = c;
  p.memset.value = 7;
  p.memset.elementSize = 4;
  p.memset.width = n;
  p.memset.height = 1;
  p.memset.ctx = g_ctx;
  res("addnode.memset", addNode1(&nSet, g, nullptr, 0, &p));
  bad = p;
  bad.memset.elementSize = 3;
  res("addnode.memset-element-3", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  bad.memset.ctx = nullptr;
  res("addnode.memset-null-ctx", addNode1(&x, scratch, nullptr, 0, &bad));
  CUDA_MEMSET_NODE_PARAMS mp;
  CK(cuGraphMemsetNodeGetParams(nSet, &mp));
  line("addnode.memset-readback", fmt("value %u elem %u width %zu", mp.value, mp.elementSize, mp.width));

  // host, through the 12.3 form with (zeroed) edge data
  CUgraphNode nHost = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_HOST);
  p.host.fn = count_host;
  p.host.userData = (void*)0;
  CUgraphEdgeData ed[2];
  memset(ed, 0, sizeof ed);
  CUgraphNode hostDeps[2] = {nCopy, nSet};
  res("addnode-v2.host-edge-data", addNode2(&nHost, g, hostDeps, ed, 2, &p));
  bad = p;
  bad.host.fn = nullptr;
  res("addnode-v2.host-null-fn", addNode2(&x, scratch, nullptr, nullptr, 0, &bad));
  bad = p;
  *(unsigned int*)((char*)&bad.host + 16) = 7;  // syncMode (13.1+ headers), after fn and userData
  res("addnode-v2.host-sync-mode-7", addNode2(&x, scratch, nullptr, nullptr, 0, &bad));
  CUgraphEdgeData edBad;
  memset(&edBad, 0, sizeof edBad);
  edBad.to_port = 1;
  res("addnode-v2.edge-to-port-1", addNode2(&x, g, &nEmpty, &edBad, 1, &p));
  memset(&edBad, 0, sizeof edBad);
  edBad.reserved[0] = 1;
  res("addnode-v2.edge-reserved-set", addNode2(&x, g, &nEmpty, &edBad, 1, &p));
  memset(&edBad, 0, sizeof edBad);
  edBad.type = CU_GRAPH_DEPENDENCY_TYPE_PROGRAMMATIC;
  res("addnode-v2.edge-programmatic-from-empty", addNode2(&x, g, &nEmpty, &edBad, 1, &p));
  // a programmatic edge between two kernels (in scratch)
  CUgraphNode k1 = nullptr, k2 = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_KERNEL);
  p.kernel.func = f_add;
  p.kernel.gridDimX = p.kernel.gridDimY = p.kernel.gridDimZ = 1;
  p.kernel.blockDimX = 32;
  p.kernel.blockDimY = p.kernel.blockDimZ = 1;
  p.kernel.kernelParams = kargs;
  CK(addNode1(&k1, scratch, nullptr, 0, &p));
  memset(&edBad, 0, sizeof edBad);
  edBad.type = CU_GRAPH_DEPENDENCY_TYPE_PROGRAMMATIC;
  res("addnode-v2.edge-programmatic-kernel-to-kernel", addNode2(&k2, scratch, &k1, &edBad, 1, &p));
  memset(&edBad, 0, sizeof edBad);
  edBad.from_port = 3;
  res("addnode-v2.edge-from-port-3", addNode2(&x, scratch, &k1, &edBad, 1, &p));
  CK(cuGraphGetNodes(g, nullptr, &count));
  line("addnode.nodes-so-far", fmt("%zu", count));

  // event record / wait
  CUgraphNode nRec = nullptr, nWait = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_EVENT_RECORD);
  p.eventRecord.event = ev;
  res("addnode.event-record", addNode1(&nRec, g, &nHost, 1, &p));
  p.eventRecord.event = nullptr;
  res("addnode.event-record-null-event", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_WAIT_EVENT);
  p.eventWait.event = ev;
  res("addnode.event-wait", addNode1(&nWait, g, nullptr, 0, &p));
  p.eventWait.event = nullptr;
  res("addnode.event-wait-null-event", addNode1(&x, scratch, nullptr, 0, &p));

  // batch mem op: write 0x55 to w
  CUstreamBatchMemOpParams op;
  memset(&op, 0, sizeof op);
  op.writeValue.operation = CU_STREAM_MEM_OP_WRITE_VALUE_32;
  op.writeValue.address = w;
  op.writeValue.value = 0x55;
  CUgraphNode nOps = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_BATCH_MEM_OP);
  p.memOp.ctx = g_ctx;
  p.memOp.count = 1;
  p.memOp.paramArray = &op;
  res("addnode.batch-mem-op", addNode1(&nOps, g, &nRec, 1, &p));
  bad = p;
  bad.memOp.count = 0;
  res("addnode.batch-mem-op-count-0", addNode1(&x, scratch, nullptr, 0, &bad));

  // child graph, cloned: c2 holds a memset of w+4 to 9
  CUgraph child;
  CK(cuGraphCreate(&child, 0));
  CUDA_MEMSET_NODE_PARAMS cm = {};
  cm.dst = w + 4;
  cm.value = 9;
  cm.elementSize = 4;
  cm.width = 1;
  cm.height = 1;
  CUgraphNode childSet;
  CK(cuGraphAddMemsetNode(&childSet, child, nullptr, 0, &cm, g_ctx));
  CUgraphNode nChild = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_GRAPH);
  p.graph.graph = child;
  p.graph.ownership = CU_GRAPH_CHILD_GRAPH_OWNERSHIP_CLONE;
  res("addnode.child-clone", addNode1(&nChild, g, nullptr, 0, &p));
  CUgraph embedded = nullptr;
  CK(cuGraphChildGraphNodeGetGraph(nChild, &embedded));
  line("addnode.child-clone-graph", same(embedded, child));
  bad = p;
  bad.graph.ownership = (CUgraphChildGraphNodeOwnership)2;
  res("addnode.child-ownership-2", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  bad.graph.ownership = (CUgraphChildGraphNodeOwnership)-1;  // _INVALID (13.x headers after 13.0)
  res("addnode.child-ownership-invalid", addNode1(&x, scratch, nullptr, 0, &bad));
  bad = p;
  bad.graph.graph = nullptr;
  res("addnode.child-null-graph", addNode1(&x, scratch, nullptr, 0, &bad));
  // (the graph itself as its own child: NVIDIA's driver 580 dies with SIGSEGV; not compared)
  CUgraph moved;
  CK(cuGraphCreate(&moved, 0));
  CUgraphNode movedEmpty;
  CK(cuGraphAddEmptyNode(&movedEmpty, moved, nullptr, 0));
  CUgraphNode nMoved = nullptr;
  bad = p;
  bad.graph.graph = moved;
  bad.graph.ownership = CU_GRAPH_CHILD_GRAPH_OWNERSHIP_MOVE;
  res("addnode.child-move", addNode1(&nMoved, g, nullptr, 0, &bad));
  CK(cuGraphChildGraphNodeGetGraph(nMoved, &embedded));
  line("addnode.child-move-graph", same(embedded, moved));

  // unsupported here: conditional without a handle, external semaphores without semaphores
  p = zeroed(CU_GRAPH_NODE_TYPE_CONDITIONAL);
  res("addnode.conditional-no-handle", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EXT_SEMAS_SIGNAL);
  res("addnode.ext-sem-signal-empty", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EXT_SEMAS_WAIT);
  res("addnode.ext-sem-wait-empty", addNode1(&x, scratch, nullptr, 0, &p));
  p = zeroed((CUgraphNodeType)14);
  res("addnode.type-14-empty", addNode1(&x, scratch, nullptr, 0, &p));

  CK(cuGraphGetNodes(g, nullptr, &count));
  line("addnode.nodes-before-launch", fmt("%zu", count));

  // cuGraphNodeSetParams on the graph
  p = zeroed(CU_GRAPH_NODE_TYPE_MEMSET);
  p.memset.dst = c;
  p.memset.value = 8;
  p.memset.elementSize = 4;
  p.memset.width = n;
  p.memset.height = 1;
  p.memset.ctx = g_ctx;
  res("setparams.memset", nodeSetParams(nSet, &p));
  CK(cuGraphMemsetNodeGetParams(nSet, &mp));
  line("setparams.memset-readback", fmt("value %u", mp.value));
  res("setparams.memset-on-kernel-node", nodeSetParams(nKernel, &p));
  res("setparams.null-params", nodeSetParams(nSet, nullptr));
  res("setparams.null-node", nodeSetParams(nullptr, &p));
  p.reserved0[0] = 1;
  res("setparams.reserved0-set", nodeSetParams(nSet, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);
  res("setparams.empty", nodeSetParams(nEmpty, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EVENT_RECORD);
  CUevent ev2;
  CK(cuEventCreate(&ev2, CU_EVENT_DISABLE_TIMING));
  p.eventRecord.event = ev2;
  res("setparams.event-record", nodeSetParams(nRec, &p));
  CUevent got = nullptr;
  CK(cuGraphEventRecordNodeGetEvent(nRec, &got));
  line("setparams.event-record-readback", same(got, ev2));
  p.eventRecord.event = ev;
  CK(nodeSetParams(nRec, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_HOST);
  p.host.fn = count_host;
  p.host.userData = (void*)(intptr_t)1;  // each call now adds 2
  res("setparams.host", nodeSetParams(nHost, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_GRAPH);
  p.graph.graph = child;
  res("setparams.child-graph", nodeSetParams(nChild, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_KERNEL);
  p.kernel.func = f_add;
  p.kernel.gridDimX = p.kernel.gridDimY = p.kernel.gridDimZ = 1;
  p.kernel.blockDimX = 32;
  p.kernel.blockDimY = p.kernel.blockDimZ = 1;
  p.kernel.kernelParams = kargs;
  res("setparams.kernel", nodeSetParams(nKernel, &p));

  // launch: a = 11, b = a, c = 8, host called once (+2), w[0] = 0x55, w[1] = 9
  CUgraphExec ge = nullptr;
  res("instantiate", cuGraphInstantiate(&ge, g, 0));
  res("launch-1", cuGraphLaunch(ge, g_s));
  CK(cuStreamSynchronize(g_s));
  line("launch-1.a", read_ints(a, n));
  line("launch-1.b", read_ints(b, n));
  line("launch-1.c", read_ints(c, n));
  line("launch-1.w", read_ints(w, 2));
  line("launch-1.host-calls", fmt("%d", g_host_calls.load()));

  // cuGraphExecNodeSetParams: memset 5, kernel on c, host back to +1
  p = zeroed(CU_GRAPH_NODE_TYPE_MEMSET);
  p.memset.dst = c;
  p.memset.value = 5;
  p.memset.elementSize = 4;
  p.memset.width = n;
  p.memset.height = 1;
  p.memset.ctx = g_ctx;
  res("execset.memset", execNodeSetParams(ge, nSet, &p));
  res("execset.memset-on-copy-node", execNodeSetParams(ge, nCopy, &p));
  res("execset.null-params", execNodeSetParams(ge, nSet, nullptr));
  res("execset.null-exec", execNodeSetParams(nullptr, nSet, &p));
  CK(cuGraphMemsetNodeGetParams(nSet, &mp));
  line("execset.graph-node-unchanged", fmt("value %u", mp.value));
  p = zeroed(CU_GRAPH_NODE_TYPE_HOST);
  p.host.fn = count_host;
  p.host.userData = (void*)0;
  res("execset.host", execNodeSetParams(ge, nHost, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);
  res("execset.empty", execNodeSetParams(ge, nEmpty, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_BATCH_MEM_OP);
  op.writeValue.value = 0x66;
  p.memOp.ctx = g_ctx;
  p.memOp.count = 1;
  p.memOp.paramArray = &op;
  res("execset.batch-mem-op", execNodeSetParams(ge, nOps, &p));
  CUgraphNode late = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);
  CK(addNode1(&late, g, nullptr, 0, &p));
  res("execset.node-added-after-instantiate", execNodeSetParams(ge, late, &p));
  CUgraphNode lateSet = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_MEMSET);
  p.memset.dst = c;
  p.memset.value = 4;
  p.memset.elementSize = 4;
  p.memset.width = n;
  p.memset.height = 1;
  CK(addNode1(&lateSet, g, nullptr, 0, &p));
  res("execset.memset-node-added-after-instantiate", execNodeSetParams(ge, lateSet, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_EMPTY);
  res("execset.empty-params-on-memset-node", execNodeSetParams(ge, nSet, &p));
  CK(cuGraphGetNodes(scratch, nullptr, &count));
  line("addnode.scratch-nodes", fmt("%zu", count));
  res("launch-2", cuGraphLaunch(ge, g_s));
  CK(cuStreamSynchronize(g_s));
  line("launch-2.a", read_ints(a, n));
  line("launch-2.c", read_ints(c, n));
  line("launch-2.w", read_ints(w, 2));
  line("launch-2.host-calls", fmt("%d", g_host_calls.load()));
  CK(cuGraphExecDestroy(ge));
  CK(cuGraphDestroy(g));
  CK(cuGraphDestroy(scratch));
  CK(cuGraphDestroy(child));

  // memory nodes through the generic API
  CUgraph mg;
  CK(cuGraphCreate(&mg, 0));
  CUgraphNode nAlloc = nullptr, nFree = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_MEM_ALLOC);
  p.alloc.poolProps.allocType = CU_MEM_ALLOCATION_TYPE_PINNED;
  p.alloc.poolProps.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  p.alloc.poolProps.location.id = g_dev;
  p.alloc.bytesize = 4096;
  res("addnode.mem-alloc", addNode1(&nAlloc, mg, nullptr, 0, &p));
  line("addnode.mem-alloc-dptr", p.alloc.dptr ? "set" : "zero");
  CUdeviceptr gptr = p.alloc.dptr;
  CUgraphNodeParams allocParams = p;
  bad = p;
  bad.alloc.bytesize = 0;
  res("addnode.mem-alloc-size-0", addNode1(&x, mg, nullptr, 0, &bad));
  bad = p;
  bad.alloc.poolProps.allocType = CU_MEM_ALLOCATION_TYPE_INVALID;
  res("addnode.mem-alloc-type-invalid", addNode1(&x, mg, nullptr, 0, &bad));
  // a memset of the allocation, then free it
  CUgraphNode nGSet = nullptr;
  p = zeroed(CU_GRAPH_NODE_TYPE_MEMSET);
  p.memset.dst = gptr;
  p.memset.value = 3;
  p.memset.elementSize = 4;
  p.memset.width = 4;
  p.memset.height = 1;
  p.memset.ctx = g_ctx;
  res("addnode.memset-of-graph-alloc", addNode1(&nGSet, mg, &nAlloc, 1, &p));
  p = zeroed(CU_GRAPH_NODE_TYPE_MEM_FREE);
  p.free.dptr = gptr;
  res("addnode.mem-free", addNode1(&nFree, mg, &nGSet, 1, &p));
  res("addnode.mem-free-again", addNode1(&x, mg, &nFree, 1, &p));
  p.free.dptr = a;
  res("addnode.mem-free-not-graph-memory", addNode1(&x, mg, nullptr, 0, &p));
  res("setparams.mem-alloc", nodeSetParams(nAlloc, &allocParams));
  p.free.dptr = gptr;
  res("setparams.mem-free", nodeSetParams(nFree, &p));
  CUDA_MEM_ALLOC_NODE_PARAMS ap;
  CK(cuGraphMemAllocNodeGetParams(nAlloc, &ap));
  line("addnode.mem-alloc-readback", fmt("bytesize %zu same-dptr %d", ap.bytesize, ap.dptr == gptr));
  CUgraphExec me = nullptr;
  res("mem-graph.instantiate", cuGraphInstantiate(&me, mg, 0));
  res("mem-graph.launch", cuGraphLaunch(me, g_s));
  res("mem-graph.sync", cuStreamSynchronize(g_s));
  res("execset.mem-alloc", execNodeSetParams(me, nAlloc, &allocParams));
  CK(cuGraphExecDestroy(me));
  CK(cuGraphDestroy(mg));

  CK(cuEventDestroy(ev));
  CK(cuEventDestroy(ev2));
  CK(cuMemFree(a));
  CK(cuMemFree(b));
  CK(cuMemFree(c));
  CK(cuMemFree(w));
}

// ---------------------------------------------------------------------------------------------
// user objects

static std::atomic<int> g_destroyed[8];
static void CUDA_CB destroy_obj(void* p) { g_destroyed[(intptr_t)p].fetch_add(1); }

// NVIDIA runs destructors on an internal thread: poll for up to 2 s for `want` calls, or
// wait 100 ms when none are expected, then report the count.
static std::string destroyed(int i, int want) {
  if (want == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } else {
    for (int k = 0; k < 2000 && g_destroyed[i].load() < want; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return fmt("%d", g_destroyed[i].load());
}

static void user_objects() {
  CUuserObject o = nullptr, x = nullptr;
  res("uo.create-null-out", cuUserObjectCreate(nullptr, (void*)0, destroy_obj, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  res("uo.create-null-destroy", cuUserObjectCreate(&x, (void*)0, nullptr, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  res("uo.create-refcount-0", cuUserObjectCreate(&x, (void*)0, destroy_obj, 0, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  res("uo.create-flags-0", cuUserObjectCreate(&x, (void*)0, destroy_obj, 1, 0));
  res("uo.create-flags-3", cuUserObjectCreate(&x, (void*)0, destroy_obj, 1, 3));
  res("uo.create-refcount-int-max-plus-1",
      cuUserObjectCreate(&x, (void*)0, destroy_obj, 0x80000000u, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  line("uo.destroyed-after-errors", destroyed(0, 0));

  // caller references only
  res("uo.create", cuUserObjectCreate(&o, (void*)0, destroy_obj, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  res("uo.retain-2", cuUserObjectRetain(o, 2));
  res("uo.retain-0", cuUserObjectRetain(o, 0));
  res("uo.retain-int-max-plus-1", cuUserObjectRetain(o, 0x80000000u));
  res("uo.release-0", cuUserObjectRelease(o, 0));
  res("uo.release-2", cuUserObjectRelease(o, 2));
  line("uo.destroyed-with-1-left", destroyed(0, 0));
  res("uo.release-last", cuUserObjectRelease(o, 1));
  line("uo.destroyed-after-last", destroyed(0, 1));
  res("uo.retain-null", cuUserObjectRetain(nullptr, 1));
  res("uo.release-null", cuUserObjectRelease(nullptr, 1));

  // a graph's references, its clone's, an executable's
  CUgraph g, g2;
  CK(cuGraphCreate(&g, 0));
  CK(cuUserObjectCreate(&o, (void*)1, destroy_obj, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  res("uo.graph-retain-null-graph", cuGraphRetainUserObject(nullptr, o, 1, 0));
  res("uo.graph-retain-null-object", cuGraphRetainUserObject(g, nullptr, 1, 0));
  res("uo.graph-retain-count-0", cuGraphRetainUserObject(g, o, 0, 0));
  res("uo.graph-retain-flags-2", cuGraphRetainUserObject(g, o, 1, 2));
  res("uo.graph-retain", cuGraphRetainUserObject(g, o, 1, 0));
  res("uo.graph-retain-2-more", cuGraphRetainUserObject(g, o, 2, 0));
  res("uo.graph-release-2", cuGraphReleaseUserObject(g, o, 2));
  res("uo.graph-release-too-many", cuGraphReleaseUserObject(g, o, 5));
  res("uo.graph-release-count-0", cuGraphReleaseUserObject(g, o, 0));
  res("uo.graph-release-null-graph", cuGraphReleaseUserObject(nullptr, o, 1));
  CK(cuUserObjectRelease(o, 1));  // only the graph holds it now
  line("uo.graph-holds", destroyed(1, 0));
  CUgraphNode e;
  CK(cuGraphAddEmptyNode(&e, g, nullptr, 0));
  res("uo.clone", cuGraphClone(&g2, g));
  CUgraphExec ge;
  res("uo.instantiate", cuGraphInstantiate(&ge, g, 0));
  CK(cuGraphDestroy(g));
  line("uo.graph-destroyed-clone-and-exec-hold", destroyed(1, 0));
  CK(cuGraphDestroy(g2));
  line("uo.clone-destroyed-exec-holds", destroyed(1, 0));
  res("uo.launch-after-graphs-destroyed", cuGraphLaunch(ge, g_s));
  CK(cuStreamSynchronize(g_s));
  CK(cuGraphExecDestroy(ge));
  line("uo.exec-destroyed", destroyed(1, 1));

  // a graph's references released by hand; a move of the caller's reference
  CK(cuGraphCreate(&g, 0));
  CK(cuUserObjectCreate(&o, (void*)2, destroy_obj, 2, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  res("uo.graph-retain-move", cuGraphRetainUserObject(g, o, 1, CU_GRAPH_USER_OBJECT_MOVE));
  CK(cuUserObjectRelease(o, 1));
  line("uo.after-move-and-caller-release", destroyed(2, 0));
  res("uo.graph-release-last", cuGraphReleaseUserObject(g, o, 1));
  line("uo.graph-released-last", destroyed(2, 1));
  CK(cuGraphDestroy(g));

  // an executable destroyed while its launch still runs: the object outlives the launch
  CK(cuGraphCreate(&g, 0));
  CK(cuUserObjectCreate(&o, (void*)4, destroy_obj, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  CK(cuGraphRetainUserObject(g, o, 1, CU_GRAPH_USER_OBJECT_MOVE));
  CUDA_HOST_NODE_PARAMS hp;
  memset(&hp, 0, sizeof hp);
  hp.fn = hold_fn;
  CUgraphNode hn;
  CK(cuGraphAddHostNode(&hn, g, nullptr, 0, &hp));
  CK(cuGraphInstantiate(&ge, g, 0));
  CK(cuGraphDestroy(g));
  g_gate.store(0);
  g_entered.store(0);
  CK(cuGraphLaunch(ge, g_s));
  for (int i = 0; i < 5000 && g_entered.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CK(cuGraphExecDestroy(ge));
  line("uo.exec-destroyed-during-launch", destroyed(4, 0));
  release();
  CK(cuStreamSynchronize(g_s));
  line("uo.launch-finished", destroyed(4, 1));

  // an object held by a child graph that is embedded (cloned) into a parent
  CUgraph child, parent;
  CK(cuGraphCreate(&child, 0));
  CK(cuGraphCreate(&parent, 0));
  CK(cuUserObjectCreate(&o, (void*)3, destroy_obj, 1, CU_USER_OBJECT_NO_DESTRUCTOR_SYNC));
  CK(cuGraphRetainUserObject(child, o, 1, CU_GRAPH_USER_OBJECT_MOVE));
  CK(cuGraphAddEmptyNode(&e, child, nullptr, 0));
  CUgraphNode cn;
  CK(cuGraphAddChildGraphNode(&cn, parent, nullptr, 0, child));
  CK(cuGraphDestroy(child));
  line("uo.child-destroyed-parent-holds-clone", destroyed(3, 0));
  CK(cuGraphDestroy(parent));
  line("uo.parent-destroyed", destroyed(3, 1));
}

// ---------------------------------------------------------------------------------------------
// cuCtxRecordEvent / cuCtxWaitEvent

static void ctx_events() {
  CUevent ev;
  CK(cuEventCreate(&ev, CU_EVENT_DISABLE_TIMING));
  res("ctx-record.null-ctx", cuCtxRecordEvent(nullptr, ev));
  res("ctx-record.null-event", cuCtxRecordEvent(g_ctx, nullptr));
  res("ctx-wait.null-ctx", cuCtxWaitEvent(nullptr, ev));
  res("ctx-wait.null-event", cuCtxWaitEvent(g_ctx, nullptr));
  res("ctx-record.idle", cuCtxRecordEvent(g_ctx, ev));
  res("ctx-record.idle-query", cuEventQuery(ev));

  // a held stream: the context's event is not complete until it is released
  CUstream s2;
  CK(cuStreamCreate(&s2, CU_STREAM_NON_BLOCKING));
  hold(g_s);
  res("ctx-record.busy", cuCtxRecordEvent(g_ctx, ev));
  res("ctx-record.busy-query", cuEventQuery(ev));
  res("ctx-record.other-stream-query", cuStreamQuery(s2));
  release();
  res("ctx-record.sync", cuEventSynchronize(ev));
  res("ctx-record.done-query", cuEventQuery(ev));

  // cuCtxWaitEvent: later work of the context (a stream made afterwards too) waits
  CUdeviceptr d;
  CK(cuMemAlloc(&d, 16));
  CK(cuMemsetD32(d, 0, 4));
  hold(g_s);
  CK(cuEventRecord(ev, g_s));
  res("ctx-wait.busy-event", cuCtxWaitEvent(g_ctx, ev));
  CUstream s3;
  CK(cuStreamCreate(&s3, CU_STREAM_NON_BLOCKING));
  CK(cuMemsetD32Async(d, 5, 4, s3));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  res("ctx-wait.later-stream-query", cuStreamQuery(s3));
  release();
  CK(cuStreamSynchronize(s3));
  line("ctx-wait.later-stream-result", read_ints(d, 4));
  res("ctx-wait.done-event", cuCtxWaitEvent(g_ctx, ev));
  CK(cuMemsetD32Async(d, 6, 4, s2));
  res("ctx-wait.done-event-stream-sync", cuStreamSynchronize(s2));
  line("ctx-wait.done-event-result", read_ints(d, 4));

  // inside a capture
  CUgraph cg;
  CK(cuStreamBeginCapture(s2, CU_STREAM_CAPTURE_MODE_RELAXED));
  res("ctx-record.while-capturing", cuCtxRecordEvent(g_ctx, ev));
  res("ctx-record.capture-end", cuStreamEndCapture(s2, &cg));
  if (cg) CK(cuGraphDestroy(cg));
  cg = nullptr;
  CK(cuStreamBeginCapture(s2, CU_STREAM_CAPTURE_MODE_RELAXED));
  res("ctx-wait.while-capturing", cuCtxWaitEvent(g_ctx, ev));
  res("ctx-wait.capture-end", cuStreamEndCapture(s2, &cg));
  if (cg) CK(cuGraphDestroy(cg));
  CK(cuMemFree(d));
  CK(cuStreamDestroy(s2));
  CK(cuStreamDestroy(s3));
  CK(cuEventDestroy(ev));
}

// ---------------------------------------------------------------------------------------------
// batched copies

static std::string failidx(size_t f) { return f == (size_t)-1 ? "max" : fmt("%zu", f); }

static void memcpy_batches() {
  const int n = 16;
  CUdeviceptr d0, d1, d2;
  CK(cuMemAlloc(&d0, n * 4));
  CK(cuMemAlloc(&d1, n * 4));
  CK(cuMemAlloc(&d2, n * 4));
  CK(cuMemsetD32(d0, 0, n));
  CK(cuMemsetD32(d1, 0, n));
  CK(cuMemsetD32(d2, 0, n));
  int* pinned = nullptr;
  CK(cuMemAllocHost((void**)&pinned, n * 4));
  memset(pinned, 0, n * 4);
  std::vector<int> heap(n);
  for (int i = 0; i < n; ++i) heap[i] = 100 + i;

  // host (pageable) -> d0, d0 -> d1 (in stream order), d1 -> pinned would race with the
  // copy before it (no order within a batch), so that one is a second batch
  CUdeviceptr dsts[2] = {d0, d1};
  CUdeviceptr srcs[2] = {(CUdeviceptr)heap.data(), d2};
  size_t sizes[2] = {n * 4, n * 4};
  CUmemcpyAttributes at[2];
  memset(at, 0, sizeof at);
  at[0].srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_DURING_API_CALL;
  at[1].srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_STREAM;
  size_t idx[2] = {0, 1};
  size_t fi = 12345;
  CK(cuMemsetD32(d2, 7, n));
  res("batch.v1-two-attrs", memcpyBatch1(dsts, srcs, sizes, 2, at, idx, 2, &fi, g_s));
  line("batch.v1-two-attrs-failidx", failidx(fi));
  for (int i = 0; i < n; ++i) heap[i] = -1;  // DURING_API_CALL: read before the call returned
  CK(cuStreamSynchronize(g_s));
  line("batch.v1-d0", read_ints(d0, 4));
  line("batch.v1-d1", read_ints(d1, 4));

  CUdeviceptr dst1[1] = {(CUdeviceptr)pinned};
  CUdeviceptr src1[1] = {d0};
  size_t size1[1] = {n * 4};
  size_t idx0[1] = {0};
  res("batch.v2-to-pinned", memcpyBatch2(dst1, src1, size1, 1, at + 1, idx0, 1, g_s));
  CK(cuStreamSynchronize(g_s));
  line("batch.v2-pinned", ints(pinned, 4));

  // one attribute for both copies (ANY)
  CUmemcpyAttributes any;
  memset(&any, 0, sizeof any);
  any.srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_ANY;
  CUdeviceptr dsts2[2] = {d1, d2};
  CUdeviceptr srcs2[2] = {(CUdeviceptr)pinned, (CUdeviceptr)pinned};
  res("batch.v2-one-attr-any", memcpyBatch2(dsts2, srcs2, sizes, 2, &any, idx0, 1, g_s));
  CK(cuStreamSynchronize(g_s));
  line("batch.v2-one-attr-d2", read_ints(d2, 4));

  // errors (v1 reports failIdx)
  fi = 12345;
  res("batch.v1-legacy-stream", memcpyBatch1(dsts, srcs, sizes, 2, at, idx, 2, &fi, nullptr));
  line("batch.v1-legacy-stream-failidx", failidx(fi));
  res("batch.v2-legacy-stream", memcpyBatch2(dsts, srcs, sizes, 2, at, idx, 2, nullptr));
  res("batch.v2-per-thread-stream", memcpyBatch2(dst1, src1, size1, 1, at + 1, idx0, 1, CU_STREAM_PER_THREAD));
  CK(cuStreamSynchronize(CU_STREAM_PER_THREAD));
  fi = 12345;
  res("batch.v1-count-0", memcpyBatch1(dsts, srcs, sizes, 0, at, idx, 2, &fi, g_s));
  line("batch.v1-count-0-failidx", failidx(fi));
  fi = 12345;
  res("batch.v1-null-dsts", memcpyBatch1(nullptr, srcs, sizes, 2, at, idx, 2, &fi, g_s));
  line("batch.v1-null-dsts-failidx", failidx(fi));
  fi = 12345;
  res("batch.v1-null-failidx", memcpyBatch1(dsts2, srcs2, sizes, 2, &any, idx0, 1, nullptr, g_s));
  fi = 12345;
  res("batch.v1-num-attrs-0", memcpyBatch1(dsts2, srcs2, sizes, 2, &any, idx0, 0, &fi, g_s));
  line("batch.v1-num-attrs-0-failidx", failidx(fi));
  fi = 12345;
  res("batch.v1-num-attrs-3", memcpyBatch1(dsts2, srcs2, sizes, 2, at, idx, 3, &fi, g_s));
  line("batch.v1-num-attrs-3-failidx", failidx(fi));
  size_t idxBad[2] = {1, 1};
  fi = 12345;
  res("batch.v1-first-idx-1", memcpyBatch1(dsts2, srcs2, sizes, 2, at, idxBad, 2, &fi, g_s));
  line("batch.v1-first-idx-1-failidx", failidx(fi));
  size_t idxDesc[2] = {0, 0};
  fi = 12345;
  res("batch.v1-idx-not-increasing", memcpyBatch1(dsts2, srcs2, sizes, 2, at, idxDesc, 2, &fi, g_s));
  line("batch.v1-idx-not-increasing-failidx", failidx(fi));
  CUmemcpyAttributes inv[2];
  memcpy(inv, at, sizeof inv);
  inv[1].srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_INVALID;
  fi = 12345;
  res("batch.v1-order-invalid", memcpyBatch1(dsts2, srcs2, sizes, 2, inv, idx, 2, &fi, g_s));
  line("batch.v1-order-invalid-failidx", failidx(fi));
  memcpy(inv, at, sizeof inv);
  inv[0].srcAccessOrder = (CUmemcpySrcAccessOrder)4;
  fi = 12345;
  res("batch.v1-order-4", memcpyBatch1(dsts2, srcs2, sizes, 2, inv, idx, 2, &fi, g_s));
  line("batch.v1-order-4-failidx", failidx(fi));
  memcpy(inv, at, sizeof inv);
  inv[1].flags = 2;
  fi = 12345;
  res("batch.v1-flags-2", memcpyBatch1(dsts2, srcs2, sizes, 2, inv, idx, 2, &fi, g_s));
  line("batch.v1-flags-2-failidx", failidx(fi));
  memcpy(inv, at, sizeof inv);
  inv[1].flags = CU_MEMCPY_FLAG_PREFER_OVERLAP_WITH_COMPUTE;
  fi = 12345;
  res("batch.v1-flags-overlap", memcpyBatch1(dsts2, srcs2, sizes, 2, inv, idx, 2, &fi, g_s));
  line("batch.v1-flags-overlap-failidx", failidx(fi));
  size_t sizesZero[2] = {n * 4, 0};
  fi = 12345;
  res("batch.v1-size-0", memcpyBatch1(dsts2, srcs2, sizesZero, 2, &any, idx0, 1, &fi, g_s));
  line("batch.v1-size-0-failidx", failidx(fi));
  CUdeviceptr dstsNull[2] = {d1, 0};
  fi = 12345;
  res("batch.v1-null-dst-entry", memcpyBatch1(dstsNull, srcs2, sizes, 2, &any, idx0, 1, &fi, g_s));
  line("batch.v1-null-dst-entry-failidx", failidx(fi));
  size_t sizesBig[2] = {n * 4, n * 4 + 4096};
  fi = 12345;
  res("batch.v1-device-overrun", memcpyBatch1(dsts2, srcs2, sizesBig, 2, &any, idx0, 1, &fi, g_s));
  line("batch.v1-device-overrun-failidx", failidx(fi));
  CK(cuStreamSynchronize(g_s));

  // 3D: a 4x3 box of ints from a pitched source (rows of 8) into a packed destination
  std::vector<int> src3(8 * 3);
  for (int i = 0; i < 24; ++i) src3[i] = i;
  CUdeviceptr s3d, d3d;
  CK(cuMemAlloc(&s3d, 24 * 4));
  CK(cuMemAlloc(&d3d, 12 * 4));
  CK(cuMemcpyHtoD(s3d, src3.data(), 24 * 4));
  CK(cuMemsetD32(d3d, 0, 12));
  CUDA_MEMCPY3D_BATCH_OP op;
  memset(&op, 0, sizeof op);
  op.src.type = CU_MEMCPY_OPERAND_TYPE_POINTER;
  op.src.op.ptr.ptr = s3d;
  op.src.op.ptr.rowLength = 32;  // bytes: pointer copies have 1-byte elements
  op.dst.type = CU_MEMCPY_OPERAND_TYPE_POINTER;
  op.dst.op.ptr.ptr = d3d;
  op.extent.width = 16;
  op.extent.height = 3;
  op.extent.depth = 1;
  op.srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_STREAM;
  fi = 12345;
  res("batch3d.v1-pitched", memcpy3DBatch1(1, &op, &fi, 0, g_s));
  line("batch3d.v1-pitched-failidx", failidx(fi));
  CK(cuStreamSynchronize(g_s));
  line("batch3d.v1-pitched-result", read_ints(d3d, 12));

  // pointer -> array -> pointer (float array 4x3)
  CUDA_ARRAY_DESCRIPTOR ad;
  memset(&ad, 0, sizeof ad);
  ad.Format = CU_AD_FORMAT_SIGNED_INT32;
  ad.NumChannels = 1;
  ad.Width = 4;
  ad.Height = 3;
  CUarray arr;
  CK(cuArrayCreate(&arr, &ad));
  CUDA_MEMCPY3D_BATCH_OP ops[2];
  memset(ops, 0, sizeof ops);
  ops[0].src.type = CU_MEMCPY_OPERAND_TYPE_POINTER;
  ops[0].src.op.ptr.ptr = s3d;
  ops[0].src.op.ptr.rowLength = 8;  // elements of the array (4 bytes)
  ops[0].dst.type = CU_MEMCPY_OPERAND_TYPE_ARRAY;
  ops[0].dst.op.array.array = arr;
  ops[0].extent.width = 4;
  ops[0].extent.height = 3;
  ops[0].extent.depth = 1;
  ops[0].srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_STREAM;
  res("batch3d.v2-to-array", memcpy3DBatch2(1, ops, 0, g_s));
  CK(cuMemsetD32(d3d, 0, 12));
  CK(cuStreamSynchronize(g_s));
  ops[1].src.type = CU_MEMCPY_OPERAND_TYPE_ARRAY;
  ops[1].src.op.array.array = arr;
  ops[1].src.op.array.offset.x = 1;
  ops[1].src.op.array.offset.y = 1;
  ops[1].dst.type = CU_MEMCPY_OPERAND_TYPE_POINTER;
  ops[1].dst.op.ptr.ptr = d3d;
  ops[1].extent.width = 3;
  ops[1].extent.height = 2;
  ops[1].extent.depth = 1;
  ops[1].srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_STREAM;
  res("batch3d.v2-from-array-offset", memcpy3DBatch2(1, ops + 1, 0, g_s));
  CK(cuStreamSynchronize(g_s));
  line("batch3d.v2-from-array-result", read_ints(d3d, 6));

  // errors
  fi = 12345;
  res("batch3d.v1-num-0", memcpy3DBatch1(0, &op, &fi, 0, g_s));
  line("batch3d.v1-num-0-failidx", failidx(fi));
  fi = 12345;
  res("batch3d.v1-null-list", memcpy3DBatch1(1, nullptr, &fi, 0, g_s));
  line("batch3d.v1-null-list-failidx", failidx(fi));
  fi = 12345;
  res("batch3d.v1-flags-1", memcpy3DBatch1(1, &op, &fi, 1, g_s));
  line("batch3d.v1-flags-1-failidx", failidx(fi));
  fi = 12345;
  res("batch3d.v1-legacy-stream", memcpy3DBatch1(1, &op, &fi, 0, nullptr));
  line("batch3d.v1-legacy-stream-failidx", failidx(fi));
  CUDA_MEMCPY3D_BATCH_OP two[2] = {op, op};
  two[1].extent.depth = 0;
  fi = 12345;
  res("batch3d.v1-depth-0", memcpy3DBatch1(2, two, &fi, 0, g_s));
  line("batch3d.v1-depth-0-failidx", failidx(fi));
  two[1] = op;
  two[1].srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_INVALID;
  fi = 12345;
  res("batch3d.v1-order-invalid", memcpy3DBatch1(2, two, &fi, 0, g_s));
  line("batch3d.v1-order-invalid-failidx", failidx(fi));
  two[1] = op;
  two[1].src.type = (CUmemcpy3DOperandType)0;
  fi = 12345;
  res("batch3d.v1-operand-type-0", memcpy3DBatch1(2, two, &fi, 0, g_s));
  line("batch3d.v1-operand-type-0-failidx", failidx(fi));
  two[1] = op;
  two[1].src.op.ptr.rowLength = 8;
  fi = 12345;
  res("batch3d.v1-row-shorter-than-width", memcpy3DBatch1(2, two, &fi, 0, g_s));
  line("batch3d.v1-row-shorter-than-width-failidx", failidx(fi));
  two[1] = op;
  two[1].flags = 2;
  fi = 12345;
  res("batch3d.v1-op-flags-2", memcpy3DBatch1(2, two, &fi, 0, g_s));
  line("batch3d.v1-op-flags-2-failidx", failidx(fi));
  two[1] = ops[1];
  two[1].src.op.array.offset.x = 3;
  fi = 12345;
  res("batch3d.v1-array-out-of-bounds", memcpy3DBatch1(2, two, &fi, 0, g_s));
  line("batch3d.v1-array-out-of-bounds-failidx", failidx(fi));
  CK(cuStreamSynchronize(g_s));
  CK(cuArrayDestroy(arr));
  CK(cuMemFree(s3d));
  CK(cuMemFree(d3d));
  CK(cuMemFreeHost(pinned));
  CK(cuMemFree(d0));
  CK(cuMemFree(d1));
  CK(cuMemFree(d2));
}

// ---------------------------------------------------------------------------------------------
// memory pools by location (13.0)

static void mem_pools() {
  CUmemoryPool devDefault = nullptr, devCurrent = nullptr, p = nullptr, q = nullptr;
  CK(cuDeviceGetDefaultMemPool(&devDefault, g_dev));
  CK(cuDeviceGetMemPool(&devCurrent, g_dev));
  CUmemLocation loc;
  loc.type = CU_MEM_LOCATION_TYPE_DEVICE;
  loc.id = g_dev;
  res("pool.get-default-device-pinned", cuMemGetDefaultMemPool(&p, &loc, CU_MEM_ALLOCATION_TYPE_PINNED));
  line("pool.get-default-device-pinned-same", same(p, devDefault));
  res("pool.get-current-device-pinned", cuMemGetMemPool(&q, &loc, CU_MEM_ALLOCATION_TYPE_PINNED));
  line("pool.get-current-device-pinned-same", same(q, devCurrent));
  res("pool.get-default-null-out", cuMemGetDefaultMemPool(nullptr, &loc, CU_MEM_ALLOCATION_TYPE_PINNED));
  res("pool.get-default-null-location", cuMemGetDefaultMemPool(&p, nullptr, CU_MEM_ALLOCATION_TYPE_PINNED));
  res("pool.get-default-type-invalid", cuMemGetDefaultMemPool(&p, &loc, CU_MEM_ALLOCATION_TYPE_INVALID));
  res("pool.get-default-type-7", cuMemGetDefaultMemPool(&p, &loc, (CUmemAllocationType)7));
  CUmemLocation badDev = {CU_MEM_LOCATION_TYPE_DEVICE, 99};
  res("pool.get-default-device-99", cuMemGetDefaultMemPool(&p, &badDev, CU_MEM_ALLOCATION_TYPE_PINNED));
  CUmemLocation inv = {CU_MEM_LOCATION_TYPE_INVALID, 0};
  res("pool.get-default-location-invalid", cuMemGetDefaultMemPool(&p, &inv, CU_MEM_ALLOCATION_TYPE_PINNED));
  res("pool.get-current-null-out", cuMemGetMemPool(nullptr, &loc, CU_MEM_ALLOCATION_TYPE_PINNED));
  res("pool.get-current-null-location", cuMemGetMemPool(&p, nullptr, CU_MEM_ALLOCATION_TYPE_PINNED));

  // the current pool set through the new call is the device's current pool
  CUmemPoolProps props;
  memset(&props, 0, sizeof props);
  props.allocType = CU_MEM_ALLOCATION_TYPE_PINNED;
  props.location = loc;
  CUmemoryPool mine;
  CK(cuMemPoolCreate(&mine, &props));
  res("pool.set-device-pinned", cuMemSetMemPool(&loc, CU_MEM_ALLOCATION_TYPE_PINNED, mine));
  CK(cuDeviceGetMemPool(&q, g_dev));
  line("pool.set-device-pinned-seen-by-device-get", same(q, mine));
  CK(cuMemGetMemPool(&q, &loc, CU_MEM_ALLOCATION_TYPE_PINNED));
  line("pool.set-device-pinned-seen-by-get", same(q, mine));
  CK(cuMemGetDefaultMemPool(&q, &loc, CU_MEM_ALLOCATION_TYPE_PINNED));
  line("pool.default-unchanged", same(q, devDefault));
  res("pool.set-null-location", cuMemSetMemPool(nullptr, CU_MEM_ALLOCATION_TYPE_PINNED, mine));
  res("pool.set-null-pool", cuMemSetMemPool(&loc, CU_MEM_ALLOCATION_TYPE_PINNED, nullptr));
  res("pool.set-type-invalid", cuMemSetMemPool(&loc, CU_MEM_ALLOCATION_TYPE_INVALID, mine));
  res("pool.set-device-99", cuMemSetMemPool(&badDev, CU_MEM_ALLOCATION_TYPE_PINNED, mine));
  CUmemLocation host = {CU_MEM_LOCATION_TYPE_HOST, 0};
  res("pool.set-host-location-device-pool", cuMemSetMemPool(&host, CU_MEM_ALLOCATION_TYPE_PINNED, mine));
  res("pool.set-managed-device-pool", cuMemSetMemPool(&loc, CU_MEM_ALLOCATION_TYPE_MANAGED, mine));
  CK(cuDeviceSetMemPool(g_dev, devDefault));
  CK(cuMemGetMemPool(&q, &loc, CU_MEM_ALLOCATION_TYPE_PINNED));
  line("pool.device-set-back-seen-by-get", same(q, devDefault));
  CK(cuMemPoolDestroy(mine));

  // other locations and types: what the driver answers (pools there are not compared)
  res("pool.get-default-host-pinned", cuMemGetDefaultMemPool(&p, &host, CU_MEM_ALLOCATION_TYPE_PINNED));
  res("pool.get-default-device-managed", cuMemGetDefaultMemPool(&p, &loc, CU_MEM_ALLOCATION_TYPE_MANAGED));
  CUmemLocation none = {CU_MEM_LOCATION_TYPE_NONE, 0};
  res("pool.get-default-none-managed", cuMemGetDefaultMemPool(&p, &none, CU_MEM_ALLOCATION_TYPE_MANAGED));
  res("pool.get-default-none-pinned", cuMemGetDefaultMemPool(&p, &none, CU_MEM_ALLOCATION_TYPE_PINNED));
}

// ---------------------------------------------------------------------------------------------
// managed-memory range attributes, batch prefetch and discard

static std::string attr_int(CUdeviceptr p, size_t n, CUmem_range_attribute a) {
  int v = 12345;
  CUresult r = cuMemRangeGetAttribute(&v, 4, a, p, n);
  return rv(r, fmt("%d", v));
}

static void range_attributes() {
  const size_t size = 1 << 21;
  CUdeviceptr m, d;
  CK(cuMemAllocManaged(&m, size, CU_MEM_ATTACH_GLOBAL));
  CK(cuMemAlloc(&d, 4096));
  line("range.read-mostly-fresh", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY));
  line("range.preferred-fresh", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_PREFERRED_LOCATION));
  line("range.last-prefetch-fresh", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION));
  line("range.preferred-type-fresh", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_PREFERRED_LOCATION_TYPE));
  line("range.preferred-id-fresh", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_PREFERRED_LOCATION_ID));
  line("range.last-prefetch-type-fresh", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION_TYPE));
  line("range.last-prefetch-id-fresh", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION_ID));
  int acc[3] = {7, 7, 7};
  res("range.accessed-by-fresh", cuMemRangeGetAttribute(acc, sizeof acc, CU_MEM_RANGE_ATTRIBUTE_ACCESSED_BY, m, size));
  line("range.accessed-by-fresh-values", ints(acc, 3));

  CUmemLocation dev = {CU_MEM_LOCATION_TYPE_DEVICE, g_dev};
  CUmemLocation cpu = {CU_MEM_LOCATION_TYPE_HOST, 0};
  CK(cuMemAdvise(m, size, CU_MEM_ADVISE_SET_READ_MOSTLY, dev));
  CK(cuMemAdvise(m, size, CU_MEM_ADVISE_SET_PREFERRED_LOCATION, dev));
  CK(cuMemAdvise(m, size, CU_MEM_ADVISE_SET_ACCESSED_BY, dev));
  line("range.read-mostly-advised", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY));
  line("range.preferred-advised", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_PREFERRED_LOCATION));
  line("range.preferred-type-advised", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_PREFERRED_LOCATION_TYPE));
  line("range.preferred-id-advised", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_PREFERRED_LOCATION_ID));
  acc[0] = acc[1] = acc[2] = 7;
  res("range.accessed-by-advised", cuMemRangeGetAttribute(acc, sizeof acc, CU_MEM_RANGE_ATTRIBUTE_ACCESSED_BY, m, size));
  line("range.accessed-by-advised-values", ints(acc, 3));
  line("range.read-mostly-sub-range", attr_int(m + 4096, 4096, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY));

  CK(cuMemPrefetchAsync(m, size, dev, 0, g_s));
  CK(cuStreamSynchronize(g_s));
  line("range.last-prefetch-device", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION));
  line("range.last-prefetch-type-device", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION_TYPE));
  CK(cuMemPrefetchAsync(m, size, cpu, 0, g_s));
  CK(cuStreamSynchronize(g_s));
  line("range.last-prefetch-host", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION));
  line("range.last-prefetch-type-host", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION_TYPE));
  CK(cuMemAdvise(m, size, CU_MEM_ADVISE_UNSET_READ_MOSTLY, dev));
  CK(cuMemAdvise(m, size, CU_MEM_ADVISE_UNSET_PREFERRED_LOCATION, dev));
  CK(cuMemAdvise(m, size, CU_MEM_ADVISE_UNSET_ACCESSED_BY, dev));
  line("range.read-mostly-unset", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY));
  line("range.preferred-unset", attr_int(m, size, CU_MEM_RANGE_ATTRIBUTE_PREFERRED_LOCATION));
  acc[0] = acc[1] = acc[2] = 7;
  res("range.accessed-by-unset", cuMemRangeGetAttribute(acc, sizeof acc, CU_MEM_RANGE_ATTRIBUTE_ACCESSED_BY, m, size));
  line("range.accessed-by-unset-values", ints(acc, 3));

  // errors
  int v = 0;
  res("range.null-data", cuMemRangeGetAttribute(nullptr, 4, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY, m, size));
  res("range.size-8-read-mostly", cuMemRangeGetAttribute(&acc, 8, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY, m, size));
  res("range.size-2", cuMemRangeGetAttribute(&v, 2, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY, m, size));
  res("range.accessed-by-size-6", cuMemRangeGetAttribute(acc, 6, CU_MEM_RANGE_ATTRIBUTE_ACCESSED_BY, m, size));
  res("range.count-0", cuMemRangeGetAttribute(&v, 4, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY, m, 0));
  res("range.attribute-0", cuMemRangeGetAttribute(&v, 4, (CUmem_range_attribute)0, m, size));
  res("range.attribute-99", cuMemRangeGetAttribute(&v, 4, (CUmem_range_attribute)99, m, size));
  res("range.device-memory", cuMemRangeGetAttribute(&v, 4, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY, d, 4096));
  res("range.past-the-end", cuMemRangeGetAttribute(&v, 4, CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY, m, size + 4096));

  // several at once
  int rm = 5, pl = 5;
  void* data[2] = {&rm, &pl};
  size_t sizes[2] = {4, 4};
  CUmem_range_attribute attrs[2] = {CU_MEM_RANGE_ATTRIBUTE_READ_MOSTLY, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION};
  CUresult r = cuMemRangeGetAttributes(data, sizes, attrs, 2, m, size);
  line("range.attributes-two", rv(r, fmt("%d %d", rm, pl)));
  res("range.attributes-zero", cuMemRangeGetAttributes(data, sizes, attrs, 0, m, size));
  res("range.attributes-null-data", cuMemRangeGetAttributes(nullptr, sizes, attrs, 2, m, size));
  res("range.attributes-null-sizes", cuMemRangeGetAttributes(data, nullptr, attrs, 2, m, size));
  res("range.attributes-null-attrs", cuMemRangeGetAttributes(data, sizes, nullptr, 2, m, size));

  // 13.0 batch prefetch / discard
  CUdeviceptr ptrs[2] = {m, m + size / 2};
  size_t lens[2] = {size / 2, size / 2};
  CUmemLocation locs[2] = {dev, cpu};
  size_t locIdx[2] = {0, 1};
  res("prefetch-batch.two-locations", cuMemPrefetchBatchAsync(ptrs, lens, 2, locs, locIdx, 2, 0, g_s));
  CK(cuStreamSynchronize(g_s));
  line("prefetch-batch.first-half", attr_int(m, size / 2, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION));
  line("prefetch-batch.second-half", attr_int(m + size / 2, size / 2, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION));
  res("prefetch-batch.count-0", cuMemPrefetchBatchAsync(ptrs, lens, 0, locs, locIdx, 1, 0, g_s));
  res("prefetch-batch.flags-1", cuMemPrefetchBatchAsync(ptrs, lens, 2, locs, locIdx, 1, 1, g_s));
  res("prefetch-batch.num-locs-0", cuMemPrefetchBatchAsync(ptrs, lens, 2, locs, locIdx, 0, 0, g_s));
  res("prefetch-batch.null-ptrs", cuMemPrefetchBatchAsync(nullptr, lens, 2, locs, locIdx, 1, 0, g_s));
  res("prefetch-batch.legacy-stream", cuMemPrefetchBatchAsync(ptrs, lens, 2, locs, locIdx, 1, 0, nullptr));
  CUdeviceptr dptrs[1] = {d};
  size_t dlen[1] = {4096};
  res("prefetch-batch.device-memory", cuMemPrefetchBatchAsync(dptrs, dlen, 1, locs, locIdx, 1, 0, g_s));
  res("discard-batch.managed", cuMemDiscardBatchAsync(ptrs, lens, 2, 0, g_s));
  res("discard-batch.flags-1", cuMemDiscardBatchAsync(ptrs, lens, 2, 1, g_s));
  res("discard-batch.count-0", cuMemDiscardBatchAsync(ptrs, lens, 0, 0, g_s));
  res("discard-batch.device-memory", cuMemDiscardBatchAsync(dptrs, dlen, 1, 0, g_s));
  res("discard-prefetch-batch.managed", cuMemDiscardAndPrefetchBatchAsync(ptrs, lens, 2, locs, locIdx, 2, 0, g_s));
  res("discard-prefetch-batch.flags-1", cuMemDiscardAndPrefetchBatchAsync(ptrs, lens, 2, locs, locIdx, 2, 1, g_s));
  CK(cuStreamSynchronize(g_s));
  line("discard-prefetch-batch.second-half", attr_int(m + size / 2, size / 2, CU_MEM_RANGE_ATTRIBUTE_LAST_PREFETCH_LOCATION));
  CK(cuMemFree(m));
  CK(cuMemFree(d));
}

struct Group {
  const char* name;
  void (*run)();
};
static const Group kGroups[] = {
    {"generic-nodes", generic_nodes}, {"user-objects", user_objects},   {"ctx-events", ctx_events},
    {"memcpy-batches", memcpy_batches}, {"mem-pools", mem_pools},       {"range-attributes", range_attributes},
};

// Each group runs in a process of its own (this program again, with --group NAME), so that a
// driver that crashes on one case shows up as a CRASHED line and the other groups still run.
int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--group") == 0) {
    for (const auto& g : kGroups)
      if (strcmp(g.name, argv[2]) == 0) {
        init_driver();
        g_print_procs = g.run == generic_nodes;
        lookup_entry_points();
        if (!addNode1 || !addNode2 || !nodeSetParams || !execNodeSetParams || !memcpyBatch1 || !memcpyBatch2 ||
            !memcpy3DBatch1 || !memcpy3DBatch2) {
          printf("FAIL entry points missing\n");
          return 1;
        }
        g.run();
        CK(cuCtxSynchronize());
        fflush(stdout);
        _exit(g_setup_failures ? 3 : 0);
      }
    printf("FAIL unknown group %s\n", argv[2]);
    return 2;
  }
  int failures = 0;
  for (const auto& g : kGroups) {
    printf("== %s\n", g.name);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      execl("/proc/self/exe", argv[0], "--group", g.name, (char*)nullptr);
      _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) {
      printf("%s: CRASHED (signal %d)\n", g.name, WTERMSIG(st));
      ++failures;
    } else if (WEXITSTATUS(st) != 0) {
      printf("FAIL %s: exited with %d\n", g.name, WEXITSTATUS(st));
      ++failures;
    }
    fflush(stdout);
  }
  if (failures) return 1;
  printf("PASS\n");
  return 0;
}
