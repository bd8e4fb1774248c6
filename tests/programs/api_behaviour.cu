// api_behaviour.cu — the driver API's behaviour, written once and run against both drivers
// (NVIDIA's on a real H100 records tests/golden/h100/api_behaviour.txt; cuemu must print the
// same). One line per case, `case-name: RESULT`, where RESULT is what the driver answered
// (CUresult names from cuGetErrorName, values, orderings). Nothing here prints what differs
// between GPUs or runs (addresses, SM counts, memory sizes, register counts, timings).
//
// Groups: NULL, destroyed and unloaded handles (each group in a child process of its own, so
// that a driver that crashes on a dangling handle shows up as a CRASHED line instead of ending
// the run; NVIDIA's driver 580 dies with SIGSEGV on a destroyed stream or event handle and on
// made-up handles, and aborts after cuCtxPushCurrent of a destroyed context, so those are not
// compared: cuemu answers CUDA_ERROR_INVALID_HANDLE / INVALID_CONTEXT there);
// frees and copies with bad pointers (children too: a bad copy may fault the context); stream
// and event queries while a host function holds a stream; event timing errors; stream capture
// rules (synchronous calls inside a global capture, legacy-stream work, cross-stream joins via
// events, ending on the wrong stream, global vs thread-local vs relaxed modes seen from another
// thread, cuStreamGetCaptureInfo); cuGraphExecUpdate on compatible and incompatible changes;
// VMM granularity and misuse; memory pools and stream-ordered allocation; cuPointerGetAttribute
// for every attribute on device, pinned, managed, pool, VMM and pageable memory;
// device-independent cuFuncGetAttribute values; and last the sticky error after a kernel fault
// and its recovery by cuDevicePrimaryCtxReset.
//
// Build: nvcc -o api_behaviour api_behaviour.cu -lcuda
//
// The PTX was generated once with `nvcc -ptx -arch=compute_75` (CUDA 13.5) from this source,
// with `.version` lowered to 7.0 so that any driver from CUDA 11 on accepts it:
//
//   extern "C" {
//   __constant__ int c_table[16];
//   __global__ void add_one(int* p, int n) {
//     int i = blockIdx.x * blockDim.x + threadIdx.x;
//     if (i < n) p[i] += 1;
//   }
//   __global__ void sub_one(int* p, int n) {
//     int i = blockIdx.x * blockDim.x + threadIdx.x;
//     if (i < n) p[i] -= 1;
//   }
//   __global__ void write_far(int* p) {
//     int* far = (int*)((unsigned long long)p + (1ull << 38));
//     far[threadIdx.x] = 42;
//   }
//   __global__ void with_shared(int* p) {
//     __shared__ int s[64];
//     s[threadIdx.x] = threadIdx.x;
//     __syncthreads();
//     p[threadIdx.x] = s[63 - threadIdx.x];
//   }
//   __global__ void __launch_bounds__(128) bounded(int* p) { p[threadIdx.x] = c_table[threadIdx.x & 15]; }
//   }
#include <atomic>
#include <cstdarg>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cuda.h>
#include "driver_case.h"

static const char* kPtx =
    ".version 7.0\n"
    ".target sm_75\n"
    ".address_size 64\n"
    "    // .globl    add_one\n"
    ".const .align 4 .b8 c_table[64];\n"
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
    "}\n"
    "    // .globl    sub_one\n"
    ".visible .entry sub_one(\n"
    "    .param .u64 sub_one_param_0,\n"
    "    .param .u32 sub_one_param_1\n"
    ")\n"
    "{\n"
    "    .reg .pred     %p<2>;\n"
    "    .reg .b32     %r<8>;\n"
    "    .reg .b64     %rd<5>;\n"
    "    ld.param.u64     %rd1, [sub_one_param_0];\n"
    "    ld.param.u32     %r2, [sub_one_param_1];\n"
    "    mov.u32     %r3, %ctaid.x;\n"
    "    mov.u32     %r4, %ntid.x;\n"
    "    mov.u32     %r5, %tid.x;\n"
    "    mad.lo.s32     %r1, %r3, %r4, %r5;\n"
    "    setp.ge.s32     %p1, %r1, %r2;\n"
    "    @%p1 bra     $L__BB1_2;\n"
    "    cvta.to.global.u64     %rd2, %rd1;\n"
    "    mul.wide.s32     %rd3, %r1, 4;\n"
    "    add.s64     %rd4, %rd2, %rd3;\n"
    "    ld.global.u32     %r6, [%rd4];\n"
    "    add.s32     %r7, %r6, -1;\n"
    "    st.global.u32     [%rd4], %r7;\n"
    "$L__BB1_2:\n"
    "    ret;\n"
    "}\n"
    "    // .globl    write_far\n"
    ".visible .entry write_far(\n"
    "    .param .u64 write_far_param_0\n"
    ")\n"
    "{\n"
    "    .reg .b32     %r<3>;\n"
    "    .reg .b64     %rd<5>;\n"
    "    ld.param.u64     %rd1, [write_far_param_0];\n"
    "    mov.u32     %r1, %tid.x;\n"
    "    mul.wide.u32     %rd2, %r1, 4;\n"
    "    add.s64     %rd3, %rd1, %rd2;\n"
    "    add.s64     %rd4, %rd3, 274877906944;\n"
    "    mov.u32     %r2, 42;\n"
    "    st.u32     [%rd4], %r2;\n"
    "    ret;\n"
    "}\n"
    "    // .globl    with_shared\n"
    ".visible .entry with_shared(\n"
    "    .param .u64 with_shared_param_0\n"
    ")\n"
    "{\n"
    "    .reg .b32     %r<10>;\n"
    "    .reg .b64     %rd<5>;\n"
    "    // demoted variable\n"
    "    .shared .align 4 .b8 _ZZ11with_sharedE1s[256];\n"
    "    ld.param.u64     %rd1, [with_shared_param_0];\n"
    "    cvta.to.global.u64     %rd2, %rd1;\n"
    "    mov.u32     %r1, %tid.x;\n"
    "    shl.b32     %r2, %r1, 2;\n"
    "    mov.u32     %r3, _ZZ11with_sharedE1s;\n"
    "    add.s32     %r4, %r3, %r2;\n"
    "    st.shared.u32     [%r4], %r1;\n"
    "    bar.sync     0;\n"
    "    mov.u32     %r5, 63;\n"
    "    sub.s32     %r6, %r5, %r1;\n"
    "    shl.b32     %r7, %r6, 2;\n"
    "    add.s32     %r8, %r3, %r7;\n"
    "    ld.shared.u32     %r9, [%r8];\n"
    "    mul.wide.u32     %rd3, %r1, 4;\n"
    "    add.s64     %rd4, %rd2, %rd3;\n"
    "    st.global.u32     [%rd4], %r9;\n"
    "    ret;\n"
    "}\n"
    "    // .globl    bounded\n"
    ".visible .entry bounded(\n"
    "    .param .u64 bounded_param_0\n"
    ")\n"
    ".maxntid 128, 1, 1\n"
    "{\n"
    "    .reg .b32     %r<4>;\n"
    "    .reg .b64     %rd<9>;\n"
    "    ld.param.u64     %rd1, [bounded_param_0];\n"
    "    cvta.to.global.u64     %rd2, %rd1;\n"
    "    mov.u32     %r1, %tid.x;\n"
    "    shl.b32     %r2, %r1, 2;\n"
    "    cvt.u64.u32     %rd3, %r2;\n"
    "    and.b64      %rd4, %rd3, 60;\n"
    "    mov.u64     %rd5, c_table;\n"
    "    add.s64     %rd6, %rd5, %rd4;\n"
    "    ld.const.u32     %r3, [%rd6];\n"
    "    mul.wide.u32     %rd7, %r1, 4;\n"
    "    add.s64     %rd8, %rd2, %rd7;\n"
    "    st.global.u32     [%rd8], %r3;\n"
    "    ret;\n"
    "}\n";

// ---------------------------------------------------------------------------------------------
// helpers (printing a case and CK: driver_case.h)

static CUdevice g_dev;
static CUcontext g_ctx;
static CUmodule g_mod;
static CUfunction f_add_one, f_sub_one, f_write_far, f_with_shared, f_bounded;

static void init_driver() {
  CK(cuInit(0));
  CK(cuDeviceGet(&g_dev, 0));
  CK(cuDevicePrimaryCtxRetain(&g_ctx, g_dev));
  CK(cuCtxSetCurrent(g_ctx));
}
static void load_module() {
  CK(cuModuleLoadData(&g_mod, kPtx));
  CK(cuModuleGetFunction(&f_add_one, g_mod, "add_one"));
  CK(cuModuleGetFunction(&f_sub_one, g_mod, "sub_one"));
  CK(cuModuleGetFunction(&f_write_far, g_mod, "write_far"));
  CK(cuModuleGetFunction(&f_with_shared, g_mod, "with_shared"));
  CK(cuModuleGetFunction(&f_bounded, g_mod, "bounded"));
}

static CUresult launch_add(CUfunction f, CUdeviceptr p, int n, CUstream s) {
  void* args[] = {&p, &n};
  return cuLaunchKernel(f, (n + 127) / 128, 1, 1, 128, 1, 1, 0, s, args, nullptr);
}

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

static const char* capture_status_name(CUstreamCaptureStatus st) {
  switch (st) {
    case CU_STREAM_CAPTURE_STATUS_NONE: return "NONE";
    case CU_STREAM_CAPTURE_STATUS_ACTIVE: return "ACTIVE";
    case CU_STREAM_CAPTURE_STATUS_INVALIDATED: return "INVALIDATED";
    default: return "OTHER";
  }
}
static std::string capture_status(CUstream s) {
  CUstreamCaptureStatus st;
  CUresult r = cuStreamIsCapturing(s, &st);
  if (r != CUDA_SUCCESS) return N(r);
  return capture_status_name(st);
}
static std::string end_capture(CUstream s) {
  CUgraph g = nullptr;
  CUresult r = cuStreamEndCapture(s, &g);
  std::string out = fmt("%s graph=%s", N(r), g ? "returned" : "null");
  if (g) cuGraphDestroy(g);
  return out;
}
static size_t node_count(CUgraph g) {
  size_t n = 0;
  if (cuGraphGetNodes(g, nullptr, &n) != CUDA_SUCCESS) return (size_t)-1;
  return n;
}

// ---------------------------------------------------------------------------------------------
// child-process cases: dangling and invalid handles, bad pointers

struct ChildCase {
  const char* name;
  void (*run)();
};

static void child_destroyed_context() {
  CUcontext c;
  CK(cuCtxCreate(&c, nullptr, 0, g_dev));
  CK(cuCtxDestroy(c));
  CUcontext cur = (CUcontext)0x1;
  res("destroyed-context.get-current-after-destroy", cuCtxGetCurrent(&cur));
  line("destroyed-context.current-is", cur == nullptr ? "null" : cur == g_ctx ? "primary" : "other");
  CUdeviceptr d = 0;
  res("destroyed-context.mem-alloc-without-current", cuMemAlloc(&d, 256));
  // (cuCtxPushCurrent of the destroyed handle answers CUDA_SUCCESS on NVIDIA's driver 580 and the
  // next cuCtxPopCurrent aborts the process: not compared.)
  CK(cuCtxSetCurrent(g_ctx));
  res("destroyed-context.primary-still-works", cuMemAlloc(&d, 256));
}
static void child_unloaded_module() {
  CUmodule m;
  CUfunction f;
  CK(cuModuleLoadData(&m, kPtx));
  CK(cuModuleGetFunction(&f, m, "add_one"));
  CK(cuModuleUnload(m));
  CUfunction g = nullptr;
  res("unloaded-module.get-function", cuModuleGetFunction(&g, m, "add_one"));
  CUdeviceptr d;
  CK(cuMemAlloc(&d, 4096));
  res("unloaded-module.launch-its-function", launch_add(f, d, 16, nullptr));
  res("unloaded-module.synchronize", cuCtxSynchronize());
  int v = -1;
  res("unloaded-module.func-get-attribute", cuFuncGetAttribute(&v, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f));
  res("unloaded-module.unload-again", cuModuleUnload(m));
}
static void child_destroyed_graph() {
  CUgraph g;
  CK(cuGraphCreate(&g, 0));
  CUgraphNode n;
  CK(cuGraphAddEmptyNode(&n, g, nullptr, 0));
  CUgraphExec e;
  CK(cuGraphInstantiate(&e, g, 0));
  CK(cuGraphDestroy(g));
  res("destroyed-graph.launch-its-exec", cuGraphLaunch(e, nullptr));
  res("destroyed-graph.synchronize", cuCtxSynchronize());
  size_t cnt = 0;
  res("destroyed-graph.get-nodes", cuGraphGetNodes(g, nullptr, &cnt));
  CUgraphExec e2;
  res("destroyed-graph.instantiate", cuGraphInstantiate(&e2, g, 0));
  res("destroyed-graph.destroy-again", cuGraphDestroy(g));
  CK(cuGraphExecDestroy(e));
  res("destroyed-graph-exec.launch", cuGraphLaunch(e, nullptr));
  res("destroyed-graph-exec.destroy-again", cuGraphExecDestroy(e));
}
static void child_null_handles() {
  res("null-event.query", cuEventQuery(nullptr));
  res("null-event.record", cuEventRecord(nullptr, nullptr));
  res("null-function.launch", launch_add(nullptr, 0, 1, nullptr));
  int v = 0;
  res("null-function.get-attribute", cuFuncGetAttribute(&v, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, nullptr));
  CUfunction f;
  res("null-module.get-function", cuModuleGetFunction(&f, nullptr, "add_one"));
  res("null-graph-exec.launch", cuGraphLaunch(nullptr, nullptr));
  size_t cnt;
  res("null-graph.get-nodes", cuGraphGetNodes(nullptr, nullptr, &cnt));
  res("null-context.destroy", cuCtxDestroy(nullptr));
  res("null-stream.destroy", cuStreamDestroy(nullptr));
}
static void child_frees() {
  CUdeviceptr d;
  CK(cuMemAlloc(&d, 4096));
  res("mem-free.null", cuMemFree(0));
  res("mem-free.never-allocated", cuMemFree((CUdeviceptr)0x1000));
  res("mem-free.interior-pointer", cuMemFree(d + 256));
  res("mem-free.first", cuMemFree(d));
  res("mem-free.double", cuMemFree(d));
  void* h;
  CK(cuMemAllocHost(&h, 4096));
  res("mem-free.pinned-host-pointer", cuMemFree((CUdeviceptr)h));
  CUdeviceptr live;
  CK(cuMemAlloc(&live, 4096));
  res("mem-free-host.live-device-pointer", cuMemFreeHost((void*)live));
  res("mem-free.device-pointer-after-free-host", cuMemFree(live));
  res("mem-free-host.first", cuMemFreeHost(h));
  res("mem-free-host.double", cuMemFreeHost(h));
  std::vector<char> pageable(64);
  res("mem-free-host.pageable", cuMemFreeHost(pageable.data()));
  res("context-after-bad-frees", cuCtxSynchronize());
}
static void child_bad_copies() {
  CUdeviceptr d;
  CK(cuMemAlloc(&d, 4096));
  std::vector<char> h(8192, 1);
  res("memcpy-htod.unallocated-device-pointer", cuMemcpyHtoD((CUdeviceptr)0x1000, h.data(), 64));
  res("memcpy-htod.past-the-end", cuMemcpyHtoD(d, h.data(), 8192));
  res("memcpy-dtoh.unallocated-device-pointer", cuMemcpyDtoH(h.data(), (CUdeviceptr)0x1000, 64));
  res("memcpy-dtoh.null-host", cuMemcpyDtoH(nullptr, d, 64));
  res("memcpy-dtod.unallocated-source", cuMemcpyDtoD(d, (CUdeviceptr)0x1000, 64));
  res("memcpy-dtod.zero-bytes", cuMemcpyDtoD(d, (CUdeviceptr)0x1000, 0));
  res("memset-d32.unallocated", cuMemsetD32((CUdeviceptr)0x1000, 0, 16));
  res("memset-d32.misaligned", cuMemsetD32(d + 2, 0, 16));
  res("memcpy-async.unallocated", cuMemcpyHtoDAsync((CUdeviceptr)0x1000, h.data(), 64, nullptr));
  res("context-after-bad-copies", cuCtxSynchronize());
}

static void child_reset_without_fault() {
  CUdeviceptr d = 0;
  CK(cuMemAlloc(&d, 4096));
  res("reset-without-fault.reset", cuDevicePrimaryCtxReset(g_dev));
  unsigned flags = 0;
  int active = -1;
  CK(cuDevicePrimaryCtxGetState(g_dev, &flags, &active));
  line("reset-without-fault.active-after-reset", fmt("%d", active));
  CUcontext cur = (CUcontext)0x1;
  res("reset-without-fault.ctx-get-current", cuCtxGetCurrent(&cur));
  line("reset-without-fault.current", cur == g_ctx ? "same-handle" : cur ? "other" : "null");
  res("reset-without-fault.ctx-synchronize", cuCtxSynchronize());
  CUdeviceptr e = 0;
  CUresult r = cuMemAlloc(&e, 4096);
  res("reset-without-fault.mem-alloc", r);
  CK(cuDevicePrimaryCtxGetState(g_dev, &flags, &active));
  line("reset-without-fault.active-after-alloc", fmt("%d", active));
  res("reset-without-fault.old-allocation-free", cuMemFree(d));
  if (r == CUDA_SUCCESS) res("reset-without-fault.new-allocation-free", cuMemFree(e));
  res("reset-without-fault.release", cuDevicePrimaryCtxRelease(g_dev));
  CUcontext again = nullptr;
  res("reset-without-fault.retain", cuDevicePrimaryCtxRetain(&again, g_dev));
  line("reset-without-fault.retained-handle", again == g_ctx ? "same-handle" : again ? "other" : "null");
  res("reset-without-fault.mem-alloc-after-retain", cuMemAlloc(&e, 4096));
  res("reset-without-fault.release-after-retain", cuDevicePrimaryCtxRelease(g_dev));
  res("reset-without-fault.release-again", cuDevicePrimaryCtxRelease(g_dev));
}

static void child_double_releases() {
  CUstream s;
  CK(cuStreamCreate(&s, CU_STREAM_NON_BLOCKING));
  CUdeviceptr a = 0;
  CK(cuMemAllocAsync(&a, 1 << 20, s));
  res("double-release.free-async-first", cuMemFreeAsync(a, s));
  CK(cuStreamSynchronize(s));
  res("double-release.free-async-second", cuMemFreeAsync(a, s));
  res("double-release.free-async-stream-sync", cuStreamSynchronize(s));
  CUmemAllocationProp prop;
  memset(&prop, 0, sizeof prop);
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = g_dev;
  size_t G = 0;
  CK(cuMemGetAllocationGranularity(&G, &prop, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  CUmemGenericAllocationHandle h = 0;
  CK(cuMemCreate(&h, G, &prop, 0));
  res("double-release.mem-release-first", cuMemRelease(h));
  res("double-release.mem-release-second", cuMemRelease(h));
  res("double-release.context-after", cuCtxSynchronize());
}

static const ChildCase kChildren[] = {
    {"double-releases", child_double_releases}, {"reset-without-fault", child_reset_without_fault},
    {"destroyed-context", child_destroyed_context}, {"unloaded-module", child_unloaded_module},
    {"destroyed-graph", child_destroyed_graph},
    {"null-handles", child_null_handles},         {"frees", child_frees},
    {"bad-copies", child_bad_copies},
};

static int run_child(const char* name) {
  for (const auto& c : kChildren)
    if (strcmp(c.name, name) == 0) {
      init_driver();
      load_module();
      c.run();
      fflush(stdout);
      _exit(g_setup_failures ? 3 : 0);
    }
  printf("FAIL unknown child case %s\n", name);
  return 2;
}

static void spawn_children(const char* self) {
  for (const auto& c : kChildren) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      execl(self, self, "--child", c.name, (char*)nullptr);
      _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) {
      printf("%s: CRASHED (signal %d)\n", c.name, WTERMSIG(st));
    } else if (WEXITSTATUS(st) != 0) {
      printf("FAIL %s: child exited with %d\n", c.name, WEXITSTATUS(st));
      ++g_setup_failures;
    }
    fflush(stdout);
  }
}

// ---------------------------------------------------------------------------------------------
// in-process cases

static void streams_and_events() {
  CUstream s;
  CK(cuStreamCreate(&s, CU_STREAM_NON_BLOCKING));
  CUevent before, after;
  CK(cuEventCreate(&before, 0));
  CK(cuEventCreate(&after, 0));
  res("event-query.never-recorded", cuEventQuery(before));
  res("event-synchronize.never-recorded", cuEventSynchronize(before));
  res("stream-query.idle", cuStreamQuery(s));
  CK(cuEventRecord(before, s));
  hold(s);
  CK(cuEventRecord(after, s));
  res("stream-query.held-by-host-function", cuStreamQuery(s));
  res("event-query.recorded-before-hold", cuEventQuery(before));
  res("event-query.recorded-behind-hold", cuEventQuery(after));
  float ms = 0;
  res("event-elapsed.end-not-complete", cuEventElapsedTime(&ms, before, after));
  res("stream-query.null-stream-while-non-blocking-held", cuStreamQuery(nullptr));
  release();
  res("stream-synchronize.after-release", cuStreamSynchronize(s));
  res("stream-query.after-synchronize", cuStreamQuery(s));
  res("event-query.after-synchronize", cuEventQuery(after));
  ms = -1;
  CUresult r = cuEventElapsedTime(&ms, before, after);
  line("event-elapsed.across-hold", fmt("%s positive=%s", N(r), ms > 0 ? "yes" : "no"));
  r = cuEventElapsedTime(&ms, after, before);
  line("event-elapsed.reversed", fmt("%s negative=%s", N(r), ms < 0 ? "yes" : "no"));

  CUevent nt1, nt2, fresh;
  CK(cuEventCreate(&nt1, CU_EVENT_DISABLE_TIMING));
  CK(cuEventCreate(&nt2, CU_EVENT_DISABLE_TIMING));
  CK(cuEventCreate(&fresh, 0));
  CK(cuEventRecord(nt1, s));
  CK(cuEventRecord(nt2, s));
  CK(cuStreamSynchronize(s));
  res("event-elapsed.disable-timing-both", cuEventElapsedTime(&ms, nt1, nt2));
  res("event-elapsed.disable-timing-start", cuEventElapsedTime(&ms, nt1, after));
  res("event-elapsed.end-never-recorded", cuEventElapsedTime(&ms, before, fresh));
  res("event-elapsed.start-never-recorded", cuEventElapsedTime(&ms, fresh, after));
  res("event-elapsed.same-event", cuEventElapsedTime(&ms, after, after));
  line("event-elapsed.same-event-value", fmt("%g", ms));
  res("event-elapsed.null-output", cuEventElapsedTime(nullptr, before, after));

  CUevent bad;
  res("event-create.invalid-flags", cuEventCreate(&bad, 0x100));
  res("event-create.blocking-sync", cuEventCreate(&bad, CU_EVENT_BLOCKING_SYNC));
  CK(cuEventRecord(bad, s));
  res("event-synchronize.blocking-sync", cuEventSynchronize(bad));
  CK(cuEventDestroy(bad));
  res("event-record-with-flags.default", cuEventRecordWithFlags(after, s, CU_EVENT_RECORD_DEFAULT));
  res("event-record-with-flags.external-outside-capture", cuEventRecordWithFlags(after, s, CU_EVENT_RECORD_EXTERNAL));
  res("event-record-with-flags.invalid", cuEventRecordWithFlags(after, s, 0x10));
  res("stream-wait-event.invalid-flags", cuStreamWaitEvent(s, after, 0x10));
  res("stream-wait-event.never-recorded", cuStreamWaitEvent(s, fresh, 0));
  CUstream bad_s;
  res("stream-create.invalid-flags", cuStreamCreate(&bad_s, 0x4));
  int least = 99, greatest = 99;
  CK(cuCtxGetStreamPriorityRange(&least, &greatest));
  line("stream-priority-range", fmt("least=%d greatest=%d", least, greatest));
  int prio = 99;
  res("stream-get-priority.null-stream", cuStreamGetPriority(nullptr, &prio));
  line("stream-get-priority.null-stream-value", fmt("%d", prio));
  CUstream hi;
  CK(cuStreamCreateWithPriority(&hi, CU_STREAM_NON_BLOCKING, -1000));
  CK(cuStreamGetPriority(hi, &prio));
  line("stream-create-with-priority.clamped", fmt("%d", prio));
  CK(cuStreamDestroy(hi));
  unsigned flags = 99;
  res("stream-get-flags.null-stream", cuStreamGetFlags(nullptr, &flags));
  line("stream-get-flags.null-stream-value", fmt("%u", flags));
  res("stream-get-flags.legacy", cuStreamGetFlags(CU_STREAM_LEGACY, &flags));
  line("stream-get-flags.legacy-value", fmt("%u", flags));
  res("stream-get-flags.per-thread", cuStreamGetFlags(CU_STREAM_PER_THREAD, &flags));
  line("stream-get-flags.per-thread-value", fmt("%u", flags));
  unsigned long long id_legacy = 0, id_pt = 0, id_s = 0;
  CK(cuStreamGetId(CU_STREAM_LEGACY, &id_legacy));
  CK(cuStreamGetId(CU_STREAM_PER_THREAD, &id_pt));
  CK(cuStreamGetId(s, &id_s));
  line("stream-get-id.distinct", (id_legacy != id_pt && id_pt != id_s && id_legacy != id_s) ? "yes" : "no");
  CUcontext sc = nullptr;
  CK(cuStreamGetCtx(s, &sc));
  line("stream-get-ctx", sc == g_ctx ? "primary" : "other");

  // cuStreamAddCallback receives the stream handle and CUDA_SUCCESS.
  struct CbState {
    CUstream s;
    CUresult status;
    int calls;
  } cb = {nullptr, CUDA_ERROR_UNKNOWN, 0};
  auto callback = [](CUstream hs, CUresult status, void* u) {
    CbState* st = (CbState*)u;
    st->s = hs;
    st->status = status;
    st->calls++;
  };
  res("stream-add-callback", cuStreamAddCallback(s, callback, &cb, 0));
  res("stream-add-callback.invalid-flags", cuStreamAddCallback(s, callback, &cb, 1));
  CK(cuStreamSynchronize(s));
  line("stream-add-callback.arguments",
       fmt("calls=%d stream=%s status=%s", cb.calls, cb.s == s ? "same" : "other", N(cb.status)));
  res("launch-host-func.null-function", cuLaunchHostFunc(s, nullptr, nullptr));
  for (CUevent e : {before, after, nt1, nt2, fresh}) CK(cuEventDestroy(e));
  CK(cuStreamDestroy(s));
}

static void capture_rules() {
  CUdeviceptr d;
  CK(cuMemAlloc(&d, 4096 * sizeof(int)));
  CK(cuMemsetD32(d, 0, 4096));
  CUstream b, nb, nb2;
  CK(cuStreamCreate(&b, 0));
  CK(cuStreamCreate(&nb, CU_STREAM_NON_BLOCKING));
  CK(cuStreamCreate(&nb2, CU_STREAM_NON_BLOCKING));
  std::vector<int> h(4096);

  res("capture.begin-on-legacy", cuStreamBeginCapture(CU_STREAM_LEGACY, CU_STREAM_CAPTURE_MODE_GLOBAL));
  res("capture.begin-on-null", cuStreamBeginCapture(nullptr, CU_STREAM_CAPTURE_MODE_GLOBAL));
  line("capture.end-without-begin", end_capture(nb));

  // cuStreamGetCaptureInfo through a capture's life.
  {
    CUstreamCaptureStatus st;
    cuuint64_t id1 = 0, id2 = 0;
    CUgraph g = nullptr;
    const CUgraphNode* deps = nullptr;
    size_t nd = 99;
    CUresult r = cuStreamGetCaptureInfo(nb, &st, &id1, &g, &deps, nullptr, &nd);
    line("capture-info.before", fmt("%s %s graph=%s", N(r), capture_status_name(st), g ? "set" : "null"));
    CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
    r = cuStreamGetCaptureInfo(nb, &st, &id1, &g, &deps, nullptr, &nd);
    line("capture-info.started", fmt("%s %s id=%s graph=%s deps=%zu", N(r), capture_status_name(st), id1 ? "nonzero" : "zero",
                                     g ? "set" : "null", nd));
    CK(launch_add(f_add_one, d, 4096, nb));
    CK(launch_add(f_add_one, d, 4096, nb));
    r = cuStreamGetCaptureInfo(nb, &st, nullptr, nullptr, &deps, nullptr, &nd);
    line("capture-info.after-two-kernels", fmt("%s %s deps=%zu", N(r), capture_status_name(st), nd));
    line("capture-info.graph-nodes-so-far", fmt("%zu", g ? node_count(g) : (size_t)0));
    CUgraph out = nullptr;
    CK(cuStreamEndCapture(nb, &out));
    line("capture-info.captured-nodes", fmt("%zu", out ? node_count(out) : (size_t)0));
    if (out) cuGraphDestroy(out);
    CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
    CK(cuStreamGetCaptureInfo(nb, &st, &id2, nullptr, nullptr, nullptr, nullptr));
    line("capture-info.new-capture-new-id", id2 != id1 ? "yes" : "no");
    res("capture.begin-twice", cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
    res("capture.query-capturing-stream", cuStreamQuery(nb));
    r = cuStreamGetCaptureInfo(nb, &st, nullptr, nullptr, nullptr, nullptr, nullptr);
    line("capture-info.after-query", fmt("%s %s", N(r), capture_status_name(st)));
    res("capture.launch-into-invalidated", launch_add(f_add_one, d, 4096, nb));
    line("capture.end-invalidated", end_capture(nb));
    line("capture.status-after-end-invalidated", capture_status(nb));
  }

  // Synchronizing calls during a global capture of a blocking stream.
  CK(cuStreamBeginCapture(b, CU_STREAM_CAPTURE_MODE_GLOBAL));
  CK(launch_add(f_add_one, d, 4096, b));
  res("capture-global.stream-synchronize-legacy", cuStreamSynchronize(CU_STREAM_LEGACY));
  line("capture-global.status-after-legacy-sync", capture_status(b));
  line("capture-global.end-after-legacy-sync", end_capture(b));

  CK(cuStreamBeginCapture(b, CU_STREAM_CAPTURE_MODE_GLOBAL));
  CK(launch_add(f_add_one, d, 4096, b));
  res("capture-global.memcpy-dtoh-on-legacy", cuMemcpyDtoH(h.data(), d, 4096 * sizeof(int)));
  line("capture-global.status-after-memcpy", capture_status(b));
  line("capture-global.end-after-memcpy", end_capture(b));

  CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
  CK(launch_add(f_add_one, d, 4096, nb));
  res("capture-global-non-blocking.memcpy-dtoh-on-legacy", cuMemcpyDtoH(h.data(), d, 4096 * sizeof(int)));
  line("capture-global-non-blocking.status-after-memcpy", capture_status(nb));
  res("capture-global-non-blocking.stream-synchronize-legacy", cuStreamSynchronize(CU_STREAM_LEGACY));
  line("capture-global-non-blocking.status-after-legacy-sync", capture_status(nb));
  res("capture-global-non-blocking.ctx-synchronize", cuCtxSynchronize());
  line("capture-global-non-blocking.status-after-ctx-sync", capture_status(nb));
  line("capture-global-non-blocking.end", end_capture(nb));

  CK(cuStreamBeginCapture(b, CU_STREAM_CAPTURE_MODE_RELAXED));
  CK(launch_add(f_add_one, d, 4096, b));
  res("capture-relaxed.launch-on-legacy", launch_add(f_add_one, d, 4096, CU_STREAM_LEGACY));
  line("capture-relaxed.status-after-legacy-launch", capture_status(b));
  line("capture-relaxed.end-after-legacy-launch", end_capture(b));

  CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
  CUevent evc;
  CK(cuEventCreate(&evc, CU_EVENT_DISABLE_TIMING));
  CK(cuEventRecord(evc, nb));
  res("capture.event-query-on-captured-event", cuEventQuery(evc));
  line("capture.status-after-event-query", capture_status(nb));
  res("capture.event-synchronize-on-captured-event", cuEventSynchronize(evc));
  line("capture.status-after-event-synchronize", capture_status(nb));
  line("capture.end-after-event-probes", end_capture(nb));
  CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_RELAXED));
  CK(cuEventRecord(evc, nb));
  res("capture-relaxed.event-query-on-captured-event", cuEventQuery(evc));
  line("capture-relaxed.status-after-event-query", capture_status(nb));
  res("capture-relaxed.event-synchronize-on-captured-event", cuEventSynchronize(evc));
  line("capture-relaxed.status-after-event-synchronize", capture_status(nb));
  res("capture-relaxed.stream-wait-captured-event-other-stream", cuStreamWaitEvent(nb2, evc, 0));
  line("capture-relaxed.other-stream-status", capture_status(nb2));
  line("capture-relaxed.end-after-event-probes", end_capture(nb));
  if (capture_status(nb2) != "NONE") line("capture-relaxed.end-leftover-other", end_capture(nb2));

  // Cross-stream capture: fork via an event, join back.
  {
    CUevent fork, join;
    CK(cuEventCreate(&fork, CU_EVENT_DISABLE_TIMING));
    CK(cuEventCreate(&join, CU_EVENT_DISABLE_TIMING));
    CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
    CK(launch_add(f_add_one, d, 4096, nb));
    CK(cuEventRecord(fork, nb));
    line("capture-join.other-stream-before-wait", capture_status(nb2));
    res("capture-join.wait-event", cuStreamWaitEvent(nb2, fork, 0));
    line("capture-join.other-stream-after-wait", capture_status(nb2));
    cuuint64_t id_a = 0, id_b = 0;
    CUstreamCaptureStatus st;
    CK(cuStreamGetCaptureInfo(nb, &st, &id_a, nullptr, nullptr, nullptr, nullptr));
    CK(cuStreamGetCaptureInfo(nb2, &st, &id_b, nullptr, nullptr, nullptr, nullptr));
    line("capture-join.same-capture-id", id_a == id_b ? "yes" : "no");
    CK(launch_add(f_sub_one, d, 4096, nb2));
    CK(launch_add(f_add_one, d, 4096, nb));
    res("capture-join.end-on-forked-stream", cuStreamEndCapture(nb2, nullptr));
    CUgraph g = nullptr;
    res("capture-join.end-on-forked-stream-with-graph", cuStreamEndCapture(nb2, &g));
    line("capture-join.status-after-wrong-end", fmt("origin=%s forked=%s", capture_status(nb).c_str(), capture_status(nb2).c_str()));
    line("capture-join.end-unjoined", end_capture(nb));
    line("capture-join.status-after-unjoined-end", fmt("origin=%s forked=%s", capture_status(nb).c_str(), capture_status(nb2).c_str()));
    // The forked stream may be left invalidated by the driver: end it if so.
    if (capture_status(nb2) != "NONE") line("capture-join.end-leftover-forked", end_capture(nb2));

    CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
    CK(cuEventRecord(fork, nb));
    CK(cuStreamWaitEvent(nb2, fork, 0));
    CK(launch_add(f_add_one, d, 4096, nb));
    CK(launch_add(f_sub_one, d, 4096, nb2));
    CK(cuEventRecord(join, nb2));
    CK(cuStreamWaitEvent(nb, join, 0));
    CK(launch_add(f_add_one, d, 4096, nb));
    g = nullptr;
    CUresult r = cuStreamEndCapture(nb, &g);
    size_t roots = 0, edges = 0;
    if (g) {
      cuGraphGetRootNodes(g, nullptr, &roots);
      cuGraphGetEdges(g, nullptr, nullptr, nullptr, &edges);
    }
    line("capture-join.joined", fmt("%s nodes=%zu roots=%zu edges=%zu", N(r), g ? node_count(g) : 0, roots, edges));
    line("capture-join.forked-status-after-end", capture_status(nb2));
    if (g) {
      CUgraphExec ge;
      CK(cuMemsetD32(d, 10, 4096));
      CK(cuGraphInstantiate(&ge, g, 0));
      CK(cuGraphLaunch(ge, nb));
      CK(cuStreamSynchronize(nb));
      CK(cuMemcpyDtoH(h.data(), d, 4096 * sizeof(int)));
      line("capture-join.result", fmt("%d %d", h[0], h[4095]));
      CK(cuGraphExecDestroy(ge));
      CK(cuGraphDestroy(g));
    }
    CK(cuEventDestroy(fork));
    CK(cuEventDestroy(join));
  }

  // Capture modes seen from another thread, and from the capturing thread.
  {
    const CUstreamCaptureMode modes[] = {CU_STREAM_CAPTURE_MODE_GLOBAL, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL,
                                         CU_STREAM_CAPTURE_MODE_RELAXED};
    const char* names[] = {"global", "thread-local", "relaxed"};
    for (int m = 0; m < 3; ++m) {
      CK(cuStreamBeginCapture(nb, modes[m]));
      CK(launch_add(f_add_one, d, 4096, nb));
      CUresult other = CUDA_ERROR_UNKNOWN;
      CUdeviceptr od = 0;
      std::thread t([&] {
        cuCtxSetCurrent(g_ctx);
        other = cuMemAlloc(&od, 1024);
      });
      t.join();
      if (other == CUDA_SUCCESS) cuMemFree(od);  // (cuMemFree here is a capture probe of its own: see below)
      std::string after_other = capture_status(nb);
      CUdeviceptr md = 0;
      CUresult mine = cuMemAlloc(&md, 1024);
      std::string after_mine = capture_status(nb);
      std::string end = end_capture(nb);
      if (mine == CUDA_SUCCESS) cuMemFree(md);
      line(fmt("capture-mode-%s.mem-alloc-other-thread", names[m]).c_str(), fmt("%s status=%s", N(other), after_other.c_str()));
      line(fmt("capture-mode-%s.mem-alloc-same-thread", names[m]).c_str(), fmt("%s status=%s", N(mine), after_mine.c_str()));
      line(fmt("capture-mode-%s.end", names[m]).c_str(), end);
    }
    // A thread that exchanged its mode to relaxed may allocate during another's global capture.
    CK(cuStreamBeginCapture(nb, CU_STREAM_CAPTURE_MODE_GLOBAL));
    CK(launch_add(f_add_one, d, 4096, nb));
    CUresult other = CUDA_ERROR_UNKNOWN, xr = CUDA_ERROR_UNKNOWN;
    CUstreamCaptureMode prev = (CUstreamCaptureMode)99;
    CUdeviceptr od = 0;
    std::thread t([&] {
      cuCtxSetCurrent(g_ctx);
      CUstreamCaptureMode mode = CU_STREAM_CAPTURE_MODE_RELAXED;
      xr = cuThreadExchangeStreamCaptureMode(&mode);
      prev = mode;
      other = cuMemAlloc(&od, 1024);
    });
    t.join();
    line("capture-mode-exchange.exchange", fmt("%s previous=%d", N(xr), (int)prev));
    line("capture-mode-exchange.mem-alloc-other-thread", fmt("%s status=%s", N(other), capture_status(nb).c_str()));
    line("capture-mode-exchange.end", end_capture(nb));
    if (other == CUDA_SUCCESS) cuMemFree(od);
  }
  CK(cuStreamSynchronize(nb));
  CK(cuStreamSynchronize(nb2));
  CK(cuStreamSynchronize(b));
  CK(cuEventDestroy(evc));
  CK(cuStreamDestroy(b));
  CK(cuStreamDestroy(nb));
  CK(cuStreamDestroy(nb2));
  CK(cuMemFree(d));
}

// Builds kernel(add_one or sub_one) -> memset -> kernel(add_one) explicitly.
struct Built {
  CUgraph g;
  CUgraphNode k1, ms, k2, extra;
};
static int g_n = 1024;
static Built build_graph(CUdeviceptr d, CUdeviceptr scratch, CUfunction first, unsigned grid, bool extra_node,
                         bool memset_as_kernel, unsigned memset_value, CUdeviceptr memset_dst) {
  Built b = {};
  CK(cuGraphCreate(&b.g, 0));
  static CUdeviceptr dp;
  dp = d;
  void* args[] = {&dp, &g_n};
  CUDA_KERNEL_NODE_PARAMS kp;
  memset(&kp, 0, sizeof kp);
  kp.func = first;
  kp.gridDimX = grid;
  kp.gridDimY = kp.gridDimZ = 1;
  kp.blockDimX = 128;
  kp.blockDimY = kp.blockDimZ = 1;
  kp.kernelParams = args;
  CK(cuGraphAddKernelNode(&b.k1, b.g, nullptr, 0, &kp));
  if (memset_as_kernel) {
    CUDA_KERNEL_NODE_PARAMS kq = kp;
    kq.func = f_add_one;
    CK(cuGraphAddKernelNode(&b.ms, b.g, &b.k1, 1, &kq));
  } else {
    CUDA_MEMSET_NODE_PARAMS mp;
    memset(&mp, 0, sizeof mp);
    mp.dst = memset_dst;
    mp.value = memset_value;
    mp.elementSize = 4;
    mp.width = 256;
    mp.height = 1;
    mp.pitch = 0;
    CK(cuGraphAddMemsetNode(&b.ms, b.g, &b.k1, 1, &mp, g_ctx));
  }
  kp.func = f_add_one;
  CK(cuGraphAddKernelNode(&b.k2, b.g, &b.ms, 1, &kp));
  if (extra_node) CK(cuGraphAddEmptyNode(&b.extra, b.g, &b.k2, 1));
  (void)scratch;
  return b;
}

static void exec_update() {
  CUdeviceptr d, scratch, other_alloc;
  CK(cuMemAlloc(&d, g_n * sizeof(int)));
  CK(cuMemAlloc(&scratch, 4096));
  CK(cuMemAlloc(&other_alloc, 4096));
  CK(cuMemsetD32(d, 0, g_n));
  Built base = build_graph(d, scratch, f_add_one, 8, false, false, 7, scratch);
  CUgraphExec ge;
  CK(cuGraphInstantiate(&ge, base.g, 0));
  CK(cuGraphLaunch(ge, nullptr));
  CK(cuCtxSynchronize());
  std::vector<int> h(g_n);
  CK(cuMemcpyDtoH(h.data(), d, g_n * sizeof(int)));
  line("exec-update.base-result", fmt("%d %d", h[0], h[g_n - 1]));

  struct Variant {
    const char* name;
    CUfunction first;
    unsigned grid;
    bool extra;
    bool memset_as_kernel;
    unsigned value;
    bool other_dst;
  } variants[] = {
      {"same-topology-new-memset-value", f_add_one, 8, false, false, 9, false},
      {"grid-changed", f_add_one, 4, false, false, 7, false},
      {"function-changed", f_sub_one, 8, false, false, 7, false},
      {"node-added", f_add_one, 8, true, false, 7, false},
      {"node-type-changed", f_add_one, 8, false, true, 7, false},
      {"memset-other-allocation", f_add_one, 8, false, false, 7, true},
  };
  for (const auto& v : variants) {
    Built nb = build_graph(d, scratch, v.first, v.grid, v.extra, v.memset_as_kernel, v.value, v.other_dst ? other_alloc : scratch);
    CUgraphExecUpdateResultInfo info;
    memset(&info, 0, sizeof info);
    CUresult r = cuGraphExecUpdate(ge, nb.g, &info);
    const char* err_node = "null";
    if (info.errorNode == nb.k1) err_node = "first-kernel";
    else if (info.errorNode == nb.ms) err_node = "second-node";
    else if (info.errorNode == nb.k2) err_node = "last-kernel";
    else if (info.errorNode) err_node = "other";
    line(fmt("exec-update.%s", v.name).c_str(), fmt("%s result=%d error-node=%s", N(r), (int)info.result, err_node));
    CK(cuGraphDestroy(nb.g));
  }
  // The exec still runs (with whatever the successful updates set).
  CK(cuMemsetD32(d, 0, g_n));
  CUresult lr = cuGraphLaunch(ge, nullptr);
  CUresult sr = cuCtxSynchronize();
  CK(cuMemcpyDtoH(h.data(), d, g_n * sizeof(int)));
  line("exec-update.launch-after-updates", fmt("%s %s %d %d %d", N(lr), N(sr), h[0], h[511], h[g_n - 1]));

  // cuGraphExecKernelNodeSetParams: same function ok, another function refused.
  {
    static CUdeviceptr dp;
    dp = d;
    void* args[] = {&dp, &g_n};
    CUDA_KERNEL_NODE_PARAMS kp;
    memset(&kp, 0, sizeof kp);
    kp.func = f_add_one;
    kp.gridDimX = 8;
    kp.gridDimY = kp.gridDimZ = 1;
    kp.blockDimX = 128;
    kp.blockDimY = kp.blockDimZ = 1;
    kp.kernelParams = args;
    res("exec-kernel-node-set-params.same-function", cuGraphExecKernelNodeSetParams(ge, base.k1, &kp));
    kp.func = f_sub_one;
    res("exec-kernel-node-set-params.other-function", cuGraphExecKernelNodeSetParams(ge, base.k1, &kp));
    kp.func = f_add_one;
    res("exec-kernel-node-set-params.memset-node", cuGraphExecKernelNodeSetParams(ge, base.ms, &kp));
    CUDA_MEMSET_NODE_PARAMS mp;
    memset(&mp, 0, sizeof mp);
    mp.dst = other_alloc;
    mp.value = 1;
    mp.elementSize = 4;
    mp.width = 256;
    mp.height = 1;
    res("exec-memset-node-set-params.other-allocation", cuGraphExecMemsetNodeSetParams(ge, base.ms, &mp, g_ctx));
    mp.dst = scratch + 64;
    mp.width = 128;
    res("exec-memset-node-set-params.same-allocation", cuGraphExecMemsetNodeSetParams(ge, base.ms, &mp, g_ctx));
  }
  CK(cuGraphExecDestroy(ge));
  CK(cuGraphDestroy(base.g));
  CK(cuMemFree(d));
  CK(cuMemFree(scratch));
  CK(cuMemFree(other_alloc));
}

static void vmm() {
  CUmemAllocationProp prop;
  memset(&prop, 0, sizeof prop);
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = g_dev;
  size_t gmin = 0, grec = 0;
  res("vmm.granularity-minimum", cuMemGetAllocationGranularity(&gmin, &prop, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  res("vmm.granularity-recommended", cuMemGetAllocationGranularity(&grec, &prop, CU_MEM_ALLOC_GRANULARITY_RECOMMENDED));
  line("vmm.granularity-values", fmt("minimum=%zu recommended=%zu", gmin, grec));
  res("vmm.granularity-null-prop", cuMemGetAllocationGranularity(&gmin, nullptr, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  res("vmm.granularity-bad-option", cuMemGetAllocationGranularity(&gmin, &prop, (CUmemAllocationGranularity_flags)7));
  const size_t G = gmin ? gmin : (2u << 20);
  CUmemGenericAllocationHandle hnd = 0, hnd2 = 0, bad = 0;
  res("vmm.create-unaligned-size", cuMemCreate(&bad, G + 4096, &prop, 0));
  res("vmm.create-zero-size", cuMemCreate(&bad, 0, &prop, 0));
  {
    CUmemAllocationProp p2 = prop;
    p2.location.id = 99;
    res("vmm.create-bad-device", cuMemCreate(&bad, G, &p2, 0));
  }
  CK(cuMemCreate(&hnd, 2 * G, &prop, 0));
  CK(cuMemCreate(&hnd2, G, &prop, 0));
  CUdeviceptr va = 0, bad_va = 0;
  res("vmm.reserve-unaligned-size", cuMemAddressReserve(&bad_va, G + 4096, 0, 0, 0));
  if (bad_va) cuMemAddressFree(bad_va, G + 4096);
  CK(cuMemAddressReserve(&va, 8 * G, 0, 0, 0));
  CUmemAccessDesc acc;
  memset(&acc, 0, sizeof acc);
  acc.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  acc.location.id = g_dev;
  acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  res("vmm.set-access-before-map", cuMemSetAccess(va, 2 * G, &acc, 1));
  unsigned long long aflags = 99;
  CUmemLocation loc = acc.location;
  res("vmm.get-access-before-map", cuMemGetAccess(&aflags, &loc, va));
  res("vmm.map-unaligned-offset", cuMemMap(va, G, 4096, hnd, 0));
  res("vmm.map-size-larger-than-handle", cuMemMap(va, 4 * G, 0, hnd, 0));
  res("vmm.map-offset-past-handle", cuMemMap(va, G, 2 * G, hnd, 0));
  res("vmm.map-unaligned-address", cuMemMap(va + 4096, G, 0, hnd, 0));
  res("vmm.map", cuMemMap(va, 2 * G, 0, hnd, 0));
  aflags = 99;
  res("vmm.get-access-after-map", cuMemGetAccess(&aflags, &loc, va));
  line("vmm.get-access-after-map-value", fmt("%llu", aflags));
  res("vmm.map-over-mapped", cuMemMap(va, G, 0, hnd2, 0));
  res("vmm.set-access", cuMemSetAccess(va, 2 * G, &acc, 1));
  aflags = 99;
  res("vmm.get-access", cuMemGetAccess(&aflags, &loc, va + G));
  line("vmm.get-access-value", fmt("%llu", aflags));
  res("vmm.set-access-partly-unmapped", cuMemSetAccess(va, 3 * G, &acc, 1));
  res("vmm.memset-mapped", cuMemsetD32(va, 0x01020304, 2 * G / 4));
  unsigned first = 0;
  CK(cuMemcpyDtoH(&first, va + 2 * G - 4, 4));
  line("vmm.readback", fmt("0x%08x", first));
  res("vmm.release-while-mapped", cuMemRelease(hnd));
  CK(cuMemcpyDtoH(&first, va, 4));
  line("vmm.readback-after-release", fmt("0x%08x", first));
  res("vmm.unmap-unmapped-range", cuMemUnmap(va + 4 * G, G));
  res("vmm.unmap-part-of-mapping", cuMemUnmap(va, G));
  res("vmm.address-free-while-mapped", cuMemAddressFree(va, 8 * G));
  res("vmm.unmap", cuMemUnmap(va, 2 * G));
  res("vmm.unmap-again", cuMemUnmap(va, 2 * G));
  res("vmm.map-outside-reservation", cuMemMap(va + 8 * G, G, 0, hnd2, 0));
  res("vmm.address-free-wrong-size", cuMemAddressFree(va, 4 * G));
  res("vmm.address-free", cuMemAddressFree(va, 8 * G));
  res("vmm.address-free-again", cuMemAddressFree(va, 8 * G));
  CK(cuMemRelease(hnd2));
}

static void pools() {
  CUmemoryPool pool;
  CK(cuDeviceGetDefaultMemPool(&pool, g_dev));
  CUmemoryPool cur;
  CK(cuDeviceGetMemPool(&cur, g_dev));
  line("pool.current-is-default", cur == pool ? "yes" : "no");
  auto get64 = [&](CUmemoryPool p, CUmemPool_attribute a, const char* name) {
    cuuint64_t v = 12345;
    CUresult r = cuMemPoolGetAttribute(p, a, &v);
    line(name, fmt("%s %llu", N(r), (unsigned long long)v));
  };
  auto get32 = [&](CUmemoryPool p, CUmemPool_attribute a, const char* name) {
    int v = 12345;
    CUresult r = cuMemPoolGetAttribute(p, a, &v);
    line(name, fmt("%s %d", N(r), v));
  };
  get64(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, "pool.default.release-threshold");
  get32(pool, CU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES, "pool.default.reuse-follow-event-dependencies");
  get32(pool, CU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC, "pool.default.reuse-allow-opportunistic");
  get32(pool, CU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES, "pool.default.reuse-allow-internal-dependencies");
  CUstream s;
  CK(cuStreamCreate(&s, CU_STREAM_NON_BLOCKING));
  CK(cuStreamSynchronize(s));
  CK(cuMemPoolTrimTo(pool, 0));
  get64(pool, CU_MEMPOOL_ATTR_USED_MEM_CURRENT, "pool.default.used-before");
  CUdeviceptr a = 0, b = 0;
  res("pool.alloc-async", cuMemAllocAsync(&a, 1 << 20, s));
  CK(cuStreamSynchronize(s));
  {
    cuuint64_t used = 0, reserved = 0;
    CK(cuMemPoolGetAttribute(pool, CU_MEMPOOL_ATTR_USED_MEM_CURRENT, &used));
    CK(cuMemPoolGetAttribute(pool, CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT, &reserved));
    line("pool.default.used-after-1MiB", fmt("%llu reserved>=used=%s", (unsigned long long)used, reserved >= used ? "yes" : "no"));
  }
  CK(cuMemsetD8Async(a, 0x5a, 1 << 20, s));
  res("pool.free-async", cuMemFreeAsync(a, s));
  res("pool.alloc-async-again-same-stream", cuMemAllocAsync(&b, 1 << 20, s));
  line("pool.same-stream-reuses-address", a == b ? "yes" : "no");
  unsigned char first = 0;
  CK(cuStreamSynchronize(s));
  CK(cuMemcpyDtoH(&first, b, 1));
  line("pool.reused-memory-keeps-old-bytes", first == 0x5a ? "yes" : "no");
  res("pool.free-async-on-other-stream", cuMemFreeAsync(b, nullptr));
  CK(cuCtxSynchronize());
  CUdeviceptr plain;
  CK(cuMemAlloc(&plain, 4096));
  res("pool.free-async-of-mem-alloc", cuMemFreeAsync(plain, s));
  CK(cuStreamSynchronize(s));
  CUdeviceptr z = 0;
  z = 1;
  CUresult zr = cuMemAllocAsync(&z, 0, s);
  line("pool.alloc-async-zero-bytes", fmt("%s pointer=%s", N(zr), z == 0 ? "null" : z == 1 ? "untouched" : "set"));
  if (z == 1) z = 0;
  if (z) cuMemFreeAsync(z, s);
  CK(cuStreamSynchronize(s));
  {
    cuuint64_t used = 99;
    CK(cuMemPoolGetAttribute(pool, CU_MEMPOOL_ATTR_USED_MEM_CURRENT, &used));
    line("pool.default.used-after-frees", fmt("%llu", (unsigned long long)used));
  }
  cuuint64_t v = ~0ull;
  res("pool.set-release-threshold", cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &v));
  get64(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, "pool.default.release-threshold-after-set");
  v = 0;
  CK(cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &v));
  v = 5;
  res("pool.set-used-high-nonzero", cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_USED_MEM_HIGH, &v));
  v = 0;
  res("pool.set-used-high-zero", cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_USED_MEM_HIGH, &v));
  res("pool.set-used-current", cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_USED_MEM_CURRENT, &v));
  res("pool.destroy-default", cuMemPoolDestroy(pool));

  CUmemPoolProps props;
  memset(&props, 0, sizeof props);
  props.allocType = CU_MEM_ALLOCATION_TYPE_PINNED;
  props.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  props.location.id = g_dev;
  CUmemoryPool mine;
  res("pool.create", cuMemPoolCreate(&mine, &props));
  get64(mine, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, "pool.created.release-threshold");
  get64(mine, CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT, "pool.created.reserved");
  CUdeviceptr c = 0;
  res("pool.alloc-from-pool", cuMemAllocFromPoolAsync(&c, 12345, mine, s));
  CUmemoryPool owner = nullptr;
  CK(cuStreamSynchronize(s));
  res("pool.pointer-mempool-handle", cuPointerGetAttribute(&owner, CU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE, c));
  line("pool.pointer-mempool-handle-is-pool", owner == mine ? "yes" : "no");
  res("pool.destroy-with-live-allocation", cuMemPoolDestroy(mine));
  res("pool.free-after-destroy", cuMemFreeAsync(c, s));
  CK(cuStreamSynchronize(s));
  {
    CUmemPoolProps badp = props;
    badp.location.id = 99;
    CUmemoryPool x;
    res("pool.create-bad-device", cuMemPoolCreate(&x, &badp));
    badp = props;
    badp.allocType = CU_MEM_ALLOCATION_TYPE_INVALID;
    res("pool.create-invalid-type", cuMemPoolCreate(&x, &badp));
  }
  CK(cuStreamDestroy(s));
}

static const char* mem_type_name(unsigned t) {
  switch (t) {
    case CU_MEMORYTYPE_HOST: return "HOST";
    case CU_MEMORYTYPE_DEVICE: return "DEVICE";
    case CU_MEMORYTYPE_ARRAY: return "ARRAY";
    case CU_MEMORYTYPE_UNIFIED: return "UNIFIED";
    default: return "OTHER";
  }
}

// Every cuPointerGetAttribute attribute on `p` (inside an allocation of `size` starting at
// `base`); values shown relative to the allocation, never as addresses.
static void pointer_attributes(const char* kind, CUdeviceptr base, CUdeviceptr p, size_t size, CUmemoryPool pool) {
  // The mapping NVIDIA's allocator put a small allocation in (2 MiB blocks, 32 MiB pool chunks,
  // several allocations per block) is its own business: sizes and bases are shown for VMM only.
  const bool vmm = strcmp(kind, "vmm") == 0;
  auto nm = [&](const char* a) { return fmt("pointer-attribute.%s.%s", kind, a); };
  {
    CUcontext c = nullptr;
    CUresult r = cuPointerGetAttribute(&c, CU_POINTER_ATTRIBUTE_CONTEXT, p);
    line(nm("context").c_str(), fmt("%s %s", N(r), c == g_ctx ? "primary" : c ? "other" : "null"));
  }
  {
    unsigned t = 0;
    CUresult r = cuPointerGetAttribute(&t, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, p);
    line(nm("memory-type").c_str(), fmt("%s %s", N(r), r == CUDA_SUCCESS ? mem_type_name(t) : "-"));
  }
  {
    CUdeviceptr dp = 0;
    CUresult r = cuPointerGetAttribute(&dp, CU_POINTER_ATTRIBUTE_DEVICE_POINTER, p);
    line(nm("device-pointer").c_str(), fmt("%s %s", N(r), dp == p ? "same" : dp ? "other" : "null"));
  }
  {
    void* hp = nullptr;
    CUresult r = cuPointerGetAttribute(&hp, CU_POINTER_ATTRIBUTE_HOST_POINTER, p);
    line(nm("host-pointer").c_str(), fmt("%s %s", N(r), (CUdeviceptr)hp == p ? "same" : hp ? "other" : "null"));
  }
  {
    CUDA_POINTER_ATTRIBUTE_P2P_TOKENS tok;
    memset(&tok, 0, sizeof tok);
    res(nm("p2p-tokens").c_str(), cuPointerGetAttribute(&tok, CU_POINTER_ATTRIBUTE_P2P_TOKENS, p));
  }
  {
    unsigned v = 99;
    CUresult r = cuPointerGetAttribute(&v, CU_POINTER_ATTRIBUTE_SYNC_MEMOPS, p);
    line(nm("sync-memops").c_str(), fmt("%s %u", N(r), r == CUDA_SUCCESS ? v : 0));
  }
  {
    unsigned long long id = 0;
    CUresult r = cuPointerGetAttribute(&id, CU_POINTER_ATTRIBUTE_BUFFER_ID, p);
    line(nm("buffer-id").c_str(), fmt("%s %s", N(r), id ? "nonzero" : "zero"));
  }
  {
    unsigned v = 99;
    CUresult r = cuPointerGetAttribute(&v, CU_POINTER_ATTRIBUTE_IS_MANAGED, p);
    line(nm("is-managed").c_str(), fmt("%s %u", N(r), r == CUDA_SUCCESS ? v : 0));
  }
  {
    int v = 99;
    CUresult r = cuPointerGetAttribute(&v, CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL, p);
    line(nm("device-ordinal").c_str(), fmt("%s %d", N(r), r == CUDA_SUCCESS ? v : -1));
  }
  {
    unsigned v = 99;
    CUresult r = cuPointerGetAttribute(&v, CU_POINTER_ATTRIBUTE_IS_LEGACY_CUDA_IPC_CAPABLE, p);
    line(nm("is-legacy-cuda-ipc-capable").c_str(), fmt("%s %u", N(r), r == CUDA_SUCCESS ? v : 0));
  }
  {
    CUdeviceptr start = 0;
    CUresult r = cuPointerGetAttribute(&start, CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, p);
    line(nm("range-start").c_str(), fmt("%s %s", N(r), start == base ? "base" : start == p ? "pointer" : start ? "other" : "null"));
  }
  {
    size_t sz = 0;
    CUresult r = cuPointerGetAttribute(&sz, CU_POINTER_ATTRIBUTE_RANGE_SIZE, p);
    line(nm("range-size").c_str(), fmt("%s %s", N(r), sz == size ? "allocation-size" : fmt("%zu", sz).c_str()));
  }
  {
    unsigned v = 99;
    CUresult r = cuPointerGetAttribute(&v, CU_POINTER_ATTRIBUTE_MAPPED, p);
    line(nm("mapped").c_str(), fmt("%s %u", N(r), r == CUDA_SUCCESS ? v : 0));
  }
  {
    unsigned long long v = 99;
    CUresult r = cuPointerGetAttribute(&v, CU_POINTER_ATTRIBUTE_ALLOWED_HANDLE_TYPES, p);
    line(nm("allowed-handle-types").c_str(), fmt("%s %llu", N(r), r == CUDA_SUCCESS ? v : 0ull));
  }
  {
    unsigned long long v = 99;
    CUresult r = cuPointerGetAttribute(&v, CU_POINTER_ATTRIBUTE_ACCESS_FLAGS, p);
    line(nm("access-flags").c_str(), fmt("%s %llu", N(r), r == CUDA_SUCCESS ? v : 0ull));
  }
  {
    CUmemoryPool mp = nullptr;
    CUresult r = cuPointerGetAttribute(&mp, CU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE, p);
    line(nm("mempool-handle").c_str(), fmt("%s %s", N(r), mp == nullptr ? "null" : mp == pool ? "pool" : "other"));
  }
  {
    size_t sz = 0;
    CUresult r = cuPointerGetAttribute(&sz, CU_POINTER_ATTRIBUTE_MAPPING_SIZE, p);
    line(nm("mapping-size").c_str(), vmm ? fmt("%s %zu", N(r), sz) : std::string(N(r)));
  }
  {
    CUdeviceptr mb = 0;
    CUresult r = cuPointerGetAttribute(&mb, CU_POINTER_ATTRIBUTE_MAPPING_BASE_ADDR, p);
    line(nm("mapping-base").c_str(), vmm ? fmt("%s %s", N(r), mb == base ? "base" : mb == p ? "pointer" : mb ? "other" : "null")
                                         : std::string(N(r)));
  }
  {
    unsigned long long id = 0;
    CUresult r = cuPointerGetAttribute(&id, CU_POINTER_ATTRIBUTE_MEMORY_BLOCK_ID, p);
    line(nm("memory-block-id").c_str(), fmt("%s %s", N(r), id ? "nonzero" : "zero"));
  }
  {
    // cuPointerGetAttributes with three at once.
    CUpointer_attribute at[3] = {CU_POINTER_ATTRIBUTE_MEMORY_TYPE, CU_POINTER_ATTRIBUTE_IS_MANAGED,
                                 CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL};
    unsigned t = 99, m = 99;
    int o = 99;
    void* data[3] = {&t, &m, &o};
    CUresult r = cuPointerGetAttributes(3, at, data, p);
    line(nm("get-attributes").c_str(), fmt("%s type=%u managed=%u ordinal=%d", N(r), t, m, o));
  }
}

static void pointer_attribute_cases() {
  const size_t SZ = 1000;
  CUdeviceptr d;
  CK(cuMemAlloc(&d, SZ));
  pointer_attributes("device", d, d + 16, SZ, nullptr);
  void* h;
  CK(cuMemAllocHost(&h, SZ));
  pointer_attributes("pinned", (CUdeviceptr)h, (CUdeviceptr)h + 16, SZ, nullptr);
  void* hm;
  CK(cuMemHostAlloc(&hm, SZ, CU_MEMHOSTALLOC_DEVICEMAP | CU_MEMHOSTALLOC_PORTABLE));
  pointer_attributes("host-alloc-mapped", (CUdeviceptr)hm, (CUdeviceptr)hm + 16, SZ, nullptr);
  CUdeviceptr m;
  CK(cuMemAllocManaged(&m, SZ, CU_MEM_ATTACH_GLOBAL));
  pointer_attributes("managed", m, m + 16, SZ, nullptr);
  CUmemoryPool pool;
  CK(cuDeviceGetDefaultMemPool(&pool, g_dev));
  CUdeviceptr a;
  CK(cuMemAllocAsync(&a, SZ, nullptr));
  CK(cuCtxSynchronize());
  pointer_attributes("pool", a, a + 16, SZ, pool);
  // VMM: a two-granule mapping in a four-granule reservation.
  CUmemAllocationProp prop;
  memset(&prop, 0, sizeof prop);
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = g_dev;
  prop.requestedHandleTypes = CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR;
  size_t G = 0;
  CK(cuMemGetAllocationGranularity(&G, &prop, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  CUmemGenericAllocationHandle hnd;
  CK(cuMemCreate(&hnd, 2 * G, &prop, 0));
  CUdeviceptr va;
  CK(cuMemAddressReserve(&va, 4 * G, 0, 0, 0));
  CK(cuMemMap(va, 2 * G, 0, hnd, 0));
  CUmemAccessDesc acc;
  memset(&acc, 0, sizeof acc);
  acc.location = prop.location;
  acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  CK(cuMemSetAccess(va, 2 * G, &acc, 1));
  pointer_attributes("vmm", va, va + G + 16, 2 * G, nullptr);
  std::vector<char> pageable(SZ);
  pointer_attributes("pageable", (CUdeviceptr)pageable.data(), (CUdeviceptr)pageable.data() + 16, SZ, nullptr);
  CK(cuMemUnmap(va, 2 * G));
  CK(cuMemAddressFree(va, 4 * G));
  CK(cuMemRelease(hnd));
  CK(cuMemFreeAsync(a, nullptr));
  CK(cuCtxSynchronize());
  CK(cuMemFree(m));
  CK(cuMemFreeHost(hm));
  CK(cuMemFreeHost(h));
  CK(cuMemFree(d));
}

static void function_attributes() {
  struct {
    const char* name;
    CUfunction f;
  } fs[] = {{"add_one", f_add_one}, {"with_shared", f_with_shared}, {"bounded", f_bounded}};
  struct {
    const char* name;
    CUfunction_attribute a;
  } as[] = {
      {"max-threads-per-block", CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK},
      {"shared-size-bytes", CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES},
      {"const-size-bytes", CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES},
      {"local-size-bytes", CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES},
      {"ptx-version", CU_FUNC_ATTRIBUTE_PTX_VERSION},
      {"cache-mode-ca", CU_FUNC_ATTRIBUTE_CACHE_MODE_CA},
      {"max-dynamic-shared-size-bytes", CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES},
      {"preferred-shared-memory-carveout", CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT},
      {"cluster-size-must-be-set", CU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET},
      {"required-cluster-width", CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH},
      {"required-cluster-height", CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_HEIGHT},
      {"required-cluster-depth", CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_DEPTH},
      {"cluster-scheduling-policy-preference", CU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE},
  };
  for (auto& f : fs)
    for (auto& a : as) {
      int v = -12345;
      CUresult r = cuFuncGetAttribute(&v, a.a, f.f);
      line(fmt("func-attribute.%s.%s", f.name, a.name).c_str(), fmt("%s %d", N(r), v));
    }
  int v = 0;
  res("func-attribute.invalid-attribute", cuFuncGetAttribute(&v, (CUfunction_attribute)999, f_add_one));
  res("func-set-attribute.max-dynamic-shared-64KiB", cuFuncSetAttribute(f_add_one, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 65536));
  CK(cuFuncGetAttribute(&v, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, f_add_one));
  line("func-set-attribute.max-dynamic-shared-64KiB-value", fmt("%d", v));
  res("func-set-attribute.max-dynamic-shared-1MiB", cuFuncSetAttribute(f_add_one, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 1 << 20));
  res("func-set-attribute.max-dynamic-shared-negative", cuFuncSetAttribute(f_add_one, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, -1));
  res("func-set-attribute.carveout-50", cuFuncSetAttribute(f_add_one, CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 50));
  CK(cuFuncGetAttribute(&v, CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, f_add_one));
  line("func-set-attribute.carveout-50-value", fmt("%d", v));
  res("func-set-attribute.carveout-101", cuFuncSetAttribute(f_add_one, CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 101));
  res("func-set-attribute.read-only-attribute", cuFuncSetAttribute(f_add_one, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 64));
  res("func-set-cache-config", cuFuncSetCacheConfig(f_add_one, CU_FUNC_CACHE_PREFER_SHARED));
  const char* name = nullptr;
  CUresult r = cuFuncGetName(&name, f_with_shared);
  line("func-get-name", fmt("%s %s", N(r), name ? name : "(null)"));
  size_t off = 99, sz = 99;
  r = cuFuncGetParamInfo(f_add_one, 1, &off, &sz);
  line("func-get-param-info.second", fmt("%s offset=%zu size=%zu", N(r), off, sz));
  res("func-get-param-info.out-of-range", cuFuncGetParamInfo(f_add_one, 2, &off, &sz));
  CUmodule owner = nullptr;
  r = cuFuncGetModule(&owner, f_add_one);
  line("func-get-module", fmt("%s %s", N(r), owner == g_mod ? "same" : "other"));
  // Launch limits follow the attributes.
  CUdeviceptr d;
  CK(cuMemAlloc(&d, 1024 * sizeof(int)));
  void* args[] = {&d};
  res("launch.bounded-128-threads", cuLaunchKernel(f_bounded, 1, 1, 1, 128, 1, 1, 0, nullptr, args, nullptr));
  res("launch.bounded-256-threads", cuLaunchKernel(f_bounded, 1, 1, 1, 256, 1, 1, 0, nullptr, args, nullptr));
  res("launch.1025-threads", cuLaunchKernel(f_with_shared, 1, 1, 1, 1025, 1, 1, 0, nullptr, args, nullptr));
  res("launch.zero-grid", cuLaunchKernel(f_with_shared, 0, 1, 1, 64, 1, 1, 0, nullptr, args, nullptr));
  res("launch.dynamic-shared-over-limit", cuLaunchKernel(f_with_shared, 1, 1, 1, 64, 1, 1, 200000, nullptr, args, nullptr));
  res("launch.synchronize-after-refused-launches", cuCtxSynchronize());
  CK(cuMemFree(d));
}

static void sticky_error() {
  CUdeviceptr d;
  CK(cuMemAlloc(&d, 4096));
  void* args[] = {&d};
  res("sticky.launch-faulting-kernel", cuLaunchKernel(f_write_far, 1, 1, 1, 32, 1, 1, 0, nullptr, args, nullptr));
  res("sticky.ctx-synchronize", cuCtxSynchronize());
  res("sticky.ctx-synchronize-again", cuCtxSynchronize());
  CUdeviceptr e = 0;
  res("sticky.mem-alloc", cuMemAlloc(&e, 256));
  int x = 0;
  res("sticky.memcpy-dtoh", cuMemcpyDtoH(&x, d, 4));
  res("sticky.launch", launch_add(f_add_one, d, 16, nullptr));
  CUstream s = nullptr;
  res("sticky.stream-create", cuStreamCreate(&s, 0));
  CUevent ev = nullptr;
  res("sticky.event-create", cuEventCreate(&ev, 0));
  res("sticky.stream-query-null", cuStreamQuery(nullptr));
  CUmodule m2;
  res("sticky.module-load", cuModuleLoadData(&m2, kPtx));
  CUdevice dv = -1;
  res("sticky.ctx-get-device", cuCtxGetDevice(&dv));
  CUcontext cur = nullptr;
  res("sticky.ctx-get-current", cuCtxGetCurrent(&cur));
  int attr = 0;
  res("sticky.device-get-attribute", cuDeviceGetAttribute(&attr, CU_DEVICE_ATTRIBUTE_WARP_SIZE, g_dev));
  res("sticky.mem-free-null", cuMemFree(0));
  res("sticky.mem-free", cuMemFree(d));
  unsigned ver = 0;
  res("sticky.ctx-get-api-version", cuCtxGetApiVersion(g_ctx, &ver));
  size_t fr = 0, tot = 0;
  res("sticky.mem-get-info", cuMemGetInfo(&fr, &tot));
  unsigned flags = 0;
  int active = 0;
  res("sticky.primary-ctx-get-state", cuDevicePrimaryCtxGetState(g_dev, &flags, &active));
  line("sticky.primary-ctx-active", fmt("%d", active));
  res("sticky.primary-ctx-reset", cuDevicePrimaryCtxReset(g_dev));
  res("sticky.primary-ctx-get-state-after-reset", cuDevicePrimaryCtxGetState(g_dev, &flags, &active));
  line("sticky.primary-ctx-active-after-reset", fmt("%d", active));
  cur = (CUcontext)0x1;
  res("sticky.ctx-get-current-after-reset", cuCtxGetCurrent(&cur));
  line("sticky.current-after-reset", cur == g_ctx ? "same-handle" : cur ? "other" : "null");
  res("sticky.ctx-synchronize-after-reset", cuCtxSynchronize());
  res("sticky.mem-alloc-after-reset", cuMemAlloc(&e, 4096));
  res("sticky.primary-ctx-release-after-reset", cuDevicePrimaryCtxRelease(g_dev));
  CUcontext again = nullptr;
  res("sticky.primary-ctx-retain-after-reset", cuDevicePrimaryCtxRetain(&again, g_dev));
  line("sticky.retained-handle", again == g_ctx ? "same-handle" : again ? "other" : "null");
  if (again) g_ctx = again;
  res("sticky.ctx-set-current-after-retain", cuCtxSetCurrent(g_ctx));
  res("sticky.ctx-synchronize-after-retain", cuCtxSynchronize());
  e = 0;
  CUresult ar = cuMemAlloc(&e, 4096);
  res("sticky.mem-alloc-after-retain", ar);
  CUmodule m3 = nullptr;
  CUresult mr = cuModuleLoadData(&m3, kPtx);
  res("sticky.module-load-after-retain", mr);
  CUcontext created = nullptr;
  CUresult cr = cuCtxCreate(&created, nullptr, 0, g_dev);
  res("sticky.ctx-create-after-reset", cr);
  if (cr == CUDA_SUCCESS && created) {
    CUdeviceptr cd = 0;
    res("sticky.mem-alloc-in-created-context", cuMemAlloc(&cd, 4096));
    res("sticky.ctx-destroy-created", cuCtxDestroy(created));
  }
  CK(cuCtxSetCurrent(g_ctx));
  if (ar == CUDA_SUCCESS && mr == CUDA_SUCCESS) {
    CUfunction f = nullptr;
    CK(cuModuleGetFunction(&f, m3, "add_one"));
    CK(cuMemsetD32(e, 41, 1024));
    res("sticky.launch-after-retain", launch_add(f, e, 1024, nullptr));
    res("sticky.ctx-synchronize-after-launch", cuCtxSynchronize());
    x = 0;
    CK(cuMemcpyDtoH(&x, e + 4092, 4));
    line("sticky.result-after-retain", fmt("%d", x));
    CK(cuMemFree(e));
    CK(cuModuleUnload(m3));
  }
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--child") == 0) return run_child(argv[2]);
  init_driver();
  load_module();
  if (g_setup_failures) {
    printf("FAIL setup\n");
    return 2;
  }
  spawn_children("/proc/self/exe");
  streams_and_events();
  capture_rules();
  exec_update();
  vmm();
  pools();
  pointer_attribute_cases();
  function_attributes();
  sticky_error();
  res("primary-ctx-release", cuDevicePrimaryCtxRelease(g_dev));
  unsigned pflags = 0;
  int pactive = -1;
  CK(cuDevicePrimaryCtxGetState(g_dev, &pflags, &pactive));
  line("primary-ctx-active-at-end", fmt("%d", pactive));
  printf("%s\n", g_setup_failures == 0 ? "PASS" : "FAIL");
  return g_setup_failures == 0 ? 0 : 1;
}
