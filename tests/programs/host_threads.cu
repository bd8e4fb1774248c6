// host_threads.cu — eight host threads (std::thread), each with its own stream (blocking and
// non-blocking alternately), launching kernels and copying concurrently through one shared
// primary context; results checked per thread and printed in thread order after the join.
// Built with --default-stream per-thread: two more threads use their per-thread default
// stream (<<<>>> and cudaMemcpy without a stream), and one of them is held by a host function
// while the other finishes its work: per-thread default streams do not wait for each other.
//
// Build: nvcc -o host_threads host_threads.cu --default-stream per-thread
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <cuda_runtime.h>

static std::atomic<int> g_errors{0};
#define CK(call)                                                                          \
  do {                                                                                    \
    cudaError_t e_ = (call);                                                              \
    if (e_ != cudaSuccess) {                                                              \
      fprintf(stderr, "error: %s at line %d -> %s\n", #call, __LINE__, cudaGetErrorName(e_)); \
      g_errors.fetch_add(1);                                                              \
      return false;                                                                       \
    }                                                                                     \
  } while (0)

static int g_failures = 0;
static void report(bool ok, const std::string& what) {
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what.c_str());
}

__global__ void mix(unsigned* y, const unsigned* x, unsigned key, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    unsigned v = x[i] ^ key;
    for (int r = 0; r < 16; ++r) v = v * 1664525u + 1013904223u + (unsigned)r;
    y[i] = v;
  }
}

static unsigned mix_ref(unsigned x, unsigned key) {
  unsigned v = x ^ key;
  for (int r = 0; r < 16; ++r) v = v * 1664525u + 1013904223u + (unsigned)r;
  return v;
}

static const int NTHREADS = 8;
static const int N = 1 << 15;
static const int ITERS = 25;

struct Result {
  bool ok = false;
  int iters_ok = 0;
};

// One worker: its own stream, its own buffers, ITERS rounds of H2D, kernel, D2H, check.
static bool worker(int t, Result* res) {
  cudaStream_t s;
  CK(cudaStreamCreateWithFlags(&s, (t % 2) ? cudaStreamNonBlocking : cudaStreamDefault));
  unsigned *h_in, *h_out, *d_in, *d_out;
  CK(cudaMallocHost(&h_in, N * sizeof(unsigned)));
  CK(cudaMallocHost(&h_out, N * sizeof(unsigned)));
  CK(cudaMalloc(&d_in, N * sizeof(unsigned)));
  CK(cudaMalloc(&d_out, N * sizeof(unsigned)));
  for (int it = 0; it < ITERS; ++it) {
    unsigned key = (unsigned)(t * 1000 + it);
    for (int i = 0; i < N; ++i) h_in[i] = (unsigned)(i * 31 + t * 7 + it);
    CK(cudaMemcpyAsync(d_in, h_in, N * sizeof(unsigned), cudaMemcpyHostToDevice, s));
    mix<<<N / 128, 128, 0, s>>>(d_out, d_in, key, N);
    CK(cudaGetLastError());
    CK(cudaMemcpyAsync(h_out, d_out, N * sizeof(unsigned), cudaMemcpyDeviceToHost, s));
    CK(cudaStreamSynchronize(s));
    bool ok = true;
    for (int i = 0; i < N; ++i) ok &= h_out[i] == mix_ref(h_in[i], key);
    res->iters_ok += ok;
  }
  CK(cudaStreamDestroy(s));
  CK(cudaFreeHost(h_in));
  CK(cudaFreeHost(h_out));
  CK(cudaFree(d_in));
  CK(cudaFree(d_out));
  res->ok = res->iters_ok == ITERS;
  return true;
}

static std::atomic<int> g_gate{0};
static std::atomic<int> g_held{0};
static void hold(void*) {
  g_held.store(1);
  for (int i = 0; i < 10000 && g_gate.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Uses the per-thread default stream only (this file is built with --default-stream
// per-thread). If `held`, a host function holds this thread's stream until the gate opens.
// Device buffers come from the caller: cudaFree synchronizes the whole device, so it must not
// run while the other thread's stream is held.
static bool ptds_worker(int t, bool held, Result* res, int* query_while_held, unsigned* d_in, unsigned* d_out) {
  std::vector<unsigned> h_in(N), h_out(N);
  if (held) {
    CK(cudaLaunchHostFunc(cudaStreamPerThread, hold, nullptr));
    for (int i = 0; i < 5000 && g_held.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    *query_while_held = (int)cudaStreamQuery(0);  // stream 0 is this thread's default stream
    for (int i = 0; i < 10000 && g_gate.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (int it = 0; it < ITERS; ++it) {
    unsigned key = (unsigned)(t * 1000 + it);
    for (int i = 0; i < N; ++i) h_in[i] = (unsigned)(i * 17 + t + it * 3);
    CK(cudaMemcpy(d_in, h_in.data(), N * sizeof(unsigned), cudaMemcpyHostToDevice));
    mix<<<N / 128, 128>>>(d_out, d_in, key, N);
    CK(cudaGetLastError());
    CK(cudaMemcpy(h_out.data(), d_out, N * sizeof(unsigned), cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int i = 0; i < N; ++i) ok &= h_out[i] == mix_ref(h_in[i], key);
    res->iters_ok += ok;
  }
  CK(cudaStreamSynchronize(cudaStreamPerThread));
  res->ok = res->iters_ok == ITERS;
  return true;
}

int main() {
  if (cudaFree(0) != cudaSuccess) {
    printf("FAIL cannot initialise the runtime\n");
    return 2;
  }
  // ---- eight threads, eight streams ----
  std::vector<Result> res(NTHREADS);
  std::vector<std::thread> th;
  for (int t = 0; t < NTHREADS; ++t) th.emplace_back([t, &res] { worker(t, &res[t]); });
  for (auto& x : th) x.join();
  for (int t = 0; t < NTHREADS; ++t)
    report(res[t].ok, "thread " + std::to_string(t) + " (" + ((t % 2) ? "non-blocking" : "blocking") +
                          " stream): " + std::to_string(res[t].iters_ok) + "/" + std::to_string(ITERS) +
                          " rounds of H2D, kernel, D2H correct");

  // ---- per-thread default streams ----
  Result held_res, free_res;
  int query_while_held = -1;
  unsigned* bufs[4];
  for (auto& b : bufs)
    if (cudaMalloc(&b, N * sizeof(unsigned)) != cudaSuccess) {
      printf("FAIL cudaMalloc\n");
      return 2;
    }
  std::thread held([&] { ptds_worker(100, true, &held_res, &query_while_held, bufs[0], bufs[1]); });
  for (int i = 0; i < 5000 && g_held.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  bool free_done = false;
  std::thread other([&] { free_done = ptds_worker(200, false, &free_res, nullptr, bufs[2], bufs[3]); });
  other.join();  // finishes while the first thread's default stream is still held
  bool gate_was_closed = g_gate.load() == 0;
  g_gate.store(1);
  held.join();
  for (auto b : bufs) cudaFree(b);
  printf("INFO cudaStreamQuery(0) on a per-thread default stream held by a host function -> %s\n",
         cudaGetErrorName((cudaError_t)query_while_held));
  report(query_while_held == cudaErrorNotReady, "the held per-thread default stream is not ready");
  report(free_done && free_res.ok && gate_was_closed,
         "another thread's per-thread default stream completes its work while the first is held");
  report(held_res.ok, "the held thread's work completes after the gate opens");

  // ---- the main thread: its per-thread stream and the legacy stream both work ----
  {
    bool ok = true;
    unsigned* d;
    std::vector<unsigned> h(N, 0);
    if (cudaMalloc(&d, N * sizeof(unsigned)) != cudaSuccess) ok = false;
    for (int i = 0; i < N; ++i) h[i] = i;
    ok &= cudaMemcpyAsync(d, h.data(), N * sizeof(unsigned), cudaMemcpyHostToDevice, cudaStreamLegacy) == cudaSuccess;
    mix<<<N / 128, 128, 0, cudaStreamLegacy>>>(d, d, 5u, N);
    ok &= cudaMemcpyAsync(h.data(), d, N * sizeof(unsigned), cudaMemcpyDeviceToHost, cudaStreamLegacy) == cudaSuccess;
    ok &= cudaStreamSynchronize(cudaStreamLegacy) == cudaSuccess;
    for (int i = 0; i < N; ++i) ok &= h[i] == mix_ref((unsigned)i, 5u);
    ok &= cudaFree(d) == cudaSuccess;
    report(ok, "main thread: explicit cudaStreamLegacy copies and kernel");
  }
  report(g_errors.load() == 0, "no CUDA call failed in any thread");
  report(cudaDeviceSynchronize() == cudaSuccess, "cudaDeviceSynchronize at the end");
  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}
