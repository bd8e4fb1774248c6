// cluster_bounds.cu — where shared memory ends when CTAs run together: in a cluster (each CTA
// reaches the others' windows, distributed shared memory) and in a cooperative launch. A store
// one word past a CTA's window, through its own shared address, through another CTA's window
// (mapa / a shared::cluster address, a generic pointer from map_shared_rank), must fault as it
// does for a lone CTA (tests/programs/shared_bounds.cu), not land in the neighbour's window.
// Stores inside the windows reach the CTA they name (the owner reads them back after a
// cluster barrier). Each case runs in a fresh process (fork + exec of this program: a fault
// ends the context) and prints what the synchronization after its launch returned.
//
// Build: nvcc -o cluster_bounds cluster_bounds.cu -arch=sm_90
#include <cooperative_groups.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>
#include <cuda_runtime.h>

namespace cg = cooperative_groups;

// 100 dynamic bytes: a window of 0x400 reserved + 128 bytes. `off` is from the dynamic array.
// MODE 0: rank `who` stores to its own dyn + off (st.shared); 1: rank 0 stores to rank 1's
// dyn + off through mapa.shared::cluster (st.shared::cluster); 2: rank 0 stores to rank 1's
// dyn + off through the generic pointer map_shared_rank gives. After a cluster barrier each
// CTA reports the word at its own dyn + min(off, 0x7c) (0xffffffff when nothing wrote it: the
// window rounded up to 128 bytes is filled, 32 words).
__global__ void __cluster_dims__(2, 1, 1) clustered(int mode, int who, unsigned off, unsigned* out) {
  extern __shared__ unsigned dyn[];
  cg::cluster_group cluster = cg::this_cluster();
  unsigned rank = cluster.block_rank();
  for (unsigned i = threadIdx.x; i < 32; i += blockDim.x) dyn[i] = 0xffffffffu;
  cluster.sync();
  if (threadIdx.x == 0) {
    unsigned own = (unsigned)__cvta_generic_to_shared(dyn) + off;
    unsigned v = 0x1000u + rank;
    if (mode == 0 && rank == (unsigned)who) {
      asm volatile("st.shared.u32 [%0], %1;" ::"r"(own), "r"(v) : "memory");
    } else if (mode == 1 && rank == 0) {
      unsigned remote;
      asm volatile("mapa.shared::cluster.u32 %0, %1, 1;" : "=r"(remote) : "r"(own));
      asm volatile("st.shared::cluster.u32 [%0], %1;" ::"r"(remote), "r"(v) : "memory");
    } else if (mode == 2 && rank == 0) {
      unsigned* remote = cluster.map_shared_rank(dyn, 1);
      remote[off / 4] = v;
    }
  }
  cluster.sync();
  if (threadIdx.x == 0) out[rank] = dyn[(off < 0x7c ? off : 0x7c) / 4];
}

// A cooperative launch of 4 CTAs: block `who` stores at its own dyn + off, then a grid sync;
// each block reports its word at dyn + min(off, 0x7c).
__global__ void cooperative(int who, unsigned off, unsigned* out) {
  extern __shared__ unsigned dyn[];
  for (unsigned i = threadIdx.x; i < 32; i += blockDim.x) dyn[i] = 0xffffffffu;
  __syncthreads();
  if (threadIdx.x == 0 && blockIdx.x == (unsigned)who) {
    unsigned a = (unsigned)__cvta_generic_to_shared(dyn) + off;
    asm volatile("st.shared.u32 [%0], %1;" ::"r"(a), "r"(0x2000u + blockIdx.x) : "memory");
  }
  cg::this_grid().sync();
  if (threadIdx.x == 0) out[blockIdx.x] = dyn[(off < 0x7c ? off : 0x7c) / 4];
}

static int run_case(int kernel, int mode, int who, unsigned off) {
  unsigned* o;
  if (cudaMalloc(&o, 16) != cudaSuccess) return 1;
  cudaMemset(o, 0xee, 16);
  int n = 2;
  if (kernel == 0) {
    clustered<<<4, 64, 100>>>(mode, who, off, o);
  } else {
    n = 4;
    void* args[] = {&who, &off, &o};
    cudaLaunchCooperativeKernel((void*)cooperative, 4, 64, args, 100, 0);
  }
  cudaError_t launch = cudaGetLastError();
  cudaError_t e = cudaDeviceSynchronize();
  unsigned v[4] = {0, 0, 0, 0};
  if (e == cudaSuccess) cudaMemcpy(v, o, 16, cudaMemcpyDeviceToHost);
  const char* modes[] = {"own st.shared", "mapa rank 1", "generic rank 1"};
  printf("%-11s %-14s by %d off %#6x: launch %s, sync %s", kernel ? "cooperative" : "cluster", kernel ? "own st.shared" : modes[mode],
         who, off, cudaGetErrorName(launch), cudaGetErrorName(e));
  if (e == cudaSuccess) {
    printf(", words");
    for (int i = 0; i < n; ++i) printf(" %#x", v[i]);
  }
  printf("\n");
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 6 && strcmp(argv[1], "--case") == 0)
    return run_case(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), strtoul(argv[5], 0, 0));
  struct {
    int kernel, mode, who;
    unsigned off;
  } cases[] = {
      // own window, rank 0 (the next CTA's window follows) and rank 1 (the cluster's last)
      {0, 0, 0, 0x7c}, {0, 0, 0, 0x80}, {0, 0, 0, 0x400}, {0, 0, 1, 0x7c}, {0, 0, 1, 0x80},
      // rank 1's window from rank 0: inside, one word past, far past
      {0, 1, 0, 0x7c}, {0, 1, 0, 0x80}, {0, 1, 0, 0x10000}, {0, 2, 0, 0x7c}, {0, 2, 0, 0x80},
      // cooperative launch: block 0 (others follow) and block 3 (the last)
      {1, 0, 0, 0x7c}, {1, 0, 0, 0x80}, {1, 0, 2, 0x80}, {1, 0, 3, 0x80},
  };
  for (auto& c : cases) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      char k[8], m[8], w[8], off[16];
      snprintf(k, sizeof k, "%d", c.kernel);
      snprintf(m, sizeof m, "%d", c.mode);
      snprintf(w, sizeof w, "%d", c.who);
      snprintf(off, sizeof off, "%#x", c.off);
      execl("/proc/self/exe", argv[0], "--case", k, m, w, off, (char*)nullptr);
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      printf("case failed to run (status %d)\n", status);
      return 1;
    }
  }
  printf("PASS\n");
  return 0;
}
