// textures_mip.cu — mipmapped textures and the texture/surface instructions textures.cu leaves
// out. Mipmaps: cudaMallocMipmappedArray and cuMipmappedArrayCreate (level counts, extents,
// errors), tex.level and tex.grad (axis-aligned 2D gradients) with point and linear mipmap
// filtering, point or bilinear filtering inside a level, level bias, min/max level clamps.
// Also `.f16x2` texture results, surface reductions (`sured.b`, `sured.p`), formatted surface
// stores (`sust.p`, converted to float, half and integer channel formats) and which txq/suq
// queries NVIDIA's driver loads. The kernels are PTX modules loaded with cuModuleLoadData (one
// per query), so that a module the driver refuses is reported and the rest runs. Not here,
// because cuemu does not match the H100 on them yet: anisotropic filtering, gradients that are
// not axis-aligned, 1D gradients, trilinear filtering (linear inside and across levels), sust.p
// to unorm/snorm formats. Results are printed as hex bits: the golden file records what an H100
// returns, bit for bit.
//
// Build: nvcc -o textures_mip textures_mip.cu -lcuda
#define TEX_DUMP_ENV "TEXTURES_MIP_DUMP"
#define TEX_FRAME_WIDE  // entry() sets %rd10 and %rd11
#include "tex_common.h"

// ---------------------------------------------------------------- objects
static cudaTextureObject_t make_tex(cudaResourceDesc rd, cudaTextureFilterMode filter, cudaTextureFilterMode mip,
                                    bool normalized, cudaTextureAddressMode am, float bias, float minc, float maxc,
                                    unsigned aniso, cudaTextureReadMode read = cudaReadModeElementType) {
  cudaTextureDesc td;
  memset(&td, 0, sizeof td);
  td.addressMode[0] = td.addressMode[1] = td.addressMode[2] = am;
  td.filterMode = filter;
  td.readMode = read;
  td.normalizedCoords = normalized;
  td.mipmapFilterMode = mip;
  td.mipmapLevelBias = bias;
  td.minMipmapLevelClamp = minc;
  td.maxMipmapLevelClamp = maxc;
  td.maxAnisotropy = aniso;
  cudaTextureObject_t t = 0;
  CK(cudaCreateTextureObject(&t, &rd, &td, nullptr));
  return t;
}

static cudaResourceDesc mip_res(cudaMipmappedArray_t m) {
  cudaResourceDesc rd;
  memset(&rd, 0, sizeof rd);
  rd.resType = cudaResourceTypeMipmappedArray;
  rd.res.mipmap.mipmap = m;
  return rd;
}
static cudaResourceDesc arr_res(cudaArray_t a) {
  cudaResourceDesc rd;
  memset(&rd, 0, sizeof rd);
  rd.resType = cudaResourceTypeArray;
  rd.res.array.array = a;
  return rd;
}

// A 2D float mipmapped array of `levels` levels; texel (x, y) of level L is val(L, x, y).
template <class F>
static cudaMipmappedArray_t mip2d(int w, int h, int levels, F val) {
  cudaChannelFormatDesc cd = cudaCreateChannelDesc<float>();
  cudaMipmappedArray_t m = nullptr;
  CK(cudaMallocMipmappedArray(&m, &cd, make_cudaExtent(w, h, 0), levels));
  for (int l = 0; l < levels; ++l) {
    cudaArray_t a = nullptr;
    CK(cudaGetMipmappedArrayLevel(&a, m, l));
    int lw = w >> l > 0 ? w >> l : 1, lh = h >> l > 0 ? h >> l : 1;
    std::vector<float> v(lw * lh);
    for (int y = 0; y < lh; ++y)
      for (int x = 0; x < lw; ++x) v[y * lw + x] = val(l, x, y);
    CK(cudaMemcpy2DToArray(a, 0, 0, v.data(), lw * 4, lw * 4, lh, cudaMemcpyHostToDevice));
  }
  return m;
}

// ---------------------------------------------------------------- mipmaps
static const char* MIP_PTX_ENTRIES[][2] = {
    {"lvl2", "tex.level.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}], %f12;\n"
             "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"grad2", "tex.grad.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}], {%f12, %f13}, {%f14, %f15};\n"
              "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"lvl1", "tex.level.1d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10}], %f12;\n"
             "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
    {"plain2", "tex.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}];\n"
               "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;"},
};

static void mipmaps() {
  printf("== mipmaps\n");
  std::string ents;
  for (auto& e : MIP_PTX_ENTRIES) ents += entry(e[0], e[1]);
  CUmodule m = load("mip", ents);

  // API: levels, extents, errors
  cudaChannelFormatDesc cdf = cudaCreateChannelDesc<float>();
  cudaMipmappedArray_t big = nullptr;
  cudaError_t e = cudaMallocMipmappedArray(&big, &cdf, make_cudaExtent(32, 8, 0), 10);
  printf("cudaMallocMipmappedArray(32x8, 10 levels): %s\n", cudaGetErrorName(e));
  for (int l = 0; l < 8 && e == cudaSuccess; ++l) {
    cudaArray_t a = nullptr;
    cudaError_t el = cudaGetMipmappedArrayLevel(&a, big, l);
    cudaChannelFormatDesc d;
    cudaExtent ext = make_cudaExtent(0, 0, 0);
    unsigned fl = 0;
    if (el == cudaSuccess) CK(cudaArrayGetInfo(&d, &ext, &fl, a));
    printf("  level %d: %s extent %zux%zux%zu flags %x\n", l, cudaGetErrorName(el), ext.width, ext.height, ext.depth, fl);
  }
  if (e == cudaSuccess) CK(cudaFreeMipmappedArray(big));
  cudaMipmappedArray_t zero = nullptr;
  e = cudaMallocMipmappedArray(&zero, &cdf, make_cudaExtent(16, 16, 0), 0);
  printf("cudaMallocMipmappedArray(16x16, 0 levels): %s\n", cudaGetErrorName(e));
  if (e == cudaSuccess) CK(cudaFreeMipmappedArray(zero));

  // driver API
  {
    CUDA_ARRAY3D_DESCRIPTOR d;
    memset(&d, 0, sizeof d);
    d.Width = 8;
    d.Height = 0;
    d.Format = CU_AD_FORMAT_UNSIGNED_INT8;
    d.NumChannels = 4;
    CUmipmappedArray mm = nullptr;
    CUresult r = cuMipmappedArrayCreate(&mm, &d, 4);
    printf("cuMipmappedArrayCreate(1D 8 wide, 4 levels): %s\n", cu_name(r));
    for (unsigned l = 0; l < 5 && r == CUDA_SUCCESS; ++l) {
      CUarray a = nullptr;
      CUresult rl = cuMipmappedArrayGetLevel(&a, mm, l);
      CUDA_ARRAY3D_DESCRIPTOR q;
      memset(&q, 0, sizeof q);
      if (rl == CUDA_SUCCESS) DK(cuArray3DGetDescriptor(&q, a));
      printf("  level %u: %s %zux%zux%zu fmt %x ch %u\n", l, cu_name(rl), q.Width, q.Height, q.Depth, (unsigned)q.Format,
             q.NumChannels);
    }
    CUresult r0 = cuMipmappedArrayCreate(nullptr, &d, 4);
    printf("cuMipmappedArrayCreate(null handle): %s\n", cu_name(r0));
    CUmipmappedArray m0 = nullptr;
    CUresult rz = cuMipmappedArrayCreate(&m0, &d, 0);
    printf("cuMipmappedArrayCreate(0 levels): %s\n", cu_name(rz));
    if (rz == CUDA_SUCCESS) DK(cuMipmappedArrayDestroy(m0));
    if (r == CUDA_SUCCESS) {
      // a texture over it: point sampled tex.level of each level's texel 0 (level L holds L*40+x)
      for (unsigned l = 0; l < 4; ++l) {
        CUarray a = nullptr;
        DK(cuMipmappedArrayGetLevel(&a, mm, l));
        unsigned char px[32];
        for (int i = 0; i < 32; ++i) px[i] = (unsigned char)(l * 40 + i);
        CUDA_MEMCPY3D c;
        memset(&c, 0, sizeof c);
        c.srcMemoryType = CU_MEMORYTYPE_HOST;
        c.srcHost = px;
        c.dstMemoryType = CU_MEMORYTYPE_ARRAY;
        c.dstArray = a;
        c.WidthInBytes = (8 >> l) * 4;
        c.Height = 1;
        c.Depth = 1;
        DK(cuMemcpy3D(&c));
      }
      CUDA_RESOURCE_DESC rd;
      memset(&rd, 0, sizeof rd);
      rd.resType = CU_RESOURCE_TYPE_MIPMAPPED_ARRAY;
      rd.res.mipmap.hMipmappedArray = mm;
      CUDA_TEXTURE_DESC td;
      memset(&td, 0, sizeof td);
      td.flags = CU_TRSF_NORMALIZED_COORDINATES;
      td.filterMode = CU_TR_FILTER_MODE_POINT;
      td.mipmapFilterMode = CU_TR_FILTER_MODE_LINEAR;
      td.maxMipmapLevelClamp = 3;
      CUtexObject t = 0;
      DK(cuTexObjectCreate(&t, &rd, &td, nullptr));
      {
        std::vector<Rec> in;
        for (int k = -4; k <= 28; ++k) in.push_back(recf(0.3f, 0, k / 8.0f));
        print_recs("u8mip_lvl", run(m, "lvl1", t, in), 4, 4);
      }
      CUDA_RESOURCE_DESC back;
      memset(&back, 0, sizeof back);
      DK(cuTexObjectGetResourceDesc(&back, t));
      printf("cuTexObjectGetResourceDesc: type %d same array %d\n", (int)back.resType, back.res.mipmap.hMipmappedArray == mm);
      DK(cuTexObjectDestroy(t));
      DK(cuMipmappedArrayDestroy(mm));
    }
  }

  // Level L of `cst` holds the constant L: a sample's value is the level of detail it used.
  cudaMipmappedArray_t cst = mip2d(32, 32, 6, [](int l, int, int) { return (float)l; });
  cudaMipmappedArray_t cst_r = mip2d(32, 8, 6, [](int l, int, int) { return (float)l; });
  // values that tell texels and levels apart
  cudaMipmappedArray_t var = mip2d(16, 16, 5, [](int l, int x, int y) { return 1000.0f * l + 16.0f * y + x + 0.25f; });

  struct Cfg {
    const char* name;
    cudaTextureFilterMode filter, mip;
    float bias, minc, maxc;
    unsigned aniso;
  };
  const Cfg cfgs[] = {
      {"pt_pt_noclamp", cudaFilterModePoint, cudaFilterModePoint, 0, 0, 0, 0},
      {"pt_pt", cudaFilterModePoint, cudaFilterModePoint, 0, 0, 100, 0},
      {"pt_lin", cudaFilterModePoint, cudaFilterModeLinear, 0, 0, 100, 0},
      {"lin_lin", cudaFilterModeLinear, cudaFilterModeLinear, 0, 0, 100, 1},
      {"bias", cudaFilterModePoint, cudaFilterModeLinear, 0.75f, 0, 100, 0},
      {"nbias", cudaFilterModePoint, cudaFilterModePoint, -1.3f, 0, 100, 0},
      {"clamps", cudaFilterModePoint, cudaFilterModeLinear, 0, 1.25f, 3.5f, 0},
  };

  // tex.level sweep: lod = k/32
  std::vector<Rec> lv;
  for (int k = -40; k <= 200; ++k) lv.push_back(recf(0.5f, 0.5f, k / 32.0f));
  lv.push_back(recf(0.5f, 0.5f, NAN));
  lv.push_back(recf(0.5f, 0.5f, INFINITY));
  lv.push_back(recf(0.5f, 0.5f, -INFINITY));
  lv.push_back(recf(0.5f, 0.5f, 1.0f / 1024));
  lv.push_back(recf(0.5f, 0.5f, 1.0f - 1.0f / 1024));
  lv.push_back(recf(0.5f, 0.5f, 2.0f + 1.0f / 512));
  lv.push_back(recf(0.5f, 0.5f, 2.0f + 3.0f / 512));

  // tex.grad: isotropic sweep (texel-space length 2^(k/32)), then anisotropic and rotated pairs
  std::vector<Rec> gv;
  for (int k = -64; k <= 200; k += 1) {
    float g = exp2f(k / 32.0f) / 32.0f;
    gv.push_back(recf(0.5f, 0.5f, g, 0, 0, g));
  }
  const float ratios[] = {1.0f, 1.25f, 1.5f, 2.0f, 2.5f, 3.0f, 4.0f, 5.0f, 8.0f, 12.0f, 16.0f, 20.0f, 32.0f, 64.0f};
  const float bases[] = {0.25f / 32, 1.0f / 32, 1.7f / 32, 4.0f / 32};
  for (float b : bases)
    for (float q : ratios) {
      gv.push_back(recf(0.5f, 0.5f, b * q, 0, 0, b));
      gv.push_back(recf(0.5f, 0.5f, 0, b, b * q, 0));
    }
  gv.push_back(recf(0.5f, 0.5f, 0, 0, 0, 0));
  gv.push_back(recf(0.5f, 0.5f, NAN, 0, 0, 1.0f / 32));
  gv.push_back(recf(0.5f, 0.5f, INFINITY, 0, 0, 1.0f / 32));
  gv.push_back(recf(0.5f, 0.5f, 1e-30f, 0, 0, 1e-30f));

  for (const Cfg& c : cfgs) {
    cudaTextureObject_t t = make_tex(mip_res(cst), c.filter, c.mip, true, cudaAddressModeClamp, c.bias, c.minc, c.maxc, c.aniso);
    std::string l = std::string("cst.") + c.name;
    print_recs((l + ".level").c_str(), run(m, "lvl2", t, lv), 1, 8);
    print_recs((l + ".grad").c_str(), run(m, "grad2", t, gv), 1, 8);
    if (!strcmp(c.name, "pt_lin")) {
      // plain tex on a mipmapped texture: level 0 (no derivatives in a compute kernel)
      print_recs((l + ".plain").c_str(), run(m, "plain2", t, lv), 1, 8);
      cudaTextureObject_t tr = make_tex(mip_res(cst_r), c.filter, c.mip, true, cudaAddressModeClamp, c.bias, c.minc, c.maxc, c.aniso);
      print_recs((std::string("cst32x8.") + c.name + ".grad").c_str(), run(m, "grad2", tr, gv), 1, 8);
      CK(cudaDestroyTextureObject(tr));
    }
    CK(cudaDestroyTextureObject(t));
  }

  // coordinates at each level, point and linear filtering, wrap and mirror
  std::vector<Rec> cv;
  const float lods[] = {0.0f, 1.0f, 1.5f, 2.0f, 2.25f, 3.0f, 3.75f, 4.0f, 5.0f};
  const float xs[] = {0.0f, 0.1f, 0.3f, 0.5f, 0.77f, 0.99f, 1.2f, -0.1f};
  for (float lo : lods)
    for (int i = 0; i < 8; ++i) cv.push_back(recf(xs[i], xs[(i * 3 + 1) % 8], lo));
  const struct {
    const char* name;
    cudaTextureFilterMode f, mf;
    cudaTextureAddressMode am;
  } vcfg[] = {
      {"pt_pt_wrap", cudaFilterModePoint, cudaFilterModePoint, cudaAddressModeWrap},
      {"lin_pt_clamp", cudaFilterModeLinear, cudaFilterModePoint, cudaAddressModeClamp},
      {"pt_lin_border", cudaFilterModePoint, cudaFilterModeLinear, cudaAddressModeBorder},
  };
  for (auto& c : vcfg) {
    cudaTextureObject_t t = make_tex(mip_res(var), c.f, c.mf, true, c.am, 0, 0, 100, 0);
    print_recs((std::string("var.") + c.name).c_str(), run(m, "lvl2", t, cv), 1, 8);
    CK(cudaDestroyTextureObject(t));
  }
  // a texture over one level of the mipmapped array (a plain array)
  {
    cudaArray_t a2 = nullptr;
    CK(cudaGetMipmappedArrayLevel(&a2, var, 2));
    cudaTextureObject_t t = make_tex(arr_res(a2), cudaFilterModePoint, cudaFilterModePoint, false, cudaAddressModeClamp, 0, 0, 0, 0);
    std::vector<Rec> in;
    for (int i = 0; i < 8; ++i) in.push_back(recf(i + 0.5f, i * 0.5f + 0.5f, 3.0f));
    print_recs("var.level2_array", run(m, "lvl2", t, in), 1, 8);
    CK(cudaDestroyTextureObject(t));
  }

  // 1D mipmapped: level L constant L, 64 wide
  {
    cudaChannelFormatDesc cd = cudaCreateChannelDesc<float>();
    cudaMipmappedArray_t m1 = nullptr;
    CK(cudaMallocMipmappedArray(&m1, &cd, make_cudaExtent(64, 0, 0), 7));
    for (int l = 0; l < 7; ++l) {
      cudaArray_t a = nullptr;
      CK(cudaGetMipmappedArrayLevel(&a, m1, l));
      std::vector<float> v(64 >> l, (float)l);
      CK(cudaMemcpy2DToArray(a, 0, 0, v.data(), v.size() * 4, v.size() * 4, 1, cudaMemcpyHostToDevice));
    }
    cudaTextureObject_t t = make_tex(mip_res(m1), cudaFilterModeLinear, cudaFilterModeLinear, true, cudaAddressModeClamp, 0, 0, 100, 0);
    print_recs("mip1d.level", run(m, "lvl1", t, lv), 1, 8);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeMipmappedArray(m1));
  }

  CK(cudaFreeMipmappedArray(cst));
  CK(cudaFreeMipmappedArray(cst_r));
  CK(cudaFreeMipmappedArray(var));
  if (m) DK(cuModuleUnload(m));
}

// ---------------------------------------------------------------- f16x2 results
static void f16x2() {
  printf("== f16x2\n");
  std::string ents;
  ents += entry("h2d", "tex.2d.v2.f16x2.f32 {%r20, %r21}, [%rd1, {%f10, %f11}];\n"
                       "  tex.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}];\n"
                       "  mov.b32 %r22, %f20; mov.b32 %r23, %f21; mov.b32 %r24, %f22; mov.b32 %r25, %f23;");
  ents += entry("h1i", "tex.1d.v2.f16x2.s32 {%r20, %r21}, [%rd1, {%r10}];");
  ents += entry("h2grad", "tex.grad.2d.v2.f16x2.f32 {%r20, %r21}, [%rd1, {%f10, %f11}], {%f12, %f13}, {%f14, %f15};");
  CUmodule m = load("f16x2", ents);

  // every edge value of f32 → f16 through point reads of a 1D float4 array (16 texels)
  const unsigned edge[64] = {
      0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f800800, 0x3f801000, 0x3f801001, 0x3f800fff,  // 1 + ties
      0x3f803000, 0x3f802fff, 0x3f803001, 0x477fe000, 0x477fefff, 0x477ff000, 0x477ff001, 0x47800000,  // max half
      0xc77ff000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00123, 0x7fbfffff, 0x38800000,  // inf nan
      0x38000000, 0x33800000, 0x33000000, 0x33000001, 0x33c00000, 0x337fffff, 0x34200000, 0x387fc000,  // subnormals
      0x387fe000, 0x387ff000, 0x00000001, 0x80000001, 0x007fffff, 0x3eaaaaab, 0x3dcccccd, 0xbdcccccd,  // 1/3 0.1
      0x40490fdb, 0x42f6e979, 0x461c4000, 0x4b800001, 0x3a83126f, 0x3c23d70a, 0x3f7fffff, 0x3f7ff000,  // pi ...
      0x3f7fe000, 0xb3800000, 0xb3000000, 0xb3000001, 0x44fff000, 0x44ffe800, 0x44fff800, 0x45000800,  // ties
      0x45001800, 0x477fd000, 0x477fd001, 0x3f8007ff, 0x3f800801, 0x3f801800, 0x3f802800, 0x3f803800};
  {
    cudaChannelFormatDesc cd = cudaCreateChannelDesc<float4>();
    cudaArray_t a = nullptr;
    CK(cudaMallocArray(&a, &cd, 16, 0));
    CK(cudaMemcpy2DToArray(a, 0, 0, edge, 256, 256, 1, cudaMemcpyHostToDevice));
    cudaTextureObject_t t = make_tex(arr_res(a), cudaFilterModePoint, cudaFilterModePoint, false, cudaAddressModeClamp, 0, 0, 0, 0);
    std::vector<Rec> in;
    for (int i = 0; i < 16; ++i) in.push_back(rec(i));
    print_recs("edge", run(m, "h1i", t, in), 2, 4);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
  }
  // linear filtering of float4, half4 and unorm8x4 textures, f16x2 next to f32 results
  std::vector<Rec> coords;
  for (int i = 0; i < 48; ++i) coords.push_back(recf(0.5f + i * (3.0f / 47) + (i % 5) * 0.0013f, 0.5f + (i % 7) * 0.17f));
  {
    float v[4 * 4 * 2] = {1.0f, 1.0009765625f, 65504.0f, 70000.0f, 6.1035156e-5f, 1e-7f, -2.5f, 0.1f,
                          3.14159f, -0.0f, 1e-3f, 2049.0f, 1.0f / 3, 65519.0f, 65520.0f, -65536.0f,
                          0.5f, 0.25f, 1e-5f, -1e-5f, 1000.1f, 7.7f, 1.0f - 1e-7f, 6e-8f,
                          2.0f, -1.0f, 4096.5f, 0.0f, 8.0f, 3.0f, -0.75f, 1.5f};
    cudaChannelFormatDesc cd = cudaCreateChannelDesc<float4>();
    cudaArray_t a = nullptr;
    CK(cudaMallocArray(&a, &cd, 4, 2));
    CK(cudaMemcpy2DToArray(a, 0, 0, v, 64, 64, 2, cudaMemcpyHostToDevice));
    cudaTextureObject_t t = make_tex(arr_res(a), cudaFilterModeLinear, cudaFilterModePoint, false, cudaAddressModeClamp, 0, 0, 0, 0);
    print_recs("f32lin", run(m, "h2d", t, coords), 6, 1);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
  }
  {
    unsigned short hv[4 * 4 * 2];
    for (int i = 0; i < 32; ++i) hv[i] = (unsigned short)(0x3c00 + i * 0x1a7 - (i % 3) * 0x4001 + (i == 7) * 0x7c00);
    cudaChannelFormatDesc cd = cudaCreateChannelDescHalf4();
    cudaArray_t a = nullptr;
    CK(cudaMallocArray(&a, &cd, 4, 2));
    CK(cudaMemcpy2DToArray(a, 0, 0, hv, 32, 32, 2, cudaMemcpyHostToDevice));
    cudaTextureObject_t t = make_tex(arr_res(a), cudaFilterModeLinear, cudaFilterModePoint, false, cudaAddressModeClamp, 0, 0, 0, 0);
    print_recs("f16lin", run(m, "h2d", t, coords), 6, 1);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
  }
  {
    unsigned char uv[4 * 4 * 2];
    for (int i = 0; i < 32; ++i) uv[i] = (unsigned char)(i * 37 + 11);
    cudaChannelFormatDesc cd = cudaCreateChannelDesc<uchar4>();
    cudaArray_t a = nullptr;
    CK(cudaMallocArray(&a, &cd, 4, 2));
    CK(cudaMemcpy2DToArray(a, 0, 0, uv, 16, 16, 2, cudaMemcpyHostToDevice));
    cudaTextureObject_t t = make_tex(arr_res(a), cudaFilterModeLinear, cudaFilterModePoint, false, cudaAddressModeClamp, 0, 0, 0, 0,
                                     cudaReadModeNormalizedFloat);
    print_recs("u8lin", run(m, "h2d", t, coords), 6, 1);
    CK(cudaDestroyTextureObject(t));
    // signed normalized 16-bit
    short sv[4 * 4 * 2];
    for (int i = 0; i < 32; ++i) sv[i] = (short)(i * 2311 - 32768 + (i == 3));
    cudaChannelFormatDesc cs = cudaCreateChannelDesc<short4>();
    cudaArray_t b = nullptr;
    CK(cudaMallocArray(&b, &cs, 4, 2));
    CK(cudaMemcpy2DToArray(b, 0, 0, sv, 32, 32, 2, cudaMemcpyHostToDevice));
    t = make_tex(arr_res(b), cudaFilterModeLinear, cudaFilterModePoint, false, cudaAddressModeClamp, 0, 0, 0, 0,
                 cudaReadModeNormalizedFloat);
    print_recs("s16lin", run(m, "h2d", t, coords), 6, 1);
    CK(cudaDestroyTextureObject(t));
    CK(cudaFreeArray(a));
    CK(cudaFreeArray(b));
  }
  if (m) DK(cuModuleUnload(m));
}

// ---------------------------------------------------------------- surfaces
static CUarray mkarr(unsigned w, unsigned h, CUarray_format f, unsigned ch, unsigned flags = CUDA_ARRAY3D_SURFACE_LDST) {
  CUDA_ARRAY3D_DESCRIPTOR d;
  memset(&d, 0, sizeof d);
  d.Width = w;
  d.Height = h;
  d.Format = f;
  d.NumChannels = ch;
  d.Flags = flags;
  CUarray a = nullptr;
  DK(cuArray3DCreate(&a, &d));
  return a;
}
static CUsurfObject mksurf(CUarray a) {
  CUDA_RESOURCE_DESC rd;
  memset(&rd, 0, sizeof rd);
  rd.resType = CU_RESOURCE_TYPE_ARRAY;
  rd.res.array.hArray = a;
  CUsurfObject s = 0;
  DK(cuSurfObjectCreate(&s, &rd));
  return s;
}
static void put(CUarray a, const void* src, size_t row, size_t rows) {
  CUDA_MEMCPY2D c;
  memset(&c, 0, sizeof c);
  c.srcMemoryType = CU_MEMORYTYPE_HOST;
  c.srcHost = src;
  c.srcPitch = row;
  c.dstMemoryType = CU_MEMORYTYPE_ARRAY;
  c.dstArray = a;
  c.WidthInBytes = row;
  c.Height = rows;
  DK(cuMemcpy2D(&c));
}
static void get(CUarray a, void* dst, size_t row, size_t rows) {
  CUDA_MEMCPY2D c;
  memset(&c, 0, sizeof c);
  c.srcMemoryType = CU_MEMORYTYPE_ARRAY;
  c.srcArray = a;
  c.dstMemoryType = CU_MEMORYTYPE_HOST;
  c.dstHost = dst;
  c.dstPitch = row;
  c.WidthInBytes = row;
  c.Height = rows;
  DK(cuMemcpy2D(&c));
}
static void print_bytes(const char* label, const unsigned char* p, size_t n, size_t elem) {
  for (size_t i = 0; i < n; i += 8 * elem) {
    printf("%s[%zu]", label, i / elem);
    for (size_t j = i; j < n && j < i + 8 * elem; j += elem) {
      printf(" ");
      for (size_t b = elem; b-- > 0;) printf("%02x", p[j + b]);
    }
    printf("\n");
  }
}

static void surface_reductions() {
  printf("== sured.b\n");
  // 32-bit ops on an 8x2 surface of u32, 64-bit ops on an 8x2 surface of 2 x u32 (8-byte elements);
  // thread i: x = in[0] (bytes), y = in[1], value = in[2] (| in[3] << 32)
  struct Op {
    const char* name;
    const char* ptx;
    bool wide;
  };
  const Op ops[] = {
      {"add_u32", "sured.b.add.2d.u32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"add_s32", "sured.b.add.2d.s32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"min_u32", "sured.b.min.2d.u32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"max_u32", "sured.b.max.2d.u32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"min_s32", "sured.b.min.2d.s32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"max_s32", "sured.b.max.2d.s32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"and_b32", "sured.b.and.2d.b32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"or_b32", "sured.b.or.2d.b32.clamp [%rd1, {%r10, %r11}], %r12;", false},
      {"add_u32_zero", "sured.b.add.2d.u32.zero [%rd1, {%r10, %r11}], %r12;", false},
      {"add_u64", "mov.b64 %rd12, {%r12, %r13}; sured.b.add.2d.u64.clamp [%rd1, {%r10, %r11}], %rd12;", true},
      {"min_u64", "mov.b64 %rd12, {%r12, %r13}; sured.b.min.2d.u64.clamp [%rd1, {%r10, %r11}], %rd12;", true},
      {"max_u64", "mov.b64 %rd12, {%r12, %r13}; sured.b.max.2d.u64.clamp [%rd1, {%r10, %r11}], %rd12;", true},
      {"min_s64", "mov.b64 %rd12, {%r12, %r13}; sured.b.min.2d.s64.zero [%rd1, {%r10, %r11}], %rd12;", true},
      {"max_s64", "mov.b64 %rd12, {%r12, %r13}; sured.b.max.2d.s64.clamp [%rd1, {%r10, %r11}], %rd12;", true},
  };
  std::string ents;
  for (auto& o : ops) ents += entry(o.name, o.ptx);
  CUmodule m = load("sured.b", ents);
  CUarray a32 = mkarr(8, 2, CU_AD_FORMAT_UNSIGNED_INT32, 1), a64 = mkarr(8, 2, CU_AD_FORMAT_UNSIGNED_INT32, 2);
  CUsurfObject s32 = mksurf(a32), s64 = mksurf(a64);
  unsigned init[32];
  for (int i = 0; i < 32; ++i) init[i] = 0x7ffffff0u + i * 0x1234567u * (i & 1 ? 1u : 0x9u);
  std::vector<Rec> in32, in64;
  for (int i = 0; i < 96; ++i) {
    int e = (i * 5) % 19 - 1;  // element -1..17: some outside (clamped or dropped)
    int y = (i / 19) % 3 - (i % 11 == 0);  // -1..2
    unsigned v = 0x9e3779b9u * (i + 1);
    in32.push_back(rec(e * 4, y, (i % 4 == 0) ? v : (v >> (i % 13)), 0));
    in64.push_back(rec(e * 8, y, v, (i % 3 == 0) ? ~v : (v >> 7)));
  }
  for (auto& o : ops) {
    put(o.wide ? a64 : a32, init, o.wide ? 64 : 32, 2);
    run(m, o.name, o.wide ? s64 : s32, o.wide ? in64 : in32);
    unsigned char back[128];
    get(o.wide ? a64 : a32, back, o.wide ? 64 : 32, 2);
    print_bytes(o.name, back, o.wide ? 128 : 64, o.wide ? 8 : 4);
  }
  DK(cuSurfObjectDestroy(s32));
  DK(cuSurfObjectDestroy(s64));
  DK(cuArrayDestroy(a32));
  DK(cuArrayDestroy(a64));
  if (m) DK(cuModuleUnload(m));
}

// sust.p: formatted stores, converted to each channel format
static void formatted_stores() {
  printf("== sust.p\n");
  std::string ents;
  ents += entry("p4", "sust.p.1d.v4.b32.clamp [%rd1, {%r14}], {%r10, %r11, %r12, %r13};");
  ents += entry("p2", "sust.p.1d.v2.b32.clamp [%rd1, {%r14}], {%r10, %r11};");
  ents += entry("p1", "sust.p.1d.b32.zero [%rd1, {%r14}], {%r10};");
  ents += entry("p2d", "sust.p.2d.v4.b32.trap [%rd1, {%r14, %r15}], {%r10, %r11, %r12, %r13};");
  CUmodule m = load("sust.p", ents);
  const unsigned fvals[64] = {
      0x00000000, 0x80000000, 0x3f000000, 0x3f800000, 0x3fc00000, 0xbf800000, 0xbfc00000, 0x3e99999a,
      0x3b008081, 0x3b808081, 0x3bc0c0c1, 0x3c008081, 0x3b000000, 0x3b010204, 0x3b80ff00, 0x3f7f7f7f,
      0x7fc00000, 0x7f800000, 0xff800000, 0x477fe000, 0x477ff000, 0x477fefff, 0x33800000, 0x33000000,
      0x00000001, 0x3dcccccd, 0x3eaaaaab, 0xbeaaaaab, 0xbf000000, 0xbc010204, 0xbb810204, 0x3f7ffffe,
      0x37800080, 0x37000080, 0x37c00000, 0x38000000, 0xb7800080, 0xb7000100, 0x3f800001, 0x4f800000,
      0x3f7fff00, 0x3f7fff80, 0x3f7fffc0, 0xbf7fffc0, 0x38800000, 0x387fc000, 0x3f801000, 0x3f800800,
      0x42fe0000, 0x437f0000, 0xc3000000, 0x40490fdb, 0x3a800000, 0x3a000000, 0xba000000, 0x3c000000,
      0x3e800000, 0x3f400000, 0xbe800000, 0xbf400000, 0x3c7f0000, 0x3c810000, 0xff7fffff, 0x7f7fffff};
  const unsigned ivals[64] = {
      0, 1, 2, 127, 128, 129, 255, 256, 257, 300, 0x7fff, 0x8000, 0x8001, 0xffff, 0x10000, 0x10001,
      0xffffffff, 0xfffffffe, 0xffffff80, 0xffffff7f, 0xffffff00, 0xffff8000, 0xffff7fff, 0x80000000,
      0x7fffffff, 0x12345678, 0x9abcdef0, 0xdeadbeef, 0x00ff00ff, 0xff00ff00, 0x3f800000, 0xbf800000,
      3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
      0xfffffff0, 0xffffffe0, 0x0000ff80, 0x00007f80, 100, 200, 1000, 40000, 70000, 0xc0000000, 0x40000000, 0xffff0000, 0x0001ffff, 0x55555555};
  const struct {
    const char* name;
    CUarray_format f;
    unsigned ch, bytes;
    bool flt;
  } fmts[] = {
      {"f32", CU_AD_FORMAT_FLOAT, 4, 4, true},           {"f16", CU_AD_FORMAT_HALF, 4, 2, true},
      {"f32x1", CU_AD_FORMAT_FLOAT, 1, 4, true},         {"f16x2", CU_AD_FORMAT_HALF, 2, 2, true},
      {"u8", CU_AD_FORMAT_UNSIGNED_INT8, 4, 1, false},   {"s8", CU_AD_FORMAT_SIGNED_INT8, 4, 1, false},
      {"u16", CU_AD_FORMAT_UNSIGNED_INT16, 2, 2, false}, {"s16", CU_AD_FORMAT_SIGNED_INT16, 2, 2, false},
      {"u32", CU_AD_FORMAT_UNSIGNED_INT32, 1, 4, false}, {"s32", CU_AD_FORMAT_SIGNED_INT32, 4, 4, false},
  };
  for (auto& f : fmts) {
    unsigned n = 64 / f.ch;  // elements
    unsigned ebytes = f.ch * f.bytes;
    CUarray a = mkarr(n, 0, f.f, f.ch);
    CUsurfObject s = mksurf(a);
    std::vector<unsigned char> fill(n * ebytes, 0xa5);
    put(a, fill.data(), n * ebytes, 1);
    const unsigned* vals = f.flt ? fvals : ivals;
    std::vector<Rec> in;
    for (unsigned i = 0; i < n; ++i) {
      const unsigned* v = vals + i * f.ch;
      in.push_back(rec(v[0], f.ch > 1 ? v[1] : 0, f.ch > 2 ? v[2] : 0, f.ch > 2 ? v[3] : 0, i));
    }
    run(m, f.ch == 4 ? "p4" : f.ch == 2 ? "p2" : "p1", s, in);
    std::vector<unsigned char> back(n * ebytes);
    get(a, back.data(), n * ebytes, 1);
    print_bytes((std::string("sust.p.") + f.name).c_str(), back.data(), back.size(), ebytes);
    DK(cuSurfObjectDestroy(s));
    DK(cuArrayDestroy(a));
  }
  // a v4 store to a one-channel surface (the extra components are ignored), clamped x, zero mode
  {
    CUarray a = mkarr(8, 0, CU_AD_FORMAT_FLOAT, 1);
    CUsurfObject s = mksurf(a);
    std::vector<unsigned> fill(8, 0xdeadbeef);
    put(a, fill.data(), 32, 1);
    std::vector<Rec> in;
    in.push_back(rec(fbits(1.5f), fbits(2.5f), fbits(3.5f), fbits(4.5f), 2));
    in.push_back(rec(fbits(-7.0f), fbits(2.5f), fbits(3.5f), fbits(4.5f), 40));  // clamped to element 7
    run(m, "p4", s, in);
    std::vector<Rec> z;
    z.push_back(rec(fbits(9.0f), 0, 0, 0, 100));  // dropped
    z.push_back(rec(fbits(11.0f), 0, 0, 0, 0));
    run(m, "p1", s, z);
    get(a, fill.data(), 32, 1);
    print_bytes("sust.p.v4_on_1ch", (unsigned char*)fill.data(), 32, 4);
    DK(cuSurfObjectDestroy(s));
    DK(cuArrayDestroy(a));
  }
  // 2D, a 2D array of half4
  {
    CUarray a = mkarr(4, 3, CU_AD_FORMAT_HALF, 4);
    CUsurfObject s = mksurf(a);
    std::vector<unsigned> fill(24, 0);
    put(a, fill.data(), 32, 3);
    std::vector<Rec> in;
    for (int i = 0; i < 12; ++i)
      in.push_back(rec(fbits(i / 11.0f), fbits(1.0f - i / 23.0f), fbits(i * 0.1f - 0.2f), fbits(0.5f), i % 4, i / 4));
    run(m, "p2d", s, in);
    get(a, fill.data(), 32, 3);
    print_bytes("sust.p.2d", (unsigned char*)fill.data(), 96, 8);
    DK(cuSurfObjectDestroy(s));
    DK(cuArrayDestroy(a));
  }
  if (m) DK(cuModuleUnload(m));
}

// sured.p (sample addressing) on integer formats
static void surface_reductions_p() {
  printf("== sured.p\n");
  const char* ops[][2] = {
      {"p_add", "sured.p.add.2d.b32.clamp [%rd1, {%r10, %r11}], %r12;"},
      {"p_min", "sured.p.min.2d.b32.clamp [%rd1, {%r10, %r11}], %r12;"},
      {"p_max", "sured.p.max.2d.b32.clamp [%rd1, {%r10, %r11}], %r12;"},
      {"p_and", "sured.p.and.2d.b32.clamp [%rd1, {%r10, %r11}], %r12;"},
      {"p_or", "sured.p.or.2d.b32.zero [%rd1, {%r10, %r11}], %r12;"},
      {"p_min64", "mov.b64 %rd12, {%r12, %r13}; sured.p.min.2d.b64.clamp [%rd1, {%r10, %r11}], %rd12;"},
      {"p_max64", "mov.b64 %rd12, {%r12, %r13}; sured.p.max.2d.b64.clamp [%rd1, {%r10, %r11}], %rd12;"},
  };
  std::string ents;
  for (auto& o : ops) ents += entry(o[0], o[1]);
  CUmodule m = load("sured.p", ents);
  const struct {
    const char* name;
    CUarray_format f;
    unsigned ch;
  } fmts[] = {{"u32", CU_AD_FORMAT_UNSIGNED_INT32, 1}, {"s32", CU_AD_FORMAT_SIGNED_INT32, 1},
              {"u32x2", CU_AD_FORMAT_UNSIGNED_INT32, 2}, {"s32x2", CU_AD_FORMAT_SIGNED_INT32, 2}};
  unsigned init[32];
  for (int i = 0; i < 32; ++i) init[i] = 0x7ffffff0u + i * 0x1234567u * (i & 1 ? 1u : 0x9u);
  std::vector<Rec> in;
  for (int i = 0; i < 96; ++i) {
    int e = (i * 5) % 19 - 1;
    int y = (i / 19) % 3 - (i % 11 == 0);
    unsigned v = 0x9e3779b9u * (i + 1);
    in.push_back(rec(e, y, (i % 4 == 0) ? v : (v >> (i % 13)), (i % 3 == 0) ? ~v : (v >> 7)));
  }
  for (auto& f : fmts) {
    CUarray a = mkarr(8, 2, f.f, f.ch);
    CUsurfObject s = mksurf(a);
    for (auto& o : ops) {
      bool wide = strstr(o[0], "64") != nullptr;
      if (wide != (f.ch == 2)) continue;
      put(a, init, 32 * f.ch, 2);
      run(m, o[0], s, in);
      unsigned char back[128];
      get(a, back, 32 * f.ch, 2);
      print_bytes((std::string(f.name) + "." + o[0]).c_str(), back, 64 * f.ch, 4 * f.ch);
    }
    DK(cuSurfObjectDestroy(s));
    DK(cuArrayDestroy(a));
  }
  if (m) DK(cuModuleUnload(m));
}

// ---------------------------------------------------------------- queries
static void queries() {
  printf("== queries\n");
  // objects: a 2D float texture, a mipmapped one, a layered uchar4 one; a 2D surface, a layered one
  cudaChannelFormatDesc cdf = cudaCreateChannelDesc<float>();
  cudaArray_t a2 = nullptr;
  CK(cudaMallocArray(&a2, &cdf, 5, 3, cudaArraySurfaceLoadStore));
  cudaMipmappedArray_t mm = nullptr;
  CK(cudaMallocMipmappedArray(&mm, &cdf, make_cudaExtent(16, 8, 0), 4));
  cudaChannelFormatDesc cdu = cudaCreateChannelDesc<uchar4>();
  cudaArray_t al = nullptr;
  CK(cudaMalloc3DArray(&al, &cdu, make_cudaExtent(4, 2, 3), cudaArrayLayered | cudaArraySurfaceLoadStore));
  cudaTextureObject_t t2 = make_tex(arr_res(a2), cudaFilterModePoint, cudaFilterModePoint, false, cudaAddressModeClamp, 0, 0, 0, 0);
  cudaTextureObject_t tm = make_tex(mip_res(mm), cudaFilterModeLinear, cudaFilterModeLinear, true, cudaAddressModeMirror, 0, 0, 3, 0);
  cudaTextureObject_t tl = make_tex(arr_res(al), cudaFilterModeLinear, cudaFilterModePoint, true, cudaAddressModeWrap, 0, 0, 0, 0,
                                    cudaReadModeNormalizedFloat);
  cudaSurfaceObject_t s2 = 0, sl = 0;
  cudaResourceDesc r2 = arr_res(a2), rl = arr_res(al);
  CK(cudaCreateSurfaceObject(&s2, &r2));
  CK(cudaCreateSurfaceObject(&sl, &rl));
  const char* tq[] = {"width", "height", "depth", "channel_data_type", "channel_order", "normalized_coords", "array_size",
                      "num_mipmap_levels", "num_samples", "force_unnormalized_coords", "filter_mode", "addr_mode_0",
                      "addr_mode_1", "addr_mode_2"};
  std::vector<Rec> one(1, rec(0)), lv;
  for (int l = 0; l < 4; ++l) lv.push_back(rec(l));
  for (const char* q : tq) {
    std::string name = std::string("txq.") + q;
    CUmodule m = load(name.c_str(), entry("q", std::string("txq.") + q + ".b32 %r20, [%rd1];"));
    if (!m) continue;
    // NVIDIA's driver loads the module but has no function for the other queries
    CUfunction f;
    CUresult r = cuModuleGetFunction(&f, m, "q");
    printf("get %s: %s\n", name.c_str(), cu_name(r));
    if (r != CUDA_SUCCESS) {
      DK(cuModuleUnload(m));
      continue;
    }
    auto o1 = run(m, "q", t2, one), o2 = run(m, "q", tm, one), o3 = run(m, "q", tl, one);
    printf("%s: 2d %08x mip %08x layered %08x\n", name.c_str(), o1[0].v[0], o2[0].v[0], o3[0].v[0]);
    DK(cuModuleUnload(m));
  }
  for (const char* q : {"width", "height", "depth"}) {
    std::string name = std::string("txq.level.") + q;
    CUmodule m = load(name.c_str(), entry("q", std::string("txq.level.") + q + ".b32 %r20, [%rd1], %r10;"));
    if (!m) continue;
    auto o1 = run(m, "q", tm, lv), o2 = run(m, "q", t2, lv);
    printf("%s: mip %08x %08x %08x %08x 2d %08x %08x\n", name.c_str(), o1[0].v[0], o1[1].v[0], o1[2].v[0], o1[3].v[0],
           o2[0].v[0], o2[1].v[0]);
    DK(cuModuleUnload(m));
  }
  const char* sq[] = {"width", "height", "depth", "channel_data_type", "channel_order", "array_size", "memory_layout"};
  for (const char* q : sq) {
    std::string name = std::string("suq.") + q;
    CUmodule m = load(name.c_str(), entry("q", std::string("suq.") + q + ".b32 %r20, [%rd1];"));
    if (!m) continue;
    auto o1 = run(m, "q", s2, one), o2 = run(m, "q", sl, one);
    printf("%s: 2d %08x layered %08x\n", name.c_str(), o1[0].v[0], o2[0].v[0]);
    DK(cuModuleUnload(m));
  }
  CK(cudaDestroyTextureObject(t2));
  CK(cudaDestroyTextureObject(tm));
  CK(cudaDestroyTextureObject(tl));
  CK(cudaDestroySurfaceObject(s2));
  CK(cudaDestroySurfaceObject(sl));
  CK(cudaFreeArray(a2));
  CK(cudaFreeArray(al));
  CK(cudaFreeMipmappedArray(mm));
}

int main() {
  CK(cudaFree(0));  // the primary context, current for the driver API calls too
  mipmaps();
  f16x2();
  surface_reductions();
  formatted_stores();
  surface_reductions_p();
  queries();
  cudaError_t e = cudaDeviceSynchronize();
  printf("final: %s\n", cudaGetErrorName(e));
  if (e != cudaSuccess) ++g_failures;
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
