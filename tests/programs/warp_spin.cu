// warp_spin.cu — warps of one block (and CTAs of one cluster) that wait for each other by
// spinning on memory, with no barrier in the loop: a consumer warp spinning on a volatile
// shared flag a later warp sets, a bounded producer/consumer queue that needs many hand-overs
// each way, an acquire load of a global flag, a lock taken with atomicCAS, nanosleep backoff,
// a spin on a flag in another CTA's shared memory, a lock every thread takes (lanes of one
// warp contending), blocks waiting for later blocks and a grid barrier built from an atomic. On a GPU every thread makes progress; cuemu runs a block's warps one at a
// time and a warp's diverged lanes lowest pc first, and after a number of polls in a loop
// switches to the other warps and to the warp's lanes waiting further down; a worker thread
// whose blocks only poll takes in the next block beside them.
//
// Build: nvcc -o warp_spin warp_spin.cu -arch=sm_90
#include <cstdio>
#include <cooperative_groups.h>
#include <cuda/atomic>
#include "check.h"

namespace cg = cooperative_groups;

// Warp 0 waits for warp 1 (which runs after it): a volatile shared flag, then the data.
__global__ void flag_in_shared(int* out) {
  __shared__ volatile int flag;
  __shared__ int data[32];
  if (threadIdx.x == 0) flag = 0;
  __syncthreads();
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (warp == 0) {
    while (flag == 0) {
    }
    out[blockIdx.x * 32 + lane] = data[lane] * 2;
  } else if (warp == 1) {
    data[lane] = blockIdx.x * 100 + lane;
    __threadfence_block();
    if (lane == 0) flag = 1;
  }
}

// The same with no barrier at all: the flag is cleared by the host.
__global__ void flag_no_barrier(volatile int* flags, int* out) {
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (warp == 0) {
    while (flags[blockIdx.x] == 0) {
    }
    out[blockIdx.x * 32 + lane] = flags[blockIdx.x] + lane;
  } else if (warp == 3 && lane == 0) {
    flags[blockIdx.x] = 1000 * (blockIdx.x + 1);
  }
}

// A queue of 4 slots between a producer warp (warp 1) and a consumer warp (warp 0): 200
// items, so each side waits on the other about 50 times.
__global__ void bounded_queue(int* out) {
  __shared__ volatile int head, tail;
  __shared__ volatile int slots[4];
  if (threadIdx.x == 0) head = tail = 0;
  __syncthreads();
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int n = 200;
  if (warp == 0 && lane == 0) {
    long long sum = 0;
    for (int i = 0; i < n; i++) {
      while (head == tail) {
      }
      int v = slots[tail % 4];
      __threadfence_block();
      tail = tail + 1;
      sum = sum * 31 + v;
    }
    out[0] = (int)sum;
    out[1] = (int)(sum >> 32);
  } else if (warp == 1 && lane == 0) {
    for (int i = 0; i < n; i++) {
      while (head - tail == 4) {
      }
      slots[head % 4] = i * i + 7;
      __threadfence_block();
      head = head + 1;
    }
  }
}

// An acquire load of a global flag (cuda::atomic_ref), released by the last warp of the block.
__global__ void acquire_flag(int* flag, int* payload, int* out) {
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  cuda::atomic_ref<int, cuda::thread_scope_block> f(flag[blockIdx.x]);
  if (warp == 0) {
    while (f.load(cuda::memory_order_acquire) == 0) {
    }
    out[blockIdx.x * 32 + lane] = payload[blockIdx.x] + lane;
  } else if (warp == blockDim.x / 32 - 1 && lane == 0) {
    payload[blockIdx.x] = 7 * blockIdx.x + 1;
    f.store(1, cuda::memory_order_release);
  }
}

// A lock in shared memory taken by lane 0 of each warp with atomicCAS, the critical section
// waiting (nanosleep backoff) until the previous holder's turn is recorded: the warps enter
// in order 3, 2, 1, 0, the reverse of how cuemu starts them.
__global__ void ordered_lock(int* out) {
  __shared__ int lock, turn, log[8];
  if (threadIdx.x == 0) lock = 0, turn = 0;
  __syncthreads();
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  int nw = blockDim.x / 32;
  if (lane == 0) {
    int want = nw - 1 - warp;  // warp nw-1 goes first
    for (;;) {
      while (atomicCAS(&lock, 0, 1) != 0) {
      }
      bool mine = atomicAdd(&turn, 0) == want;
      if (mine) {
        log[want] = warp;
        atomicAdd(&turn, 1);
      }
      atomicExch(&lock, 0);
      if (mine) break;
      __nanosleep(100);
    }
  }
  __syncthreads();
  if (threadIdx.x < nw) out[threadIdx.x] = log[threadIdx.x];
}

// Every thread takes one lock (in shared memory, then in global memory) around a non-atomic
// increment: lanes of one warp contend, and the lane that wins must leave the loop and
// release the lock while the others still spin — the pattern that deadlocks without Volta's
// independent thread scheduling.
__global__ void lock_per_thread(int* global_lock, int* counters) {
  __shared__ int lock;
  __shared__ int count;
  if (threadIdx.x == 0) lock = 0, count = 0;
  __syncthreads();
  while (atomicCAS(&lock, 0, 1) != 0) {
  }
  *(volatile int*)&count = *(volatile int*)&count + 1;
  __threadfence_block();
  atomicExch(&lock, 0);
  __syncthreads();
  if (threadIdx.x == 0) counters[blockIdx.x] = count;
  while (atomicCAS(global_lock, 0, 1) != 0) {
  }
  *(volatile int*)&counters[gridDim.x] = *(volatile int*)&counters[gridDim.x] + 1;
  __threadfence();
  atomicExch(global_lock, 0);
}

// A cluster of 2 CTAs: CTA 0's thread 0 spins on a flag in CTA 1's shared memory that CTA 1
// sets after CTA 0 has started waiting; then both meet at the cluster barrier.
__global__ void __cluster_dims__(2, 1, 1) cluster_flag(int* out) {
  __shared__ volatile int flag;
  __shared__ int value;
  cg::cluster_group cl = cg::this_cluster();
  if (threadIdx.x == 0) flag = 0, value = 0;
  cl.sync();
  unsigned r = cl.block_rank();
  if (r == 0 && threadIdx.x == 0) {
    volatile int* peer_flag = cl.map_shared_rank((int*)&flag, 1);
    int* peer_value = cl.map_shared_rank(&value, 1);
    while (*peer_flag == 0) {
    }
    out[blockIdx.x / 2] = *peer_value;
  } else if (r == 1 && threadIdx.x == 32) {
    value = 4242 + blockIdx.x;
    __threadfence_block();
    flag = 1;
  }
  cl.sync();
}

// Blocks that wait for LATER blocks, as code written for a grid that fits the GPU at once does
// (no cooperative launch): block b waits for block b + 1's result, so block 0 finishes last;
// then a grid barrier built from an atomic counter. On the H100 all 64 (264) blocks are
// resident together; cuemu takes in more blocks beside those that only poll.
__global__ void later_block_chain(volatile unsigned* done, unsigned* out) {
  if (threadIdx.x == 0) {
    unsigned b = blockIdx.x, v = b * b + 1;
    if (b + 1 < gridDim.x) {
      unsigned w;
      while ((w = done[b + 1]) == 0) {
      }
      v += w;
    }
    done[b] = v;
    out[b] = v;
  }
}

__global__ void atomic_grid_barrier(unsigned* count, unsigned* part, unsigned* out) {
  __shared__ unsigned s;
  if (threadIdx.x == 0) s = 0;
  __syncthreads();
  atomicAdd(&s, threadIdx.x * (blockIdx.x + 1));
  __syncthreads();
  if (threadIdx.x == 0) {
    part[blockIdx.x] = s;
    __threadfence();
    atomicAdd(count, 1);
    while (*(volatile unsigned*)count < gridDim.x) {
      __nanosleep(100);
    }
  }
  __syncthreads();
  unsigned sum = 0;
  for (unsigned i = threadIdx.x; i < gridDim.x; i += blockDim.x) sum += *(volatile unsigned*)&part[i];
  atomicAdd(&out[blockIdx.x], sum);
}

int main() {
  int *out, *flags, *payload;
  CK(cudaMalloc(&out, 4096 * sizeof(int)));
  CK(cudaMalloc(&flags, 64 * sizeof(int)));
  CK(cudaMalloc(&payload, 64 * sizeof(int)));
  int h[4096];

  flag_in_shared<<<8, 64>>>(out);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(h, out, 8 * 32 * sizeof(int), cudaMemcpyDeviceToHost));
  int ok = 1;
  for (int b = 0; b < 8; b++)
    for (int l = 0; l < 32; l++) ok &= h[b * 32 + l] == 2 * (b * 100 + l);
  printf("flag in shared memory (8 blocks, warp 0 waits for warp 1): %s, block 7 lane 31 %d\n", ok ? "ok" : "WRONG", h[7 * 32 + 31]);

  CK(cudaMemset(flags, 0, 64 * sizeof(int)));
  flag_no_barrier<<<16, 128>>>(flags, out);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(h, out, 16 * 32 * sizeof(int), cudaMemcpyDeviceToHost));
  ok = 1;
  for (int b = 0; b < 16; b++)
    for (int l = 0; l < 32; l++) ok &= h[b * 32 + l] == 1000 * (b + 1) + l;
  printf("global flag, kernel without barriers (16 blocks, warp 0 waits for warp 3): %s, block 15 lane 1 %d\n", ok ? "ok" : "WRONG",
         h[15 * 32 + 1]);

  bounded_queue<<<1, 64>>>(out);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(h, out, 2 * sizeof(int), cudaMemcpyDeviceToHost));
  long long want = 0;
  for (int i = 0; i < 200; i++) want = want * 31 + (i * i + 7);
  long long got = (long long)(unsigned)h[0] | (long long)h[1] << 32;
  printf("bounded queue between two warps (200 items, 4 slots): %s, hash %016llx\n", got == want ? "ok" : "WRONG", got);

  CK(cudaMemset(flags, 0, 64 * sizeof(int)));
  acquire_flag<<<4, 256>>>(flags, payload, out);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(h, out, 4 * 32 * sizeof(int), cudaMemcpyDeviceToHost));
  ok = 1;
  for (int b = 0; b < 4; b++)
    for (int l = 0; l < 32; l++) ok &= h[b * 32 + l] == 7 * b + 1 + l;
  printf("acquire load of a global flag (warp 0 waits for warp 7): %s\n", ok ? "ok" : "WRONG");

  ordered_lock<<<2, 256>>>(out);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(h, out, 8 * sizeof(int), cudaMemcpyDeviceToHost));
  printf("atomicCAS lock, warps entering in reverse order:");
  for (int i = 0; i < 8; i++) printf(" %d", h[i]);
  printf("\n");

  CK(cudaMemset(flags, 0, 64 * sizeof(int)));
  CK(cudaMemset(out, 0, 64 * sizeof(int)));
  lock_per_thread<<<4, 96>>>(flags, out);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(h, out, 5 * sizeof(int), cudaMemcpyDeviceToHost));
  printf("a lock every thread takes (lanes of a warp contend): per block %d %d %d %d, all %d\n", h[0], h[1], h[2], h[3], h[4]);

  cluster_flag<<<4, 64>>>(out);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(h, out, 2 * sizeof(int), cudaMemcpyDeviceToHost));
  printf("flag in another CTA's shared memory (clusters of 2): %d %d\n", h[0], h[1]);

  unsigned *uflags, *uout;
  CK(cudaMalloc(&uflags, 512 * sizeof(unsigned)));
  CK(cudaMalloc(&uout, 512 * sizeof(unsigned)));
  CK(cudaMemset(uflags, 0, 512 * sizeof(unsigned)));
  later_block_chain<<<64, 64>>>(uflags, uout);
  CK(cudaDeviceSynchronize());
  unsigned u[512];
  CK(cudaMemcpy(u, uout, 64 * sizeof(unsigned), cudaMemcpyDeviceToHost));
  unsigned want_chain = 0;
  for (unsigned b = 0; b < 64; b++) want_chain += b * b + 1;
  printf("blocks waiting for later blocks (64 blocks, each for the next): block 0 %u (%s), block 63 %u\n", u[0],
         u[0] == want_chain ? "ok" : "WRONG", u[63]);

  CK(cudaMemset(uflags, 0, 512 * sizeof(unsigned)));
  CK(cudaMemset(uout, 0, 512 * sizeof(unsigned)));
  atomic_grid_barrier<<<264, 128>>>(uflags, uflags + 1, uout);
  CK(cudaDeviceSynchronize());
  CK(cudaMemcpy(u, uout, 264 * sizeof(unsigned), cudaMemcpyDeviceToHost));
  unsigned want_sum = 0;
  for (unsigned b = 0; b < 264; b++) want_sum += (127 * 128 / 2) * (b + 1);
  ok = 1;
  for (int b = 0; b < 264; b++) ok &= u[b] == want_sum;
  printf("grid barrier from an atomic counter (264 blocks, no cooperative launch): %s, sum %u\n", ok ? "ok" : "WRONG", u[0]);
  CK(cudaFree(uflags));
  CK(cudaFree(uout));

  CK(cudaFree(out));
  CK(cudaFree(flags));
  CK(cudaFree(payload));
  printf("PASS\n");
  return 0;
}
