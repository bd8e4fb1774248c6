// illegal_address.cu — a kernel that writes far outside any allocation: the launch itself
// succeeds, the next synchronizing call reports cudaErrorIllegalAddress, the error is sticky
// (every later call that needs the context fails the same way), what cudaDeviceReset leaves
// behind, and the process lives on, prints its lines and exits 0. Then, in a fresh process
// (fork + exec of this program), a faulting read on a non-blocking stream seen by
// cudaStreamSynchronize and cudaEventSynchronize, that process exiting normally with its
// context still faulted. What each call returns after a fault is printed as recorded on the
// H100: the golden output decides.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>
#include <cuda_runtime.h>

#include "check.h"

static int g_failures = 0;
static void report(bool ok, const char* what) {
  if (!ok) ++g_failures;
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
}
static void show(const char* what, cudaError_t e) { printf("INFO %s -> %s\n", what, cudaGetErrorName(e)); }

__global__ void fill(int* p, int v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) p[i] = v + i;
}
// Writes 256 GiB past the start of `p`: no allocation is there.
__global__ void write_far(int* p) {
  int* far = (int*)((uintptr_t)p + (1ull << 38));
  far[threadIdx.x] = 42;
}
// Reads 256 GiB before `p`.
__global__ void read_far(int* out, const int* p) {
  const int* far = (const int*)((uintptr_t)p - (1ull << 38));
  out[threadIdx.x] = far[threadIdx.x];
}

static bool check_fill(int* d, int v, int n) {
  std::vector<int> h(n);
  if (cudaMemcpy(h.data(), d, n * sizeof(int), cudaMemcpyDeviceToHost) != cudaSuccess) return false;
  for (int i = 0; i < n; ++i)
    if (h[i] != v + i) return false;
  return true;
}

// Holds a stream until the main thread opens the gate (at most ~10 s): what is enqueued behind
// it is enqueued before the fault happens, on any driver.
static std::atomic<int> g_gate{0};
static void gate_fn(void*) {
  for (int i = 0; i < 10000 && g_gate.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// The second fault, in a process of its own: a faulting read on a non-blocking stream.
static int stream_fault() {
  const int N = 1024;
  int *d, *out;
  cudaStream_t s;
  cudaEvent_t ev;
  CK(cudaMalloc(&d, N * sizeof(int)));
  CK(cudaMalloc(&out, 32 * sizeof(int)));
  CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  CK(cudaEventCreate(&ev));
  fill<<<N / 256, 256, 0, s>>>(d, 3, N);
  CK(cudaStreamSynchronize(s));
  report(check_fill(d, 3, N), "a new process can use the device after another one faulted");
  CK(cudaLaunchHostFunc(s, gate_fn, nullptr));
  read_far<<<1, 32, 0, s>>>(out, d);
  show("cudaGetLastError right after launching read_far on a stream", cudaGetLastError());
  CK(cudaEventRecord(ev, s));
  g_gate.store(1);
  cudaError_t ss = cudaStreamSynchronize(s);
  show("cudaStreamSynchronize after read_far", ss);
  show("cudaEventSynchronize", cudaEventSynchronize(ev));
  show("cudaEventQuery", cudaEventQuery(ev));
  show("cudaStreamQuery", cudaStreamQuery(s));
  show("cudaGetLastError", cudaGetLastError());
  show("cudaStreamDestroy", cudaStreamDestroy(s));
  report(ss == cudaErrorIllegalAddress, "a faulting read on a stream is cudaErrorIllegalAddress too");
  fflush(stdout);
  return g_failures == 0 ? 0 : 1;  // exits with the context still faulted
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "--stream-fault") == 0) return stream_fault();
  const int N = 1024;
  int* d;
  CK(cudaMalloc(&d, N * sizeof(int)));
  fill<<<N / 256, 256>>>(d, 7, N);
  CK(cudaGetLastError());
  report(check_fill(d, 7, N), "a good kernel before the fault");

  // ---- the fault on the legacy stream ----
  write_far<<<1, 32>>>(d);
  cudaError_t launch = cudaGetLastError();
  show("cudaGetLastError right after launching write_far", launch);
  cudaError_t sync = cudaDeviceSynchronize();
  show("cudaDeviceSynchronize after write_far", sync);
  printf("INFO cudaGetErrorString: %s\n", cudaGetErrorString(sync));
  report(sync == cudaErrorIllegalAddress, "the fault is reported as cudaErrorIllegalAddress");

  // ---- sticky: everything that needs the context fails the same way ----
  show("cudaGetLastError", cudaGetLastError());
  show("cudaGetLastError again", cudaGetLastError());
  show("cudaPeekAtLastError", cudaPeekAtLastError());
  show("cudaDeviceSynchronize again", cudaDeviceSynchronize());
  int* d2 = nullptr;
  show("cudaMalloc", cudaMalloc(&d2, 256));
  std::vector<int> h(N);
  show("cudaMemcpy D2H", cudaMemcpy(h.data(), d, N * sizeof(int), cudaMemcpyDeviceToHost));
  show("cudaMemset", cudaMemset(d, 0, N * sizeof(int)));
  fill<<<1, 32>>>(d, 1, 32);
  show("cudaGetLastError after launching a good kernel", cudaGetLastError());
  cudaStream_t s = nullptr;
  show("cudaStreamCreate", cudaStreamCreate(&s));
  cudaEvent_t ev = nullptr;
  show("cudaEventCreate", cudaEventCreate(&ev));
  int dev = -1;
  show("cudaGetDevice", cudaGetDevice(&dev));
  int attr = 0;
  show("cudaDeviceGetAttribute", cudaDeviceGetAttribute(&attr, cudaDevAttrWarpSize, 0));
  show("cudaFree", cudaFree(d));
  report(cudaDeviceSynchronize() == cudaErrorIllegalAddress, "the error is still there after all those calls");

  // ---- after cudaDeviceReset (on NVIDIA's driver 580 the device stays unavailable to this
  // process after a fault: the golden output records what each call answers) ----
  show("cudaDeviceReset", cudaDeviceReset());
  show("cudaGetLastError after the reset", cudaGetLastError());
  d = nullptr;
  cudaError_t m1 = cudaMalloc(&d, N * sizeof(int));
  show("cudaMalloc after the reset", m1);
  show("cudaGetLastError", cudaGetLastError());
  show("cudaMalloc again", cudaMalloc(&d2, N * sizeof(int)));
  show("cudaDeviceSynchronize", cudaDeviceSynchronize());
  if (m1 == cudaSuccess) {
    fill<<<N / 256, 256>>>(d, 100, N);
    show("cudaGetLastError after a launch", cudaGetLastError());
    show("cudaDeviceSynchronize after a launch", cudaDeviceSynchronize());
    printf("INFO the kernel after the reset computed %s\n", check_fill(d, 100, N) ? "the right values" : "wrong values");
  }

  // ---- a faulting read on a non-blocking stream, in a fresh process ----
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    execl("/proc/self/exe", "illegal_address", "--stream-fault", (char*)nullptr);
    _exit(127);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  report(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the stream-fault process exited normally with status 0");
  printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
  return g_failures == 0 ? 0 : 1;
}
