//! Driver state, one file per CUDA object family (as ZLUDA splits it).
//!
//! Handles are synthetic values from one process-wide counter (never reused, never a real
//! pointer), so a freed or wrong-kind handle is simply absent from its family's table and gives
//! an error (CUDA_ERROR_INVALID_HANDLE / INVALID_CONTEXT) instead of a crash.

use crate::api::*;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

pub mod array;
pub mod context;
pub mod device;
pub mod event;
pub mod graph;
pub mod graphmem;
pub mod graphparams;
pub mod kernel_attrs;
pub mod launch;
pub mod link;
pub mod managed;
pub mod memcpy_batch;
pub mod memops;
pub mod memory;
pub mod module;
pub mod pool;
pub mod queue;
pub mod report;
pub mod stream;
pub mod tensormap;
pub mod userobj;
pub mod texture;
pub mod vmm;

/// What `cuDriverGetVersion` reports: CUDA 13.5. Satisfies every cudart tested (12.0–13.5,
/// notes §1) and makes cudart 13.5 request every entry point it knows.
pub const DRIVER_VERSION: c_int = 13050;

static INITIALIZED: AtomicBool = AtomicBool::new(false);

pub fn is_initialized() -> bool {
    INITIALIZED.load(Ordering::Acquire)
}

/// `cuInit(flags)`: flags must be 0.
pub unsafe fn init(flags: c_uint) -> CuResult {
    if flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    device::all(); // probe the host once
    report::arm();
    INITIALIZED.store(true, Ordering::Release);
    Ok(())
}

/// Initialises without going through the C entry (the CLI's `info`, tests).
pub fn init_in_process() {
    let _ = unsafe { init(0) };
}

pub unsafe fn driver_get_version(version: *mut c_int) -> CuResult {
    out(version, DRIVER_VERSION)
}

/// Writes an out-parameter; NULL → CUDA_ERROR_INVALID_VALUE (as NVIDIA answers).
pub unsafe fn out<T>(p: *mut T, v: T) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    p.write(v);
    Ok(())
}

/// Next handle value: 16-byte steps well above small integers (0/1/2 are stream sentinels).
pub fn new_handle() -> usize {
    static NEXT: AtomicU64 = AtomicU64::new(0x0c0e_0000_0000);
    NEXT.fetch_add(0x10, Ordering::Relaxed) as usize
}

/// A family of handles → objects.
pub struct Table<T> {
    map: RwLock<HashMap<usize, Arc<T>>>,
}

impl<T> Table<T> {
    pub fn new() -> Self {
        Table { map: RwLock::new(HashMap::new()) }
    }
    pub fn insert(&self, obj: T) -> (usize, Arc<T>) {
        let h = new_handle();
        let a = Arc::new(obj);
        self.map.write().unwrap().insert(h, a.clone());
        (h, a)
    }
    pub fn insert_arc(&self, h: usize, obj: Arc<T>) {
        self.map.write().unwrap().insert(h, obj);
    }
    pub fn get(&self, h: *mut c_void) -> Option<Arc<T>> {
        self.map.read().unwrap().get(&(h as usize)).cloned()
    }
    pub fn remove(&self, h: *mut c_void) -> Option<Arc<T>> {
        self.map.write().unwrap().remove(&(h as usize))
    }
    pub fn contains(&self, h: *mut c_void) -> bool {
        self.map.read().unwrap().contains_key(&(h as usize))
    }
    pub fn snapshot(&self) -> Vec<(usize, Arc<T>)> {
        self.map.read().unwrap().iter().map(|(k, v)| (*k, v.clone())).collect()
    }
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self::new()
    }
}

pub fn as_handle(h: usize) -> *mut c_void {
    h as *mut c_void
}

/// `cuProfilerStart`/`Stop`: nothing to profile; succeed so `cudaProfilerStart` works.
pub unsafe fn profiler_noop() -> CuResult {
    Ok(())
}
