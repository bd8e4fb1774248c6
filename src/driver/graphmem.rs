//! Graph memory: allocation and free nodes (`cuGraphAddMemAllocNode`/`FreeNode`, and
//! `cuMemAllocAsync`/`cuMemFreeAsync` captured from a stream), the device's graph memory
//! attributes and `cuDeviceGraphMemTrim`.
//!
//! As in CUDA, an allocation node's virtual address is fixed when the node is made and stays
//! the same for every launch of the instantiated graph. Here the node reserves that address
//! range at once (an anonymous read-write mapping, lazily committed: untouched pages cost no
//! memory) and records it in the allocation table for its whole life, so copies, memsets and
//! kernels accept it whether or not the allocation is "live". What the alloc/free nodes do
//! when they run is accounting:
//! - *live*: allocations whose alloc node ran and whose free has not (the report shows it);
//! - *backed*: memory behind graph allocations whose alloc node ran, kept after a free (as
//!   NVIDIA's graph pool caches it) until `cuDeviceGraphMemTrim` gives the pages back
//!   (`MADV_DONTNEED`).
//!
//! The device attributes answer as NVIDIA's driver does (measured on an H100 with
//! tests/c/driver_breadth_probe.cu and its follow-up): USED and RESERVED are both the backed
//! memory in whole 32 MiB chunks (a 4 KiB allocation reads 32 MiB, a 40 MiB one 64 MiB),
//! freeing does not lower them, a trim does.
//!
//! Two states per allocation: `outstanding` follows enqueue order (a launch whose graph does
//! not free the allocation sets it, a free clears it) and decides whether a relaunch is legal;
//! `live` follows execution and drives the accounting. The range is unmapped when no node
//! refers to it any more and it is not outstanding (an allocation a graph left unfreed outlives
//! the graph until someone frees it).

use super::pool::CUmemPoolProps;
use super::{device, memory, queue, stream};
use crate::api::*;
use std::collections::HashMap;
use std::ffi::{c_uint, c_void};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

const PAGE: usize = 4096;
/// The granularity of NVIDIA's graph memory accounting (measured).
const CHUNK: u64 = 32 << 20;

fn chunked(bytes: u64) -> u64 {
    bytes.div_ceil(CHUNK) * CHUNK
}

/// `CUDA_MEM_ALLOC_NODE_PARAMS` (v1; v2 has the same layout).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CUDA_MEM_ALLOC_NODE_PARAMS {
    pub pool_props: CUmemPoolProps,
    pub access_descs: *const CUmemAccessDesc,
    pub access_desc_count: usize,
    pub bytesize: usize,
    pub dptr: CUdeviceptr,
}

/// What an allocation node holds: the fixed range and the parameters it was made with.
/// Shared by the node, its executable copies and a capture; dropping the last one releases
/// the range unless the allocation is still outstanding.
pub struct GraphAlloc {
    pub base: usize,
    pub size: usize,
    pub props: CUmemPoolProps,
    pub access: Vec<CUmemAccessDesc>,
    /// Its graph was instantiated: a free node for it can no longer be added there.
    pub instantiated: std::sync::atomic::AtomicBool,
}
// SAFETY: the pool properties' pointer (win32 attributes) is never dereferenced.
unsafe impl Send for GraphAlloc {}
unsafe impl Sync for GraphAlloc {}

impl Drop for GraphAlloc {
    fn drop(&mut self) {
        let mut s = state();
        if let Some(e) = s.entries.get_mut(&self.base) {
            e.nodes_gone = true;
            if !e.outstanding && !e.live {
                destroy(&mut s, self.base);
            }
        }
    }
}

struct Entry {
    size: usize,
    len: usize,
    outstanding: bool,
    live: bool,
    /// Pages may be committed (the alloc node ran since the last trim).
    backed: bool,
    nodes_gone: bool,
}

#[derive(Default)]
struct GraphMem {
    entries: HashMap<usize, Entry>,
    used: u64,
    used_high: u64,
    reserved: u64,
    reserved_high: u64,
    /// Backed bytes of released ranges: still reserved (a pool would keep them) until a trim.
    released_backed: u64,
}

fn state() -> MutexGuard<'static, GraphMem> {
    static S: OnceLock<Mutex<GraphMem>> = OnceLock::new();
    S.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

fn destroy(s: &mut GraphMem, base: usize) {
    if let Some(e) = s.entries.remove(&base) {
        if e.backed {
            s.released_backed += e.size as u64;
        }
        memory::unregister_graph(base);
        unsafe { libc::munmap(base as *mut c_void, e.len) };
        tracing::debug!("graph allocation {base:#x} released");
    }
}

/// Whether `ptr` is the base of a graph allocation.
pub fn is_graph_alloc(ptr: usize) -> bool {
    state().entries.contains_key(&ptr)
}

/// Makes an allocation node's range: validates the parameters as cuGraphAddMemAllocNode does.
pub unsafe fn new_alloc(props: &CUmemPoolProps, access: &[CUmemAccessDesc], size: usize, ctx: usize) -> CuResult<Arc<GraphAlloc>> {
    // CU_MEM_ALLOCATION_TYPE_PINNED on a device location.
    if size == 0 || props.alloc_type != 1 || props.location.type_ != 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(props.location.id).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?;
    for d in access {
        if d.location.type_ != 1 || !matches!(d.flags, 0 | 1 | 3) {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        device::get(d.location.id).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?;
    }
    if size > device::host_total_memory() {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let len = size.div_ceil(PAGE) * PAGE;
    let p = libc::mmap(
        std::ptr::null_mut(),
        len,
        libc::PROT_READ | libc::PROT_WRITE,
        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
        -1,
        0,
    );
    if p == libc::MAP_FAILED {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let base = p as usize;
    memory::register_graph(base, size, ctx);
    state().entries.insert(base, Entry { size, len, outstanding: false, live: false, backed: false, nodes_gone: false });
    tracing::debug!("graph allocation {base:#x}: {size} bytes");
    Ok(Arc::new(GraphAlloc { base, size, props: *props, access: access.to_vec(), instantiated: Default::default() }))
}

/// An allocation node ran.
pub fn alloc_executed(a: &GraphAlloc) {
    let mut s = state();
    let Some(e) = s.entries.get_mut(&a.base) else { return };
    let (was_live, was_backed, size) = (e.live, e.backed, e.size as u64);
    e.live = true;
    e.backed = true;
    if !was_live {
        s.used += size;
    }
    if !was_backed {
        s.reserved += size;
    }
    // The watermarks are of what the attributes report.
    let reported = chunked(s.reserved);
    s.used_high = s.used_high.max(reported);
    s.reserved_high = s.reserved_high.max(reported);
}

/// A free of graph allocation `base` ran (free node, or cuMemFree/cuMemFreeAsync).
pub fn free_executed(base: usize) {
    let mut s = state();
    let Some(e) = s.entries.get_mut(&base) else { return };
    if !e.live {
        return;
    }
    e.live = false;
    let (size, gone, outstanding) = (e.size as u64, e.nodes_gone, e.outstanding);
    s.used = s.used.saturating_sub(size);
    if gone && !outstanding {
        destroy(&mut s, base);
    }
}

/// cuMemFree / cuMemFreeAsync of a graph allocation outside its graph: legal only while it is
/// outstanding (a launch left it allocated); clears that at enqueue time.
fn take_outstanding(base: usize) -> CuResult {
    let mut s = state();
    match s.entries.get_mut(&base) {
        Some(e) if e.outstanding => {
            e.outstanding = false;
            Ok(())
        }
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    }
}

/// `cuMemFree` of a graph allocation.
pub fn free_sync(base: usize) -> CuResult {
    take_outstanding(base)?;
    queue::drain_all();
    free_executed(base);
    Ok(())
}

/// `cuMemFreeAsync` of a graph allocation on a stream that is not capturing.
pub fn free_async(base: usize, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    take_outstanding(base)?;
    stream::submit(h, Vec::new(), move |_| free_executed(base)).map(|_| ())
}

/// Launch rules for an executable graph's memory nodes (top level: a child graph cannot
/// hold them): a graph whose allocations a previous launch left unfreed cannot be launched
/// again (CUDA_ERROR_INVALID_VALUE) unless instantiated with AUTO_FREE_ON_LAUNCH.
pub fn check_launch(allocs: &[Arc<GraphAlloc>], auto_free: bool) -> CuResult {
    if auto_free || allocs.is_empty() {
        return Ok(());
    }
    let s = state();
    if allocs.iter().any(|a| s.entries.get(&a.base).is_some_and(|e| e.outstanding)) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(())
}

/// After a launch was enqueued: its allocations are outstanding unless it frees them, and
/// the allocations it frees (its own or another graph's) are not.
pub fn commit_launch(allocs: &[Arc<GraphAlloc>], frees: &[usize]) {
    let mut s = state();
    for a in allocs {
        if let Some(e) = s.entries.get_mut(&a.base) {
            e.outstanding = true;
        }
    }
    for f in frees {
        if let Some(e) = s.entries.get_mut(f) {
            e.outstanding = false;
        }
    }
}

// ---- device attributes and trim ----

// CUgraphMem_attribute
const ATTR_USED_MEM_CURRENT: c_uint = 0;
const ATTR_USED_MEM_HIGH: c_uint = 1;
const ATTR_RESERVED_MEM_CURRENT: c_uint = 2;
const ATTR_RESERVED_MEM_HIGH: c_uint = 3;

pub unsafe fn device_get_attribute(dev: CUdevice, attr: c_uint, value: *mut c_void) -> CuResult {
    if value.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(dev)?;
    let s = state();
    *(value as *mut u64) = match attr {
        ATTR_USED_MEM_CURRENT | ATTR_RESERVED_MEM_CURRENT => chunked(s.reserved),
        ATTR_USED_MEM_HIGH => s.used_high,
        ATTR_RESERVED_MEM_HIGH => s.reserved_high,
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    };
    Ok(())
}

/// Only the high watermarks can be set, and only to 0 (which resets them to the current value).
pub unsafe fn device_set_attribute(dev: CUdevice, attr: c_uint, value: *mut c_void) -> CuResult {
    if value.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(dev)?;
    if *(value as *const u64) != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut s = state();
    match attr {
        ATTR_USED_MEM_HIGH => s.used_high = chunked(s.reserved),
        ATTR_RESERVED_MEM_HIGH => s.reserved_high = chunked(s.reserved),
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    Ok(())
}

/// Gives the pages of every graph allocation that is not live back to the OS.
pub unsafe fn device_trim(dev: CUdevice) -> CuResult {
    device::get(dev)?;
    let mut s = state();
    let mut freed = 0u64;
    for (base, e) in s.entries.iter_mut() {
        if e.backed && !e.live {
            libc::madvise(*base as *mut c_void, e.len, libc::MADV_DONTNEED);
            e.backed = false;
            freed += e.size as u64;
        }
    }
    s.reserved = s.reserved.saturating_sub(freed + s.released_backed);
    s.released_backed = 0;
    Ok(())
}

/// (live bytes, backed bytes, reported high watermark) for the report.
pub fn usage() -> (u64, u64, u64) {
    let s = state();
    (s.used, s.reserved, s.reserved_high)
}

// ---- stream capture ----

/// `cuMemAllocAsync`/`cuMemAllocFromPoolAsync` on a capturing stream: an allocation node whose
/// address the caller gets now.
pub unsafe fn capture_alloc(dptr: *mut CUdeviceptr, size: usize, dev: CUdevice, ctx: usize, h: CUstream) -> CuResult {
    let mut props: CUmemPoolProps = std::mem::zeroed();
    props.alloc_type = 1;
    props.location = CUmemLocation { type_: 1, id: dev };
    let a = new_alloc(&props, &[], size, ctx)?;
    let base = a.base;
    stream::enqueue(h, super::graph::NodeKind::MemAlloc(a))?;
    *dptr = base as CUdeviceptr;
    Ok(())
}

/// `cuMemFreeAsync` on a capturing stream: a free node, for an allocation made by a graph.
pub fn capture_free(base: usize, h: CUstream) -> CuResult {
    if !is_graph_alloc(base) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    stream::enqueue(h, super::graph::NodeKind::MemFree(base as CUdeviceptr))
}
