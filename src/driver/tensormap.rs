//! Tensor maps: `cuTensorMapEncodeTiled`, `cuTensorMapEncodeIm2col`,
//! `cuTensorMapEncodeIm2colWide` and `cuTensorMapReplaceAddress`. They write cuemu's own
//! 128-byte description (`exec::tensor::TensorMap`) into the caller's `CUtensorMap`.
//!
//! The checks are those NVIDIA's driver 580 made on an H100 (cc 9.0) for the table of inputs in
//! tests/programs/tma.cu, which is where the few departures from cuda.h's text come from:
//! - a `tensorMap` that is not 64-byte aligned is accepted, a null `globalAddress` is accepted
//!   (and refused by cuTensorMapReplaceAddress), a global stride of 0 or smaller than a row is
//!   accepted, dimensions above 2^31 are accepted (any non-zero value: nothing was refused);
//! - `globalStrides` must not be null even for rank 1; `elementStrides[0]` is checked (1..8)
//!   although it is ignored;
//! - interleave 32B is accepted with every swizzle (cuda.h asks for 32B), and with an
//!   interleave the swizzle span does not bound the box's inner dimension (box0 × element
//!   size up to 256 bytes, a multiple of 16, as without interleave; scripts/tma/probe_interleave.cu);
//! - on a 9.0 device the packed sub-byte types (16U4/16U6) and the 128B swizzles with 32/64-byte
//!   atoms are refused (sm_100 features); cuTensorMapEncodeIm2colWide is accepted.
//! Every refusal is CUDA_ERROR_INVALID_VALUE. A null `tensorMap` in cuTensorMapReplaceAddress
//! crashes NVIDIA's driver; here it is refused.

use super::device;
use crate::api::*;
use crate::exec::tensor::{dtype, TensorMap, KIND_IM2COL, KIND_IM2COL_WIDE, KIND_TILED, MAGIC};
use std::ffi::{c_int, c_void};

const INTERLEAVE_NONE: c_int = 0;
const INTERLEAVE_32B: c_int = 2;

fn check(ok: bool) -> CuResult {
    if ok {
        Ok(())
    } else {
        Err(CUDA_ERROR_INVALID_VALUE)
    }
}

/// Whether the device has sm_100's tensor-map features.
fn sm100() -> bool {
    device::get(0).map(|d| d.cc.0 >= 10).unwrap_or(false)
}

/// What every encoder shares: type, rank range, address, dims, strides, element strides,
/// interleave, swizzle (its inner-dimension limit: `inner_bytes`), L2 promotion, OOB fill.
struct Common {
    dt: c_int,
    rank: u32,
    address: u64,
    interleave: c_int,
    swizzle: c_int,
    l2: c_int,
    oob: c_int,
}

unsafe fn common(c: &Common, ranks: std::ops::RangeInclusive<u32>, dims: *const u64, strides: *const u64, es: *const u32, inner_elems: u64) -> CuResult<TensorMap> {
    check(!dims.is_null() && !strides.is_null() && !es.is_null())?;
    check((0..=15).contains(&c.dt))?;
    let dt = c.dt as u8;
    let Some(e) = dtype::size(dt) else {
        // the packed 16U4/16U6 types: sm_100
        check(sm100())?;
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    };
    check(ranks.contains(&c.rank))?;
    check((0..=2).contains(&c.interleave))?;
    check(c.interleave == INTERLEAVE_NONE || c.rank >= 3)?;
    let align = if c.interleave == INTERLEAVE_32B { 32 } else { 16 };
    check(c.address % align == 0)?;
    check((0..=6).contains(&c.swizzle))?;
    check(c.swizzle <= 3 || sm100())?;
    check((0..=3).contains(&c.l2))?;
    check((0..=1).contains(&c.oob))?;
    check(c.oob == 0 || dtype::is_float(dt))?;
    let rank = c.rank as usize;
    let mut m = TensorMap::zeroed();
    m.magic = MAGIC;
    m.dtype = dt;
    m.rank = c.rank as u8;
    m.address = c.address;
    m.interleave = c.interleave as u8;
    m.swizzle = c.swizzle as u8;
    m.l2_promotion = c.l2 as u8;
    m.oob_nan = c.oob as u8;
    for d in 0..rank {
        let v = *dims.add(d);
        check(v != 0)?;
        m.dims[d] = v;
        let s = *es.add(d);
        check((1..=8).contains(&s))?;
        m.elem_strides[d] = s as u8;
    }
    for d in 0..rank - 1 {
        let s = *strides.add(d);
        check(s % align == 0 && s < 1 << 40)?;
        m.strides[d] = s;
    }
    // the box's inner dimension in bytes: a multiple of 16, within the swizzle span
    let inner = inner_elems * e;
    check(inner % 16 == 0)?;
    if c.interleave == INTERLEAVE_NONE {
        let span = m.swizzle_span();
        check(span == 0 || inner <= span)?;
    }
    Ok(m)
}

unsafe fn write(out: *mut c_void, m: &TensorMap) -> CuResult {
    (out as *mut TensorMap).write_unaligned(*m);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn encode_tiled(
    out: *mut c_void,
    dt: c_int,
    rank: u32,
    address: *mut c_void,
    dims: *const u64,
    strides: *const u64,
    box_dim: *const u32,
    es: *const u32,
    interleave: c_int,
    swizzle: c_int,
    l2: c_int,
    oob: c_int,
) -> CuResult {
    check(!out.is_null() && !box_dim.is_null())?;
    let c = Common { dt, rank, address: address as u64, interleave, swizzle, l2, oob };
    check((1..=5).contains(&rank))?;
    let inner = *box_dim;
    let mut m = common(&c, 1..=5, dims, strides, es, inner as u64)?;
    m.kind = KIND_TILED;
    for d in 0..rank as usize {
        let b = *box_dim.add(d);
        check((1..=256).contains(&b))?;
        m.box_dim[d] = b as u16;
    }
    write(out, &m)
}

/// The range of an im2col corner offset for a tensor of `rank` (cuda.h; measured at the ends).
fn corner_range(rank: u32) -> std::ops::RangeInclusive<i32> {
    match rank {
        3 => -32768..=32767,
        4 => -128..=127,
        _ => -16..=15,
    }
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn encode_im2col(
    out: *mut c_void,
    dt: c_int,
    rank: u32,
    address: *mut c_void,
    dims: *const u64,
    strides: *const u64,
    lower: *const c_int,
    upper: *const c_int,
    channels: u32,
    pixels: u32,
    es: *const u32,
    interleave: c_int,
    swizzle: c_int,
    l2: c_int,
    oob: c_int,
) -> CuResult {
    check(!out.is_null() && !lower.is_null() && !upper.is_null())?;
    check((3..=5).contains(&rank))?;
    check((1..=256).contains(&channels) && (1..=1024).contains(&pixels))?;
    let c = Common { dt, rank, address: address as u64, interleave, swizzle, l2, oob };
    let mut m = common(&c, 3..=5, dims, strides, es, channels as u64)?;
    m.kind = KIND_IM2COL;
    m.channels_per_pixel = channels as u16;
    m.pixels_per_column = pixels as u16;
    for k in 0..rank as usize - 2 {
        let (lo, hi) = (*lower.add(k), *upper.add(k));
        check(corner_range(rank).contains(&lo) && corner_range(rank).contains(&hi))?;
        // the bounding box (from lower to dim - 1 + upper) must not be empty
        check(m.dims[k + 1] as i64 + hi as i64 - lo as i64 > 0)?;
        m.lower[k] = lo as i16;
        m.upper[k] = hi as i16;
    }
    write(out, &m)
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn encode_im2col_wide(
    out: *mut c_void,
    dt: c_int,
    rank: u32,
    address: *mut c_void,
    dims: *const u64,
    strides: *const u64,
    lower_w: c_int,
    upper_w: c_int,
    channels: u32,
    pixels: u32,
    es: *const u32,
    interleave: c_int,
    mode: c_int,
    swizzle: c_int,
    l2: c_int,
    oob: c_int,
) -> CuResult {
    check(!out.is_null())?;
    check((3..=5).contains(&rank))?;
    check((0..=1).contains(&mode))?;
    check((1..=256).contains(&channels) && (mode == 1 || (1..=1024).contains(&pixels)))?;
    // 64B, 128B and 128B with 32-byte atoms only
    check(matches!(swizzle, 2 | 3 | 4))?;
    let c = Common { dt, rank, address: address as u64, interleave, swizzle, l2, oob };
    let mut m = common(&c, 3..=5, dims, strides, es, channels as u64)?;
    check((-32768..=32767).contains(&lower_w) && (-32768..=32767).contains(&upper_w))?;
    check(m.dims[1] as i64 + upper_w as i64 - lower_w as i64 > 0)?;
    m.kind = KIND_IM2COL_WIDE;
    m.wide_mode = mode as u8;
    m.channels_per_pixel = channels as u16;
    m.pixels_per_column = pixels as u16;
    m.lower[0] = lower_w as i16;
    m.upper[0] = upper_w as i16;
    write(out, &m)
}

/// `cuTensorMapReplaceAddress`: only the global address changes. NVIDIA's driver does not
/// recognise its own maps (it returned CUDA_SUCCESS for 128 bytes that were no tensor map):
/// the address field is written whatever the bytes hold; the interleave's 32-byte alignment
/// applies when they are a map of ours.
pub unsafe fn replace_address(out: *mut c_void, address: *mut c_void) -> CuResult {
    check(!out.is_null() && !address.is_null())?;
    let mut m = (out as *const TensorMap).read_unaligned();
    let align = if m.magic == MAGIC && m.interleave as c_int == INTERLEAVE_32B { 32 } else { 16 };
    check(address as u64 % align == 0)?;
    m.address = address as u64;
    write(out, &m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(C, align(64))]
    struct Map([u8; 128]);

    /// cuTensorMapEncodeTiled of an f32 64x32 tensor (row pitch 256 B), box 16x8, with one
    /// argument changed by `tweak`.
    fn tiled(tweak: impl FnOnce(&mut [u64; 2], &mut [u64; 1], &mut [u32; 2], &mut [u32; 2], &mut [c_int; 4], &mut u64)) -> CuResult<TensorMap> {
        let mut map = Map([0; 128]);
        let (mut dims, mut strides, mut boxd, mut es) = ([64u64, 32], [256u64], [16u32, 8], [1u32, 1]);
        let mut modes = [0, 0, 0, 0]; // interleave, swizzle, l2, oob
        let buf = vec![0u8; 256 * 32 + 64];
        let mut addr = (buf.as_ptr() as u64).next_multiple_of(32);
        tweak(&mut dims, &mut strides, &mut boxd, &mut es, &mut modes, &mut addr);
        unsafe {
            encode_tiled(
                map.0.as_mut_ptr() as *mut c_void,
                dtype::F32 as c_int,
                2,
                addr as *mut c_void,
                dims.as_ptr(),
                strides.as_ptr(),
                boxd.as_ptr(),
                es.as_ptr(),
                modes[0],
                modes[1],
                modes[2],
                modes[3],
            )?;
            Ok((map.0.as_ptr() as *const TensorMap).read())
        }
    }

    #[test]
    fn tiled_maps_are_checked_as_the_h100_driver_checks_them() {
        let m = tiled(|_, _, _, _, _, _| {}).unwrap();
        assert_eq!((m.magic, m.rank, m.dims[0], m.dims[1], m.strides[0], m.box_dim[0], m.box_dim[1]), (MAGIC, 2, 64, 32, 256, 16, 8));
        let bad = Err(CUDA_ERROR_INVALID_VALUE);
        // (each case's code as NVIDIA's driver 580 answered it on the H100: tma.cu's table)
        assert_eq!(tiled(|_, _, _, _, _, a| *a += 8).map(|_| ()), bad, "address not 16-byte aligned");
        assert!(tiled(|_, _, _, _, _, a| *a += 16).is_ok());
        assert_eq!(tiled(|d, _, _, _, _, _| d[0] = 0).map(|_| ()), bad, "zero dimension");
        assert!(tiled(|d, _, _, _, _, _| d[0] = 1 << 32).is_ok(), "no upper bound on dimensions");
        assert_eq!(tiled(|_, s, _, _, _, _| s[0] = 8).map(|_| ()), bad, "stride not a multiple of 16");
        assert!(tiled(|_, s, _, _, _, _| s[0] = 0).is_ok(), "a zero stride is accepted");
        assert_eq!(tiled(|_, s, _, _, _, _| s[0] = 1 << 40).map(|_| ()), bad);
        assert_eq!(tiled(|_, _, b, _, _, _| b[1] = 257).map(|_| ()), bad);
        assert_eq!(tiled(|_, _, b, _, _, _| b[0] = 6).map(|_| ()), bad, "inner box 24 bytes");
        assert_eq!(tiled(|_, _, _, e, _, _| e[1] = 9).map(|_| ()), bad);
        assert_eq!(tiled(|_, _, _, e, _, _| e[0] = 9).map(|_| ()), bad, "elementStrides[0] is checked");
        assert!(tiled(|_, _, _, e, _, _| e[0] = 3).is_ok());
        assert_eq!(tiled(|_, _, _, _, m, _| m[0] = 1).map(|_| ()), bad, "interleave needs rank 3");
        assert_eq!(tiled(|_, _, _, _, m, _| m[1] = 1).map(|_| ()), bad, "64-byte rows under the 32B swizzle");
        assert!(tiled(|_, _, _, _, m, _| m[1] = 2).is_ok());
        assert_eq!(tiled(|_, _, _, _, m, _| m[2] = 4).map(|_| ()), bad);
        assert!(tiled(|_, _, _, _, m, _| m[3] = 1).is_ok_and(|m| m.oob_nan == 1), "NaN fill of f32");
    }

    #[test]
    fn replace_address_keeps_the_rest_of_the_map() {
        let m = tiled(|_, _, _, _, _, _| {}).unwrap();
        let mut map = Map([0; 128]);
        unsafe {
            (map.0.as_mut_ptr() as *mut TensorMap).write(m);
            let p = map.0.as_mut_ptr() as *mut c_void;
            assert_eq!(replace_address(p, 0x1000 as *mut c_void), Ok(()));
            assert_eq!(replace_address(p, 0x1008 as *mut c_void), Err(CUDA_ERROR_INVALID_VALUE));
            assert_eq!(replace_address(p, std::ptr::null_mut()), Err(CUDA_ERROR_INVALID_VALUE));
            let r = (map.0.as_ptr() as *const TensorMap).read();
            assert_eq!(r.address, 0x1000);
            assert_eq!((r.dims, r.strides, r.box_dim), (m.dims, m.strides, m.box_dim));
        }
    }
}
