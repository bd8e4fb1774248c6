//! Stream memory operations (`cuStreamWaitValue32/64`, `cuStreamWriteValue32/64`,
//! `cuStreamBatchMemOp`, the `_v2` entry points CUDA 11.7+ headers call) and stream attributes
//! (`cuStreamGetAttribute`/`SetAttribute`/`CopyAttributes`).
//!
//! A memory operation is stream work like any other (captured as a batch-mem-op graph node
//! inside a capture): a write is an atomic store with release ordering (a full fence first
//! unless `CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER`), a wait polls the address with acquire
//! loads on the stream's own worker thread until the condition holds, so later work on that
//! stream waits while the caller and other streams go on. The address may be device memory or
//! registered/pinned host memory (anything in the allocation table), as on NVIDIA's driver.
//!
//! The v1 entry points (`cuStreamWaitValue32` without `_v2`) stay unimplemented, as the H100's
//! driver reports them unusable (CAN_USE_STREAM_MEM_OPS_V1 = 0); the v2 ones are what
//! CAN_USE_64_BIT_STREAM_MEM_OPS / CAN_USE_STREAM_WAIT_VALUE_NOR advertise (both 1 here).

use super::graph::NodeKind;
use super::stream::{self, Stream};
use super::{context, memory};
use crate::api::*;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

// CUstreamWaitValue_flags
pub const CU_STREAM_WAIT_VALUE_GEQ: c_uint = 0x0;
pub const CU_STREAM_WAIT_VALUE_EQ: c_uint = 0x1;
pub const CU_STREAM_WAIT_VALUE_AND: c_uint = 0x2;
pub const CU_STREAM_WAIT_VALUE_NOR: c_uint = 0x3;
pub const CU_STREAM_WAIT_VALUE_FLUSH: c_uint = 1 << 30;
// CUstreamWriteValue_flags
pub const CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER: c_uint = 0x1;
// CUstreamBatchMemOpType
pub const CU_STREAM_MEM_OP_WAIT_VALUE_32: c_uint = 1;
pub const CU_STREAM_MEM_OP_WRITE_VALUE_32: c_uint = 2;
pub const CU_STREAM_MEM_OP_FLUSH_REMOTE_WRITES: c_uint = 3;
pub const CU_STREAM_MEM_OP_WAIT_VALUE_64: c_uint = 4;
pub const CU_STREAM_MEM_OP_WRITE_VALUE_64: c_uint = 5;
pub const CU_STREAM_MEM_OP_BARRIER: c_uint = 6;

/// `CUstreamBatchMemOpParams` (a 48-byte union; the wait/write member's layout).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CUstreamBatchMemOpParams {
    pub operation: c_uint,
    pub pad: c_uint,
    pub address: CUdeviceptr,
    /// `value` (32-bit, low half) or `value64`.
    pub value: u64,
    pub flags: c_uint,
    pub pad2: c_uint,
    pub alias: CUdeviceptr,
    pub pad3: u64,
}

/// One memory operation, validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemOp {
    Wait { addr: usize, value: u64, wide: bool, cond: c_uint },
    Write { addr: usize, value: u64, wide: bool, barrier: bool },
    /// CU_STREAM_MEM_OP_BARRIER and FLUSH_REMOTE_WRITES: a full fence on a CPU.
    Fence,
}

impl MemOp {
    /// The batch-parameter form (what cuGraph*BatchMemOp / a captured node hands back).
    pub fn params(&self) -> CUstreamBatchMemOpParams {
        let mut p = CUstreamBatchMemOpParams::default();
        match *self {
            MemOp::Wait { addr, value, wide, cond } => {
                p.operation = if wide { CU_STREAM_MEM_OP_WAIT_VALUE_64 } else { CU_STREAM_MEM_OP_WAIT_VALUE_32 };
                p.address = addr as u64;
                p.value = value;
                p.flags = cond;
            }
            MemOp::Write { addr, value, wide, barrier } => {
                p.operation = if wide { CU_STREAM_MEM_OP_WRITE_VALUE_64 } else { CU_STREAM_MEM_OP_WRITE_VALUE_32 };
                p.address = addr as u64;
                p.value = value;
                p.flags = if barrier { 0 } else { CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER };
            }
            MemOp::Fence => p.operation = CU_STREAM_MEM_OP_BARRIER,
        }
        p
    }
}

fn check_addr(addr: CUdeviceptr, wide: bool) -> CuResult<usize> {
    let n = if wide { 8 } else { 4 };
    if addr == 0 || addr % n as u64 != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    memory::check_range(addr as usize, n)?;
    Ok(addr as usize)
}

pub fn wait_op(addr: CUdeviceptr, value: u64, wide: bool, flags: c_uint) -> CuResult<MemOp> {
    let cond = flags & !CU_STREAM_WAIT_VALUE_FLUSH;
    if cond > CU_STREAM_WAIT_VALUE_NOR {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(MemOp::Wait { addr: check_addr(addr, wide)?, value: if wide { value } else { value as u32 as u64 }, wide, cond })
}

pub fn write_op(addr: CUdeviceptr, value: u64, wide: bool, flags: c_uint) -> CuResult<MemOp> {
    if flags & !CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(MemOp::Write {
        addr: check_addr(addr, wide)?,
        value: if wide { value } else { value as u32 as u64 },
        wide,
        barrier: flags & CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER == 0,
    })
}

/// Whether a wait's condition holds for the value read. GEQ compares cyclically, as
/// NVIDIA documents: `(int)(*addr - value) >= 0`.
pub fn condition(cond: c_uint, wide: bool, cur: u64, value: u64) -> bool {
    match (cond, wide) {
        (CU_STREAM_WAIT_VALUE_GEQ, false) => (cur as u32).wrapping_sub(value as u32) as i32 >= 0,
        (CU_STREAM_WAIT_VALUE_GEQ, true) => cur.wrapping_sub(value) as i64 >= 0,
        (CU_STREAM_WAIT_VALUE_EQ, _) => cur == value,
        (CU_STREAM_WAIT_VALUE_AND, _) => cur & value != 0,
        (CU_STREAM_WAIT_VALUE_NOR, false) => !(cur as u32 | value as u32) != 0,
        (CU_STREAM_WAIT_VALUE_NOR, true) => !(cur | value) != 0,
        _ => false,
    }
}

unsafe fn load(addr: usize, wide: bool) -> u64 {
    if wide {
        (*(addr as *const AtomicU64)).load(Ordering::Acquire)
    } else {
        (*(addr as *const AtomicU32)).load(Ordering::Acquire) as u64
    }
}

/// Runs the operations in order (stream work or a graph node).
pub unsafe fn execute(ops: &[MemOp]) {
    for op in ops {
        match *op {
            MemOp::Wait { addr, value, wide, cond } => {
                // Spin briefly (a GPU-side writer is usually close), then back off to sleeps.
                let mut spins = 0u32;
                while !condition(cond, wide, load(addr, wide), value) {
                    spins += 1;
                    if spins < 256 {
                        std::hint::spin_loop();
                    } else if spins < 512 {
                        std::thread::yield_now();
                    } else {
                        std::thread::sleep(Duration::from_micros(50));
                    }
                }
            }
            MemOp::Write { addr, value, wide, barrier } => {
                if barrier {
                    fence(Ordering::SeqCst);
                }
                if wide {
                    (*(addr as *const AtomicU64)).store(value, Ordering::Release);
                } else {
                    (*(addr as *const AtomicU32)).store(value as u32, Ordering::Release);
                }
            }
            MemOp::Fence => fence(Ordering::SeqCst),
        }
    }
}

/// A batch as a graph node holds it: the operations, and the parameter array
/// cuGraphBatchMemOpNodeGetParams hands out (the caller's own, or rebuilt for a capture).
pub struct MemOpBatch {
    pub ops: Vec<MemOp>,
    pub params: Vec<CUstreamBatchMemOpParams>,
}
// SAFETY: plain values (addresses are only dereferenced by the operations themselves).
unsafe impl Send for MemOpBatch {}
unsafe impl Sync for MemOpBatch {}

impl MemOpBatch {
    pub fn new(ops: Vec<MemOp>, params: Option<Vec<CUstreamBatchMemOpParams>>) -> Arc<Self> {
        let params = params.unwrap_or_else(|| ops.iter().map(MemOp::params).collect());
        Arc::new(MemOpBatch { ops, params })
    }
}

/// `CUDA_BATCH_MEM_OP_NODE_PARAMS`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CUDA_BATCH_MEM_OP_NODE_PARAMS {
    pub ctx: CUcontext,
    pub count: c_uint,
    pub param_array: *mut CUstreamBatchMemOpParams,
    pub flags: c_uint,
}

/// A batch-mem-op node's parameters, validated (flags must be 0).
pub unsafe fn node_batch(p: *const CUDA_BATCH_MEM_OP_NODE_PARAMS) -> CuResult<Arc<MemOpBatch>> {
    if p.is_null() || (*p).flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let p = *p;
    let ops = read_batch(p.count, p.param_array)?;
    let given = if p.count == 0 { Vec::new() } else { std::slice::from_raw_parts(p.param_array, p.count as usize).to_vec() };
    Ok(MemOpBatch::new(ops, Some(given)))
}

fn enqueue(h: CUstream, ops: Vec<MemOp>) -> CuResult {
    stream::enqueue(h, NodeKind::MemOps(MemOpBatch::new(ops, None)))
}

pub unsafe fn wait_value32(h: CUstream, addr: CUdeviceptr, value: u32, flags: c_uint) -> CuResult {
    stream::resolve(h)?;
    enqueue(h, vec![wait_op(addr, value as u64, false, flags)?])
}

pub unsafe fn wait_value64(h: CUstream, addr: CUdeviceptr, value: u64, flags: c_uint) -> CuResult {
    stream::resolve(h)?;
    enqueue(h, vec![wait_op(addr, value, true, flags)?])
}

pub unsafe fn write_value32(h: CUstream, addr: CUdeviceptr, value: u32, flags: c_uint) -> CuResult {
    stream::resolve(h)?;
    enqueue(h, vec![write_op(addr, value as u64, false, flags)?])
}

pub unsafe fn write_value64(h: CUstream, addr: CUdeviceptr, value: u64, flags: c_uint) -> CuResult {
    stream::resolve(h)?;
    enqueue(h, vec![write_op(addr, value, true, flags)?])
}

/// The most operations one cuStreamBatchMemOp takes: NVIDIA's driver refuses 256 (measured on
/// an H100, driver 580; the exact limit below that is not measured).
pub const MAX_BATCH: c_uint = 255;

/// Validates a batch (cuStreamBatchMemOp, batch-mem-op graph nodes).
pub unsafe fn read_batch(count: c_uint, params: *const CUstreamBatchMemOpParams) -> CuResult<Vec<MemOp>> {
    // An empty batch is accepted (measured).
    if count == 0 {
        return Ok(Vec::new());
    }
    if count > MAX_BATCH || params.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    std::slice::from_raw_parts(params, count as usize)
        .iter()
        .map(|p| match p.operation {
            CU_STREAM_MEM_OP_WAIT_VALUE_32 => wait_op(p.address, p.value as u32 as u64, false, p.flags),
            CU_STREAM_MEM_OP_WAIT_VALUE_64 => wait_op(p.address, p.value, true, p.flags),
            CU_STREAM_MEM_OP_WRITE_VALUE_32 => write_op(p.address, p.value as u32 as u64, false, p.flags),
            CU_STREAM_MEM_OP_WRITE_VALUE_64 => write_op(p.address, p.value, true, p.flags),
            CU_STREAM_MEM_OP_FLUSH_REMOTE_WRITES => {
                if p.pad != 0 {
                    // flushRemoteWrites.flags (the second word) must be 0.
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
                Ok(MemOp::Fence)
            }
            // memoryBarrier.flags: CU_STREAM_MEMORY_BARRIER_TYPE_SYS (0) or _GPU (1).
            CU_STREAM_MEM_OP_BARRIER if p.pad <= 1 => Ok(MemOp::Fence),
            _ => Err(CUDA_ERROR_INVALID_VALUE),
        })
        .collect()
}

pub unsafe fn batch_mem_op(h: CUstream, count: c_uint, params: *const CUstreamBatchMemOpParams, flags: c_uint) -> CuResult {
    if flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    stream::resolve(h)?;
    enqueue(h, read_batch(count, params)?)
}

// ---- stream attributes ----

// CUstreamAttrID (= CUlaunchAttributeID values that apply to streams)
pub const ATTR_ACCESS_POLICY_WINDOW: c_uint = 1;
pub const ATTR_SYNCHRONIZATION_POLICY: c_uint = 3;
pub const ATTR_PRIORITY: c_uint = 8;
pub const ATTR_MEM_SYNC_DOMAIN_MAP: c_uint = 9;
pub const ATTR_MEM_SYNC_DOMAIN: c_uint = 10;

/// `CUaccessPolicyWindow`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CUaccessPolicyWindow {
    pub base_ptr: usize,
    pub num_bytes: usize,
    pub hit_ratio: f32,
    pub hit_prop: c_uint,
    pub miss_prop: c_uint,
}

pub const SYNC_POLICY_UNSET: c_uint = u32::MAX;

/// A stream's attributes: recorded and answered (a CPU has no L2 persistence or sync domains
/// to steer; the priority is the one cuStreamGetPriority reports).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StreamAttrs {
    pub window: CUaccessPolicyWindow,
    pub sync_policy: c_uint,
    pub priority: c_int,
    pub domain_map: [u8; 2],
    pub domain: c_uint,
}

impl StreamAttrs {
    pub fn new(priority: c_int) -> Self {
        // A stream nobody set a policy on answers 0xffffffff, not CU_SYNC_POLICY_AUTO (measured
        // on an H100, driver 580); the default domain map sends the default domain to 0 and
        // the remote domain to 1.
        StreamAttrs { window: CUaccessPolicyWindow::default(), sync_policy: SYNC_POLICY_UNSET, priority, domain_map: [0, 1], domain: 0 }
    }
}

/// Attributes of the special streams (NULL, legacy, per-thread), per stream handle value and
/// context.
fn special_attrs() -> std::sync::MutexGuard<'static, HashMap<(usize, usize), StreamAttrs>> {
    static M: OnceLock<Mutex<HashMap<(usize, usize), StreamAttrs>>> = OnceLock::new();
    M.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

fn with_attrs<R>(h: CUstream, f: impl FnOnce(&mut StreamAttrs) -> CuResult<R>) -> CuResult<R> {
    match stream::lookup_stream(h)? {
        Some(s) => f(&mut s.attrs.lock().unwrap_or_else(|e| e.into_inner())),
        None => {
            // The NULL stream is the legacy stream.
            let k = if h as usize == 0 { stream::CU_STREAM_LEGACY } else { h as usize };
            let ctx = context::current()?.handle;
            let mut m = special_attrs();
            f(m.entry((k, ctx)).or_insert_with(|| StreamAttrs::new(0)))
        }
    }
}

/// The priority cuStreamGetPriority answers.
pub fn priority_of(s: &Stream) -> c_int {
    s.attrs.lock().unwrap_or_else(|e| e.into_inner()).priority
}

pub unsafe fn get_attribute(h: CUstream, attr: c_uint, out: *mut [u8; 64]) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let a = with_attrs(h, |a| Ok(*a))?;
    let mut v = [0u8; 64];
    let p = v.as_mut_ptr();
    match attr {
        // The fields only (28 bytes): the struct's tail padding stays zero.
        ATTR_ACCESS_POLICY_WINDOW => std::ptr::copy_nonoverlapping(&a.window as *const CUaccessPolicyWindow as *const u8, p, 28),
        ATTR_SYNCHRONIZATION_POLICY => (p as *mut c_uint).write_unaligned(a.sync_policy),
        ATTR_PRIORITY => (p as *mut c_int).write_unaligned(a.priority),
        ATTR_MEM_SYNC_DOMAIN_MAP => v[..2].copy_from_slice(&a.domain_map),
        ATTR_MEM_SYNC_DOMAIN => (p as *mut c_uint).write_unaligned(a.domain),
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    *out = v;
    Ok(())
}

pub unsafe fn set_attribute(h: CUstream, attr: c_uint, value: *const [u8; 64]) -> CuResult {
    if value.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let v = *value;
    let p = v.as_ptr();
    with_attrs(h, |a| {
        match attr {
            ATTR_ACCESS_POLICY_WINDOW => {
                let w = (p as *const CUaccessPolicyWindow).read_unaligned();
                // CUaccessProperty: NORMAL 0, STREAMING 1, PERSISTING 2.
                if !(0.0..=1.0).contains(&w.hit_ratio) || w.hit_prop > 2 || w.miss_prop > 2 {
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
                a.window = w;
            }
            ATTR_SYNCHRONIZATION_POLICY => {
                let s = (p as *const c_uint).read_unaligned();
                // CUsynchronizationPolicy: AUTO 1, SPIN 2, YIELD 3, BLOCKING_SYNC 4.
                if !(1..=4).contains(&s) {
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
                a.sync_policy = s;
            }
            ATTR_PRIORITY => {
                let pr = (p as *const c_int).read_unaligned();
                a.priority = pr.clamp(context::STREAM_PRIORITY_GREATEST, context::STREAM_PRIORITY_LEAST);
            }
            ATTR_MEM_SYNC_DOMAIN_MAP => a.domain_map = [v[0], v[1]],
            ATTR_MEM_SYNC_DOMAIN => {
                let d = (p as *const c_uint).read_unaligned();
                // CUlaunchMemSyncDomain: DEFAULT 0, REMOTE 1.
                if d > 1 {
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
                a.domain = d;
            }
            _ => return Err(CUDA_ERROR_INVALID_VALUE),
        }
        Ok(())
    })
}

pub unsafe fn copy_attributes(dst: CUstream, src: CUstream) -> CuResult {
    let a = with_attrs(src, |a| Ok(*a))?;
    with_attrs(dst, |d| {
        *d = a;
        Ok(())
    })
}

#[allow(dead_code)]
fn _assert_layout() {
    const _: () = assert!(std::mem::size_of::<CUstreamBatchMemOpParams>() == 48);
    const _: () = assert!(std::mem::size_of::<CUaccessPolicyWindow>() == 32);
    let _ = std::mem::size_of::<*mut c_void>();
}
