// tex_rot.h — the rotated-footprint sweeps of tests/programs/probes/rotprobe.cu, shared with
// textures_rot.cu (its golden subset). Include after tex_common.h.
// "V" textures whose even levels hold (|i-c|, |j-c|, 0, 0) and odd levels (0, 0, |i-c|, |j-c|), c =
// 32 >> l: a sample at level l's kink (32 + 2^(l-1) level-0 texels, plus an offset) reads each
// level's probes' weighted mean |distance| from it, the two levels of a blend in separate channels.
// R_an*: random footprints like textures_aniso.cu's content mode 2, 15 samples each; W_an*: kink
// sweeps in 1/128 steps (clamp address mode, so the top levels' probes reach past the edges).
static const char* ENTRY = "tex.grad.2d.v4.f32.f32 {%f20, %f21, %f22, %f23}, [%rd1, {%f10, %f11}], {%f12, %f13}, {%f14, %f15};\n"
                           "  mov.b32 %r20, %f20; mov.b32 %r21, %f21; mov.b32 %r22, %f22; mov.b32 %r23, %f23;";
static Rec rec2(float x, float y, float ax, float ay, float bx, float by) {
  return recf(x / 64, y / 64, ax / 64, ay / 64, bx / 64, by / 64);
}
static float kink(int l) { return 32.0f + (l == 0 ? 0.5f : (float)(1 << (l - 1))); }
// Runs the sweeps; `every` > 1 prints only every every-th case of each label, without inputs
// (the golden subset of textures_rot.cu), 1 prints every case with its inputs (the probe).
static int rot_run(unsigned every) {
  g_dense = true;
  static unsigned g_every;
  g_every = every;
  if (every > 1) g_keep = [](const char*, size_t i) { return i % g_every == 0; };
  CK(cudaFree(0));
  CUmodule m = load("rot", entry("grad2", ENTRY));
  CUmipmappedArray mm = mip_array(64, 64, 0, CU_AD_FORMAT_FLOAT, 4, 7,
                                  [](unsigned l, std::vector<unsigned char>& b, size_t w, size_t h, size_t) {
                                    int c = 32 >> l;
                                    for (size_t j = 0; j < h; ++j)
                                      for (size_t i = 0; i < w; ++i) {
                                        float a = (float)abs((int)i - c), bb = (float)abs((int)j - c);
                                        float v[4] = {l & 1 ? 0 : a, l & 1 ? 0 : bb, l & 1 ? a : 0, l & 1 ? bb : 0};
                                        memcpy(&b[(j * w + i) * 16], v, 16);
                                      }
                                  });
  for (unsigned an : {2u, 4u, 8u, 16u}) {
    CUtexObject t = make_tex(mm, nullptr, CU_TR_FILTER_MODE_LINEAR, CU_TR_FILTER_MODE_LINEAR, an);
    // R: random footprints like textures_aniso.cu's content mode 2, each sampled at the kinks of levels
    // 0..4 (one at the kink, two off it by up to a level texel)
    {
      std::vector<Rec> in;
      for (int i = 0; i < 2048; ++i) {
        float mi, ma;
        do {
          mi = exp2f(rnd_range(-1, 3));
          ma = mi * exp2f(rnd_range(0, 5));
        } while (ma > 40);
        float ang = rnd_range(0, 6.2831853f), ux = cosf(ang), uy = sinf(ang);
        float ax = ma * ux, ay = ma * uy, bx = -mi * uy, by = mi * ux;
        bool sw = rnd() & 1;
        for (int l = 0; l < 5; ++l)
          for (int k = 0; k < 3; ++k) {
            float s = (float)(1 << l);
            float dx = k ? (int)(rnd() % 513 - 256) / 256.0f * s : 0, dy = k ? (int)(rnd() % 513 - 256) / 256.0f * s : 0;
            float x = kink(l) + dx, y = kink(l) + dy;
            in.push_back(sw ? rec2(x, y, bx, by, ax, ay) : rec2(x, y, ax, ay, bx, by));
          }
      }
      char l[32];
      snprintf(l, sizeof l, "R_an%u", an);
      print_recs(l, in, run(m, "grad2", t, in), 6, 4, 1);
    }
    // W: kink sweeps, 1/128 steps over +-4 level texels along x then y, at the kink of the lower and the upper
    // level of fixed footprints
    {
      struct F {
        float A, mi, ang;
      } fs[] = {{3, 1.5f, 30}, {6, 1.25f, 45}, {1.5f, 1.2f, 20}, {1.8f, 1.1f, 35}, {3, 2.5f, 10}, {2.5f, 1.5f, 60},
                {5, 3.3f, 25}, {4, 1.4f, 40}, {8, 2.2f, 15}, {12, 1.6f, 30}, {7, 5.5f, 50}, {20, 2.7f, 20}};
      for (auto& f : fs) {
        double a = f.ang * M_PI / 180;
        float ux = (float)cos(a), uy = (float)sin(a);
        float ax = f.A * ux, ay = f.A * uy, bx = -f.mi * uy, by = f.mi * ux;
        for (int l = 0; l < 4; ++l) {
          std::vector<Rec> in;
          float s = (float)(1 << l);
          for (int d = -512; d <= 512; ++d) in.push_back(rec2(kink(l) + d / 128.0f * s, kink(l), ax, ay, bx, by));
          for (int d = -512; d <= 512; ++d) in.push_back(rec2(kink(l), kink(l) + d / 128.0f * s, ax, ay, bx, by));
          char lab[64];
          snprintf(lab, sizeof lab, "W_an%u_A%g_m%g_ang%g_l%d", an, f.A, f.mi, f.ang, l);
          print_recs(lab, in, run(m, "grad2", t, in), 6, 4, 1);
        }
      }
    }
    DK(cuTexObjectDestroy(t));
  }
  printf("%s\n", g_failures ? "FAIL" : "PASS");
  return g_failures ? 1 : 0;
}
