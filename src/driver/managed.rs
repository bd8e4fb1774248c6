//! Managed-memory advice and prefetch state, as `cuMemRangeGetAttribute(s)` reports it, and the
//! CUDA 13.0 batch prefetch and discard calls.
//!
//! Managed memory is host memory like everything else here, so advice and prefetches move
//! nothing; what they leave is the state NVIDIA's driver reports back: per managed allocation, a
//! list of byte ranges (split where advice or a prefetch started or ended) with read-mostly,
//! preferred location, accessed-by devices and last prefetch location. A query over a range
//! answers a value only where every range it covers agrees, as cuda.h describes ("if all pages in
//! the memory range ..."); NVIDIA keeps this per page, so advice on ranges that are not
//! page-aligned may answer differently there (not measured). The values, errors and the batch
//! calls' checks are those NVIDIA's driver 580 gave on an H100 (tests/programs/driver_newer.cu).

use super::memory::{self, Kind};
use super::stream;
use crate::api::*;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// CU_DEVICE_CPU / CU_DEVICE_INVALID.
const DEVICE_CPU: c_int = -1;
const DEVICE_INVALID: c_int = -2;
// CUmemLocationType
const LOC_INVALID: c_int = 0;
const LOC_DEVICE: c_int = 1;
const LOC_HOST: c_int = 2;
const LOC_HOST_NUMA: c_int = 3;
const LOC_HOST_NUMA_CURRENT: c_int = 4;

/// A location as (type, id); (0, -2) is none.
type Loc = (c_int, c_int);
const NO_LOC: Loc = (LOC_INVALID, DEVICE_INVALID);

#[derive(Clone, PartialEq, Eq)]
struct State {
    read_mostly: bool,
    preferred: Loc,
    accessed_by: Vec<CUdevice>,
    last_prefetch: Loc,
}

impl Default for State {
    fn default() -> Self {
        State { read_mostly: false, preferred: NO_LOC, accessed_by: Vec::new(), last_prefetch: NO_LOC }
    }
}

/// One managed allocation's ranges: (start offset, state), ascending, the first at 0.
struct Ranges {
    id: u64,
    size: usize,
    segs: Vec<(usize, State)>,
}

impl Ranges {
    fn new(id: u64, size: usize) -> Ranges {
        Ranges { id, size, segs: vec![(0, State::default())] }
    }

    /// Index of the segment starting at `off`, splitting the one containing it.
    fn split(&mut self, off: usize) -> usize {
        let i = self.segs.partition_point(|(s, _)| *s <= off) - 1;
        if self.segs[i].0 == off {
            return i;
        }
        let st = self.segs[i].1.clone();
        self.segs.insert(i + 1, (off, st));
        i + 1
    }

    fn update(&mut self, from: usize, to: usize, f: &impl Fn(&mut State)) {
        let a = self.split(from);
        let b = if to >= self.size { self.segs.len() } else { self.split(to) };
        for seg in &mut self.segs[a..b] {
            f(&mut seg.1);
        }
        self.segs.dedup_by(|x, y| x.1 == y.1);
    }

    /// The states of the segments overlapping [from, to).
    fn covering(&self, from: usize, to: usize) -> Vec<&State> {
        self.segs
            .iter()
            .enumerate()
            .filter(|(i, (s, _))| {
                let end = self.segs.get(i + 1).map_or(self.size, |n| n.0);
                *s < to && end > from
            })
            .map(|(_, (_, st))| st)
            .collect()
    }
}

fn table() -> MutexGuard<'static, HashMap<usize, Ranges>> {
    static T: OnceLock<Mutex<HashMap<usize, Ranges>>> = OnceLock::new();
    T.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// The managed allocation holding all of [p, p + n): (base, id, size).
fn managed(p: usize, n: usize) -> CuResult<(usize, u64, usize)> {
    match memory::find(p) {
        Some((base, a)) if a.kind == Kind::Managed && n > 0 && p.checked_add(n).is_some_and(|e| e <= base + a.size) => Ok((base, a.id, a.size)),
        _ => Err(CUDA_ERROR_INVALID_VALUE),
    }
}

/// Applies `f` to [p, p + n) if that is managed memory (advice and prefetches on other
/// memory leave nothing to report).
fn update(p: usize, n: usize, f: impl Fn(&mut State)) {
    let Ok((base, id, size)) = managed(p, n) else { return };
    let mut t = table();
    let r = t.entry(base).or_insert_with(|| Ranges::new(id, size));
    if r.id != id {
        // The address was freed and allocated again: start afresh.
        *r = Ranges::new(id, size);
    }
    r.update(p - base, p - base + n, &f);
}

/// A CUmemLocation as the driver records it (NUMA nodes count as the host).
fn loc_of(l: CUmemLocation) -> Loc {
    match l.type_ {
        LOC_DEVICE => (LOC_DEVICE, l.id),
        LOC_HOST | LOC_HOST_NUMA_CURRENT => (LOC_HOST, 0),
        LOC_HOST_NUMA => (LOC_HOST_NUMA, l.id),
        _ => NO_LOC,
    }
}

/// A CUdevice of the pre-12.2 calls (CU_DEVICE_CPU is the host).
pub fn loc_of_device(d: CUdevice) -> CUmemLocation {
    if d == DEVICE_CPU {
        CUmemLocation { type_: LOC_HOST, id: 0 }
    } else {
        CUmemLocation { type_: LOC_DEVICE, id: d }
    }
}

/// cuMemAdvise: records the advice for a managed range.
pub fn advise(p: usize, n: usize, advice: c_uint, l: CUmemLocation) {
    let loc = loc_of(l);
    match advice {
        1 => update(p, n, |s| s.read_mostly = true),
        2 => update(p, n, |s| s.read_mostly = false),
        3 => update(p, n, |s| s.preferred = loc),
        4 => update(p, n, |s| s.preferred = NO_LOC),
        5 if loc.0 == LOC_DEVICE => update(p, n, |s| {
            if !s.accessed_by.contains(&loc.1) {
                s.accessed_by.push(loc.1);
                s.accessed_by.sort_unstable();
            }
        }),
        6 if loc.0 == LOC_DEVICE => update(p, n, |s| s.accessed_by.retain(|d| *d != loc.1)),
        _ => {}
    }
}

/// cuMemPrefetchAsync: the range's last prefetch location.
pub fn prefetched(p: usize, n: usize, l: CUmemLocation) {
    let loc = loc_of(l);
    update(p, n, |s| s.last_prefetch = loc);
}

/// A location as the pre-12.2 attributes answer it: a device, CU_DEVICE_CPU or
/// CU_DEVICE_INVALID.
fn as_device(l: Loc) -> c_int {
    match l.0 {
        LOC_DEVICE => l.1,
        LOC_HOST | LOC_HOST_NUMA => DEVICE_CPU,
        _ => DEVICE_INVALID,
    }
}

/// The one value all `states` share, or none.
fn common(states: &[&State], f: impl Fn(&State) -> Loc) -> Loc {
    let first = f(states[0]);
    if states.iter().all(|s| f(s) == first) {
        first
    } else {
        NO_LOC
    }
}

unsafe fn attribute(data: *mut c_void, size: usize, attr: c_uint, p: usize, n: usize) -> CuResult {
    if data.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let four = |v: c_int| -> CuResult {
        if size != 4 {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        *(data as *mut c_int) = v;
        Ok(())
    };
    if !(1..=8).contains(&attr) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let (base, id, _) = managed(p, n)?;
    let t = table();
    let fresh = Ranges::new(id, usize::MAX);
    let r = t.get(&base).filter(|r| r.id == id).unwrap_or(&fresh);
    let states = r.covering(p - base, p - base + n);
    let states = if states.is_empty() { vec![&fresh.segs[0].1] } else { states };
    match attr {
        1 => four(states.iter().all(|s| s.read_mostly) as c_int),
        2 => four(as_device(common(&states, |s| s.preferred))),
        3 => {
            if size == 0 || size % 4 != 0 {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            let all: Vec<CUdevice> = states[0].accessed_by.iter().copied().filter(|d| states.iter().all(|s| s.accessed_by.contains(d))).collect();
            let out = std::slice::from_raw_parts_mut(data as *mut c_int, size / 4);
            for (i, o) in out.iter_mut().enumerate() {
                *o = all.get(i).copied().unwrap_or(DEVICE_INVALID);
            }
            Ok(())
        }
        4 => four(as_device(common(&states, |s| s.last_prefetch))),
        5 => four(common(&states, |s| s.preferred).0),
        6 => four(common(&states, |s| s.preferred).1),
        7 => four(common(&states, |s| s.last_prefetch).0),
        _ => four(common(&states, |s| s.last_prefetch).1),
    }
}

pub unsafe fn range_get_attribute(data: *mut c_void, size: usize, attr: c_uint, p: CUdeviceptr, n: usize) -> CuResult {
    attribute(data, size, attr, p as usize, n)
}

pub unsafe fn range_get_attributes(data: *mut *mut c_void, sizes: *mut usize, attrs: *mut c_uint, num: usize, p: CUdeviceptr, n: usize) -> CuResult {
    if data.is_null() || sizes.is_null() || attrs.is_null() || num == 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    for i in 0..num {
        attribute(*data.add(i), *sizes.add(i), *attrs.add(i), p as usize, n)?;
    }
    Ok(())
}

/// The ranges of a batch call: each managed memory, the stream not the legacy one.
unsafe fn batch_ranges(ptrs: *const CUdeviceptr, sizes: *const usize, count: usize, flags: u64, h: CUstream) -> CuResult<Vec<(usize, usize)>> {
    if count == 0 || ptrs.is_null() || sizes.is_null() || flags != 0 || stream::is_legacy_handle(h) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    stream::resolve(h)?;
    let v: Vec<(usize, usize)> = (0..count).map(|i| (*ptrs.add(i) as usize, *sizes.add(i))).collect();
    for &(p, n) in &v {
        managed(p, n)?;
    }
    Ok(v)
}

/// The location of each range: `locs[k]` applies from range `idxs[k]` on (the first index 0,
/// ascending, at most one per range).
unsafe fn batch_locations(locs: *const CUmemLocation, idxs: *const usize, num: usize, count: usize) -> CuResult<Vec<CUmemLocation>> {
    if locs.is_null() || idxs.is_null() || num == 0 || num > count {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let (locs, idxs) = (std::slice::from_raw_parts(locs, num), std::slice::from_raw_parts(idxs, num));
    if idxs[0] != 0 || idxs.windows(2).any(|w| w[1] <= w[0]) || idxs[num - 1] >= count {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    for l in locs {
        match l.type_ {
            LOC_DEVICE => super::device::get(l.id).map(|_| ()).map_err(|_| CUDA_ERROR_INVALID_DEVICE)?,
            LOC_HOST | LOC_HOST_NUMA | LOC_HOST_NUMA_CURRENT => {}
            _ => return Err(CUDA_ERROR_INVALID_VALUE),
        }
    }
    Ok((0..count).map(|i| locs[idxs.iter().rposition(|&s| s <= i).unwrap_or(0)]).collect())
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn prefetch_batch_async(ptrs: *const CUdeviceptr, sizes: *const usize, count: usize, locs: *const CUmemLocation, idxs: *const usize, num: usize, flags: u64, h: CUstream) -> CuResult {
    let ranges = batch_ranges(ptrs, sizes, count, flags, h)?;
    let at = batch_locations(locs, idxs, num, count)?;
    for (&(p, n), l) in ranges.iter().zip(at) {
        prefetched(p, n, l);
    }
    Ok(())
}

/// Discarding lets the driver drop the pages' contents: here they simply stay.
pub unsafe fn discard_batch_async(ptrs: *const CUdeviceptr, sizes: *const usize, count: usize, flags: u64, h: CUstream) -> CuResult {
    batch_ranges(ptrs, sizes, count, flags, h).map(|_| ())
}

#[allow(clippy::too_many_arguments)]
pub unsafe fn discard_and_prefetch_batch_async(ptrs: *const CUdeviceptr, sizes: *const usize, count: usize, locs: *const CUmemLocation, idxs: *const usize, num: usize, flags: u64, h: CUstream) -> CuResult {
    prefetch_batch_async(ptrs, sizes, count, locs, idxs, num, flags, h)
}
