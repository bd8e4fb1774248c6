// thrust_cub.cu — Thrust and CUB, the CUDA C++ core libraries, as applications use them: device
// sorts (radix and merge), scans, reductions by key, stream compaction, histograms, run-length
// encoding, segmented reductions, prefix sums, merges and searches, and CUB's block- and warp-level
// collectives in a kernel of our own. Every result is checked against a host computation, and
// the program prints one line per algorithm with a hash of its output.
//
// What it guards: CUB's single-pass scans (thrust's scans, reduce_by_key, copy_if, unique,
// run-length encoding) pass partial sums between blocks through a "decoupled look-back": each
// block publishes a {status, value} word of 16 bytes with one st.relaxed.gpu.v2.u64 and its
// successors poll it with ld.relaxed.gpu.v2.u64, spinning with nanosleep. Blocks run on several
// host threads at once, so the word must be written and read whole, and a block must be able to
// wait for an earlier one. The values summed are integers (or floats that add exactly) so the
// results do not depend on how many blocks the library chooses for the device.
// Timeout: 360 (tests/programs.rs: its first run compiles every Thrust/CUB kernel it launches, about
// 115 s with an empty kernel cache on a 2-core machine)
#include <thrust/binary_search.h>
#include <thrust/copy.h>
#include <thrust/count.h>
#include <thrust/device_vector.h>
#include <thrust/extrema.h>
#include <thrust/functional.h>
#include <thrust/host_vector.h>
#include <thrust/merge.h>
#include <thrust/partition.h>
#include <thrust/reduce.h>
#include <thrust/scan.h>
#include <thrust/sequence.h>
#include <thrust/sort.h>
#include <thrust/transform_reduce.h>
#include <thrust/unique.h>

#include <cub/cub.cuh>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

#include "check.h"

static uint32_t g_state = 0x9e3779b9u;
static uint32_t rnd() {
  g_state ^= g_state << 13;
  g_state ^= g_state >> 17;
  g_state ^= g_state << 5;
  return g_state;
}

static int g_fail = 0;

template <class T>
static uint64_t hash_of(const std::vector<T>& v) {
  uint64_t h = 1469598103934665603ull;
  for (const T& x : v) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(&x);
    for (size_t i = 0; i < sizeof(T); ++i) h = (h ^ p[i]) * 1099511628211ull;
  }
  return h;
}

template <class T>
static std::vector<T> to_host(const thrust::device_vector<T>& d, size_t n) {
  std::vector<T> h(n);
  if (n) thrust::copy(d.begin(), d.begin() + n, h.begin());
  return h;
}

template <class T>
static void report(const char* what, const std::vector<T>& got, const std::vector<T>& want) {
  bool ok = got == want;
  if (!ok) {
    size_t i = 0;
    while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
    fprintf(stderr, "%s: first difference at %zu of %zu/%zu\n", what, i, got.size(), want.size());
    ++g_fail;
  }
  printf("%s %s n=%zu hash=%016llx\n", ok ? "PASS" : "FAIL", what, got.size(), (unsigned long long)hash_of(got));
}

struct Pair {
  uint32_t key, val;
  bool operator==(const Pair& o) const { return key == o.key && val == o.val; }
};

struct ByKeyDescending {
  __host__ __device__ bool operator()(const Pair& a, const Pair& b) const { return a.key > b.key; }
};

struct IsOdd {
  __host__ __device__ bool operator()(uint32_t x) const { return x & 1; }
};

struct Square {
  __host__ __device__ uint64_t operator()(uint32_t x) const { return (uint64_t)(x & 0xffff) * (x & 0xffff); }
};

// CUB's collectives in one kernel: a block of 128 threads × 4 items loads a tile (warp
// transpose), sorts it (block radix sort), scans it (block scan), reduces it (block reduce) and
// reduces each warp's first items (warp reduce).
constexpr int kThreads = 128, kItems = 4, kTile = kThreads * kItems;

__global__ void collectives(const uint32_t* in, uint32_t* sorted, uint32_t* scanned, uint32_t* block_max,
                            uint32_t* warp_sum) {
  using Load = cub::BlockLoad<uint32_t, kThreads, kItems, cub::BLOCK_LOAD_WARP_TRANSPOSE>;
  using Sort = cub::BlockRadixSort<uint32_t, kThreads, kItems>;
  using Scan = cub::BlockScan<uint32_t, kThreads>;
  using Reduce = cub::BlockReduce<uint32_t, kThreads>;
  using WarpReduce = cub::WarpReduce<uint32_t>;
  __shared__ union {
    typename Load::TempStorage load;
    typename Sort::TempStorage sort;
    typename Scan::TempStorage scan;
    typename Reduce::TempStorage reduce;
    typename WarpReduce::TempStorage warp[kThreads / 32];
  } tmp;
  uint32_t items[kItems];
  const uint32_t* tile = in + blockIdx.x * kTile;
  Load(tmp.load).Load(tile, items);
  __syncthreads();
  uint32_t w = WarpReduce(tmp.warp[threadIdx.x / 32]).Sum(items[0]);
  if (threadIdx.x % 32 == 0) warp_sum[blockIdx.x * (kThreads / 32) + threadIdx.x / 32] = w;
  __syncthreads();
  uint32_t m = Reduce(tmp.reduce).Reduce(items, cuda::maximum<>{});
  if (threadIdx.x == 0) block_max[blockIdx.x] = m;
  __syncthreads();
  Sort(tmp.sort).Sort(items);  // blocked arrangement: thread t holds items t*4 .. t*4+3
  for (int i = 0; i < kItems; ++i) sorted[blockIdx.x * kTile + threadIdx.x * kItems + i] = items[i];
  __syncthreads();
  uint32_t masked[kItems];
  for (int i = 0; i < kItems; ++i) masked[i] = items[i] & 0xff;
  Scan(tmp.scan).ExclusiveSum(masked, masked);
  for (int i = 0; i < kItems; ++i) scanned[blockIdx.x * kTile + threadIdx.x * kItems + i] = masked[i];
}

int main() {
  const size_t N = 1 << 18;

  // ---- radix sort of 32-bit keys
  std::vector<uint32_t> keys(N);
  for (auto& k : keys) k = rnd();
  {
    thrust::device_vector<uint32_t> d(keys.begin(), keys.end());
    thrust::sort(d.begin(), d.end());
    std::vector<uint32_t> want = keys;
    std::sort(want.begin(), want.end());
    report("sort_u32", to_host(d, N), want);
  }
  // ---- stable radix sort by float key (ties keep their order), 64-bit values
  {
    std::vector<float> fk(N);
    for (auto& f : fk) f = (float)((int)(rnd() % 20001) - 10000) / 8.0f;
    thrust::device_vector<float> dk(fk.begin(), fk.end());
    thrust::device_vector<uint64_t> dv(N);
    thrust::sequence(dv.begin(), dv.end(), (uint64_t)1 << 40);
    thrust::sort_by_key(dk.begin(), dk.end(), dv.begin());
    std::vector<uint64_t> want(N);
    std::iota(want.begin(), want.end(), (uint64_t)1 << 40);
    std::stable_sort(want.begin(), want.end(),
                     [&](uint64_t a, uint64_t b) { return fk[a - ((uint64_t)1 << 40)] < fk[b - ((uint64_t)1 << 40)]; });
    report("sort_by_key_f32_u64", to_host(dv, N), want);
  }
  // ---- merge sort with a comparator (descending by key; stable_sort keeps ties in order)
  {
    std::vector<Pair> ps(N / 4);
    for (size_t i = 0; i < ps.size(); ++i) ps[i] = {rnd() % 1000, (uint32_t)i};
    thrust::device_vector<Pair> d(ps.begin(), ps.end());
    thrust::stable_sort(d.begin(), d.end(), ByKeyDescending());
    std::vector<Pair> want = ps;
    std::stable_sort(want.begin(), want.end(), [](const Pair& a, const Pair& b) { return a.key > b.key; });
    std::vector<Pair> got = to_host(d, ps.size());
    bool ok = got == want;
    if (!ok) ++g_fail;
    printf("%s merge_sort_pairs n=%zu hash=%016llx\n", ok ? "PASS" : "FAIL", got.size(), (unsigned long long)hash_of(got));
  }
  // ---- reduce_by_key over runs of 1..64 equal keys (16-byte look-back words)
  std::vector<uint32_t> run_keys(N);
  {
    uint32_t k = 0;
    for (size_t i = 0; i < N;) {
      size_t len = 1 + rnd() % 64;
      for (size_t j = 0; j < len && i < N; ++j) run_keys[i++] = k;
      k += 1 + rnd() % 3;
    }
    std::vector<uint32_t> vals(N);
    for (auto& v : vals) v = rnd() % 1000;
    thrust::device_vector<uint32_t> dk(run_keys.begin(), run_keys.end()), dv(vals.begin(), vals.end());
    thrust::device_vector<uint32_t> ko(N), vo(N);
    auto e = thrust::reduce_by_key(dk.begin(), dk.end(), dv.begin(), ko.begin(), vo.begin());
    size_t nk = e.first - ko.begin();
    std::vector<uint32_t> wk, wv;
    for (size_t i = 0; i < N; ++i) {
      if (i == 0 || run_keys[i] != run_keys[i - 1]) {
        wk.push_back(run_keys[i]);
        wv.push_back(0);
      }
      wv.back() += vals[i];
    }
    report("reduce_by_key_keys", to_host(ko, nk), wk);
    report("reduce_by_key_sums", to_host(vo, nk), wv);
  }
  // ---- scans: 64-bit inclusive, double exclusive (integers: exact in any order), by key
  {
    std::vector<uint64_t> v(N);
    for (auto& x : v) x = rnd();
    thrust::device_vector<uint64_t> d(v.begin(), v.end());
    thrust::inclusive_scan(d.begin(), d.end(), d.begin());
    std::vector<uint64_t> want(N);
    std::partial_sum(v.begin(), v.end(), want.begin());
    report("inclusive_scan_u64", to_host(d, N), want);

    std::vector<double> dv(N);
    for (auto& x : dv) x = (double)(rnd() % 100000);
    thrust::device_vector<double> dd(dv.begin(), dv.end());
    thrust::exclusive_scan(dd.begin(), dd.end(), dd.begin(), 0.5);
    std::vector<double> wd(N);
    double acc = 0.5;
    for (size_t i = 0; i < N; ++i) {
      wd[i] = acc;
      acc += dv[i];
    }
    report("exclusive_scan_f64", to_host(dd, N), wd);

    std::vector<uint32_t> ones(N, 1);
    thrust::device_vector<uint32_t> dk(run_keys.begin(), run_keys.end()), d1(ones.begin(), ones.end());
    thrust::inclusive_scan_by_key(dk.begin(), dk.end(), d1.begin(), d1.begin());
    std::vector<uint32_t> w1(N);
    for (size_t i = 0; i < N; ++i) w1[i] = (i && run_keys[i] == run_keys[i - 1]) ? w1[i - 1] + 1 : 1;
    report("inclusive_scan_by_key", to_host(d1, N), w1);
  }
  // ---- stream compaction: copy_if, partition, unique, unique_by_key
  {
    thrust::device_vector<uint32_t> d(keys.begin(), keys.end()), o(N);
    size_t n = thrust::copy_if(d.begin(), d.end(), o.begin(), IsOdd()) - o.begin();
    std::vector<uint32_t> want;
    std::copy_if(keys.begin(), keys.end(), std::back_inserter(want), [](uint32_t x) { return x & 1; });
    report("copy_if", to_host(o, n), want);

    thrust::stable_partition(d.begin(), d.end(), IsOdd());
    std::vector<uint32_t> wp = keys;
    std::stable_partition(wp.begin(), wp.end(), [](uint32_t x) { return x & 1; });
    report("stable_partition", to_host(d, N), wp);

    thrust::device_vector<uint32_t> u(run_keys.begin(), run_keys.end());
    size_t nu = thrust::unique(u.begin(), u.end()) - u.begin();
    std::vector<uint32_t> wu = run_keys;
    wu.erase(std::unique(wu.begin(), wu.end()), wu.end());
    report("unique", to_host(u, nu), wu);

    thrust::device_vector<uint32_t> uk(run_keys.begin(), run_keys.end()), uv(N);
    thrust::sequence(uv.begin(), uv.end());
    auto e = thrust::unique_by_key(uk.begin(), uk.end(), uv.begin());
    size_t nuk = e.second - uv.begin();
    std::vector<uint32_t> wv;
    for (size_t i = 0; i < N; ++i)
      if (i == 0 || run_keys[i] != run_keys[i - 1]) wv.push_back((uint32_t)i);
    report("unique_by_key", to_host(uv, nuk), wv);
  }
  // ---- reductions: transform_reduce, count_if, min/max element, reduce of f32 integers
  {
    thrust::device_vector<uint32_t> d(keys.begin(), keys.end());
    uint64_t sq = thrust::transform_reduce(d.begin(), d.end(), Square(), (uint64_t)0, thrust::plus<uint64_t>());
    uint64_t wsq = 0;
    for (uint32_t x : keys) wsq += Square()(x);
    size_t odd = thrust::count_if(d.begin(), d.end(), IsOdd());
    size_t wodd = std::count_if(keys.begin(), keys.end(), [](uint32_t x) { return x & 1; });
    size_t imin = thrust::min_element(d.begin(), d.end()) - d.begin();
    size_t imax = thrust::max_element(d.begin(), d.end()) - d.begin();
    size_t wmin = std::min_element(keys.begin(), keys.end()) - keys.begin();
    size_t wmax = std::max_element(keys.begin(), keys.end()) - keys.begin();
    std::vector<float> fs(N);
    for (auto& f : fs) f = (float)(rnd() % 64);
    thrust::device_vector<float> df(fs.begin(), fs.end());
    float fsum = thrust::reduce(df.begin(), df.end());
    float wf = 0;
    for (float f : fs) wf += f;
    bool ok = sq == wsq && odd == wodd && imin == wmin && imax == wmax && fsum == wf;
    if (!ok) ++g_fail;
    printf("%s reductions squares=%llu odd=%zu min@%zu max@%zu fsum=%.1f\n", ok ? "PASS" : "FAIL",
           (unsigned long long)sq, odd, imin, imax, fsum);
  }
  // ---- CUB device algorithms: histogram, run-length encoding, segmented sums, prefix sums, max
  {
    std::vector<uint8_t> bytes(N);
    for (auto& b : bytes) b = (uint8_t)(rnd() % 251);
    thrust::device_vector<uint8_t> db(bytes.begin(), bytes.end());
    thrust::device_vector<int> dh(256);
    size_t tb = 0;
    const uint8_t* pb = thrust::raw_pointer_cast(db.data());
    int* ph = thrust::raw_pointer_cast(dh.data());
    CK(cub::DeviceHistogram::HistogramEven(nullptr, tb, pb, ph, 257, 0, 256, (int)N));
    thrust::device_vector<char> tmp(tb);
    CK(cub::DeviceHistogram::HistogramEven(thrust::raw_pointer_cast(tmp.data()), tb, pb, ph, 257, 0, 256, (int)N));
    std::vector<int> wh(256, 0);
    for (uint8_t b : bytes) wh[b]++;
    report("cub_histogram", to_host(dh, 256), wh);

    thrust::device_vector<uint32_t> in(run_keys.begin(), run_keys.end()), uo(N), cnt(N), nr(1);
    tb = 0;
    auto* pin = thrust::raw_pointer_cast(in.data());
    auto* puo = thrust::raw_pointer_cast(uo.data());
    auto* pc = thrust::raw_pointer_cast(cnt.data());
    auto* pn = thrust::raw_pointer_cast(nr.data());
    CK(cub::DeviceRunLengthEncode::Encode(nullptr, tb, pin, puo, pc, pn, (int)N));
    thrust::device_vector<char> tmp2(tb);
    CK(cub::DeviceRunLengthEncode::Encode(thrust::raw_pointer_cast(tmp2.data()), tb, pin, puo, pc, pn, (int)N));
    size_t runs = (uint32_t)nr[0];
    std::vector<uint32_t> wc;
    for (size_t i = 0; i < N; ++i) {
      if (i == 0 || run_keys[i] != run_keys[i - 1]) wc.push_back(0);
      wc.back()++;
    }
    report("cub_run_length_counts", to_host(cnt, runs), wc);

    // segments of 0..2000 items
    std::vector<int> offs{0};
    while (offs.back() < (int)N) offs.push_back(std::min<int>((int)N, offs.back() + (int)(rnd() % 2001)));
    int nseg = (int)offs.size() - 1;
    thrust::device_vector<int> doff(offs.begin(), offs.end());
    thrust::device_vector<uint64_t> dseg(nseg);
    std::vector<uint64_t> vals(N);
    for (auto& v : vals) v = rnd();
    thrust::device_vector<uint64_t> dvals(vals.begin(), vals.end());
    tb = 0;
    auto* pv = thrust::raw_pointer_cast(dvals.data());
    auto* ps = thrust::raw_pointer_cast(dseg.data());
    auto* po = thrust::raw_pointer_cast(doff.data());
    CK(cub::DeviceSegmentedReduce::Sum(nullptr, tb, pv, ps, nseg, po, po + 1));
    thrust::device_vector<char> tmp3(tb);
    CK(cub::DeviceSegmentedReduce::Sum(thrust::raw_pointer_cast(tmp3.data()), tb, pv, ps, nseg, po, po + 1));
    std::vector<uint64_t> ws(nseg, 0);
    for (int s = 0; s < nseg; ++s)
      for (int i = offs[s]; i < offs[s + 1]; ++i) ws[s] += vals[i];
    report("cub_segmented_sum", to_host(dseg, nseg), ws);

    // exclusive prefix sums of 64-bit values (16-byte look-back words) and the maximum
    thrust::device_vector<uint64_t> dx(N);
    tb = 0;
    auto* px = thrust::raw_pointer_cast(dx.data());
    CK(cub::DeviceScan::ExclusiveSum(nullptr, tb, pv, px, (int)N));
    thrust::device_vector<char> tmp4(tb);
    CK(cub::DeviceScan::ExclusiveSum(thrust::raw_pointer_cast(tmp4.data()), tb, pv, px, (int)N));
    std::vector<uint64_t> wx(N);
    uint64_t acc = 0;
    for (size_t i = 0; i < N; ++i) {
      wx[i] = acc;
      acc += vals[i];
    }
    report("cub_exclusive_sum_u64", to_host(dx, N), wx);

    thrust::device_vector<uint32_t> dk(keys.begin(), keys.end()), dmx(1);
    tb = 0;
    auto* pk = thrust::raw_pointer_cast(dk.data());
    auto* pmx = thrust::raw_pointer_cast(dmx.data());
    CK(cub::DeviceReduce::Max(nullptr, tb, pk, pmx, (int)N));
    thrust::device_vector<char> tmp5(tb);
    CK(cub::DeviceReduce::Max(thrust::raw_pointer_cast(tmp5.data()), tb, pk, pmx, (int)N));
    uint32_t mx = dmx[0];
    bool ok = mx == *std::max_element(keys.begin(), keys.end());
    if (!ok) ++g_fail;
    printf("%s cub_max %u\n", ok ? "PASS" : "FAIL", mx);
  }
  // ---- merge and vectorized binary search on sorted sequences
  {
    std::vector<uint32_t> a(N / 2), b(N / 3);
    for (auto& x : a) x = rnd() % 100000;
    for (auto& x : b) x = rnd() % 100000;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    thrust::device_vector<uint32_t> da(a.begin(), a.end()), dbv(b.begin(), b.end()), dm(a.size() + b.size());
    thrust::merge(da.begin(), da.end(), dbv.begin(), dbv.end(), dm.begin());
    std::vector<uint32_t> wm(a.size() + b.size());
    std::merge(a.begin(), a.end(), b.begin(), b.end(), wm.begin());
    report("merge", to_host(dm, wm.size()), wm);

    thrust::device_vector<uint32_t> pos(b.size());
    thrust::lower_bound(da.begin(), da.end(), dbv.begin(), dbv.end(), pos.begin());
    std::vector<uint32_t> wpos(b.size());
    for (size_t i = 0; i < b.size(); ++i) wpos[i] = (uint32_t)(std::lower_bound(a.begin(), a.end(), b[i]) - a.begin());
    report("lower_bound", to_host(pos, b.size()), wpos);
  }
  // ---- CUB block and warp collectives in our own kernel
  {
    const int blocks = 64;
    std::vector<uint32_t> in(blocks * kTile);
    for (auto& x : in) x = rnd();
    thrust::device_vector<uint32_t> din(in.begin(), in.end()), ds(in.size()), dsc(in.size()), dmax(blocks),
        dw(blocks * (kThreads / 32));
    collectives<<<blocks, kThreads>>>(thrust::raw_pointer_cast(din.data()), thrust::raw_pointer_cast(ds.data()),
                                      thrust::raw_pointer_cast(dsc.data()), thrust::raw_pointer_cast(dmax.data()),
                                      thrust::raw_pointer_cast(dw.data()));
    CK(cudaGetLastError());
    std::vector<uint32_t> ws(in.size()), wsc(in.size()), wmax(blocks), ww(blocks * (kThreads / 32));
    for (int blk = 0; blk < blocks; ++blk) {
      const uint32_t* t = &in[blk * kTile];
      std::vector<uint32_t> s(t, t + kTile);
      std::sort(s.begin(), s.end());
      uint32_t acc = 0;
      for (int i = 0; i < kTile; ++i) {
        ws[blk * kTile + i] = s[i];
        wsc[blk * kTile + i] = acc;
        acc += s[i] & 0xff;
      }
      wmax[blk] = s.back();
      // warp w's threads hold items[0] = tile[(w*32 + lane) * kItems] (blocked arrangement)
      for (int w = 0; w < kThreads / 32; ++w) {
        uint32_t sum = 0;
        for (int l = 0; l < 32; ++l) sum += t[(w * 32 + l) * kItems];
        ww[blk * (kThreads / 32) + w] = sum;
      }
    }
    report("cub_block_radix_sort", to_host(ds, in.size()), ws);
    report("cub_block_scan", to_host(dsc, in.size()), wsc);
    report("cub_block_reduce_max", to_host(dmax, blocks), wmax);
    report("cub_warp_reduce", to_host(dw, ww.size()), ww);
  }
  CK(cudaDeviceSynchronize());
  printf("thrust_cub: %d failures\n", g_fail);
  printf("%s\n", g_fail ? "FAIL" : "PASS");
  return g_fail ? 1 : 0;
}
