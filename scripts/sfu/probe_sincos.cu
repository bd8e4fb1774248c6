// sin/cos.approx.f32 on the H100 compile to MUFU.SIN/COS(FMUL.RZ(x, 0x3e22f983 = 1/2π)) (sm_90
// SASS). Tests over every f32 x whether MUFU's result is a function of the fraction of a turn
// t = RZ(x/2π) truncated to F bits — sign-magnitude key (sign, trunc(frac|t|·2^F)) or
// two's-complement key floor(t·2^F) mod 2^F — by scattering results into a table per key and
// counting conflicts; writes the tables (unreached keys 0xffffffff) as byte deltas.
// Usage: probe_sincos OUTDIR   (run by scripts/sfu/collect_sincos.sh)
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <string>
#include <cuda_runtime.h>
#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { fprintf(stderr, "%s: %s\n", #x, cudaGetErrorString(e)); exit(1); } } while (0)

__device__ __forceinline__ unsigned sinz(unsigned u) { float r; asm("sin.approx.ftz.f32 %0, %1;" : "=f"(r) : "f"(__uint_as_float(u))); return __float_as_uint(r); }
__device__ __forceinline__ unsigned cosz(unsigned u) { float r; asm("cos.approx.ftz.f32 %0, %1;" : "=f"(r) : "f"(__uint_as_float(u))); return __float_as_uint(r); }

#define NV 6  // variants: F = 22, 23, 24 x {sign-magnitude, two's complement}
struct Res { unsigned long long conflicts[2][NV]; unsigned long long nonfinite_bad[2]; unsigned n_ex; unsigned ex[16][4]; };

__device__ void put(unsigned* t, unsigned key, unsigned r, unsigned long long* conf, Res* res, int f, int v, unsigned u) {
  unsigned old = t[key];
  if (old == r) return;
  if (old == 0xffffffffu) { old = atomicCAS(&t[key], 0xffffffffu, r); if (old == 0xffffffffu || old == r) return; }
  (*conf)++;
  if (*(volatile unsigned*)&res->n_ex < 16) { unsigned i = atomicAdd(&res->n_ex, 1u); if (i < 16) { res->ex[i][0] = u; res->ex[i][1] = r; res->ex[i][2] = old; res->ex[i][3] = f * 16 + v; } }
}

__global__ void k(unsigned* const* tabs, Res* res) {
  unsigned long long conf[2][NV] = {};
  unsigned long long bad[2] = {};
  for (unsigned long long i = blockIdx.x * blockDim.x + threadIdx.x; i < (1ULL << 32); i += (unsigned long long)gridDim.x * blockDim.x) {
    unsigned u = (unsigned)i;
    float x = __uint_as_float(u);
    float t = __fmul_rz(x, __uint_as_float(0x3e22f983u));
    unsigned r[2] = {sinz(u), cosz(u)};
    if (!isfinite(t)) { bad[0] += (r[0] & 0x7fffffff) <= 0x7f800000; bad[1] += (r[1] & 0x7fffffff) <= 0x7f800000; continue; }
    if ((__float_as_uint(t) & 0x7f800000) == 0) t = copysignf(0.0f, t);  // MUFU flushes subnormals
    double fr = fmod(fabs((double)t), 1.0), ft = fmod((double)t, 1.0);  // exact
    for (int v = 0; v < NV; v++) {
      int F = 22 + v / 2;
      unsigned key = (v & 1) == 0 ? ((signbit(t) ? 1u : 0u) << F) | (unsigned)(fr * (double)(1u << F))
                                  : (unsigned)(long long)floor(ft * (double)(1u << F)) & ((1u << F) - 1);
      for (int f = 0; f < 2; f++) put(tabs[f * NV + v], key, r[f], &conf[f][v], res, f, v, u);
    }
  }
  for (int f = 0; f < 2; f++) {
    for (int v = 0; v < NV; v++) if (conf[f][v]) atomicAdd(&res->conflicts[f][v], conf[f][v]);
    if (bad[f]) atomicAdd(&res->nonfinite_bad[f], bad[f]);
  }
}

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : ".";
  unsigned* tabs[2 * NV];
  size_t sizes[2 * NV];
  for (int f = 0; f < 2; f++)
    for (int v = 0; v < NV; v++) {
      int F = 22 + v / 2;
      sizes[f * NV + v] = (size_t)((v & 1) == 0 ? 2u : 1u) << F;
      CK(cudaMalloc(&tabs[f * NV + v], sizes[f * NV + v] * 4));
      CK(cudaMemset(tabs[f * NV + v], 0xff, sizes[f * NV + v] * 4));
    }
  unsigned** dt; CK(cudaMalloc(&dt, sizeof tabs)); CK(cudaMemcpy(dt, tabs, sizeof tabs, cudaMemcpyHostToDevice));
  Res* res; CK(cudaMalloc(&res, sizeof(Res))); CK(cudaMemset(res, 0, sizeof(Res)));
  k<<<4096, 256>>>(dt, res);
  CK(cudaDeviceSynchronize());
  Res h; CK(cudaMemcpy(&h, res, sizeof h, cudaMemcpyDeviceToHost));
  FILE* s = fopen((dir + "/summary.txt").c_str(), "w");
  const char* fn[2] = {"sin", "cos"};
  for (int f = 0; f < 2; f++) {
    fprintf(s, "%s: non-finite t with a non-NaN result: %llu\n", fn[f], h.nonfinite_bad[f]);
    for (int v = 0; v < NV; v++) fprintf(s, "%s F=%d %s: %llu conflicts\n", fn[f], 22 + v / 2, (v & 1) ? "twos-complement" : "sign-magnitude", h.conflicts[f][v]);
  }
  for (unsigned i = 0; i < h.n_ex && i < 16; i++) fprintf(s, "  x=%08x r=%08x other=%08x (%s variant %u)\n", h.ex[i][0], h.ex[i][1], h.ex[i][2], fn[h.ex[i][3] / 16], h.ex[i][3] % 16);
  // tables as byte deltas
  for (int f = 0; f < 2; f++)
    for (int v = 2; v < 5; v++) {  // F=23 both keys, F=24 sign-magnitude (8 files at most come back)
      std::vector<unsigned> t(sizes[f * NV + v]);
      CK(cudaMemcpy(t.data(), tabs[f * NV + v], t.size() * 4, cudaMemcpyDeviceToHost));
      std::vector<unsigned char> d; unsigned prev = 0; size_t unreached = 0;
      for (unsigned x : t) {
        unreached += x == 0xffffffffu;
        int dd = (int)(x - prev);
        if (dd >= -127 && dd <= 127) d.push_back((unsigned char)(signed char)dd);
        else { d.push_back(0x80); for (int b = 0; b < 4; b++) d.push_back((unsigned char)(x >> (8 * b))); }
        prev = x;
      }
      char name[64]; snprintf(name, sizeof name, "/%s-F%d-%s.d8", fn[f], 22 + v / 2, (v & 1) ? "tc" : "sm");
      fprintf(s, "%s: %zu entries, %zu unreached\n", name + 1, t.size(), unreached);
      FILE* o = fopen((dir + name).c_str(), "wb"); fwrite(d.data(), 1, d.size(), o); fclose(o);
    }
  fclose(s);
  return 0;
}
