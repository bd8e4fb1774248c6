//! User objects (`cuUserObjectCreate`, `cuGraphRetainUserObject`, ...): a destructor with a
//! reference count shared by the caller, graphs and executable graphs.
//!
//! A graph's references live in its [`GraphRefs`] (copied into clones and into the clone a
//! child-graph node embeds; released when the graph is destroyed); an executable graph takes
//! references for everything its graph and that graph's children hold, and gives them back when
//! the last launch using its snapshot is done and the executable is destroyed (the references
//! hang off the snapshot, [`ExecRefs`]). The destructor runs once the count reaches 0, on a
//! thread of its own, as NVIDIA's driver runs it asynchronously (the header: "executed by a
//! shared internal thread"; measured: a few ms after the last release,
//! tests/programs/driver_newer.cu).

use super::Table;
use crate::api::*;
use std::collections::HashMap;
use std::ffi::{c_uint, c_void};
use std::sync::{Arc, Mutex, OnceLock};

pub type CUuserObject = *mut c_void;

/// CU_USER_OBJECT_NO_DESTRUCTOR_SYNC: the only flag, and a required one.
const NO_DESTRUCTOR_SYNC: c_uint = 1;
/// CU_GRAPH_USER_OBJECT_MOVE.
const MOVE: c_uint = 1;

pub struct UserObject {
    ptr: usize,
    destroy: unsafe extern "C" fn(*mut c_void),
    refs: Mutex<u64>,
}

fn objects() -> &'static Table<UserObject> {
    static T: OnceLock<Table<UserObject>> = OnceLock::new();
    T.get_or_init(Table::new)
}

fn lookup(o: CUuserObject) -> CuResult<Arc<UserObject>> {
    objects().get(o).ok_or(CUDA_ERROR_INVALID_VALUE)
}

/// A count of references: nonzero and at most INT_MAX (measured: 0 and 2^31 are
/// CUDA_ERROR_INVALID_VALUE for retains and releases).
fn check_count(count: c_uint) -> CuResult<u64> {
    if count == 0 || count > i32::MAX as c_uint {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(count as u64)
}

fn retain(h: usize, n: u64) {
    if let Some(o) = objects().get(h as CUuserObject) {
        *o.refs.lock().unwrap() += n;
    }
}

/// Drops `n` references of object `h`; at 0 the handle goes away and the destructor runs on a
/// thread of its own.
fn release(h: usize, n: u64) {
    let Some(o) = objects().get(h as CUuserObject) else { return };
    let last = {
        let mut r = o.refs.lock().unwrap();
        *r = r.saturating_sub(n);
        *r == 0
    };
    if last {
        objects().remove(h as CUuserObject);
        let (f, p) = (o.destroy, o.ptr);
        let run = move || unsafe { f(p as *mut c_void) };
        if std::thread::Builder::new().name("cuemu-user-object".into()).spawn(run).is_err() {
            // No thread: run it here rather than never.
            unsafe { f(p as *mut c_void) };
        }
    }
}

pub unsafe fn create(out: *mut CUuserObject, ptr: *mut c_void, destroy: CUhostFn, initial: c_uint, flags: c_uint) -> CuResult {
    if out.is_null() || initial == 0 || flags != NO_DESTRUCTOR_SYNC {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let destroy = destroy.ok_or(CUDA_ERROR_INVALID_VALUE)?;
    // An initial count above INT_MAX is accepted (measured), unlike retains and releases.
    let (h, _) = objects().insert(UserObject { ptr: ptr as usize, destroy, refs: Mutex::new(initial as u64) });
    *out = h as CUuserObject;
    Ok(())
}

pub unsafe fn user_retain(o: CUuserObject, count: c_uint) -> CuResult {
    let n = check_count(count)?;
    *lookup(o)?.refs.lock().unwrap() += n;
    Ok(())
}

pub unsafe fn user_release(o: CUuserObject, count: c_uint) -> CuResult {
    let n = check_count(count)?;
    let obj = lookup(o)?;
    // Releasing references the caller does not own is undefined behaviour on NVIDIA's driver;
    // here it is refused rather than freeing under a graph's feet.
    if *obj.refs.lock().unwrap() < n {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    release(o as usize, n);
    Ok(())
}

/// References a graph owns: object → count.
#[derive(Default, Clone)]
pub struct GraphRefs(HashMap<usize, u64>);

impl GraphRefs {
    /// A copy for a cloned graph: the clone owns references of its own.
    pub fn duplicate(&self) -> GraphRefs {
        for (h, n) in &self.0 {
            retain(*h, *n);
        }
        self.clone()
    }

    /// The graph is destroyed: its references go.
    pub fn release_all(&mut self) {
        for (h, n) in self.0.drain() {
            release(h, n);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// References an executable graph holds (one per object its graph and the graph's children
/// held at instantiation); released when dropped.
pub struct ExecRefs(Vec<usize>);

impl ExecRefs {
    pub fn take(objects: impl IntoIterator<Item = usize>) -> Option<Arc<ExecRefs>> {
        let mut v: Vec<usize> = objects.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        if v.is_empty() {
            return None;
        }
        for h in &v {
            retain(*h, 1);
        }
        Some(Arc::new(ExecRefs(v)))
    }
}

impl Drop for ExecRefs {
    fn drop(&mut self) {
        for h in &self.0 {
            release(*h, 1);
        }
    }
}

/// The objects `refs` holds (for an instantiation).
pub fn objects_of(refs: &GraphRefs) -> impl Iterator<Item = usize> + '_ {
    refs.0.keys().copied()
}

pub fn graph_retain(refs: &mut GraphRefs, o: CUuserObject, count: c_uint, flags: c_uint) -> CuResult {
    if flags & !MOVE != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let n = check_count(count)?;
    let obj = lookup(o)?;
    if flags & MOVE == 0 {
        *obj.refs.lock().unwrap() += n;
    }
    *refs.0.entry(o as usize).or_insert(0) += n;
    Ok(())
}

pub fn graph_release(refs: &mut GraphRefs, o: CUuserObject, count: c_uint) -> CuResult {
    let n = check_count(count)?;
    lookup(o)?;
    let held = refs.0.get(&(o as usize)).copied().unwrap_or(0);
    // More than the graph holds: CUDA_SUCCESS and nothing released (measured on an H100: the
    // object survived until its other references went).
    if n > held {
        return Ok(());
    }
    if n == held {
        refs.0.remove(&(o as usize));
    } else {
        refs.0.insert(o as usize, held - n);
    }
    release(o as usize, n);
    Ok(())
}
