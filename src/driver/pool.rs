//! Memory pools for stream-ordered allocation (`cuMemAllocAsync`, `cuMemAllocFromPoolAsync`,
//! `cuMemFreeAsync`): a default pool per device, created pools, the device's current pool, pool
//! attributes and access. Allocations are ordinary device allocations (taken at enqueue time,
//! which is never later than the stream needs them); a pool keeps the accounting NVIDIA's
//! attributes report (used/reserved memory and their high watermarks). A block given back with
//! cuMemFreeAsync stays with its pool ([`Cached`]) for the next allocation of its size, and
//! goes back to the system at a synchronization once the pool holds more than its release
//! threshold, as NVIDIA's pools do.
//!
//! CUDA 13.0's `cuMemGetDefaultMemPool`/`cuMemGetMemPool`/`cuMemSetMemPool` name pools by
//! location and allocation type: a device's pinned pools are the ones above (so
//! `cuMemSetMemPool` there is `cuDeviceSetMemPool`); pinned host and managed pools exist as
//! default pools per location (allocations from them are pinned host or managed memory).

use super::queue::Queue;
use super::{device, memory, new_handle};
use crate::api::*;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

pub type CUmemoryPool = *mut c_void;

/// `CUmemPoolProps`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CUmemPoolProps {
    pub alloc_type: c_uint,
    pub handle_types: c_uint,
    pub location: CUmemLocation,
    pub win32_security_attributes: *mut c_void,
    pub max_size: usize,
    pub usage: u16,
    pub reserved: [u8; 54],
}

struct Pool {
    device: CUdevice,
    /// What the pool hands out: CU_MEM_ALLOCATION_TYPE_PINNED (1) or _MANAGED (2), at a
    /// CUmemLocationType (0 none, 1 device, 2 host). Created pools are pinned device pools;
    /// the others are the default pools cuMemGetDefaultMemPool (13.0) names.
    alloc_type: c_uint,
    loc_type: c_int,
    handle_types: c_uint,
    default: bool,
    follow_event_deps: c_int,
    allow_opportunistic: c_int,
    allow_internal_deps: c_int,
    release_threshold: u64,
    used: u64,
    used_high: u64,
    reserved_high: u64,
    /// Allocations ever made from the pool (for the report).
    allocations: u64,
}

/// A pool as `report.rs` shows it.
#[derive(Clone, Debug)]
pub struct PoolSummary {
    pub handle: usize,
    pub device: CUdevice,
    pub default: bool,
    pub allocations: u64,
    pub used: u64,
    pub used_high: u64,
    pub reserved_high: u64,
    pub release_threshold: u64,
    pub destroyed: bool,
}

fn summary(h: usize, p: &Pool, destroyed: bool) -> PoolSummary {
    PoolSummary {
        handle: h,
        device: p.device,
        default: p.default,
        allocations: p.allocations,
        used: p.used,
        used_high: p.used_high,
        reserved_high: p.reserved_high,
        release_threshold: p.release_threshold,
        destroyed,
    }
}

#[derive(Default)]
struct Pools {
    pools: HashMap<usize, Pool>,
    /// (allocation type, location) → its default pool and its current pool: a device's pinned
    /// pools (cuDeviceGetDefaultMemPool / cuDeviceGetMemPool) and 13.0's host and managed ones.
    default_of: HashMap<PoolKey, usize>,
    current_of: HashMap<PoolKey, usize>,
    /// Allocation base → (pool, size).
    allocs: HashMap<usize, (usize, usize)>,
    /// Destroyed pools, as they were (the first report::DETAIL_LIMIT).
    retired: Vec<PoolSummary>,
    /// Blocks freed with cuMemFreeAsync, kept for reuse.
    cache: Vec<Cached>,
}

/// A block given back with cuMemFreeAsync and kept by its pool. NVIDIA's pools hand it to the
/// next allocation of the same size on the same stream, even before the stream reaches the
/// free (stream order makes that safe), or on any stream once the free has run (measured:
/// same address, old bytes still there; tests/programs/api_behaviour.cu).
struct Cached {
    base: usize,
    size: usize,
    pool: usize,
    ctx: usize,
    /// The stream the free was enqueued on.
    queue: Arc<Queue>,
    /// Set when that stream reached the free.
    done: Arc<AtomicBool>,
}

/// Bytes held in every pool's cache (lets synchronizations skip the pool lock when 0).
static CACHED_BYTES: AtomicUsize = AtomicUsize::new(0);

fn cached_in(s: &Pools, pool: usize) -> u64 {
    s.cache.iter().filter(|c| c.pool == pool).map(|c| c.size as u64).sum()
}

/// cuMemFreeAsync of `base`: a live pool allocation is cached (`Ok(true)`); anything else is
/// not a pool allocation (`Ok(false)`).
pub fn free_async_cached(base: usize, h: CUstream, ctx: usize) -> CuResult<bool> {
    if !state().allocs.contains_key(&base) {
        return Ok(false);
    }
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    let (queue, _) = super::stream::submit(h, Vec::new(), move |_| flag.store(true, Ordering::Release))?;
    let mut s = state();
    let Some((pool, size)) = s.allocs.remove(&base) else { return Err(CUDA_ERROR_INVALID_VALUE) };
    if let Some(p) = s.pools.get_mut(&pool) {
        p.used = p.used.saturating_sub(size as u64);
    }
    s.cache.push(Cached { base, size, pool, ctx, queue, done });
    CACHED_BYTES.fetch_add(size, Ordering::AcqRel);
    Ok(true)
}

/// A freed block the pool still holds (not the program's to free or use).
pub fn is_cached(base: usize) -> bool {
    CACHED_BYTES.load(Ordering::Acquire) != 0 && state().cache.iter().any(|c| c.base == base)
}

/// A cached block of `pool` of exactly `size` bytes that an allocation on `q` may take.
fn take_cached(s: &mut Pools, pool: usize, size: usize, q: &Arc<Queue>) -> Option<usize> {
    let i = s
        .cache
        .iter()
        .position(|c| c.pool == pool && c.size == size && (Arc::ptr_eq(&c.queue, q) || c.done.load(Ordering::Acquire)))?;
    let c = s.cache.remove(i);
    CACHED_BYTES.fetch_sub(c.size, Ordering::AcqRel);
    Some(c.base)
}

/// Gives cached blocks whose free has run back to the system, newest last, until each pool
/// holds at most `keep(pool)` bytes (its release threshold at a synchronization; a destroyed
/// pool keeps nothing).
fn release_cached(only: Option<usize>, keep: impl Fn(&Pools, usize) -> u64) {
    if CACHED_BYTES.load(Ordering::Acquire) == 0 {
        return;
    }
    let victims: Vec<usize> = {
        let mut s = state();
        let pools: Vec<usize> = {
            let mut v: Vec<usize> = s.cache.iter().map(|c| c.pool).filter(|p| only.is_none_or(|o| o == *p)).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut out = Vec::new();
        for pool in pools {
            let limit = keep(&s, pool);
            let mut held = cached_in(&s, pool);
            let mut i = 0;
            while held > limit && i < s.cache.len() {
                if s.cache[i].pool == pool && s.cache[i].done.load(Ordering::Acquire) {
                    let c = s.cache.remove(i);
                    held -= c.size as u64;
                    CACHED_BYTES.fetch_sub(c.size, Ordering::AcqRel);
                    out.push(c.base);
                } else {
                    i += 1;
                }
            }
        }
        out
    };
    for base in victims {
        memory::release_pool_block(base);
    }
}

/// At a synchronization (stream, event, context): each pool keeps at most its release
/// threshold of cached memory.
pub fn trim_at_sync() {
    release_cached(None, |s, p| s.pools.get(&p).map_or(0, |p| p.release_threshold));
}

/// A context's memory is going away (destroyed, reset): its cached blocks are forgotten
/// (the context release frees them with the rest).
pub fn forget_cached_of_context(ctx: usize) {
    if CACHED_BYTES.load(Ordering::Acquire) == 0 {
        return;
    }
    let mut s = state();
    s.cache.retain(|c| {
        if c.ctx == ctx {
            CACHED_BYTES.fetch_sub(c.size, Ordering::AcqRel);
            false
        } else {
            true
        }
    });
}

fn state() -> MutexGuard<'static, Pools> {
    static S: OnceLock<Mutex<Pools>> = OnceLock::new();
    S.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

fn new_pool(device: CUdevice, handle_types: c_uint, default: bool) -> Pool {
    Pool {
        device,
        alloc_type: ALLOC_PINNED,
        loc_type: LOC_DEVICE,
        handle_types,
        default,
        follow_event_deps: 1,
        allow_opportunistic: 1,
        allow_internal_deps: 1,
        release_threshold: 0,
        used: 0,
        used_high: 0,
        reserved_high: 0,
        allocations: 0,
    }
}

/// The key of a device's pinned pools.
fn pinned_key(dev: CUdevice) -> PoolKey {
    (ALLOC_PINNED, LOC_DEVICE, dev)
}

/// The default pool of `key`, created on first use.
fn default_pool(s: &mut Pools, key: PoolKey) -> usize {
    if let Some(p) = s.default_of.get(&key) {
        return *p;
    }
    let h = new_handle();
    tracing::debug!("default memory pool {h:#x} of {key:?} (allocation type, location) created");
    let mut p = new_pool(if key.1 == LOC_DEVICE { key.2 } else { 0 }, 0, true);
    (p.alloc_type, p.loc_type) = (key.0, key.1);
    s.pools.insert(h, p);
    s.default_of.insert(key, h);
    h
}

fn current_pool(s: &mut Pools, key: PoolKey) -> usize {
    match s.current_of.get(&key) {
        Some(p) => *p,
        None => default_pool(s, key),
    }
}

pub unsafe fn device_get_default_mem_pool(out: *mut CUmemoryPool, dev: CUdevice) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(dev)?;
    *out = default_pool(&mut state(), pinned_key(dev)) as CUmemoryPool;
    Ok(())
}

pub unsafe fn device_get_mem_pool(out: *mut CUmemoryPool, dev: CUdevice) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(dev)?;
    *out = current_pool(&mut state(), pinned_key(dev)) as CUmemoryPool;
    Ok(())
}

pub unsafe fn device_set_mem_pool(dev: CUdevice, pool: CUmemoryPool) -> CuResult {
    device::get(dev)?;
    let mut s = state();
    let p = s.pools.get(&(pool as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if p.device != dev {
        return Err(CUDA_ERROR_INVALID_DEVICE);
    }
    s.current_of.insert(pinned_key(dev), pool as usize);
    Ok(())
}

pub unsafe fn create(out: *mut CUmemoryPool, props: *const CUmemPoolProps) -> CuResult {
    if out.is_null() || props.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let p = *props;
    // CU_MEM_ALLOCATION_TYPE_PINNED on a device location.
    if p.alloc_type != 1 || p.location.type_ != 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if p.handle_types & !1 != 0 {
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    // An unknown device in the location: CUDA_ERROR_INVALID_VALUE (measured).
    device::get(p.location.id).map_err(|_| CUDA_ERROR_INVALID_VALUE)?;
    let h = new_handle();
    tracing::debug!("memory pool {h:#x} created on device {}", p.location.id);
    state().pools.insert(h, new_pool(p.location.id, p.handle_types, false));
    *out = h as CUmemoryPool;
    Ok(())
}

/// Destroying a pool with live allocations is allowed (they are freed when freed).
pub unsafe fn destroy(pool: CUmemoryPool) -> CuResult {
    let mut s = state();
    match s.pools.get(&(pool as usize)) {
        Some(p) if !p.default => {}
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    // Its location falls back to the default pool.
    s.current_of.retain(|_, p| *p != pool as usize);
    if let Some(p) = s.pools.remove(&(pool as usize)) {
        tracing::debug!("memory pool {:#x} destroyed", pool as usize);
        if s.retired.len() < super::report::DETAIL_LIMIT {
            let r = summary(pool as usize, &p, true);
            s.retired.push(r);
        }
    }
    drop(s);
    release_cached(Some(pool as usize), |_, _| 0);
    Ok(())
}

pub unsafe fn trim_to(pool: CUmemoryPool, keep: usize) -> CuResult {
    if !state().pools.contains_key(&(pool as usize)) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    release_cached(Some(pool as usize), |_, _| keep as u64);
    Ok(())
}

// CUmemPool_attribute
const ATTR_FOLLOW_EVENT_DEPENDENCIES: c_uint = 1;
const ATTR_ALLOW_OPPORTUNISTIC: c_uint = 2;
const ATTR_ALLOW_INTERNAL_DEPENDENCIES: c_uint = 3;
const ATTR_RELEASE_THRESHOLD: c_uint = 4;
const ATTR_RESERVED_MEM_CURRENT: c_uint = 5;
const ATTR_RESERVED_MEM_HIGH: c_uint = 6;
const ATTR_USED_MEM_CURRENT: c_uint = 7;
const ATTR_USED_MEM_HIGH: c_uint = 8;
const ATTR_ALLOCATION_TYPE: c_uint = 9;
const ATTR_EXPORT_HANDLE_TYPES: c_uint = 10;
const ATTR_LOCATION_ID: c_uint = 11;
const ATTR_LOCATION_TYPE: c_uint = 12;

pub unsafe fn set_attribute(pool: CUmemoryPool, attr: c_uint, value: *mut c_void) -> CuResult {
    if value.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut s = state();
    let p = s.pools.get_mut(&(pool as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    match attr {
        ATTR_FOLLOW_EVENT_DEPENDENCIES => p.follow_event_deps = *(value as *const c_int),
        ATTR_ALLOW_OPPORTUNISTIC => p.allow_opportunistic = *(value as *const c_int),
        ATTR_ALLOW_INTERNAL_DEPENDENCIES => p.allow_internal_deps = *(value as *const c_int),
        ATTR_RELEASE_THRESHOLD => p.release_threshold = *(value as *const u64),
        // The high watermarks can only be reset (to 0).
        ATTR_RESERVED_MEM_HIGH | ATTR_USED_MEM_HIGH => {
            if *(value as *const u64) != 0 {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            if attr == ATTR_USED_MEM_HIGH {
                p.used_high = p.used;
            } else {
                p.reserved_high = p.used;
                let held = cached_in(&s, pool as usize);
                if let Some(p) = s.pools.get_mut(&(pool as usize)) {
                    p.reserved_high += held;
                }
            }
        }
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    Ok(())
}

pub unsafe fn get_attribute(pool: CUmemoryPool, attr: c_uint, value: *mut c_void) -> CuResult {
    if value.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let s = state();
    let p = s.pools.get(&(pool as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    match attr {
        ATTR_FOLLOW_EVENT_DEPENDENCIES => *(value as *mut c_int) = p.follow_event_deps,
        ATTR_ALLOW_OPPORTUNISTIC => *(value as *mut c_int) = p.allow_opportunistic,
        ATTR_ALLOW_INTERNAL_DEPENDENCIES => *(value as *mut c_int) = p.allow_internal_deps,
        ATTR_RELEASE_THRESHOLD => *(value as *mut u64) = p.release_threshold,
        ATTR_RESERVED_MEM_CURRENT => *(value as *mut u64) = p.used + cached_in(&s, pool as usize),
        ATTR_USED_MEM_CURRENT => *(value as *mut u64) = p.used,
        ATTR_RESERVED_MEM_HIGH => *(value as *mut u64) = p.reserved_high,
        ATTR_USED_MEM_HIGH => *(value as *mut u64) = p.used_high,
        ATTR_ALLOCATION_TYPE => *(value as *mut c_uint) = 1,
        ATTR_EXPORT_HANDLE_TYPES => *(value as *mut c_uint) = p.handle_types,
        ATTR_LOCATION_ID => *(value as *mut c_int) = p.device,
        ATTR_LOCATION_TYPE => *(value as *mut c_int) = 1,
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    Ok(())
}

pub unsafe fn set_access(pool: CUmemoryPool, map: *const CUmemAccessDesc, count: usize) -> CuResult {
    if count > 0 && map.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let dev = state().pools.get(&(pool as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)?.device;
    for d in std::slice::from_raw_parts(map, count) {
        if d.location.type_ != 1 || !matches!(d.flags, 0 | 1 | 3) {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        device::get(d.location.id).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?;
        // The owning device always has read-write access.
        if d.location.id == dev && d.flags != 3 {
            return Err(CUDA_ERROR_INVALID_DEVICE);
        }
    }
    Ok(())
}

pub unsafe fn get_access(flags: *mut c_uint, pool: CUmemoryPool, location: *mut CUmemLocation) -> CuResult {
    if flags.is_null() || location.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    state().pools.get(&(pool as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let loc = *location;
    if loc.type_ != 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::get(loc.id).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?;
    *flags = 3;
    Ok(())
}

// ---- pools by location and allocation type (CUDA 13.0) ----

const ALLOC_PINNED: c_uint = 1;
const ALLOC_MANAGED: c_uint = 2;
const LOC_NONE: c_int = 0;
const LOC_DEVICE: c_int = 1;
const LOC_HOST: c_int = 2;

/// (allocation type, location type, location id) of a pool that is not a pinned device pool.
type PoolKey = (c_uint, c_int, c_int);

/// Checks a (location, type) pair of cuMemGetDefaultMemPool / cuMemGetMemPool /
/// cuMemSetMemPool, as NVIDIA's driver 580 answers (tests/programs/driver_newer.cu): NULL, an
/// invalid type, an unknown device, no location for pinned memory: CUDA_ERROR_INVALID_VALUE.
/// Host NUMA nodes and device locality domains: CUDA_ERROR_NOT_SUPPORTED (cuemu models no
/// NUMA or locality domains). Returns the pool's key.
unsafe fn location_key(loc: *const CUmemLocation, alloc_type: c_uint) -> CuResult<PoolKey> {
    if loc.is_null() || !matches!(alloc_type, ALLOC_PINNED | ALLOC_MANAGED) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let l = *loc;
    match l.type_ {
        LOC_DEVICE => {
            device::get(l.id).map_err(|_| CUDA_ERROR_INVALID_VALUE)?;
            Ok((alloc_type, LOC_DEVICE, l.id))
        }
        // The id of a host location is ignored (cuda.h).
        LOC_HOST => Ok((alloc_type, LOC_HOST, 0)),
        LOC_NONE if alloc_type == ALLOC_MANAGED => Ok((alloc_type, LOC_NONE, 0)),
        LOC_NONE => Err(CUDA_ERROR_INVALID_VALUE),
        3 | 4 | 6 => Err(CUDA_ERROR_NOT_SUPPORTED),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    }
}

pub unsafe fn mem_get_default_mem_pool(out: *mut CUmemoryPool, loc: *mut CUmemLocation, alloc_type: c_uint) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut s = state();
    *out = default_pool(&mut s, location_key(loc, alloc_type)?) as CUmemoryPool;
    Ok(())
}

pub unsafe fn mem_get_mem_pool(out: *mut CUmemoryPool, loc: *mut CUmemLocation, alloc_type: c_uint) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let mut s = state();
    *out = current_pool(&mut s, location_key(loc, alloc_type)?) as CUmemoryPool;
    Ok(())
}

/// The pool must have been made for this location and type (measured: a device pool for a
/// host location, or for managed memory, is CUDA_ERROR_INVALID_VALUE).
pub unsafe fn mem_set_mem_pool(loc: *mut CUmemLocation, alloc_type: c_uint, pool: CUmemoryPool) -> CuResult {
    let key = location_key(loc, alloc_type)?;
    let mut s = state();
    let p = s.pools.get(&(pool as usize)).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if (p.alloc_type, p.loc_type) != (key.0, key.1) || key.1 == LOC_DEVICE && p.device != key.2 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    s.current_of.insert(key, pool as usize);
    Ok(())
}

/// Allocates from `pool` (or the device's current pool) at enqueue time.
unsafe fn alloc_from(dptr: *mut CUdeviceptr, size: usize, pool: Option<usize>, h: CUstream) -> CuResult {
    if dptr.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = super::stream::resolve(h)?;
    // Zero bytes: CUDA_SUCCESS and a NULL pointer (measured, tests/programs/api_behaviour.cu).
    if size == 0 {
        *dptr = 0;
        return Ok(());
    }
    let (pool, kind) = {
        let mut s = state();
        let p = match pool {
            Some(p) => p,
            None => current_pool(&mut s, pinned_key(c.device)),
        };
        // Pinned device memory, or what a 13.0 host or managed pool hands out.
        let kind = match s.pools.get(&p).map(|x| (x.alloc_type, x.loc_type)) {
            None => return Err(CUDA_ERROR_INVALID_VALUE),
            Some((ALLOC_MANAGED, _)) => memory::Kind::Managed,
            Some((_, LOC_HOST)) => memory::Kind::Host,
            Some(_) => memory::Kind::Device,
        };
        (p, kind)
    };
    if super::stream::is_capturing_stream(h) {
        // Captured: an allocation node (its address is fixed now, for every launch).
        let dev = state().pools[&pool].device;
        return super::graphmem::capture_alloc(dptr, size, dev, c.handle, h);
    }
    let q = super::stream::queue_of(h)?.1;
    let reused = take_cached(&mut state(), pool, size, &q);
    let base = match reused {
        Some(b) => b,
        None => memory::allocate(size, kind, &c, 0)?,
    };
    let mut s = state();
    s.allocs.insert(base, (pool, size));
    let held = cached_in(&s, pool);
    if let Some(p) = s.pools.get_mut(&pool) {
        p.used += size as u64;
        p.allocations += 1;
        p.used_high = p.used_high.max(p.used);
        p.reserved_high = p.reserved_high.max(p.used + held);
    }
    *dptr = base as CUdeviceptr;
    Ok(())
}

pub unsafe fn alloc_async(dptr: *mut CUdeviceptr, size: usize, h: CUstream) -> CuResult {
    alloc_from(dptr, size, None, h)
}

pub unsafe fn alloc_from_pool_async(dptr: *mut CUdeviceptr, size: usize, pool: CUmemoryPool, h: CUstream) -> CuResult {
    alloc_from(dptr, size, Some(pool as usize), h)
}

/// An allocation at `base` was freed (cuMemFree or cuMemFreeAsync): pool accounting.
pub fn on_free(base: usize) {
    let mut s = state();
    if let Some((pool, size)) = s.allocs.remove(&base) {
        if let Some(p) = s.pools.get_mut(&pool) {
            p.used = p.used.saturating_sub(size as u64);
        }
    }
}

/// Every pool the program used or made (destroyed ones as they were), by handle.
pub fn summaries() -> Vec<PoolSummary> {
    let s = state();
    let mut v: Vec<PoolSummary> = s.pools.iter().map(|(h, p)| summary(*h, p, false)).collect();
    v.extend(s.retired.iter().cloned());
    v.sort_by_key(|p| p.handle);
    v
}

/// The pool an allocation came from (CU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE), or 0.
pub fn pool_of(base: usize) -> usize {
    let s = state();
    // A freed block the pool keeps for reuse is still the pool's memory.
    s.allocs.get(&base).map(|a| a.0).or_else(|| s.cache.iter().find(|c| c.base == base).map(|c| c.pool)).unwrap_or(0)
}
