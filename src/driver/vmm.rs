//! Virtual memory management: address reservations, physical allocations, mappings.
//!
//! - A reservation is an anonymous `PROT_NONE`, `MAP_NORESERVE` mapping: address space only,
//!   no memory, so reserving 64 GiB costs nothing.
//! - A physical allocation (`cuMemCreate`) is a memfd of the requested size: pages come into
//!   existence when touched, and the same memory can be mapped at several addresses (and
//!   exported as a POSIX file descriptor: a `dup` of the memfd).
//! - `cuMemMap` maps the memfd over part of a reservation with `MAP_FIXED | MAP_SHARED`;
//!   `cuMemUnmap` puts a `PROT_NONE` reservation mapping back. A mapped range is recorded in the
//!   allocation table (kind `Vmm`), so copies, memsets and pointer attributes accept it, and
//!   kernels simply use the addresses.
//! - Access: a range is mapped read-write at once (a CPU cannot fault a GPU-style access
//!   politely); `cuMemSetAccess` records the flags (and `mprotect`s read-only ranges) so that
//!   `cuMemGetAccess` answers what was set.

use super::{context, device, memory, new_handle};
use crate::api::*;
use std::collections::{BTreeMap, HashMap};
use std::ffi::{c_uint, c_void};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Allocation granularity (minimum and recommended), as NVIDIA's driver answers on an H100.
pub const GRANULARITY: usize = 2 << 20;

pub const CU_MEM_ALLOCATION_TYPE_PINNED: c_uint = 1;
pub const CU_MEM_LOCATION_TYPE_DEVICE: c_int = 1;
pub const CU_MEM_HANDLE_TYPE_NONE: c_uint = 0;
pub const CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR: c_uint = 1;
pub const CU_MEM_ACCESS_FLAGS_PROT_NONE: c_uint = 0;
pub const CU_MEM_ACCESS_FLAGS_PROT_READ: c_uint = 1;
pub const CU_MEM_ACCESS_FLAGS_PROT_READWRITE: c_uint = 3;

use std::ffi::c_int;

struct Phys {
    fd: c_int,
    size: usize,
    prop: CUmemAllocationProp,
    /// Outstanding handles (cuMemCreate / Import / RetainAllocationHandle minus cuMemRelease).
    refs: usize,
    /// Live mappings.
    maps: usize,
}
// SAFETY: the property's pointer field (win32 metadata) is never dereferenced.
unsafe impl Send for Phys {}

struct Mapping {
    size: usize,
    handle: u64,
    access: c_uint,
}

#[derive(Default)]
struct Vmm {
    /// base → size.
    reservations: BTreeMap<usize, usize>,
    phys: HashMap<u64, Phys>,
    /// base → mapping.
    maps: BTreeMap<usize, Mapping>,
    /// For the report: objects ever made and high watermarks.
    reservations_made: u64,
    reserved_high: u64,
    phys_made: u64,
    maps_made: u64,
    mapped_high: u64,
}

impl Vmm {
    fn reserved(&mut self, base: usize, size: usize) {
        self.reservations.insert(base, size);
        self.reservations_made += 1;
        let now: usize = self.reservations.values().sum();
        self.reserved_high = self.reserved_high.max(now as u64);
        tracing::debug!("VMM reservation {base:#x}: {size} bytes");
    }
}

/// VMM as `report.rs` shows it.
#[derive(Clone, Debug, Default)]
pub struct VmmSummary {
    pub reservations_made: u64,
    pub reservations_live: usize,
    pub reserved_live: u64,
    pub reserved_high: u64,
    /// Live reservations: (base, size).
    pub reservations: Vec<(usize, usize)>,
    pub phys_made: u64,
    pub phys_live: usize,
    pub maps_made: u64,
    pub maps_live: usize,
    pub mapped_live: u64,
    pub mapped_high: u64,
}

pub fn summary() -> VmmSummary {
    let v = state();
    VmmSummary {
        reservations_made: v.reservations_made,
        reservations_live: v.reservations.len(),
        reserved_live: v.reservations.values().sum::<usize>() as u64,
        reserved_high: v.reserved_high,
        reservations: v.reservations.iter().map(|(b, s)| (*b, *s)).collect(),
        phys_made: v.phys_made,
        phys_live: v.phys.len(),
        maps_made: v.maps_made,
        maps_live: v.maps.len(),
        mapped_live: v.maps.values().map(|m| m.size as u64).sum(),
        mapped_high: v.mapped_high,
    }
}

fn state() -> MutexGuard<'static, Vmm> {
    static S: OnceLock<Mutex<Vmm>> = OnceLock::new();
    S.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

fn check_prop(p: *const CUmemAllocationProp) -> CuResult<CUmemAllocationProp> {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let p = unsafe { *p };
    if p.type_ != CU_MEM_ALLOCATION_TYPE_PINNED || p.location.type_ != CU_MEM_LOCATION_TYPE_DEVICE {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if p.requested_handle_types & !CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR != 0 {
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    device::get(p.location.id).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?;
    Ok(p)
}

/// The reservation containing `[ptr, ptr + size)`.
/// For a mapped address: its reservation (base, size) and the requested handle types of the
/// physical allocation mapped there (CU_POINTER_ATTRIBUTE_RANGE_* and ALLOWED_HANDLE_TYPES
/// describe those on NVIDIA's driver, measured).
pub fn pointer_info(ptr: usize, handle: u64) -> Option<(usize, usize, u64)> {
    let v = state();
    let (b, s) = reservation_of(&v, ptr, 1)?;
    let types = v.phys.get(&handle).map_or(0, |p| p.prop.requested_handle_types as u64);
    Some((b, s, types))
}

fn reservation_of(v: &Vmm, ptr: usize, size: usize) -> Option<(usize, usize)> {
    let (b, s) = v.reservations.range(..=ptr).next_back()?;
    (ptr + size <= b + s).then_some((*b, *s))
}

unsafe fn reserve_pages(addr: usize, len: usize, fixed: bool) -> *mut c_void {
    let mut flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
    if fixed {
        flags |= libc::MAP_FIXED;
    }
    libc::mmap(addr as *mut c_void, len, libc::PROT_NONE, flags, -1, 0)
}

// ---- entry points ----

pub unsafe fn get_allocation_granularity(g: *mut usize, prop: *const CUmemAllocationProp, option: c_uint) -> CuResult {
    if g.is_null() || option > 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    check_prop(prop)?;
    *g = GRANULARITY;
    Ok(())
}

pub unsafe fn address_reserve(ptr: *mut CUdeviceptr, size: usize, align: usize, addr: CUdeviceptr, flags: u64) -> CuResult {
    if ptr.is_null() || size == 0 || size % GRANULARITY != 0 || flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if align != 0 && (!align.is_power_of_two() || align % GRANULARITY != 0) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    let align = align.max(GRANULARITY);
    // A hinted address is used if it is aligned and free (no MAP_FIXED: never clobber).
    if addr != 0 && addr as usize % align == 0 {
        let p = reserve_pages(addr as usize, size, false);
        if p != libc::MAP_FAILED {
            if p as usize == addr as usize {
                state().reserved(p as usize, size);
                *ptr = addr;
                return Ok(());
            }
            libc::munmap(p, size);
        }
    }
    let len = size.checked_add(align).ok_or(CUDA_ERROR_OUT_OF_MEMORY)?;
    let p = reserve_pages(0, len, false);
    if p == libc::MAP_FAILED {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let start = (p as usize).next_multiple_of(align);
    if start > p as usize {
        libc::munmap(p, start - p as usize);
    }
    let tail = p as usize + len - (start + size);
    if tail > 0 {
        libc::munmap((start + size) as *mut c_void, tail);
    }
    state().reserved(start, size);
    *ptr = start as CUdeviceptr;
    Ok(())
}

pub unsafe fn address_free(ptr: CUdeviceptr, size: usize) -> CuResult {
    let base = ptr as usize;
    let mut v = state();
    match v.reservations.get(&base) {
        Some(s) if *s == size => {}
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    if v.maps.range(base..base + size).next().is_some() {
        // NVIDIA requires everything to be unmapped first.
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    v.reservations.remove(&base);
    tracing::debug!("VMM reservation {base:#x} freed");
    libc::munmap(base as *mut c_void, size);
    Ok(())
}

pub unsafe fn create(handle: *mut CUmemGenericAllocationHandle, size: usize, prop: *const CUmemAllocationProp, flags: u64) -> CuResult {
    if handle.is_null() || size == 0 || flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let p = check_prop(prop)?;
    context::current_checked()?;
    if size % GRANULARITY != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if size > device::host_total_memory() {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let fd = libc::memfd_create(c"cuemu-vmm".as_ptr(), libc::MFD_CLOEXEC);
    if fd < 0 {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    if libc::ftruncate(fd, size as libc::off_t) != 0 {
        libc::close(fd);
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    let h = new_handle() as u64;
    let mut v = state();
    v.phys.insert(h, Phys { fd, size, prop: p, refs: 1, maps: 0 });
    v.phys_made += 1;
    *handle = h;
    Ok(())
}

fn drop_if_unused(v: &mut Vmm, h: u64) {
    if v.phys.get(&h).is_some_and(|p| p.refs == 0 && p.maps == 0) {
        let p = v.phys.remove(&h).unwrap();
        unsafe { libc::close(p.fd) };
    }
}

pub unsafe fn release(handle: CUmemGenericAllocationHandle) -> CuResult {
    let mut v = state();
    let p = v.phys.get_mut(&handle).filter(|p| p.refs > 0).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    p.refs -= 1;
    drop_if_unused(&mut v, handle);
    Ok(())
}

pub unsafe fn map(ptr: CUdeviceptr, size: usize, offset: usize, handle: CUmemGenericAllocationHandle, flags: u64) -> CuResult {
    let base = ptr as usize;
    if flags != 0 || size == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    let mut v = state();
    let p = v.phys.get(&handle).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    // Only whole physical allocations map ("offset: currently must be zero"): a non-zero
    // offset or a size other than the allocation's is CUDA_ERROR_NOT_SUPPORTED on NVIDIA's
    // driver 580, before any alignment check (measured, tests/programs/api_behaviour.cu;
    // a whole allocation at a misaligned address is CUDA_ERROR_INVALID_VALUE, vmm_pool.cu).
    if offset != 0 || size != p.size {
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    if base % GRANULARITY != 0 || size % GRANULARITY != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let fd = p.fd;
    reservation_of(&v, base, size).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let overlaps = v.maps.range(..base + size).next_back().is_some_and(|(b, m)| b + m.size > base);
    if overlaps {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let r = libc::mmap(
        base as *mut c_void,
        size,
        libc::PROT_READ | libc::PROT_WRITE,
        libc::MAP_SHARED | libc::MAP_FIXED,
        fd,
        offset as libc::off_t,
    );
    if r == libc::MAP_FAILED {
        return Err(CUDA_ERROR_OUT_OF_MEMORY);
    }
    v.phys.get_mut(&handle).unwrap().maps += 1;
    v.maps.insert(base, Mapping { size, handle, access: CU_MEM_ACCESS_FLAGS_PROT_NONE });
    v.maps_made += 1;
    let mapped: usize = v.maps.values().map(|m| m.size).sum();
    v.mapped_high = v.mapped_high.max(mapped as u64);
    memory::register_vmm(base, size, handle);
    Ok(())
}

/// The mappings exactly covering `[base, base + size)`, in order.
fn covering(v: &Vmm, base: usize, size: usize) -> CuResult<Vec<usize>> {
    let mut out = Vec::new();
    let mut at = base;
    while at < base + size {
        let m = v.maps.get(&at).ok_or(CUDA_ERROR_INVALID_VALUE)?;
        out.push(at);
        at += m.size;
    }
    if at != base + size {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(out)
}

pub unsafe fn unmap(ptr: CUdeviceptr, size: usize) -> CuResult {
    let base = ptr as usize;
    if size == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    // Queued work may still use the range.
    super::queue::drain_all();
    let mut v = state();
    // Unmapping a reserved range that holds no mapping at all succeeds (measured on NVIDIA's
    // driver, also for a range unmapped twice); cutting through a mapping does not.
    let end = base.checked_add(size).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let touches_mapping = v.maps.range(..end).next_back().is_some_and(|(b, m)| b + m.size > base);
    if !touches_mapping && reservation_of(&v, base, size).is_some() {
        return Ok(());
    }
    let list = covering(&v, base, size)?;
    for b in list {
        let m = v.maps.remove(&b).unwrap();
        reserve_pages(b, m.size, true);
        memory::unregister_vmm(b);
        if let Some(p) = v.phys.get_mut(&m.handle) {
            p.maps -= 1;
        }
        drop_if_unused(&mut v, m.handle);
    }
    Ok(())
}

pub unsafe fn set_access(ptr: CUdeviceptr, size: usize, desc: *const CUmemAccessDesc, count: usize) -> CuResult {
    if desc.is_null() || count == 0 || size == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let descs = std::slice::from_raw_parts(desc, count);
    let mut flags = CU_MEM_ACCESS_FLAGS_PROT_NONE;
    for d in descs {
        if d.location.type_ != CU_MEM_LOCATION_TYPE_DEVICE || !matches!(d.flags, 0 | 1 | 3) {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        device::get(d.location.id).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?;
        flags = d.flags;
    }
    let base = ptr as usize;
    let mut v = state();
    let list = covering(&v, base, size)?;
    for b in list {
        let m = v.maps.get_mut(&b).unwrap();
        m.access = flags;
        let prot = if flags == CU_MEM_ACCESS_FLAGS_PROT_READ { libc::PROT_READ } else { libc::PROT_READ | libc::PROT_WRITE };
        libc::mprotect(b as *mut c_void, m.size, prot);
    }
    Ok(())
}

fn mapping_at(v: &Vmm, ptr: usize) -> Option<(usize, &Mapping)> {
    let (b, m) = v.maps.range(..=ptr).next_back()?;
    (ptr < b + m.size).then_some((*b, m))
}

pub unsafe fn get_access(flags: *mut u64, location: *const CUmemLocation, ptr: CUdeviceptr) -> CuResult {
    if flags.is_null() || location.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let loc = *location;
    if loc.type_ != CU_MEM_LOCATION_TYPE_DEVICE {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(loc.id).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?;
    let v = state();
    let (_, m) = mapping_at(&v, ptr as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    *flags = m.access as u64;
    Ok(())
}

pub unsafe fn export_to_shareable_handle(out: *mut c_void, handle: CUmemGenericAllocationHandle, kind: c_uint, flags: u64) -> CuResult {
    if out.is_null() || flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let v = state();
    let p = v.phys.get(&handle).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if kind != CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR || p.prop.requested_handle_types & kind == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let fd = libc::dup(p.fd);
    if fd < 0 {
        return Err(CUDA_ERROR_OPERATING_SYSTEM);
    }
    *(out as *mut c_int) = fd;
    Ok(())
}

pub unsafe fn import_from_shareable_handle(handle: *mut CUmemGenericAllocationHandle, os_handle: *mut c_void, kind: c_uint) -> CuResult {
    if handle.is_null() || kind != CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    let fd = libc::dup(os_handle as usize as c_int);
    if fd < 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut st: libc::stat = std::mem::zeroed();
    if libc::fstat(fd, &mut st) != 0 || st.st_size <= 0 {
        libc::close(fd);
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut prop: CUmemAllocationProp = std::mem::zeroed();
    prop.type_ = CU_MEM_ALLOCATION_TYPE_PINNED;
    prop.requested_handle_types = CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR;
    prop.location = CUmemLocation { type_: CU_MEM_LOCATION_TYPE_DEVICE, id: 0 };
    let h = new_handle() as u64;
    let mut v = state();
    v.phys.insert(h, Phys { fd, size: st.st_size as usize, prop, refs: 1, maps: 0 });
    v.phys_made += 1;
    *handle = h;
    Ok(())
}

pub unsafe fn get_allocation_properties_from_handle(prop: *mut CUmemAllocationProp, handle: CUmemGenericAllocationHandle) -> CuResult {
    if prop.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let v = state();
    *prop = v.phys.get(&handle).ok_or(CUDA_ERROR_INVALID_VALUE)?.prop;
    Ok(())
}

pub unsafe fn retain_allocation_handle(handle: *mut CUmemGenericAllocationHandle, addr: *mut c_void) -> CuResult {
    if handle.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut v = state();
    let h = mapping_at(&v, addr as usize).ok_or(CUDA_ERROR_INVALID_VALUE)?.1.handle;
    v.phys.get_mut(&h).ok_or(CUDA_ERROR_INVALID_VALUE)?.refs += 1;
    *handle = h;
    Ok(())
}

/// (reservations, reserved bytes, physical allocations, mappings) for `cuemu info` and tests.
pub fn stats() -> (usize, usize, usize, usize) {
    let v = state();
    (v.reservations.len(), v.reservations.values().sum(), v.phys.len(), v.maps.len())
}
