// Big kernels for benches/compile.rs: CUB block-wide sorts, the building blocks of the
// segmented-sort kernels of GGML's argsort (whose O3 compile exploded). Regenerate with
//   nvcc -ptx -arch=compute_75 -o benches/bigkernel.ptx benches/bigkernel.cu
#include <cub/block/block_merge_sort.cuh>
#include <cub/block/block_radix_sort.cuh>

struct Less {
  __device__ bool operator()(float a, float b) const { return a < b; }
};

// Each block sorts 128 × 24 floats with a merge sort (merge-path searches: data-dependent loops).
extern "C" __global__ void __launch_bounds__(128) merge_sort(float* keys) {
  using Sort = cub::BlockMergeSort<float, 128, 24>;
  __shared__ typename Sort::TempStorage tmp;
  float k[24];
  float* base = keys + blockIdx.x * 128 * 24 + threadIdx.x * 24;
#pragma unroll
  for (int i = 0; i < 24; i++) k[i] = base[i];
  Sort(tmp).Sort(k, Less());
#pragma unroll
  for (int i = 0; i < 24; i++) base[i] = k[i];
}

// Each block sorts 128 × 8 (key, index) pairs with a radix sort.
extern "C" __global__ void __launch_bounds__(128) radix_sort(float* keys, int* vals) {
  using Sort = cub::BlockRadixSort<float, 128, 16, int>;
  __shared__ typename Sort::TempStorage tmp;
  float k[16];
  int v[16];
  int off = blockIdx.x * 128 * 16 + threadIdx.x * 16;
#pragma unroll
  for (int i = 0; i < 16; i++) {
    k[i] = keys[off + i];
    v[i] = off + i;
  }
  Sort(tmp).Sort(k, v);
#pragma unroll
  for (int i = 0; i < 16; i++) {
    keys[off + i] = k[i];
    vals[off + i] = v[i];
  }
}
