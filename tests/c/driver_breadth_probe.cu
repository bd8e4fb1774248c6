// Error codes of NVIDIA's driver for the cases the driver-breadth work (JIT linking, stream
// attributes and memory operations, CUDA arrays, graph memory nodes) could not take from the
// documentation. Build: nvcc -o probe driver_breadth_probe.cu -lcuda (against cuemu: link
// target/release/libcuda.so.1 instead). One line per case: name and CUresult.
// Run on an H100 (driver 580.159.04, 2026-11-26); its answers are what src/driver/{link,
// memops,array,graphmem}.rs implement; cuemu's output differs only in two log texts (the
// truncation of a reused log buffer, and ptxas' wording for a syntax error). The graph memory
// details are settled by driver_breadth_probe2.cu.
// The H100 driver crashes (heap corruption / SIGSEGV) on cuLinkDestroy twice, on
// cuStreamGetAttribute with a NULL value and on a bogus CUarray handle; cuemu answers errors,
// so those cases are left out here.
#include <cuda.h>
#include <cstdio>
#include <cstring>
#define R(name, call) do { CUresult r_ = (call); printf("%-44s %d\n", name, (int)r_); } while (0)
#define CK(call) do { CUresult r_ = (call); if (r_) { printf("FAIL %s -> %d (line %d)\n", #call, (int)r_, __LINE__); } } while (0)

static const char* A = ".version 7.0\n.target sm_70\n.address_size 64\n"
  ".extern .func (.param .b32 r) scale (.param .b32 x);\n"
  ".visible .entry apply(.param .u64 p){\n.reg .b32 %r<4>;\n{\n.param .b32 a0;\n.param .b32 r0;\nst.param.b32 [a0], 1;\ncall.uni (r0), scale, (a0);\nld.param.b32 %r1, [r0];\n}\nret;\n}\n";
static const char* B = ".version 7.0\n.target sm_70\n.address_size 64\n"
  ".visible .func (.param .b32 r) scale (.param .b32 x){\n.reg .b32 %r<3>;\nld.param.b32 %r1, [x];\nst.param.b32 [r], %r1;\nret;\n}\n";

int main() {
  setvbuf(stdout, nullptr, _IONBF, 0);
  CK(cuInit(0));
  CUdevice dev; CK(cuDeviceGet(&dev, 0));
  CUcontext ctx; CK(cuDevicePrimaryCtxRetain(&ctx, dev)); CK(cuCtxSetCurrent(ctx));
  char name[256]; cuDeviceGetName(name, 256, dev); int ver; cuDriverGetVersion(&ver);
  printf("# %s driver %d\n", name, ver);
  int v;
  for (int a : {92, 93, 94, 122, 123}) { cuDeviceGetAttribute(&v, (CUdevice_attribute)a, dev); printf("attr %d = %d\n", a, v); }
  CUstream s; CK(cuStreamCreate(&s, CU_STREAM_NON_BLOCKING));

  // ---- link ----
  {
    char log[2048] = {0}; CUjit_option o[2] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void* ov[2] = {log, (void*)(size_t)sizeof log};
    CUlinkState ls; void* img; size_t sz;
    CK(cuLinkCreate(2, o, ov, &ls));
    R("link.add-ptx-with-extern", cuLinkAddData(ls, CU_JIT_INPUT_PTX, (void*)A, strlen(A) + 1, "a.ptx", 0, 0, 0));
    R("link.complete-unresolved", cuLinkComplete(ls, &img, &sz));
    printf("log: %s\n", log); cuLinkDestroy(ls);
    log[0] = 0; CK(cuLinkCreate(2, o, ov, &ls));
    R("link.add-b1", cuLinkAddData(ls, CU_JIT_INPUT_PTX, (void*)B, strlen(B) + 1, "b1.ptx", 0, 0, 0));
    R("link.add-b2", cuLinkAddData(ls, CU_JIT_INPUT_PTX, (void*)B, strlen(B) + 1, "b2.ptx", 0, 0, 0));
    R("link.complete-multiple-definition", cuLinkComplete(ls, &img, &sz));
    printf("log: %s\n", log); cuLinkDestroy(ls);
    log[0] = 0; CK(cuLinkCreate(2, o, ov, &ls));
    const char* bad = ".version 7.0\n.target sm_70\n.address_size 64\n.visible .entry k( {\n";
    R("link.add-syntax-error", cuLinkAddData(ls, CU_JIT_INPUT_PTX, (void*)bad, strlen(bad) + 1, "bad.ptx", 0, 0, 0));
    printf("log: %s\n", log);
    R("link.complete-empty", cuLinkComplete(ls, &img, &sz));
    R("link.add-type-99", cuLinkAddData(ls, (CUjitInputType)99, (void*)B, strlen(B) + 1, "x", 0, 0, 0));
    R("link.add-file-missing", cuLinkAddFile(ls, CU_JIT_INPUT_PTX, "/nonexistent/x.ptx", 0, 0, 0));
    cuLinkDestroy(ls);
  }

  // ---- stream attributes ----
  {
    CUstreamAttrValue val; memset(&val, 0, sizeof val);
    R("stream-attr.get-cooperative", cuStreamGetAttribute(s, CU_LAUNCH_ATTRIBUTE_COOPERATIVE, &val));
    R("stream-attr.get-sync-policy", cuStreamGetAttribute(s, CU_LAUNCH_ATTRIBUTE_SYNCHRONIZATION_POLICY, &val));
    printf("  default sync policy %d\n", (int)val.syncPolicy);
    val.syncPolicy = (CUsynchronizationPolicy)0;
    R("stream-attr.set-sync-policy-0", cuStreamSetAttribute(s, CU_LAUNCH_ATTRIBUTE_SYNCHRONIZATION_POLICY, &val));
    memset(&val, 0, sizeof val); val.accessPolicyWindow.hitRatio = 1.5f; val.accessPolicyWindow.num_bytes = 4096;
    R("stream-attr.set-window-hitratio-1.5", cuStreamSetAttribute(s, CU_LAUNCH_ATTRIBUTE_ACCESS_POLICY_WINDOW, &val));
    memset(&val, 0, sizeof val); val.priority = -100;
    R("stream-attr.set-priority--100", cuStreamSetAttribute(s, CU_LAUNCH_ATTRIBUTE_PRIORITY, &val));
    int p = 9; cuStreamGetPriority(s, &p); printf("  priority now %d\n", p);
    memset(&val, 0, sizeof val); val.memSyncDomain = (CUlaunchMemSyncDomain)2;
    R("stream-attr.set-domain-2", cuStreamSetAttribute(s, CU_LAUNCH_ATTRIBUTE_MEM_SYNC_DOMAIN, &val));
    R("stream-attr.get-null-stream", cuStreamGetAttribute(0, CU_LAUNCH_ATTRIBUTE_SYNCHRONIZATION_POLICY, &val));
    val.priority = 0; cuStreamSetAttribute(s, CU_LAUNCH_ATTRIBUTE_PRIORITY, &val);
  }

  // ---- arrays ----
  {
    CUarray a; CUDA_ARRAY3D_DESCRIPTOR d; memset(&d, 0, sizeof d);
    auto mk = [&](size_t w, size_t h, size_t dp, int f, int ch, unsigned fl) { d.Width = w; d.Height = h; d.Depth = dp; d.Format = (CUarray_format)f; d.NumChannels = ch; d.Flags = fl; return cuArray3DCreate(&a, &d); };
    R("array.format-0x77", mk(8, 8, 0, 0x77, 1, 0));
    R("array.channels-3", mk(8, 8, 0, 0x20, 3, 0));
    R("array.width-0", mk(0, 8, 0, 0x20, 1, 0));
    R("array.cubemap-8x4x6", mk(8, 4, 6, 1, 1, 4));
    R("array.cubemap-8x8x5", mk(8, 8, 5, 1, 1, 4));
    R("array.1d-200000", mk(200000, 0, 0, 1, 1, 0));
    R("array.3d-20000x10x10", mk(20000, 10, 10, 1, 1, 0));
    R("array.flags-0x1000", mk(8, 8, 0, 1, 1, 0x1000));
    R("array.format-unorm8x1", mk(8, 8, 0, 0xc0, 1, 0));
    R("array.ok-20x6-u32", mk(20, 6, 0, 3, 1, 0));
    char h[1024] = {0};
    R("array.htoa-past-end", cuMemcpyHtoA(a, 20 * 6 * 4 - 2, h, 4));
    R("array.htoa-across-rows", cuMemcpyHtoA(a, 70, h, 40));
    CUDA_MEMCPY2D c; memset(&c, 0, sizeof c);
    c.srcMemoryType = CU_MEMORYTYPE_HOST; c.srcHost = h; c.srcPitch = 256; c.dstMemoryType = CU_MEMORYTYPE_ARRAY; c.dstArray = a;
    c.WidthInBytes = 84; c.Height = 1;
    R("array.2d-row-too-wide", cuMemcpy2D(&c));
    c.WidthInBytes = 4; c.Height = 7;
    R("array.2d-too-many-rows", cuMemcpy2D(&c));
    CUDA_ARRAY_DESCRIPTOR d2;
    CK(cuArrayDestroy(a));
    (void)d2;
  }

  // ---- graph memory nodes ----
  {
    CUgraph g; CK(cuGraphCreate(&g, 0));
    CUDA_MEM_ALLOC_NODE_PARAMS ap; memset(&ap, 0, sizeof ap);
    ap.poolProps.allocType = CU_MEM_ALLOCATION_TYPE_PINNED; ap.poolProps.location.type = CU_MEM_LOCATION_TYPE_DEVICE; ap.poolProps.location.id = 0;
    ap.bytesize = 4096;
    CUgraphNode an, mn, fn, x;
    CK(cuGraphAddMemAllocNode(&an, g, nullptr, 0, &ap));
    CUDA_MEMSET_NODE_PARAMS mp; memset(&mp, 0, sizeof mp); mp.dst = ap.dptr; mp.value = 1; mp.elementSize = 4; mp.width = 1024; mp.height = 1;
    CK(cuGraphAddMemsetNode(&mn, g, &an, 1, &mp, ctx));
    CUdeviceptr plain; CK(cuMemAlloc(&plain, 4096));
    R("gmem.free-node-plain-ptr", cuGraphAddMemFreeNode(&x, g, &mn, 1, plain));
    R("gmem.free-node-bad-ptr", cuGraphAddMemFreeNode(&x, g, &mn, 1, 0x1234));
    CUgraph cl; R("gmem.clone", cuGraphClone(&cl, g));
    CUgraph parent; CK(cuGraphCreate(&parent, 0));
    R("gmem.child-graph", cuGraphAddChildGraphNode(&x, parent, nullptr, 0, g));
    R("gmem.remove-dependency", cuGraphRemoveDependencies(g, &an, &mn, nullptr, 1));
    R("gmem.destroy-node", cuGraphDestroyNode(mn));
    CUgraphExec e1, e2;
    CK(cuGraphInstantiate(&e1, g, 0));
    R("gmem.second-instantiate", cuGraphInstantiate(&e2, g, 0));
    R("gmem.freeasync-before-launch", cuMemFreeAsync(ap.dptr, s));
    CK(cuGraphLaunch(e1, s));
    R("gmem.relaunch-unfreed", cuGraphLaunch(e1, s));
    CK(cuStreamSynchronize(s));
    cuuint64_t used = 0; cuDeviceGetGraphMemAttribute(dev, CU_GRAPH_MEM_ATTR_USED_MEM_CURRENT, &used); printf("  used after launch %llu\n", (unsigned long long)used);
    R("gmem.freeasync-outstanding", cuMemFreeAsync(ap.dptr, s));
    CK(cuStreamSynchronize(s));
    R("gmem.free-twice", cuMemFree(ap.dptr));
    cuDeviceGetGraphMemAttribute(dev, CU_GRAPH_MEM_ATTR_USED_MEM_CURRENT, &used); printf("  used after free %llu\n", (unsigned long long)used);
    cuDeviceGetGraphMemAttribute(dev, CU_GRAPH_MEM_ATTR_RESERVED_MEM_CURRENT, &used); printf("  reserved after free %llu\n", (unsigned long long)used);
    CK(cuDeviceGraphMemTrim(dev));
    cuDeviceGetGraphMemAttribute(dev, CU_GRAPH_MEM_ATTR_RESERVED_MEM_CURRENT, &used); printf("  reserved after trim %llu\n", (unsigned long long)used);
    cuuint64_t zero = 0, one = 1;
    R("gmem.set-used-current", cuDeviceSetGraphMemAttribute(dev, CU_GRAPH_MEM_ATTR_USED_MEM_CURRENT, &zero));
    R("gmem.set-used-high-1", cuDeviceSetGraphMemAttribute(dev, CU_GRAPH_MEM_ATTR_USED_MEM_HIGH, &one));
    R("gmem.set-used-high-0", cuDeviceSetGraphMemAttribute(dev, CU_GRAPH_MEM_ATTR_USED_MEM_HIGH, &zero));
    CK(cuGraphAddMemFreeNode(&fn, g, &mn, 1, ap.dptr));
    R("gmem.free-node-twice", cuGraphAddMemFreeNode(&x, g, &fn, 1, ap.dptr));
    // Capture: freeing memory no graph allocated.
    CK(cuStreamBeginCapture(s, CU_STREAM_CAPTURE_MODE_RELAXED));
    R("gmem.capture-freeasync-plain", cuMemFreeAsync(plain, s));
    CUstreamCaptureStatus cs; cuStreamIsCapturing(s, &cs); printf("  capture status %d\n", (int)cs);
    CUgraph cg; R("gmem.capture-end", cuStreamEndCapture(s, &cg));
    cuMemFree(plain);
  }

  // ---- stream memory operations (errors only: nothing that could wait forever) ----
  {
    unsigned* hp; CK(cuMemHostAlloc((void**)&hp, 64, 0)); memset(hp, 0, 64);
    CUdeviceptr dp = (CUdeviceptr)hp;
    CUstreamBatchMemOpParams ops[257]; memset(ops, 0, sizeof ops);
    for (int i = 0; i < 257; ++i) { ops[i].writeValue.operation = CU_STREAM_MEM_OP_WRITE_VALUE_32; ops[i].writeValue.address = dp; ops[i].writeValue.value = 1; }
    R("memop.batch-count-0", cuStreamBatchMemOp(s, 0, ops, 0));
    R("memop.batch-count-256", cuStreamBatchMemOp(s, 256, ops, 0));
    R("memop.batch-count-257", cuStreamBatchMemOp(s, 257, ops, 0));
    R("memop.batch-flags-1", cuStreamBatchMemOp(s, 1, ops, 1));
    ops[0].operation = (CUstreamBatchMemOpType)7;
    R("memop.batch-op-7", cuStreamBatchMemOp(s, 1, ops, 0));
    R("memop.write32-misaligned", cuStreamWriteValue32(s, dp + 2, 1, 0));
    R("memop.write64-misaligned", cuStreamWriteValue64(s, dp + 4, 1, 0));
    R("memop.write32-flags-2", cuStreamWriteValue32(s, dp, 1, 2));
    R("memop.wait32-flags-4", cuStreamWaitValue32(s, dp, 0, 4));
    R("memop.wait32-geq-0", cuStreamWaitValue32(s, dp, 0, CU_STREAM_WAIT_VALUE_GEQ));
    CK(cuStreamSynchronize(s));
    void* v1 = nullptr; CUdriverProcAddressQueryResult q;
    R("memop.getproc-v1-8000", cuGetProcAddress("cuStreamWaitValue32", &v1, 8000, 0, &q));
    if (v1) R("memop.v1-wait32-call", ((CUresult(*)(CUstream, CUdeviceptr, cuuint32_t, unsigned))v1)(s, dp, 0, 0));
    CK(cuStreamSynchronize(s));
    unsigned local = 0;
    R("memop.write32-unregistered-host", cuStreamWriteValue32(s, (CUdeviceptr)&local, 1, 0));
    R("memop.sync-after", cuStreamSynchronize(s));
  }
  printf("done\n");
  return 0;
}
