// graph_capture.cu — CUDA graphs as GGML uses them: stream capture (global, thread-local and
// relaxed modes) of kernels, memsets, memcpys and host functions on a non-blocking stream,
// kernel arguments snapshotted at capture time, replay many times, in-place updates with
// cudaGraphExecKernelNodeSetParams and cudaGraphExecUpdate (and a refused topology change),
// a fork/join capture across two streams, explicit construction (memset, kernel, host, empty,
// child graph, event record nodes), cudaGraphClone, cudaGraphDebugDotPrint, and the capture
// rules (error codes printed as INFO lines, recorded on the H100).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <unistd.h>
#include <cuda_runtime.h>

#include "check.h"

static int g_failures = 0;
static void report(bool ok, const char* what) {
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

__global__ void axpb(float* y, const float* x, float a, float b, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + b;
}
__global__ void add_inplace(float* y, const float* x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += x[i];
}
__global__ void scale(float* y, float s, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] *= s;
}
__global__ void bump(int* c) {
  if (threadIdx.x == 0 && blockIdx.x == 0) atomicAdd(c, 1);
}

static void host_count(void* p) { ++*(int*)p; }

static const int N = 4096;
static const int T = 128;
static const int B = (N + T - 1) / T;

// y = a*x + b, then y += x, z = y, host callback, hz = z (pinned). a and b live on the stack
// of this function and are overwritten right after the launch: the graph must keep the values
// it saw at capture time.
static void capture_pipeline(cudaStream_t s, float* y, float* x, float* z, float* hz, int* hits,
                             float a_val, float b_val, bool extra_kernel) {
  float a = a_val, b = b_val;
  int n = N;
  CK(cudaMemsetAsync(y, 0, N * sizeof(float), s));
  axpb<<<B, T, 0, s>>>(y, x, a, b, n);
  a = -1000.f;
  b = -1000.f;
  (void)a;
  (void)b;
  add_inplace<<<B, T, 0, s>>>(y, x, n);
  if (extra_kernel) scale<<<B, T, 0, s>>>(y, 1.0f, n);
  CK(cudaMemcpyAsync(z, y, N * sizeof(float), cudaMemcpyDeviceToDevice, s));
  CK(cudaLaunchHostFunc(s, host_count, hits));
  CK(cudaMemcpyAsync(hz, z, N * sizeof(float), cudaMemcpyDeviceToHost, s));
}

static bool check_affine(const float* v, const std::vector<float>& x, float a, float b) {
  for (int i = 0; i < N; ++i)
    if (v[i] != a * x[i] + b + x[i]) return false;
  return true;
}

static const char* type_name(cudaGraphNodeType t) {
  switch (t) {
    case cudaGraphNodeTypeKernel: return "kernel";
    case cudaGraphNodeTypeMemcpy: return "memcpy";
    case cudaGraphNodeTypeMemset: return "memset";
    case cudaGraphNodeTypeHost: return "host";
    case cudaGraphNodeTypeGraph: return "graph";
    case cudaGraphNodeTypeEmpty: return "empty";
    case cudaGraphNodeTypeWaitEvent: return "wait_event";
    case cudaGraphNodeTypeEventRecord: return "event_record";
    default: return "other";
  }
}

static void print_node_types(cudaGraph_t g, const char* label) {
  size_t n = 0;
  CK(cudaGraphGetNodes(g, nullptr, &n));
  std::vector<cudaGraphNode_t> nodes(n);
  CK(cudaGraphGetNodes(g, nodes.data(), &n));
  int counts[16] = {0};
  for (auto nd : nodes) {
    cudaGraphNodeType t;
    CK(cudaGraphNodeGetType(nd, &t));
    if ((int)t >= 0 && (int)t < 16) counts[(int)t]++;
  }
  printf("INFO %s: %zu nodes:", label, n);
  for (int t = 0; t < 16; ++t)
    if (counts[t]) printf(" %s=%d", type_name((cudaGraphNodeType)t), counts[t]);
  printf("\n");
}

static size_t root_count(cudaGraph_t g) {
  size_t n = 0;
  CK(cudaGraphGetRootNodes(g, nullptr, &n));
  return n;
}

static int capture_status(cudaStream_t s) {
  cudaStreamCaptureStatus st;
  cudaError_t e = cudaStreamIsCapturing(s, &st);
  return e == cudaSuccess ? (int)st : -(int)e;
}

int main() {
  std::vector<float> hx(N);
  for (int i = 0; i < N; ++i) hx[i] = (float)(i % 97) - 40.f;
  float *x, *y, *z, *hz;
  int* hits_dev;
  CK(cudaMalloc(&x, N * sizeof(float)));
  CK(cudaMalloc(&y, N * sizeof(float)));
  CK(cudaMalloc(&z, N * sizeof(float)));
  CK(cudaMalloc(&hits_dev, sizeof(int)));
  CK(cudaMemset(hits_dev, 0, sizeof(int)));
  CK(cudaMallocHost(&hz, N * sizeof(float)));
  CK(cudaMemcpy(x, hx.data(), N * sizeof(float), cudaMemcpyHostToDevice));
  cudaStream_t s, s2;
  CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  CK(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
  int hits = 0;

  // ---- 1. capture, instantiate, replay ----
  report(capture_status(s) == cudaStreamCaptureStatusNone, "stream not capturing before capture");
  CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  report(capture_status(s) == cudaStreamCaptureStatusActive, "stream capturing after cudaStreamBeginCapture");
  {
    cudaStreamCaptureStatus st;
    unsigned long long id = 0;
    cudaGraph_t cg = nullptr;
    const cudaGraphNode_t* deps = nullptr;
    size_t ndeps = 99;
    CK(cudaStreamGetCaptureInfo(s, &st, &id, &cg, &deps, nullptr, &ndeps));
    report(st == cudaStreamCaptureStatusActive && id != 0 && cg != nullptr && ndeps == 0,
           "cudaStreamGetCaptureInfo at capture start: active, id, graph, no dependencies");
  }
  capture_pipeline(s, y, x, z, hz, &hits, 2.0f, 3.0f, false);
  {
    cudaStreamCaptureStatus st;
    const cudaGraphNode_t* deps = nullptr;
    size_t ndeps = 0;
    CK(cudaStreamGetCaptureInfo(s, &st, nullptr, nullptr, &deps, nullptr, &ndeps));
    report(ndeps == 1 && deps != nullptr, "cudaStreamGetCaptureInfo after work: one dependency");
  }
  report(hits == 0, "captured host function did not run during capture");
  cudaGraph_t graph;
  CK(cudaStreamEndCapture(s, &graph));
  report(capture_status(s) == cudaStreamCaptureStatusNone, "stream not capturing after cudaStreamEndCapture");
  print_node_types(graph, "captured pipeline");
  report(root_count(graph) == 1, "captured pipeline is a chain (one root)");
  cudaGraphExec_t exec;
  CK(cudaGraphInstantiate(&exec, graph, 0));
  const int REPLAYS = 50;
  bool each_ok = true;
  for (int r = 0; r < REPLAYS; ++r) {
    memset(hz, 0, N * sizeof(float));
    CK(cudaGraphLaunch(exec, s));
    CK(cudaStreamSynchronize(s));
    each_ok &= check_affine(hz, hx, 2.0f, 3.0f);
  }
  report(each_ok, "50 replays give y = 2x + 3 + x (arguments snapshotted at capture)");
  report(hits == REPLAYS, "captured host function ran once per replay");

  // The graph reads memory at replay time: new inputs, same graph.
  for (int i = 0; i < N; ++i) hx[i] = (float)(i % 13);
  CK(cudaMemcpy(x, hx.data(), N * sizeof(float), cudaMemcpyHostToDevice));
  CK(cudaGraphLaunch(exec, s));
  CK(cudaStreamSynchronize(s));
  report(check_affine(hz, hx, 2.0f, 3.0f), "replay after changing the input buffer uses the new data");

  // ---- 2. cudaGraphExecKernelNodeSetParams on the axpb node ----
  {
    size_t n = 0;
    CK(cudaGraphGetNodes(graph, nullptr, &n));
    std::vector<cudaGraphNode_t> nodes(n);
    CK(cudaGraphGetNodes(graph, nodes.data(), &n));
    cudaGraphNode_t axpb_node = nullptr;
    cudaKernelNodeParams kp;
    for (auto nd : nodes) {
      cudaGraphNodeType t;
      CK(cudaGraphNodeGetType(nd, &t));
      if (t != cudaGraphNodeTypeKernel) continue;
      cudaKernelNodeParams p;
      CK(cudaGraphKernelNodeGetParams(nd, &p));
      if (p.func == (void*)axpb) {
        axpb_node = nd;
        kp = p;
      }
    }
    report(axpb_node != nullptr, "cudaGraphKernelNodeGetParams finds the axpb node by function");
    if (axpb_node) {
      report(kp.gridDim.x == (unsigned)B && kp.blockDim.x == (unsigned)T && kp.sharedMemBytes == 0,
             "kernel node parameters: grid, block, shared memory");
      report(*(float*)kp.kernelParams[2] == 2.0f && *(float*)kp.kernelParams[3] == 3.0f &&
                 *(int*)kp.kernelParams[4] == N,
             "kernel node parameters: captured argument values");
      float a = 5.0f, b = -7.0f;
      int n2 = N;
      void* args[] = {&y, &x, &a, &b, &n2};
      kp.kernelParams = args;
      kp.extra = nullptr;
      CK(cudaGraphExecKernelNodeSetParams(exec, axpb_node, &kp));
      a = b = 0;
      bool ok = true;
      for (int r = 0; r < 10; ++r) {
        CK(cudaGraphLaunch(exec, s));
        CK(cudaStreamSynchronize(s));
        ok &= check_affine(hz, hx, 5.0f, -7.0f);
      }
      report(ok, "cudaGraphExecKernelNodeSetParams: replays use the new arguments");
    }
  }

  // ---- 3. cudaGraphExecUpdate from a re-capture (what GGML does every token) ----
  {
    cudaGraph_t g2;
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed));
    capture_pipeline(s, y, x, z, hz, &hits, -1.0f, 10.0f, false);
    CK(cudaStreamEndCapture(s, &g2));
    cudaGraphExecUpdateResultInfo info;
    memset(&info, 0, sizeof info);
    cudaError_t e = cudaGraphExecUpdate(exec, g2, &info);
    report(e == cudaSuccess && info.result == cudaGraphExecUpdateSuccess, "cudaGraphExecUpdate with the same topology succeeds");
    int before = hits;
    CK(cudaGraphLaunch(exec, s));
    CK(cudaGraphLaunch(exec, s));
    CK(cudaStreamSynchronize(s));
    report(check_affine(hz, hx, -1.0f, 10.0f), "updated graph computes y = -x + 10 + x");
    report(hits == before + 2, "updated graph still runs its host function");

    cudaGraph_t g3;
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal));
    capture_pipeline(s, y, x, z, hz, &hits, 1.0f, 1.0f, true);
    CK(cudaStreamEndCapture(s, &g3));
    print_node_types(g3, "pipeline with an extra kernel");
    memset(&info, 0, sizeof info);
    e = cudaGraphExecUpdate(exec, g3, &info);
    printf("INFO cudaGraphExecUpdate with a changed topology -> %d (%s), result %d\n", (int)e, cudaGetErrorName(e),
           (int)info.result);
    report(e != cudaSuccess, "cudaGraphExecUpdate refuses a changed topology");
    (void)cudaGetLastError();
    CK(cudaGraphLaunch(exec, s));
    CK(cudaStreamSynchronize(s));
    report(check_affine(hz, hx, -1.0f, 10.0f), "after a refused update the executable graph is unchanged");
    CK(cudaGraphDestroy(g2));
    CK(cudaGraphDestroy(g3));
  }

  // ---- 4. fork/join across streams ----
  float *a_buf, *b_buf;
  CK(cudaMalloc(&a_buf, N * sizeof(float)));
  CK(cudaMalloc(&b_buf, N * sizeof(float)));
  cudaGraph_t fj;
  {
    cudaEvent_t fork, join;
    CK(cudaEventCreateWithFlags(&fork, cudaEventDisableTiming));
    CK(cudaEventCreateWithFlags(&join, cudaEventDisableTiming));
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    CK(cudaEventRecord(fork, s));
    CK(cudaStreamWaitEvent(s2, fork, 0));
    report(capture_status(s2) == cudaStreamCaptureStatusActive, "waiting on a captured event joins the capture");
    axpb<<<B, T, 0, s>>>(a_buf, x, 1.0f, 1.0f, N);   // a = x + 1
    axpb<<<B, T, 0, s2>>>(b_buf, x, 2.0f, 0.0f, N);  // b = 2x
    CK(cudaEventRecord(join, s2));
    CK(cudaStreamWaitEvent(s, join, 0));
    add_inplace<<<B, T, 0, s>>>(a_buf, b_buf, N);    // a = 3x + 1
    CK(cudaStreamEndCapture(s, &fj));
    report(capture_status(s2) == cudaStreamCaptureStatusNone, "the joined stream leaves the capture at its end");
    print_node_types(fj, "fork/join");
    report(root_count(fj) == 2, "fork/join graph has two roots");
    cudaGraphExec_t fje;
    CK(cudaGraphInstantiate(&fje, fj, 0));
    CK(cudaMemset(a_buf, 0, N * sizeof(float)));
    for (int r = 0; r < 5; ++r) CK(cudaGraphLaunch(fje, s2));
    CK(cudaStreamSynchronize(s2));
    std::vector<float> ha(N);
    CK(cudaMemcpy(ha.data(), a_buf, N * sizeof(float), cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int i = 0; i < N; ++i) ok &= ha[i] == 3 * hx[i] + 1;
    report(ok, "fork/join graph computes a = 3x + 1");
    CK(cudaGraphExecDestroy(fje));
    CK(cudaEventDestroy(fork));
    CK(cudaEventDestroy(join));
  }

  // ---- 5. explicit construction, child graph, clone, DOT ----
  {
    cudaGraph_t g;
    CK(cudaGraphCreate(&g, 0));
    cudaGraphNode_t ms, k1, h1, e1, child, k2, rec;
    cudaMemsetParams mp;
    memset(&mp, 0, sizeof mp);
    mp.dst = z;
    mp.value = 0;
    mp.elementSize = 4;
    mp.width = N;
    mp.height = 1;
    CK(cudaGraphAddMemsetNode(&ms, g, nullptr, 0, &mp));
    float two = 2.0f;
    int n = N;
    void* kargs[] = {&z, &two, &n};
    cudaKernelNodeParams kp;
    memset(&kp, 0, sizeof kp);
    kp.func = (void*)scale;
    kp.gridDim = dim3(B);
    kp.blockDim = dim3(T);
    kp.kernelParams = kargs;
    CK(cudaGraphAddEmptyNode(&e1, g, &ms, 1));
    CK(cudaGraphAddChildGraphNode(&child, g, &e1, 1, fj));  // a = 3x + 1
    void* add_args[] = {&z, &a_buf, &n};
    cudaKernelNodeParams ap = kp;
    ap.func = (void*)add_inplace;
    ap.kernelParams = add_args;
    cudaGraphNode_t deps2[] = {child, ms};
    CK(cudaGraphAddKernelNode(&k1, g, deps2, 2, &ap));       // z = 0 + a
    CK(cudaGraphAddKernelNode(&k2, g, &k1, 1, &kp));         // z *= 2
    int host_hits = 0;
    cudaHostNodeParams hp;
    hp.fn = host_count;
    hp.userData = &host_hits;
    CK(cudaGraphAddHostNode(&h1, g, &k2, 1, &hp));
    cudaEvent_t ev;
    CK(cudaEventCreate(&ev));
    CK(cudaGraphAddEventRecordNode(&rec, g, &h1, 1, ev));
    two = 100.0f;  // node parameters were copied when the node was added
    print_node_types(g, "explicit graph");
    report(root_count(g) == 1, "explicit graph has one root");
    cudaGraph_t cl;
    CK(cudaGraphClone(&cl, g));
    cudaGraphExec_t ge, ce;
    CK(cudaGraphInstantiate(&ge, g, 0));
    CK(cudaGraphInstantiate(&ce, cl, 0));
    std::vector<float> hzv(N);
    bool ok = true;
    for (int r = 0; r < 3; ++r) {
      CK(cudaGraphLaunch(ge, s));
      CK(cudaEventSynchronize(ev));
      CK(cudaMemcpy(hzv.data(), z, N * sizeof(float), cudaMemcpyDeviceToHost));
      for (int i = 0; i < N; ++i) ok &= hzv[i] == 2 * (3 * hx[i] + 1);
    }
    report(ok, "explicit graph with a child graph computes z = 2(3x + 1)");
    report(host_hits == 3, "explicit host node ran once per launch");
    CK(cudaMemset(z, 0, N * sizeof(float)));
    CK(cudaGraphLaunch(ce, s));
    CK(cudaStreamSynchronize(s));
    CK(cudaMemcpy(hzv.data(), z, N * sizeof(float), cudaMemcpyDeviceToHost));
    ok = true;
    for (int i = 0; i < N; ++i) ok &= hzv[i] == 2 * (3 * hx[i] + 1);
    report(ok && host_hits == 4, "cloned graph computes the same and runs the host node");
    char path[64];
    snprintf(path, sizeof path, "/tmp/graph_capture_%d.dot", (int)getpid());
    CK(cudaGraphDebugDotPrint(g, path, 0));
    FILE* f = fopen(path, "r");
    long size = 0;
    bool digraph = false;
    if (f) {
      char line[256];
      if (fgets(line, sizeof line, f)) digraph = strstr(line, "digraph") != nullptr;
      fseek(f, 0, SEEK_END);
      size = ftell(f);
      fclose(f);
    }
    unlink(path);
    report(size > 0 && digraph, "cudaGraphDebugDotPrint writes a DOT digraph");
    CK(cudaGraphExecDestroy(ge));
    CK(cudaGraphExecDestroy(ce));
    CK(cudaGraphDestroy(cl));
    CK(cudaGraphDestroy(g));
    CK(cudaEventDestroy(ev));
  }

  // ---- 6. many small replays with a counter (GGML's decode loop shape) ----
  {
    cudaGraph_t g;
    CK(cudaMemset(hits_dev, 0, sizeof(int)));
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    for (int k = 0; k < 8; ++k) bump<<<1, 32, 0, s>>>(hits_dev);
    CK(cudaStreamEndCapture(s, &g));
    cudaGraphExec_t ge;
    CK(cudaGraphInstantiateWithFlags(&ge, g, 0));
    for (int r = 0; r < 200; ++r) CK(cudaGraphLaunch(ge, s));
    CK(cudaStreamSynchronize(s));
    int c = 0;
    CK(cudaMemcpy(&c, hits_dev, sizeof(int), cudaMemcpyDeviceToHost));
    report(c == 1600, "200 replays of 8 captured kernels: counter = 1600");
    CK(cudaGraphExecDestroy(ge));
    CK(cudaGraphDestroy(g));
  }

  // ---- 7. capture rules (codes recorded on NVIDIA's driver) ----
  {
    cudaError_t e = cudaStreamBeginCapture(cudaStreamLegacy, cudaStreamCaptureModeGlobal);
    printf("INFO begin capture on the legacy stream -> %d\n", (int)e);
    (void)cudaGetLastError();

    cudaGraph_t g = nullptr;
    e = cudaStreamEndCapture(s, &g);
    printf("INFO end capture on a stream that is not capturing -> %d\n", (int)e);
    (void)cudaGetLastError();

    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    e = cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    printf("INFO begin capture twice -> %d\n", (int)e);
    (void)cudaGetLastError();
    e = cudaStreamQuery(s);
    printf("INFO cudaStreamQuery on the capturing stream -> %d, status now %d\n", (int)e, capture_status(s));
    (void)cudaGetLastError();
    g = nullptr;
    e = cudaStreamEndCapture(s, &g);
    printf("INFO end of that capture -> %d, graph %s\n", (int)e, g ? "returned" : "null");
    (void)cudaGetLastError();
    if (g) cudaGraphDestroy(g);

    std::vector<float> tmp(N);
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    scale<<<B, T, 0, s>>>(y, 1.0f, N);
    e = cudaMemcpy(tmp.data(), y, N * sizeof(float), cudaMemcpyDeviceToHost);
    printf("INFO synchronous cudaMemcpy during a global capture -> %d, status now %d\n", (int)e, capture_status(s));
    (void)cudaGetLastError();
    g = nullptr;
    e = cudaStreamEndCapture(s, &g);
    printf("INFO end of that capture -> %d, graph %s\n", (int)e, g ? "returned" : "null");
    (void)cudaGetLastError();
    if (g) cudaGraphDestroy(g);

    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed));
    scale<<<B, T, 0, s>>>(y, 1.0f, N);
    e = cudaMemcpy(tmp.data(), y, N * sizeof(float), cudaMemcpyDeviceToHost);
    printf("INFO synchronous cudaMemcpy during a relaxed capture -> %d, status now %d\n", (int)e, capture_status(s));
    (void)cudaGetLastError();
    g = nullptr;
    e = cudaStreamEndCapture(s, &g);
    printf("INFO end of that capture -> %d, graph %s\n", (int)e, g ? "returned" : "null");
    (void)cudaGetLastError();
    if (g) cudaGraphDestroy(g);

    float* extra = nullptr;
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    e = cudaMalloc(&extra, 1024);
    printf("INFO cudaMalloc during a global capture -> %d, status now %d\n", (int)e, capture_status(s));
    (void)cudaGetLastError();
    g = nullptr;
    e = cudaStreamEndCapture(s, &g);
    printf("INFO end of that capture -> %d, graph %s\n", (int)e, g ? "returned" : "null");
    (void)cudaGetLastError();
    if (g) cudaGraphDestroy(g);
    if (extra) cudaFree(extra);

    cudaEvent_t outside, inside;
    CK(cudaEventCreateWithFlags(&outside, cudaEventDisableTiming));
    CK(cudaEventCreateWithFlags(&inside, cudaEventDisableTiming));
    CK(cudaEventRecord(outside, s2));
    CK(cudaStreamSynchronize(s2));
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    e = cudaStreamWaitEvent(s, outside, 0);
    printf("INFO waiting on an event recorded outside the capture -> %d, status now %d\n", (int)e, capture_status(s));
    (void)cudaGetLastError();
    e = cudaEventRecord(inside, s);
    printf("INFO recording an event in that capture -> %d\n", (int)e);
    (void)cudaGetLastError();
    e = cudaEventQuery(inside);
    printf("INFO cudaEventQuery on an event recorded in the capture -> %d\n", (int)e);
    (void)cudaGetLastError();
    g = nullptr;
    e = cudaStreamEndCapture(s, &g);
    printf("INFO end of that capture -> %d, graph %s\n", (int)e, g ? "returned" : "null");
    (void)cudaGetLastError();
    if (g) cudaGraphDestroy(g);

    cudaStream_t blocking;
    CK(cudaStreamCreate(&blocking));
    CK(cudaStreamBeginCapture(blocking, cudaStreamCaptureModeRelaxed));
    scale<<<B, T, 0, blocking>>>(y, 1.0f, N);
    scale<<<B, T>>>(y, 1.0f, N);  // legacy default stream
    e = cudaGetLastError();
    printf("INFO launch on the legacy stream while a blocking stream captures -> %d, status now %d\n", (int)e,
           capture_status(blocking));
    g = nullptr;
    e = cudaStreamEndCapture(blocking, &g);
    printf("INFO end of that capture -> %d, graph %s\n", (int)e, g ? "returned" : "null");
    (void)cudaGetLastError();
    if (g) cudaGraphDestroy(g);
    CK(cudaStreamDestroy(blocking));

    cudaStream_t s3;  // left alone afterwards: its state after a failed capture is the driver's business
    CK(cudaStreamCreateWithFlags(&s3, cudaStreamNonBlocking));
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    CK(cudaEventRecord(inside, s));
    CK(cudaStreamWaitEvent(s3, inside, 0));
    scale<<<B, T, 0, s3>>>(y, 1.0f, N);
    g = nullptr;
    e = cudaStreamEndCapture(s, &g);
    printf("INFO end capture with an unjoined fork -> %d, graph %s, forked stream status %d\n", (int)e,
           g ? "returned" : "null", capture_status(s3));
    (void)cudaGetLastError();
    if (g) cudaGraphDestroy(g);
    CK(cudaEventDestroy(outside));
    CK(cudaEventDestroy(inside));
    e = cudaDeviceSynchronize();
    printf("INFO cudaDeviceSynchronize after the probes -> %d\n", (int)e);
    (void)cudaGetLastError();
  }

  CK(cudaGraphExecDestroy(exec));
  CK(cudaGraphDestroy(graph));
  CK(cudaGraphDestroy(fj));
  CK(cudaStreamDestroy(s));
  CK(cudaStreamDestroy(s2));
  CK(cudaFreeHost(hz));
  CK(cudaFree(x));
  CK(cudaFree(y));
  CK(cudaFree(z));
  CK(cudaFree(a_buf));
  CK(cudaFree(b_buf));
  CK(cudaFree(hits_dev));
  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}
