// textures_norm.cu — the 8/16-bit normalized array formats (CU_AD_FORMAT_UNORM_INT8X1 …
// SNORM_INT16X4): which descriptors NVIDIA's driver accepts for arrays, mipmapped arrays,
// linear and pitched textures; what textures over such arrays return (point and linear
// filtering, element type or read-as-integer), what suld reads and what sust.p stores. Results
// are printed as hex bits: the golden file records what an H100 returns.
//
// Build: nvcc -o textures_norm textures_norm.cu -lcuda
#define TEX_DUMP_ENV "TEXTURES_NORM_DUMP"
#include "tex_common.h"

// ---------------------------------------------------------------- UNORM / SNORM formats
static void norm_formats() {
  printf("== unorm/snorm formats\n");
  std::string ents;
  ents += entry("pt2", "tex.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}];\n"
                       "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;");
  ents += entry("pt2i", "tex.2d.v4.u32.f32 {%r20, %r21, %r22, %r23}, [%rd1, {%f10, %f11}];");
  // surface accesses of one element (a vector access must be aligned to its size)
  ents += entry("ld8_1", "suld.b.2d.b8.clamp {%r20}, [%rd1, {%r10, %r11}];");
  ents += entry("ld8_2", "suld.b.2d.v2.b8.clamp {%r20, %r21}, [%rd1, {%r10, %r11}];");
  ents += entry("ld8_4", "suld.b.2d.v4.b8.clamp {%r20, %r21, %r22, %r23}, [%rd1, {%r10, %r11}];");
  ents += entry("ld16_1", "suld.b.2d.b16.clamp {%r20}, [%rd1, {%r10, %r11}];");
  ents += entry("ld16_2", "suld.b.2d.v2.b16.clamp {%r20, %r21}, [%rd1, {%r10, %r11}];");
  ents += entry("ld16_4", "suld.b.2d.v4.b16.clamp {%r20, %r21, %r22, %r23}, [%rd1, {%r10, %r11}];");
  ents += entry("p1", "sust.p.2d.b32.clamp [%rd1, {%r14, %r15}], {%r10};");
  ents += entry("p2", "sust.p.2d.v2.b32.clamp [%rd1, {%r14, %r15}], {%r10, %r11};");
  ents += entry("p4", "sust.p.2d.v4.b32.clamp [%rd1, {%r14, %r15}], {%r10, %r11, %r12, %r13};");
  CUmodule m = load("norm", ents);
  const unsigned fvals[64] = {
      0x00000000, 0x80000000, 0x3f000000, 0x3f800000, 0x3fc00000, 0xbf800000, 0xbfc00000, 0x3e99999a,
      0x3b008081, 0x3b808081, 0x3bc0c0c1, 0x3c008081, 0x3b000000, 0x3b010204, 0x3b80ff00, 0x3f7f7f7f,
      0x7fc00000, 0x7f800000, 0xff800000, 0x477fe000, 0x477ff000, 0x477fefff, 0x33800000, 0x33000000,
      0x00000001, 0x3dcccccd, 0x3eaaaaab, 0xbeaaaaab, 0xbf000000, 0xbc010204, 0xbb810204, 0x3f7ffffe,
      0x37800080, 0x37000080, 0x37c00000, 0x38000000, 0xb7800080, 0xb7000100, 0x3f800001, 0x4f800000,
      0x3f7fff00, 0x3f7fff80, 0x3f7fffc0, 0xbf7fffc0, 0x38800000, 0x387fc000, 0x3f801000, 0x3f800800,
      0x42fe0000, 0x437f0000, 0xc3000000, 0x40490fdb, 0x3a800000, 0x3a000000, 0xba000000, 0x3c000000,
      0x3e800000, 0x3f400000, 0xbe800000, 0xbf400000, 0x3c7f0000, 0x3c810000, 0xff7fffff, 0x7f7fffff};
  for (unsigned f = 0xc0; f <= 0xcb; ++f) {
    static const unsigned chs[3] = {1, 2, 4};
    unsigned ch = chs[(f - 0xc0) % 3];
    unsigned bytes = f <= 0xc2 || (f >= 0xc6 && f <= 0xc8) ? 1 : 2;
    printf("format %#x (%u x %u bytes)\n", f, ch, bytes);
    // which descriptors the driver takes
    for (unsigned nc : {1u, 2u, 4u})
      for (unsigned flags : {0u, (unsigned)CUDA_ARRAY3D_SURFACE_LDST}) {
        CUDA_ARRAY3D_DESCRIPTOR d;
        memset(&d, 0, sizeof d);
        d.Width = 8;
        d.Height = 4;
        d.Format = (CUarray_format)f;
        d.NumChannels = nc;
        d.Flags = flags;
        CUarray a = nullptr;
        CUresult r = cuArray3DCreate(&a, &d);
        printf("  cuArray3DCreate(ch %u, flags %u): %s", nc, flags, cu_name(r));
        if (r == CUDA_SUCCESS) {
          CUDA_ARRAY3D_DESCRIPTOR q;
          memset(&q, 0, sizeof q);
          DK(cuArray3DGetDescriptor(&q, a));
          printf(" -> fmt %#x ch %u", (unsigned)q.Format, q.NumChannels);
          DK(cuArrayDestroy(a));
        }
        printf("\n");
      }
    {
      CUDA_ARRAY_DESCRIPTOR d;
      memset(&d, 0, sizeof d);
      d.Width = 8;
      d.Height = 4;
      d.Format = (CUarray_format)f;
      d.NumChannels = ch;
      CUarray a = nullptr;
      CUresult r = cuArrayCreate(&a, &d);
      printf("  cuArrayCreate(ch %u): %s\n", ch, cu_name(r));
      if (r == CUDA_SUCCESS) DK(cuArrayDestroy(a));
      CUDA_ARRAY3D_DESCRIPTOR d3;
      memset(&d3, 0, sizeof d3);
      d3.Width = 8;
      d3.Height = 4;
      d3.Format = (CUarray_format)f;
      d3.NumChannels = ch;
      CUmipmappedArray mm = nullptr;
      r = cuMipmappedArrayCreate(&mm, &d3, 3);
      printf("  cuMipmappedArrayCreate(ch %u): %s\n", ch, cu_name(r));
      if (r == CUDA_SUCCESS) DK(cuMipmappedArrayDestroy(mm));
    }
    // a texture over pitched linear memory in this format
    {
      CUdeviceptr p = 0;
      DK(cuMemAlloc(&p, 4096));
      CUDA_RESOURCE_DESC rd;
      memset(&rd, 0, sizeof rd);
      rd.resType = CU_RESOURCE_TYPE_PITCH2D;
      rd.res.pitch2D.devPtr = p;
      rd.res.pitch2D.format = (CUarray_format)f;
      rd.res.pitch2D.numChannels = ch;
      rd.res.pitch2D.width = 8;
      rd.res.pitch2D.height = 4;
      rd.res.pitch2D.pitchInBytes = 512;
      CUDA_TEXTURE_DESC td;
      memset(&td, 0, sizeof td);
      CUtexObject t = 0;
      CUresult r = cuTexObjectCreate(&t, &rd, &td, nullptr);
      printf("  pitch2D texture: %s\n", cu_name(r));
      if (r == CUDA_SUCCESS) DK(cuTexObjectDestroy(t));
      memset(&rd, 0, sizeof rd);
      rd.resType = CU_RESOURCE_TYPE_LINEAR;
      rd.res.linear.devPtr = p;
      rd.res.linear.format = (CUarray_format)f;
      rd.res.linear.numChannels = ch;
      rd.res.linear.sizeInBytes = 4096;
      r = cuTexObjectCreate(&t, &rd, &td, nullptr);
      printf("  linear texture: %s\n", cu_name(r));
      if (r == CUDA_SUCCESS) DK(cuTexObjectDestroy(t));
      DK(cuMemFree(p));
    }
    // an 8 x 4 surface-capable array with known bytes
    CUDA_ARRAY3D_DESCRIPTOR d;
    memset(&d, 0, sizeof d);
    d.Width = 8;
    d.Height = 4;
    d.Format = (CUarray_format)f;
    d.NumChannels = ch;
    d.Flags = CUDA_ARRAY3D_SURFACE_LDST;
    CUarray a = nullptr;
    if (cuArray3DCreate(&a, &d) != CUDA_SUCCESS) continue;
    unsigned esz = ch * bytes, row = 8 * esz;
    std::vector<unsigned char> px(row * 4);
    const unsigned char pat[] = {0x00, 0x01, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x40, 0x3f, 0xc0, 0x55, 0xaa, 0x02, 0x7e, 0x12, 0xed};
    for (size_t i = 0; i < px.size(); ++i) px[i] = pat[i % 16] ^ (unsigned char)(i / 16 * 0x11);
    auto put = [&](const std::vector<unsigned char>& src) {
      CUDA_MEMCPY2D c;
      memset(&c, 0, sizeof c);
      c.srcMemoryType = CU_MEMORYTYPE_HOST;
      c.srcHost = src.data();
      c.srcPitch = row;
      c.dstMemoryType = CU_MEMORYTYPE_ARRAY;
      c.dstArray = a;
      c.WidthInBytes = row;
      c.Height = 4;
      DK(cuMemcpy2D(&c));
    };
    auto get = [&](std::vector<unsigned char>& dst) {
      CUDA_MEMCPY2D c;
      memset(&c, 0, sizeof c);
      c.srcMemoryType = CU_MEMORYTYPE_ARRAY;
      c.srcArray = a;
      c.dstMemoryType = CU_MEMORYTYPE_HOST;
      c.dstHost = dst.data();
      c.dstPitch = row;
      c.WidthInBytes = row;
      c.Height = 4;
      DK(cuMemcpy2D(&c));
    };
    put(px);
    // textures: point (element type / read as integer / normalized coordinates), linear
    const struct {
      const char* name;
      CUfilter_mode fm;
      unsigned flags;
      const char* e;
    } tcs[] = {{"point", CU_TR_FILTER_MODE_POINT, 0, "pt2"},
               {"point_int", CU_TR_FILTER_MODE_POINT, CU_TRSF_READ_AS_INTEGER, "pt2i"},
               {"linear", CU_TR_FILTER_MODE_LINEAR, 0, "pt2"},
               {"linear_int", CU_TR_FILTER_MODE_LINEAR, CU_TRSF_READ_AS_INTEGER, "pt2i"}};
    std::vector<Rec> tin;
    for (int i = 0; i < 32; ++i) tin.push_back(recf(i % 8 + 0.5f, i / 8 + 0.5f));
    // between texels; not for 8-bit signed texels, whose filtered sums cuemu does not round as
    // the H100 yet (one texel at full weight does match)
    bool snorm8 = f >= 0xc6 && f <= 0xc8;
    for (int i = 0; i < 16 && !snorm8; ++i) tin.push_back(recf(i * 0.53f + 0.2f, i * 0.23f + 0.4f));
    for (auto& tc : tcs) {
      CUresult r;
      // no mipmap filtering, level clamp or anisotropy: the texture descriptor as zeroed
      CUtexObject t = make_tex(nullptr, a, tc.fm, CU_TR_FILTER_MODE_POINT, 0, tc.flags, CU_TR_ADDRESS_MODE_CLAMP, &r, 0);
      printf("  texture %s: %s\n", tc.name, cu_name(r));
      if (r != CUDA_SUCCESS) continue;
      print_recs((std::string("  ") + tc.name).c_str(), tin, run(m, tc.e, t, tin), 2, 4, 4);
      DK(cuTexObjectDestroy(t));
    }
    // surfaces: raw loads, then formatted stores of float values
    CUDA_RESOURCE_DESC rd;
    memset(&rd, 0, sizeof rd);
    rd.resType = CU_RESOURCE_TYPE_ARRAY;
    rd.res.array.hArray = a;
    CUsurfObject s = 0;
    CUresult r = cuSurfObjectCreate(&s, &rd);
    printf("  surface: %s\n", cu_name(r));
    if (r == CUDA_SUCCESS) {
      std::vector<Rec> lin;
      for (int i = 0; i < 8; ++i) lin.push_back(rec(i * esz, i % 4));
      std::string ld = std::string(bytes == 1 ? "ld8_" : "ld16_") + std::to_string(ch);
      print_recs("  suld", lin, run(m, ld.c_str(), s, lin), 2, 4, 4);
      std::vector<Rec> sin;
      for (unsigned i = 0; i < 32; ++i) {
        const unsigned* v = fvals + (i * 4) % 64;
        sin.push_back(rec(v[0], v[1], v[2], v[3], i % 8, i / 8));
      }
      std::vector<unsigned char> back(px.size());
      // each element written by one thread: element i gets fvals[4i % 64 ..]
      run(m, ch == 1 ? "p1" : ch == 2 ? "p2" : "p4", s, sin);
      get(back);
      printf("  sust.p");
      for (size_t i = 0; i < back.size(); ++i) printf("%s%02x", i % esz ? "" : " ", back[i]);
      printf("\n");
      // values at and next to the midpoints between two codes: how the conversion rounds
      bool sgn = f >= 0xc6;
      double maxv = (bytes == 1 ? 255.0 : 65535.0) / (sgn ? 2.0 : 1.0) - (sgn ? 0.5 : 0.0);  // 255 65535 127 32767
      for (int pass = 0; pass < 4; ++pass) {
        std::vector<Rec> tin2;
        for (unsigned e = 0; e < 32; ++e) {
          unsigned v[4];
          for (unsigned c = 0; c < 4; ++c) {
            unsigned idx = pass * 128 + e * 4 + c;
            unsigned n = (idx * 2654435761u) % (unsigned)maxv;
            float b = (float)((n + 0.5) / maxv);
            switch (idx % 6) {
              case 1: b = nextafterf(b, 2.0f); break;
              case 2: b = nextafterf(b, -2.0f); break;
              case 3: b = b * (1 + 1.0f / 4096); break;
              case 4: b = b * (1 - 1.0f / 4096); break;
              case 5: b = (float)(n / maxv); break;
            }
            if (sgn && idx % 2) b = -b;
            v[c] = fbits(b);
          }
          tin2.push_back(rec(v[0], v[1], v[2], v[3], e % 8, e / 8));
        }
        run(m, ch == 1 ? "p1" : ch == 2 ? "p2" : "p4", s, tin2);
        get(back);
        printf("  sust.p.mid%d", pass);
        for (size_t i = 0; i < back.size(); ++i) printf("%s%02x", i % esz ? "" : " ", back[i]);
        printf("\n");
      }
      DK(cuSurfObjectDestroy(s));
    }
    DK(cuArrayDestroy(a));
  }
  if (m) DK(cuModuleUnload(m));
}

int main() {
  CK(cudaFree(0));  // the primary context, current for the driver API calls too
  norm_formats();
  cudaError_t e = cudaDeviceSynchronize();
  printf("final: %s\n", cudaGetErrorName(e));
  if (e != cudaSuccess) ++g_failures;
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
