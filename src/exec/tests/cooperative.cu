// PTX for src/exec/tests/cooperative.rs: nvcc -arch=compute_75 -ptx -o cooperative.ptx cooperative.cu
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

// Block b writes b+1 to its slot, then (after the grid barrier) reads its right neighbour's.
extern "C" __global__ void neighbours(int* slots, int* seen, int* valid) {
  cg::grid_group g = cg::this_grid();
  if (threadIdx.x == 0) slots[blockIdx.x] = blockIdx.x + 1;
  if (g.thread_rank() == 0) *valid = g.is_valid();
  g.sync();
  if (threadIdx.x == 0) seen[blockIdx.x] = slots[(blockIdx.x + 1) % gridDim.x];
}
