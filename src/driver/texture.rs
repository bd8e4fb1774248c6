//! Texture and surface objects: `cuTexObjectCreate/Destroy/GetResourceDesc/GetTextureDesc/
//! GetResourceViewDesc`, `cuSurfObjectCreate/Destroy/GetResourceDesc`, over linear memory,
//! pitched 2D memory and CUDA arrays.
//!
//! An object handle is a key of the executor's descriptor table (`exec::texture`), which the
//! compiled `tex`/`suld`/… instructions read at run time; the descriptors the program passed
//! are kept here so that the getters return them. Handles are validated: an unknown one is
//! CUDA_ERROR_INVALID_VALUE here, and reads zeros in a kernel.

use crate::api::*;
use crate::exec::texture::{self as tex, AddressMode, Format, Object, Resource, Sampler, Shape};
use std::collections::HashMap;
use std::ffi::{c_int, c_uint};
use std::sync::{OnceLock, RwLock};

pub const CU_RESOURCE_TYPE_ARRAY: c_uint = 0;
pub const CU_RESOURCE_TYPE_MIPMAPPED_ARRAY: c_uint = 1;
pub const CU_RESOURCE_TYPE_LINEAR: c_uint = 2;
pub const CU_RESOURCE_TYPE_PITCH2D: c_uint = 3;

const CU_TRSF_READ_AS_INTEGER: c_uint = 0x01;
const CU_TRSF_NORMALIZED_COORDINATES: c_uint = 0x02;
const CU_TRSF_SEAMLESS_CUBEMAP: c_uint = 0x40;

/// `CUDA_RESOURCE_DESC`: the union `res` as raw words (128 bytes at offset 8).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CUDA_RESOURCE_DESC {
    pub res_type: c_uint,
    pub res: [u64; 16],
    pub flags: c_uint,
}

/// `CUDA_TEXTURE_DESC`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CUDA_TEXTURE_DESC {
    pub address_mode: [c_uint; 3],
    pub filter_mode: c_uint,
    pub flags: c_uint,
    pub max_anisotropy: c_uint,
    pub mipmap_filter_mode: c_uint,
    pub mipmap_level_bias: f32,
    pub min_mipmap_level_clamp: f32,
    pub max_mipmap_level_clamp: f32,
    pub border_color: [f32; 4],
    pub reserved: [c_int; 12],
}

/// `CUDA_RESOURCE_VIEW_DESC`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CUDA_RESOURCE_VIEW_DESC {
    pub format: c_uint,
    pub width: usize,
    pub height: usize,
    pub depth: usize,
    pub first_mipmap_level: c_uint,
    pub last_mipmap_level: c_uint,
    pub first_layer: c_uint,
    pub last_layer: c_uint,
    pub reserved: [c_uint; 16],
}

const _: () = {
    assert!(std::mem::size_of::<CUDA_RESOURCE_DESC>() == 144);
    assert!(std::mem::size_of::<CUDA_TEXTURE_DESC>() == 104);
    assert!(std::mem::size_of::<CUDA_RESOURCE_VIEW_DESC>() == 112);
};

/// What the program passed, for the getters.
#[derive(Clone, Copy)]
struct Saved {
    res: CUDA_RESOURCE_DESC,
    tex: Option<CUDA_TEXTURE_DESC>,
    view: Option<CUDA_RESOURCE_VIEW_DESC>,
}

fn saved() -> &'static RwLock<HashMap<u64, Saved>> {
    static T: OnceLock<RwLock<HashMap<u64, Saved>>> = OnceLock::new();
    T.get_or_init(|| RwLock::new(HashMap::new()))
}

use super::array::{CUDA_ARRAY3D_CUBEMAP, CUDA_ARRAY3D_LAYERED};

/// The resource a descriptor names, validated.
unsafe fn resource(d: &CUDA_RESOURCE_DESC) -> CuResult<Resource> {
    if d.flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let fmt_ch = |w: u64| -> CuResult<(Format, u32)> {
        let f = Format::from_cu(w as u32).ok_or(CUDA_ERROR_INVALID_VALUE)?;
        // the UNORM/SNORM formats exist for arrays only (linear and pitched textures in them are
        // refused, measured: tests/programs/textures_norm.cu)
        if f.is_normalized() {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        let ch = (w >> 32) as u32;
        if !matches!(ch, 1 | 2 | 4) {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        Ok((f, ch))
    };
    match d.res_type {
        CU_RESOURCE_TYPE_LINEAR => {
            let (format, channels) = fmt_ch(d.res[1])?;
            let (ptr, size) = (d.res[0], d.res[2] as usize);
            let esize = (format.bytes() * channels) as usize;
            if ptr == 0 || size < esize {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            let width = size / esize;
            // cudaDevAttrMaxTexture1DLinearWidth on the H100
            if width > 1 << 28 {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            super::memory::check_range(ptr as usize, size)?;
            Ok(Resource {
                base: ptr,
                shape: Shape::Linear,
                format,
                channels,
                width: width as u32,
                height: 1,
                depth: 1,
                layers: 1,
                pitch: size as u64,
                slice: size as u64,
            })
        }
        CU_RESOURCE_TYPE_PITCH2D => {
            let (format, channels) = fmt_ch(d.res[1])?;
            let (ptr, w, h, pitch) = (d.res[0], d.res[2], d.res[3], d.res[4]);
            let esize = (format.bytes() * channels) as u64;
            if ptr == 0 || w == 0 || h == 0 || pitch < w * esize || w > 1 << 17 || h > 1 << 16 {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            super::memory::check_range(ptr as usize, (pitch * (h - 1) + w * esize) as usize)?;
            Ok(Resource {
                base: ptr,
                shape: Shape::D2,
                format,
                channels,
                width: w as u32,
                height: h as u32,
                depth: 1,
                layers: 1,
                pitch,
                slice: pitch * h,
            })
        }
        CU_RESOURCE_TYPE_ARRAY => array_resource(super::array::info(d.res[0] as usize as CUarray).ok_or(CUDA_ERROR_INVALID_HANDLE)?),
        CU_RESOURCE_TYPE_MIPMAPPED_ARRAY => {
            let levels = super::array::mipmap_levels(d.res[0] as usize as *mut std::ffi::c_void).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
            array_resource(levels[0])
        }
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    }
}

/// Levels 1, 2, … of a mipmapped resource; empty for others.
fn mip_levels(d: &CUDA_RESOURCE_DESC) -> CuResult<Vec<Resource>> {
    if d.res_type != CU_RESOURCE_TYPE_MIPMAPPED_ARRAY {
        return Ok(vec![]);
    }
    let levels = super::array::mipmap_levels(d.res[0] as usize as *mut std::ffi::c_void).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    levels[1..].iter().map(|a| array_resource(*a)).collect()
}

fn array_resource(a: super::array::ArrayInfo) -> CuResult<Resource> {
    let format = Format::from_cu(a.format).ok_or(CUDA_ERROR_NOT_SUPPORTED)?;
    let layered = a.flags & CUDA_ARRAY3D_LAYERED != 0;
    let cube = a.flags & CUDA_ARRAY3D_CUBEMAP != 0;
    let (shape, height, depth, layers) = match (cube, layered, a.height, a.depth) {
        (true, true, _, d) => (Shape::CubeLayered, a.height, 1, d),
        (true, false, _, _) => (Shape::Cube, a.height, 1, 6),
        (false, true, 0, d) => (Shape::Layered1, 1, 1, d),
        (false, true, h, d) => (Shape::Layered2, h, 1, d),
        (false, false, 0, _) => (Shape::D1, 1, 1, 1),
        (false, false, h, 0) => (Shape::D2, h, 1, 1),
        (false, false, h, d) => (Shape::D3, h, d, 1),
    };
    Ok(Resource {
        base: a.base,
        shape,
        format,
        channels: a.channels,
        width: a.width,
        height,
        depth,
        layers,
        pitch: a.pitch,
        slice: a.slice,
    })
}

unsafe fn sampler(r: &Resource, t: &CUDA_TEXTURE_DESC) -> CuResult<Sampler> {
    let mut address = [AddressMode::Wrap; 3];
    for (a, m) in address.iter_mut().zip(t.address_mode) {
        *a = AddressMode::from_cu(m).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    }
    if t.filter_mode > 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let linear = t.filter_mode == 1;
    // 32-bit integers are always read as integers
    // the UNORM/SNORM formats always read as normalized floats (and may be filtered) whatever
    // the flag says (measured)
    let read_as_integer =
        (t.flags & CU_TRSF_READ_AS_INTEGER != 0 || matches!(r.format, Format::U32 | Format::S32)) && !r.format.is_normalized();
    // filtering needs float results
    if linear && read_as_integer && !r.format.is_float() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if t.mipmap_filter_mode > 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mip = tex::Mip {
        linear: t.mipmap_filter_mode == 1,
        bias: t.mipmap_level_bias,
        min_clamp: t.min_mipmap_level_clamp,
        max_clamp: t.max_mipmap_level_clamp,
        mipmapped: false,
        max_aniso: tex::aniso_limit(t.max_anisotropy),
    };
    let normalized = t.flags & CU_TRSF_NORMALIZED_COORDINATES != 0;
    let seamless = t.flags & CU_TRSF_SEAMLESS_CUBEMAP != 0;
    Ok(Sampler { address, linear, normalized, read_as_integer, border: t.border_color, mip, seamless })
}

/// `cuTexObjectCreate`.
pub unsafe fn tex_object_create(
    p: *mut u64,
    res: *const CUDA_RESOURCE_DESC,
    desc: *const CUDA_TEXTURE_DESC,
    view: *const CUDA_RESOURCE_VIEW_DESC,
) -> CuResult {
    if p.is_null() || res.is_null() || desc.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    super::context::current()?;
    let (res, desc) = (*res, *desc);
    let r = resource(&res)?;
    let mut s = sampler(&r, &desc)?;
    s.mip.mipmapped = res.res_type == CU_RESOURCE_TYPE_MIPMAPPED_ARRAY;
    let view = if view.is_null() { None } else { Some(*view) };
    if let Some(v) = view {
        // a view that reinterprets the resource is not supported; one that restates it is
        let same = v.format == 0 && v.first_mipmap_level == 0 && v.last_mipmap_level == 0 && v.first_layer == 0;
        if !same {
            return Err(CUDA_ERROR_NOT_SUPPORTED);
        }
    }
    let levels = mip_levels(&res)?;
    let h = tex::register(Object { res: r, sampler: Some(s), levels });
    saved().write().unwrap().insert(h, Saved { res, tex: Some(desc), view });
    tracing::debug!("texture object {h} created");
    super::out(p, h)
}

/// `cuTexObjectDestroy`.
pub unsafe fn tex_object_destroy(h: u64) -> CuResult {
    // 0 (what a failed create leaves) is accepted, as by NVIDIA's driver
    if h == 0 {
        return Ok(());
    }
    if !tex::unregister(h, false) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    saved().write().unwrap().remove(&h);
    Ok(())
}

fn saved_of(h: u64, surface: bool) -> CuResult<Saved> {
    let s = saved().read().unwrap().get(&h).copied().ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if s.tex.is_none() != surface {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(s)
}

/// `cuTexObjectGetResourceDesc`.
pub unsafe fn tex_object_get_resource_desc(out: *mut CUDA_RESOURCE_DESC, h: u64) -> CuResult {
    let s = saved_of(h, false)?;
    super::out(out, s.res)
}

/// `cuTexObjectGetTextureDesc`.
pub unsafe fn tex_object_get_texture_desc(out: *mut CUDA_TEXTURE_DESC, h: u64) -> CuResult {
    let s = saved_of(h, false)?;
    super::out(out, s.tex.expect("texture objects keep their descriptor"))
}

/// `cuTexObjectGetResourceViewDesc`: objects made without a view have none
/// (CUDA_ERROR_INVALID_VALUE, as NVIDIA's driver answers).
pub unsafe fn tex_object_get_resource_view_desc(out: *mut CUDA_RESOURCE_VIEW_DESC, h: u64) -> CuResult {
    let s = saved_of(h, false)?;
    super::out(out, s.view.ok_or(CUDA_ERROR_INVALID_VALUE)?)
}

/// `cuSurfObjectCreate`: over CUDA arrays only.
pub unsafe fn surf_object_create(p: *mut u64, res: *const CUDA_RESOURCE_DESC) -> CuResult {
    if p.is_null() || res.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    super::context::current()?;
    let res = *res;
    if res.res_type != CU_RESOURCE_TYPE_ARRAY {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let r = resource(&res)?;
    let h = tex::register(Object { res: r, sampler: None, levels: vec![] });
    saved().write().unwrap().insert(h, Saved { res, tex: None, view: None });
    tracing::debug!("surface object {h} created");
    super::out(p, h)
}

/// `cuSurfObjectDestroy`.
pub unsafe fn surf_object_destroy(h: u64) -> CuResult {
    // 0 (what a failed create leaves) is accepted, as by NVIDIA's driver
    if h == 0 {
        return Ok(());
    }
    if !tex::unregister(h, true) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    saved().write().unwrap().remove(&h);
    Ok(())
}

/// `cuSurfObjectGetResourceDesc`.
pub unsafe fn surf_object_get_resource_desc(out: *mut CUDA_RESOURCE_DESC, h: u64) -> CuResult {
    let s = saved_of(h, true)?;
    super::out(out, s.res)
}
