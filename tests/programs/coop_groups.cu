// coop_groups.cu — cooperative groups: thread_block (size, thread_rank, sync),
// tiled_partition<32/16/8/4> and dynamic tiled_partition(block, 8): thread_rank, meta_group_rank,
// shfl/shfl_down/shfl_xor on tiles, any/all/ballot on tiles, a hand-written tile reduction,
// cg::reduce with plus/less/greater/bit_and/bit_or/bit_xor, cg::inclusive_scan and
// exclusive_scan, coalesced_threads() inside divergent branches (size, thread_rank, shfl,
// reduce), and labeled_partition. Expected values come from host models.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <cooperative_groups/scan.h>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

namespace cg = cooperative_groups;

#include "check.h"

enum { THREADS = 128, BLOCKS = 2, NT = THREADS * BLOCKS, SLOTS = 24 };

__device__ int value_of(int gid) { return (gid * 37 + 11) % 101 - 50; }

template <unsigned T>
__device__ int tile_sum_by_shfl(cg::thread_block_tile<T> tile, int v) {
  for (int off = T / 2; off > 0; off /= 2) v += tile.shfl_down(v, off);
  return tile.shfl(v, 0);
}

__global__ void groups(int* out) {
  cg::thread_block block = cg::this_thread_block();
  int gid = blockIdx.x * blockDim.x + threadIdx.x;
  int* o = out + gid * SLOTS;
  int v = value_of(gid);
  o[0] = block.size();
  o[1] = block.thread_rank();

  cg::thread_block_tile<32> t32 = cg::tiled_partition<32>(block);
  cg::thread_block_tile<16> t16 = cg::tiled_partition<16>(block);
  cg::thread_block_tile<8> t8 = cg::tiled_partition<8>(block);
  cg::thread_block_tile<4> t4 = cg::tiled_partition<4>(block);
  o[2] = t16.thread_rank() | (t16.meta_group_rank() << 8) | (t16.meta_group_size() << 16);
  o[3] = tile_sum_by_shfl(t32, v);
  o[4] = tile_sum_by_shfl(t16, v);
  o[5] = t8.shfl_xor(v, 3);
  o[6] = t4.shfl_up(v, 1);
  o[7] = cg::reduce(t16, v, cg::plus<int>());
  o[8] = cg::reduce(t8, v, cg::greater<int>());
  o[9] = cg::reduce(t32, v, cg::less<int>());
  o[10] = cg::reduce(t16, (unsigned)gid * 2654435761u, cg::bit_xor<unsigned>());
  o[11] = cg::reduce(t8, (unsigned)(gid | 0x100), cg::bit_and<unsigned>());
  o[12] = cg::reduce(t4, 1u << (gid & 15), cg::bit_or<unsigned>());
  o[13] = cg::inclusive_scan(t16, v);
  o[14] = cg::exclusive_scan(t8, v);
  o[15] = t16.ballot(v > 0) | (t16.any(v > 45) << 20) | (t16.all(v > -60) << 21);

  cg::thread_group dyn = cg::tiled_partition(block, 8);
  o[16] = dyn.thread_rank() | (dyn.size() << 8);
  block.sync();

  // Coalesced groups in divergent code: the active lanes form the group (__syncwarp first, so
  // that the whole warp reaches each branch together).
  __syncwarp();
  if ((threadIdx.x % 3) == 1) {
    cg::coalesced_group active = cg::coalesced_threads();
    o[17] = active.size() | (active.thread_rank() << 8);
    o[18] = cg::reduce(active, v, cg::plus<int>());
    o[19] = active.shfl(v, active.size() - 1);
  } else {
    o[17] = o[18] = o[19] = -1;
  }
  __syncwarp();
  if (threadIdx.x % 32 < 5) {
    cg::coalesced_group first = cg::coalesced_threads();
    o[20] = first.size() | (first.thread_rank() << 8);
    o[21] = cg::inclusive_scan(first, v);
  } else {
    o[20] = o[21] = -1;
  }
  // labeled_partition: lanes with the same label form a group.
  __syncwarp();
  cg::coalesced_group all = cg::coalesced_threads();
  cg::coalesced_group same = cg::labeled_partition(all, (int)(threadIdx.x % 5));
  o[22] = same.size() | (same.thread_rank() << 8);
  o[23] = cg::reduce(same, v, cg::plus<int>());
}

static int value_of_h(int gid) { return (gid * 37 + 11) % 101 - 50; }

int main() {
  int* dout;
  CHECK(cudaMalloc(&dout, sizeof(int) * NT * SLOTS));
  groups<<<BLOCKS, THREADS>>>(dout);
  CHECK(cudaGetLastError());
  static int out[NT * SLOTS];
  CHECK(cudaMemcpy(out, dout, sizeof(out), cudaMemcpyDeviceToHost));
  static int want[NT * SLOTS];
  for (int g = 0; g < NT; g++) {
    int t = g % THREADS, base = g - t;
    int* w = want + g * SLOTS;
    int v = value_of_h(g);
    auto tile = [&](int size, auto f) { return f(g - (t % size), size); };  // first gid, size
    w[0] = THREADS;
    w[1] = t;
    w[2] = (t % 16) | ((t / 16) << 8) | ((THREADS / 16) << 16);
    w[3] = tile(32, [&](int s, int n) { int a = 0; for (int k = 0; k < n; k++) a += value_of_h(s + k); return a; });
    w[4] = tile(16, [&](int s, int n) { int a = 0; for (int k = 0; k < n; k++) a += value_of_h(s + k); return a; });
    w[5] = value_of_h(g - (t % 8) + ((t % 8) ^ 3));
    w[6] = (t % 4) >= 1 ? value_of_h(g - 1) : v;
    w[7] = w[4];
    w[8] = tile(8, [&](int s, int n) { int a = -1000; for (int k = 0; k < n; k++) a = a > value_of_h(s + k) ? a : value_of_h(s + k); return a; });
    w[9] = tile(32, [&](int s, int n) { int a = 1000; for (int k = 0; k < n; k++) a = a < value_of_h(s + k) ? a : value_of_h(s + k); return a; });
    w[10] = tile(16, [&](int s, int n) { unsigned a = 0; for (int k = 0; k < n; k++) a ^= (unsigned)(s + k) * 2654435761u; return (int)a; });
    w[11] = tile(8, [&](int s, int n) { unsigned a = ~0u; for (int k = 0; k < n; k++) a &= (unsigned)((s + k) | 0x100); return (int)a; });
    w[12] = tile(4, [&](int s, int n) { unsigned a = 0; for (int k = 0; k < n; k++) a |= 1u << ((s + k) & 15); return (int)a; });
    w[13] = 0;
    for (int k = g - (t % 16); k <= g; k++) w[13] += value_of_h(k);
    w[14] = 0;
    for (int k = g - (t % 8); k < g; k++) w[14] += value_of_h(k);
    {
      unsigned bal = 0;
      bool any = false, all = true;
      for (int k = 0; k < 16; k++) {
        int x = value_of_h(g - (t % 16) + k);
        if (x > 0) bal |= 1u << k;
        any |= x > 45;
        all &= x > -60;
      }
      w[15] = (int)bal | (any << 20) | (all << 21);
    }
    w[16] = (t % 8) | (8 << 8);
    int warp0 = base + (t / 32) * 32;
    if (t % 3 == 1) {
      int n = 0, rank = 0, sum = 0, last = 0;
      for (int k = 0; k < 32; k++) {
        int tk = (t / 32) * 32 + k;
        if (tk % 3 == 1) { if (tk < t) rank++; n++; sum += value_of_h(warp0 + k); last = value_of_h(warp0 + k); }
      }
      w[17] = n | (rank << 8);
      w[18] = sum;
      w[19] = last;
    } else {
      w[17] = w[18] = w[19] = -1;
    }
    if (t % 32 < 5) {
      w[20] = 5 | ((t % 32) << 8);
      w[21] = 0;
      for (int k = warp0; k <= g; k++) w[21] += value_of_h(k);
    } else {
      w[20] = w[21] = -1;
    }
    {
      int n = 0, rank = 0, sum = 0;
      for (int k = 0; k < 32; k++) {
        int tk = (t / 32) * 32 + k;
        if (tk % 5 == t % 5) { if (tk < t) rank++; n++; sum += value_of_h(warp0 + k); }
      }
      w[22] = n | (rank << 8);
      w[23] = sum;
    }
  }
  static const char* what[SLOTS] = {
      "block.size", "block.thread_rank", "tile16 rank/meta_group", "tile32 shfl_down sum", "tile16 shfl_down sum",
      "tile8 shfl_xor", "tile4 shfl_up", "reduce plus tile16", "reduce greater tile8", "reduce less tile32",
      "reduce bit_xor tile16", "reduce bit_and tile8", "reduce bit_or tile4", "inclusive_scan tile16",
      "exclusive_scan tile8", "tile16 ballot/any/all", "dynamic tiled_partition(8)", "coalesced size/rank",
      "coalesced reduce", "coalesced shfl", "coalesced first-5 size/rank", "coalesced inclusive_scan",
      "labeled_partition size/rank", "labeled_partition reduce"};
  int failures = 0;
  for (int s = 0; s < SLOTS; s++) {
    int bad = 0;
    long long sum = 0;
    for (int g = 0; g < NT; g++) {
      sum += (long long)out[g * SLOTS + s] * (g + 1);
      if (out[g * SLOTS + s] != want[g * SLOTS + s]) {
        if (bad++ < 2) printf("FAIL %s: thread %d got %d, expected %d\n", what[s], g, out[g * SLOTS + s], want[g * SLOTS + s]);
      }
    }
    failures += bad;
    printf("%s %s (weighted sum %lld)\n", bad ? "FAIL" : "PASS", what[s], sum);
  }
  CHECK(cudaFree(dout));
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
