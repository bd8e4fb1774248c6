//! Batched copies: `cuMemcpyBatchAsync` (12.8 ABI with `failIdx`, 13.0 `_v2` without) and
//! `cuMemcpy3DBatchAsync` (likewise), with `CUmemcpyAttributes`.
//!
//! The whole batch is validated before anything is enqueued; then each copy is an ordinary
//! stream copy (`memory.rs`), so a batch runs in stream order and is captured as memcpy nodes.
//! Source access orders: STREAM reads in stream order (pageable host sources staged at the call,
//! as cuMemcpyAsync does); DURING_API_CALL reads the source before the call returns (staged);
//! ANY may read later, which stream order satisfies. The location hints and
//! PREFER_OVERLAP_WITH_COMPUTE are hints with nothing to act on here (one memory).
//!
//! Errors, as NVIDIA's driver 580 answers them (tests/programs/driver_newer.cu): the legacy
//! NULL stream is CUDA_ERROR_INVALID_VALUE with `*failIdx` untouched; errors of the batch as a
//! whole (zero copies, NULL arrays, attribute entries out of order, an invalid access order or
//! flag, `numAttrs` 0 or above the count, a 3D flag) leave `*failIdx` = SIZE_MAX; errors of one
//! copy (size or extent 0, NULL pointer, a device range overrun, an operand type, a row length
//! below the width) put its index there; an array region out of bounds is SIZE_MAX again.

use super::{array, memory, stream};
use crate::api::*;
use std::ffi::{c_int, c_uint};

/// `CUmemcpyAttributes`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CUmemcpyAttributes {
    pub src_access_order: c_int,
    pub src_loc_hint: CUmemLocation,
    pub dst_loc_hint: CUmemLocation,
    pub flags: c_uint,
}

/// `CUmemcpy3DOperand`: type, then a union of {ptr, rowLength, layerHeight, locHint} and
/// {array, offset x/y/z}.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CUmemcpy3DOperand {
    pub type_: c_int,
    pub op: [u64; 4],
}

/// `CUDA_MEMCPY3D_BATCH_OP`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CUDA_MEMCPY3D_BATCH_OP {
    pub src: CUmemcpy3DOperand,
    pub dst: CUmemcpy3DOperand,
    pub extent: [usize; 3],
    pub src_access_order: c_int,
    pub flags: c_uint,
}

// CUmemcpySrcAccessOrder
const ORDER_STREAM: c_int = 1;
const ORDER_DURING_API_CALL: c_int = 2;
const ORDER_ANY: c_int = 3;
/// CU_MEMCPY_FLAG_PREFER_OVERLAP_WITH_COMPUTE: the only flag.
const FLAG_PREFER_OVERLAP: c_uint = 1;
// CUmemcpy3DOperandType
const OPERAND_POINTER: c_int = 1;
const OPERAND_ARRAY: c_int = 2;

/// An error and what `*failIdx` says about it (None: SIZE_MAX, not one copy's fault).
type Fail = (CUresult, Option<usize>);

fn whole(e: CUresult) -> Fail {
    (e, None)
}

/// A source access order and flags a copy (1D attributes or a 3D operation) may carry.
fn valid_attrs(order: c_int, flags: c_uint) -> bool {
    matches!(order, ORDER_STREAM | ORDER_DURING_API_CALL | ORDER_ANY) && flags & !FLAG_PREFER_OVERLAP == 0
}

unsafe fn write_fail(fail_idx: *mut usize, f: Option<usize>) {
    if !fail_idx.is_null() {
        *fail_idx = f.unwrap_or(usize::MAX);
    }
}

/// The stream must not be the legacy NULL stream (checked before anything else: `*failIdx` is
/// left as it was, measured).
fn check_stream(h: CUstream) -> CuResult {
    if stream::is_legacy_handle(h) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    stream::resolve(h).map(|_| ())
}

/// One side of a 1D copy: not NULL; inside its allocation when it is CUDA memory.
fn check_ptr(p: u64, n: usize) -> CuResult {
    if p == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if memory::find(p as usize).is_some() {
        memory::check_range(p as usize, n)?;
    }
    Ok(())
}

unsafe fn batch_1d(
    dsts: *const CUdeviceptr,
    srcs: *const CUdeviceptr,
    sizes: *const usize,
    count: usize,
    attrs: *const CUmemcpyAttributes,
    idxs: *const usize,
    num_attrs: usize,
    h: CUstream,
) -> Result<(), Fail> {
    if count == 0 || dsts.is_null() || srcs.is_null() || sizes.is_null() || attrs.is_null() || idxs.is_null() {
        return Err(whole(CUDA_ERROR_INVALID_VALUE));
    }
    if num_attrs == 0 || num_attrs > count {
        return Err(whole(CUDA_ERROR_INVALID_VALUE));
    }
    let attrs = std::slice::from_raw_parts(attrs, num_attrs);
    let idxs = std::slice::from_raw_parts(idxs, num_attrs);
    if idxs[0] != 0 || idxs.windows(2).any(|w| w[1] <= w[0]) || idxs[num_attrs - 1] >= count {
        return Err(whole(CUDA_ERROR_INVALID_VALUE));
    }
    if attrs.iter().any(|a| !valid_attrs(a.src_access_order, a.flags)) {
        return Err(whole(CUDA_ERROR_INVALID_VALUE));
    }
    let (dsts, srcs, sizes) = (std::slice::from_raw_parts(dsts, count), std::slice::from_raw_parts(srcs, count), std::slice::from_raw_parts(sizes, count));
    for i in 0..count {
        if sizes[i] == 0 {
            return Err((CUDA_ERROR_INVALID_VALUE, Some(i)));
        }
        check_ptr(dsts[i], sizes[i]).and_then(|_| check_ptr(srcs[i], sizes[i])).map_err(|e| (e, Some(i)))?;
    }
    let order_of = |i: usize| attrs[idxs.iter().rposition(|&s| s <= i).unwrap_or(0)].src_access_order;
    for i in 0..count {
        let (d, s, n) = (dsts[i] as usize, srcs[i] as usize, sizes[i]);
        let r = if memory::pageable(d) {
            stream::enqueue_and_wait(h, super::graph::NodeKind::Memcpy(memory::params_1d(d, CU_MEMORYTYPE_UNIFIED, s, CU_MEMORYTYPE_UNIFIED, n)))
        } else if memory::pageable(s) || order_of(i) == ORDER_DURING_API_CALL {
            // Read now: the caller may reuse the source once the call returns.
            memory::enqueue_staged(h, d, CU_MEMORYTYPE_UNIFIED, s, n)
        } else {
            memory::enqueue_copy(h, d, CU_MEMORYTYPE_UNIFIED, s, CU_MEMORYTYPE_UNIFIED, n)
        };
        r.map_err(|e| (e, Some(i)))?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn batch_v1(
    dsts: *const CUdeviceptr,
    srcs: *const CUdeviceptr,
    sizes: *const usize,
    count: usize,
    attrs: *const CUmemcpyAttributes,
    idxs: *const usize,
    num_attrs: usize,
    fail_idx: *mut usize,
    h: CUstream,
) -> CuResult {
    check_stream(h)?;
    let r = batch_1d(dsts, srcs, sizes, count, attrs, idxs, num_attrs, h);
    write_fail(fail_idx, r.err().and_then(|f| f.1));
    r.map_err(|f| f.0)
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn batch_v2(
    dsts: *const CUdeviceptr,
    srcs: *const CUdeviceptr,
    sizes: *const usize,
    count: usize,
    attrs: *const CUmemcpyAttributes,
    idxs: *const usize,
    num_attrs: usize,
    h: CUstream,
) -> CuResult {
    batch_v1(dsts, srcs, sizes, count, attrs, idxs, num_attrs, std::ptr::null_mut(), h)
}

/// One side of a 3D batch copy in `CUDA_MEMCPY3D` terms, for copies of `elem`-byte elements.
/// Writes the side's fields through `set`.
fn operand(o: &CUmemcpy3DOperand, elem: usize, extent: [usize; 3], p: &mut CUDA_MEMCPY3D, src: bool) -> CuResult {
    match o.type_ {
        OPERAND_POINTER => {
            let (ptr, row, layer) = (o.op[0], o.op[1] as usize, o.op[2] as usize);
            if ptr == 0 || row != 0 && row < extent[0] || layer != 0 && layer < extent[1] {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            let pitch = row * elem;
            if src {
                p.src_memory_type = CU_MEMORYTYPE_UNIFIED;
                p.src_device = ptr;
                p.src_pitch = pitch;
                p.src_height = layer;
            } else {
                p.dst_memory_type = CU_MEMORYTYPE_UNIFIED;
                p.dst_device = ptr;
                p.dst_pitch = pitch;
                p.dst_height = layer;
            }
        }
        OPERAND_ARRAY => {
            let (a, x, y, z) = (o.op[0] as CUarray, o.op[1] as usize, o.op[2] as usize, o.op[3] as usize);
            if src {
                p.src_memory_type = CU_MEMORYTYPE_ARRAY;
                p.src_array = a;
                (p.src_x_in_bytes, p.src_y, p.src_z) = (x * elem, y, z);
            } else {
                p.dst_memory_type = CU_MEMORYTYPE_ARRAY;
                p.dst_array = a;
                (p.dst_x_in_bytes, p.dst_y, p.dst_z) = (x * elem, y, z);
            }
        }
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    Ok(())
}

/// Element size of an array operand (None for a pointer).
fn array_elem(o: &CUmemcpy3DOperand) -> CuResult<Option<usize>> {
    if o.type_ != OPERAND_ARRAY {
        return Ok(None);
    }
    let info = array::info(o.op[0] as CUarray).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    Ok(Some(info.elem_bytes()))
}

unsafe fn batch_3d(num: usize, ops: *const CUDA_MEMCPY3D_BATCH_OP, flags: u64, h: CUstream) -> Result<(), Fail> {
    if num == 0 || ops.is_null() || flags != 0 {
        return Err(whole(CUDA_ERROR_INVALID_VALUE));
    }
    let ops = std::slice::from_raw_parts(ops, num);
    let mut copies = Vec::with_capacity(num);
    for (i, op) in ops.iter().enumerate() {
        let fail = |e: CUresult| (e, Some(i));
        if op.extent.contains(&0) || !valid_attrs(op.src_access_order, op.flags) {
            return Err(fail(CUDA_ERROR_INVALID_VALUE));
        }
        if !matches!(op.src.type_, OPERAND_POINTER | OPERAND_ARRAY) || !matches!(op.dst.type_, OPERAND_POINTER | OPERAND_ARRAY) {
            return Err(fail(CUDA_ERROR_INVALID_VALUE));
        }
        // Pointer-to-pointer copies count bytes; with an array, its element size; two arrays
        // must agree.
        let elem = match (array_elem(&op.src).map_err(fail)?, array_elem(&op.dst).map_err(fail)?) {
            (Some(a), Some(b)) if a != b => return Err(fail(CUDA_ERROR_INVALID_VALUE)),
            (Some(a), _) | (None, Some(a)) => a,
            (None, None) => 1,
        };
        let mut p = CUDA_MEMCPY3D::zeroed();
        operand(&op.src, elem, op.extent, &mut p, true).map_err(fail)?;
        operand(&op.dst, elem, op.extent, &mut p, false).map_err(fail)?;
        p.width_in_bytes = op.extent[0] * elem;
        p.height = op.extent[1];
        p.depth = op.extent[2];
        copies.push(p);
    }
    for (i, p) in copies.iter().enumerate() {
        if let Err(e) = memory::validate_copy_3d(p) {
            // A region outside an array is not reported as the copy's fault (measured).
            let arrays = p.src_memory_type == CU_MEMORYTYPE_ARRAY || p.dst_memory_type == CU_MEMORYTYPE_ARRAY;
            return Err((e, if arrays { None } else { Some(i) }));
        }
    }
    for (i, p) in copies.into_iter().enumerate() {
        memory::enqueue_3d(h, p).map_err(|e| (e, Some(i)))?;
    }
    Ok(())
}

pub unsafe fn batch_3d_v1(num: usize, ops: *const CUDA_MEMCPY3D_BATCH_OP, fail_idx: *mut usize, flags: u64, h: CUstream) -> CuResult {
    check_stream(h)?;
    let r = batch_3d(num, ops, flags, h);
    write_fail(fail_idx, r.err().and_then(|f| f.1));
    r.map_err(|f| f.0)
}

pub unsafe fn batch_3d_v2(num: usize, ops: *const CUDA_MEMCPY3D_BATCH_OP, flags: u64, h: CUstream) -> CuResult {
    batch_3d_v1(num, ops, std::ptr::null_mut(), flags, h)
}
