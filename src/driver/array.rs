//! CUDA arrays (`cuArrayCreate`, `cuArray3DCreate`, their descriptors, `cuArrayDestroy`) and
//! the copies that name them: `cuMemcpy2D/3D(Async)` with `CU_MEMORYTYPE_ARRAY` (handled by
//! `memory.rs` through [`copy_side`]) and `cuMemcpyHtoA/AtoH/AtoD/DtoA/AtoA` (+`Async`).
//!
//! An array is plain host memory here, row-major with no padding: element (x, y, z) of a
//! `Width × Height × Depth` array of `NumChannels × format` elements is at
//! `base + z·slice + y·pitch + x·elem`, `pitch = Width·elem`, `slice = pitch·max(Height, 1)`
//! (layers and cubemap faces are slices). Sizes are checked against the texture limits the
//! device reports, as NVIDIA's driver does. Texture and surface objects read arrays through
//! [`info`].

use super::{device, memory, queue, Table};
use crate::api::*;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::OnceLock;

/// `CUDA_ARRAY_DESCRIPTOR` (v2: `size_t` extents).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CUDA_ARRAY_DESCRIPTOR {
    pub width: usize,
    pub height: usize,
    pub format: c_uint,
    pub num_channels: c_uint,
}

/// `CUDA_ARRAY3D_DESCRIPTOR` (v2).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CUDA_ARRAY3D_DESCRIPTOR {
    pub width: usize,
    pub height: usize,
    pub depth: usize,
    pub format: c_uint,
    pub num_channels: c_uint,
    pub flags: c_uint,
}

/// The CUDA 2.0 forms (`unsigned int` extents), behind the symbols without `_v2`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CUDA_ARRAY_DESCRIPTOR_v1 {
    pub width: c_uint,
    pub height: c_uint,
    pub format: c_uint,
    pub num_channels: c_uint,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CUDA_ARRAY3D_DESCRIPTOR_v1 {
    pub width: c_uint,
    pub height: c_uint,
    pub depth: c_uint,
    pub format: c_uint,
    pub num_channels: c_uint,
    pub flags: c_uint,
}

pub const CUDA_ARRAY3D_LAYERED: c_uint = 0x01;
pub const CUDA_ARRAY3D_SURFACE_LDST: c_uint = 0x02;
pub const CUDA_ARRAY3D_CUBEMAP: c_uint = 0x04;
pub const CUDA_ARRAY3D_TEXTURE_GATHER: c_uint = 0x08;
/// Every flag an array can be made with here (sparse, deferred mapping, depth textures and
/// video formats are not).
const FLAGS_SUPPORTED: c_uint = CUDA_ARRAY3D_LAYERED | CUDA_ARRAY3D_SURFACE_LDST | CUDA_ARRAY3D_CUBEMAP | CUDA_ARRAY3D_TEXTURE_GATHER | 0x20;
const CUDA_ARRAY3D_SPARSE: c_uint = 0x40;
const CUDA_ARRAY3D_DEFERRED_MAPPING: c_uint = 0x80;

/// Bytes of one channel of a `CUarray_format` (the formats of 1, 2 or 4 channels of a plain
/// type, and the normalized 8/16-bit ones); None for packed, block-compressed and video
/// formats.
pub fn format_bytes(format: c_uint) -> Option<usize> {
    match format {
        0x01 | 0x08 => Some(1), // UNSIGNED_INT8, SIGNED_INT8
        0x02 | 0x09 | 0x10 => Some(2), // UNSIGNED_INT16, SIGNED_INT16, HALF
        0x03 | 0x0a | 0x20 => Some(4), // UNSIGNED_INT32, SIGNED_INT32, FLOAT
        0xc0..=0xc2 | 0xc6..=0xc8 => Some(1), // UNORM_INT8X{1,2,4}, SNORM_INT8X{1,2,4}
        0xc3..=0xc5 | 0xc9..=0xcb => Some(2), // UNORM_INT16X{1,2,4}, SNORM_INT16X{1,2,4}
        _ => None,
    }
}

/// The channel count a normalized format implies (`UNORM_INT8X2` → 2).
fn implied_channels(format: c_uint) -> Option<c_uint> {
    match format {
        0xc0..=0xcb => Some([1, 2, 4][((format - 0xc0) % 3) as usize]),
        _ => None,
    }
}

/// What texture/surface objects and copies need to know about an array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayInfo {
    /// Element (0, 0, 0).
    pub base: u64,
    pub format: c_uint,
    pub channels: u32,
    pub width: u32,
    /// 0 for 1D arrays.
    pub height: u32,
    /// 0 for 1D/2D arrays; layers of layered arrays; 6 × cubes for cubemaps.
    pub depth: u32,
    pub flags: c_uint,
    /// Bytes per row and per slice.
    pub pitch: u64,
    pub slice: u64,
}

impl ArrayInfo {
    pub fn elem_bytes(&self) -> usize {
        format_bytes(self.format).unwrap_or(1) * self.channels as usize
    }
    pub fn bytes(&self) -> usize {
        self.slice as usize * (self.depth.max(1) as usize)
    }
}

struct Array {
    info: ArrayInfo,
    layout: std::alloc::Layout,
}

// SAFETY: the storage is owned by the array and only reached through its address.
unsafe impl Send for Array {}
unsafe impl Sync for Array {}

impl Drop for Array {
    fn drop(&mut self) {
        unsafe { std::alloc::dealloc(self.info.base as *mut u8, self.layout) };
    }
}

fn arrays() -> &'static Table<Array> {
    static T: OnceLock<Table<Array>> = OnceLock::new();
    T.get_or_init(Table::new)
}

/// The live array behind `h`.
pub fn info(h: CUarray) -> Option<ArrayInfo> {
    arrays().get(h).map(|a| a.info)
}

fn attr(a: c_int) -> usize {
    let mut v = 0;
    let dev = super::context::current().map(|c| c.device).unwrap_or(0);
    unsafe {
        let _ = device::get_attribute(&mut v, a, dev);
    }
    v.max(0) as usize
}

/// Validates a 3D descriptor against the device's limits and makes the array.
fn create_array(d: &CUDA_ARRAY3D_DESCRIPTOR) -> CuResult<usize> {
    super::context::current_checked()?;
    // Packed, block-compressed and video formats exist in cuda.h but are not emulated;
    // anything else is no format at all.
    let size = format_bytes(d.format).ok_or(if matches!(d.format, 0x50..=0x52 | 0x91..=0xb4) {
        CUDA_ERROR_NOT_SUPPORTED
    } else {
        CUDA_ERROR_INVALID_VALUE
    })?;
    if !matches!(d.num_channels, 1 | 2 | 4) || d.width == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    // A normalized format names its channel count; NumChannels must agree (measured:
    // tests/programs/textures_norm.cu).
    if implied_channels(d.format).is_some_and(|c| c != d.num_channels) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if d.flags & (CUDA_ARRAY3D_SPARSE | CUDA_ARRAY3D_DEFERRED_MAPPING) != 0 {
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    if d.flags & !FLAGS_SUPPORTED != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let (w, h, dp) = (d.width, d.height, d.depth);
    let layered = d.flags & CUDA_ARRAY3D_LAYERED != 0;
    let cubemap = d.flags & CUDA_ARRAY3D_CUBEMAP != 0;
    // The texture limits by shape (CU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE*).
    let ok = if cubemap {
        let faces_ok = if layered { dp > 0 && dp % 6 == 0 && dp / 6 <= attr(56) } else { dp == 6 };
        w == h && w <= if layered { attr(55) } else { attr(54) } && faces_ok
    } else if layered {
        if h == 0 {
            w <= attr(42) && dp >= 1 && dp <= attr(43)
        } else {
            w <= attr(27) && h <= attr(28) && dp >= 1 && dp <= attr(29)
        }
    } else if dp > 0 {
        h > 0 && w <= attr(24) && h <= attr(25) && dp <= attr(26)
    } else if h > 0 {
        w <= attr(22) && h <= attr(23)
    } else {
        w <= attr(21)
    };
    if !ok {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let elem = size * d.num_channels as usize;
    let pitch = w * elem;
    let slice = pitch * h.max(1);
    let bytes = slice.checked_mul(dp.max(1)).ok_or(CUDA_ERROR_OUT_OF_MEMORY)?;
    if bytes > device::host_total_memory() {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let layout = std::alloc::Layout::from_size_align(bytes, 256).map_err(|_| CUDA_ERROR_OUT_OF_MEMORY)?;
    let p = unsafe { std::alloc::alloc_zeroed(layout) };
    if p.is_null() {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let info = ArrayInfo {
        base: p as u64,
        format: d.format,
        channels: d.num_channels,
        width: w as u32,
        height: h as u32,
        depth: dp as u32,
        flags: d.flags,
        pitch: pitch as u64,
        slice: slice as u64,
    };
    let (handle, _) = arrays().insert(Array { info, layout });
    tracing::debug!("array {handle:#x}: {w} x {h} x {dp}, format {:#x} x {}, {bytes} bytes", d.format, d.num_channels);
    Ok(handle)
}

// ---- entry points ----

pub unsafe fn create_v2(out: *mut CUarray, d: *const CUDA_ARRAY_DESCRIPTOR) -> CuResult {
    if out.is_null() || d.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let d = *d;
    let d3 = CUDA_ARRAY3D_DESCRIPTOR { width: d.width, height: d.height, depth: 0, format: d.format, num_channels: d.num_channels, flags: 0 };
    *out = create_array(&d3)? as CUarray;
    Ok(())
}

pub unsafe fn create_v1(out: *mut CUarray, d: *const CUDA_ARRAY_DESCRIPTOR_v1) -> CuResult {
    if d.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let d = *d;
    let d2 = CUDA_ARRAY_DESCRIPTOR { width: d.width as usize, height: d.height as usize, format: d.format, num_channels: d.num_channels };
    create_v2(out, &d2)
}

pub unsafe fn create_3d_v2(out: *mut CUarray, d: *const CUDA_ARRAY3D_DESCRIPTOR) -> CuResult {
    if out.is_null() || d.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *out = create_array(&*d)? as CUarray;
    Ok(())
}

pub unsafe fn create_3d_v1(out: *mut CUarray, d: *const CUDA_ARRAY3D_DESCRIPTOR_v1) -> CuResult {
    if d.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let d = *d;
    let d3 = CUDA_ARRAY3D_DESCRIPTOR {
        width: d.width as usize,
        height: d.height as usize,
        depth: d.depth as usize,
        format: d.format,
        num_channels: d.num_channels,
        flags: d.flags,
    };
    create_3d_v2(out, &d3)
}

/// Queued copies may still use the array: they finish first.
pub unsafe fn destroy(h: CUarray) -> CuResult {
    if !arrays().contains(h) {
        return Err(CUDA_ERROR_INVALID_HANDLE);
    }
    queue::drain_all();
    arrays().remove(h).map(|_| ()).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

pub unsafe fn get_descriptor_v2(out: *mut CUDA_ARRAY_DESCRIPTOR, h: CUarray) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let a = info(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    *out = CUDA_ARRAY_DESCRIPTOR { width: a.width as usize, height: a.height as usize, format: a.format, num_channels: a.channels };
    Ok(())
}

pub unsafe fn get_descriptor_v1(out: *mut CUDA_ARRAY_DESCRIPTOR_v1, h: CUarray) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let a = info(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    *out = CUDA_ARRAY_DESCRIPTOR_v1 { width: a.width, height: a.height, format: a.format, num_channels: a.channels };
    Ok(())
}

pub unsafe fn get_3d_descriptor_v2(out: *mut CUDA_ARRAY3D_DESCRIPTOR, h: CUarray) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let a = info(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    *out = CUDA_ARRAY3D_DESCRIPTOR {
        width: a.width as usize,
        height: a.height as usize,
        depth: a.depth as usize,
        format: a.format,
        num_channels: a.channels,
        flags: a.flags,
    };
    Ok(())
}

pub unsafe fn get_3d_descriptor_v1(out: *mut CUDA_ARRAY3D_DESCRIPTOR_v1, h: CUarray) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let a = info(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    *out = CUDA_ARRAY3D_DESCRIPTOR_v1 { width: a.width, height: a.height, depth: a.depth, format: a.format, num_channels: a.channels, flags: a.flags };
    Ok(())
}

// ---- copies ----

/// The array side of a 2D/3D copy: (first byte, pitch, slice) of the region at byte offset
/// `x`, row `y`, slice `z` spanning `w` bytes × `h` rows × `d` slices, which must lie inside
/// the array (the caller's pitch fields are ignored for arrays, as NVIDIA documents).
pub fn copy_side(h: CUarray, x: usize, y: usize, z: usize, w: usize, rows: usize, d: usize) -> CuResult<(usize, usize, usize)> {
    let a = info(h).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let row_bytes = a.pitch as usize;
    let (height, depth) = (a.height.max(1) as usize, a.depth.max(1) as usize);
    let fits = x.checked_add(w).is_some_and(|e| e <= row_bytes)
        && y.checked_add(rows).is_some_and(|e| e <= height)
        && z.checked_add(d).is_some_and(|e| e <= depth);
    if !fits {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok((a.base as usize + z * a.slice as usize + y * row_bytes + x, row_bytes, a.slice as usize))
}

/// `[offset, offset + n)` of an array's bytes (the 1D copies), as a host address. The range
/// must stay inside one row: NVIDIA's driver refuses a 1D copy that crosses a row boundary of
/// a 2D array (measured on an H100).
fn linear(h: CUarray, offset: usize, n: usize) -> CuResult<usize> {
    let a = info(h).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let pitch = a.pitch as usize;
    let end = offset.checked_add(n).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if end > a.bytes() || (n > 0 && offset / pitch != (end - 1) / pitch) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(a.base as usize + offset)
}

/// A 1D copy between an array and memory, as the 3D copy the stream runs.
unsafe fn copy_1d(dst: usize, dst_type: c_uint, src: usize, src_type: c_uint, n: usize, h: Option<CUstream>) -> CuResult {
    let p = memory::params_1d(dst, dst_type, src, src_type, n);
    match h {
        None => memory::memcpy_3d(&p),
        Some(s) => memory::memcpy_3d_async(&p, s),
    }
}

// Array bytes are host memory: the array side is a HOST operand of the copy (validated above).
const HOST: c_uint = CU_MEMORYTYPE_HOST;

pub unsafe fn htoa(dst: CUarray, off: usize, src: *const c_void, n: usize) -> CuResult {
    if src.is_null() && n > 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    copy_1d(linear(dst, off, n)?, HOST, src as usize, HOST, n, None)
}

pub unsafe fn atoh(dst: *mut c_void, src: CUarray, off: usize, n: usize) -> CuResult {
    if dst.is_null() && n > 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    copy_1d(dst as usize, HOST, linear(src, off, n)?, HOST, n, None)
}

pub unsafe fn dtoa(dst: CUarray, off: usize, src: CUdeviceptr, n: usize) -> CuResult {
    copy_1d(linear(dst, off, n)?, HOST, src as usize, CU_MEMORYTYPE_DEVICE, n, None)
}

pub unsafe fn atod(dst: CUdeviceptr, src: CUarray, off: usize, n: usize) -> CuResult {
    copy_1d(dst as usize, CU_MEMORYTYPE_DEVICE, linear(src, off, n)?, HOST, n, None)
}

pub unsafe fn atoa(dst: CUarray, dst_off: usize, src: CUarray, src_off: usize, n: usize) -> CuResult {
    copy_1d(linear(dst, dst_off, n)?, HOST, linear(src, src_off, n)?, HOST, n, None)
}

pub unsafe fn htoa_async(dst: CUarray, off: usize, src: *const c_void, n: usize, h: CUstream) -> CuResult {
    if src.is_null() && n > 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    copy_1d(linear(dst, off, n)?, HOST, src as usize, HOST, n, Some(h))
}

pub unsafe fn atoh_async(dst: *mut c_void, src: CUarray, off: usize, n: usize, h: CUstream) -> CuResult {
    if dst.is_null() && n > 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    copy_1d(dst as usize, HOST, linear(src, off, n)?, HOST, n, Some(h))
}

/// Live arrays (the report).
pub fn count() -> usize {
    arrays().snapshot().len()
}

// ---- mipmapped arrays ----

/// A mipmapped array: one array per level, level 0 the full size, each next level half as
/// large in every dimension it has (at least 1).
struct Mipmap {
    levels: Vec<usize>,
}

fn mipmaps() -> &'static Table<Mipmap> {
    static T: OnceLock<Table<Mipmap>> = OnceLock::new();
    T.get_or_init(Table::new)
}

/// The level arrays of mipmapped array `h`, level 0 first.
pub fn mipmap_levels(h: *mut c_void) -> Option<Vec<ArrayInfo>> {
    let m = mipmaps().get(h)?;
    m.levels.iter().map(|l| info(*l as CUarray)).collect()
}

/// `cuMipmappedArrayCreate`: at most 1 + log2 of the largest dimension levels (a request for
/// more gets that many, as NVIDIA's driver does: measured); 0 levels make one level.
pub unsafe fn mipmap_create(out: *mut *mut c_void, d: *const CUDA_ARRAY3D_DESCRIPTOR, num_levels: c_uint) -> CuResult {
    if out.is_null() || d.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let d = *d;
    let largest = d.width.max(d.height).max(if d.flags & CUDA_ARRAY3D_LAYERED != 0 { 0 } else { d.depth }).max(1);
    let max_levels = usize::BITS - largest.leading_zeros();
    let n = (num_levels.max(1)).min(max_levels);
    let mut levels = Vec::with_capacity(n as usize);
    let shrink = |v: usize, l: u32| if v == 0 { 0 } else { (v >> l).max(1) };
    for l in 0..n {
        let dl = CUDA_ARRAY3D_DESCRIPTOR {
            width: shrink(d.width, l),
            height: shrink(d.height, l),
            // layers and cube faces do not shrink
            depth: if d.flags & (CUDA_ARRAY3D_LAYERED | CUDA_ARRAY3D_CUBEMAP) != 0 { d.depth } else { shrink(d.depth, l) },
            ..d
        };
        match create_array(&dl) {
            Ok(h) => levels.push(h),
            Err(e) => {
                for h in levels {
                    arrays().remove(h as CUarray);
                }
                return Err(e);
            }
        }
    }
    let (h, _) = mipmaps().insert(Mipmap { levels });
    *out = h as *mut c_void;
    Ok(())
}

/// `cuMipmappedArrayGetLevel`: CUDA_ERROR_INVALID_VALUE past the last level (measured).
pub unsafe fn mipmap_get_level(out: *mut CUarray, h: *mut c_void, level: c_uint) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let m = mipmaps().get(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    *out = *m.levels.get(level as usize).ok_or(CUDA_ERROR_INVALID_VALUE)? as CUarray;
    Ok(())
}

/// `cuMipmappedArrayDestroy`: the levels go with it.
pub unsafe fn mipmap_destroy(h: *mut c_void) -> CuResult {
    if !mipmaps().contains(h) {
        return Err(CUDA_ERROR_INVALID_HANDLE);
    }
    queue::drain_all();
    let m = mipmaps().remove(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    for l in &m.levels {
        arrays().remove(*l as CUarray);
    }
    Ok(())
}
