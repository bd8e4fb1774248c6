// streams_overlap.cu — several non-blocking streams overlapping pinned-memory async copies
// (H2D and D2H), kernels and host functions (cudaLaunchHostFunc), ordered across streams by
// events (cudaStreamWaitEvent), timed with events (elapsed > 0, later events later), queried
// with cudaStreamQuery/cudaEventQuery while a host function holds a stream back, stream
// priorities and flags, and the legacy default stream's implicit synchronization with
// blocking streams (but not with non-blocking ones).
//
// stdout is deterministic: timings go to stderr; stdout only says whether they are sane.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>
#include <cuda_runtime.h>

#include "check.h"

static int g_failures = 0;
static void report(bool ok, const char* what) {
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}

// y[i] = x[i] * a + b, repeated `rounds` times on a running value (makes the kernel take a
// while without changing what it computes exactly: integer arithmetic).
__global__ void affine_rounds(unsigned* y, const unsigned* x, unsigned a, unsigned b, int n, int rounds) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  unsigned v = x[i];
  for (int r = 0; r < rounds; ++r) v = v * a + b;
  y[i] = v;
}
__global__ void add_arrays(unsigned* y, const unsigned* a, const unsigned* b, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a[i] + b[i];
}

static unsigned affine_ref(unsigned x, unsigned a, unsigned b, int rounds) {
  for (int r = 0; r < rounds; ++r) x = x * a + b;
  return x;
}

static const int NSTREAMS = 4;
static const int CHUNK = 1 << 16;
static const int CHUNKS_PER_STREAM = 4;
static const int T = 256;

// What a host function saw when it ran: a check of the D2H copy that precedes it.
struct HostCheck {
  const unsigned* host;  // pinned, filled by the copy enqueued before the host function
  const unsigned* in;
  unsigned a, b;
  int rounds, n;
  int stream, chunk;
  std::atomic<int>* order;  // global completion counter
  int seen_order;
  bool ok;
};

static void host_check(void* p) {
  HostCheck* h = (HostCheck*)p;
  bool ok = true;
  for (int i = 0; i < h->n; i += 97) ok &= h->host[i] == affine_ref(h->in[i], h->a, h->b, h->rounds);
  ok &= h->host[h->n - 1] == affine_ref(h->in[h->n - 1], h->a, h->b, h->rounds);
  h->ok = ok;
  h->seen_order = h->order->fetch_add(1);
}

static std::atomic<int> g_gate{0};
static std::atomic<int> g_gate_entered{0};
// Holds its stream back until the main thread opens the gate (at most ~10 s).
static void gate_fn(void*) {
  g_gate_entered.store(1);
  for (int i = 0; i < 10000 && g_gate.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

static std::atomic<int> g_slow_done{0};
static void slow_fn(void*) {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  g_slow_done.store(1);
}

static int g_legacy_saw_slow = -1;
static void legacy_probe(void*) { g_legacy_saw_slow = g_slow_done.load(); }

int main() {
  // ---- priorities and flags ----
  int least = 0, greatest = 0;
  CK(cudaDeviceGetStreamPriorityRange(&least, &greatest));
  printf("INFO stream priority range: least %d, greatest %d\n", least, greatest);
  report(greatest <= least, "greatest priority is numerically <= least");
  cudaStream_t s[NSTREAMS];
  for (int k = 0; k < NSTREAMS; ++k) {
    int prio = (k % 2 == 0) ? greatest : least;
    CK(cudaStreamCreateWithPriority(&s[k], cudaStreamNonBlocking, prio));
  }
  bool prio_ok = true, flags_ok = true;
  for (int k = 0; k < NSTREAMS; ++k) {
    int p = 1234;
    unsigned f = 1234;
    CK(cudaStreamGetPriority(s[k], &p));
    CK(cudaStreamGetFlags(s[k], &f));
    prio_ok &= p == ((k % 2 == 0) ? greatest : least);
    flags_ok &= f == cudaStreamNonBlocking;
  }
  report(prio_ok, "cudaStreamGetPriority returns the priority each stream was created with");
  report(flags_ok, "cudaStreamGetFlags returns cudaStreamNonBlocking");
  {
    cudaStream_t clamp;
    CK(cudaStreamCreateWithPriority(&clamp, cudaStreamNonBlocking, greatest - 100));
    int p = 1234;
    CK(cudaStreamGetPriority(clamp, &p));
    report(p == greatest, "a priority beyond the range is clamped to the greatest");
    CK(cudaStreamDestroy(clamp));
    cudaStream_t plain;
    CK(cudaStreamCreate(&plain));
    unsigned f = 1234;
    CK(cudaStreamGetFlags(plain, &f));
    CK(cudaStreamGetPriority(plain, &p));
    report(f == cudaStreamDefault && p == 0, "cudaStreamCreate: default flags, priority 0");
    CK(cudaStreamDestroy(plain));
  }

  // ---- pipelined chunks: H2D, kernel, D2H, host check, on four streams ----
  const int TOTAL = NSTREAMS * CHUNKS_PER_STREAM * CHUNK;
  unsigned *h_in, *h_out;
  CK(cudaMallocHost(&h_in, TOTAL * sizeof(unsigned)));
  CK(cudaHostAlloc(&h_out, TOTAL * sizeof(unsigned), cudaHostAllocDefault));
  for (int i = 0; i < TOTAL; ++i) h_in[i] = (unsigned)i * 2654435761u ^ 0x5bd1e995u;
  memset(h_out, 0, TOTAL * sizeof(unsigned));
  unsigned *d_in, *d_out;
  CK(cudaMalloc(&d_in, TOTAL * sizeof(unsigned)));
  CK(cudaMalloc(&d_out, TOTAL * sizeof(unsigned)));
  std::atomic<int> order{0};
  std::vector<HostCheck> checks(NSTREAMS * CHUNKS_PER_STREAM);
  cudaEvent_t t0, t1;
  CK(cudaEventCreate(&t0));
  CK(cudaEventCreate(&t1));
  CK(cudaEventRecord(t0, 0));
  for (int c = 0; c < CHUNKS_PER_STREAM; ++c) {
    for (int k = 0; k < NSTREAMS; ++k) {
      int idx = k * CHUNKS_PER_STREAM + c;
      size_t off = (size_t)idx * CHUNK;
      unsigned a = 3 + 2 * k, b = 7 + c;
      int rounds = 8 + k;
      CK(cudaMemcpyAsync(d_in + off, h_in + off, CHUNK * sizeof(unsigned), cudaMemcpyHostToDevice, s[k]));
      affine_rounds<<<CHUNK / T, T, 0, s[k]>>>(d_out + off, d_in + off, a, b, CHUNK, rounds);
      CK(cudaGetLastError());
      CK(cudaMemcpyAsync(h_out + off, d_out + off, CHUNK * sizeof(unsigned), cudaMemcpyDeviceToHost, s[k]));
      checks[idx] = HostCheck{h_out + off, h_in + off, a, b, rounds, CHUNK, k, c, &order, -1, false};
      CK(cudaLaunchHostFunc(s[k], host_check, &checks[idx]));
    }
  }
  for (int k = 0; k < NSTREAMS; ++k) CK(cudaStreamSynchronize(s[k]));
  CK(cudaEventRecord(t1, 0));
  CK(cudaEventSynchronize(t1));
  bool all_ok = true;
  for (int idx = 0; idx < NSTREAMS * CHUNKS_PER_STREAM; ++idx) {
    int k = idx / CHUNKS_PER_STREAM, c = idx % CHUNKS_PER_STREAM;
    size_t off = (size_t)idx * CHUNK;
    for (int i = 0; i < CHUNK; ++i) all_ok &= h_out[off + i] == affine_ref(h_in[off + i], 3 + 2 * k, 7 + c, 8 + k);
  }
  report(all_ok, "16 chunks on 4 streams: H2D, kernel, D2H give the right results");
  bool host_ok = true, host_ran = true, per_stream_order = true;
  for (int idx = 0; idx < NSTREAMS * CHUNKS_PER_STREAM; ++idx) {
    host_ok &= checks[idx].ok;
    host_ran &= checks[idx].seen_order >= 0;
    if (idx % CHUNKS_PER_STREAM) per_stream_order &= checks[idx].seen_order > checks[idx - 1].seen_order;
  }
  report(host_ran && order.load() == NSTREAMS * CHUNKS_PER_STREAM, "every host function ran exactly once");
  report(host_ok, "each host function saw the D2H copy enqueued before it complete");
  report(per_stream_order, "host functions of one stream ran in stream order");
  float ms = -1;
  CK(cudaEventElapsedTime(&ms, t0, t1));
  fprintf(stderr, "pipeline: %.3f ms for %d bytes each way\n", ms, (int)(TOTAL * sizeof(unsigned)));
  report(ms > 0, "event timing around the pipeline is positive");

  // ---- cross-stream event waits: s1 consumes what s0 produces ----
  {
    const int N = 1 << 18;
    unsigned *p, *q, *r, *h;
    CK(cudaMalloc(&p, N * sizeof(unsigned)));
    CK(cudaMalloc(&q, N * sizeof(unsigned)));
    CK(cudaMalloc(&r, N * sizeof(unsigned)));
    CK(cudaMallocHost(&h, N * sizeof(unsigned)));
    cudaEvent_t produced_p, produced_q;
    CK(cudaEventCreateWithFlags(&produced_p, cudaEventDisableTiming));
    CK(cudaEventCreateWithFlags(&produced_q, cudaEventDisableTiming));
    bool ok = true;
    for (int iter = 0; iter < 10; ++iter) {
      // s0: p = f(d_in), slow; s2: q = g(d_in); s1 waits for both, then r = p + q, copies back.
      affine_rounds<<<N / T, T, 0, s[0]>>>(p, d_in, 5, iter, N, 200);
      CK(cudaEventRecord(produced_p, s[0]));
      affine_rounds<<<N / T, T, 0, s[2]>>>(q, d_in, 9, 1, N, 3);
      CK(cudaEventRecord(produced_q, s[2]));
      CK(cudaStreamWaitEvent(s[1], produced_p, 0));
      CK(cudaStreamWaitEvent(s[1], produced_q, 0));
      add_arrays<<<N / T, T, 0, s[1]>>>(r, p, q, N);
      CK(cudaMemcpyAsync(h, r, N * sizeof(unsigned), cudaMemcpyDeviceToHost, s[1]));
      CK(cudaStreamSynchronize(s[1]));
      for (int i = 0; i < N; i += 61)
        ok &= h[i] == affine_ref(h_in[i], 5, iter, 200) + affine_ref(h_in[i], 9, 1, 3);
    }
    report(ok, "cross-stream cudaStreamWaitEvent: 10 rounds of produce on s0/s2, consume on s1");
    CK(cudaEventDestroy(produced_p));
    CK(cudaEventDestroy(produced_q));
    CK(cudaFree(p));
    CK(cudaFree(q));
    CK(cudaFree(r));
    CK(cudaFreeHost(h));
  }

  // ---- event timing: ordered events on one stream ----
  {
    cudaEvent_t e[4];
    for (auto& ev : e) CK(cudaEventCreate(&ev));
    CK(cudaEventRecord(e[0], s[3]));
    affine_rounds<<<TOTAL / T, T, 0, s[3]>>>(d_out, d_in, 3, 1, TOTAL, 50);
    CK(cudaEventRecord(e[1], s[3]));
    affine_rounds<<<TOTAL / T, T, 0, s[3]>>>(d_out, d_in, 3, 1, TOTAL, 50);
    CK(cudaEventRecord(e[2], s[3]));
    CK(cudaMemcpyAsync(h_out, d_out, TOTAL * sizeof(unsigned), cudaMemcpyDeviceToHost, s[3]));
    CK(cudaEventRecord(e[3], s[3]));
    CK(cudaEventSynchronize(e[3]));
    float m01 = -1, m02 = -1, m03 = -1, m12 = -1, m10 = 0;
    CK(cudaEventElapsedTime(&m01, e[0], e[1]));
    CK(cudaEventElapsedTime(&m02, e[0], e[2]));
    CK(cudaEventElapsedTime(&m03, e[0], e[3]));
    CK(cudaEventElapsedTime(&m12, e[1], e[2]));
    CK(cudaEventElapsedTime(&m10, e[1], e[0]));
    fprintf(stderr, "events: 0->1 %.3f ms, 0->2 %.3f ms, 0->3 %.3f ms, 1->2 %.3f ms, 1->0 %.3f ms\n", m01, m02, m03,
            m12, m10);
    report(m01 > 0 && m12 > 0, "elapsed time across each kernel is positive");
    report(m01 <= m02 && m02 <= m03, "elapsed times from the first event grow with later events");
    report(m10 < 0, "elapsed time from a later event to an earlier one is negative");
    bool ok = true;
    for (int i = 0; i < TOTAL; i += 101) ok &= h_out[i] == affine_ref(h_in[i], 3, 1, 50);
    report(ok, "timed kernels computed the right values");
    for (auto ev : e) CK(cudaEventDestroy(ev));
  }

  // ---- cudaStreamQuery / cudaEventQuery while a host function holds the stream ----
  {
    cudaEvent_t after;
    CK(cudaEventCreateWithFlags(&after, cudaEventDisableTiming));
    cudaError_t idle = cudaStreamQuery(s[2]);
    CK(cudaLaunchHostFunc(s[2], gate_fn, nullptr));
    affine_rounds<<<CHUNK / T, T, 0, s[2]>>>(d_out, d_in, 3, 1, CHUNK, 1);
    CK(cudaEventRecord(after, s[2]));
    for (int i = 0; i < 5000 && g_gate_entered.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    cudaError_t busy = cudaStreamQuery(s[2]);
    cudaError_t ev_busy = cudaEventQuery(after);
    // Other streams are not held back: s[3] completes work while s[2] waits.
    affine_rounds<<<CHUNK / T, T, 0, s[3]>>>(d_out + CHUNK, d_in, 3, 1, CHUNK, 1);
    cudaError_t other = cudaStreamSynchronize(s[3]);
    // Nor is the legacy stream: s[2] is non-blocking.
    affine_rounds<<<CHUNK / T, T>>>(d_out + 2 * CHUNK, d_in, 3, 1, CHUNK, 1);
    cudaError_t legacy = cudaStreamSynchronize(0);
    g_gate.store(1);
    CK(cudaStreamSynchronize(s[2]));
    cudaError_t done = cudaStreamQuery(s[2]);
    cudaError_t ev_done = cudaEventQuery(after);
    printf("INFO cudaStreamQuery idle -> %s, held by a host function -> %s, after sync -> %s\n",
           cudaGetErrorName(idle), cudaGetErrorName(busy), cudaGetErrorName(done));
    printf("INFO cudaEventQuery behind the held host function -> %s, after sync -> %s\n", cudaGetErrorName(ev_busy),
           cudaGetErrorName(ev_done));
    report(idle == cudaSuccess && busy == cudaErrorNotReady && done == cudaSuccess,
           "cudaStreamQuery: ready, not ready while held, ready after");
    report(ev_busy == cudaErrorNotReady && ev_done == cudaSuccess, "cudaEventQuery: not ready while held, ready after");
    report(other == cudaSuccess, "another non-blocking stream completes while one is held");
    report(legacy == cudaSuccess, "the legacy stream does not wait for a held non-blocking stream");
    CK(cudaEventDestroy(after));
  }

  // ---- legacy default stream waits for blocking streams ----
  {
    cudaStream_t blocking;
    CK(cudaStreamCreate(&blocking));
    CK(cudaLaunchHostFunc(blocking, slow_fn, nullptr));
    CK(cudaLaunchHostFunc(0, legacy_probe, nullptr));
    CK(cudaStreamSynchronize(0));
    report(g_legacy_saw_slow == 1, "work on the legacy stream waits for earlier work on a blocking stream");
    CK(cudaStreamSynchronize(blocking));
    CK(cudaStreamDestroy(blocking));
  }

  // ---- the event-ordered overlap test: kernel on s0 started, s1 unaffected (query) ----
  {
    cudaEvent_t never_recorded;
    CK(cudaEventCreate(&never_recorded));
    cudaError_t q = cudaEventQuery(never_recorded);
    printf("INFO cudaEventQuery on an event never recorded -> %s\n", cudaGetErrorName(q));
    CK(cudaStreamWaitEvent(s[0], never_recorded, 0));  // no-op: nothing to wait for
    CK(cudaStreamSynchronize(s[0]));
    report(q == cudaSuccess, "an event never recorded counts as complete");
    CK(cudaEventDestroy(never_recorded));
  }

  for (int k = 0; k < NSTREAMS; ++k) CK(cudaStreamDestroy(s[k]));
  CK(cudaEventDestroy(t0));
  CK(cudaEventDestroy(t1));
  CK(cudaFree(d_in));
  CK(cudaFree(d_out));
  CK(cudaFreeHost(h_in));
  CK(cudaFreeHost(h_out));
  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}
