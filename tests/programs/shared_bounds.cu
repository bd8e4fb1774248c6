// shared_bounds.cu — where shared memory ends. On an H100 a CTA's shared window is 0x400
// reserved bytes (readable: they read 0 here), then the static variables and the dynamic
// shared memory, the two together rounded up to 128 bytes; a load or store past that is
// cudaErrorIllegalAddress, through a shared address or a generic pointer alike. Each case runs
// in a fresh process (fork + exec of this program: a fault ends the context) and prints what
// the synchronization after its launch returned.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>
#include <cuda_runtime.h>

// MODE 0: st.shared at the dynamic window's start + off; 1: ld.shared there; 2: ld.shared at
// the absolute shared address off (prints the value); 3: a generic store through the extern
// array's pointer, off bytes in.
__device__ void probe(unsigned* dyn, int mode, unsigned off, unsigned* out) {
  unsigned a = (mode == 2 ? 0u : (unsigned)__cvta_generic_to_shared(dyn)) + off;
  if (mode == 0) {
    asm volatile("st.shared.u32 [%0], %1;" ::"r"(a), "r"(7u) : "memory");
  } else if (mode == 1 || mode == 2) {
    unsigned v;
    asm volatile("ld.shared.u32 %0, [%1];" : "=r"(v) : "r"(a) : "memory");
    out[0] = v;
  } else {
    dyn[off / 4] = 7;
  }
}

__global__ void no_static(int mode, unsigned off, unsigned* out) {
  extern __shared__ unsigned dyn[];
  if (threadIdx.x == 0) probe(dyn, mode, off, out);
}

// 200 bytes of static variables: the dynamic window starts at 0x400 + 208.
__global__ void with_static(int mode, unsigned off, unsigned* out) {
  extern __shared__ unsigned dyn[];
  __shared__ unsigned char pad[200];
  pad[threadIdx.x % 200] = (unsigned char)threadIdx.x;
  __syncthreads();
  if (threadIdx.x == 0) {
    probe(dyn, mode, off, out);
    out[1] = (unsigned)__cvta_generic_to_shared(dyn) | pad[5] << 16;
  }
}

static int run_case(int kernel, int mode, unsigned dyn, unsigned off) {
  unsigned* o;
  if (cudaMalloc(&o, 8) != cudaSuccess) return 1;
  cudaMemset(o, 0xff, 8);
  if (kernel == 0)
    no_static<<<1, 32, dyn>>>(mode, off, o);
  else
    with_static<<<1, 32, dyn>>>(mode, off, o);
  cudaError_t launch = cudaGetLastError();
  cudaError_t e = cudaDeviceSynchronize();
  unsigned v[2] = {0, 0};
  if (e == cudaSuccess) cudaMemcpy(v, o, 8, cudaMemcpyDeviceToHost);
  const char* modes[] = {"st.shared", "ld.shared", "ld.shared abs", "generic st"};
  printf("%-11s %-13s dyn %4u off %#8x: launch %s, sync %s", kernel ? "with_static" : "no_static", modes[mode], dyn, off,
         cudaGetErrorName(launch), cudaGetErrorName(e));
  if (e == cudaSuccess && mode == 2) printf(", value %#x", v[0]);
  if (e == cudaSuccess && kernel == 1) printf(", extern at %#x (pad[5] %u)", v[1] & 0xffff, v[1] >> 16);
  printf("\n");
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 6 && strcmp(argv[1], "--case") == 0)
    return run_case(atoi(argv[2]), atoi(argv[3]), strtoul(argv[4], 0, 0), strtoul(argv[5], 0, 0));
  struct {
    int kernel, mode;
    unsigned dyn, off;
  } cases[] = {
      // 100 dynamic bytes: 128 usable
      {0, 0, 100, 0x60}, {0, 0, 100, 0x7c}, {0, 0, 100, 0x80}, {0, 1, 100, 0x7c}, {0, 1, 100, 0x80},
      {0, 3, 100, 0x7c}, {0, 3, 100, 0x80}, {0, 0, 100, 0x400}, {0, 1, 100, 0x100000},
      // 1000: 1024 usable
      {0, 0, 1000, 0x3fc}, {0, 0, 1000, 0x400}, {0, 1, 1000, 0x3fc}, {0, 1, 1000, 0x400},
      // none at all
      {0, 0, 0, 0}, {0, 1, 0, 0},
      // 200 static + 40 dynamic bytes: 256 usable, the dynamic part starting at 0x4d0
      {1, 0, 40, 0x28}, {1, 0, 40, 0x2c}, {1, 0, 40, 0x30}, {1, 3, 40, 0x2c}, {1, 3, 40, 0x30},
      // the reserved bytes before the variables
      {0, 2, 100, 0}, {0, 2, 100, 0x100}, {0, 2, 100, 0x3fc}, {0, 2, 0, 0x3fc},
  };
  int failures = 0;
  for (auto& c : cases) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      char k[16], m[16], d[16], o[16];
      snprintf(k, sizeof k, "%d", c.kernel);
      snprintf(m, sizeof m, "%d", c.mode);
      snprintf(d, sizeof d, "%u", c.dyn);
      snprintf(o, sizeof o, "%#x", c.off);
      execl("/proc/self/exe", argv[0], "--case", k, m, d, o, (char*)nullptr);
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      printf("FAIL case process exited with status %#x\n", status);
      ++failures;
    }
  }
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures != 0;
}
