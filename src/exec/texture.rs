//! Texture and surface objects at run time: the table of descriptors that
//! `cuTexObjectCreate`/`cuSurfObjectCreate` fill (a handle is a key of this table, passed to
//! kernels as a 64-bit parameter), and the helper the compiled `tex`/`tld4`/`txq`/`suld`/
//! `sust`/`suq` instructions call, one call per warp instruction.
//!
//! Sampling follows what an H100 returns, measured bit for bit (tests/programs/textures.cu and
//! its golden file), which is more precise than the CUDA programming guide's description:
//! - Normalized coordinates are truncated to 21 fractional bits before they are scaled by the
//!   size (a coordinate up to 2^-21 above k/W on a W-texel texture still selects texel k-1).
//!   Unnormalized coordinates are used as they are; `floor` picks the texel.
//! - Linear filtering: `xB = u - 0.5`, `i = floor(xB)`, the weight `frac(xB)` is rounded to
//!   1/256 (half up, so it may become 1). In 3D each texel's weight, the product of the
//!   per-axis weights, is itself rounded to 1/256. In 2D the four weights split 256 as the
//!   trilinear tree below does: the lower-left and upper-right weights are the rounded
//!   products, the other two what is left of their columns (rounding all four products would
//!   give 258/256 at x weight 128/256 and an odd y weight; measured on 8-bit signed and
//!   unsigned and float texels, textures_grad.cu `bil.*`).
//! - The weighted sum is exact on integers: 32-bit float texels are truncated (toward zero)
//!   to 27 bits below the largest exponent among the texels of non-zero weight, half floats to
//!   14 bits, and the sum is rounded once (to nearest, ties away from zero) to f32 (f16 for
//!   half textures). 8/16-bit unsigned normalized texels are filtered as 16-bit unorm
//!   (`v * 257` for 8 bits) with the result rounded half up to 16 bits, then `N / 65535`;
//!   16-bit signed ones likewise as `max(-1, N / 32767)`. 8-bit signed texels are summed as
//!   bytes, `S = Σ w v` exactly (weights in 1/256), and S is widened to 16 bits as
//!   `N = S + ⌊(S + 16 ⌊S / 4096⌋ + 64) / 128⌋` ([`snorm8_widen`]; measured for every S, and in
//!   bilinear and trilinear filtering), then `max(-1, N / 32767)`. Filtering turns NaN texels
//!   into 0x7fffffff; the sum of negative zeros is -0.
//! - Wrap and mirror address modes apply only to normalized coordinates (unnormalized ones
//!   clamp). Border texels take the border color, channels a format lacks read 0 (also from
//!   the border), out-of-range `tex1Dfetch` on linear memory reads 0 in every channel, a
//!   layer index is clamped as an unsigned number to the last layer.
//! - Surfaces (`suld.b`/`sust.b`/`sured.b`): x is a byte offset (`sust.p`/`sured.p`: an
//!   element index); `.clamp` moves the access to the nearest element inside, `.zero` reads
//!   zeros and drops writes, `.trap` is an illegal address (CUDA_ERROR_ILLEGAL_ADDRESS, as on
//!   the H100). `sust.p` converts each value to the channel format ([`to_format`]).
//! - The UNORM/SNORM_INT8/16 array formats (tests/programs/textures_norm.cu): textures over
//!   them read normalized floats whatever the read mode (and filter like the 8/16-bit integer
//!   formats read as normalized floats), `sust.p` stores floats as normalized codes
//!   ([`f32_to_norm`]); linear and pitched textures in them are refused (the driver's side).
//! - Mipmaps (tests/programs/textures_mip.cu, textures_grad.cu and their golden files): the
//!   level of detail is kept in 1/256 ([`lod_256`]); point mipmap filtering takes the nearest
//!   level (halves round up). tex.grad's level of detail is log2 of the footprint's major axis,
//!   the longest of dPdx, dPdy, (dPdx ± dPdy) × 11/16 measured by max + 11/32 mid + 1/4 min,
//!   through the H100's 256-entry log2 table ([`LOG2_TABLE`]), on a 10-bit grid: every
//!   gradient component (in texels) and every component of dPdx ± dPdy is truncated to 10
//!   significant bits (a difference of magnitudes keeps one guard bit, [`lod_add`]), and every
//!   term of a length is a 10-bit value too: 11/32 mid is (11 m + 4) / 32 on the mid's grid
//!   truncated to 10 significant bits ([`approx_len`]); a diagonal's 11/16 × max is
//!   (11 m + 4) / 16 and its 11/16 × 11/32 mid (121 m + 32) / 512, each truncated to 10 bits
//!   ([`diagonal_len`]); the terms are summed exactly. Exact on the H100 for 1D, 2D and 3D
//!   gradients: sweeps of about 90000 cases each of 1D pairs, single 2D vectors and 2D pairs,
//!   the dense random cases of textures_grad.cu, 3D single vectors (dPdy = 0) of a coarse
//!   largest and middle component and any smallest one (tests/programs/probes/lodprobe.cu,
//!   2 097 152 cases) and random 3D pairs of exact 10-bit components, three non-zero in each
//!   (lodprobe.cu, 131 072 of 131 072; before the 10-bit terms 129 678: a 2D length only sees
//!   the sum's whole steps of the largest component's grid, which the truncation leaves alone,
//!   a 3D one also whether the fractions of the mid and min terms carry).
//! - Linear mipmap filtering (also at an integral level of detail): the weights of both levels
//!   come from one tree of splits, each rounded half up to 1/256 ([`tree_groups`]): the level
//!   weights 256 − f and f, then z (3D), x, y; a fraction that rounds to 256/256 moves to the
//!   next texel with weight 0. Float texels are aligned per level (per depth slice in 3D) to
//!   27 bits (halves: 14) below that group's largest exponent, and the exact sum is rounded
//!   once. Matches the H100 bit for bit on float, half, 8/16-bit unsigned normalized and 8-bit
//!   signed normalized texels in 1D, 2D and 3D (textures_grad.cu's dense data: 2048 cases of each,
//!   all exact on 2026-11-27). With point mipmap filtering the
//!   bilinear weights are exact products (1/65536), unlike the tree of other 2D textures
//!   (8-bit signed texels there keep the sum-and-round of 16-bit ones: not measured); 3D
//!   textures with point mipmap filtering take the tree of splits of the chosen level (measured,
//!   helper amg's probe: 3D impulse kernels 1863 -> 2172 of 2172 samples, 8-bit content 235 ->
//!   512 of 512; rounded products are 1/256 off), and so do cubemaps, the 2D tree (measured,
//!   amg's probe with maxAnisotropy 1: cubemap impulse kernels with point mipmap filtering 1394
//!   -> 2058 of 2058 samples, 8-bit content `cc_an1_pt` 271 -> 503 of 512, 512 with the cubemap
//!   rules below). Linear mipmap filtering of cubemaps: the tree of splits of 2D textures on the
//!   face's images (impulse cubemaps 394 -> 2058 of 2058 samples, `cc_an1_lin` 88 -> 443 of 512,
//!   512 of 512 with the cubemap rules below).
//! - Anisotropic filtering (maxAnisotropy > 1, tex.grad on 1D/2D/cube geometries; [`sample_aniso`];
//!   measured with tests/programs/textures_aniso.cu: impulse textures, constant-level textures,
//!   textures with content). maxAnisotropy is kept as 1, 2, 4, 6, 8, 10, 12, 16 (3 acts as 2, 5 as
//!   4, 7 as 6, 9 as 8, 11 as 10, 13–15 as 12, all above 16 as 16), its log2 on a 1/16 grid (6, 10,
//!   12: 2 + 9/16, 3 + 5/16, 3 + 9/16; [`aniso_log2`]). The major axis is the longest of dPdx, dPdy,
//!   (dPdx ± dPdy) × 11/16 (the LOD's estimate, so a 1D footprint of 2 and 1 texels is 2.06 long),
//!   the minor axis the area over it; 1D footprints have none (n = maxAnisotropy, mostly magnified).
//!   The anisotropy is kept in the level of detail's log grid, R = 2 log2 major − log2 area ≥ 0
//!   (1/256, each log2 through [`LOG2_TABLE`]), n = min(2^(R/256), maxAnisotropy) (so 2.5 × 1 reads
//!   as 2.504, 3 × 1 as 3.002; 1/n is 2^-int times an 8-bit table entry of 2^-frac, truncated to the
//!   weights' unit, [`aniso_recip`]: 1/9.012 is 113/1024, 1/6 of maxAnisotropy 6 is 173/1024); the
//!   level of detail is log2 major − min(R, log2 maxAnisotropy), the major axis as the isotropic
//!   level of detail has it ([`footprint_len`]), the area |dPdx × dPdy| as the unit multiplies
//!   ([`footprint_area`]: 10-bit components, a truncated multiplier per product that keeps
//!   partial-product columns 6 and up plus 448, the smaller product aligned to the larger one's
//!   10-bit grid). Bit for bit: the dense lod_axis/lod_rot/lod_1d sweeps at every maxAnisotropy,
//!   tests/programs/probes/lodprobe.cu's 1 048 576 axis-aligned footprints of exact 10-bit gradients
//!   and 196 608 random pairs. Probes lie along the major axis one spacing apart — the spacing is a
//!   texel of the level point mipmap filtering picks, 2^(blended LOD) with linear mipmap filtering
//!   (on the lower level of a blend: 2^(t/256) + 1/256 truncated to 1/64 of its texel, t the upper
//!   level's weight, [`aniso_lower_spacing`], along the axes and off them), magnified (level of
//!   detail below 0) 2^(level of detail) on level 0, along the axes, off them and in 1D, with 1/n
//!   from the table at R + level of detail (every magnified impulse kernel exact: minor axes 0.25
//!   … 0.875, majors 0.5 … 16, 78854 samples, and the rotated ones of 1.5 × 1 and 3 × 1 at 10°,
//!   30°, 60°). The major axis vector the probes follow is the first of dPdx, dPdy, dPdx ± dPdy
//!   whose length truncated to 10 significant bits is the largest (in 1D: of a diagonal, the
//!   longer of dPdx and dPdy, dPdy on ties). n ≤ 2: two probes of 1/2 at ±(1 − 1/n) — along an
//!   axis 1/n rounded to 1/256 and the pair rounded up to 1/128 per component (the lower level of
//!   a blend: 1/n from the 8-bit table of [`aniso_recip`], (1 − 1/n) rounded up to 1/128 per
//!   component, times the spacing rounded down to 1/128 of the level's texel); off the axes and
//!   magnified, 1/n = m/256 from the table, (1 − m/256) × the direction rounded once to 1/128 per
//!   component, halves up; beyond: pairs at ±1/2, ±3/2, … weighing 1/n each (in 1/512 while the
//!   table's 1/n exceeds 1/4, else in 1/1024, [`aniso_unit`]) until the rest of the whole, which
//!   the last pair takes (n = 10: five pairs of 102/1024 and one of 2/1024). A level whose texels
//!   exceed the spacing takes its texel as spacing and n × spacing / texel probes (the upper level
//!   of a linear mipmap blend). With the clamp address mode every probe's coordinate is clamped
//!   to the edge texels' centres (so a probe past the edge reads the edge texel with the whole
//!   weight of its row or column, not the rounded split of the clamped pair).
//!   Rotated footprints (both components of the major axis vector non-zero; measured with "V"
//!   textures, |x − 32| and |y − 32| per texel, whose bilinear samples read the probes' mean distance
//!   from a texel centre exactly: 2-probe footprints at every half degree, kink sweeps of 3 … 8 × 1
//!   footprints, .dev-aro/probe1.cu of the aro session) probe along the major axis vector kept to 4
//!   significant bits ([`aniso_direction`]: each component at the middle of its 1/8 of the larger
//!   one's power of two, so the direction moves in steps of 2–4°), whose unit vector is then rounded
//!   to 1/64 per component: the pair of a 2-probe footprint lies at (1 − m/256) × that (above),
//!   more probes at odd multiples of half of it times the spacing; both times the spacing
//!   truncated toward −∞ to 1/128 of the level's own texel (the offset ahead along the direction;
//!   the probe behind is its mirror image), which matters on the lower level of a linear mipmap
//!   blend (measured with tests/programs/probes/rotprobe.cu, which reads the two levels apart; see
//!   [`sample_aniso`]).
//!   Linear mipmap filtering narrows the blend ("brilinear"): the
//!   fraction f (1/256) becomes 1.5 (f − 128) + 129 (maxAnisotropy 2), 1.75 (f − 128) + 129 rounded
//!   half up (4), 2 (f − 128) + 128 (8, 16), clamped to 0 … 256. Weights form a tree in 1/512 or
//!   1/1024: level, then probe (cumulatively from the back of the footprint to its front: the
//!   running sum of the probes' weights times the level's weight rounded half up, each probe what it
//!   adds, so constant textures read exactly l + f/256; measured, helper blend's impulse sweeps with
//!   maxAnisotropy 8 and 16), then each probe like the trilinear tree (x, then y). Float and half
//!   texels are aligned per probe (27 and 14 bits below its largest exponent) and summed probe by
//!   probe in that order, lower level first, on a running grid floored after each probe to a block
//!   exponent's 2^(4⌊(e + bias)/4⌋ − bias − 35) (halves: − 22), e the largest exponent so far
//!   ([`probe_sum`]), then rounded once. Measured on the H100, the state of 2026-11-27:
//!   textures_aniso.cu's dense data, 286 394 of 286 419 samples bit for bit — every impulse
//!   kernel (along the axes and rotated, point and linear mipmap filtering, magnified, maxAnisotropy
//!   2 … 255), every level-of-detail sweep, every float (2D and 1D), 8-bit and rotated content
//!   sample but one (c.u8.2.an16, 1023 of 1024), half content 12 264 of 12 288; rotprobe.cu's
//!   random rotated footprints 122 880 of 122 880 and kink sweeps 393 600 of 393 600. Not fitted:
//!   24 half samples (textures of random half bit patterns, results far below their largest
//!   texels: 1–3 f16 ulps either way; the running grid's rule is the best of the variants tried, see
//!   [`probe_sum`]) and the one 8-bit rotated sample. maxAnisotropy 6 narrows the blend as 4
//!   does, 10 and 12 as 8 (measured: an6's sweeps of constant-level textures in 1/512 octave
//!   steps, exact). 3D textures (measured on the H100, helper amg's probe: impulse kernels of
//!   3 … 12 × 1 … 2 texels along x, y and z, constant-level and 8-bit content textures):
//!   maxAnisotropy > 1 changes neither the probes nor the level of detail (point mipmap
//!   filtering: the outputs of maxAnisotropy 1 and 16 are the same, 2172 + 512 samples), but a
//!   linear mipmap blend is narrowed as [`aniso_blend`] narrows it (constant levels:
//!   the output with maxAnisotropy 2, 4, 16 is the output with 1 so narrowed in 512 of 512 cases
//!   each; impulse kernels exact with it, 8-bit content 510 of 512, the 2 left off the axes).
//!   Cubemaps filter anisotropically as 2D textures do on the face's image, with the face
//!   gradients of [`cube_face_grad`] (helper amg's probe, maxAnisotropy 2, 4, 16: constant-level
//!   cubemaps 3–4 -> 512 of 512 each; impulse cubemaps of 3 … 12 × 1 … 2 texels along the face's
//!   axes 831 -> 3984 of 4116 samples, the A12 sweeps 272 of 273 each), probes past the face's
//!   edge clamped to it, except footprints whose p + dPdx or p + dPdy lies on another face: one
//!   probe (n = 1) with the blend still narrowed (see [`sample_aniso`]). With the 2D rules of
//!   2026-11-27 every anisotropic sample of textures_cube.cu (helper cube's footprints near the
//!   edges, 500 in each of five configurations) is exact but two seamless ones deep past a corner.
//! - Cubemaps (measured on the H100, helper cube's probes tests/programs/probes/cubeprobe.cu,
//!   cubelod.cu: every texel's weight in samples near the faces' edges and corners, and
//!   constant-level cubemaps). The face is that of the largest component, ties going to z, then y
//!   ([`cube_major`]). Faces filter on their own (no texel of a neighbouring face is read,
//!   CU_TRSF_SEAMLESS_CUBEMAP unset): the clamp address mode clamps the face coordinate to the edge
//!   texels' centres, so a bilinear footprint at an edge gives the outer column no weight, not the
//!   clamped index's rounding ([`cube_clamp`]); wrap reads the face's opposite edge (tex.level.cube
//!   at every level, 1467 of 1467 per mode, 1391 before). tex.grad.cube/acube turns a 3D gradient g
//!   at direction p into a 2D one on p's face as the difference of where p + g and p lie on that
//!   face's plane, the neighbouring faces unfolded into it, in f32 with the way over an edge in two
//!   10-bit parts ([`cube_face_grad`]); a gradient that leaves the face drops the diagonals from
//!   the level of detail: helper amg's `lc_an1` 512 of 512 (1 before the unfolding, 499 before the
//!   f32 and 10-bit parts), helper cube's 4156 of 4156. With CU_TRSF_SEAMLESS_CUBEMAP
//!   (cudaTextureDesc's seamlessCubemap) linear filtering reads across the edges: texels past an
//!   edge are the neighbour's, the missing texel past a corner gives its weight to the three around
//!   it ([`cube_seamless`]; the level of detail unchanged): tex.level.cube 1467 of 1467 (482
//!   before), isotropic tex.grad.cube 400 of 400, anisotropic footprints (probes past the edge on
//!   the neighbour) 498 of 500 with linear and with point mipmap filtering, as many as without
//!   the flag but for 2 footprints whose probes reach deep past a corner (365 and 431).
//! - `.f16x2` results are the f32 results rounded to nearest even.

use super::runtime::{FaultKind, WarpCtx, WARP};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

/// Channel formats (`CUarray_format` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    U8,
    U16,
    U32,
    S8,
    S16,
    S32,
    F16,
    F32,
    /// `CU_AD_FORMAT_UNORM_INT8X1/X2/X4`: always read as normalized floats, stored by sust.p
    /// from floats ([`to_format`]).
    Unorm8,
    /// `CU_AD_FORMAT_UNORM_INT16X1/X2/X4`.
    Unorm16,
    /// `CU_AD_FORMAT_SNORM_INT8X1/X2/X4`.
    Snorm8,
    /// `CU_AD_FORMAT_SNORM_INT16X1/X2/X4`.
    Snorm16,
}

impl Format {
    pub fn from_cu(v: u32) -> Option<Format> {
        Some(match v {
            0x01 => Format::U8,
            0x02 => Format::U16,
            0x03 => Format::U32,
            0x08 => Format::S8,
            0x09 => Format::S16,
            0x0a => Format::S32,
            0x10 => Format::F16,
            0x20 => Format::F32,
            0xc0..=0xc2 => Format::Unorm8,
            0xc3..=0xc5 => Format::Unorm16,
            0xc6..=0xc8 => Format::Snorm8,
            0xc9..=0xcb => Format::Snorm16,
            _ => return None,
        })
    }
    pub fn to_cu(self) -> u32 {
        match self {
            Format::U8 => 0x01,
            Format::U16 => 0x02,
            Format::U32 => 0x03,
            Format::S8 => 0x08,
            Format::S16 => 0x09,
            Format::S32 => 0x0a,
            Format::F16 => 0x10,
            Format::F32 => 0x20,
            // the one-channel code of a normalized format
            Format::Unorm8 => 0xc0,
            Format::Unorm16 => 0xc3,
            Format::Snorm8 => 0xc6,
            Format::Snorm16 => 0xc9,
        }
    }
    pub fn bytes(self) -> u32 {
        match self {
            Format::U8 | Format::S8 | Format::Unorm8 | Format::Snorm8 => 1,
            Format::U16 | Format::S16 | Format::F16 | Format::Unorm16 | Format::Snorm16 => 2,
            _ => 4,
        }
    }
    pub fn is_float(self) -> bool {
        matches!(self, Format::F16 | Format::F32)
    }
    /// The UNORM/SNORM formats, which read as normalized floats whatever the read mode.
    pub fn is_normalized(self) -> bool {
        matches!(self, Format::Unorm8 | Format::Unorm16 | Format::Snorm8 | Format::Snorm16)
    }
}

/// How the texels are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `CU_RESOURCE_TYPE_LINEAR`: `tex1Dfetch` with integer indices only.
    Linear,
    D1,
    D2,
    D3,
    Layered1,
    Layered2,
    /// Six faces, `layers` = 6.
    Cube,
    /// `layers` = 6 × cube layers.
    CubeLayered,
}

/// The memory a texture or surface reads: element (x, y, z|layer) is at
/// `base + z * slice + y * pitch + x * elem_bytes`.
#[derive(Clone, Debug)]
pub struct Resource {
    pub base: u64,
    pub shape: Shape,
    pub format: Format,
    pub channels: u32,
    pub width: u32,
    /// 1 for 1D shapes.
    pub height: u32,
    /// 3D depth; 1 otherwise.
    pub depth: u32,
    /// Layered and cubemap shapes: the number of 2D (or 1D) images; 1 otherwise.
    pub layers: u32,
    pub pitch: u64,
    pub slice: u64,
}

impl Resource {
    pub fn elem_bytes(&self) -> u32 {
        self.format.bytes() * self.channels
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressMode {
    Wrap,
    Clamp,
    Mirror,
    Border,
}

impl AddressMode {
    pub fn from_cu(v: u32) -> Option<AddressMode> {
        Some(match v {
            0 => AddressMode::Wrap,
            1 => AddressMode::Clamp,
            2 => AddressMode::Mirror,
            3 => AddressMode::Border,
            _ => return None,
        })
    }
}

/// The sampler state of a texture object.
#[derive(Clone, Debug)]
pub struct Sampler {
    pub address: [AddressMode; 3],
    pub linear: bool,
    pub normalized: bool,
    /// Integer formats read as integers (`CU_TRSF_READ_AS_INTEGER`), else as normalized floats.
    pub read_as_integer: bool,
    pub border: [f32; 4],
    pub mip: Mip,
    /// `CU_TRSF_SEAMLESS_CUBEMAP`: cubemaps filter across the faces' edges ([`cube_seamless`]).
    pub seamless: bool,
}

/// Mipmap sampling state (`CUDA_TEXTURE_DESC`'s mipmap fields and maxAnisotropy).
#[derive(Clone, Debug, Default)]
pub struct Mip {
    /// Blend the two nearest levels (else take the nearest).
    pub linear: bool,
    pub bias: f32,
    pub min_clamp: f32,
    pub max_clamp: f32,
    /// The resource is a mipmapped array: bilinear weights are multiplied exactly (2D
    /// textures without mipmaps round each product to 1/256).
    pub mipmapped: bool,
    /// maxAnisotropy as the texture unit keeps it ([`aniso_limit`]); 0 or 1: isotropic.
    pub max_aniso: u32,
}

/// The anisotropy limit a `maxAnisotropy` value selects: 1, 2, 4, 6, 8, 10, 12 or 16 (measured
/// on the H100: 3 samples as 2, 5 as 4, 7 as 6, 9 as 8, 11 as 10, 13, 14, 15 as 12, 17, 32, 255
/// as 16, bit for bit in every impulse kernel and level-of-detail sweep of an6's probe program).
pub fn aniso_limit(v: u32) -> u32 {
    match v {
        0 | 1 => 1,
        2 | 3 => 2,
        4 | 5 => 4,
        6 | 7 => 6,
        8 | 9 => 8,
        10 | 11 => 10,
        12..=15 => 12,
        _ => 16,
    }
}

/// One texture object (with a sampler) or surface object (without).
#[derive(Clone, Debug)]
pub struct Object {
    pub res: Resource,
    pub sampler: Option<Sampler>,
    /// Mipmap levels 1, 2, … (level 0 is `res`); empty for other resources.
    pub levels: Vec<Resource>,
}

fn table() -> &'static RwLock<HashMap<u64, Arc<Object>>> {
    static T: OnceLock<RwLock<HashMap<u64, Arc<Object>>>> = OnceLock::new();
    T.get_or_init(|| RwLock::new(HashMap::new()))
}

/// Registers an object; returns its handle (never 0, never reused).
pub fn register(obj: Object) -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let h = NEXT.fetch_add(1, Ordering::Relaxed);
    table().write().unwrap_or_else(|e| e.into_inner()).insert(h, Arc::new(obj));
    h
}

/// Removes a texture (`surface` false) or surface object; false if `h` is not one.
pub fn unregister(h: u64, surface: bool) -> bool {
    let mut t = table().write().unwrap_or_else(|e| e.into_inner());
    match t.get(&h) {
        Some(o) if o.sampler.is_none() == surface => {
            t.remove(&h);
            true
        }
        _ => false,
    }
}

pub fn get(h: u64) -> Option<Arc<Object>> {
    table().read().unwrap_or_else(|e| e.into_inner()).get(&h).cloned()
}

/// Operation codes shared with the code generator (`compile::texture`).
pub mod op {
    pub const TEX: u32 = 0;
    pub const TLD4: u32 = 1;
    pub const TXQ: u32 = 2;
    pub const SULD: u32 = 3;
    pub const SUST: u32 = 4;
    pub const SUQ: u32 = 5;
    pub const SURED: u32 = 6;
    pub const CLASS: u32 = 0xf;

    pub const GEOM_SHIFT: u32 = 4;
    pub const G1D: u32 = 0;
    pub const G2D: u32 = 1;
    pub const G3D: u32 = 2;
    pub const GA1D: u32 = 3;
    pub const GA2D: u32 = 4;
    pub const GCUBE: u32 = 5;
    pub const GACUBE: u32 = 6;

    /// The coordinates are s32 (else f32).
    pub const INT_COORDS: u32 = 1 << 8;
    /// tld4 component (r, g, b, a).
    pub const COMP_SHIFT: u32 = 11;
    /// tex.level: the level of detail is in slot `LOD_SLOT`.
    pub const LEVEL: u32 = 1 << 13;
    /// tex.grad: dPdx in slots `DPDX_SLOT..+3`, dPdy in `DPDY_SLOT..+3`.
    pub const GRAD: u32 = 1 << 14;
    pub const LOD_SLOT: usize = 4;
    /// tex's `.v2.f16x2` results: (r, g) and (b, a) as f16 pairs, each the f32 result rounded
    /// to nearest even (NaN 0x7fff; measured on the H100 over filtered f32, f16, unorm8 and
    /// snorm16 textures).
    pub const HALF_PAIRS: u32 = 1 << 15;
    pub const DPDX_SLOT: usize = 4;
    pub const DPDY_SLOT: usize = 8;

    /// txq/suq: which query.
    pub const QUERY_SHIFT: u32 = 16;
    pub const Q_WIDTH: u32 = 0;
    pub const Q_HEIGHT: u32 = 1;
    pub const Q_DEPTH: u32 = 2;
    /// txq.level: the level is in slot 0.
    pub const Q_LEVEL: u32 = 1 << 20;

    /// suld/sust: log2 of the element size in bytes (b8 = 0 … b64 = 3), log2 of the vector
    /// length, out-of-range mode.
    pub const SIZE_SHIFT: u32 = 16;
    pub const VEC_SHIFT: u32 = 18;
    pub const OOB_SHIFT: u32 = 20;
    pub const OOB_TRAP: u32 = 0;
    pub const OOB_CLAMP: u32 = 1;
    pub const OOB_ZERO: u32 = 2;
    /// sured: the operation (add, min, max, and, or), signed min/max (for `.p` the surface's
    /// format says whether min/max are signed).
    pub const RED_SHIFT: u32 = 24;
    pub const RED_SIGNED: u32 = 1 << 27;
    /// sured.p, sust.p: x counts elements; sust.p converts each value to the channel format.
    pub const SAMPLES: u32 = 1 << 28;
}

/// Slots of the argument block: `ARGS` words per lane, slot-major (`[slot][lane]`). Slots
/// 0..4 hold the coordinate vector as written in PTX (raw bits), then the level of detail or
/// the two gradients (`op::LOD_SLOT`, `op::DPDX_SLOT`, `op::DPDY_SLOT`).
pub const ARGS: usize = 12;
/// Words per lane of the data block: four results of tex/tld4, or up to 32 bytes of surface
/// data (`[word][lane]`).
pub const DATA: usize = 8;

/// `tex`, `tld4`, `txq`, `suld`, `sust`, `suq` for the lanes in `mask`. `handles[lane]` is the
/// object, `args` the coordinates, `data` the results (or, for `sust`, the values to store).
/// An unknown handle reads zeros and stores nothing.
///
/// # Safety
/// `handles` holds 32 words, `args` `ARGS * 32`, `data` `DATA * 32`; `ctx` is the warp's.
pub unsafe extern "C" fn cuemu_tex(ctx: *mut WarpCtx, opcode: u32, handles: *const u64, args: *const u32, data: *mut u32, mask: u32) {
    crate::exec::fault::guard("cuemu_tex", || {
        let mut cached: Option<(u64, Option<Arc<Object>>)> = None;
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let h = *handles.add(lane);
            let obj = match &cached {
                Some((ch, o)) if *ch == h => o.clone(),
                _ => {
                    let o = get(h);
                    cached = Some((h, o.clone()));
                    o
                }
            };
            let a: [u32; ARGS] = std::array::from_fn(|s| *args.add(s * WARP + lane));
            let mut d: [u32; DATA] = std::array::from_fn(|s| *data.add(s * WARP + lane));
            let ok = match &obj {
                Some(o) => run_lane(o, opcode, &a, &mut d),
                None => {
                    if opcode & op::CLASS != op::SUST {
                        d = [0; DATA];
                    }
                    true
                }
            };
            if !ok {
                let c = &*ctx;
                (*(*c.block).fault).raise(
                    FaultKind::IllegalAddress,
                    format!(
                        "out-of-range surface access (.trap) in block ({}, {}, {}), warp {}, lane {lane}",
                        c.ctaid[0], c.ctaid[1], c.ctaid[2], c.warp_id
                    ),
                );
                d = [0; DATA];
            }
            for (s, w) in d.iter().enumerate() {
                *data.add(s * WARP + lane) = *w;
            }
        }
    })
}

/// One lane; false on a trapping out-of-range surface access.
fn run_lane(o: &Object, opcode: u32, a: &[u32; ARGS], d: &mut [u32; DATA]) -> bool {
    let class = opcode & op::CLASS;
    let geom = (opcode >> op::GEOM_SHIFT) & 0xf;
    match class {
        op::TXQ | op::SUQ => {
            let q = (opcode >> op::QUERY_SHIFT) & 0xf;
            d[0] = if opcode & op::Q_LEVEL != 0 {
                // past the last level: 0 (measured)
                match a[0] {
                    0 => query(&o.res, q),
                    l => o.levels.get(l as usize - 1).map_or(0, |r| query(r, q)),
                }
            } else {
                query(&o.res, q)
            };
            true
        }
        op::TEX | op::TLD4 => {
            let mut r = match &o.sampler {
                Some(s) => sample_mip(o, s, opcode, geom, a),
                None => [0; 4],
            };
            if opcode & op::HALF_PAIRS != 0 && opcode & op::INT_COORDS != 0 {
                // integer-coordinate fetches with f16x2 results read zeros on the H100
                // (measured on a float4 array, textures_mip.cu)
                r = [0; 4];
            } else if opcode & op::HALF_PAIRS != 0 {
                let h = |w: u32| super::matrix::f32_to_f16(f32::from_bits(w)) as u32;
                r = [h(r[0]) | h(r[1]) << 16, h(r[2]) | h(r[3]) << 16, 0, 0];
            }
            d[..4].copy_from_slice(&r);
            true
        }
        _ => surface(&o.res, opcode, geom, a, d),
    }
}

/// txq/suq width, height, depth as the H100 answers: the height of a 1D layered texture is its
/// layer count, the depth of a 2D layered one its layer count, of a cubemap array its cube
/// count; 0 for dimensions a shape lacks.
fn query(r: &Resource, q: u32) -> u32 {
    let (w, h, d) = match r.shape {
        Shape::Linear | Shape::D1 => (r.width, 0, 0),
        Shape::D2 | Shape::Cube => (r.width, r.height, 0),
        Shape::D3 => (r.width, r.height, r.depth),
        Shape::Layered1 => (r.width, r.layers, 0),
        Shape::Layered2 => (r.width, r.height, r.layers),
        Shape::CubeLayered => (r.width, r.height, r.layers / 6),
    };
    match q {
        op::Q_WIDTH => w,
        op::Q_HEIGHT => h,
        _ => d,
    }
}

// ---------------------------------------------------------------- texels

/// The raw channels of the element at (x, y, z) (z: depth slice or layer), widened to 32 bits
/// (sign-extended for signed formats), 0 for channels the format lacks.
fn raw_texel(r: &Resource, x: u32, y: u32, z: u32) -> [u32; 4] {
    let p = r.base + z as u64 * r.slice + y as u64 * r.pitch + x as u64 * r.elem_bytes() as u64;
    let mut out = [0u32; 4];
    for (c, o) in out.iter_mut().enumerate().take(r.channels as usize) {
        let q = p + (c as u32 * r.format.bytes()) as u64;
        // SAFETY: the driver checked that the resource lies in device memory; a kernel racing
        // a free faults like any other access (kernels run on a guarded stack).
        *o = unsafe {
            match r.format {
                Format::U8 | Format::Unorm8 => *(q as *const u8) as u32,
                Format::S8 | Format::Snorm8 => *(q as *const i8) as i32 as u32,
                Format::U16 | Format::F16 | Format::Unorm16 => (q as *const u16).read_unaligned() as u32,
                Format::S16 | Format::Snorm16 => (q as *const i16).read_unaligned() as i32 as u32,
                _ => (q as *const u32).read_unaligned(),
            }
        };
    }
    out
}

/// One channel of a texel as the filter sees it.
#[derive(Clone, Copy)]
enum Value {
    /// Raw bits, returned as they are (integer reads, border colors of integer reads).
    Bits(u32),
    /// A float texel (f16 ones widened exactly).
    Float(f32),
    /// A normalized integer texel as the numerator of `N / denominator` (see [`Kind::Norm`]).
    Norm(i64),
}

/// How a format's channels are filtered and returned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    F32,
    F16,
    /// Normalized integers. A texel is `x / (divisor × denominator)` (u8: `v × 257 / 65535`,
    /// u16: `v / 65535`, s16: `v / 32767`, s8: `v × 32767 / (127 × 32767)`); point reads
    /// return it correctly rounded, linear filtering rounds the exact weighted sum half up
    /// to `N / denominator` (all measured, s8 included); signed results are clamped to -1.
    Norm { denominator: i64, divisor: i64, signed: bool },
    Int,
}

fn kind(r: &Resource, s: &Sampler) -> Kind {
    match r.format {
        Format::F32 => Kind::F32,
        Format::F16 => Kind::F16,
        // normalized formats read as floats even with CU_TRSF_READ_AS_INTEGER (measured)
        Format::Unorm8 | Format::Unorm16 => Kind::Norm { denominator: 65535, divisor: 1, signed: false },
        Format::Snorm8 => Kind::Norm { denominator: 32767, divisor: 127, signed: true },
        Format::Snorm16 => Kind::Norm { denominator: 32767, divisor: 1, signed: true },
        _ if s.read_as_integer => Kind::Int,
        Format::U8 | Format::U16 => Kind::Norm { denominator: 65535, divisor: 1, signed: false },
        Format::S8 => Kind::Norm { denominator: 32767, divisor: 127, signed: true },
        Format::S16 => Kind::Norm { denominator: 32767, divisor: 1, signed: true },
        _ => Kind::Int,
    }
}

/// f16 → f32, exact; NaN payloads are kept (shifted), as the H100's texture unit does.
fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h as u32) & 0x8000) << 16;
    let e = ((h >> 10) & 0x1f) as u32;
    let m = (h & 0x3ff) as u32;
    let bits = match e {
        0 if m == 0 => sign,
        0 => {
            // subnormal: normalise
            let sh = m.leading_zeros() - 21; // bring the leading 1 to bit 10
            let m = (m << sh) & 0x3ff;
            sign | ((127 - 15 + 1 - sh) << 23) | (m << 13)
        }
        31 => sign | 0x7f80_0000 | (m << 13),
        _ => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

fn decode(r: &Resource, k: Kind, raw: u32) -> Value {
    match (k, r.format) {
        (Kind::F32, _) => Value::Float(f32::from_bits(raw)),
        (Kind::F16, _) => Value::Float(f16_to_f32(raw as u16)),
        (Kind::Norm { .. }, Format::U8 | Format::Unorm8) => Value::Norm(raw as i64 * 257),
        (Kind::Norm { .. }, Format::S8 | Format::Snorm8) => Value::Norm(raw as i32 as i64 * 32767),
        (Kind::Norm { .. }, _) => Value::Norm(raw as i32 as i64),
        _ => Value::Bits(raw),
    }
}

/// The border color as a texel of kind `k` and format `f`: for normalized integer formats
/// it is first truncated to the format's own precision (0.3 reads back as 76/255 from an
/// 8-bit texture on the H100).
fn border_value(k: Kind, f: Format, b: f32) -> Value {
    match k {
        Kind::F32 | Kind::F16 => Value::Float(b),
        Kind::Norm { signed, .. } => {
            let b = b.clamp(if signed { -1.0 } else { 0.0 }, 1.0) as f64;
            Value::Norm(match f {
                Format::U8 | Format::Unorm8 => (b * 255.0).trunc() as i64 * 257,
                Format::S8 | Format::Snorm8 => (b * 127.0).trunc() as i64 * 32767,
                Format::U16 | Format::Unorm16 => (b * 65535.0).trunc() as i64,
                _ => (b * 32767.0).trunc() as i64,
            })
        }
        Kind::Int => Value::Bits(b.to_bits()),
    }
}

/// A point-sampled (`linear` false) or filtered channel as the 32 bits the instruction
/// returns; weights are in 1/256.
fn finish(k: Kind, terms: &[(Value, u32)], linear: bool) -> u32 {
    finish_w(k, terms, linear, 8)
}

/// [`finish`] with weights in 1/2^`shift`.
fn finish_w<W: Copy + Into<i128>>(k: Kind, terms: &[(Value, W)], linear: bool, shift: u32) -> u32 {
    let one = 1i64 << shift;
    match k {
        Kind::Int => terms.iter().find(|(_, w)| (*w).into() != 0).map_or(0, |(v, _)| match v {
            Value::Bits(b) => *b,
            _ => 0,
        }),
        Kind::F32 => float_sum_w(terms, 27, false, linear, shift),
        Kind::F16 => float_sum_w(terms, 14, true, linear, shift),
        Kind::Norm { denominator, divisor, signed } => {
            let acc: i64 = terms.iter().map(|(v, w)| if let Value::Norm(x) = v { x * (*w).into() as i64 } else { 0 }).sum();
            let q = if linear && divisor == 127 && shift == 8 {
                // 8-bit signed texels: the filter sums the bytes times the weights exactly,
                // S = Σ w v in 1/256, and widens S to 16 bits as [`snorm8_widen`] (measured)
                snorm8_widen(acc / 32767) as f64 / denominator as f64
            } else if linear {
                let n = (acc + one / 2 * divisor).div_euclid(one * divisor);
                n as f64 / denominator as f64
            } else {
                acc as f64 / (one * divisor * denominator) as f64
            };
            (if signed { q.max(-1.0) } else { q }).to_bits_f32()
        }
    }
}

/// The 16-bit result of filtering 8-bit signed texels from their exact weighted sum `s` (the
/// bytes times weights in 1/256, -32768..=32512): s + (s + 16 ⌊s / 4096⌋ + 64) / 128 rounded
/// down, close to s × 32767/32512 (measured on the H100 for every s: all pairs of bytes
/// at 32 weights, tests/programs/textures_grad.cu). A single texel v gives 258 v plus 1 from
/// 64 up (from -65 down). The caller clamps to -1.
fn snorm8_widen(s: i64) -> i64 {
    s + ((s + ((s >> 12) << 4) + 64) >> 7)
}

trait ToF32Bits {
    fn to_bits_f32(self) -> u32;
}
impl ToF32Bits for f64 {
    /// f64 → f32 bits, rounding to nearest even (the f64 quotients above are never within
    /// an f64 ulp of an f32 midpoint, so this is the correctly rounded quotient).
    fn to_bits_f32(self) -> u32 {
        (self as f32).to_bits()
    }
}

/// The exponent of a finite non-zero float as the filter aligns it (subnormals count as the
/// smallest normal exponent).
fn exponent_f32(x: f32) -> i32 {
    let e = ((x.to_bits() >> 23) & 0xff) as i32;
    e.max(1) - 127
}

/// Σ value × weight/256 on the hardware's fixed-point grid: each texel truncated toward zero
/// to `keep` bits below the largest exponent of the texels of non-zero weight, the exact sum
/// rounded once to nearest (ties away from zero), to f32 or (`half`) to f16 then widened.
/// Filtering (`linear`) turns any NaN into 0x7fffffff; a point read returns the texel as is.
fn float_sum(terms: &[(Value, u32)], keep: i32, half: bool, linear: bool) -> u32 {
    float_sum_w(terms, keep, half, linear, 8)
}

/// [`float_sum`] with weights in 1/2^`shift`.
fn float_sum_w<W: Copy + Into<i128>>(terms: &[(Value, W)], keep: i32, half: bool, linear: bool, shift: u32) -> u32 {
    let vals: Vec<(f32, i128)> = terms
        .iter()
        .filter(|(_, w)| (*w).into() != 0)
        .map(|(v, w)| (if let Value::Float(f) = v { *f } else { 0.0 }, (*w).into()))
        .collect();
    if !linear || (vals.len() == 1 && !vals[0].0.is_nan()) {
        if let [(f, w)] = vals[..] {
            if w == 1i128 << shift {
                return f.to_bits();
            }
        }
    }
    if vals.iter().any(|(f, _)| f.is_nan()) {
        // a half texture's NaN is the f16 NaN 0x7fff widened (measured, textures_mip.cu)
        return if half { 0x7fff_e000 } else { 0x7fff_ffff };
    }
    if vals.iter().any(|(f, _)| f.is_infinite()) {
        let pos = vals.iter().any(|(f, _)| *f == f32::INFINITY);
        let neg = vals.iter().any(|(f, _)| *f == f32::NEG_INFINITY);
        return match (pos, neg) {
            (true, true) => 0x7fff_ffff,
            (true, false) => f32::INFINITY.to_bits(),
            _ => f32::NEG_INFINITY.to_bits(),
        };
    }
    let Some(em) = vals.iter().filter(|(f, _)| *f != 0.0).map(|(f, _)| exponent_f32(*f)).max() else {
        // all zero: negative only if every texel is -0 (measured)
        return if !vals.is_empty() && vals.iter().all(|(f, _)| f.is_sign_negative()) { 0x8000_0000 } else { 0 };
    };
    // grid 2^(em - keep); texel f = m × 2^(e - 23) with a 24-bit m, so its multiple of the grid
    // is m × 2^(e - 23 - em + keep), truncated toward zero
    let mut acc: i128 = 0;
    for (f, w) in &vals {
        let b = f.to_bits();
        let e = (((b >> 23) & 0xff) as i32).max(1) - 127;
        let m = if (b >> 23) & 0xff == 0 { (b & 0x7f_ffff) as i128 } else { ((b & 0x7f_ffff) | 0x80_0000) as i128 };
        let sh = e - 23 - em + keep;
        let q = if sh >= 0 { m << sh } else if sh > -64 { m >> (-sh) } else { 0 };
        let q = if b >> 31 != 0 { -q } else { q };
        acc += q * *w;
    }
    // value = acc × 2^(em - keep - shift)
    round_to_float(acc, em - keep - shift as i32, half)
}

/// `acc × 2^scale` rounded to nearest, ties away from zero, to f32 (or to f16, returned widened
/// to f32 bits).
fn round_to_float(acc: i128, scale: i32, half: bool) -> u32 {
    if acc == 0 {
        return 0;
    }
    let neg = acc < 0;
    let mag = acc.unsigned_abs();
    let (mant_bits, min_exp, max_exp) = if half { (11, -14, 15) } else { (24, -126, 127) };
    let len = 128 - mag.leading_zeros() as i32; // value in [2^(len-1), 2^len) × 2^scale
    let e = len - 1 + scale; // exponent of the leading bit
    // grid of the result: 2^(e - mant_bits + 1), at least the subnormal grid
    let grid = (e - mant_bits + 1).max(min_exp - mant_bits + 1);
    let shift = grid - scale;
    let q = if shift <= 0 {
        mag << (-shift) as u32
    } else if shift >= 128 {
        0
    } else {
        let half_bit = 1u128 << (shift - 1);
        (mag + half_bit) >> shift as u32
    };
    // q × 2^grid
    let value = q as f64 * 2f64.powi(grid);
    let limit = 2f64.powi(max_exp) * (2.0 - 2f64.powi(1 - mant_bits));
    let v = if value > limit { f64::INFINITY } else { value };
    let v = if neg { -v } else { v };
    (v as f32).to_bits()
}

// ---------------------------------------------------------------- coordinates

/// Texel coordinate of a float coordinate on an axis of `n` texels.
fn texel_coord(x: f32, n: u32, normalized: bool) -> f64 {
    let x = if x.is_nan() { 0.0 } else { x as f64 };
    if normalized {
        // 21 fractional bits, truncated (measured: see the module comment)
        let t = (x * 2097152.0).floor() / 2097152.0;
        t * n as f64
    } else {
        x
    }
}

fn floor_i64(u: f64) -> i64 {
    u.floor().clamp(-(1i64 << 40) as f64, (1i64 << 40) as f64) as i64
}

/// Applies the address mode to texel index `i` of an axis of `n`; None for a border texel.
fn address(i: i64, n: u32, mode: AddressMode, normalized: bool) -> Option<u32> {
    let n = n.max(1) as i64;
    let mode = match mode {
        AddressMode::Wrap | AddressMode::Mirror if !normalized => AddressMode::Clamp,
        m => m,
    };
    Some(match mode {
        AddressMode::Wrap => i.rem_euclid(n),
        AddressMode::Mirror => {
            let m = i.rem_euclid(2 * n);
            if m < n {
                m
            } else {
                2 * n - 1 - m
            }
        }
        AddressMode::Clamp => i.clamp(0, n - 1),
        AddressMode::Border => {
            if (0..n).contains(&i) {
                i
            } else {
                return None;
            }
        }
    } as u32)
}

/// The texels (index or border) along one axis with their weights in 1/256.
fn axis(x: f32, n: u32, s: &Sampler, mode: AddressMode) -> [(Option<u32>, u32); 2] {
    let u = texel_coord(x, n, s.normalized);
    if !s.linear {
        return [(address(floor_i64(u), n, mode, s.normalized), 256), (None, 0)];
    }
    let xb = u - 0.5;
    let i = floor_i64(xb);
    let frac = xb - xb.floor();
    let a = ((frac * 256.0 + 0.5).floor() as u32).min(256);
    [(address(i, n, mode, s.normalized), 256 - a), (address(i + 1, n, mode, s.normalized), a)]
}

/// The bilinear footprint (for tld4): texels (i, j), (i+1, j), (i, j+1), (i+1, j+1).
fn footprint(x: f32, y: f32, r: &Resource, s: &Sampler) -> [[Option<u32>; 2]; 2] {
    let lin = Sampler { linear: true, ..s.clone() };
    let ax = axis(x, r.width, &lin, s.address[0]);
    let ay = axis(y, r.height, &lin, s.address[1]);
    [[ax[0].0, ax[1].0], [ay[0].0, ay[1].0]]
}

/// Cubemap direction → (face, s, t) with s, t normalized (CUDA programming guide, "Cubemap
/// Textures").
fn cube_face(x: f32, y: f32, z: f32) -> (u32, f32, f32) {
    let (face, sc, tc, ma) = match cube_major([x as f64, y as f64, z as f64]) {
        0 if x >= 0.0 => (0, -z, -y, x.abs()),
        0 => (1, z, -y, x.abs()),
        1 if y >= 0.0 => (2, x, z, y.abs()),
        1 => (3, x, -z, y.abs()),
        _ if z >= 0.0 => (4, x, -y, z.abs()),
        _ => (5, -x, -y, z.abs()),
    };
    (face, (sc / ma + 1.0) * 0.5, (tc / ma + 1.0) * 0.5)
}

/// The major axis of a cubemap direction (0 = x, 1 = y, 2 = z): the largest magnitude, ties going
/// to z, then y (measured on the H100, helper cube's probe: (1, 0.3125, 1) reads face +z,
/// (1, 1, 0.3125) face +y, (1, −1.75, 1.75) face +z).
fn cube_major(p: [f64; 3]) -> usize {
    let (ax, ay, az) = (p[0].abs(), p[1].abs(), p[2].abs());
    if az >= ax && az >= ay {
        2
    } else if ay >= ax {
        1
    } else {
        0
    }
}

/// A non-seamless cubemap's face coordinate (normalized) on a level of `n` texels: with the clamp
/// address mode the coordinate itself is clamped to the edge texels' centres, [1/2, n − 1/2] in
/// texels, so a bilinear footprint at the edge gives the outer texel no weight (measured on the
/// H100, helper cube's probe: tex.level.cube at 0.5 and 1.5, where the clamped index of 2D
/// textures' clamp mode rounds a 1/256 of the edge column to the other row); wrap reads the
/// face's opposite edge (measured, the same probe), other modes are left as 2D textures have them.
fn cube_clamp(x: f32, n: u32, mode: AddressMode) -> f32 {
    if mode != AddressMode::Clamp || n == 0 {
        return x;
    }
    let half = 0.5 / n as f32;
    x.clamp(half, 1.0 - half)
}

/// The texel that a face's texel (i, j) outside its n × n image stands for with seamless
/// filtering: the neighbouring face's texel across the edge, as the edge folds the plane (a texel
/// one row past an edge is the neighbour's edge row, the coordinate along the edge kept); None
/// past a corner (no texel; [`cube_seamless`]).
fn cube_neighbour(face: u32, i: i64, j: i64, n: u32) -> Option<(u32, u32, u32)> {
    let inside = |v: i64| (0..n as i64).contains(&v);
    if inside(i) && inside(j) {
        return Some((face, i as u32, j as u32));
    }
    // the face's major axis, s axis and t axis as [`cube_face`] has them
    let (nrm, sa, ta): ([f64; 3], [f64; 3], [f64; 3]) = match face % 6 {
        0 => ([1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, -1.0, 0.0]),
        1 => ([-1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]),
        2 => ([0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]),
        3 => ([0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, -1.0]),
        4 => ([0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, -1.0, 0.0]),
        _ => ([0.0, 0.0, -1.0], [-1.0, 0.0, 0.0], [0.0, -1.0, 0.0]),
    };
    let (sc, tc) = ((2 * i + 1) as f64 / n as f64 - 1.0, (2 * j + 1) as f64 / n as f64 - 1.0);
    if sc.abs() > 1.0 && tc.abs() > 1.0 {
        return None;
    }
    // past the s edge: the neighbour's normal is ±s, the way past the edge runs back along −normal
    let (out, over, along, other) = if sc.abs() > 1.0 { (sa, sc, ta, tc) } else { (ta, tc, sa, sc) };
    let p: [f64; 3] =
        std::array::from_fn(|k| out[k] * over.signum() + nrm[k] * (2.0 - over.abs()) + along[k] * other);
    let (f, s, t) = cube_face(p[0] as f32, p[1] as f32, p[2] as f32);
    let texel = |v: f32| ((v as f64 * n as f64).floor() as i64).clamp(0, n as i64 - 1) as u32;
    Some((face - face % 6 + f, texel(s), texel(t)))
}

/// A seamless cubemap's bilinear footprint on face image `z` of level `r` with weight `g` (1/256 of
/// the sample, split by the trilinear tree as [`tree_groups`] splits it): texels past an edge are
/// the neighbouring face's ([`cube_neighbour`]); the texel past a corner, which no face has, gives
/// its weight c to the other three, (c + 1) / 3 (c / 3 rounded) to each of the two beside it and
/// the rest to the one across (measured on the H100, helper cube's probe
/// tests/programs/probes/cubeprobe.cu with CU_TRSF_SEAMLESS_CUBEMAP: every texel's weight in
/// tex.level.cube samples at every level near the edges and corners, 1467 of 1467, and in isotropic
/// tex.grad.cube samples, 400 of 400; the level of detail is that of other cubemaps).
#[allow(clippy::too_many_arguments)]
fn cube_seamless(
    r: &Resource,
    s: &Sampler,
    k: Kind,
    sc: f32,
    tc: f32,
    z: u32,
    c: usize,
    g: u32,
) -> Vec<(Value, u32)> {
    let u = [texel_coord(sc, r.width, true), texel_coord(tc, r.height, true)];
    cube_seamless_at(r, s, k, u, z, c, g as i64).into_iter().map(|(v, w)| (v, w as u32)).collect()
}

/// [`cube_seamless`] at texel coordinates `u` of face image `z`, the weight `g` in any unit (an
/// anisotropic probe's share, which may be negative, [`sample_aniso`]).
#[allow(clippy::too_many_arguments)]
fn cube_seamless_at(
    r: &Resource,
    s: &Sampler,
    k: Kind,
    u: [f64; 2],
    z: u32,
    c: usize,
    g: i64,
) -> Vec<(Value, i64)> {
    let pair = |u: f64| {
        let xb = u - 0.5;
        let mut i = floor_i64(xb);
        let mut w = ((xb - xb.floor()) * 256.0 + 0.5).floor() as u32;
        if w >= 256 {
            i += 1;
            w = 0;
        }
        (i, w)
    };
    let ((x0, wa), (y0, wb)) = (pair(u[0]), pair(u[1]));
    let (lo, hi) = split_signed(g, wa, true);
    let (w00, w01) = split_signed(lo, wb, false);
    let (w10, w11) = split_signed(hi, wb, true);
    let cells = [(x0, y0, w00), (x0 + 1, y0, w10), (x0, y0 + 1, w01), (x0 + 1, y0 + 1, w11)];
    let n = r.width;
    let texel = |(f, x, y): (u32, u32, u32)| channel(r, s, k, Some(x), Some(y), f, c);
    let mut terms = Vec::with_capacity(6);
    for &(i, j, w) in &cells {
        match cube_neighbour(z, i, j, n) {
            Some(t) => terms.push((texel(t), w)),
            None => {
                let (oi, oj) = (2 * x0 + 1 - i, 2 * y0 + 1 - j);
                let share = (w + 1).div_euclid(3);
                for (a, b, ws) in [(oi, j, share), (i, oj, share), (oi, oj, w - 2 * share)] {
                    if let Some(t) = cube_neighbour(z, a, b, n) {
                        terms.push((texel(t), ws));
                    }
                }
            }
        }
    }
    terms
}

/// log2 of a length's mantissa in 1/256, indexed by the mantissa's first 8 fraction bits (the
/// H100's table, measured with 1D gradients: every index of tests/programs/textures_grad.cu's
/// `tab` sweep). It is close to `round(256 × log2(1 + (i + 0.5)/256) − 0.03)`, never 256.
const LOG2_TABLE: [u8; 256] = [
    0, 2, 4, 5, 6, 8, 9, 11, 12, 13, 15, 16, 18, 19, 20, 22,
    23, 24, 26, 27, 28, 30, 31, 32, 34, 35, 36, 38, 39, 40, 42, 43,
    44, 45, 47, 48, 49, 50, 52, 53, 54, 55, 57, 58, 59, 60, 62, 63,
    64, 65, 66, 68, 69, 70, 71, 72, 74, 75, 76, 77, 78, 79, 81, 82,
    83, 84, 85, 86, 88, 89, 90, 91, 92, 93, 94, 95, 97, 98, 99, 100,
    101, 102, 103, 104, 105, 106, 107, 109, 110, 111, 112, 113, 114, 115, 116, 117,
    118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133,
    135, 136, 137, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149,
    150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 162, 163, 164,
    165, 166, 167, 168, 169, 170, 171, 172, 173, 173, 174, 175, 176, 177, 178, 179,
    180, 181, 181, 182, 183, 184, 185, 186, 187, 188, 188, 189, 190, 191, 192, 193,
    194, 195, 195, 196, 197, 198, 199, 200, 200, 201, 202, 203, 204, 205, 205, 206,
    207, 208, 209, 210, 210, 211, 212, 213, 214, 214, 215, 216, 217, 218, 218, 219,
    220, 221, 222, 222, 223, 224, 225, 226, 226, 227, 228, 229, 229, 230, 231, 232,
    233, 233, 234, 235, 236, 236, 237, 238, 239, 239, 240, 241, 242, 242, 243, 244,
    245, 245, 246, 247, 248, 248, 249, 250, 251, 251, 252, 253, 253, 254, 255, 255,
];

/// `floor(256 × log2(l))` as the texture unit has it: the exponent, plus the table entry of the
/// mantissa truncated to 8 bits.
fn log2_256(l: f64) -> i64 {
    let b = l.to_bits();
    let e = ((b >> 52) & 0x7ff) as i64 - 1023;
    e * 256 + LOG2_TABLE[((b >> 44) & 0xff) as usize] as i64
}

/// A non-negative finite length as the level-of-detail unit holds it: truncated to 10
/// significant bits, as (m, e) with m in 512..1024 and the value m × 2^e (m = 0 for 0).
fn lod_fix(x: f64) -> (u64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (0, 0);
    }
    let b = x.to_bits();
    let e = ((b >> 52) & 0x7ff) as i32 - 1023;
    if e < -1000 {
        return (0, 0); // (no f32 gradient times a texture size gets here)
    }
    ((((b >> 43) & 0x1ff) | 0x200), e - 9)
}

fn lod_trunc(x: f64) -> f64 {
    let (m, e) = lod_fix(x.abs());
    (m as f64 * 2f64.powi(e)).copysign(x)
}

/// A vector's length as the texture unit approximates it (measured, tests/programs/
/// textures_grad.cu): its components' magnitudes truncated to 10 significant bits, then the
/// largest plus 11/32 of the middle one plus 1/4 of the smallest (exact), each term a 10-bit
/// value: 11/32 of the middle one (m × 2^e) is (11 m + 4) / 32 × 2^e truncated to 10 significant
/// bits (a quarter of the middle one's grid below 11 m + 4 = 8192, half of it from there), and
/// the three are summed exactly. The Euclidean length it approximates is at most 3% longer in 2D.
/// (2D and 1D lengths only see the sum's whole steps of the largest one's grid, which the
/// truncation leaves alone; 3D ones see the fraction that the middle and smallest terms add up
/// to: measured with tests/programs/probes/lodprobe.cu's random 3D pairs, where the middle term
/// kept to a quarter of its grid missed 805 of 100 256 cases whose longest axis is dPdx or dPdy,
/// truncated to 10 bits none.)
fn approx_len(v: &[f64]) -> f64 {
    let mut s = [0.0f64; 3];
    for (d, x) in s.iter_mut().zip(v) {
        *d = lod_trunc(x.abs());
    }
    s.sort_by(|a, b| b.total_cmp(a));
    let (mm, em) = lod_fix(s[1]);
    let mid = if mm == 0 { 0.0 } else { lod_trunc((11 * mm + 4) as f64 * 2f64.powi(em - 5)) };
    s[0] + mid + s[2] * 0.25
}

/// |a + b| for two components on the 10-bit grid, as the level-of-detail unit adds them: with
/// opposite signs the smaller operand is first truncated toward zero to one bit below the
/// larger one's grid (a guard bit), then the result is truncated to 10 significant bits
/// (measured: the sweeps of 2D pairs, 1324 -> 803 mismatches of 98352).
fn lod_add(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 || (a > 0.0) == (b > 0.0) {
        return lod_trunc((a + b).abs());
    }
    let e = ((a.abs().max(b.abs()).to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let g = 2f64.powi(e - 10);
    lod_trunc(((a / g).trunc() * g + (b / g).trunc() * g).abs())
}

/// 11/16 of a footprint diagonal's length as the texture unit computes it from the diagonal's
/// components (|x ± y|, each on the 10-bit grid, m × 2^e), largest first, each term a 10-bit
/// value as in [`approx_len`]: 11/16 of the largest as (11 m + 4) / 16 × 2^e truncated to 10
/// bits, plus 121/512 (11/16 × 11/32) of the middle one as (121 m + 32) / 512 × 2^e truncated to
/// 10 bits, plus a quarter of the smallest scaled as the largest (measured: exact in the H100
/// sweeps of 2D pairs, 98352 cases, and the dense random pairs; 3D: lodprobe.cu's 131 072 random
/// pairs exact, of which 30 816 have a diagonal longest; the middle term not truncated missed 589
/// of those).
fn diagonal_len(v: &[f64; 3]) -> f64 {
    let mut s = *v;
    s.sort_by(|a, b| b.total_cmp(a));
    let scaled = |x: f64| {
        let (m, e) = lod_fix(x);
        if m == 0 {
            0.0
        } else {
            lod_trunc((11 * m + 4) as f64 * 2f64.powi(e - 4))
        }
    };
    let (m1, e1) = lod_fix(s[1]);
    let mid = if m1 == 0 { 0.0 } else { lod_trunc((121 * m1 + 32) as f64 * 2f64.powi(e1 - 9)) };
    scaled(s[0]) + mid + scaled(s[2]) * 0.25
}

/// The level of detail of tex.level/tex.grad in 1/256 (before bias and clamps); None for a
/// plain tex (level 0). tex.level's lod is truncated to 1/256 (NaN reads level 0). tex.grad
/// takes the gradients in texels, dPdx = x and dPdy = y, each component's magnitude truncated
/// to 10 significant bits, and estimates the footprint's major axis as the longest of x, y
/// (measured by [`approx_len`]) and 11/16 of the diagonals x ± y (each component summed as
/// [`lod_add`], the length as [`diagonal_len`]); 1D gradients are scalars. Then [`log2_256`].
/// Measured on the H100 (tests/programs/textures_grad.cu, its dense data and sweeps,
/// tests/programs/probes/lodprobe.cu): exact for 1D, 2D and 3D gradients (see the module doc).
fn lod_256(r: &Resource, opcode: u32, geom: u32, a: &[u32; ARGS]) -> Option<i64> {
    const BIG: i64 = 1 << 40;
    if opcode & op::LEVEL != 0 {
        let l = f32::from_bits(a[op::LOD_SLOT]);
        return Some(if l.is_nan() { 0 } else { ((l as f64) * 256.0).floor().clamp(-BIG as f64, BIG as f64) as i64 });
    }
    if opcode & op::GRAD == 0 {
        return None;
    }
    let dims = match geom {
        op::G1D | op::GA1D => 1,
        op::G3D => 3,
        _ => 2,
    };
    let size = [r.width as f64, r.height as f64, r.depth as f64];
    let grad = |slot: usize| -> [f64; 3] { std::array::from_fn(|k| if k < dims { f32::from_bits(a[slot + k]) as f64 * size[k] } else { 0.0 }) };
    let (x, y, crossed) = if geom == op::GCUBE || geom == op::GACUBE {
        // cubemaps: the 3D gradients as moves on the direction's face ([`cube_face_grad`])
        let at = |slot: usize| -> [f64; 3] { std::array::from_fn(|k| f32::from_bits(a[slot + k]) as f64) };
        let p = at(if geom == op::GCUBE { 0 } else { 1 });
        let half = r.width as f64 / 2.0;
        let (x, cx) = cube_face_grad(p, at(op::DPDX_SLOT), half);
        let (y, cy) = cube_face_grad(p, at(op::DPDY_SLOT), half);
        (x, y, cx || cy)
    } else {
        (grad(op::DPDX_SLOT), grad(op::DPDY_SLOT), false)
    };
    if [x, y].iter().flatten().any(|v| v.is_nan()) {
        return Some(0);
    }
    if [x, y].iter().flatten().any(|v| v.is_infinite()) {
        return Some(BIG);
    }
    // a cubemap gradient that leaves the face drops the diagonals (measured, [`cube_face_grad`])
    let l = if crossed { approx_len(&x).max(approx_len(&y)) } else { footprint_len(&x, &y) };
    if l == 0.0 {
        return Some(-BIG);
    }
    if l.is_infinite() {
        return Some(BIG);
    }
    Some(log2_256(l))
}

/// A cubemap gradient `g` (a change of the direction `p`, as tex.grad.cube takes it) as the texture
/// unit turns it into a 2D gradient (s, t) on p's face ([`cube_face`]'s axes), in texels (`half` =
/// half the face's width), and whether p + g lies on another face. It is the difference of where p
/// + g and p lie on p's face plane, a forward difference (not the derivative of the face
/// coordinates, s = sc / |ma|: (dsc |ma| − sc dma) / ma², and not the gradient's components along
/// the face), the neighbouring faces unfolded into that plane, in f32: q = p + g summed in f32,
/// each face coordinate a component times the f32 reciprocal of the major one. While q lies on p's
/// face, each component is q[k] / along − p[k] / |p[major]| (along = q's component on p's major
/// axis, signed as p's). Where it lies on another face, the axis b of q's larger other component
/// crosses the edge and runs on over the neighbour: its move is the way to the edge, 1 − |p[b]| /
/// |p[major]|, plus the way past it, 1 − along / |q[b]|, each in texels truncated to 10 significant
/// bits before they are added (the level-of-detail unit's grid, [`lod_trunc`]; each exact, not
/// rounded to f32 first); the other axis c moves q[c] / |q[b]| − p[c] / |p[major]|. A gradient that
/// leaves the face also drops the footprint's diagonals from the level of detail ([`lod_256`]).
/// Measured on the H100: helper amg's probe (.dev-amg/probe.cu, `lc_an1`: a constant-level 256²
/// cubemap, 512 random directions on all six faces with axis-aligned or random 3D gradients of 1 …
/// 512 texels) 512 of 512 (the unfolded difference in f64 without the truncations: 499; the
/// derivative: 310; p + g projected on p's plane without unfolding: 470); helper cube's probes
/// (tests/programs/probes/cubelod.cu, constant-level cubemaps of 256² and 16²: gradients from near
/// an edge over it onto the neighbour, scaled 0.7 … 1.5, 2376 of 2376; the same inside the face,
/// 180 of 180, where division instead of the reciprocal misses 3; random directions and neighbours
/// near the edges, 1200 of 1200, where the unfolded f32 difference misses 47 by 1–2/256;
/// tests/programs/probes/cubeprobe.cu's isotropic gradients near the edges of a 16² cubemap, level
/// weights of linear mipmap filtering, 400 of 400, 313 before).
fn cube_face_grad(p: [f64; 3], g: [f64; 3], half: f64) -> ([f64; 3], bool) {
    let major = cube_major(p);
    let sign: f32 = if p[major] >= 0.0 { 1.0 } else { -1.0 };
    let (i, j) = match major {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    };
    let q: [f32; 3] = std::array::from_fn(|k| p[k] as f32 + g[k] as f32);
    let p_rcp = 1.0 / (sign * p[major] as f32);
    let at_p = |k: usize| p[k] as f32 * p_rcp;
    let along = sign * q[major];
    // q lies on another face where one of its other components is larger, or as large and of an
    // axis that wins the tie ([`cube_major`]: z, then y; measured: a gradient from (1, 0.25, −1/32)
    // to (1, 1, −1/32) leaves face +x)
    let (b, c) = if q[j].abs() >= q[i].abs() { (j, i) } else { (i, j) };
    let crossed = along < q[b].abs() || (along == q[b].abs() && b > major);
    let mut d = [0.0f64; 3];
    if crossed {
        let m_rcp = 1.0 / q[b].abs();
        let sg = if q[b] >= 0.0 { 1.0 } else { -1.0 };
        let part = |v: f64| if v.is_finite() { lod_trunc(v * half) } else { v };
        let to_edge = 1.0 - sg * at_p(b) as f64;
        let past = 1.0 - (along * m_rcp) as f64;
        d[b] = sg * (part(to_edge) + part(past));
        d[c] = (q[c] * m_rcp - at_p(c)) as f64 * half;
    } else {
        let q_rcp = 1.0 / along;
        for k in [i, j] {
            d[k] = (q[k] * q_rcp - at_p(k)) as f64 * half;
        }
    }
    // (s, t) as [`cube_face`] has them: sc and tc per face
    let (ds, dt) = match (major, sign > 0.0) {
        (0, true) => (-d[2], -d[1]),
        (0, false) => (d[2], -d[1]),
        (1, true) => (d[0], d[2]),
        (1, false) => (d[0], -d[2]),
        (_, true) => (d[0], -d[1]),
        (_, false) => (-d[0], -d[1]),
    };
    ([ds, dt, 0.0], crossed)
}

/// The footprint's major axis as [`lod_256`] estimates it from the gradients in texels: the
/// longest of x, y ([`approx_len`]) and 11/16 of the diagonals x ± y ([`lod_add`],
/// [`diagonal_len`]), components truncated to 10 significant bits.
fn footprint_len(x: &[f64; 3], y: &[f64; 3]) -> f64 {
    footprint_lens(x, y).into_iter().fold(0.0, f64::max)
}

/// The four lengths [`footprint_len`] takes the longest of: x, y, and 11/16 of x + y and x − y.
fn footprint_lens(x: &[f64; 3], y: &[f64; 3]) -> [f64; 4] {
    let (xt, yt) = (x.map(lod_trunc), y.map(lod_trunc));
    let sum: [f64; 3] = std::array::from_fn(|k| lod_add(xt[k], yt[k]));
    let diff: [f64; 3] = std::array::from_fn(|k| lod_add(xt[k], -yt[k]));
    [approx_len(&xt), approx_len(&yt), diagonal_len(&sum), diagonal_len(&diff)]
}

/// The product of two 10-bit mantissas (512..1023) as the level-of-detail unit forms it: a
/// truncated multiplier that sums the partial products of columns 6 and up and adds 448 (7 × 2^6)
/// for the dropped ones (measured: an axis-aligned footprint's area, every pair of 10-bit
/// mantissas at four ratios of the axes, 1 048 576 cases; columns 5 or 7 and other constants fail).
fn lod_mul(ma: u64, mb: u64) -> u64 {
    let mut p = 448;
    for a in 0..10 {
        if (ma >> a) & 1 == 1 {
            for b in 6usize.saturating_sub(a)..10 {
                if (mb >> b) & 1 == 1 {
                    p += 1 << (a + b);
                }
            }
        }
    }
    p
}

/// The area of the footprint |dPdx × dPdy| (gradients in texels) as anisotropic filtering has it
/// (measured with tests/programs/probes/lodprobe.cu, all cases exact): each gradient component truncated to
/// 10 bits, each product x0·y1, x1·y0 through [`lod_mul`]; the smaller product, aligned to the
/// grid of the larger one's tenth significant bit, is truncated when the two add up and rounded
/// to nearest (half up) when it is subtracted.
fn footprint_area(x: [f64; 2], y: [f64; 2]) -> f64 {
    let product = |a: f64, b: f64, neg: bool| {
        let ((ma, ea), (mb, eb)) = (lod_fix(a.abs()), lod_fix(b.abs()));
        (ma != 0 && mb != 0).then(|| (lod_mul(ma, mb), ea + eb, ((a > 0.0) == (b > 0.0)) != neg))
    };
    let value = |(m, e, _): (u64, i32, bool)| m as f64 * 2f64.powi(e);
    match (product(x[0], y[1], false), product(x[1], y[0], true)) {
        (None, None) => 0.0,
        (Some(p), None) | (None, Some(p)) => value(p),
        (Some(p), Some(q)) => {
            let (big, small) = if value(q) > value(p) { (q, p) } else { (p, q) };
            let g = 2f64.powi(63 - big.0.leading_zeros() as i32 - 9);
            let v = small.0 as f64 * 2f64.powi(small.1 - big.1);
            let s = if big.2 == small.2 { big.0 as f64 + (v / g).floor() * g } else { big.0 as f64 - (v / g + 0.5).floor() * g };
            s.abs() * 2f64.powi(big.1)
        }
    }
}

/// Sampling with mipmaps: the level(s) the level of detail selects (plus bias, within the
/// min/max clamps and the levels there are), the nearest one rounding half up, or the two
/// nearest blended with the fraction's weight (1/256).
fn sample_mip(o: &Object, s: &Sampler, opcode: u32, geom: u32, a: &[u32; ARGS]) -> [u32; 4] {
    let Some(lod) = lod_256(&o.res, opcode, geom, a) else {
        return sample(&o.res, s, opcode, geom, a);
    };
    if s.mip.max_aniso > 1 && opcode & op::GRAD != 0 && opcode & (op::INT_COORDS | op::CLASS) == op::TEX {
        if let Some(out) = sample_aniso(o, s, geom, a) {
            return out;
        }
    }
    let last = o.levels.len() as i64;
    let fx = |v: f32| ((v as f64) * 256.0).floor() as i64;
    let lod = (lod + fx(s.mip.bias)).clamp(fx(s.mip.min_clamp), fx(s.mip.max_clamp).max(fx(s.mip.min_clamp))).clamp(0, last * 256);
    let level = |l: i64| if l == 0 { &o.res } else { &o.levels[l as usize - 1] };
    if !s.mip.linear {
        // 3D: the level's weights come from the trilinear tree of splits ([`tree_groups`]) as
        // with linear mipmap filtering, not from rounded products (measured on the H100, amg's
        // probe: 3D impulse kernels 1863 -> 2172 of 2172 samples, 8-bit content 235 -> 512 of 512)
        let k = kind(&o.res, s);
        if geom == op::G3D && opcode & (op::INT_COORDS | op::CLASS) == op::TEX && k != Kind::Int {
            let r = level((lod + 128) >> 8);
            let mut out = [0u32; 4];
            let mut all = true;
            for (c, slot) in out.iter_mut().enumerate() {
                match tree_groups(r, s, k, geom, a, c, 256) {
                    Some(g) => *slot = finish_groups(k, &g),
                    None => { all = false; break; }
                }
            }
            if all {
                return mask_channels(&o.res, out);
            }
        }
        return sample(level((lod + 128) >> 8), s, opcode, geom, a);
    }
    let (l0, f) = (lod >> 8, (lod & 255) as u32);
    // 3D textures with maxAnisotropy > 1: isotropic probes at the isotropic level of detail, but
    // the linear mipmap blend narrowed as anisotropic filtering narrows it ([`aniso_blend`];
    // measured, helper amg's probe: constant-level 3D textures 46 -> 511 of 512 per
    // maxAnisotropy, the one left misses with maxAnisotropy 1 too; 3D impulse kernels with
    // maxAnisotropy 16 and linear mipmap filtering exact; 8-bit content 142 -> 510 of 512, the
    // 2 left have gradients off the axes)
    let (l0, f) = if s.mip.max_aniso > 1 && geom == op::G3D && opcode & op::GRAD != 0 {
        let t = aniso_blend(f as i64, s.mip.max_aniso);
        if t == 256 && l0 < last {
            (l0 + 1, 0)
        } else {
            (l0, t.min(255) as u32)
        }
    } else {
        (l0, f)
    };
    let k = kind(&o.res, s);
    // linear mipmap filtering: the weights of both levels come from one rounding tree
    // ([`tree_groups`]), also at integral levels of detail (measured, textures_grad.cu)
    if k != Kind::Int && opcode & (op::INT_COORDS | op::CLASS) == op::TEX {
        let mut out = [0u32; 4];
        let mut all = true;
        for (c, slot) in out.iter_mut().enumerate() {
            let g0 = tree_groups(level(l0), s, k, geom, a, c, 256 - f);
            let g1 = if f == 0 || l0 == last { Some(vec![]) } else { tree_groups(level(l0 + 1), s, k, geom, a, c, f) };
            match (g0, g1) {
                (Some(mut g0), Some(g1)) => {
                    if l0 == last {
                        // past the last level the whole weight stays on it
                        g0 = tree_groups(level(l0), s, k, geom, a, c, 256).unwrap_or_default();
                    }
                    g0.extend(g1);
                    *slot = finish_groups(k, &g0);
                }
                _ => {
                    all = false;
                    break;
                }
            }
        }
        if all {
            return mask_channels(&o.res, out);
        }
    }
    let v0 = sample(level(l0), s, opcode, geom, a);
    if f == 0 || l0 == last || k == Kind::Int {
        return v0;
    }
    let v1 = sample(level(l0 + 1), s, opcode, geom, a);
    let mut out = [0u32; 4];
    for c in 0..4 {
        let terms = [(Value::Float(f32::from_bits(v0[c])), 256 - f), (Value::Float(f32::from_bits(v1[c])), f)];
        out[c] = float_sum(&terms, 27, false, true);
    }
    mask_channels(&o.res, out)
}

// ---------------------------------------------------------------- anisotropic filtering

/// log2 of a maxAnisotropy value ([`aniso_limit`]) in 1/256, as the texture unit has it: on a
/// 1/16 grid, truncated (6: 2 + 9/16, 10: 3 + 5/16, 12: 3 + 9/16; measured on the H100: the
/// level of detail log2 major − this, 1D and 2D sweeps of 1/256 octave steps, and the probe
/// weights 1/n of n = 2^this: 6 gives 173/1024, not 171).
fn aniso_log2(an: u32) -> i64 {
    log2_256(an as f64) & !15
}

/// 1/n in 1/`whole` for n = 2^(r / 256) as the texture unit has it, the probe weight of
/// [`aniso_probes`]: r on the level of detail's log grid is the ratio ([`sample_aniso`]),
/// maxAnisotropy ([`aniso_log2`]) or, for a level whose texel exceeds the spacing (the upper level
/// of a linear-mipmap blend, level 0 of a magnified footprint), either less the level's distance
/// to the spacing (r + t − 256 on the upper level; the dense content samples with linear mipmap
/// filtering gain 3–44 of 1024 per label over 1/n rounded to nearest; magnified footprints, whose
/// n × spacing is the major axis, take log2 major: measured, helper blend, over the older fits
/// 1/n rounded to nearest in 2D — c.u8.1.an16 1012 -> 1024 of 1024, the rotated impulse kernels
/// of 3 × 1 at 30° and 60° and 8 × 1 at 10° all exact — and 1/n + 0.375 truncated in 1D:
/// c.f32_1d.* 7–50 of 1024 more per label, none fewer). 1/n is 2^-int(r) times 2^-frac(r) from
/// a table of 8 bits (2^-f/256 × 256 rounded to nearest, 129 … 256), the product truncated to the
/// unit (measured on the H100, every impulse kernel of the dense sweeps: r = 257 … 1001 and
/// maxAnisotropy 6, 10, 12 give 255, 227, 204, 186, 171, 170, 157, 146, 136 in 1/512 and 255,
/// 227, 205, 204, 186, 171, 170, 146, 146, 127, 114, 113, 102, 102, 93, 93, 85, 85, 79, 78, 73,
/// 73, 68, 173, 103, 86 in 1/1024; 1/9.012 is 113 and 1/13.02 is 78, not 114 and 79: 2^-44/256
/// reads as 227/256, halved to 113.5).
fn aniso_recip(r: i64, whole: u32) -> u32 {
    let (int, f) = (r.max(0) >> 8, r.max(0) & 255);
    let m = (256.0 * (-(f as f64) / 256.0).exp2()).round() as u64;
    ((whole as u64 * m) >> (8 + int).min(63)) as u32
}

/// The probes of an anisotropic footprint whose major axis is `n` (2 < n ≤ maxAnisotropy)
/// times the probe spacing: (offset along the major axis in spacings, weight in 1/1024).
/// Measured on the H100 with impulse textures (tests/programs/textures_aniso.cu): pairs of
/// probes one spacing apart at ±1/2, ±3/2, …, each pair weighing 1/n (in the unit of
/// [`aniso_unit`]; 1/n = 2^(-r/256) as [`aniso_recip`] has it) until what is left of
/// the whole, the last pair that rest (maxAnisotropy 12: five pairs of 86/1024 and one of
/// 82/1024).
fn aniso_probes(r: i64) -> Vec<(f64, u32)> {
    let unit = aniso_unit(r);
    let wi = unit * aniso_recip(r, 1024 / unit);
    let mut v = Vec::with_capacity(16);
    let mut left = 512u32;
    let mut j = 0.5;
    while left > 0 && wi > 0 {
        let w = wi.min(left);
        v.push((-j, w));
        v.push((j, w));
        left -= w;
        j += 1.0;
    }
    v
}

/// The unit of the probe weights in 1/1024 for a footprint of n = 2^(r/256) probes: 1/512 while
/// 1/n from the table of [`aniso_recip`] exceeds 1/4, else 1/1024 (measured: below n = 4
/// and above, and at r = 511, n = 3.995, whose table entry is 1/4 — helpers rotc and f1d, the
/// dense impulse kernels and 1D content samples).
fn aniso_unit(r: i64) -> u32 {
    if aniso_recip(r, 1024) > 256 {
        2
    } else {
        1
    }
}

/// The linear-mipmap blend with anisotropic filtering on: the level weight `t` (1/256) is
/// narrowed around the midpoint, by 1.5 (maxAnisotropy 2), 1.75 (4, 6) or 2 (8 and more)
/// (measured on the H100: "brilinear" filtering; 6, 10 and 12 in an6's level-of-detail sweeps).
fn aniso_blend(t: i64, an: u32) -> i64 {
    let v = match an {
        2 => (3 * (t - 128)).div_euclid(2) + 129,
        4 | 6 => (7 * (t - 128) + 2).div_euclid(4) + 129,
        _ => 2 * (t - 128) + 128,
    };
    v.clamp(0, 256)
}

/// The probe spacing on the lower level of a linear mipmap blend whose upper level weighs `t`
/// (1/256, after [`aniso_blend`]), in the lower level's texels: 1 + F/256 with F = (2^(t/256)
/// − 1) × 256 + 1 truncated to a multiple of 4, i.e. 2^(t/256) plus 1/256, truncated to 1/64
/// (measured on the H100, textures_aniso.cu: every axis-aligned impulse kernel with linear
/// mipmap filtering at a fractional level of detail — 2.5 … 18 × 1.25 … 3, maxAnisotropy 2, 4,
/// 16 — fits only so (t = 36 → 24, 50 → 36, 61 → 44, 162 → 140, 168 → 148, 172 → 152); and
/// among the 1105 axis-aligned 8-bit content samples blending two levels with n =
/// maxAnisotropy, 920 are fitted by some lower spacing, each by this one, with t from 1 to
/// 254 and maxAnisotropy 2 … 16 alike — a function of t alone. 2^(t/256) itself, the old
/// model, is up to 5/256 too long). The upper level's probes keep 2^(l0 + t/256) for their
/// count (n × that / its texel; this spacing there loses 278 of the 8-bit content samples).
fn aniso_lower_spacing(t: u32) -> f64 {
    let e = ((t as f64 / 256.0).exp2() - 1.0) * 256.0;
    1.0 + ((e + 1.0) / 4.0).floor() / 64.0
}

/// Anisotropic filtering (maxAnisotropy > 1, tex.grad on 1D, 2D and cubemap geometries, a
/// cubemap on its face with [`cube_face_grad`]): probes along the footprint's major axis
/// ([`aniso_probes`]), each a bilinear (point: nearest level) or trilinear sample, summed exactly
/// and rounded once. None where it does not apply.
fn sample_aniso(o: &Object, s: &Sampler, geom: u32, a: &[u32; ARGS]) -> Option<[u32; 4]> {
    let r0 = &o.res;
    let layer = |v: u32| v.min(r0.layers.max(1) - 1);
    let f = |i: usize| f32::from_bits(a[i]);
    let (dims, xy, z) = match geom {
        op::G1D => (1, [f(0), 0.0], 0),
        op::GA1D => (1, [f(1), 0.0], layer(a[0])),
        op::G2D => (2, [f(0), f(1)], 0),
        op::GA2D => (2, [f(1), f(2)], layer(a[0])),
        op::GCUBE | op::GACUBE => {
            let (x, y, zc, base) = if geom == op::GCUBE { (f(0), f(1), f(2), 0) } else { (f(1), f(2), f(3), layer(a[0].saturating_mul(6)) / 6 * 6) };
            let (face, sc, tc) = cube_face(x, y, zc);
            (2, [sc, tc], (base + face).min(r0.layers.max(1) - 1))
        }
        _ => return None,
    };
    let k = kind(r0, s);
    if k == Kind::Int || r0.shape == Shape::Linear {
        return None;
    }
    // cubemaps (measured on the H100, helper amg's probe, see the module doc): the face's image
    // filtered as a 2D texture, with the gradients as moves on the face ([`cube_face_grad`])
    let cube = geom == op::GCUBE || geom == op::GACUBE;
    let cube_sampler;
    let s = if cube {
        cube_sampler = Sampler { normalized: true, ..s.clone() };
        &cube_sampler
    } else {
        s
    };
    let size = [r0.width as f64, r0.height as f64];
    // (the gradient in texels, whether a cubemap's p + gradient lies on another face)
    let grad = |slot: usize| -> ([f64; 2], bool) {
        if cube {
            let at = |slot: usize| -> [f64; 3] { std::array::from_fn(|k| f32::from_bits(a[slot + k]) as f64) };
            let p = at(if geom == op::GCUBE { 0 } else { 1 });
            let (g, crossed) = cube_face_grad(p, at(slot), size[0] / 2.0);
            return ([g[0], g[1]], crossed);
        }
        let g = |d: usize| if d < dims { f32::from_bits(a[slot + d]) as f64 * size[d] } else { 0.0 };
        (std::array::from_fn(g), false)
    };
    let ((gx, cx), (gy, cy)) = (grad(op::DPDX_SLOT), grad(op::DPDY_SLOT));
    if gx.iter().chain(gy.iter()).any(|v| !v.is_finite()) {
        return None;
    }
    // a cubemap footprint whose p + dPdx or p + dPdy lies on another face takes one probe, n = 1:
    // the isotropic level of detail (without the diagonals, as [`lod_256`] has it there), its
    // linear mipmap blend still narrowed ([`aniso_blend`]) — measured on the H100, helper cube's
    // probe (tests/programs/probes/cubeprobe.cu: every texel's weight, 16² float cubemap,
    // footprints of 1.4 … 45 × 0.7 … 2.8 texels near the edges, along, across and off the face's
    // axes): maxAnisotropy 16 with point mipmap filtering 349 -> 496 of 500 samples, linear 151 ->
    // 471, maxAnisotropy 4 linear 149 -> 472, the misses left footprints off the axes or blends of
    // two levels, where the 2D rules are not exact either; which end of the footprint leaves the
    // face matters: p − dPdx/2 on another face with p + dPdx on p's face samples anisotropically,
    // its probes past the edge clamped to the face (clamp address mode, as [`cube_clamp`]). Helper
    // amg's 8-bit content cubemaps: cc_an16_pt 324 -> 452 of 512, cc_an16_lin 182 -> 419 (the old
    // rule sampled p ± dPdx/2 or p ± dPdy/2 off the face isotropically); constant-level cubemaps
    // lc_an2/4/16 461 -> 512 of 512 each
    let single = cx || cy;
    // the major axis: the longest of dPdx, dPdy, (dPdx ± dPdy) × 11/16 as [`lod_256`] measures
    // them (measured: a 1D footprint of 2 and 1 texels is 2 × 1.03 long); the minor axis: the
    // footprint's area ([`footprint_area`]) over the major axis; 1D footprints have none, they
    // always take maxAnisotropy probes (measured)
    // The vector probes follow is the first of dPdx, dPdy, dPdx + dPdy, dPdx − dPdy whose
    // length, as [`footprint_len`] measures it and truncated to 10 significant bits, is the
    // largest: ties go to the earlier one (found by helper rotc on rotprobe.cu's kink sweeps of
    // footprints near 1:1, where the exact lengths pick the other vector; measured again on
    // 2026-11-27: rotprobe.cu 466 947 -> 466 964 of 516 480 samples, the dense data +2, one
    // sample of 286 419 lost)
    let g3 = |g: [f64; 2]| [g[0], g[1], 0.0];
    let lens = footprint_lens(&g3(gx), &g3(gy));
    let sum = [gx[0] + gy[0], gx[1] + gy[1]];
    let diff = [gx[0] - gy[0], gx[1] - gy[1]];
    let mut major = gx;
    let mut big = lod_trunc(lens[0]);
    for (v, l) in [gy, sum, diff].into_iter().zip(lens[1..].iter().map(|&l| lod_trunc(l))) {
        if l > big {
            (major, big) = (v, l);
        }
    }
    // a 1D footprint whose diagonal is longest probes along the longer of dPdx and dPdy on
    // the 10-bit grid, dPdy on a tie, not along dPdx ± dPdy (measured, helper f1d: the sign
    // decides which probe the cumulative split rounds first; c.f32_1d.* 8112 -> 8179 of 8192,
    // no label worse)
    if dims == 1 && major != gx && major != gy {
        major = if lod_trunc(gy[0].abs()) >= lod_trunc(gx[0].abs()) { gy } else { gx };
    }
    if big == 0.0 {
        return None;
    }
    let an = s.mip.max_aniso;
    // maxAnisotropy as the footprint arithmetic has it: log2 on a 1/16 grid ([`aniso_log2`])
    let lan = aniso_log2(an);
    let lbig = if single { lens[0].max(lens[1]) } else { lens.into_iter().fold(0.0, f64::max) };
    let area = if dims == 1 { 0.0 } else { footprint_area(gx, gy) };
    let has_area = area > 0.0 && lbig > 0.0;
    // the anisotropy in the log domain, R = 2 log2 major − log2 area in 1/256, each log2 through
    // [`LOG2_TABLE`], at least 0 (a square footprint's area can come out above major², measured:
    // its level of detail is the major axis's); the probe count n = min(2^(R/256),
    // maxAnisotropy) on that log grid, `rn` (1D footprints: maxAnisotropy; measured: the
    // impulse kernels of 2.5, 5, 3.75 × 1.25, 7.5 × 1.25 become exact, the reciprocal as
    // [`aniso_recip`] has it)
    let rn = if single {
        0
    } else if has_area {
        (2 * log2_256(lbig) - log2_256(area)).max(0).min(lan)
    } else {
        lan
    };
    let n = (rn as f64 / 256.0).exp2();
    // the level of detail: log2 major − min(R, log2 maxAnisotropy), i.e. the minor axis's
    // log2 area − log2 major within [log2 major − log2 maxAnisotropy, log2 major] (measured bit
    // for bit: the dense lod_axis/lod_rot sweeps of textures_aniso.cu, maxAnisotropy 2 … 16, all
    // 61 504; 1 048 576 axis-aligned grids of exact 10-bit gradients and 196 608 random pairs of
    // tests/programs/probes/lodprobe.cu; an6's sweeps of maxAnisotropy 6, 10, 12)
    let lam = log2_256(lbig) - rn;
    let last = o.levels.len() as i64;
    let fx = |v: f32| ((v as f64) * 256.0).floor() as i64;
    let raw = (lam + fx(s.mip.bias)).clamp(fx(s.mip.min_clamp), fx(s.mip.max_clamp).max(fx(s.mip.min_clamp)));
    let lod = raw.clamp(0, last * 256);
    // (level, weight in 1/256) and the probe spacing in level-0 texels
    let (levels, spacing): (Vec<(i64, u32)>, f64) = if !s.mip.linear {
        let l = ((lod + 128) >> 8).min(last);
        (vec![(l, 256)], (l as f64).exp2())
    } else {
        let (l0, t) = (lod >> 8, aniso_blend(lod & 255, an));
        if l0 >= last || t == 0 {
            (vec![(l0.min(last), 256)], (l0.min(last) as f64).exp2())
        } else if t == 256 {
            (vec![(l0 + 1, 256)], ((l0 + 1) as f64).exp2())
        } else {
            (vec![(l0, 256 - t as u32), (l0 + 1, t as u32)], (l0 as f64 + t as f64 / 256.0).exp2())
        }
    };
    // rotated footprints (measured, aro's probe sweeps of 2-probe footprints at every half degree,
    // .dev-aro/probe1.cu): the probes lie along the major axis vector kept to 4 significant bits
    // ([`aniso_direction`]), not along the vector itself
    let rotated = major[0] != 0.0 && major[1] != 0.0;
    let qmajor = if rotated { aniso_direction(major) } else { major };
    let norm = (qmajor[0] * qmajor[0] + qmajor[1] * qmajor[1]).sqrt();
    let dir = [qmajor[0] / norm, qmajor[1] / norm];
    // the unit direction off the axes as the probe positions use it: each component rounded to
    // the nearest 1/64 (measured, see below)
    let dir64 = dir.map(|v| ((v * 64.0).abs() + 0.5).floor().copysign(v) / 64.0);
    let on_axis = dir[0] == 0.0 || dir[1] == 0.0;
    // magnified (level of detail below 0, before the clamps): the probes would lie closer than
    // a texel; level 0 spreads them 2^(level of detail) apart, the level of detail's own texel
    // below level 0 (measured on the H100 with impulse kernels of minor axes 0.25 … 0.875 and
    // majors 0.5 … 16, maxAnisotropy 4, 8, 16, point and linear mipmap filtering: all 78854
    // samples exact, where major/n — the older fit, the same up to the log table's rounding —
    // misses the majors 2.5 and 5; the 8-bit content samples with a magnified footprint along
    // an axis: 1072 -> 1210 of 1232, with float and half texels 3234 -> 3608 of 3709). Off the
    // axes and in 1D likewise, 1/n then from the table at R + level of detail (measured,
    // helpers mag and f1d, 2026-11-26, and again here: with the table's pair rule below the
    // dense data 285 185 -> 286 040 of 286 419, no label worse — the magnified rotated impulse
    // kernels 1.5 × 1 and 3 × 1 at 10° exact, c.f32_1d.* 8014 -> 8105 of 8192 — and
    // rotprobe.cu's random footprints 121 453 -> 122 734 of 122 880; major/n, the older fit
    // there, missed them)
    let mag = lam + fx(s.mip.bias);
    let magnified = mag < 0 && lod == 0;
    let spacing = if magnified { (mag as f64 / 256.0).exp2() } else { spacing };
    // the lower level of a linear mipmap blend: n probes, the spacing [`aniso_lower_spacing`]
    // (measured along the axes). Off the axes likewise (measured, helper rotlow, on helper rot's
    // V-texture probe tests/programs/probes/rotprobe.cu, H100 data, which reads the two levels
    // of a blend apart: the lower level's channels 251 954 -> 303 560 of the 350 970 samples
    // blending two levels; whole samples: kink sweeps 302 746 -> 346 747 of 393 600 (every
    // maxAnisotropy better: 2 70 592 -> 84 397, 4 72 028 -> 86 354, 8 80 036 -> 88 009, 16
    // 80 090 -> 87 987), random footprints 91 657 -> 92 759 of 122 880; the dense data +656, no
    // label worse: the 45° 6 × 1.25 kernel k163 7350 -> 7921 of 7921, the rotated content
    // c.*.2 +1 … +14 per label). The probe count stays n, and 1/n its weight, as along the axes:
    // n × 2^(t/256) / that spacing, the upper level's rule, matches 8 of 12 dense rotated
    // labels fewer (c.u8.2.an4 644 -> 609) and the random footprints 92 759 -> 91 930.
    let lower = match levels[..] {
        [(l0, _), (_, t)] => Some((l0, (l0 as f64).exp2() * aniso_lower_spacing(t))),
        _ => None,
    };
    // the probes of a level: the footprint covers n × spacing level-0 texels; a level whose
    // texels are larger than the spacing takes them as its spacing and fewer probes
    // (measured with linear mipmap filtering: the upper level's pair lies closer). The pair of
    // a footprint up to 2 spacings long lies at ±(1 − 1/n) spacings, rounded up to 1/128 per
    // component (so along a negative direction toward the centre; measured); on the lower
    // level of a blend along an axis likewise, in 1/128 of that level's texel, times the
    // spacing rounded down (see below); with n > 2 the lower level's offsets are rounded to
    // nearest 1/256 texel (measured: the impulse kernels 1.875 × 1.25, 2.25 × 1.5 and 4.5 × 3
    // fit only so; they are multiples of 1/128 anyway).
    // Returns the probes (offsets in spacings, weights in 1/1024), the spacing, the weights'
    // unit and whether the offsets round to nearest (else they are truncated).
    let probes_at = |l: i64| -> (Vec<([f64; 2], u32)>, f64, u32, bool) {
        let (sp, nl, at_lower) = match lower {
            Some((l0, sp)) if l0 == l => {
                if n <= 2.0 && on_axis {
                    // the pair in the level's own texels, on its 1/128 grid, per component of the
                    // direction (±1 or 0 along an axis): 1/n from the 8-bit table of
                    // [`aniso_recip`] (m/256), (1 − 1/n) × the component rounded up to 1/128
                    // (as the upper level's pair, so along a negative direction toward the
                    // centre), times the spacing (L/64, [`aniso_lower_spacing`]) rounded down to
                    // 1/128 (so along a negative direction away from the centre). Measured:
                    // helper blend's impulse sweeps (.dev-blend/probe.cu with BPROBE=2, the
                    // H100's output h2.txt.gz) read all 110 pair offsets of 2-probe
                    // footprints 1.3 … 4 × 1.24 … 2.5 texels along +x (rn = 15 … 241, t = 2 …
                    // 254, lower level 0 and 1) as this, where 1 − 2^(-rn/256) unrounded, the
                    // older fit, reads 75 (1/n truncated to 1/512 instead of the table reads
                    // them as well); the dense 8-bit and float content samples along an axis
                    // blending two levels with n ≤ 2 become exact, c.u8.0.* 85 -> 0 misses of
                    // 834, c.f32.0.* 95 -> 0 of 875 (c.f16.0.* 111 -> 22 of 875); rounding
                    // the magnitudes alike along both signs leaves every negative direction's
                    // misses (the 85 of c.u8.0.*), the other roundings lose more
                    let m = aniso_recip(rn, 256) as i64;
                    let l64 = (sp / (l0 as f64).exp2() * 64.0).round() as i64;
                    let at = |v: f64| {
                        let c128 = ((256 - m) as f64 * v / 2.0).ceil() as i64;
                        (c128 * l64).div_euclid(64) as f64 / 128.0
                    };
                    let o = [at(dir[0]), at(dir[1])];
                    return (vec![([-o[0], -o[1]], 512), (o, 512)], (l0 as f64).exp2(), 2, true);
                }
                (sp, n, true)
            }
            _ => {
                let sp = spacing.max((l as f64).exp2());
                (sp, n * spacing / sp, false)
            }
        };
        // the upper level of a blend: n less the level's distance to the spacing, in the log
        // domain (spacing = 2^(l0 + t/256): r + t − 256); magnified footprints likewise (their
        // spacing is below a texel of level 0)
        let recip = if sp == spacing || at_lower {
            rn
        } else {
            rn - (256.0 * (sp / spacing).log2()).round() as i64
        };
        let p: Vec<([f64; 2], u32)> = if nl <= 2.0 {
            // along an axis 1/n kept to 1/256, rounded to nearest (measured: 1.375 fits only
            // so), the pair rounded up to 1/128; off the axes (both components of the direction
            // non-zero) 1/n from the 8-bit table of [`aniso_recip`] (m/256) and (1 − m/256) ×
            // the direction rounded to 1/64 (dir64) rounded once to 1/128, halves up (toward +∞,
            // so along a negative component toward the centre). Measured, helpers mag and rotc:
            // rotprobe.cu's kink sweeps and random footprints on the H100, and the dense rotated
            // content samples (numbers in the module doc); the older fit, 1 − 1/n unrounded and
            // halves away from zero, made the 45° kernel of 2 × 1 exact too but missed most
            // 2-probe kink sweeps of nearly square footprints
            let o = if !on_axis || magnified {
                let c = 1.0 - aniso_recip(recip, 256) as f64 / 256.0;
                let r = |v: f64| (128.0 * c * v + 0.5).floor() / 128.0;
                [r(dir64[0]), r(dir64[1])]
            } else {
                let c = 1.0 - (256.0 / nl.max(1.0) + 0.5).floor() / 256.0;
                [(128.0 * c * dir[0]).ceil() / 128.0, (128.0 * c * dir[1]).ceil() / 128.0]
            };
            vec![([-o[0], -o[1]], 512), (o, 512)]
        } else {
            // off the axes one spacing along the direction is kept to 1/64 per component
            // (rounded to nearest), the probes lie at odd multiples of half of it (measured: the
            // V-texture sweeps of 3, 4 and 8 × 1 footprints at 10°, 20°, 30° give 63/64, 60/64,
            // 54/64 of a texel along x, 6 × 1 at 1.5° 64/64 and 3/64 for the direction
            // (0.99906, 0.04344), which truncation gets wrong; V-texture samples of 2.25 … 8 × 1
            // 18–40% -> 73–93% exact; the 30° and 60° impulse kernels of 8 × 1 become exact)
            let step = if on_axis { dir } else { dir64 };
            aniso_probes(recip).into_iter().map(|(t, w)| ([t * step[0], t * step[1]], w)).collect()
        };
        (p, sp, if nl <= 2.0 { 2 } else { aniso_unit(recip) }, lower.is_some_and(|(l0, _)| l0 == l))
    };
    let level = |l: i64| if l == 0 { r0 } else { &o.levels[l as usize - 1] };
    let mut out = [0u32; 4];
    for (c, slot) in out.iter_mut().enumerate() {
        // weights in 1/1024; float texels are aligned per probe (measured)
        let mut groups: Vec<Vec<(Value, i64)>> = Vec::new();
        // a NaN texel a probe reads though its weight rounds to 0 (see below)
        let mut zero_weight_nan = false;
        for &(l, g) in &levels {
            let r = level(l);
            let scale = [r.width as f64 / size[0], r.height as f64 / size[1]];
            let base = [texel_coord(xy[0], r.width, s.normalized), texel_coord(xy[1], r.height, s.normalized)];
            let (probes, spacing, unit, nearest) = probes_at(l);
            let whole = 1024 / unit;
            let gw = (g * whole / 256) as i64;
            // a level's weight split by probe, cumulatively along the footprint: from the probe
            // farthest back along the major axis to the one farthest ahead, the running sum of
            // the probes' weights times the level's weight is rounded half up and each probe takes
            // what it adds, so the level's weight is split exactly and constant textures read
            // l + t/256 (measured, helper blend's impulse sweeps of 8 … 20 × 1.25 … 2.8 texels with
            // maxAnisotropy 8 and 16, .dev-blend/probe.cu: 16 probes of 872/1024 × 1/16 read 55,
            // 54, 55, … from the back, the upper level of a 10 × 1.25 footprint, 152/1024 over
            // 50, 231, 231, 231, 231, 50, reads 7, 35, 34, 34, 35, 7; dense content samples
            // blending two levels: 8-bit ones with maxAnisotropy 8 and 16 822/789 -> 990/990 of
            // 1024. Rounding each share and giving the first probe the rest, the older fit, reads
            // 36, 34, 34, 34, 7, 7 there). The probes come as pairs (-j, +j), j ascending: the
            // order is the pairs' back probes from the last pair in, then their front probes.
            let back = (0..probes.len()).step_by(2).rev();
            let order: Vec<usize> = back.chain((1..probes.len()).step_by(2)).collect();
            let mut wps = vec![0i64; probes.len()];
            let (mut acc, mut prev) = (0i64, 0i64);
            for &k in &order {
                acc += probes[k].1 as i64;
                let c = (gw * acc + 512) >> 10;
                wps[k] = c - prev;
                prev = c;
            }
            // (the probes in that order: float texels are summed in it, see [`probe_sum`])
            for &pi in &order {
                let off = probes[pi].0;
                // offsets in level-0 texels, truncated to 1/256 along an axis (axis-aligned
                // linear mipmap kernels with a fractional spacing lose at 1/128; the lower level
                // of a blend along an axis rounds to nearest, see `probes_at`). Off the axes on a
                // grid of 1/128 of the level's own texel, truncated: the pair of a 2-probe
                // footprint (already on the 1/128 grid in spacings) times the spacing, more
                // probes at odd multiples of half a spacing along the direction, that half-step
                // so truncated. This matters only where the spacing is not a whole texel of the
                // level, the lower level of a linear mipmap blend (measured: the impulse kernel
                // 3 × 1.5 at 30° 4069 -> 4225 of 4225 — its half-step (80, 50)/128, the outer
                // pair at 3 × that, found by a search — and 6 × 1.25 at 45° 7268 -> 7350 of
                // 7921; the rotated content samples c.*.2 7172 -> 7837 of 12288, +20 … +105 per
                // label; the V-texture probe tests/programs/probes/rotprobe.cu, which reads
                // the two levels of a blend apart: random rotated footprints 81 458 -> 88 161 of
                // 122 880, kink sweeps 199 962 -> 278 583 of 393 600. The older fits —
                // truncating in level-0 texels, probes beyond two not rounded — and rounding
                // to nearest in the level's texels match fewer. The lower level's spacing off the
                // axes was 2^(blended LOD) then; [`aniso_lower_spacing`], see `lower`, is better
                // still). Truncated toward −∞, not toward zero: the offset along the direction (the
                // pair's probe ahead, the half-step), the other probes its odd multiples (measured,
                // helper rotlow, rotprobe.cu's H100 data: the lower level's channels of random
                // footprints were exact in 99% of the samples whose direction has both components
                // positive and in 21–53% of the others, where truncating toward zero and toward
                // −∞ differ; random footprints 92 759 -> 117 163 of 122 880, kink sweeps (all in
                // the first quadrant) unchanged; the dense rotated content c.*.2 8390 -> 11 431 of
                // 12 288, +127 … +320 per label, no label worse)
                let level_grid = |v: f64, k: usize| (v * scale[k] * 128.0).floor() / (128.0 * scale[k]);
                let d = if !on_axis && probes.len() > 2 {
                    let k = if dir64[0].abs() >= dir64[1].abs() { 0 } else { 1 };
                    let odd = 2.0 * off[k] / dir64[k];
                    let half = |k: usize| odd * level_grid(0.5 * spacing * dir64[k], k);
                    [half(0), half(1)]
                } else if !on_axis {
                    // the probe ahead (probes come as the pair (−o, +o)) on the grid, the one
                    // behind its mirror image
                    let (ahead, sign) = (probes[1].0, if pi == 0 { -1.0 } else { 1.0 });
                    [sign * level_grid(ahead[0] * spacing, 0), sign * level_grid(ahead[1] * spacing, 1)]
                } else if nearest {
                    [(off[0] * spacing * 256.0).round() / 256.0, (off[1] * spacing * 256.0).round() / 256.0]
                } else {
                    [(off[0] * spacing * 256.0).trunc() / 256.0, (off[1] * spacing * 256.0).trunc() / 256.0]
                };
                // the clamp address mode clamps every probe to the edge texels' centres (a
                // cubemap's probes past the face's edge too, as [`cube_clamp`]; measured,
                // helper rotc: rotprobe.cu's samples at the top levels, 2 × 2 and 1 × 1 texels,
                // 463 998 -> 466 947 of 516 480, the dense data, which wraps, unchanged)
                let at = |k: usize, n: u32| {
                    let u = base[k] + d[k] * scale[k];
                    if s.address[k] == AddressMode::Clamp { u.clamp(0.5, n as f64 - 0.5) } else { u }
                };
                let (x0, x1, wa) = axis_pair_at(at(0, r.width), r.width, s, s.address[0]);
                let (y0, y1, wb) = if dims == 2 {
                    axis_pair_at(at(1, r.height), r.height, s, s.address[1])
                } else {
                    (Some(0), Some(0), 0)
                };
                // the whole in the probe weights' unit, split by level, then by probe (rounded),
                // then like the trilinear tree by x (upper texel rounded) and each column by y
                let wp = wps[pi];
                if cube && s.seamless && s.linear {
                    // a seamless cubemap's probes read across the edges ([`cube_seamless`])
                    let u = [base[0] + d[0] * scale[0], base[1] + d[1] * scale[1]];
                    let terms = cube_seamless_at(r, s, k, u, z, c, wp);
                    let terms = terms.into_iter().filter(|t| t.1 != 0).map(|(v, t)| (v, t * unit as i64));
                    groups.push(terms.collect());
                    continue;
                }
                let (lo, hi) = split_signed(wp, wa, true);
                let (w00, w01) = split_signed(lo, wb, false);
                let (w10, w11) = split_signed(hi, wb, true);
                // a probe of non-zero weight reads the texels of non-zero axis weights (the upper
                // texel of an axis whose fraction is 0 is not read); a NaN among them makes the
                // result NaN also where its share of the weight rounds to 0 (measured, the dense
                // half content of textures_aniso.cu, random bit patterns: of the samples whose only
                // NaN texels have weight 0, the H100 reads NaN in 386 of 393 where the rounded
                // split made it 0, in 2 of 48 where the axis fraction was 0, in none of 11 where
                // the probe's weight was 0; the exceptions are rotated footprints, whose probes are
                // not fitted). Infinite texels of weight 0 change nothing measured.
                let mut terms = Vec::with_capacity(4);
                let texels = [
                    (x0, y0, w00, false, false),
                    (x1, y0, w10, true, false),
                    (x0, y1, w01, false, true),
                    (x1, y1, w11, true, true),
                ];
                for (xi, yi, t, upper_x, upper_y) in texels {
                    if t != 0 {
                        terms.push((channel(r, s, k, xi, yi, z, c), t * unit as i64));
                    } else if wp != 0 && !(upper_x && wa == 0) && !(upper_y && wb == 0) {
                        let v = channel(r, s, k, xi, yi, z, c);
                        zero_weight_nan |= matches!(v, Value::Float(f) if f.is_nan());
                    }
                }
                groups.push(terms);
            }
        }
        *slot = match k {
            Kind::F32 | Kind::F16 => probe_sum(&groups, k == Kind::F16, 10),
            _ => finish_groups_w(k, &groups, 10),
        };
        if zero_weight_nan {
            // as [`float_sum_w`] has a NaN
            *slot = if k == Kind::F16 { 0x7fff_e000 } else { 0x7fff_ffff };
        }
    }
    Some(mask_channels(r0, out))
}

/// The probe direction of a rotated footprint: the major axis vector with each component kept
/// to 4 significant bits of the largest one, at the middle of its interval of 1/8 of that one's
/// power of two ((⌊|v| / g⌋ + 1/2) g, g = 2^(⌊log2 max⌋ − 3)); a component below g/4 is 0.
/// Measured (aro, V textures, 2-probe footprints of 1.0625 … 2 × 1 at every half degree and the
/// 8-probe one of 8 × 1): the probes' direction moves in steps, the minor component changing where
/// the vector's minor component crosses a multiple of g (8 × 1: sin θ = k/16, at 3.58°, 7.18°,
/// 10.8°, 14.5°, 18.2°; 1.5 × 1: sin θ = k/12, at 4.8°, 9.6°, 14.5°, 19.5°, 24.6°, 30°); the
/// minor offset is constant between the steps, and the offsets are the same with dPdx and dPdy
/// swapped.
fn aniso_direction(v: [f64; 2]) -> [f64; 2] {
    let m = v[0].abs().max(v[1].abs());
    let e = ((m.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let g = 2f64.powi(e - 3);
    v.map(|c| {
        let a = c.abs();
        if a < g / 4.0 {
            0.0
        } else {
            (((a / g).floor() + 0.5) * g).copysign(c)
        }
    })
}

/// One axis for the weight tree: the two texels (index or border) and the upper texel's weight
/// `a` in 1/256 (0 for point filtering). A fraction that rounds up to 256/256 moves to the next
/// texel with weight 0 (measured: it changes how the tree rounds).
fn axis_pair(x: f32, n: u32, s: &Sampler, mode: AddressMode) -> (Option<u32>, Option<u32>, u32) {
    axis_pair_at(texel_coord(x, n, s.normalized), n, s, mode)
}

/// [`axis_pair`] at texel coordinate `u`.
fn axis_pair_at(u: f64, n: u32, s: &Sampler, mode: AddressMode) -> (Option<u32>, Option<u32>, u32) {
    if !s.linear {
        let i = floor_i64(u);
        return (address(i, n, mode, s.normalized), address(i + 1, n, mode, s.normalized), 0);
    }
    let xb = u - 0.5;
    let mut i = floor_i64(xb);
    let mut w = ((xb - xb.floor()) * 256.0 + 0.5).floor() as u32;
    if w >= 256 {
        i += 1;
        w = 0;
    }
    (address(i, n, mode, s.normalized), address(i + 1, n, mode, s.normalized), w)
}

/// `v × w / 256` rounded half up.
fn rh8(v: u32, w: u32) -> u32 {
    (v * w + 128) >> 8
}

/// [`split`] of a weight that may be negative (the first probe of an anisotropic footprint
/// takes what the others leave, [`sample_aniso`]), rounding half up as [`rh8`] does.
fn split_signed(g: i64, a: u32, upper_first: bool) -> (i64, i64) {
    let a = a as i64;
    if upper_first {
        let hi = (g * a + 128) >> 8;
        (g - hi, hi)
    } else {
        let lo = (g * (256 - a) + 128) >> 8;
        (lo, g - lo)
    }
}

/// Splits weight `g` between the lower and upper texel of an axis whose upper weight is `a`
/// (1/256): the upper part rounded (`upper_first`) or the lower part rounded, the other the rest.
fn split(g: u32, a: u32, upper_first: bool) -> (u32, u32) {
    if upper_first {
        let hi = rh8(g, a);
        (g - hi, hi)
    } else {
        let lo = rh8(g, 256 - a);
        (lo, g - lo)
    }
}

/// The texels one level contributes to a linear-mipmap-filtered sample of channel `c`, with
/// weights in 1/256 of the whole sample, the level's weight being `g`; grouped as the hardware
/// aligns float texels (one group per level, per depth slice in 3D). The weights form a tree,
/// each split rounded half up (measured on the H100, tests/programs/textures_grad.cu): 3D first
/// splits `g` by z (lower slice rounded), then each slice by x (upper texel rounded), then each
/// column by y (upper texel rounded in the upper column, lower in the lower). None for
/// geometries other than 1D, 2D, 3D and their layered forms.
fn tree_groups(r: &Resource, s: &Sampler, k: Kind, geom: u32, a: &[u32; ARGS], c: usize, g: u32) -> Option<Vec<Vec<(Value, u32)>>> {
    if r.shape == Shape::Linear {
        return None;
    }
    let f = |i: usize| f32::from_bits(a[i]);
    let layer = |v: u32| v.min(r.layers.max(1) - 1);
    let (x, y, z, dims, fixed) = match geom {
        op::G1D => (f(0), 0.0, 0.0, 1, 0),
        op::GA1D => (f(1), 0.0, 0.0, 1, layer(a[0])),
        op::G2D => (f(0), f(1), 0.0, 2, 0),
        op::GA2D => (f(1), f(2), 0.0, 2, layer(a[0])),
        op::G3D => (f(0), f(1), f(2), 3, 0),
        // cubemaps: the face's image as a 2D texture, normalized coordinates (as [`sample`]);
        // the trilinear tree of 2D textures (measured on the H100, helper amg's probe: the
        // impulse cubemaps with linear mipmap filtering, see the module doc)
        op::GCUBE | op::GACUBE => {
            let (x, y, z, base) = if geom == op::GCUBE { (f(0), f(1), f(2), 0) } else { (f(1), f(2), f(3), layer(a[0].saturating_mul(6)) / 6 * 6) };
            let (face, sc, tc) = cube_face(x, y, z);
            let z = (base + face).min(r.layers.max(1) - 1);
            if s.seamless && s.linear {
                return Some(vec![cube_seamless(r, s, k, sc, tc, z, c, g)]);
            }
            let (sc, tc) = (cube_clamp(sc, r.width, s.address[0]), cube_clamp(tc, r.height, s.address[1]));
            (sc, tc, 0.0, 2, z)
        }
        _ => return None,
    };
    let cube_sampler;
    let s = if geom == op::GCUBE || geom == op::GACUBE {
        cube_sampler = Sampler { normalized: true, ..s.clone() };
        &cube_sampler
    } else {
        s
    };
    let (x0, x1, wa) = axis_pair(x, r.width, s, s.address[0]);
    let (y0, y1, wb) = if dims >= 2 { axis_pair(y, r.height, s, s.address[1]) } else { (Some(0), Some(0), 0) };
    let (z0, z1, wc) = if dims == 3 { axis_pair(z, r.depth, s, s.address[2]) } else { (Some(fixed), Some(fixed), 0) };
    let texel = |xi: Option<u32>, yi: Option<u32>, zi: Option<u32>| match zi {
        Some(z) => channel(r, s, k, xi, yi, z, c),
        None => border_channel(r, s, k, c),
    };
    if dims == 1 {
        let (w0, w1) = split(g, wa, true);
        return Some(vec![vec![(texel(x0, y0, z0), w0), (texel(x1, y0, z0), w1)]]);
    }
    let (gz0, gz1) = if dims == 3 { split(g, wc, false) } else { (g, 0) };
    let mut groups = Vec::with_capacity(2);
    for (zi, gz) in [(z0, gz0), (z1, gz1)] {
        if dims == 2 && gz == 0 {
            continue;
        }
        let (lo, hi) = split(gz, wa, true);
        let (w00, w01) = split(lo, wb, false);
        let (w10, w11) = split(hi, wb, true);
        groups.push(vec![(texel(x0, y0, zi), w00), (texel(x1, y0, zi), w10), (texel(x0, y1, zi), w01), (texel(x1, y1, zi), w11)]);
    }
    Some(groups)
}

/// Groups of (texel, weight in 1/256) summed as the texture unit does: normalized integers
/// exactly (as [`finish`]), floats truncated to the grid of each group's largest exponent
/// (27 bits below it, 14 for halves), the exact sum rounded once.
fn finish_groups(k: Kind, groups: &[Vec<(Value, u32)>]) -> u32 {
    finish_groups_w(k, groups, 8)
}

/// [`finish_groups`] with weights in 1/2^`shift`.
fn finish_groups_w<W: Copy + Into<i128>>(k: Kind, groups: &[Vec<(Value, W)>], shift: u32) -> u32 {
    let all: Vec<(Value, W)> = groups.iter().flatten().copied().collect();
    let (keep, half) = match k {
        Kind::F32 => (27, false),
        Kind::F16 => (14, true),
        _ => {
            // one texel of full weight reads as a point sample
            let nz: Vec<(Value, W)> = all.iter().filter(|(_, w)| (*w).into() != 0).copied().collect();
            return finish_w(k, &all, !(nz.len() == 1 && nz[0].1.into() == 1 << shift), shift);
        }
    };
    let vals: Vec<f32> = all.iter().filter(|(_, w)| (*w).into() != 0).map(|(v, _)| if let Value::Float(f) = v { *f } else { 0.0 }).collect();
    if vals.len() == 1 || vals.iter().any(|f| !f.is_finite()) || groups.len() == 1 {
        return float_sum_w(&all, keep, half, true, shift);
    }
    // each group's truncated texels × weights, as (sum, scale): value = sum × 2^scale
    let parts: Vec<(i128, i32)> =
        groups.iter().filter_map(|gr| group_sum(gr, keep)).map(|(acc, em)| (acc, em - keep - shift as i32)).collect();
    let Some(top) = parts.iter().map(|(_, sc)| *sc).max() else {
        return float_sum_w(&all, keep, half, true, shift);
    };
    // a common unit 60 bits below the largest group's grid; smaller contributions only count
    // as a sticky bit there (far below the final rounding)
    let unit = top - 60;
    let mut acc: i128 = 0;
    for (p, sc) in parts {
        let sh = sc - unit;
        acc += if sh >= 0 {
            p << sh
        } else if sh > -120 {
            let q = p.abs() >> (-sh);
            let sticky = (q << (-sh)) != p.abs();
            let q = q | sticky as i128;
            if p < 0 {
                -q
            } else {
                q
            }
        } else {
            p.signum()
        };
    }
    if acc == 0 {
        return 0;
    }
    round_to_float(acc, unit, half)
}

/// A group's float texels of non-zero weight, each truncated to `keep` bits below the group's
/// largest exponent `em` and times its weight, summed exactly: (sum, em), the value sum ×
/// 2^(em − keep) × the weights' unit. None when every such texel is zero.
fn group_sum<W: Copy + Into<i128>>(group: &[(Value, W)], keep: i32) -> Option<(i128, i32)> {
    let float = |v: &Value| if let Value::Float(f) = v { *f } else { 0.0 };
    let nonzero = || group.iter().filter(|(_, w)| (*w).into() != 0).map(|(v, w)| (float(v), (*w).into()));
    let em = nonzero().filter(|(f, _)| *f != 0.0).map(|(f, _)| exponent_f32(f)).max()?;
    Some((nonzero().map(|(f, w)| truncated(f, em, keep) * w).sum(), em))
}

/// The anisotropic sum of float (`half`: half) texels, probe by probe (`groups`, in the order
/// the footprint's weights are split: the lower level first, each level's probes from the back
/// of the footprint to its front; weights in 1/2^`shift`): each probe's texels truncated to 27
/// (halves: 14) bits below the probe's largest exponent and multiplied exactly, but the running
/// sum kept on a coarse grid after each probe is added — floored (toward −∞) to 2^(4⌊(e + B)/4⌋ −
/// B − keep − 8), e the largest texel exponent of the probes added so far, B the format's
/// exponent bias (127, halves 15), keep the 27 or 14 bits: 8 bits below the texels' grid, the
/// exponent in steps of 4 as a block float's — and the result rounded once, to nearest, ties
/// away from zero. Measured on the H100 (textures_aniso.cu's dense content samples, the probes'
/// texels and weights dumped from cuemu): float texels 81 920 of 81 920 channels (the exact sum
/// rounded once: 27 misses, each 1 ulp above the H100's), half texels 31 399 of 31 423 finite
/// channels (exact sum: 245 misses, 1–13 ulps above, with heavy cancellation); for halves a fixed
/// grid from the largest exponent of all probes misses 51, the grid 2^1 coarser or finer 278 and
/// 140, the sum truncated toward zero instead of floored 244; for floats steps of 1, 2, 8 or 16
/// exponents miss 3 or more at the best constant.
fn probe_sum(groups: &[Vec<(Value, i64)>], half: bool, shift: u32) -> u32 {
    let (keep, bias) = if half { (14, 15) } else { (27, 127) };
    let nonzero = || groups.iter().flatten().filter(|(_, w)| *w != 0);
    let float = |v: &Value| if let Value::Float(f) = v { *f } else { 0.0 };
    if nonzero().any(|(v, _)| !float(v).is_finite()) || nonzero().all(|(v, _)| float(v) == 0.0) {
        // NaN, infinities, and the sign of an all-zero sum: as every float filter has them
        let all: Vec<(Value, i64)> = groups.iter().flatten().copied().collect();
        return float_sum_w(&all, keep, half, true, shift);
    }
    let parts: Vec<(i128, i32)> = groups.iter().filter_map(|g| group_sum(g, keep)).collect();
    // the sum's unit: 60 bits below the grid of the largest texels (a probe whose texels are
    // smaller still only counts there rounded down, far below the result's last bit)
    let base = parts.iter().map(|&(_, em)| em).max().unwrap_or(0) - keep - shift as i32 - 60;
    let (mut acc, mut seen) = (0i128, i32::MIN);
    for (p, em) in parts {
        seen = seen.max(em);
        let at = em - keep - shift as i32 - base;
        acc += if at >= 0 { p << at } else { p >> (-at).min(127) };
        let grid = 4 * (seen + bias).div_euclid(4) - bias - keep - 8 - base;
        acc = (acc >> grid) << grid;
    }
    if acc == 0 {
        return 0;
    }
    round_to_float(acc, base, half)
}

/// Texel `f` as a multiple of the grid 2^(em - keep), truncated toward zero.
fn truncated(f: f32, em: i32, keep: i32) -> i128 {
    let b = f.to_bits();
    let e = (((b >> 23) & 0xff) as i32).max(1) - 127;
    let m = if (b >> 23) & 0xff == 0 { (b & 0x7f_ffff) as i128 } else { ((b & 0x7f_ffff) | 0x80_0000) as i128 };
    let sh = e - 23 - em + keep;
    let q = if sh >= 0 { m << sh } else if sh > -64 { m >> (-sh) } else { 0 };
    if b >> 31 != 0 {
        -q
    } else {
        q
    }
}

fn sample(r: &Resource, s: &Sampler, opcode: u32, geom: u32, a: &[u32; ARGS]) -> [u32; 4] {
    let k = kind(r, s);
    let f = |i: usize| f32::from_bits(a[i]);
    // integer coordinates: texel indices, point sampled (tex1Dfetch on linear memory)
    if opcode & op::INT_COORDS != 0 {
        let i = a[0] as i32;
        if r.shape == Shape::Linear {
            if i < 0 || i as u32 >= r.width {
                return [0; 4];
            }
            return texel_out(r, k, raw_texel(r, i as u32, 0, 0));
        }
        let ci = |v: u32, n: u32| (v as i32).clamp(0, n.max(1) as i32 - 1) as u32;
        let (x, y, z) = match geom {
            op::G2D => (ci(a[0], r.width), ci(a[1], r.height), 0),
            op::G3D => (ci(a[0], r.width), ci(a[1], r.height), ci(a[2], r.depth)),
            _ => (ci(a[0], r.width), 0, 0),
        };
        return texel_out(r, k, raw_texel(r, x, y, z));
    }
    if r.shape == Shape::Linear {
        return [0; 4];
    }
    let layer = |v: u32| v.min(r.layers.max(1) - 1);
    // (x, y, z coordinates as floats, number of axes, fixed slice/layer)
    let (coords, naxes, fixed_z): ([f32; 3], usize, u32) = match geom {
        op::G1D => ([f(0), 0.0, 0.0], 1, 0),
        op::G2D => ([f(0), f(1), 0.0], 2, 0),
        op::G3D => ([f(0), f(1), f(2)], 3, 0),
        op::GA1D => ([f(1), 0.0, 0.0], 1, layer(a[0])),
        op::GA2D => ([f(1), f(2), 0.0], 2, layer(a[0])),
        op::GCUBE | op::GACUBE => {
            let (x, y, z, base) =
                if geom == op::GCUBE { (f(0), f(1), f(2), 0) } else { (f(1), f(2), f(3), layer(a[0].saturating_mul(6)) / 6 * 6) };
            let (face, sc, tc) = cube_face(x, y, z);
            // mipmapped cubemaps split the bilinear weights as the trilinear tree does, like
            // 2D textures without mipmaps, not as exact products (measured on the H100, helper
            // amg's probe: the impulse cubemaps with point mipmap filtering, see the module doc)
            let cs = Sampler { normalized: true, mip: Mip { mipmapped: false, ..s.mip.clone() }, ..s.clone() };
            let z = (base + face).min(r.layers.max(1) - 1);
            if s.seamless && s.linear && opcode & op::CLASS == op::TEX {
                let mut out = [0u32; 4];
                for (c, o) in out.iter_mut().enumerate() {
                    *o = finish_groups(k, &[cube_seamless(r, &cs, k, sc, tc, z, c, 256)]);
                }
                return mask_channels(r, out);
            }
            let (sc, tc) = (cube_clamp(sc, r.width, s.address[0]), cube_clamp(tc, r.height, s.address[1]));
            return filter2(r, &cs, k, opcode, [sc, tc], z);
        }
        _ => return [0; 4],
    };
    match naxes {
        1 => {
            let ax = axis(coords[0], r.width, s, s.address[0]);
            let mut out = [0u32; 4];
            for (c, o) in out.iter_mut().enumerate() {
                let terms: Vec<(Value, u32)> = ax.iter().map(|(i, w)| (channel(r, s, k, *i, Some(0), fixed_z, c), *w)).collect();
                *o = finish(k, &terms, s.linear);
            }
            if opcode & op::CLASS == op::TLD4 {
                return [0; 4];
            }
            mask_channels(r, out)
        }
        2 => filter2(r, s, k, opcode, [coords[0], coords[1]], fixed_z),
        _ => {
            let ax = axis(coords[0], r.width, s, s.address[0]);
            let ay = axis(coords[1], r.height, s, s.address[1]);
            let az = axis(coords[2], r.depth, s, s.address[2]);
            let mut out = [0u32; 4];
            for (c, o) in out.iter_mut().enumerate() {
                let mut terms = Vec::with_capacity(8);
                for (zi, wz) in az {
                    for (yi, wy) in ay {
                        for (xi, wx) in ax {
                            let w = weight3(wx, wy, wz);
                            let v = match zi {
                                Some(z) => channel(r, s, k, xi, yi, z, c),
                                None => border_channel(r, s, k, c),
                            };
                            terms.push((v, w));
                        }
                    }
                }
                *o = finish(k, &terms, s.linear);
            }
            mask_channels(r, out)
        }
    }
}

/// The product of two per-axis weights (1/256 each) rounded half up to 1/256.
fn weight2(wx: u32, wy: u32) -> u32 {
    (wx * wy + 128) >> 8
}
fn weight3(wx: u32, wy: u32, wz: u32) -> u32 {
    ((wx * wy * wz) as u64 + (1 << 15)).wrapping_shr(16) as u32
}

/// 2D sampling (tex, tld4) of image `z` (layer or face).
fn filter2(r: &Resource, s: &Sampler, k: Kind, opcode: u32, xy: [f32; 2], z: u32) -> [u32; 4] {
    if opcode & op::CLASS == op::TLD4 {
        let comp = ((opcode >> op::COMP_SHIFT) & 3) as usize;
        let [[i0, i1], [j0, j1]] = footprint(xy[0], xy[1], r, s);
        // (i, j+1), (i+1, j+1), (i+1, j), (i, j) — the order of PTX's tld4
        let mut out = [0u32; 4];
        for (o, (i, j)) in out.iter_mut().zip([(i0, j1), (i1, j1), (i1, j0), (i0, j0)]) {
            let v = channel(r, s, k, i, j, z, comp);
            *o = if comp as u32 >= r.channels { 0 } else { finish(k, &[(v, 256)], false) };
        }
        return out;
    }
    let ax = axis(xy[0], r.width, s, s.address[0]);
    let ay = axis(xy[1], r.height, s, s.address[1]);
    let mut out = [0u32; 4];
    // mipmapped textures keep the products of the weights exact (measured)
    let exact = s.linear && s.mip.mipmapped;
    // other linear filtering splits 256 as the trilinear tree does ([`tree_groups`]): the
    // lower-left and upper-right weights are the rounded products, the other two what is left
    // of their columns (measured on 8-bit signed texels, where a rounded product of each pair
    // of per-axis weights would give 258/256 for (128, 205): tests/programs/textures_grad.cu)
    let (wa, wb) = (ax[1].1, ay[1].1);
    let (w00, w11) = (weight2(256 - wa, 256 - wb), weight2(wa, wb));
    let tree = [[w00, wa - w11], [256 - wa - w00, w11]];
    for (c, o) in out.iter_mut().enumerate() {
        let mut terms = Vec::with_capacity(4);
        for (j, (yi, wy)) in ay.into_iter().enumerate() {
            for (i, (xi, wx)) in ax.into_iter().enumerate() {
                let w = if exact { wx * wy } else if s.linear { tree[j][i] } else { wx * wy / 256 };
                terms.push((channel(r, s, k, xi, yi, z, c), w));
            }
        }
        *o = finish_w(k, &terms, s.linear, if exact { 16 } else { 8 });
    }
    mask_channels(r, out)
}

/// Channels the format lacks read 0, even from the border.
fn mask_channels(r: &Resource, mut out: [u32; 4]) -> [u32; 4] {
    for (c, o) in out.iter_mut().enumerate() {
        if c as u32 >= r.channels {
            *o = 0;
        }
    }
    out
}

fn border_channel(r: &Resource, s: &Sampler, k: Kind, c: usize) -> Value {
    border_value(k, r.format, s.border[c])
}

/// Channel `c` of texel (x, y) of image z, or of the border color.
fn channel(r: &Resource, s: &Sampler, k: Kind, x: Option<u32>, y: Option<u32>, z: u32, c: usize) -> Value {
    match (x, y) {
        (Some(x), Some(y)) => decode(r, k, raw_texel(r, x, y, z)[c]),
        _ => border_channel(r, s, k, c),
    }
}

/// A texel read with integer coordinates, converted as the read mode says.
fn texel_out(r: &Resource, k: Kind, raw: [u32; 4]) -> [u32; 4] {
    let mut out = [0u32; 4];
    for c in 0..(r.channels as usize).min(4) {
        out[c] = finish(k, &[(decode(r, k, raw[c]), 256)], false);
    }
    out
}

// ---------------------------------------------------------------- surfaces

fn surface(r: &Resource, opcode: u32, geom: u32, a: &[u32; ARGS], d: &mut [u32; DATA]) -> bool {
    let size = 1u32 << ((opcode >> op::SIZE_SHIFT) & 3);
    let nvec = 1u32 << ((opcode >> op::VEC_SHIFT) & 3);
    let bytes = size * nvec;
    let oob = (opcode >> op::OOB_SHIFT) & 3;
    let store = opcode & op::CLASS != op::SULD;
    let formatted = opcode & op::CLASS == op::SUST && opcode & op::SAMPLES != 0;
    // a formatted store writes one element
    let bytes = if formatted { r.elem_bytes() } else { bytes };
    let a = &if opcode & op::SAMPLES != 0 {
        let mut s = *a;
        s[0] = s[0].wrapping_mul(r.elem_bytes());
        s
    } else {
        *a
    };
    let row = r.width as i64 * r.elem_bytes() as i64;
    // (byte x, y, z|layer) and their limits
    let (x, y, z, ny, nz) = match geom {
        op::G1D => (a[0] as i32 as i64, 0, 0, 1, 1),
        op::G2D => (a[0] as i32 as i64, a[1] as i32 as i64, 0, r.height as i64, 1),
        op::G3D => (a[0] as i32 as i64, a[1] as i32 as i64, a[2] as i32 as i64, r.height as i64, r.depth as i64),
        op::GA1D => (a[1] as i32 as i64, 0, a[0] as i64, 1, r.layers as i64),
        _ => (a[1] as i32 as i64, a[2] as i32 as i64, a[0] as i64, r.height as i64, r.layers as i64),
    };
    let inside = x >= 0 && x + bytes as i64 <= row && (0..ny.max(1)).contains(&y) && (0..nz.max(1)).contains(&z);
    let (x, y, z) = if inside {
        (x, y, z)
    } else {
        match oob {
            op::OOB_CLAMP => (x.clamp(0, (row - bytes as i64).max(0)), y.clamp(0, ny.max(1) - 1), z.clamp(0, nz.max(1) - 1)),
            op::OOB_ZERO => {
                if !store {
                    *d = [0; DATA];
                }
                return true;
            }
            _ => return false,
        }
    };
    let p = r.base + z as u64 * r.slice + y as u64 * r.pitch + x as u64;
    if opcode & op::CLASS == op::SURED {
        reduce(r, opcode, p, d);
        return true;
    }
    if formatted {
        // the source's components go to the channels the format has; extra ones are ignored
        for c in 0..(r.channels as usize).min(nvec as usize) {
            let q = p + (c as u32 * r.format.bytes()) as u64;
            let v = to_format(r.format, d[c]);
            // SAFETY: inside the resource (checked or clamped above)
            unsafe {
                match r.format.bytes() {
                    1 => *(q as *mut u8) = v as u8,
                    2 => (q as *mut u16).write_unaligned(v as u16),
                    _ => (q as *mut u32).write_unaligned(v),
                }
            }
        }
        return true;
    }
    // data words: element k of the vector occupies words [k*size/4 ..] (b8/b16 one word each)
    for k in 0..nvec as usize {
        let q = p + (k as u32 * size) as u64;
        // SAFETY: inside the resource (checked or clamped above)
        unsafe {
            match size {
                1 => {
                    if store {
                        *(q as *mut u8) = d[k] as u8;
                    } else {
                        d[k] = *(q as *const u8) as u32;
                    }
                }
                2 => {
                    if store {
                        (q as *mut u16).write_unaligned(d[k] as u16);
                    } else {
                        d[k] = (q as *const u16).read_unaligned() as u32;
                    }
                }
                4 => {
                    if store {
                        (q as *mut u32).write_unaligned(d[k]);
                    } else {
                        d[k] = (q as *const u32).read_unaligned();
                    }
                }
                _ => {
                    if store {
                        (q as *mut u64).write_unaligned(d[2 * k] as u64 | (d[2 * k + 1] as u64) << 32);
                    } else {
                        let v = (q as *const u64).read_unaligned();
                        d[2 * k] = v as u32;
                        d[2 * k + 1] = (v >> 32) as u32;
                    }
                }
            }
        }
    }
    true
}

/// One sust.p value in a channel format, as the H100 converts it (measured,
/// tests/programs/textures_mip.cu, textures_norm.cu): floats as they are, halves rounded toward
/// zero (NaN 0x7e00, infinities kept, finite overflow 0x7bff), integers saturated to the
/// channel's range (the value read as unsigned for unsigned channels, signed for signed ones),
/// normalized formats from floats ([`f32_to_norm`]).
fn to_format(f: Format, v: u32) -> u32 {
    match f {
        Format::Unorm8 => f32_to_norm(v, 8, false),
        Format::Unorm16 => f32_to_norm(v, 16, false),
        Format::Snorm8 => f32_to_norm(v, 8, true),
        Format::Snorm16 => f32_to_norm(v, 16, true),
        Format::F32 => v,
        Format::F16 => f32_to_f16_rz(f32::from_bits(v)) as u32,
        Format::U8 => v.min(0xff),
        Format::U16 => v.min(0xffff),
        Format::U32 | Format::S32 => v,
        Format::S8 => (v as i32).clamp(-128, 127) as u32,
        Format::S16 => (v as i32).clamp(-32768, 32767) as u32,
    }
}

/// f32 → `bits`-bit unsigned or signed normalized integer as sust.p stores it: clamped to
/// [0, 1] (signed: [-1, 1]), NaN 0; the magnitude truncated to m + 4 fraction bits (m = the
/// code's magnitude bits: 8, 16, 7, 15), times 2^m − 1, rounded to nearest with ties down (0.5
/// stores 127 in 8 bits; 22.5055 stores 22). Fitted to tests/programs/textures_norm.cu's sust.p
/// rows (64 edge values and 512 values at and next to the midpoints between codes, per format):
/// every store matches; m + 4 is the only truncation that does for all four widths.
fn f32_to_norm(v: u32, bits: u32, signed: bool) -> u32 {
    let x = f32::from_bits(v);
    if x.is_nan() {
        return 0;
    }
    let x = x.clamp(if signed { -1.0 } else { 0.0 }, 1.0) as f64;
    let k = bits - signed as u32 + 4;
    let max = (1u64 << (bits - signed as u32)) - 1;
    let t = (x.abs() * (1u64 << k) as f64).floor() as u64 * max;
    let mut n = t >> k;
    if t & ((1 << k) - 1) > 1 << (k - 1) {
        n += 1;
    }
    let n = if x < 0.0 { (n as i64).wrapping_neg() } else { n as i64 };
    (n as u32) & ((1u32 << bits) - 1)
}

/// f32 → f16 rounded toward zero; NaN 0x7e00, infinities kept.
fn f32_to_f16_rz(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let a = b & 0x7fff_ffff;
    if a > 0x7f80_0000 {
        return 0x7e00;
    }
    if a == 0x7f80_0000 {
        return sign | 0x7c00;
    }
    if a >= 0x4780_0000 {
        return sign | 0x7bff;
    }
    let e = (a >> 23) as i32 - 127;
    let m = (a & 0x7f_ffff) | if a >> 23 != 0 { 0x80_0000 } else { 0 };
    let sh = if e >= -14 { 13 } else { (13 + (-14 - e)).min(31) } as u32;
    let q = m >> sh;
    let mag = if e >= -14 { (((e + 14) as u32) << 10) + q } else { q };
    sign | mag.min(0x7bff) as u16
}

/// sured: the read-modify-write of one element, atomic against other lanes and warps.
fn reduce(r: &Resource, opcode: u32, p: u64, d: &[u32; DATA]) {
    use std::sync::atomic::AtomicU32;
    let red = (opcode >> op::RED_SHIFT) & 7;
    let signed = if opcode & op::SAMPLES != 0 { matches!(r.format, Format::S32 | Format::S16 | Format::S8) } else { opcode & op::RED_SIGNED != 0 };
    let wide = (opcode >> op::SIZE_SHIFT) & 3 == 3;
    if wide {
        let v = d[0] as u64 | (d[1] as u64) << 32;
        let f = |old: u64| -> u64 {
            match red {
                0 => old.wrapping_add(v),
                1 if signed => (old as i64).min(v as i64) as u64,
                1 => old.min(v),
                2 if signed => (old as i64).max(v as i64) as u64,
                2 => old.max(v),
                3 => old & v,
                _ => old | v,
            }
        };
        // SAFETY: inside the resource, 8-byte aligned (x is a multiple of the element size)
        let cell = unsafe { AtomicU64::from_ptr(p as *mut u64) };
        let _ = cell.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| Some(f(o)));
    } else {
        let v = d[0];
        let f = |old: u32| -> u32 {
            match red {
                0 => old.wrapping_add(v),
                1 if signed => (old as i32).min(v as i32) as u32,
                1 => old.min(v),
                2 if signed => (old as i32).max(v as i32) as u32,
                2 => old.max(v),
                3 => old & v,
                _ => old | v,
            }
        };
        // SAFETY: as above, 4-byte aligned
        let cell = unsafe { AtomicU32::from_ptr(p as *mut u32) };
        let _ = cell.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| Some(f(o)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{LaunchConfig, LaunchError, ModuleImage};

    /// Kernels in unified texture mode, as nvcc writes them for texture/surface objects.
    const PTX: &str = r#"
.version 7.5
.target sm_75
.address_size 64

// out[4*i .. 4*i+4] = tex1Dfetch<float4>(t, i - 2); out[4*n + i] = txq.width(t)
.visible .entry fetch(.param .u64 t, .param .u64 out, .param .u32 n)
{
    .reg .b32 %r<4>;
    .reg .f32 %f<5>;
    .reg .b64 %rd<6>;
    ld.param.u64 %rd1, [t];
    ld.param.u64 %rd2, [out];
    ld.param.u32 %r3, [n];
    mov.u32 %r1, %tid.x;
    add.s32 %r2, %r1, -2;
    tex.1d.v4.f32.s32 {%f1, %f2, %f3, %f4}, [%rd1, {%r2}];
    mul.wide.u32 %rd3, %r1, 16;
    add.s64 %rd4, %rd2, %rd3;
    st.global.v4.f32 [%rd4], {%f1, %f2, %f3, %f4};
    txq.width.b32 %r2, [%rd1];
    shl.b32 %r3, %r3, 2;
    add.u32 %r3, %r3, %r1;
    mul.wide.u32 %rd3, %r3, 4;
    add.s64 %rd4, %rd2, %rd3;
    st.global.u32 [%rd4], %r2;
    ret;
}

// each thread x: v = suld.b.2d.b32.clamp [s, {4*(x-1), 0}]; sust.b.2d.b32.trap [s, {4*x, 1}], v + 100;
// out[x] = suld.b.2d.b32.zero [s, {4*(x-1), 0}]
.visible .entry surf(.param .u64 s, .param .u64 out)
{
    .reg .b32 %r<6>;
    .reg .b64 %rd<5>;
    ld.param.u64 %rd1, [s];
    ld.param.u64 %rd2, [out];
    mov.u32 %r1, %tid.x;
    shl.b32 %r2, %r1, 2;
    add.s32 %r3, %r2, -4;
    mov.u32 %r5, 0;
    suld.b.2d.b32.clamp {%r4}, [%rd1, {%r3, %r5}];
    add.u32 %r4, %r4, 100;
    mov.u32 %r5, 1;
    sust.b.2d.b32.trap [%rd1, {%r2, %r5}], {%r4};
    mov.u32 %r5, 0;
    suld.b.2d.b32.zero {%r4}, [%rd1, {%r3, %r5}];
    mul.wide.u32 %rd3, %r1, 4;
    add.s64 %rd4, %rd2, %rd3;
    st.global.u32 [%rd4], %r4;
    ret;
}

.visible .entry trap(.param .u64 s)
{
    .reg .b32 %r<3>;
    .reg .b64 %rd<2>;
    ld.param.u64 %rd1, [s];
    mov.u32 %r1, 4096;
    mov.u32 %r2, 0;
    suld.b.2d.b32.trap {%r1}, [%rd1, {%r1, %r2}];
    ret;
}
"#;

    fn params(words: &[u64]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn cfg(threads: u32) -> LaunchConfig {
        LaunchConfig { grid: [1, 1, 1], block: [threads, 1, 1], dynamic_shared_bytes: 0 }
    }

    #[test]
    fn tex1dfetch_and_txq_in_a_kernel_and_unknown_handles_read_zeros() {
        let m = ModuleImage::load_ptx(PTX).unwrap();
        let data: Vec<f32> = (0..5).map(|i| i as f32 * 1.5 + 0.25).collect();
        let res = Resource {
            base: data.as_ptr() as u64,
            shape: Shape::Linear,
            format: Format::F32,
            channels: 1,
            width: 5,
            height: 1,
            depth: 1,
            layers: 1,
            pitch: 20,
            slice: 20,
        };
        let s = Sampler {
            address: [AddressMode::Clamp; 3],
            linear: false,
            normalized: false,
            read_as_integer: false,
            border: [0.0; 4],
            mip: Mip::default(),
            seamless: false,
        };
        let h = register(Object { res, sampler: Some(s), levels: vec![] });
        let n = 9u32;
        let mut out = vec![0f32; 5 * n as usize];
        let mut p = params(&[h, out.as_mut_ptr() as u64]);
        p.extend_from_slice(&n.to_le_bytes());
        m.launch("fetch", cfg(n), &p).unwrap();
        for i in 0..n as usize {
            let idx = i as i64 - 2;
            let want = if (0..5).contains(&idx) { data[idx as usize] } else { 0.0 };
            assert_eq!(out[4 * i..4 * i + 4], [want, 0.0, 0.0, 0.0], "lane {i}");
            assert_eq!(out[4 * n as usize + i].to_bits(), 5, "txq.width, lane {i}");
        }
        // a destroyed handle: zeros, no fault
        assert!(unregister(h, false));
        out.iter_mut().for_each(|v| *v = 7.0);
        m.launch("fetch", cfg(n), &p).unwrap();
        assert!(out.iter().all(|v| *v == 0.0));
    }

    #[test]
    fn surface_loads_and_stores_with_each_boundary_mode() {
        let m = ModuleImage::load_ptx(PTX).unwrap();
        let (w, hgt) = (4u32, 2u32);
        let mut img: Vec<u32> = (0..w * hgt).map(|i| 10 + i).collect();
        let res = Resource {
            base: img.as_mut_ptr() as u64,
            shape: Shape::D2,
            format: Format::U32,
            channels: 1,
            width: w,
            height: hgt,
            depth: 1,
            layers: 1,
            pitch: 4 * w as u64,
            slice: 4 * (w * hgt) as u64,
        };
        let h = register(Object { res, sampler: None, levels: vec![] });
        let mut out = vec![0u32; w as usize];
        m.launch("surf", cfg(w), &params(&[h, out.as_mut_ptr() as u64])).unwrap();
        // row 1 got row 0 shifted right by one (x = -4 clamped to element 0), plus 100
        assert_eq!(img[4..8], [110, 110, 111, 112]);
        // .zero reads 0 at x = -4
        assert_eq!(out, [0, 10, 11, 12]);
        // .trap out of range is an illegal address
        match m.launch("trap", cfg(1), &params(&[h])) {
            Err(LaunchError::IllegalAddress(msg)) => assert!(msg.contains("surface"), "{msg}"),
            other => panic!("expected an illegal address, got {other:?}"),
        }
        assert!(unregister(h, true));
    }

    #[test]
    fn unorm8_reads_are_correctly_rounded_quotients() {
        // v/255 as f32, correctly rounded: the f64 quotient never sits on an f32 midpoint
        for v in 0..=255u32 {
            let got = finish(Kind::Norm { denominator: 65535, divisor: 1, signed: false }, &[(Value::Norm(v as i64 * 257), 256)], false);
            let exact = v as f64 / 255.0;
            let f = f32::from_bits(got) as f64;
            let ulp = f32::from_bits(got.max(1)).next_up() as f64 - f;
            assert!((f - exact).abs() <= ulp / 2.0, "{v}");
        }
        assert_eq!(finish(Kind::Norm { denominator: 65535, divisor: 1, signed: false }, &[(Value::Norm(255 * 257), 256)], false), 1.0f32.to_bits());
    }

    #[test]
    fn float_filter_truncates_small_texels_to_the_large_ones_grid() {
        // measured on the H100 (tests/golden/h100/textures.txt, lerp_pair1): 0.1 and
        // 12345.678 at weight 1/256
        let t0 = Value::Float(0.1);
        let t1 = Value::Float(12345.678);
        assert_eq!(finish(Kind::F32, &[(t0, 255), (t1, 1)], true), 0x42414cb0);
        assert_eq!(finish(Kind::F32, &[(t0, 256), (t1, 0)], true), 0.1f32.to_bits());
        // ties of the final rounding go away from zero (lerp_pair3)
        assert_eq!(finish(Kind::F32, &[(Value::Float(1.0), 128), (Value::Float(1.0000001), 128)], true), 0x3f800001);
    }

    #[test]
    fn half_widening_is_exact_and_keeps_nan_payloads() {
        // tests/golden/h100/textures.txt, f16[]
        for (h, f) in [(0x0001u16, 0x33800000u32), (0x03ff, 0x387fc000), (0x8001, 0xb3800000), (0x7c01, 0x7f802000), (0x7bff, 0x477fe000), (0xfc00, 0xff800000)] {
            assert_eq!(f16_to_f32(h).to_bits(), f, "{h:#x}");
        }
    }

    fn square(w: u32) -> Resource {
        Resource { base: 0, shape: Shape::D2, format: Format::F32, channels: 1, width: w, height: w, depth: 1, layers: 1, pitch: 0, slice: 0 }
    }

    #[test]
    fn levels_of_detail_as_the_h100_computes_them() {
        // tests/golden/h100/textures_mip.txt (cst.*): tex.level truncates to 1/256
        let lvl = |l: f32| {
            let mut a = [0u32; ARGS];
            a[op::LOD_SLOT] = l.to_bits();
            lod_256(&square(32), op::LEVEL, op::G2D, &a)
        };
        assert_eq!(lvl(1.0 - 1.0 / 1024.0), Some(255));
        assert_eq!(lvl(2.0 + 3.0 / 512.0), Some(513));
        assert_eq!(lvl(f32::NAN), Some(0));
        // tex.grad: 8-bit mantissa of the longer gradient (in texels), log2 rounded up
        let grad = |dx: [f32; 2], dy: [f32; 2]| {
            let mut a = [0u32; ARGS];
            a[op::DPDX_SLOT] = dx[0].to_bits();
            a[op::DPDX_SLOT + 1] = dx[1].to_bits();
            a[op::DPDY_SLOT] = dy[0].to_bits();
            a[op::DPDY_SLOT + 1] = dy[1].to_bits();
            lod_256(&square(32), op::GRAD, op::G2D, &a)
        };
        assert_eq!(grad([1.25 / 32.0, 0.0], [0.0, 0.25 / 32.0]), Some(83));
        assert_eq!(grad([0.0, 0.25 / 32.0], [3.0 / 32.0, 0.0]), Some(406));
        // 2^(7/32) texels: the truncated mantissa gives 55/256, not 56/256
        let g = 2f32.powf(7.0 / 32.0) / 32.0;
        assert_eq!(grad([g, 0.0], [0.0, g]), Some(55));
        assert_eq!(grad([1.0 / 32.0, 0.0], [0.0, 1.0 / 32.0]), Some(0));
        assert_eq!(grad([0.25 / 32.0, 0.0], [0.0, 0.25 / 32.0]), Some(-512));
    }

    #[test]
    fn rotated_gradients_measure_the_longest_of_four_directions() {
        // tests/golden/h100/textures_grad.txt and its dense data: one vector (x, y) measures
        // max + 11/32 min; two parallel 1D gradients a, b measure max(a, b, 11/16 (a + b))
        let grad2 = |dx: [f32; 2], dy: [f32; 2]| {
            let mut a = [0u32; ARGS];
            for k in 0..2 {
                a[op::DPDX_SLOT + k] = (dx[k] / 1024.0).to_bits();
                a[op::DPDY_SLOT + k] = (dy[k] / 1024.0).to_bits();
            }
            lod_256(&square(1024), op::GRAD, op::G2D, &a)
        };
        // 16 texels at 45 degrees: 11.31 × 1.34375 = 15.2 texels, 4 - 19/256 (H100: 1005)
        let d = 16.0 * std::f32::consts::FRAC_1_SQRT_2;
        assert_eq!(grad2([d, d], [0.0, 0.0]), Some(1005));
        // orthogonal equal vectors: their length, not more
        assert_eq!(grad2([16.0, 0.0], [0.0, 16.0]), Some(1024));
        // the table at the start of a mantissa interval: 16.125 texels is 4 + 4/256 (H100), not
        // the 3/256 a correctly rounded-up log2 gives
        assert_eq!(grad2([16.125, 0.0], [0.0, 0.0]), Some(1028));
    }

    #[test]
    fn gradients_on_the_level_of_detail_units_10_bit_grid() {
        // H100 sweeps (textures_grad.cu's probe data): gradients in texels, as f32 bits
        let lod = |w: u32, geom: u32, dx: [u32; 2], dy: [u32; 2]| {
            let mut a = [0u32; ARGS];
            for k in 0..2 {
                a[op::DPDX_SLOT + k] = (f32::from_bits(dx[k]) / w as f32).to_bits();
                a[op::DPDY_SLOT + k] = (f32::from_bits(dy[k]) / w as f32).to_bits();
            }
            lod_256(&square(w), op::GRAD, geom, &a)
        };
        // 1D: 5.666 and 2.696 texels: 11/16 of their sum on the 10-bit grid, (11 m + 4) / 16:
        // 2 + 135/256 (the unrounded 11/16 (a + b) gave 133/256)
        assert_eq!(lod(4096, op::G1D, [0x40b553cc, 0], [0x402c8fdf, 0]), Some(647));
        // 1D: 6.931 and -4.751: the sum's 10-bit truncation keeps it at 3 + 0/256, not 2/256
        assert_eq!(lod(4096, op::G1D, [0x40ddc8a1, 0], [0xc0980b0a, 0]), Some(768));
        // one 2D vector (7.915, 0.340): 7.9140625 + ⌊(11 × 696 + 4) / 8⌋ / 4 × 2^-11 = 8.0309 is
        // 3 + 0/256; the exact 7.9146 + 11/32 × 0.3401 = 8.0315 would be 3 + 2/256
        assert_eq!(lod(1024, op::G2D, [0x40fd4413, 0x3eae1ecd], [0, 0]), Some(768));
        // a 2D pair whose diagonal x + y = (100.5, 69.25) on the grid is the longest: 11/16 ×
        // 100.5 = 69.125 plus (121 × 554 + 32) / 512 / 8 = 16.37 (not 11/32 of the scaled
        // 47.625, 16.375): 85.49 is 6 + 106/256; 69.375 texels just reach 85.5
        assert_eq!(lod(1024, op::G2D, [0x4268dfaf, 0x4258fc8e], [0x42299040, 0x41710650]), Some(1642));
        assert_eq!(lod(1024, op::G2D, [0x4268dfaf, 0x4258fc8e], [0x42299040, 0x41730144]), Some(1643));
        // 3D (lodprobe.cu's random pairs): each term a 10-bit value. (59.625, 6.836, 4.102):
        // 11/32 of 6.836 is (11 × 875 + 4) / 32 = 300.91 of its grid, 300.5 on 10 bits, so the
        // sum stays below 63 = 5 + 251/256 (the quarter grid's 300.75 reached it)
        assert_eq!(log2_256(approx_len(&[954.0 / 16.0, 875.0 / 128.0, 525.0 / 128.0])), 1530);
        // a diagonal (43.9375, 34.1875, 22.25): 121/512 of 34.1875 is 8.0834, 8.0781 on 10 bits,
        // so 30.2188 + 8.0781 + 3.8242 = 42.1211 stays below the table's step at 42.125 (5 +
        // 102/256 from there)
        assert_eq!(log2_256(diagonal_len(&[43.9375, 34.1875, 22.25])), 1381);
    }

    #[test]
    fn snorm8_filtering_widens_the_exact_byte_sum() {
        // every byte-times-weight sum S was measured on the H100 (pairs of texels at 32 weights)
        for (s, n) in [(63, 63), (64, 65), (319, 321), (4143, 4175), (4144, 4177), (-48, -48), (-49, -50), (-63, -64), (-4016, -4047), (-4129, -4162), (32512, 32767), (16384, 16513), (-16384, -16512)] {
            assert_eq!(snorm8_widen(s), n, "{s}");
        }
        // a single byte: 258 v plus 1 from 64 up (from -65 down)
        assert_eq!(snorm8_widen(256 * -65), 258 * -65 - 1);
        assert_eq!(snorm8_widen(256 * -64), 258 * -64);
    }

    #[test]
    fn trilinear_weights_split_as_the_h100() {
        // solved from tests/golden/h100/textures_grad.txt's dense data (f32 2D, lod fraction
        // f = 202): level 0 (g = 54, x 104, y 244) and level 1 (g = 202, x 244, y 186)
        let tree2 = |g: u32, a: u32, b: u32| {
            let (lo, hi) = split(g, a, true);
            let (w00, w01) = split(lo, b, false);
            let (w10, w11) = split(hi, b, true);
            [w00, w10, w01, w11]
        };
        assert_eq!(tree2(54, 104, 244), [2, 1, 30, 21]);
        assert_eq!(tree2(202, 244, 186), [2, 53, 7, 140]);
        // bilinear ties at one level (g = 256): 159.5 16.5 72.5 7.5 become 160 16 72 8
        assert_eq!(tree2(256, 24, 80), [160, 16, 72, 8]);
        // 2D filtering without mipmaps splits the same way (H100, s8/u8/f32 bilinear): products
        // 25.5 25.5 102.5 102.5 would round to 26 26 103 103, 258 in all
        assert_eq!(tree2(256, 128, 205), [26, 25, 102, 103]);
    }

    #[test]
    fn formatted_stores_convert_as_the_h100() {
        // tests/golden/h100/textures_mip.txt (sust.p.*)
        for (f, h) in [(0x3e99999au32, 0x34ccu16), (0x477ff000, 0x7bff), (0x7fc00000, 0x7e00), (0xff800000, 0xfc00), (0x33800000, 1), (0x33000000, 0), (0x3f7ffffe, 0x3bff)] {
            assert_eq!(f32_to_f16_rz(f32::from_bits(f)), h, "{f:#x}");
        }
        assert_eq!(to_format(Format::U8, 256), 255);
        assert_eq!(to_format(Format::U8, 0xffff_ffff), 255);
        assert_eq!(to_format(Format::S8, (-129i32) as u32) as u8, 0x80);
        assert_eq!(to_format(Format::S16, 0x8000), 0x7fff);
        assert_eq!(to_format(Format::U16, 70000), 0xffff);
        // tests/golden/h100/textures_norm.txt: UNORM/SNORM formats from floats
        assert_eq!(to_format(Format::Unorm8, 0.5f32.to_bits()), 127);
        assert_eq!(to_format(Format::Unorm8, 0x3e99999a), 76);
        assert_eq!(to_format(Format::Unorm8, 0.0882568359375f32.to_bits()), 22);
        assert_eq!(to_format(Format::Unorm8, 0.25f32.to_bits()), 64);
        assert_eq!(to_format(Format::Unorm16, 0x3f7fff80), 0xffff);
        assert_eq!(to_format(Format::Unorm16, 0.5f32.to_bits()), 32767);
        assert_eq!(to_format(Format::Snorm8, (-0.5f32).to_bits()) as u8, (-63i8) as u8);
        assert_eq!(to_format(Format::Snorm16, (-1.5f32).to_bits()) as u16, (-32767i16) as u16);
        assert_eq!(to_format(Format::Unorm8, f32::NAN.to_bits()), 0);
    }

    #[test]
    fn address_modes() {
        assert_eq!(address(-1, 4, AddressMode::Wrap, true), Some(3));
        assert_eq!(address(-1, 4, AddressMode::Mirror, true), Some(0));
        assert_eq!(address(5, 4, AddressMode::Mirror, true), Some(2));
        assert_eq!(address(-1, 4, AddressMode::Border, true), None);
        // wrap and mirror clamp with unnormalized coordinates
        assert_eq!(address(-1, 4, AddressMode::Wrap, false), Some(0));
        assert_eq!(address(9, 4, AddressMode::Mirror, false), Some(3));
    }

    #[test]
    fn weights_round_half_up() {
        let s = Sampler {
            address: [AddressMode::Clamp; 3],
            linear: true,
            normalized: false,
            read_as_integer: false,
            border: [0.0; 4],
            mip: Mip::default(),
            seamless: false,
        };
        // x = 0.5 + 8/4096: frac 0.5/256 rounds up to 1/256
        let ax = axis(0.5 + 8.0 / 4096.0, 2, &s, AddressMode::Clamp);
        assert_eq!((ax[0].1, ax[1].1), (255, 1));
        let ax = axis(0.5 + 7.0 / 4096.0, 2, &s, AddressMode::Clamp);
        assert_eq!((ax[0].1, ax[1].1), (256, 0));
        assert_eq!(weight2(53, 97), (53 * 97 + 128) >> 8);
    }

    fn probes(gs: &[&[(u32, i64)]]) -> Vec<Vec<(Value, i64)>> {
        gs.iter().map(|g| g.iter().map(|&(b, w)| (Value::Float(f32::from_bits(b)), w)).collect()).collect()
    }

    #[test]
    fn anisotropic_float_sums_floor_a_running_block_grid() {
        // textures_aniso.cu's dense c.f32_1d.0.an4 case 145, channel 1: four probes of one
        // level, weights in 1/1024, as the H100 summed them; the exact sum rounded once is
        // 0x3d40b8ea, one ulp above
        let f = probes(&[
            &[(0xc0eb_c91c, 68), (0x3d81_5752, 60)],
            &[(0x3d81_5752, 206), (0x3f9f_f25c, 178)],
            &[(0x3f9f_f25c, 206), (0x3e0c_753b, 178)],
            &[(0x3e0c_753b, 68), (0x3ea0_cab2, 60)],
        ]);
        assert_eq!(probe_sum(&f, false, 10), 0x3d40_b8e9);
        assert_eq!(finish_groups_w(Kind::F32, &f, 10), 0x3d40_b8ea);
        // c.f16.0.an2 case 863, channel 3: half texels (widened), the H100's 0xbfb5e000, the
        // exact sum 0xbfb5c000
        let h = probes(&[
            &[(0xc428_6000, 2), (0x3987_0000, 448), (0x3cee_0000, 62)],
            &[(0x3aaf_4000, 2), (0xbe75_c000, 448), (0x3987_0000, 62)],
        ]);
        assert_eq!(probe_sum(&h, true, 10), 0xbfb5_e000);
        assert_eq!(finish_groups_w(Kind::F16, &h, 10), 0xbfb5_c000);
        // one texel of full weight is read as it is; NaN and all-zero sums as every filter
        assert_eq!(probe_sum(&probes(&[&[(0x3f80_0001, 1024)]]), false, 10), 0x3f80_0001);
        assert_eq!(probe_sum(&probes(&[&[(0x8000_0000, 512)], &[(0x8000_0000, 512)]]), false, 10), 0x8000_0000);
        assert_eq!(probe_sum(&probes(&[&[(0x7fc0_0000, 512)], &[(0x3f80_0000, 512)]]), false, 10), 0x7fff_ffff);
    }

    #[test]
    fn anisotropic_weight_unit_follows_the_reciprocal_table() {
        // n = 2^(r/256): 1/512 while the table's 1/n exceeds 1/4; r = 511 (n = 3.995) reads 1/4
        assert_eq!((aniso_recip(510, 1024), aniso_recip(511, 1024)), (258, 256));
        assert_eq!((aniso_unit(510), aniso_unit(511), aniso_unit(512)), (2, 1, 1));
        // four probes of 256/1024 at r = 511, not pairs of 128/512 plus a remainder
        assert_eq!(aniso_probes(511), vec![(-0.5, 256), (0.5, 256), (-1.5, 256), (1.5, 256)]);
    }
}
