//! Memory: "device" memory is host memory (one unified address space, as
//! UNIFIED_ADDRESSING/PAGEABLE_MEMORY_ACCESS report), tracked in an allocation table
//! (base → size, kind, owning context) so that pointers and sizes are validated where NVIDIA's
//! driver validates them, and pointer attributes answer like NVIDIA's.

use super::context::{self, Context};
use super::graph::{Memset, NodeKind};
use super::stream;
use crate::api::*;
use std::collections::BTreeMap;
use std::ffi::{c_uint, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{OnceLock, RwLock};

/// Alignment of cuMemAlloc results (NVIDIA guarantees at least 256 bytes).
pub const DEVICE_ALIGN: usize = 256;
/// At or above this size, allocations are anonymous mappings: zeroed and committed lazily,
/// so large pools cost nothing until touched.
const MMAP_THRESHOLD: usize = 64 * 1024;
const PAGE: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// cuMemAlloc / cuMemAllocPitch / cuMemAllocAsync.
    Device,
    /// cuMemAllocHost / cuMemHostAlloc (page-locked host memory).
    Host,
    /// cuMemHostRegister'ed user memory (not ours to free).
    Registered,
    /// cuMemAllocManaged.
    Managed,
    /// A module-scope variable of a loaded module (owned by the executor).
    Global,
    /// A cuMemMap'ed range (owned by `vmm.rs`).
    Vmm,
}

#[derive(Clone, Copy, Debug)]
enum Backing {
    Mmap(usize),
    Heap(std::alloc::Layout),
    Foreign,
}

#[derive(Clone, Debug)]
pub struct Alloc {
    pub size: usize,
    pub kind: Kind,
    /// Owning context handle (0 for module globals).
    pub ctx: usize,
    pub flags: c_uint,
    pub id: u64,
    backing: Backing,
}

fn table() -> &'static RwLock<BTreeMap<usize, Alloc>> {
    static T: OnceLock<RwLock<BTreeMap<usize, Alloc>>> = OnceLock::new();
    T.get_or_init(|| RwLock::new(BTreeMap::new()))
}

fn next_id() -> u64 {
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The allocation containing `ptr`: (base, allocation).
pub fn find(ptr: usize) -> Option<(usize, Alloc)> {
    let t = table().read().unwrap();
    let (base, a) = t.range(..=ptr).next_back()?;
    (ptr < base + a.size.max(1)).then(|| (*base, a.clone()))
}

/// `[ptr, ptr + n)` must lie inside one tracked allocation (any kind: all are addressable by
/// the device). Size 0 is always fine.
pub fn check_range(ptr: usize, n: usize) -> CuResult {
    if n == 0 {
        return Ok(());
    }
    match find(ptr) {
        Some((base, a)) if ptr.checked_add(n).is_some_and(|end| end <= base + a.size) => Ok(()),
        Some((base, a)) if a.kind == Kind::Vmm && vmm_contiguous(base + a.size, ptr.saturating_add(n)) => Ok(()),
        Some((base, a)) => {
            tracing::debug!("range {ptr:#x}+{n} overruns allocation {base:#x}+{}", a.size);
            Err(CUDA_ERROR_INVALID_VALUE)
        }
        None => {
            tracing::debug!("{ptr:#x} is not in any allocation");
            Err(CUDA_ERROR_INVALID_VALUE)
        }
    }
}

/// Whether VMM mappings cover `[from, end)` back to back (one reservation mapped chunk by
/// chunk is one device buffer).
fn vmm_contiguous(mut from: usize, end: usize) -> bool {
    let t = table().read().unwrap();
    while from < end {
        match t.get(&from) {
            Some(a) if a.kind == Kind::Vmm => from += a.size,
            _ => return false,
        }
    }
    true
}

/// Host memory side of a copy: only NULL is rejected (any host memory may be read/written).
fn check_host(p: *const c_void, n: usize) -> CuResult {
    if n > 0 && p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(())
}

/// Allocations from this size on ask for transparent huge pages.
const HUGE_PAGE_THRESHOLD: usize = 4 << 20;

fn raw_alloc(size: usize, align: usize) -> CuResult<(usize, Backing)> {
    if size >= MMAP_THRESHOLD || align > PAGE / 2 {
        let len = size.div_ceil(PAGE) * PAGE;
        let p = unsafe {
            libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0)
        };
        if p == libc::MAP_FAILED {
            return Err(CUDA_ERROR_OUT_OF_MEMORY);
        }
        // Kernels walk device memory with GPU access patterns (a warp's grid-stride loop
        // touches a new 4 KiB page every iteration): huge pages spare most TLB misses.
        if len >= HUGE_PAGE_THRESHOLD {
            unsafe { libc::madvise(p, len, libc::MADV_HUGEPAGE) };
        }
        Ok((p as usize, Backing::Mmap(len)))
    } else {
        let layout = std::alloc::Layout::from_size_align(size, align).map_err(|_| CUDA_ERROR_INVALID_VALUE)?;
        let p = unsafe { std::alloc::alloc_zeroed(layout) };
        if p.is_null() {
            return Err(CUDA_ERROR_OUT_OF_MEMORY);
        }
        Ok((p as usize, Backing::Heap(layout)))
    }
}

fn raw_free(base: usize, b: Backing) {
    unsafe {
        match b {
            Backing::Mmap(len) => {
                libc::munmap(base as *mut c_void, len);
            }
            Backing::Heap(layout) => std::alloc::dealloc(base as *mut u8, layout),
            Backing::Foreign => {}
        }
    }
}

/// Allocates and records `size` bytes of `kind` for `ctx`.
pub fn allocate(size: usize, kind: Kind, ctx: &Context, flags: c_uint) -> CuResult<usize> {
    if size == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if size > super::device::host_total_memory() {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let align = if kind == Kind::Device || kind == Kind::Managed { DEVICE_ALIGN } else { PAGE };
    let (base, backing) = raw_alloc(size, align)?;
    table()
        .write()
        .unwrap()
        .insert(base, Alloc { size, kind, ctx: ctx.handle, flags, id: next_id(), backing });
    Ok(base)
}

/// Removes the allocation based at `base` if `pred` accepts it, then frees it.
fn release(base: usize, pred: impl Fn(&Alloc) -> bool) -> Option<Alloc> {
    let a = {
        let mut t = table().write().unwrap();
        match t.get(&base) {
            Some(a) if pred(a) => t.remove(&base),
            _ => None,
        }
    }?;
    raw_free(base, a.backing);
    if a.kind == Kind::Device {
        super::pool::on_free(base);
    }
    Some(a)
}

/// Gives a block a memory pool cached back to the system (pool.rs).
pub fn release_pool_block(base: usize) {
    release(base, |a| matches!(a.kind, Kind::Device | Kind::Host | Kind::Managed));
}

/// Frees what a context owns (context destroyed, primary context reset).
pub fn release_context(ctx: usize) {
    super::pool::forget_cached_of_context(ctx);
    let victims: Vec<usize> = table().read().unwrap().iter().filter(|(_, a)| a.ctx == ctx && a.kind != Kind::Global && a.flags & GRAPH_ALLOC == 0).map(|(b, _)| *b).collect();
    for b in victims {
        release(b, |_| true);
    }
}

/// Records a module variable (executor-owned memory) so copies to/from it validate.
pub fn register_global(base: usize, size: usize) {
    if size == 0 || base == 0 {
        return;
    }
    table()
        .write()
        .unwrap()
        .insert(base, Alloc { size, kind: Kind::Global, ctx: 0, flags: 0, id: next_id(), backing: Backing::Foreign });
}

/// Records a mapped VMM range (a device allocation that `cuMemFree` must refuse).
pub fn register_vmm(base: usize, size: usize, handle: u64) {
    table()
        .write()
        .unwrap()
        .insert(base, Alloc { size, kind: Kind::Vmm, ctx: 0, flags: 0, id: handle, backing: Backing::Foreign });
}

/// `Alloc::flags` of a graph allocation's range (owned by `graphmem.rs`; kind Device).
pub const GRAPH_ALLOC: c_uint = 1 << 31;

/// Records a graph allocation node's fixed range (a device allocation freed through the
/// graph rules, never by the context's teardown).
pub fn register_graph(base: usize, size: usize, ctx: usize) {
    table()
        .write()
        .unwrap()
        .insert(base, Alloc { size, kind: Kind::Device, ctx, flags: GRAPH_ALLOC, id: next_id(), backing: Backing::Foreign });
}

pub fn unregister_graph(base: usize) {
    release(base, |a| a.flags & GRAPH_ALLOC != 0);
}

fn is_graph_range(ptr: usize) -> bool {
    matches!(find(ptr), Some((b, a)) if b == ptr && a.flags & GRAPH_ALLOC != 0)
}

pub fn unregister_vmm(base: usize) {
    release(base, |a| a.kind == Kind::Vmm);
}

pub fn unregister_global(base: usize) {
    release(base, |a| a.kind == Kind::Global);
}

// ---- entry points ----

pub unsafe fn get_info(free: *mut usize, total: *mut usize) -> CuResult {
    if free.is_null() || total.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    *total = super::device::host_total_memory();
    *free = super::device::host_available_memory().min(*total);
    Ok(())
}

pub unsafe fn alloc(dptr: *mut CUdeviceptr, bytesize: usize) -> CuResult {
    if dptr.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    // cudaMalloc during a global capture: CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, capture
    // invalidated (measured on NVIDIA's driver).
    stream::check_unsafe_call()?;
    *dptr = allocate(bytesize, Kind::Device, &c, 0)? as CUdeviceptr;
    Ok(())
}

/// Rows padded to 512 bytes (a real device's texture pitch alignment).
pub unsafe fn alloc_pitch(dptr: *mut CUdeviceptr, pitch: *mut usize, width: usize, height: usize, elem: c_uint) -> CuResult {
    if dptr.is_null() || pitch.is_null() || width == 0 || height == 0 || !matches!(elem, 4 | 8 | 16) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    stream::check_unsafe_call()?;
    let p = width.div_ceil(512) * 512;
    *dptr = allocate(p.checked_mul(height).ok_or(CUDA_ERROR_INVALID_VALUE)?, Kind::Device, &c, 0)? as CUdeviceptr;
    *pitch = p;
    Ok(())
}

pub unsafe fn free(dptr: CUdeviceptr) -> CuResult {
    let c = context::current()?;
    // After a kernel fault cuMemFree answers the sticky error, cuMemFree(0) too (measured on
    // NVIDIA's driver).
    c.check()?;
    if dptr == 0 {
        return Ok(());
    }
    // A block already given back to its pool is not the program's to free.
    if super::pool::is_cached(dptr as usize) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    // cuMemFree synchronizes the device: not allowed during a (non-relaxed) capture.
    stream::check_unsafe_call()?;
    if is_graph_range(dptr as usize) {
        return super::graphmem::free_sync(dptr as usize);
    }
    super::queue::drain_all();
    release(dptr as usize, |a| matches!(a.kind, Kind::Device | Kind::Managed) && a.flags & GRAPH_ALLOC == 0)
        .map(|_| ())
        .ok_or(CUDA_ERROR_INVALID_VALUE)
}


/// Stream-ordered free: the memory goes back when the stream reaches the free.
pub unsafe fn free_async(dptr: CUdeviceptr, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    if stream::is_capturing_stream(h) {
        // Captured as a free node (of an allocation made by a graph).
        return super::graphmem::capture_free(dptr as usize, h);
    }
    if is_graph_range(dptr as usize) {
        return super::graphmem::free_async(dptr as usize, h);
    }
    let ctx = match find(dptr as usize) {
        Some((base, a)) if base == dptr as usize && matches!(a.kind, Kind::Device | Kind::Managed) => a.ctx,
        // Pinned host memory from a host-located pool (cuMemGetDefaultMemPool, CUDA 13.0).
        Some((base, a)) if base == dptr as usize && a.kind == Kind::Host && super::pool::pool_of(base) != 0 => a.ctx,
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    };
    // Pool allocations go back to their pool for reuse; freeing one twice is an error.
    if super::pool::is_cached(dptr as usize) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if super::pool::free_async_cached(dptr as usize, h, ctx)? {
        return Ok(());
    }
    stream::submit(h, Vec::new(), move |_| {
        release(dptr as usize, |a| matches!(a.kind, Kind::Device | Kind::Managed) && a.flags & GRAPH_ALLOC == 0);
    })?;
    Ok(())
}

pub unsafe fn get_address_range(pbase: *mut CUdeviceptr, psize: *mut usize, dptr: CUdeviceptr) -> CuResult {
    context::current()?;
    let (base, a) = find(dptr as usize).ok_or(CUDA_ERROR_NOT_FOUND)?;
    if !pbase.is_null() {
        *pbase = base as CUdeviceptr;
    }
    if !psize.is_null() {
        *psize = a.size;
    }
    Ok(())
}

pub const CU_MEMHOSTALLOC_ALL: c_uint = 0x1 | 0x2 | 0x4;

pub unsafe fn host_alloc(pp: *mut *mut c_void, bytesize: usize, flags: c_uint) -> CuResult {
    if pp.is_null() || flags & !CU_MEMHOSTALLOC_ALL != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    *pp = allocate(bytesize, Kind::Host, &c, flags)? as *mut c_void;
    Ok(())
}

pub unsafe fn alloc_host(pp: *mut *mut c_void, bytesize: usize) -> CuResult {
    host_alloc(pp, bytesize, 0)
}

pub unsafe fn free_host(p: *mut c_void) -> CuResult {
    context::current()?;
    super::queue::drain_all();
    release(p as usize, |a| a.kind == Kind::Host).map(|_| ()).ok_or(CUDA_ERROR_INVALID_VALUE)
}

pub const CU_MEM_ATTACH_GLOBAL: c_uint = 1;
pub const CU_MEM_ATTACH_HOST: c_uint = 2;

pub unsafe fn alloc_managed(dptr: *mut CUdeviceptr, bytesize: usize, flags: c_uint) -> CuResult {
    if dptr.is_null() || !(flags == CU_MEM_ATTACH_GLOBAL || flags == CU_MEM_ATTACH_HOST) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    *dptr = allocate(bytesize, Kind::Managed, &c, flags)? as CUdeviceptr;
    Ok(())
}

/// Mapped host memory's device address is its host address.
pub unsafe fn host_get_device_pointer(pdptr: *mut CUdeviceptr, p: *mut c_void, flags: c_uint) -> CuResult {
    if pdptr.is_null() || flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current()?;
    match find(p as usize) {
        Some((_, a)) if matches!(a.kind, Kind::Host | Kind::Registered) => {
            *pdptr = p as CUdeviceptr;
            Ok(())
        }
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    }
}

pub unsafe fn host_get_flags(pflags: *mut c_uint, p: *mut c_void) -> CuResult {
    if pflags.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current()?;
    match find(p as usize) {
        Some((_, a)) if a.kind == Kind::Host => {
            *pflags = a.flags;
            Ok(())
        }
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    }
}

/// PORTABLE | DEVICEMAP | IOMEMORY | READ_ONLY.
const CU_MEMHOSTREGISTER_ALL: c_uint = 0xf;

pub unsafe fn host_register(p: *mut c_void, bytesize: usize, flags: c_uint) -> CuResult {
    if p.is_null() || bytesize == 0 || flags & !CU_MEMHOSTREGISTER_ALL != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    let base = p as usize;
    let mut t = table().write().unwrap();
    let overlaps = t.range(..base + bytesize).next_back().is_some_and(|(b, a)| b + a.size > base);
    if overlaps {
        return Err(CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED);
    }
    t.insert(base, Alloc { size: bytesize, kind: Kind::Registered, ctx: c.handle, flags, id: next_id(), backing: Backing::Foreign });
    Ok(())
}

pub unsafe fn host_unregister(p: *mut c_void) -> CuResult {
    context::current()?;
    super::queue::drain_all();
    release(p as usize, |a| a.kind == Kind::Registered).map(|_| ()).ok_or(CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED)
}

// ---- copies ----

unsafe fn copy(dst: usize, src: usize, n: usize) {
    if n > 0 && dst != src {
        std::ptr::copy(src as *const u8, dst as *mut u8, n);
    }
}

/// Unified copies: any addresses (host or device) in one address space.
pub unsafe fn memcpy(dst: CUdeviceptr, src: CUdeviceptr, n: usize) -> CuResult {
    context::current_checked()?;
    // Synchronous copies and memsets run on the legacy stream; NVIDIA's driver allows them
    // during a capture of non-blocking streams (measured), not of blocking ones.
    stream::sync_point()?;
    check_host(dst as *const c_void, n)?;
    check_host(src as *const c_void, n)?;
    copy(dst as usize, src as usize, n);
    Ok(())
}

pub unsafe fn memcpy_async(dst: CUdeviceptr, src: CUdeviceptr, n: usize, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    check_host(dst as *const c_void, n)?;
    check_host(src as *const c_void, n)?;
    if n > 0 && pageable(dst as usize) {
        return stream::enqueue_and_wait(h, NodeKind::Memcpy(params_1d(dst as usize, CU_MEMORYTYPE_UNIFIED, src as usize, CU_MEMORYTYPE_UNIFIED, n)));
    }
    if n > 0 && pageable(src as usize) {
        return enqueue_staged(h, dst as usize, CU_MEMORYTYPE_UNIFIED, src as usize, n);
    }
    enqueue_copy(h, dst as usize, CU_MEMORYTYPE_UNIFIED, src as usize, CU_MEMORYTYPE_UNIFIED, n)
}

/// Pageable host memory: not in the allocation table (pinned host memory is).
pub(super) fn pageable(p: usize) -> bool {
    find(p).is_none()
}

/// A copy from pageable host memory: NVIDIA's driver stages it before returning, so the
/// caller may reuse its buffer at once; so do we (a private copy travels with the work).
pub(super) unsafe fn enqueue_staged(h: CUstream, dst: usize, dst_type: c_uint, src: usize, n: usize) -> CuResult {
    let keep = std::slice::from_raw_parts(src as *const u8, n).to_vec();
    let capture = NodeKind::Memcpy(params_1d(dst, dst_type, src, CU_MEMORYTYPE_HOST, n));
    let exec = NodeKind::Memcpy(params_1d(dst, dst_type, keep.as_ptr() as usize, CU_MEMORYTYPE_HOST, n));
    stream::enqueue_staged(h, capture, exec, keep)
}

/// A 1D copy as stream work (captured as a memcpy node, or run now).
pub(super) fn enqueue_copy(h: CUstream, dst: usize, dst_type: c_uint, src: usize, src_type: c_uint, n: usize) -> CuResult {
    if n == 0 {
        return stream::resolve(h).map(|_| ());
    }
    stream::enqueue(h, NodeKind::Memcpy(params_1d(dst, dst_type, src, src_type, n)))
}

pub fn params_1d(dst: usize, dst_type: c_uint, src: usize, src_type: c_uint, n: usize) -> CUDA_MEMCPY3D {
    let mut p = CUDA_MEMCPY3D::zeroed();
    p.src_memory_type = src_type;
    p.dst_memory_type = dst_type;
    if src_type == CU_MEMORYTYPE_HOST {
        p.src_host = src as *const c_void;
    } else {
        p.src_device = src as CUdeviceptr;
    }
    if dst_type == CU_MEMORYTYPE_HOST {
        p.dst_host = dst as *mut c_void;
    } else {
        p.dst_device = dst as CUdeviceptr;
    }
    p.width_in_bytes = n;
    p.height = 1;
    p.depth = 1;
    p
}

pub unsafe fn memcpy_htod(dst: CUdeviceptr, src: *const c_void, n: usize) -> CuResult {
    context::current_checked()?;
    stream::sync_point()?;
    check_range(dst as usize, n)?;
    check_host(src, n)?;
    copy(dst as usize, src as usize, n);
    Ok(())
}

pub unsafe fn memcpy_dtoh(dst: *mut c_void, src: CUdeviceptr, n: usize) -> CuResult {
    context::current_checked()?;
    stream::sync_point()?;
    check_range(src as usize, n)?;
    check_host(dst, n)?;
    copy(dst as usize, src as usize, n);
    Ok(())
}

pub unsafe fn memcpy_dtod(dst: CUdeviceptr, src: CUdeviceptr, n: usize) -> CuResult {
    context::current_checked()?;
    stream::sync_point()?;
    check_range(dst as usize, n)?;
    check_range(src as usize, n)?;
    copy(dst as usize, src as usize, n);
    Ok(())
}

pub unsafe fn memcpy_htod_async(dst: CUdeviceptr, src: *const c_void, n: usize, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    check_range(dst as usize, n)?;
    check_host(src, n)?;
    if n > 0 && pageable(src as usize) {
        return enqueue_staged(h, dst as usize, CU_MEMORYTYPE_DEVICE, src as usize, n);
    }
    enqueue_copy(h, dst as usize, CU_MEMORYTYPE_DEVICE, src as usize, CU_MEMORYTYPE_HOST, n)
}

pub unsafe fn memcpy_dtoh_async(dst: *mut c_void, src: CUdeviceptr, n: usize, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    check_range(src as usize, n)?;
    check_host(dst, n)?;
    if n > 0 && pageable(dst as usize) {
        return stream::enqueue_and_wait(h, NodeKind::Memcpy(params_1d(dst as usize, CU_MEMORYTYPE_HOST, src as usize, CU_MEMORYTYPE_DEVICE, n)));
    }
    enqueue_copy(h, dst as usize, CU_MEMORYTYPE_HOST, src as usize, CU_MEMORYTYPE_DEVICE, n)
}

pub unsafe fn memcpy_dtod_async(dst: CUdeviceptr, src: CUdeviceptr, n: usize, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    check_range(dst as usize, n)?;
    check_range(src as usize, n)?;
    enqueue_copy(h, dst as usize, CU_MEMORYTYPE_DEVICE, src as usize, CU_MEMORYTYPE_DEVICE, n)
}

/// Peer copies: every context lives in the same address space.
pub unsafe fn memcpy_peer(dst: CUdeviceptr, dst_ctx: CUcontext, src: CUdeviceptr, src_ctx: CUcontext, n: usize) -> CuResult {
    context::lookup(dst_ctx)?.check()?;
    context::lookup(src_ctx)?.check()?;
    stream::sync_point()?;
    check_range(dst as usize, n)?;
    check_range(src as usize, n)?;
    copy(dst as usize, src as usize, n);
    Ok(())
}

pub unsafe fn memcpy_peer_async(dst: CUdeviceptr, dst_ctx: CUcontext, src: CUdeviceptr, src_ctx: CUcontext, n: usize, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    context::lookup(dst_ctx)?.check()?;
    context::lookup(src_ctx)?.check()?;
    check_range(dst as usize, n)?;
    check_range(src as usize, n)?;
    enqueue_copy(h, dst as usize, CU_MEMORYTYPE_DEVICE, src as usize, CU_MEMORYTYPE_DEVICE, n)
}

fn to_3d(c: &CUDA_MEMCPY2D) -> CUDA_MEMCPY3D {
    let mut p = CUDA_MEMCPY3D::zeroed();
    p.src_x_in_bytes = c.src_x_in_bytes;
    p.src_y = c.src_y;
    p.src_memory_type = c.src_memory_type;
    p.src_host = c.src_host;
    p.src_device = c.src_device;
    p.src_array = c.src_array;
    p.src_pitch = c.src_pitch;
    p.dst_x_in_bytes = c.dst_x_in_bytes;
    p.dst_y = c.dst_y;
    p.dst_memory_type = c.dst_memory_type;
    p.dst_host = c.dst_host;
    p.dst_device = c.dst_device;
    p.dst_array = c.dst_array;
    p.dst_pitch = c.dst_pitch;
    p.width_in_bytes = c.width_in_bytes;
    p.height = c.height;
    p.depth = 1;
    p
}

/// One side of a 3D copy: (first byte, bytes spanned), validated.
#[allow(clippy::too_many_arguments)]
unsafe fn side_3d(
    mem_type: c_uint,
    host: *const c_void,
    dev: CUdeviceptr,
    array: CUarray,
    x: usize,
    y: usize,
    z: usize,
    pitch: usize,
    slice_height: usize,
    p: &CUDA_MEMCPY3D,
) -> CuResult<(usize, usize, usize)> {
    let base = match mem_type {
        CU_MEMORYTYPE_HOST => host as usize,
        CU_MEMORYTYPE_DEVICE | CU_MEMORYTYPE_UNIFIED => dev as usize,
        CU_MEMORYTYPE_ARRAY => {
            // Arrays are host memory with their own row and slice strides (`array.rs`).
            return super::array::copy_side(array, x, y, z, p.width_in_bytes, p.height.max(1), p.depth.max(1));
        }
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    };
    let (w, h, d) = (p.width_in_bytes, p.height.max(1), p.depth.max(1));
    let pitch = if pitch == 0 { w } else { pitch };
    let sh = if slice_height == 0 { h } else { slice_height };
    if h > 1 && pitch < w || d > 1 && sh < h {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let slice = pitch.checked_mul(sh).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let start = base + x + y * pitch + z * slice;
    if w > 0 {
        if base == 0 {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        let extent = (d - 1) * slice + (h - 1) * pitch + w;
        if mem_type == CU_MEMORYTYPE_DEVICE || mem_type == CU_MEMORYTYPE_UNIFIED && find(start).is_some() {
            check_range(start, extent)?;
        }
    }
    Ok((start, pitch, slice))
}

type Sides = ((usize, usize, usize), (usize, usize, usize));

unsafe fn sides_3d(p: &CUDA_MEMCPY3D) -> CuResult<Sides> {
    let src = side_3d(p.src_memory_type, p.src_host, p.src_device, p.src_array, p.src_x_in_bytes, p.src_y, p.src_z, p.src_pitch, p.src_height, p)?;
    let dst = side_3d(p.dst_memory_type, p.dst_host, p.dst_device, p.dst_array, p.dst_x_in_bytes, p.dst_y, p.dst_z, p.dst_pitch, p.dst_height, p)?;
    Ok((src, dst))
}

/// Checks a 3D copy's parameters (what a memcpy node is validated with when added).
pub unsafe fn validate_copy_3d(p: &CUDA_MEMCPY3D) -> CuResult {
    sides_3d(p).map(|_| ())
}

/// Performs a (validated) 3D copy: rows of `WidthInBytes`, `Height` rows, `Depth` slices.
pub unsafe fn copy_3d(p: &CUDA_MEMCPY3D) -> CuResult {
    let ((s, sp, ss), (d, dp, ds)) = sides_3d(p)?;
    let (w, h, dd) = (p.width_in_bytes, p.height.max(1), p.depth.max(1));
    if w == 0 {
        return Ok(());
    }
    if h == 1 && dd == 1 {
        copy(d, s, w);
        return Ok(());
    }
    for z in 0..dd {
        for y in 0..h {
            copy(d + z * ds + y * dp, s + z * ss + y * sp, w);
        }
    }
    Ok(())
}

pub unsafe fn memcpy_2d(p: *const CUDA_MEMCPY2D) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    stream::sync_point()?;
    copy_3d(&to_3d(&*p))
}

pub unsafe fn memcpy_2d_async(p: *const CUDA_MEMCPY2D, h: CUstream) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    stream::resolve(h)?;
    let q = to_3d(&*p);
    validate_copy_3d(&q)?;
    enqueue_3d(h, q)
}

/// 2D/3D copies touching host memory complete before returning (pageable-safe).
pub(super) fn enqueue_3d(h: CUstream, q: CUDA_MEMCPY3D) -> CuResult {
    let host = |t: c_uint, d: CUdeviceptr| t == CU_MEMORYTYPE_HOST || t == CU_MEMORYTYPE_UNIFIED && pageable(d as usize);
    if host(q.src_memory_type, q.src_device) || host(q.dst_memory_type, q.dst_device) {
        stream::enqueue_and_wait(h, NodeKind::Memcpy(q))
    } else {
        stream::enqueue(h, NodeKind::Memcpy(q))
    }
}

pub unsafe fn memcpy_3d(p: *const CUDA_MEMCPY3D) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    stream::sync_point()?;
    copy_3d(&*p)
}

pub unsafe fn memcpy_3d_async(p: *const CUDA_MEMCPY3D, h: CUstream) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    stream::resolve(h)?;
    validate_copy_3d(&*p)?;
    enqueue_3d(h, *p)
}

// ---- memset ----

/// Checks a memset: element size 1/2/4, aligned destination, rows inside one allocation.
pub fn validate_memset(m: &Memset) -> CuResult {
    let size = m.elem as usize;
    if !matches!(size, 1 | 2 | 4) || m.dst as usize % size != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if m.width == 0 || m.height == 0 {
        return Ok(());
    }
    let row = m.width.checked_mul(size).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if m.height > 1 && m.pitch < row {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let span = (m.height - 1).checked_mul(m.pitch).and_then(|x| x.checked_add(row)).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    check_range(m.dst as usize, span)
}

unsafe fn fill_rows<T: Copy>(m: &Memset, v: T) {
    for row in 0..m.height {
        std::slice::from_raw_parts_mut((m.dst as usize + row * m.pitch) as *mut T, m.width).fill(v);
    }
}

/// Performs a memset (validated again: a graph may run after memory was freed).
pub unsafe fn do_memset(m: &Memset) -> CuResult {
    validate_memset(m)?;
    if m.width == 0 || m.height == 0 {
        return Ok(());
    }
    match m.elem {
        1 => fill_rows(m, m.value as u8),
        2 => fill_rows(m, m.value as u16),
        _ => fill_rows(m, m.value),
    }
    Ok(())
}

fn memset_params(dst: CUdeviceptr, pitch: usize, value: u32, elem: u32, width: usize, height: usize) -> Memset {
    Memset { dst, pitch: if height <= 1 { width * elem as usize } else { pitch }, value, elem, width, height }
}

unsafe fn memset_sync(m: Memset) -> CuResult {
    context::current_checked()?;
    stream::sync_point()?;
    do_memset(&m)
}

unsafe fn memset_async(m: Memset, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    validate_memset(&m)?;
    if m.width == 0 || m.height == 0 {
        return Ok(());
    }
    stream::enqueue(h, NodeKind::Memset(m))
}

pub unsafe fn memset_d8(dst: CUdeviceptr, v: u8, n: usize) -> CuResult {
    memset_sync(memset_params(dst, 0, v as u32, 1, n, 1))
}
pub unsafe fn memset_d16(dst: CUdeviceptr, v: u16, n: usize) -> CuResult {
    memset_sync(memset_params(dst, 0, v as u32, 2, n, 1))
}
pub unsafe fn memset_d32(dst: CUdeviceptr, v: u32, n: usize) -> CuResult {
    memset_sync(memset_params(dst, 0, v, 4, n, 1))
}
pub unsafe fn memset_d8_async(dst: CUdeviceptr, v: u8, n: usize, h: CUstream) -> CuResult {
    memset_async(memset_params(dst, 0, v as u32, 1, n, 1), h)
}
pub unsafe fn memset_d16_async(dst: CUdeviceptr, v: u16, n: usize, h: CUstream) -> CuResult {
    memset_async(memset_params(dst, 0, v as u32, 2, n, 1), h)
}
pub unsafe fn memset_d32_async(dst: CUdeviceptr, v: u32, n: usize, h: CUstream) -> CuResult {
    memset_async(memset_params(dst, 0, v, 4, n, 1), h)
}
pub unsafe fn memset_d2d8(dst: CUdeviceptr, pitch: usize, v: u8, w: usize, h: usize) -> CuResult {
    memset_sync(memset_params(dst, pitch, v as u32, 1, w, h))
}
pub unsafe fn memset_d2d16(dst: CUdeviceptr, pitch: usize, v: u16, w: usize, h: usize) -> CuResult {
    memset_sync(memset_params(dst, pitch, v as u32, 2, w, h))
}
pub unsafe fn memset_d2d32(dst: CUdeviceptr, pitch: usize, v: u32, w: usize, h: usize) -> CuResult {
    memset_sync(memset_params(dst, pitch, v, 4, w, h))
}
pub unsafe fn memset_d2d8_async(dst: CUdeviceptr, pitch: usize, v: u8, w: usize, h: usize, s: CUstream) -> CuResult {
    memset_async(memset_params(dst, pitch, v as u32, 1, w, h), s)
}
pub unsafe fn memset_d2d16_async(dst: CUdeviceptr, pitch: usize, v: u16, w: usize, h: usize, s: CUstream) -> CuResult {
    memset_async(memset_params(dst, pitch, v as u32, 2, w, h), s)
}
pub unsafe fn memset_d2d32_async(dst: CUdeviceptr, pitch: usize, v: u32, w: usize, h: usize, s: CUstream) -> CuResult {
    memset_async(memset_params(dst, pitch, v, 4, w, h), s)
}

// ---- prefetch / advise: the memory is already where the "device" reads it ----

pub unsafe fn prefetch_async(dev_ptr: CUdeviceptr, count: usize, dst_device: CUdevice, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    check_range(dev_ptr as usize, count)?;
    super::managed::prefetched(dev_ptr as usize, count, super::managed::loc_of_device(dst_device));
    Ok(())
}

pub unsafe fn prefetch_async_v2(dev_ptr: CUdeviceptr, count: usize, loc: CUmemLocation, _flags: c_uint, h: CUstream) -> CuResult {
    stream::resolve(h)?;
    check_range(dev_ptr as usize, count)?;
    super::managed::prefetched(dev_ptr as usize, count, loc);
    Ok(())
}

/// The advice is recorded for cuMemRangeGetAttribute (`managed.rs`); nothing moves.
pub unsafe fn advise(dev_ptr: CUdeviceptr, count: usize, advice: c_uint, device: CUdevice) -> CuResult {
    context::current()?;
    check_range(dev_ptr as usize, count)?;
    super::managed::advise(dev_ptr as usize, count, advice, super::managed::loc_of_device(device));
    Ok(())
}

pub unsafe fn advise_v2(dev_ptr: CUdeviceptr, count: usize, advice: c_uint, loc: CUmemLocation) -> CuResult {
    context::current()?;
    check_range(dev_ptr as usize, count)?;
    super::managed::advise(dev_ptr as usize, count, advice, loc);
    Ok(())
}

// ---- pointer attributes ----

/// Writes one attribute of the allocation `found` for `ptr` (None: not a CUDA pointer →
/// the defaults cuPointerGetAttributes documents, or an error for the singular call).
unsafe fn write_attribute(data: *mut c_void, attr: c_uint, ptr: usize, found: Option<&(usize, Alloc)>, lenient: bool) -> CuResult {
    if data.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let Some((base, a)) = found else {
        if !lenient {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        match attr {
            1 | 4 | 17 | 19 => *(data as *mut usize) = 0,
            2 | 16 => *(data as *mut c_uint) = 0,
            3 | 7 | 11 | 12 | 14 | 18 | 20 => *(data as *mut u64) = 0,
            6 | 8 | 10 | 13 | 15 | 21 => *(data as *mut u32) = 0,
            9 => *(data as *mut i32) = -2, // cudaInvalidDeviceId
            22 => *(data as *mut i32) = -1,
            _ => {}
        }
        return Ok(());
    };
    let is_host = matches!(a.kind, Kind::Host | Kind::Registered);
    let pool = super::pool::pool_of(*base);
    // What NVIDIA's driver 580 answers, measured with tests/programs/api_behaviour.cu on
    // cuMemAlloc, cuMemAllocHost, cuMemHostAlloc, managed, pool and VMM memory.
    let vmm = if a.kind == Kind::Vmm { super::vmm::pointer_info(ptr, a.id) } else { None };
    match attr {
        1 => {
            // CONTEXT: the owning context; module globals belong to the current one; pool and
            // VMM memory belong to no context (NULL).
            let ctx = if a.kind == Kind::Vmm || pool != 0 {
                0
            } else if a.ctx != 0 {
                a.ctx
            } else {
                context::current().map(|c| c.handle).unwrap_or(0)
            };
            *(data as *mut usize) = ctx;
        }
        2 => *(data as *mut c_uint) = if is_host { CU_MEMORYTYPE_HOST } else { CU_MEMORYTYPE_DEVICE },
        3 => *(data as *mut u64) = ptr as u64,
        4 => {
            if matches!(a.kind, Kind::Device | Kind::Global | Kind::Vmm) {
                // Device memory has no host mapping in NVIDIA's model.
                if !lenient {
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
                *(data as *mut usize) = 0;
            } else {
                *(data as *mut usize) = ptr;
            }
        }
        // P2P_TOKENS (`CUDA_POINTER_ATTRIBUTE_P2P_TOKENS`: u64 + u32): device memory has
        // tokens (zero here: there is no peer), host memory has none.
        5 => {
            if is_host {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            std::ptr::write_bytes(data as *mut u8, 0, 16);
        }
        // "Boolean" attributes are written as 4-byte ints (measured on NVIDIA's driver).
        6 => *(data as *mut u32) = (!is_host) as u32, // SYNC_MEMOPS: on for device memory
        7 => *(data as *mut u64) = a.id,           // BUFFER_ID
        8 => *(data as *mut u32) = (a.kind == Kind::Managed) as u32,
        9 => *(data as *mut i32) = 0, // DEVICE_ORDINAL
        // IS_LEGACY_CUDA_IPC_CAPABLE: cuMemAlloc memory only.
        10 => *(data as *mut u32) = (a.kind == Kind::Device && pool == 0 && a.flags & GRAPH_ALLOC == 0) as u32,
        // RANGE_START_ADDR / RANGE_SIZE: the reservation, for VMM memory.
        11 => *(data as *mut u64) = vmm.map_or(*base, |v| v.0) as u64,
        12 => *(data as *mut usize) = vmm.map_or(a.size, |v| v.1),
        13 => *(data as *mut u32) = 1, // MAPPED
        14 => *(data as *mut u64) = vmm.map_or(0, |v| v.2), // ALLOWED_HANDLE_TYPES
        15 => *(data as *mut u32) = 0,
        16 => *(data as *mut c_uint) = 3, // ACCESS_FLAGS: read-write
        17 => *(data as *mut usize) = pool, // MEMPOOL_HANDLE
        18 => *(data as *mut usize) = a.size,
        19 => *(data as *mut usize) = *base,
        20 => *(data as *mut u64) = a.id,
        21 => *(data as *mut u32) = 0, // IS_HW_DECOMPRESS_CAPABLE
        22 => *(data as *mut i32) = -1,     // LOCALITY_DOMAIN_ORDINAL: not localized
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    Ok(())
}

pub unsafe fn pointer_get_attribute(data: *mut c_void, attribute: c_uint, ptr: CUdeviceptr) -> CuResult {
    let found = find(ptr as usize);
    write_attribute(data, attribute, ptr as usize, found.as_ref(), false)
}

/// Unlike the singular call, never fails for a non-CUDA pointer (documented): defaults.
pub unsafe fn pointer_get_attributes(num: c_uint, attributes: *mut c_uint, data: *mut *mut c_void, ptr: CUdeviceptr) -> CuResult {
    if num == 0 || attributes.is_null() || data.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let found = find(ptr as usize);
    for i in 0..num as usize {
        let attr = *attributes.add(i);
        let d = *data.add(i);
        match write_attribute(d, attr, ptr as usize, found.as_ref(), true) {
            Ok(()) | Err(CUDA_ERROR_NOT_SUPPORTED) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Snapshot for diagnostics and tests: (base, size, kind).
pub fn allocations() -> Vec<(usize, usize, Kind)> {
    table().read().unwrap().iter().map(|(b, a)| (*b, a.size, a.kind)).collect()
}
