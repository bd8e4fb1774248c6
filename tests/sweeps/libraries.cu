// Hand-written sweep of CUDA's template libraries (the generated sweeps cover the cuda::ptx
// wrappers and the non-template intrinsics): cooperative_groups (every partition kind,
// labeled_partition, reduce / inclusive_scan / exclusive_scan with every operator, invoke_one,
// reduce_update_async / reduce_store_async,
// memcpy_async, grid and cluster groups), cuda::atomic_ref for every type, scope and
// operation, cuda::std bit functions, annotated_ptr / access_property, cuda::barrier,
// cuda::pipeline. Operands are read from memory; the values do not matter (the sweep lowers
// and compiles the PTX).
#include <cooperative_groups.h>
#include <cooperative_groups/memcpy_async.h>
#include <cooperative_groups/reduce.h>
#include <cooperative_groups/scan.h>
#include <cuda/annotated_ptr>
#include <cuda/atomic>
#include <cuda/barrier>
#include <cuda/pipeline>
#include <cuda/std/bit>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

namespace cg = cooperative_groups;

template <class T> __device__ __forceinline__ T A(const char* p) { return *reinterpret_cast<const T*>(p); }
template <class T> __device__ __forceinline__ void sink(char* q, const T& v) { memcpy(q, &v, sizeof(T)); }

// ---- cooperative_groups ----
template <class G, class T> __device__ void cg_collectives(G g, const char* p, char* q) {
  T v = A<T>(p + threadIdx.x * sizeof(T));
  sink(q + 0, cg::reduce(g, v, cg::plus<T>()));
  sink(q + 8, cg::reduce(g, v, cg::less<T>()));
  sink(q + 16, cg::reduce(g, v, cg::greater<T>()));
  sink(q + 24, cg::inclusive_scan(g, v, cg::plus<T>()));
  sink(q + 32, cg::exclusive_scan(g, v, cg::plus<T>()));
  sink(q + 40, cg::inclusive_scan(g, v, cg::greater<T>()));
  if constexpr (cuda::std::is_integral_v<T>) {
    sink(q + 48, cg::reduce(g, v, cg::bit_and<T>()));
    sink(q + 56, cg::reduce(g, v, cg::bit_or<T>()));
    sink(q + 64, cg::reduce(g, v, cg::bit_xor<T>()));
    sink(q + 72, cg::exclusive_scan(g, v, cg::bit_xor<T>()));
  }
  sink(q + 80, g.shfl(v, 3));
  sink(q + 88, g.any(v != T(0)));
  sink(q + 92, g.all(v != T(0)));
  sink(q + 96, g.thread_rank());
  sink(q + 100, g.num_threads());
  g.sync();
}

#define CG_KERNEL(name, T)                                                                 \
  __global__ void cg_##name(const char* p, char* q) {                                     \
    auto b = cg::this_thread_block();                                                      \
    auto w = cg::tiled_partition<32>(b);                                                   \
    cg_collectives<decltype(w), T>(w, p, q);                                               \
    cg_collectives<cg::thread_block_tile<16>, T>(cg::tiled_partition<16>(b), p, q + 128); \
    cg_collectives<cg::thread_block_tile<8>, T>(cg::tiled_partition<8>(b), p, q + 256);   \
    cg_collectives<cg::thread_block_tile<4>, T>(cg::tiled_partition<4>(w), p, q + 384);   \
    cg_collectives<cg::thread_block_tile<2>, T>(cg::tiled_partition<2>(w), p, q + 512);   \
    cg_collectives<cg::thread_block_tile<1>, T>(cg::tiled_partition<1>(w), p, q + 640);   \
    auto c = cg::coalesced_threads();                                                      \
    cg_collectives<decltype(c), T>(c, p, q + 768);                                         \
    auto t = cg::tiled_partition(b, 8);                                                    \
    sink(q + 896, t.thread_rank());                                                        \
    t.sync();                                                                              \
    auto l = cg::labeled_partition(w, A<int>(p + threadIdx.x * 4));                        \
    cg_collectives<decltype(l), T>(l, p, q + 1024);                                        \
    auto bp = cg::binary_partition(w, A<int>(p + threadIdx.x * 4) > 0);                    \
    cg_collectives<decltype(bp), T>(bp, p, q + 1152);                                      \
    auto lc = cg::labeled_partition(c, A<unsigned>(p + threadIdx.x * 4));                  \
    sink(q + 1280, lc.num_threads());                                                      \
    auto bc = cg::binary_partition(c, A<int>(p + threadIdx.x * 4) & 1);                    \
    sink(q + 1284, bc.meta_group_rank());                                                  \
    sink(q + 1288, w.meta_group_rank() + w.meta_group_size());                             \
    sink(q + 1292, w.ballot(A<int>(p) > 0) + w.match_any(A<unsigned>(p)));                 \
    int pred;                                                                              \
    sink(q + 1296, w.match_all(A<unsigned>(p), pred));                                     \
    b.sync();                                                                              \
    sink(q + 1300, b.group_index().x + b.thread_index().y + b.dim_threads().z);            \
  }
// (signed/unsigned 32- and 64-bit integers differ only in the comparisons: one of each size)
CG_KERNEL(i32, int)
CG_KERNEL(u64, unsigned long long)
CG_KERNEL(f32, float)
CG_KERNEL(f64, double)

// invoke_one / invoke_one_broadcast, reduce_update_async / reduce_store_async (through
// cuda::atomic_ref and a plain pointer).
__global__ void cg_invoke_async(const int* p, int* q, unsigned* u) {
  auto w = cg::tiled_partition<32>(cg::this_thread_block());
  cg::invoke_one(w, [&] { q[0] = p[0]; });
  int v = cg::invoke_one_broadcast(w, [&] { return p[1]; });
  cuda::atomic_ref<unsigned, cuda::thread_scope_device> r(*u);
  cg::reduce_update_async(w, r, (unsigned)(v + threadIdx.x), cg::plus<unsigned>());
  cg::reduce_update_async(w, r, (unsigned)threadIdx.x, cg::bit_xor<unsigned>());
  cg::reduce_store_async(w, r, (unsigned)threadIdx.x, cg::greater<unsigned>());
  cg::reduce_store_async(w, q + 2, p[threadIdx.x], cg::less<int>());
}

__global__ void cg_memcpy_async(const int* p, int* q) {
  __shared__ int s[256];
  auto b = cg::this_thread_block();
  cg::memcpy_async(b, s, p, sizeof(int) * 256);
  cg::wait(b);
  auto w = cg::tiled_partition<32>(b);
  cg::memcpy_async(w, s + 32 * w.meta_group_rank(), 32, p + 100, 32);
  cg::wait_prior<0>(w);
  q[threadIdx.x] = s[threadIdx.x ^ 5];
}

__global__ void cg_grid(int* q) {
  auto g = cg::this_grid();
  q[g.thread_rank()] = g.num_threads() + g.block_rank() + g.num_blocks() + g.dim_blocks().x + g.block_index().y;
  g.sync();
  q[0] += g.is_valid();
}

#if __CUDA_ARCH__ >= 900 || !defined(__CUDA_ARCH__)
__global__ void __cluster_dims__(2, 1, 1) cg_cluster(int* q) {
  auto c = cg::this_cluster();
  __shared__ int s;
  s = threadIdx.x;
  c.sync();
  int* r = c.map_shared_rank(&s, c.block_rank() ^ 1);
  q[threadIdx.x] = *r + c.num_blocks() + c.block_index().x + c.dim_blocks().x + c.thread_rank() + c.query_shared_rank(r);
  c.barrier_wait(c.barrier_arrive());
}
#endif

// ---- cuda::atomic_ref: every type, scope and operation ----
template <class T, cuda::thread_scope S> __device__ void atomics(T* x, const char* p, char* q) {
  cuda::atomic_ref<T, S> a(*x);
  T v = A<T>(p);
  T e = A<T>(p + 8);
  a.store(v, cuda::memory_order_relaxed);
  a.store(v, cuda::memory_order_release);
  a.store(v, cuda::memory_order_seq_cst);
  sink(q, a.load(cuda::memory_order_relaxed));
  sink(q + 8, a.load(cuda::memory_order_acquire));
  sink(q + 16, a.load(cuda::memory_order_seq_cst));
  sink(q + 24, a.exchange(v, cuda::memory_order_acq_rel));
  sink(q + 32, a.exchange(v, cuda::memory_order_relaxed));
  sink(q + 40, a.compare_exchange_strong(e, v, cuda::memory_order_acq_rel));
  sink(q + 44, a.compare_exchange_weak(e, v, cuda::memory_order_relaxed));
  sink(q + 48, a.compare_exchange_strong(e, v, cuda::memory_order_seq_cst));
  if constexpr (!cuda::std::is_same_v<T, bool>) {
    sink(q + 56, a.fetch_add(v, cuda::memory_order_relaxed));
    sink(q + 64, a.fetch_add(v, cuda::memory_order_seq_cst));
    sink(q + 72, a.fetch_sub(v, cuda::memory_order_release));
    sink(q + 80, a.fetch_min(v, cuda::memory_order_acquire));
    sink(q + 88, a.fetch_max(v, cuda::memory_order_acq_rel));
  }
  if constexpr (cuda::std::is_integral_v<T> && !cuda::std::is_same_v<T, bool>) {
    sink(q + 96, a.fetch_and(v, cuda::memory_order_relaxed));
    sink(q + 104, a.fetch_or(v, cuda::memory_order_seq_cst));
    sink(q + 112, a.fetch_xor(v, cuda::memory_order_acq_rel));
  }
  a.wait(e, cuda::memory_order_acquire);
  a.notify_one();
  a.notify_all();
}

// Every type in global memory at block, device and system scope (thread scope is block's
// code); in shared memory one type of each size.
#define ATOMIC_KERNEL(name, T)                                                                  \
  __global__ void atomic_##name(T* x, const char* p, char* q) {                                 \
    atomics<T, cuda::thread_scope_block>(x, p, q + 128);                                        \
    atomics<T, cuda::thread_scope_device>(x, p, q + 256);                                       \
    atomics<T, cuda::thread_scope_system>(x, p, q + 384);                                       \
  }
#define ATOMIC_SHARED_KERNEL(name, T)                                                           \
  __global__ void atomic_shared_##name(const char* p, char* q) {                                \
    __shared__ T s[4];                                                                          \
    atomics<T, cuda::thread_scope_block>(&s[threadIdx.x & 3], p, q);                            \
  }
ATOMIC_KERNEL(i8, int8_t)
ATOMIC_KERNEL(u8, uint8_t)
ATOMIC_KERNEL(i16, int16_t)
ATOMIC_KERNEL(u16, uint16_t)
ATOMIC_KERNEL(i32, int32_t)
ATOMIC_KERNEL(u32, uint32_t)
ATOMIC_KERNEL(i64, int64_t)
ATOMIC_KERNEL(u64, uint64_t)
ATOMIC_KERNEL(f32, float)
ATOMIC_KERNEL(f64, double)
ATOMIC_KERNEL(boolean, bool)
ATOMIC_SHARED_KERNEL(u8, uint8_t)
ATOMIC_SHARED_KERNEL(i16, int16_t)
ATOMIC_SHARED_KERNEL(i32, int32_t)
ATOMIC_SHARED_KERNEL(u64, uint64_t)
ATOMIC_SHARED_KERNEL(f32, float)
ATOMIC_SHARED_KERNEL(f64, double)

// cuda::atomic (the object, not the reference) and the fences.
__global__ void atomic_objects(const char* p, char* q) {
  __shared__ cuda::atomic<int, cuda::thread_scope_block> s;
  static __device__ cuda::atomic<unsigned long long, cuda::thread_scope_device> d;
  static __device__ cuda::atomic<float, cuda::thread_scope_system> f;
  s.fetch_add(A<int>(p));
  d.fetch_max(A<unsigned long long>(p));
  f.fetch_add(A<float>(p));
  cuda::atomic_thread_fence(cuda::memory_order_seq_cst, cuda::thread_scope_block);
  cuda::atomic_thread_fence(cuda::memory_order_acq_rel, cuda::thread_scope_device);
  cuda::atomic_thread_fence(cuda::memory_order_acquire, cuda::thread_scope_system);
  cuda::atomic_signal_fence(cuda::memory_order_seq_cst);
  sink(q, s.load() + d.load() + f.load());
}

// ---- cuda::std bit functions ----
template <class T> __device__ void bits(const char* p, char* q) {
  T v = A<T>(p);
  int s = A<int>(p + 8);
  sink(q, cuda::std::popcount(v));
  sink(q + 4, cuda::std::countl_zero(v));
  sink(q + 8, cuda::std::countl_one(v));
  sink(q + 12, cuda::std::countr_zero(v));
  sink(q + 16, cuda::std::countr_one(v));
  sink(q + 20, cuda::std::has_single_bit(v));
  sink(q + 24, cuda::std::bit_width(v));
  sink(q + 32, cuda::std::bit_floor(v));
  sink(q + 40, cuda::std::bit_ceil(v));
  sink(q + 48, cuda::std::rotl(v, s));
  sink(q + 56, cuda::std::rotr(v, s));
}
__global__ void bit_u8(const char* p, char* q) { bits<uint8_t>(p, q); }
__global__ void bit_u16(const char* p, char* q) { bits<uint16_t>(p, q); }
__global__ void bit_u32(const char* p, char* q) { bits<uint32_t>(p, q); }
__global__ void bit_u64(const char* p, char* q) { bits<uint64_t>(p, q); }
__global__ void bit_cast_f(const char* p, char* q) {
  sink(q, cuda::std::bit_cast<uint32_t>(A<float>(p)));
  sink(q + 4, cuda::std::bit_cast<double>(A<uint64_t>(p)));
  sink(q + 12, cuda::std::byteswap(A<uint32_t>(p)));
  sink(q + 16, cuda::std::byteswap(A<uint64_t>(p)));
  sink(q + 24, cuda::std::byteswap(A<uint16_t>(p)));
}

// ---- annotated_ptr / access_property / apply_access_property (createpolicy: sm_80) ----
__global__ void annotated(float* g, const char* p, char* q) {
#if __CUDA_ARCH__ >= 800
  __shared__ float s[64];
  cuda::annotated_ptr<float, cuda::access_property::persisting> a0(g);
  cuda::annotated_ptr<float, cuda::access_property::streaming> a1(g);
  cuda::annotated_ptr<float, cuda::access_property::normal> a2(g);
  cuda::annotated_ptr<float, cuda::access_property::global> a3(g);
  cuda::annotated_ptr<float, cuda::access_property::shared> a4(s);
  cuda::access_property prop(g, 256, cuda::access_property::persisting{}, cuda::access_property::streaming{});
  cuda::access_property prop2(g, 128, 1024, cuda::access_property::persisting{});
  cuda::access_property prop3(cuda::access_property::streaming{});
  cuda::annotated_ptr<float, cuda::access_property> a5(g, prop);
  cuda::annotated_ptr<float, cuda::access_property> a6(g, prop2);
  cuda::annotated_ptr<float, cuda::access_property> a7(g, prop3);
  s[threadIdx.x & 63] = A<float>(p);
  __syncthreads();
  int i = threadIdx.x;
  a0[i] = a1[i] + a2[i] + a3[i] + a4[i & 63] + a5[i] + a6[i] + a7[i];
  cuda::apply_access_property(g, 128, cuda::access_property::persisting{});
  cuda::apply_access_property(g, 128, cuda::access_property::normal{});
  float* pp = cuda::associate_access_property(g, prop);
  sink(q, pp[i]);
#endif
}

// ---- cuda::barrier and cuda::pipeline ----
__global__ void barrier_pipeline(const int* g, int* out) {
  __shared__ int s[2][128];
  __shared__ cuda::barrier<cuda::thread_scope_block> bar;
  auto b = cg::this_thread_block();
  if (b.thread_rank() == 0) init(&bar, b.size());
  b.sync();
  cuda::memcpy_async(b, s[0], g, sizeof(int) * 128, bar);
  cuda::memcpy_async(b, s[1], g + 128, cuda::aligned_size_t<16>(sizeof(int) * 128), bar);
  bar.arrive_and_wait();
  auto t = bar.arrive();
  bar.wait(cuda::std::move(t));
  bar.arrive_and_drop();
  __shared__ cuda::pipeline_shared_state<cuda::thread_scope_block, 2> st;
  auto pipe = cuda::make_pipeline(b, &st);
  pipe.producer_acquire();
  cuda::memcpy_async(b, s[0], g, sizeof(int) * 128, pipe);
  pipe.producer_commit();
  pipe.consumer_wait();
  out[threadIdx.x] = s[0][threadIdx.x & 127] + s[1][threadIdx.x & 127];
  pipe.consumer_release();
  auto tp = cuda::make_pipeline();
  cuda::memcpy_async(s[1] + (threadIdx.x & 127), g + threadIdx.x, sizeof(int), tp);
  tp.producer_commit();
  cuda::pipeline_consumer_wait_prior<0>(tp);
#if __CUDA_ARCH__ >= 900
  __shared__ cuda::barrier<cuda::thread_scope_block> tb;
  if (threadIdx.x == 0) init(&tb, 1);
  __syncthreads();
  if (threadIdx.x == 0) {
    cuda::device::memcpy_async_tx(s[0], g, cuda::aligned_size_t<16>(512), tb);
    auto tok = cuda::device::barrier_arrive_tx(tb, 1, 512);
    tb.wait(cuda::std::move(tok));
  }
#endif
}
