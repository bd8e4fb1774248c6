//! Streams. Work runs at enqueue time (synchronously, on the calling thread plus the
//! executor's pool), so a stream is bookkeeping: flags, priority, context, id. Every call
//! still validates its handle: 0 (NULL stream), 0x1 (CU_STREAM_LEGACY) and 0x2
//! (CU_STREAM_PER_THREAD) are accepted everywhere a stream is.

use super::context::{self, Context};
use super::{event, Table};
use crate::api::*;
use std::cell::Cell;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

pub const CU_STREAM_LEGACY: usize = 0x1;
pub const CU_STREAM_PER_THREAD: usize = 0x2;
pub const CU_STREAM_NON_BLOCKING: c_uint = 0x1;

pub struct Stream {
    pub ctx: usize,
    pub flags: c_uint,
    pub priority: c_int,
    pub id: u64,
}

fn streams() -> &'static Table<Stream> {
    static T: OnceLock<Table<Stream>> = OnceLock::new();
    T.get_or_init(Table::new)
}

/// Validates a stream handle and returns the context its work runs in (the current one for
/// the special handles), failing with that context's sticky error.
pub fn resolve(h: CUstream) -> CuResult<Arc<Context>> {
    let c = match h as usize {
        0 | CU_STREAM_LEGACY | CU_STREAM_PER_THREAD => context::current()?,
        _ => {
            let s = streams().get(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
            context::lookup(s.ctx as CUcontext)?
        }
    };
    c.check()?;
    Ok(c)
}

fn lookup(h: CUstream) -> CuResult<Option<Arc<Stream>>> {
    match h as usize {
        0 | CU_STREAM_LEGACY | CU_STREAM_PER_THREAD => {
            context::current()?;
            Ok(None)
        }
        _ => streams().get(h).map(Some).ok_or(CUDA_ERROR_INVALID_HANDLE),
    }
}

pub fn release_context(ctx: usize) {
    for (h, s) in streams().snapshot() {
        if s.ctx == ctx {
            streams().remove(h as CUstream);
        }
    }
}

fn next_id() -> u64 {
    // Ids 1 and 2 are the legacy and per-thread default streams.
    static N: AtomicU64 = AtomicU64::new(3);
    N.fetch_add(1, Ordering::Relaxed)
}

pub unsafe fn create(ph: *mut CUstream, flags: c_uint) -> CuResult {
    create_with_priority(ph, flags, 0)
}

pub unsafe fn create_with_priority(ph: *mut CUstream, flags: c_uint, priority: c_int) -> CuResult {
    if ph.is_null() || flags & !CU_STREAM_NON_BLOCKING != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = context::current_checked()?;
    // Out-of-range priorities are clamped, as NVIDIA documents.
    let priority = priority.clamp(context::STREAM_PRIORITY_GREATEST, context::STREAM_PRIORITY_LEAST);
    let (h, _) = streams().insert(Stream { ctx: c.handle, flags, priority, id: next_id() });
    *ph = h as CUstream;
    Ok(())
}

pub unsafe fn destroy(h: CUstream) -> CuResult {
    streams().remove(h).map(|_| ()).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

/// Everything enqueued has completed.
pub unsafe fn query(h: CUstream) -> CuResult {
    resolve(h).map(|_| ())
}

pub unsafe fn synchronize(h: CUstream) -> CuResult {
    resolve(h).map(|_| ())
}

pub const CU_EVENT_WAIT_EXTERNAL: c_uint = 0x1;

pub unsafe fn wait_event(h: CUstream, ev: CUevent, flags: c_uint) -> CuResult {
    if flags & !CU_EVENT_WAIT_EXTERNAL != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    resolve(h)?;
    event::lookup(ev)?;
    Ok(())
}

/// Stream callbacks run immediately, on the calling thread (the stream is already idle);
/// they receive the context's sticky error as `status`, as NVIDIA's do.
pub unsafe fn add_callback(h: CUstream, cb: CUstreamCallback, user: *mut c_void, flags: c_uint) -> CuResult {
    if flags != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let Some(cb) = cb else { return Err(CUDA_ERROR_INVALID_VALUE) };
    let c = match h as usize {
        0 | CU_STREAM_LEGACY | CU_STREAM_PER_THREAD => context::current()?,
        _ => context::lookup(streams().get(h).ok_or(CUDA_ERROR_INVALID_HANDLE)?.ctx as CUcontext)?,
    };
    let status = c.check().err().unwrap_or(CUDA_SUCCESS);
    cb(h, status, user);
    Ok(())
}

pub unsafe fn launch_host_func(h: CUstream, f: CUhostFn, user: *mut c_void) -> CuResult {
    let Some(f) = f else { return Err(CUDA_ERROR_INVALID_VALUE) };
    resolve(h)?;
    f(user);
    Ok(())
}

/// `cuLaunchHostFunc_v2(stream, fn, userData, syncMode)` (13.1): the mode only matters to an
/// asynchronous stream.
pub unsafe fn launch_host_func_v2(h: CUstream, f: CUhostFn, user: *mut c_void, _sync_mode: c_uint) -> CuResult {
    launch_host_func(h, f, user)
}

pub unsafe fn get_flags(h: CUstream, flags: *mut c_uint) -> CuResult {
    if flags.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *flags = lookup(h)?.map(|s| s.flags).unwrap_or(0);
    Ok(())
}

pub unsafe fn get_priority(h: CUstream, priority: *mut c_int) -> CuResult {
    if priority.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *priority = lookup(h)?.map(|s| s.priority).unwrap_or(0);
    Ok(())
}

pub unsafe fn get_ctx(h: CUstream, pctx: *mut CUcontext) -> CuResult {
    if pctx.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *pctx = match lookup(h)? {
        Some(s) => s.ctx as CUcontext,
        None => context::current()?.handle(),
    };
    Ok(())
}

/// `cuStreamGetCtx_v2(stream, pctx, pGreenCtx)`: no green contexts, so `*pGreenCtx = NULL`.
pub unsafe fn get_ctx_v2(h: CUstream, pctx: *mut CUcontext, pgreen: *mut CUgreenCtx) -> CuResult {
    if pctx.is_null() && pgreen.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    if !pgreen.is_null() {
        *pgreen = std::ptr::null_mut();
    }
    if pctx.is_null() {
        lookup(h)?;
        return Ok(());
    }
    get_ctx(h, pctx)
}

pub unsafe fn get_id(h: CUstream, id: *mut u64) -> CuResult {
    if id.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *id = match (h as usize, lookup(h)?) {
        (_, Some(s)) => s.id,
        (CU_STREAM_PER_THREAD, None) => 2,
        (_, None) => 1,
    };
    Ok(())
}

pub unsafe fn get_device(h: CUstream, dev: *mut CUdevice) -> CuResult {
    if dev.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let c = resolve(h)?;
    *dev = c.device;
    Ok(())
}

// ---- graph capture: never capturing (capture itself is not implemented yet) ----

pub const CU_STREAM_CAPTURE_STATUS_NONE: c_uint = 0;

pub unsafe fn is_capturing(h: CUstream, status: *mut c_uint) -> CuResult {
    if status.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    lookup(h)?;
    *status = CU_STREAM_CAPTURE_STATUS_NONE;
    Ok(())
}

pub unsafe fn get_capture_info(h: CUstream, status: *mut c_uint, id: *mut u64) -> CuResult {
    is_capturing(h, status)?;
    if !id.is_null() {
        *id = 0;
    }
    Ok(())
}

pub unsafe fn get_capture_info_v2(
    h: CUstream,
    status: *mut c_uint,
    id: *mut u64,
    graph: *mut CUgraph,
    deps: *mut *const CUgraphNode,
    num_deps: *mut usize,
) -> CuResult {
    get_capture_info(h, status, id)?;
    if !graph.is_null() {
        *graph = std::ptr::null_mut();
    }
    if !deps.is_null() {
        *deps = std::ptr::null();
    }
    if !num_deps.is_null() {
        *num_deps = 0;
    }
    Ok(())
}

pub unsafe fn get_capture_info_v3(
    h: CUstream,
    status: *mut c_uint,
    id: *mut u64,
    graph: *mut CUgraph,
    deps: *mut *const CUgraphNode,
    edge_data: *mut *const c_void,
    num_deps: *mut usize,
) -> CuResult {
    get_capture_info_v2(h, status, id, graph, deps, num_deps)?;
    if !edge_data.is_null() {
        *edge_data = std::ptr::null();
    }
    Ok(())
}

thread_local! {
    static CAPTURE_MODE: Cell<c_uint> = const { Cell::new(0) };
}

/// Swaps this thread's capture interaction mode (kept for when capture exists).
pub unsafe fn thread_exchange_capture_mode(mode: *mut c_uint) -> CuResult {
    if mode.is_null() || *mode > 2 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let new = *mode;
    *mode = CAPTURE_MODE.try_with(|m| m.replace(new)).map_err(|_| CUDA_ERROR_DEINITIALIZED)?;
    Ok(())
}

/// Managed memory is always accessible from the host and every stream.
pub unsafe fn attach_mem_async(h: CUstream, dptr: CUdeviceptr, length: usize, _flags: c_uint) -> CuResult {
    resolve(h)?;
    super::memory::check_range(dptr as usize, length.max(1))
}
